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
 */
final class IdentityModels {
  static final String FROM = "heap_from_user_id";
  static final String TO = "heap_to_user_id";
  static final int DOUBLINGS = 5;

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
    b.project(
        List.of(ctx.field(t, "from_user_id"), ctx.field(t, "to_user_id"), ctx.field(t, "time")),
        List.of(FROM, TO, "heap_migration_time"),
        true);
    Dedup.latestPerKey(ctx, "identity_merges_ranked", FROM, "heap_migration_time");
    b.project(b.field(FROM), b.field(TO));
    RelNode previous = ctx.stage("identity_chain_1").build();
    for (int step = 2; step <= DOUBLINGS + 1; step++) {
      // each id's current target, looked up again in the same map
      b.push(previous).push(previous);
      b.join(JoinRelType.LEFT, b.equals(b.field(2, 0, TO), b.field(2, 1, FROM)));
      b.project(
          List.of(
              b.field(0),
              b.call(SqlStdOperatorTable.COALESCE, b.field(3), b.field(1))),
          List.of(FROM, TO),
          true);
      if (step <= DOUBLINGS) {
        previous = ctx.stage("identity_chain_" + step).build();
      }
    }
    return b.build();
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
