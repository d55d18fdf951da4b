package io.heapsdk.model.standard;

import static io.heapsdk.model.standard.StandardModels.IDENTITY_MAP;

import io.heapsdk.model.HeapProject;
import io.heapsdk.model.PlanContext;
import io.heapsdk.source.SourceCatalog;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.tools.RelBuilder;

/**
 * {@code src_heap_identity_map_eph}: every merged-away user id with the id it finally became, following
 * {@code user_migrations} chains (a→b, b→c gives a→c and b→c), for sources where Heap does not rewrite
 * user ids itself (SPEC §2, {@code identity.resolve_migrations}).
 *
 * <p>Chains are followed by path doubling: each step maps every id through the previous step's map, so
 * {@value #DOUBLINGS} steps follow chains of up to 2^{@value #DOUBLINGS} merges, in plain joins that run
 * on every warehouse (no recursive CTE).
 *
 * <p>Cycles (a→b, later b→a; or a chain closed into a loop by a later merge) have no last id: the latest
 * merge of the cycle wins, and every id of the cycle, and of every chain into it, becomes that merge's
 * {@code to_user_id} (its representative). Each doubling step also carries the latest merge among the
 * merges it walked (ordered by time, NULL first, then by the merged-away id: every merge has its own
 * {@code from_user_id}, so the order is total and every id of a cycle finds the same one). An id whose
 * 32 steps end on an id that still has merges ahead is in a cycle or on a chain into one (or on a chain
 * longer than 32 merges): it becomes the target of the latest of the next 32 merges from there. When the
 * cycle has at most 32 ids those merges cover all of it, so that target is the cycle's representative,
 * and the representative itself, whose own walk ends in the cycle too, maps to itself.
 *
 * <p>Beyond those limits the map does not reach the end: an id more than 32 merges before the end of its
 * chain, or before its cycle, becomes the target of the latest of the 32 merges after the 32nd (the
 * chain's end, if it is at most 64 merges long and merged in time order), and a cycle of more than 32
 * ids is not resolved.
 */
final class IdentityModels {
  static final String FROM = "heap_from_user_id";
  static final String TO = "heap_to_user_id";
  static final int DOUBLINGS = 5;
  /** The latest merge among those a step walked: its time, merged-away id and target. */
  private static final String LATEST_TIME = "heap__latest_merge_time";
  private static final String LATEST_FROM = "heap__latest_merge_from";
  private static final String LATEST_TO = "heap__latest_merge_to";
  private static final List<String> CHAIN_COLUMNS = List.of(FROM, TO, LATEST_TIME, LATEST_FROM, LATEST_TO);

  private IdentityModels() {}

  static void define(HeapProject project) {
    project
        .model(IDENTITY_MAP)
        .ephemeral()
        .description("Each merged-away Heap user id and the user id it finally became, chains followed")
        .column(FROM, "A user id that was merged into another")
        .column(TO, "The user id it finally became")
        .plan(IdentityModels::plan);
  }

  private static RelNode plan(PlanContext ctx) {
    String t = SourceCatalog.USER_MIGRATIONS;
    // every merge, even in an incremental run: a user's final id can depend on any earlier merge
    RelBuilder b = ctx.sourceAllRows(t);
    // a merge without either id is no merge: dropped, as the facts drop events without their ids, and
    // reported by the source's not_null tests. Kept, a NULL target made its id's latest merge and cut
    // the id loose from the user an earlier merge had made it.
    b.filter(b.isNotNull(ctx.field(t, "from_user_id")), b.isNotNull(ctx.field(t, "to_user_id")));
    b.project(
        List.of(ctx.field(t, "from_user_id"), ctx.field(t, "to_user_id"), ctx.field(t, "time")),
        List.of(FROM, TO, "heap_migration_time"),
        true);
    Dedup.latestPerKey(ctx, "identity_merges_ranked", FROM, "heap_migration_time");
    // one merge walked: it is its own latest
    b.project(
        List.of(b.field(FROM), b.field(TO), b.field("heap_migration_time"), b.field(FROM), b.field(TO)),
        CHAIN_COLUMNS,
        true);
    RelNode previous = ctx.stage("identity_chain_1").build();
    for (int step = 2; step <= DOUBLINGS + 1; step++) {
      // each id's current target, looked up again in the same map: the walk goes on from there, and the
      // latest merge of the two walks is the later one (no match: the chain ended, nothing changes)
      b.push(previous).push(previous);
      b.join(JoinRelType.LEFT, b.equals(b.field(2, 0, TO), b.field(2, 1, FROM)));
      int ahead = CHAIN_COLUMNS.size();
      RexNode later = later(b, ahead);
      b.project(
          List.of(
              b.field(0),
              b.call(SqlStdOperatorTable.COALESCE, b.field(ahead + 1), b.field(1)),
              b.call(SqlStdOperatorTable.CASE, later, b.field(ahead + 2), b.field(2)),
              b.call(SqlStdOperatorTable.CASE, later, b.field(ahead + 3), b.field(3)),
              b.call(SqlStdOperatorTable.CASE, later, b.field(ahead + 4), b.field(4))),
          CHAIN_COLUMNS,
          true);
      previous = ctx.stage("identity_chain_" + step).build();
    }
    // an id whose 32 steps end on an id with merges ahead of it walked into a cycle (or a chain longer
    // than 32 merges): it becomes the target of the latest merge of the 32 steps after that id, which is
    // its cycle's representative when the cycle has at most 32 ids
    b.push(previous).push(previous);
    b.join(JoinRelType.LEFT, b.equals(b.field(2, 0, TO), b.field(2, 1, FROM)));
    b.project(
        List.of(b.field(0), b.call(SqlStdOperatorTable.COALESCE, b.field(CHAIN_COLUMNS.size() + 4), b.field(1))),
        List.of(FROM, TO),
        true);
    return b.build();
  }

  /**
   * Whether the walk on the right (fields from {@code ahead}) holds a later merge than the one on the
   * left: a later time, or the same time and a greater merged-away id; a NULL time is earlier than any.
   * NULL (so not later) when nothing matched on the right.
   */
  private static RexNode later(RelBuilder b, int ahead) {
    RexNode leftTime = b.field(2);
    RexNode rightTime = b.field(ahead + 2);
    RexNode greaterFrom = b.greaterThan(b.field(ahead + 3), b.field(3));
    return b.or(
        b.greaterThan(rightTime, leftTime),
        b.and(b.equals(rightTime, leftTime), greaterFrom),
        b.and(b.isNull(leftTime), b.or(b.isNotNull(rightTime), greaterFrom)));
  }

  /**
   * When {@code identity.resolve_migrations} is on, replaces the user id column of the builder's top
   * with the id it finally became; otherwise leaves it as it is.
   */
  static void resolveUser(PlanContext ctx, String userColumn) {
    if (!ctx.config().resolveMigrations()) {
      return;
    }
    RelBuilder b = ctx.builder();
    List<String> names = new ArrayList<>(b.peek().getRowType().getFieldNames());
    ctx.ref(IDENTITY_MAP);
    b.join(JoinRelType.LEFT, b.equals(b.field(2, 0, userColumn), b.field(2, 1, FROM)));
    List<RexNode> projects = new ArrayList<>();
    for (String n : names) {
      projects.add(
          n.equals(userColumn) ? b.call(SqlStdOperatorTable.COALESCE, b.field(TO), b.field(n)) : b.field(n));
    }
    b.project(projects, names, true);
  }
}
