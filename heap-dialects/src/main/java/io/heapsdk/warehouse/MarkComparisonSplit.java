package io.heapsdk.warehouse;

import io.heapsdk.model.PlanContext;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.RelFactories;
import org.apache.calcite.rel.core.Union;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.tools.RelBuilder;

/**
 * The active users' comparison of a source row's time with the high-water mark, split in two for
 * warehouses whose sources have indexes ({@link Warehouse#splitsMarkComparison}).
 *
 * <p>The active users read each source as
 *
 * <pre>
 * SELECT user_id FROM source, mark WHERE mark.since IS NULL OR source.time &gt;= mark.since
 * </pre>
 *
 * (no mark: every user). H2 and PostgreSQL scan the whole source for that OR, although an index on the
 * time column holds the few rows at or after the mark: on H2 at 200k events the step took 1.7 s, the
 * indexed comparison alone 0.1 s. Here it becomes
 *
 * <pre>
 * SELECT user_id FROM source, mark WHERE source.time &gt;= mark.since
 * UNION ALL
 * SELECT user_id FROM source, mark WHERE mark.since IS NULL
 * </pre>
 *
 * The rows are the same: a row meets the OR exactly when it meets one branch, and never both (where the
 * mark is NULL the comparison is unknown). The first branch seeks the time index; in the second the
 * one-row mark fails its filter first, so the source is not read at all when there is a mark. Not for
 * warehouses without indexes: there the OR is one scan and the split a second one (BigQuery on demand
 * bills it).
 */
final class MarkComparisonSplit {
  private MarkComparisonSplit() {}

  /** {@code rel} with every projection of a filter on the mark comparison split as above. */
  static RelNode rewrite(RelNode rel) {
    List<RelNode> inputs = rel.getInputs();
    List<RelNode> rewritten = new ArrayList<>(inputs.size());
    boolean changed = false;
    for (RelNode input : inputs) {
      RelNode r = rewrite(input);
      rewritten.add(r);
      changed |= r != input;
    }
    if (changed && rel instanceof Union u && !u.all) {
      // a UNION of the split branches reads as one list of SELECTs, not as SELECT * FROM (… UNION ALL …)
      List<RelNode> flat = new ArrayList<>();
      for (int i = 0; i < inputs.size(); i++) {
        RelNode r = rewritten.get(i);
        if (r != inputs.get(i) && r instanceof Union branches) {
          flat.addAll(branches.getInputs());
        } else {
          flat.add(r);
        }
      }
      return u.copy(u.getTraitSet(), flat, false);
    }
    RelNode result = changed ? rel.copy(rel.getTraitSet(), rewritten) : rel;
    return result instanceof Project p ? split(p) : result;
  }

  private static RelNode split(Project project) {
    if (!(project.getInput() instanceof Filter filter)
        || filter.getCondition().getKind() != SqlKind.OR
        || ((RexCall) filter.getCondition()).getOperands().size() != 2) {
      return project;
    }
    List<RexNode> either = ((RexCall) filter.getCondition()).getOperands();
    RelNode input = filter.getInput();
    for (int i = 0; i < 2; i++) {
      RexNode noMark = either.get(i);
      RexNode newer = either.get(1 - i);
      if (noMark.getKind() == SqlKind.IS_NULL
          && ((RexCall) noMark).getOperands().get(0) instanceof RexInputRef since
          && isMark(input, since)
          && comparesWith(newer, since)) {
        RelBuilder b = RelFactories.LOGICAL_BUILDER.create(project.getCluster(), null);
        List<String> names = project.getRowType().getFieldNames();
        b.push(input).filter(newer).project(project.getProjects(), names, true);
        b.push(input).filter(noMark).project(project.getProjects(), names, true);
        return b.union(true).build();
      }
    }
    return project;
  }

  /**
   * Whether {@code ref} is the mark table's column, by name (a source column of that name would make the
   * join call the mark's {@code since0}: then nothing is split, and a split would still be exact).
   */
  private static boolean isMark(RelNode input, RexInputRef ref) {
    return input.getRowType().getFieldNames().get(ref.getIndex()).equals(PlanContext.HIGH_WATER_MARK_SINCE);
  }

  /** Whether {@code c} is {@code time >= since} (or {@code since <= time}) for another column {@code time}. */
  private static boolean comparesWith(RexNode c, RexInputRef since) {
    if (!(c instanceof RexCall call) || call.getOperands().size() != 2) {
      return false;
    }
    RexNode left = call.getOperands().get(0);
    RexNode right = call.getOperands().get(1);
    return switch (c.getKind()) {
      case GREATER_THAN, GREATER_THAN_OR_EQUAL -> left instanceof RexInputRef && !left.equals(since) && right.equals(since);
      case LESS_THAN, LESS_THAN_OR_EQUAL -> right instanceof RexInputRef && !right.equals(since) && left.equals(since);
      default -> false;
    };
  }
}
