package io.heapsdk.model.standard;

import static io.heapsdk.model.standard.StandardModels.PAGEVIEWS_EPHEMERAL;
import static io.heapsdk.model.standard.StandardModels.PAGEVIEW_SESSIONS_FACT;

import io.heapsdk.model.Exprs;
import io.heapsdk.model.HeapProject;
import io.heapsdk.model.ModelBuilder;
import io.heapsdk.model.PlanContext;
import io.heapsdk.source.PassThroughColumn;
import io.heapsdk.source.SourceCatalog;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexWindowBounds;
import org.apache.calcite.sql.SqlAggFunction;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.tools.RelBuilder;

/**
 * {@code src_heap_pageviews_eph} and {@code stg_heap_pageview_sessions_inc_fct}: pageviews, deduped,
 * then sessionized by inactivity (SPEC §3).
 */
final class PageviewModels {
  /** Heap pageview columns carried into the facts, with their heap_* names. */
  private static final List<String[]> COLUMNS =
      List.of(
          new String[] {"event_id", "heap_pageview_id"},
          new String[] {"user_id", "heap_user_id"},
          new String[] {"session_id", "heap_session_id"},
          new String[] {"time", "heap_pageview_time"},
          new String[] {"domain", "heap_pageview_domain"},
          new String[] {"path", "heap_pageview_path"},
          new String[] {"query", "heap_pageview_query"},
          new String[] {"hash", "heap_pageview_hash"},
          new String[] {"title", "heap_pageview_title"},
          new String[] {"previous_page", "heap_pageview_previous_page"});

  private static final String PREVIOUS_TIME = "heap__previous_pageview_time";
  private static final String INDEX = "heap_pageview_session_index";
  /** The pageview id a row of per-session values belongs to, while both sides of the join are in scope. */
  private static final String SESSION_OF = "heap__session_of";

  private PageviewModels() {}

  static void define(HeapProject project) {
    project
        .model(PAGEVIEWS_EPHEMERAL)
        .ephemeral()
        .description("Heap's pageviews, renamed to the heap_* vocabulary, one row per event_id.")
        .plan(PageviewModels::ephemeral);
    ModelBuilder fact =
        project
            .model(PAGEVIEW_SESSIONS_FACT)
            .incremental("heap_pageview_id", "heap_pageview_time")
            // each row from a pageview: empty while pageviews is, as in a mobile-only project (Model#rowSource)
            .rowSource(SourceCatalog.PAGEVIEWS)
            .description(
                "A row for each pageview, sessionized by inactivity: a pageview more than the timeout after the"
                    + " user's previous one starts a new session.")
            .column("heap_pageview_id", "The unique id generated for each pageview")
            .column("heap_user_id", "The unique id generated for each user")
            .column("heap_session_id", "Heap's own session id of the pageview")
            .column("heap_pageview_time", "The timestamp of the pageview (UTC)")
            .column("heap_pageview_domain", "The domain of the page's URL")
            .column("heap_pageview_path", "The path of the page's URL")
            .column("heap_pageview_query", "The query of the page's URL")
            .column("heap_pageview_hash", "The hash of the page's URL")
            .column("heap_pageview_title", "The page's title tag")
            .column("heap_pageview_previous_page", "The URL the user was on before")
            .column("heap_pageview_session_id", "<user id>_<session index>; NULL when the pageview has no time")
            .column("heap_pageview_session_index", "1 for the user's first session, +1 at each new session")
            .column("heap_pageview_session_sequence_number", "1, 2, 3 ... within the session, by time then id")
            .column("heap_pageview_session_start_time", "Time of the session's first pageview")
            .column("heap_pageview_session_end_time", "Time of the session's last pageview")
            .column("heap_pageview_session_first_pageview_id", "Id of the session's first pageview")
            .column("heap_pageview_session_last_pageview_id", "Id of the session's last pageview")
            .column("heap_pageview_session_start_epoch", "Session start, whole seconds since 1970-01-01 UTC")
            .column("heap_pageview_session_end_epoch", "Session end, whole seconds since 1970-01-01 UTC");
    for (PassThroughColumn p : project.config().pageviewProperties()) {
      fact.column(p.name(), "custom pageview property (pass-through)");
    }
    fact.plan(PageviewModels::fact);
  }

  private static RelNode ephemeral(PlanContext ctx) {
    String t = SourceCatalog.PAGEVIEWS;
    RelBuilder b = ctx.sourceVersions(t, "event_id");
    Dedup.dropMissingKeys(ctx, t, "event_id");
    List<RexNode> projects = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (String[] c : COLUMNS) {
      projects.add(ctx.field(t, c[0]));
      names.add(c[1]);
    }
    for (PassThroughColumn p : ctx.config().pageviewProperties()) {
      projects.add(ctx.field(t, p.name()));
      names.add(p.name());
    }
    b.project(projects, names, true);
    IdentityModels.resolveUser(ctx, "heap_user_id");
    return Dedup.latestVersionPerKey(ctx, "pageviews_ranked", "heap_pageview_id", "heap_pageview_time", "heap_user_id").build();
  }

  /**
   * Sessionizes over the key columns only (id, user, time), then joins the wide pageview columns back
   * once by id. Each window pass sorts its rows: carrying the ten heap_* columns and the custom
   * properties through the three passes sorted every wide row three times, the greatest part of a
   * full build. The ephemeral pageviews are read twice (once per side of the join); an engine that
   * evaluates a CTE per reference gets them stored first ({@code Warehouse#evaluatesCtePerReference}).
   */
  private static RelNode fact(PlanContext ctx) {
    RelBuilder b = ctx.ref(PAGEVIEWS_EPHEMERAL);
    List<String> pageviewColumns = new ArrayList<>(b.peek().getRowType().getFieldNames());
    RexNode user = b.field("heap_user_id");
    RexNode time = b.field("heap_pageview_time");
    RexNode id = b.field("heap_pageview_id");

    // 1. the previous pageview's time; NULL times sort last so they never sit between two timed pageviews
    b.project(
        id,
        user,
        time,
        b.aggregateCall(SqlStdOperatorTable.LAG, time)
            .over()
            .partitionBy(user)
            .orderBy(b.nullsLast(time), id)
            .as(PREVIOUS_TIME));
    ctx.stage("pageviews_with_previous");

    // 2. a new session starts at the first pageview, or after a gap strictly greater than the timeout;
    //    comparing timestamps (not differences in seconds) keeps sub-second precision on every warehouse
    time = b.field("heap_pageview_time");
    RexNode previous = b.field(PREVIOUS_TIME);
    RexNode startsSession =
        b.or(
            b.isNull(previous),
            b.greaterThan(time, Exprs.addMinutes(b, previous, ctx.config().sessionTimeoutMinutes())));
    RexNode index =
        b.aggregateCall(SqlStdOperatorTable.COUNT, Exprs.countIfArgument(b, startsSession))
            .over()
            .partitionBy(b.field("heap_user_id"))
            .orderBy(b.nullsLast(time), b.field("heap_pageview_id"))
            .rowsFrom(RexWindowBounds.UNBOUNDED_PRECEDING)
            .rowsTo(RexWindowBounds.CURRENT_ROW)
            .toRex();
    b.project(
        List.of(b.field("heap_pageview_id"), b.field("heap_user_id"), time, Exprs.nullIf(b, b.isNull(time), index)),
        List.of("heap_pageview_id", "heap_user_id", "heap_pageview_time", INDEX),
        true);
    ctx.stage("pageviews_session_indexed");

    // 3. per-session values, over the whole session (the original's LAST_VALUE had no frame). One window
    //    (partition, order, frame) for all five, so an engine sorts the rows once: the start and end
    //    times are written as FIRST_VALUE / LAST_VALUE, in the others' window, rather than MIN / MAX;
    //    they are equal, since a session's pageviews all have a time and sort by it (untimed pageviews
    //    share the NULL index: their first and last time are NULL, as MIN and MAX). H2 evaluates each of
    //    the five on its own whatever the window (BENCHMARKS.md, "H2's five per-session values").
    user = b.field("heap_user_id");
    time = b.field("heap_pageview_time");
    id = b.field("heap_pageview_id");
    RexNode sessionIndex = b.field(INDEX);
    b.project(
        List.of(
            id,
            sessionIndex,
            b.aggregateCall(SqlStdOperatorTable.ROW_NUMBER)
                .over()
                .partitionBy(user, sessionIndex)
                .orderBy(b.nullsLast(time), id)
                .toRex(),
            wholeSession(b, SqlStdOperatorTable.FIRST_VALUE, time, user, sessionIndex, time, id),
            wholeSession(b, SqlStdOperatorTable.LAST_VALUE, time, user, sessionIndex, time, id),
            wholeSession(b, SqlStdOperatorTable.FIRST_VALUE, id, user, sessionIndex, time, id),
            wholeSession(b, SqlStdOperatorTable.LAST_VALUE, id, user, sessionIndex, time, id)),
        List.of(
            SESSION_OF,
            INDEX,
            "heap__session_sequence_number",
            "heap__session_start_time",
            "heap__session_end_time",
            "heap__session_first_pageview_id",
            "heap__session_last_pageview_id"),
        true);
    ctx.stage("pageviews_sessionized");

    // 4. the pageviews' own columns joined back by id (unique after the dedup: one row each)
    ctx.ref(PAGEVIEWS_EPHEMERAL);
    b.join(JoinRelType.INNER, b.equals(b.field(2, 0, SESSION_OF), b.field(2, 1, "heap_pageview_id")));

    // 5. the fact's columns; a pageview without time belongs to no session
    RexNode untimed = b.isNull(b.field("heap_pageview_time"));
    RexNode idx = b.field(INDEX);
    List<RexNode> out = new ArrayList<>();
    List<String> outNames = new ArrayList<>();
    int builtIn = COLUMNS.size();
    for (int i = 0; i < builtIn; i++) {
      out.add(b.field(pageviewColumns.get(i)));
      outNames.add(pageviewColumns.get(i));
    }
    out.add(
        Exprs.nullIf(
            b,
            b.isNull(idx),
            Exprs.concat(b, Exprs.asText(b, b.field("heap_user_id")), b.literal("_"), Exprs.asText(b, idx))));
    outNames.add("heap_pageview_session_id");
    out.add(idx);
    outNames.add(INDEX);
    out.add(Exprs.nullIf(b, untimed, b.field("heap__session_sequence_number")));
    outNames.add("heap_pageview_session_sequence_number");
    out.add(b.field("heap__session_start_time"));
    outNames.add("heap_pageview_session_start_time");
    out.add(b.field("heap__session_end_time"));
    outNames.add("heap_pageview_session_end_time");
    out.add(Exprs.nullIf(b, untimed, b.field("heap__session_first_pageview_id")));
    outNames.add("heap_pageview_session_first_pageview_id");
    out.add(Exprs.nullIf(b, untimed, b.field("heap__session_last_pageview_id")));
    outNames.add("heap_pageview_session_last_pageview_id");
    out.add(Exprs.epochSeconds(b, b.field("heap__session_start_time")));
    outNames.add("heap_pageview_session_start_epoch");
    out.add(Exprs.epochSeconds(b, b.field("heap__session_end_time")));
    outNames.add("heap_pageview_session_end_epoch");
    for (int i = builtIn; i < pageviewColumns.size(); i++) {
      out.add(b.field(pageviewColumns.get(i)));
      outNames.add(pageviewColumns.get(i));
    }
    return b.project(out, outNames, true).build();
  }

  /** {@code fn(value)} over the whole session, its rows in pageview order. */
  private static RexNode wholeSession(
      RelBuilder b, SqlAggFunction fn, RexNode value, RexNode user, RexNode session, RexNode time, RexNode id) {
    return b.aggregateCall(fn, value)
        .over()
        .partitionBy(user, session)
        .orderBy(b.nullsLast(time), id)
        .rowsFrom(RexWindowBounds.UNBOUNDED_PRECEDING)
        .rowsTo(RexWindowBounds.UNBOUNDED_FOLLOWING)
        .toRex();
  }
}
