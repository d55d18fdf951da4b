package io.heapsdk.model.standard;

import io.heapsdk.model.PlanContext;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.tools.RelBuilder;

/**
 * Keeps one row per key: the one with the latest time (NULL times last), ties broken by every other
 * column so that the surviving row never depends on the engine (SPEC §2).
 */
final class Dedup {
  /** Helper columns start with {@code heap__}, a prefix config rejects for custom columns. */
  static final String RANK = StandardModels.DEDUP_RANK;

  private Dedup() {}

  /**
   * On the builder's top (a scan of {@code table}): drops the rows whose key {@code column} or
   * {@code user_id} is NULL, before the rename, the dedup and every window. A row without its key has no
   * id by which a fact could hold, merge or delete it (MERGE never matches a NULL key). A row without a
   * user belongs to no user: an incremental run, which recomputes users, would never add or remove it,
   * so a full refresh kept such rows and incremental runs did not, and the funnels pooled them all into
   * one user who converted. A row the fact cannot hold must not shape the rows it does hold either: it
   * takes no place in a sequence number, does not bridge or split a session and is counted in no
   * session. Heap's {@code not_null} source tests report these rows.
   */
  static RelBuilder dropMissingKeys(PlanContext ctx, String table, String column) {
    RelBuilder b = ctx.builder();
    List<RexNode> present = List.of(b.isNotNull(ctx.field(table, column)), b.isNotNull(ctx.field(table, "user_id")));
    if (b.peek() instanceof Filter f) {
      // an incremental run's scan already keeps the active users: one WHERE with every condition
      b.build();
      b.push(f.getInput());
      List<RexNode> all = new ArrayList<>(List.of(f.getCondition()));
      all.addAll(present);
      return b.filter(all);
    }
    return b.filter(present);
  }

  /**
   * On the builder's top (already renamed to output columns): ranks the rows of each key in a stage
   * named {@code stageName}, then keeps rank 1 and drops the rank column.
   */
  static RelBuilder latestPerKey(PlanContext ctx, String stageName, String key, String time) {
    return latestPerKey(ctx, stageName, key, time, null, null);
  }

  /**
   * The same over the rows of {@link PlanContext#sourceVersions}: then keeps the rows of the run's
   * active users ({@code user} is the user column), in the same WHERE as rank 1.
   */
  static RelBuilder latestVersionPerKey(PlanContext ctx, String stageName, String key, String time, String user) {
    return latestPerKey(ctx, stageName, key, time, user, null);
  }

  /**
   * The same, the rows of one key ranked first by {@code preferred} (lowest first, built on the builder's
   * top), then by the latest time and the other columns: the latest version of the preferred rows.
   */
  static RelBuilder latestVersionPerKey(PlanContext ctx, String stageName, String key, String time, String user, RexNode preferred) {
    return latestPerKey(ctx, stageName, key, time, user, preferred);
  }

  private static RelBuilder latestPerKey(PlanContext ctx, String stageName, String key, String time, String user, RexNode preferred) {
    RelBuilder b = ctx.builder();
    List<String> columns = new ArrayList<>(b.peek().getRowType().getFieldNames());
    List<RexNode> order = new ArrayList<>();
    if (preferred != null) {
      order.add(preferred);
    }
    order.add(b.nullsLast(b.desc(b.field(time))));
    for (String c : columns) {
      if (!c.equals(key) && !c.equals(time)) {
        order.add(b.nullsLast(b.field(c)));
      }
    }
    List<RexNode> projects = new ArrayList<>(b.fields());
    projects.add(
        b.aggregateCall(SqlStdOperatorTable.ROW_NUMBER)
            .over()
            .partitionBy(b.field(key))
            .orderBy(order)
            .as(RANK));
    b.project(projects);
    ctx.stage(stageName);
    RexNode latest = b.equals(b.field(RANK), b.literal(1));
    b.filter(user == null ? latest : b.and(latest, ctx.isActiveUser(b.field(user))));
    b.project(b.fields(columns));
    return b;
  }
}
