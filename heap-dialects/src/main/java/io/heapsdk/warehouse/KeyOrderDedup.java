package io.heapsdk.warehouse;

import io.heapsdk.model.standard.StandardModels;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.rel.RelFieldCollation;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.RelFactories;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexFieldCollation;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexOver;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.tools.RelBuilder;

/**
 * The dedup of a source as one sort of all its rows, for warehouses that ask for it ({@link
 * Warehouse#dedupsInOneSort}).
 *
 * <p>A model's dedup stage numbers the rows of each key by the latest time, ties broken by every other
 * column, and the next stage keeps number 1: {@code ROW_NUMBER() OVER (PARTITION BY key ORDER BY …)}.
 * H2 keeps a window's partitions in a tree map looked up per row (two lookups per row and window, a
 * comparison of partition keys at every level), and a key nearly every row has to itself makes that a map
 * of as many partitions as rows: on a 60,000-user H2 file, the events' dedup alone took 7.3 s against
 * 3.1 s as one sort. Here the stage numbers no partitions; each row is compared with the row before it
 * in one order of all rows, by key first and then the window's own order:
 *
 * <pre>
 * CASE WHEN LAG(key) OVER (ORDER BY key, …the window's order…) = key THEN 2 ELSE 1 END
 * </pre>
 *
 * The first row of each key in that order is the window's row number 1 (the same order within the key);
 * every later one, numbered 2 here, is dropped by the next stage as it would be. Rows equal in every
 * sort column are equal in every column (the order names them all), so which of them is first does not
 * change what is kept. Only where the key is never NULL ({@link RepeatedKeyDedup#keptNonNull}): the
 * first row of all has no row before it, and a NULL key could not tell that from a NULL key before it.
 */
final class KeyOrderDedup {
  /** The number a row that is not its key's first gets: any value but 1 is dropped by the next stage. */
  private static final BigDecimal LATER = BigDecimal.valueOf(2);

  private KeyOrderDedup() {}

  /**
   * {@code rel} with its dedup numbered in one sort, when {@code rel} is a dedup stage: a projection
   * whose {@link StandardModels#DEDUP_RANK} column is {@code ROW_NUMBER()} partitioned by one input
   * column that the plan keeps NOT NULL, and no other window. Any other relation is returned as it is.
   */
  static RelNode rewrite(RelNode rel) {
    if (!(rel instanceof Project project)) {
      return rel;
    }
    List<String> names = project.getRowType().getFieldNames();
    int rank = names.indexOf(StandardModels.DEDUP_RANK);
    if (rank < 0
        || !(project.getProjects().get(rank) instanceof RexOver over)
        || over.getOperator().getKind() != SqlKind.ROW_NUMBER
        || over.getWindow().partitionKeys.size() != 1
        || !(over.getWindow().partitionKeys.get(0) instanceof RexInputRef key)
        || !RepeatedKeyDedup.keptNonNull(project.getInput(), key.getIndex())) {
      return rel;
    }
    for (int i = 0; i < project.getProjects().size(); i++) {
      if (i != rank && RexOver.containsOver(project.getProjects().get(i))) {
        return rel;
      }
    }
    RelBuilder b = RelFactories.LOGICAL_BUILDER.create(project.getCluster(), null);
    b.push(project.getInput());
    List<RexNode> order = new ArrayList<>();
    order.add(key);
    for (RexFieldCollation c : over.getWindow().orderKeys) {
      RexNode e = c.left;
      if (c.getDirection() == RelFieldCollation.Direction.DESCENDING) {
        e = b.desc(e);
      }
      e = switch (c.getNullDirection()) {
        case FIRST -> b.nullsFirst(e);
        case LAST -> b.nullsLast(e);
        default -> e;
      };
      order.add(e);
    }
    RexNode previousKey = b.aggregateCall(SqlStdOperatorTable.LAG, key).over().orderBy(order).toRex();
    RexBuilder rex = b.getRexBuilder();
    RexNode number =
        b.call(
            SqlStdOperatorTable.CASE,
            b.equals(previousKey, key),
            rex.makeExactLiteral(LATER, over.getType()),
            rex.makeExactLiteral(BigDecimal.ONE, over.getType()));
    List<RexNode> projects = new ArrayList<>(project.getProjects());
    projects.set(rank, number);
    return b.project(projects, names, true).build();
  }
}
