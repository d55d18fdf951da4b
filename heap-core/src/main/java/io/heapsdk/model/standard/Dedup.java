package io.heapsdk.model.standard;

import io.heapsdk.model.PlanContext;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.tools.RelBuilder;

/**
 * Keeps one row per key: the one with the latest time (NULL times last), ties broken by every other
 * column so that the surviving row never depends on the engine (SPEC §2). A row whose key is NULL is
 * dropped here, before any window numbers the rows: it has no id to be deduplicated, merged or deleted
 * by, so it must not shape the rows that are kept either (sequence numbers, session boundaries).
 */
final class Dedup {
  /** Helper columns start with {@code heap__}, a prefix config rejects for custom columns. */
  static final String RANK = "heap__dedup_rank";

  private Dedup() {}

  /**
   * On the builder's top (already renamed to output columns): ranks the rows of each key in a stage
   * named {@code stageName}, then keeps rank 1 and drops the rank column.
   */
  static RelBuilder latestPerKey(PlanContext ctx, String stageName, String key, String time) {
    RelBuilder b = ctx.builder();
    List<String> columns = new ArrayList<>(b.peek().getRowType().getFieldNames());
    List<RexNode> order = new ArrayList<>();
    order.add(b.nullsLast(b.desc(b.field(time))));
    for (String c : columns) {
      if (!c.equals(key) && !c.equals(time)) {
        order.add(b.nullsLast(b.field(c)));
      }
    }
    // below the ranking projection, so it renders as that SELECT's WHERE and filters before the windows
    b.filter(b.isNotNull(b.field(key)));
    List<RexNode> projects = new ArrayList<>(b.fields());
    projects.add(
        b.aggregateCall(SqlStdOperatorTable.ROW_NUMBER)
            .over()
            .partitionBy(b.field(key))
            .orderBy(order)
            .as(RANK));
    b.project(projects);
    ctx.stage(stageName);
    b.filter(b.equals(b.field(RANK), b.literal(1)));
    b.project(b.fields(columns));
    return b;
  }
}
