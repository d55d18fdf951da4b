package io.heapsdk.model;

import com.google.common.collect.ImmutableList;
import io.heapsdk.model.standard.StandardModels;
import io.heapsdk.source.SourceCatalog;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexSubQuery;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.tools.RelBuilder;

/**
 * The query of an incremental run's active users (SPEC §3): every user id with an {@code all_events},
 * {@code pageviews} or {@code sessions} row, or on either side of a {@code user_migrations} row, whose
 * time is at or after the facts' high-water mark minus the late-arrival lookback. At, not only after:
 * with a lookback of 0 the mark is the facts' newest time itself, and a new row at that very time (a
 * second event in the same second as the last one built) would otherwise never reach the facts.
 *
 * <p>The mark is the oldest of the incremental facts' newest times, so one set of users serves every
 * fact of the run. When a fact is empty there is no mark, and every user is active: the run then
 * recomputes everything, exactly as a full build would; except a fact whose {@link Model#rowSource}
 * table is empty too, which a full build would leave empty as well, and which leaves the mark to the
 * other facts.
 *
 * <p>With {@code incremental.reconcile}, the users of the run's {@value PlanContext#RECONCILED_USERS}
 * table are active too: those whose source rows changed in ways the mark cannot see.
 */
final class ActiveUsers {
  /** The synthetic model's name; it is planned like a table but built as a run's working table. */
  static final String MODEL = "heap__active_users";

  /** The synthetic model of the run's high-water mark: one row, one column {@value #SINCE}. */
  static final String MARK_MODEL = "heap__high_water_mark";

  private static final String MARK = "mark";
  static final String SINCE = PlanContext.HIGH_WATER_MARK_SINCE;

  private ActiveUsers() {}

  /**
   * The mark, built into its own one-row working table before the active users: every source table is
   * compared with it, and an engine that inlines CTEs (H2) would otherwise scan the facts once per
   * comparison.
   */
  static Model markModel(List<Model> incrementalFacts) {
    return Model.builder()
        .name(MARK_MODEL)
        .materialization(Materialization.TABLE)
        .description("The oldest of the incremental facts' newest times, minus the late-arrival lookback")
        .planner(ctx -> planMark(ctx, incrementalFacts))
        .build();
  }

  static Model model(List<Model> incrementalFacts) {
    return Model.builder()
        .name(MODEL)
        .materialization(Materialization.TABLE)
        .description("Users whose facts an incremental run recomputes")
        .planner(ctx -> plan(ctx, incrementalFacts))
        .build();
  }

  private static RelNode planMark(PlanContext ctx, List<Model> facts) {
    RelBuilder b = ctx.builder();
    for (Model fact : facts) {
      ctx.ref(fact.name());
      b.aggregate(b.groupKey(), b.max(b.field(fact.timeColumn().orElseThrow())).as(MARK));
      if (fact.rowSource().isPresent()) {
        // an empty fact whose Heap table is empty too (a mobile-only project's pageviews) would be empty
        // after a full build as well: no row of it can be missed, so it leaves the mark to the others.
        // Once the table has a row, the fact without a mark makes every user active, as before
        RelNode firstRow = ctx.sourceAllRows(fact.rowSource().get()).project(b.alias(b.literal(1), "one")).build();
        b.filter(b.or(b.isNotNull(b.field(MARK)), RexSubQuery.exists(firstRow)));
      }
    }
    b.union(true, facts.size());
    ctx.stage("heap__fact_marks");
    RexNode marked = b.field(MARK);
    b.aggregate(
        b.groupKey(),
        b.count(false, "marked_facts", marked),
        b.countStar("facts"),
        b.min(marked).as("oldest_mark"));
    return b.project(
            b.alias(
                Exprs.nullIf(
                    b,
                    b.lessThan(b.field("marked_facts"), b.field("facts")),
                    Exprs.addDays(b, b.field("oldest_mark"), -ctx.config().lateArrivalLookbackDays())),
                SINCE))
        .build();
  }

  /**
   * Without NULL: a source row or a merge without its user id belongs to no user (the models drop it),
   * and a NULL among the active users would make every {@code user NOT IN (active users)} unknown, so
   * a fact's rows of the users the run leaves alone would drop out of what it reads back.
   */
  private static RelNode plan(PlanContext ctx, List<Model> facts) {
    RelNode users = planWithNulls(ctx, facts);
    RelBuilder b = ctx.builder();
    return b.push(users).filter(b.isNotNull(b.field(PlanContext.ACTIVE_USER_ID))).build();
  }

  private static RelNode planWithNulls(PlanContext ctx, List<Model> facts) {
    RelBuilder b = ctx.builder();
    RelNode since = ctx.scanWorkTable(MARK_MODEL, ctx.plannedRowType(MARK_MODEL));
    int branches = 0;
    for (String table : List.of(SourceCatalog.ALL_EVENTS, SourceCatalog.PAGEVIEWS, SourceCatalog.SESSIONS)) {
      activeIn(ctx, since, table, "user_id");
      branches++;
    }
    for (String side : List.of("from_user_id", "to_user_id")) {
      activeIn(ctx, since, SourceCatalog.USER_MIGRATIONS, side);
      branches++;
    }
    if (ctx.config().reconcile()) {
      // users whose source rows changed behind the mark (a reconciling run builds this table first)
      b.push(ctx.scanWorkTable(PlanContext.RECONCILED_USERS, ctx.activeUserRowType()));
      branches++;
    }
    b.union(false, branches);
    if (!ctx.config().resolveMigrations()) {
      withSharedIds(ctx, facts);
      return b.build();
    }
    withEarlierTargets(ctx);
    // the facts hold the final ids: the ids merged with a directly active one are looked up too
    ctx.builder().push(withMergedIds(ctx, "heap__raw_directly_active_users", "heap__resolved_directly_active_users"));
    withSharedIds(ctx, facts);
    return withMergedIds(ctx, "heap__raw_active_users", "heap__resolved_active_users");
  }

  /**
   * The users whose rows an incremental run must recompute although they have no new row: those who
   * hold a version of an id whose versions change in this run. The facts keep one version of each event,
   * pageview and session id, the latest, whichever user holds it; a new version under an active user
   * can take the id from another user, and a version that vanished (a reconciling run) can hand it to
   * another user, whose sequence numbers and session counts then change. So the holders of the ids the
   * directly active users hold, in a source or (in a reconciling run, the only one that sees a version
   * vanish) in a merged fact, where a vanished version still is, are active too. So are the users whose
   * events name a session an active user holds, and the holders of the sessions an active user's events
   * name: the sessions fact counts a session's events by the session's id, whichever user an event is
   * under (an event re-synced under another user id than its session's). One step is enough: the models
   * dedup over every version of the ids their active users hold, whoever holds them ({@link
   * PlanContext#sourceVersions}), so a user reached here changes no other user's versions or counts.
   */
  private static void withSharedIds(PlanContext ctx, List<Model> facts) {
    RelBuilder b = ctx.builder();
    RelNode direct = ctx.stage("heap__directly_active_users").build();
    int branches = 0;
    for (IdSpace space : ID_SPACES) {
      List<RelNode> held = new ArrayList<>();
      for (List<String> column : space.columns()) {
        String table = column.get(0);
        ctx.sourceAllRows(table);
        b.filter(RexSubQuery.in(direct, ImmutableList.of(b.field(ctx.column(table, "user_id")))));
        held.add(b.project(b.field(ctx.column(table, column.get(1)))).build());
      }
      for (Model fact : facts) {
        // only a reconciling run sees versions vanish; a run that rebuilds a fact in full skips it
        if (ctx.config().reconcile() && fact.name().equals(space.fact())) {
          ctx.ref(fact.name());
          b.filter(RexSubQuery.in(direct, ImmutableList.of(b.field(fact.userColumn().orElseThrow()))));
          held.add(b.project(b.field(fact.uniqueKey().orElseThrow())).build());
        }
      }
      if (space.columns().size() > 1) {
        // looked up from more than one table: one CTE (stored first on an engine that evaluates each reference)
        held.forEach(b::push);
        b.union(false, held.size());
        held = List.of(ctx.stage("heap__held_" + space.name() + "_ids").build());
      }
      // one lookup per set of held ids, not one in their UNION: H2 builds a table with
      // "id IN (SELECT … UNION SELECT …)" in seconds per thousand rows (a reconciling run on 3,000
      // users: 57 s), the UNION of two lookups in milliseconds
      for (List<String> column : space.columns()) {
        String table = column.get(0);
        for (RelNode ids : held) {
          ctx.sourceAllRows(table);
          b.filter(RexSubQuery.in(ids, ImmutableList.of(b.field(ctx.column(table, column.get(1))))));
          b.project(b.alias(b.field(ctx.column(table, "user_id")), PlanContext.ACTIVE_USER_ID));
          branches++;
        }
      }
    }
    b.push(direct);
    b.union(false, branches + 1);
  }

  /** The source columns holding ids of one kind (table, column), and the standard fact keyed by that id. */
  private record IdSpace(String name, List<List<String>> columns, String fact) {}

  private static final List<IdSpace> ID_SPACES =
      List.of(
          new IdSpace("event", List.of(List.of(SourceCatalog.ALL_EVENTS, "event_id")), StandardModels.EVENTS_FACT),
          new IdSpace("pageview", List.of(List.of(SourceCatalog.PAGEVIEWS, "event_id")), StandardModels.PAGEVIEW_SESSIONS_FACT),
          // the sessions fact counts a session's events by its id, whichever user holds the event
          new IdSpace(
              "session",
              List.of(List.of(SourceCatalog.SESSIONS, "session_id"), List.of(SourceCatalog.ALL_EVENTS, "session_id")),
              StandardModels.SESSIONS_FACT));

  /**
   * With identity resolution, an id merged again (a later {@code user_migrations} row from it, the map
   * following the latest) leaves the user it became before: that user's facts still hold the id's rows,
   * and its sequence numbers count them. So every id an active id was merged into by any row, the
   * earlier ones too, is active (then resolved like the others, to the user it is now, which is the one
   * it was before unless it was merged again itself, and then it is active and its own earlier targets
   * are looked up alike). Without it a run moved the id's rows to the new user and left the former one
   * numbering its own sessions after them (found by operating a schema with re-merged ids for weeks).
   */
  private static void withEarlierTargets(PlanContext ctx) {
    RelBuilder b = ctx.builder();
    RelNode newly = ctx.stage("heap__newly_active_users").build();
    String migrations = SourceCatalog.USER_MIGRATIONS;
    ctx.sourceAllRows(migrations);
    b.filter(RexSubQuery.in(newly, ImmutableList.of(b.field(ctx.column(migrations, "from_user_id")))));
    b.project(b.alias(b.field(ctx.column(migrations, "to_user_id")), PlanContext.ACTIVE_USER_ID));
    b.push(newly);
    b.union(false, 2);
  }

  /**
   * With identity resolution, a fact stores the id a user finally became, built from the rows of every
   * id merged into it: the active set gets the final ids of the active ids, and every id merged into
   * those.
   */
  private static RelNode withMergedIds(PlanContext ctx, String rawStage, String resolvedStage) {
    RelBuilder b = ctx.builder();
    String map = StandardModels.IDENTITY_MAP;
    RelNode raw = ctx.stage(rawStage).build();
    b.push(raw);
    ctx.ref(map);
    b.join(JoinRelType.LEFT, b.equals(b.field(2, 0, PlanContext.ACTIVE_USER_ID), b.field(2, 1, "heap_from_user_id")));
    b.project(
        b.alias(
            b.call(
                SqlStdOperatorTable.COALESCE,
                b.field("heap_to_user_id"),
                b.field(PlanContext.ACTIVE_USER_ID)),
            PlanContext.ACTIVE_USER_ID));
    RelNode resolved = ctx.stage(resolvedStage).build();
    ctx.ref(map);
    b.filter(
        RexSubQuery.in(resolved, ImmutableList.of(b.field("heap_to_user_id"))));
    b.project(b.alias(b.field("heap_from_user_id"), PlanContext.ACTIVE_USER_ID));
    b.push(raw).push(resolved);
    return b.union(false, 3).build();
  }

  /** Pushes the user ids of {@code table} with a row at or after the mark (all of them without a mark). */
  private static void activeIn(PlanContext ctx, RelNode since, String table, String userColumn) {
    RelBuilder b = ctx.builder();
    ctx.source(table);
    b.push(since);
    b.join(JoinRelType.INNER, b.literal(true));
    RexNode mark = b.field(SINCE);
    b.filter(b.or(b.isNull(mark), b.greaterThanOrEqual(b.field(ctx.column(table, "time")), mark)));
    b.project(b.alias(b.field(ctx.column(table, userColumn)), PlanContext.ACTIVE_USER_ID));
  }
}
