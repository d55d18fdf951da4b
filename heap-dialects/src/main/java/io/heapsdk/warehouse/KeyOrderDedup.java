package io.heapsdk.warehouse;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.rel.RelFieldCollation;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.RelFactories;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexFieldCollation;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexOver;
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
 * change what is kept. Only where the key is never NULL ({@link DedupStage#keyNeverNull}): the
 * first row of all has no row before it, and a NULL key could not tell that from a NULL key before it.
 */
final class KeyOrderDedup {
  /** The number a row that is not its key's first gets: any value but 1 is dropped by the next stage. */
  private static final BigDecimal LATER = BigDecimal.valueOf(2);

  private KeyOrderDedup() {}

  /**
   * {@code rel} with its dedup numbered in one sort, when {@code rel} is a {@link DedupStage} whose key
   * the plan keeps NOT NULL. Any other relation is returned as it is.
   */
  static RelNode rewrite(RelNode rel) {
    DedupStage stage = DedupStage.of(rel).orElse(null);
    if (stage == null || !stage.keyNeverNull()) {
      return rel;
    }
    Project project = stage.project();
    RexOver over = stage.over();
    RexNode key = over.getWindow().partitionKeys.get(0);
    RelBuilder b = RelFactories.LOGICAL_BUILDER.create(project.getCluster(), null);
    b.push(stage.input());
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
    projects.set(stage.rank(), number);
    return b.project(projects, stage.names(), true).build();
  }
}
