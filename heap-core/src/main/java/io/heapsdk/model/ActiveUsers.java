package io.heapsdk.model;

import io.heapsdk.source.SourceCatalog;
import java.util.List;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.tools.RelBuilder;

/**
 * The query of an incremental run's active users (SPEC §3): every user id with an {@code all_events},
 * {@code pageviews} or {@code sessions} row, or on either side of a {@code user_migrations} row, whose
 * time is later than the facts' high-water mark minus the late-arrival lookback.
 *
 * <p>The mark is the oldest of the incremental facts' newest times, so one set of users serves every
 * fact of the run. When a fact is empty there is no mark, and every user is active: the run then
 * recomputes everything, exactly as a full build would.
 */
final class ActiveUsers {
  /** The synthetic model's name; it is planned like a table but built as a run's working table. */
  static final String MODEL = "heap__active_users";

  private static final String MARK = "mark";
  private static final String SINCE = "since";

  private ActiveUsers() {}

  static Model model(List<Model> incrementalFacts) {
    return Model.builder()
        .name(MODEL)
        .materialization(Materialization.TABLE)
        .description("Users whose facts an incremental run recomputes")
        .planner(ctx -> plan(ctx, incrementalFacts))
        .build();
  }

  private static RelNode plan(PlanContext ctx, List<Model> facts) {
    RelBuilder b = ctx.builder();
    for (Model fact : facts) {
      ctx.ref(fact.name());
      b.aggregate(b.groupKey(), b.max(b.field(fact.timeColumn().orElseThrow())).as(MARK));
    }
    b.union(true, facts.size());
    ctx.stage("heap__fact_marks");
    RexNode marked = b.field(MARK);
    b.aggregate(
        b.groupKey(),
        b.count(false, "marked_facts", marked),
        b.countStar("facts"),
        b.min(marked).as("oldest_mark"));
    b.project(
        b.alias(Exprs.nullIf(
            b,
            b.lessThan(b.field("marked_facts"), b.field("facts")),
            Exprs.addDays(b, b.field("oldest_mark"), -ctx.config().lateArrivalLookbackDays())), SINCE));
    ctx.stage("heap__high_water_mark");
    RelNode since = b.build();

    int branches = 0;
    for (String table : List.of(SourceCatalog.ALL_EVENTS, SourceCatalog.PAGEVIEWS, SourceCatalog.SESSIONS)) {
      activeIn(ctx, since, table, "user_id");
      branches++;
    }
    for (String side : List.of("from_user_id", "to_user_id")) {
      activeIn(ctx, since, SourceCatalog.USER_MIGRATIONS, side);
      branches++;
    }
    return b.union(false, branches).build();
  }

  /** Pushes the user ids of {@code table} with a row newer than the mark (all of them without a mark). */
  private static void activeIn(PlanContext ctx, RelNode since, String table, String userColumn) {
    RelBuilder b = ctx.builder();
    ctx.source(table);
    b.push(since);
    b.join(JoinRelType.INNER, b.literal(true));
    RexNode mark = b.field(SINCE);
    b.filter(b.or(b.isNull(mark), b.greaterThan(b.field(ctx.column(table, "time")), mark)));
    b.project(b.alias(b.field(ctx.column(table, userColumn)), PlanContext.ACTIVE_USER_ID));
  }
}
