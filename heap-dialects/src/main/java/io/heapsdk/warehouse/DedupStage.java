package io.heapsdk.warehouse;

import io.heapsdk.model.Placeholder;
import io.heapsdk.model.standard.StandardModels;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexOver;
import org.apache.calcite.sql.SqlKind;

/**
 * A model's dedup stage as the warehouse-specific rewrites of it ({@link RepeatedKeyDedup}, {@link
 * KeyOrderDedup}) find it: a projection whose {@link StandardModels#DEDUP_RANK} column ({@code rank}, its
 * index) is {@code ROW_NUMBER()} ({@code over}) partitioned by one input column ({@code key}), and no
 * other window (another window would see other rows once the rewrite changes them).
 */
record DedupStage(Project project, int rank, RexOver over, int key) {
  /** {@code rel} as a dedup stage, or empty when it is any other relation. */
  static Optional<DedupStage> of(RelNode rel) {
    if (!(rel instanceof Project project)) {
      return Optional.empty();
    }
    List<String> names = project.getRowType().getFieldNames();
    int rank = names.indexOf(StandardModels.DEDUP_RANK);
    if (rank < 0
        || !(project.getProjects().get(rank) instanceof RexOver over)
        || over.getOperator().getKind() != SqlKind.ROW_NUMBER
        || over.getWindow().partitionKeys.size() != 1
        || !(over.getWindow().partitionKeys.get(0) instanceof RexInputRef keyRef)) {
      return Optional.empty();
    }
    for (int i = 0; i < project.getProjects().size(); i++) {
      if (i != rank && RexOver.containsOver(project.getProjects().get(i))) {
        return Optional.empty();
      }
    }
    return Optional.of(new DedupStage(project, rank, over, keyRef.getIndex()));
  }

  /**
   * The dedup stage whose rank-1 rows {@code filter} keeps: its input a scan of a query stage that is a
   * dedup stage ({@code stages} gives the query's stages by name, null for a name that is not one), one
   * of its conditions {@code rank = 1}. Empty for any other filter.
   */
  static Optional<DedupStage> rankOneOf(Filter filter, Function<String, RelNode> stages) {
    if (!(filter.getInput() instanceof TableScan scan)) {
      return Optional.empty();
    }
    Placeholder placeholder = Placeholder.decode(scan.getTable().getQualifiedName()).orElse(null);
    if (placeholder == null || placeholder.kind() != Placeholder.Kind.STAGE) {
      return Optional.empty();
    }
    RelNode stageRel = stages.apply(placeholder.name());
    Optional<DedupStage> stage = stageRel == null ? Optional.empty() : of(stageRel);
    return stage.filter(
        s -> RelOptUtil.conjunctions(filter.getCondition()).stream().anyMatch(c -> isRankOne(c, s.rank())));
  }

  /** Whether {@code c} is {@code rank = 1} on column {@code rank}. */
  static boolean isRankOne(RexNode c, int rank) {
    return c.getKind() == SqlKind.EQUALS
        && ((RexCall) c).getOperands().get(0) instanceof RexInputRef ref
        && ref.getIndex() == rank
        && ((RexCall) c).getOperands().get(1) instanceof RexLiteral one
        && BigDecimal.ONE.equals(one.getValueAs(BigDecimal.class));
  }

  /** The stage's input: the source scan and its filters. */
  RelNode input() {
    return project.getInput();
  }

  /** The stage's column names. */
  List<String> names() {
    return project.getRowType().getFieldNames();
  }

  /**
   * Whether the key is NOT NULL in the input, as far as the plan shows: by type, by a filter ({@code
   * Dedup.dropMissingKeys}), or through what keeps a column as it is on the way up: a projection that
   * passes it on, a further filter, the left side of a LEFT or INNER join (under identity resolution the
   * dedup reads the events joined with the identity map, their ids filtered below the join).
   */
  boolean keyNeverNull() {
    return neverNull(input(), key);
  }

  private static boolean neverNull(RelNode rel, int column) {
    if (!rel.getRowType().getFieldList().get(column).getType().isNullable()) {
      return true;
    }
    if (rel instanceof Filter f) {
      for (RexNode c : RelOptUtil.conjunctions(f.getCondition())) {
        if (c.getKind() == SqlKind.IS_NOT_NULL
            && ((RexCall) c).getOperands().get(0) instanceof RexInputRef ref
            && ref.getIndex() == column) {
          return true;
        }
      }
      return neverNull(f.getInput(), column);
    }
    if (rel instanceof Project p) {
      return p.getProjects().get(column) instanceof RexInputRef ref && neverNull(p.getInput(), ref.getIndex());
    }
    if (rel instanceof Join j && (j.getJoinType() == JoinRelType.LEFT || j.getJoinType() == JoinRelType.INNER)) {
      return column < j.getLeft().getRowType().getFieldCount() && neverNull(j.getLeft(), column);
    }
    return false;
  }
}
