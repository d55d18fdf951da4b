package io.heapsdk.incremental;

import static io.heapsdk.testing.Rows.event;
import static io.heapsdk.testing.Rows.pageview;
import static io.heapsdk.testing.Rows.session;
import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.run.JdbcRunner;
import io.heapsdk.run.RunResult;
import io.heapsdk.run.RunState;
import io.heapsdk.testing.LocalEngines;
import io.heapsdk.warehouse.BuildPlan;
import io.heapsdk.warehouse.SqlRenderer;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.calcite.tools.RelBuilder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The high-water mark when a fact is empty.
 *
 * <p>A fact with no time gives no mark: every user is active, with rows of any time. On H2 and
 * PostgreSQL the active users compare a source's time with the mark in two branches ({@code
 * MarkComparisonSplit}: {@code time > since}, and the no-mark case on its own); without the second,
 * {@code time > NULL} would make no user active and the run would change nothing.
 *
 * <p>Except a standard fact whose own Heap table is empty too ({@code Model.rowSource}): a project
 * without pageviews (a mobile app's) used to recompute every user on every run, since its pageview
 * sessions fact never has a time.
 */
class NoMarkTest {
  private static final String PAGEVIEW_FACT = "stg_heap_pageview_sessions_inc_fct";
  private static final HeapConfig CONFIG =
      HeapConfig.builder().funnelEvents(List.of("a", "b")).conversionEvents(List.of("b")).build();

  /**
   * A project of purchases that has had none: its own fact over the events fact, empty until the first
   * purchase, and whose emptiness its author cannot tie to a Heap table (no {@code rowSource}).
   */
  private static HeapProject withPurchases(HeapConfig config) {
    HeapProject p = HeapProject.standard(config);
    p.model("purchases")
        .incremental("heap_event_id", "heap_event_time")
        .plan(
            ctx -> {
              RelBuilder b = ctx.builder();
              ctx.ref("stg_heap_events_all_inc_fct");
              b.filter(b.equals(b.field("heap_event_name"), b.literal("purchase")));
              return b.project(b.field("heap_event_id"), b.field("heap_user_id"), b.field("heap_event_time")).build();
            });
    return p;
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"h2", "postgres", "duckdb"})
  void aRunWithoutAMarkRecomputesEveryUser(String engine) throws Exception {
    try (TwinTargets db = new TwinTargets(CONFIG, LocalEngines.warehouse(engine), LocalEngines.open(engine, "heap_no_mark"))) {
      JdbcRunner runner = new JdbcRunner(db.warehouse);
      db.insert("sessions", session(100, 1, "2024-03-01T09:00:00", null, null, null, null),
          session(200, 2, "2024-03-10T09:00:00", null, null, null, null));
      db.insert("pageviews", pageview(11, 1, 100, "2024-03-01T09:00:00", "/"), pageview(21, 2, 200, "2024-03-10T09:00:00", "/"));
      db.insert("all_events", event(1, 1, 100, "2024-03-01T09:00:00", "a"), event(2, 2, 200, "2024-03-10T09:00:00", "a"));
      assertThat(runner.run(withPurchases(db.incremental).plan(), db.connection).mode()).isEqualTo(BuildPlan.Mode.FULL_REFRESH);

      // an event nine days older than any mark the facts would give: only a run without a mark sees it
      db.insert("all_events", event(3, 1, 100, "2024-03-01T09:05:00", "b"));
      JdbcRunner.RunPlan next = runner.prepare(withPurchases(db.incremental).plan(), db.connection, false);
      assertThat(next.decisions())
          .filteredOn(d -> d.model().equals("stg_heap_events_all_inc_fct"))
          .singleElement()
          .satisfies(d -> assertThat(d.full()).isFalse())
          .satisfies(d -> assertThat(d.reason()).contains("recorded no high-water mark").contains("every user is recomputed"));
      RunResult run = runner.run(withPurchases(db.incremental).plan(), db.connection);
      assertThat(run.mode()).isEqualTo(BuildPlan.Mode.INCREMENTAL);
      assertThat(run.recomputedUsers()).hasValue(2);
      db.runFull();
      for (String fact : TwinTargets.FACTS) {
        assertThat(db.rows("inc", fact)).as(fact).isEqualTo(db.rows("full", fact));
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"h2", "postgres", "duckdb"})
  void aProjectWithoutPageviewsRecomputesOnlyItsActiveUsers(String engine) throws Exception {
    try (TwinTargets db = new TwinTargets(CONFIG, LocalEngines.warehouse(engine), LocalEngines.open(engine, "heap_no_pageviews"))) {
      // a mobile app: sessions and events, no pageview ever; the pageview sessions fact is built empty
      db.insert("sessions", session(100, 1, "2024-03-01T09:00:00", null, null, null, null),
          session(200, 2, "2024-03-10T09:00:00", null, null, null, null));
      db.insert("all_events", event(1, 1, 100, "2024-03-01T09:00:00", "a"), event(2, 2, 200, "2024-03-10T09:00:00", "a"));
      assertThat(db.runIncremental().mode()).isEqualTo(BuildPlan.Mode.FULL_REFRESH);

      // user 2's next event: the mark is the other facts' (2024-03-10 minus 3 days), so user 1 is not active
      db.insert("all_events", event(3, 2, 200, "2024-03-10T09:05:00", "b"));
      RunResult run = db.runIncremental();
      assertThat(run.mode()).isEqualTo(BuildPlan.Mode.INCREMENTAL);
      assertThat(run.recomputedUsers()).as("users recomputed (every user, before)").isEqualTo(OptionalLong.of(1));
      // the compiled script's own mark query (a host running the SQL itself) gives the mark the run recorded:
      // the sessions fact's newest start, 2024-03-10 09:00, minus 3 days
      assertThat(scriptMark(db)).isEqualTo(recordedMark(db)).hasValue(LocalDateTime.parse("2024-03-07T09:00:00"));
      db.runFull();
      for (String fact : TwinTargets.FACTS) {
        assertThat(db.rows("inc", fact)).as(fact).isEqualTo(db.rows("full", fact));
      }

      // web tracking turned on, its first pageviews back-filled: user 1's is older than the mark, which the
      // empty fact had no say in, so what reads pageviews is rebuilt in full, once
      db.insert("pageviews", pageview(11, 1, 100, "2024-03-01T09:00:00", "/"), pageview(22, 2, 200, "2024-03-10T09:05:00", "/"));
      // the script, which has no run state, has no mark now: its run recomputes every user
      assertThat(scriptMark(db)).isEmpty();
      JdbcRunner.RunPlan next = new JdbcRunner(db.warehouse).prepare(HeapProject.standard(db.incremental).plan(), db.connection, false);
      assertThat(next.decisions())
          .filteredOn(d -> d.model().equals(PAGEVIEW_FACT))
          .singleElement()
          .satisfies(d -> assertThat(d.full()).isTrue())
          .satisfies(d -> assertThat(d.reason()).contains("(source.tables.pageviews), which had no rows at run ").contains(" and has rows now"));
      assertThat(next.decisions())
          .filteredOn(d -> d.model().equals("stg_heap_events_all_inc_fct"))
          .singleElement()
          .satisfies(d -> assertThat(d.full()).isFalse());
      db.runIncremental();
      db.runFull();
      assertThat(db.rows("inc", PAGEVIEW_FACT)).hasSize(2);
      for (String fact : TwinTargets.FACTS) {
        assertThat(db.rows("inc", fact)).as(fact).isEqualTo(db.rows("full", fact));
      }

      // and from then on incremental, with the pageview fact's mark
      db.insert("pageviews", pageview(23, 2, 200, "2024-03-10T09:10:00", "/next"));
      RunResult after = db.runIncremental();
      assertThat(after.mode()).isEqualTo(BuildPlan.Mode.INCREMENTAL);
      assertThat(after.recomputedUsers()).hasValue(1);
      assertThat(scriptMark(db)).isEqualTo(recordedMark(db)).hasValue(LocalDateTime.parse("2024-03-07T09:00:00"));
      db.runFull();
      for (String fact : TwinTargets.FACTS) {
        assertThat(db.rows("inc", fact)).as(fact).isEqualTo(db.rows("full", fact));
      }
    }
  }

  /** The mark the last successful run recorded for the next one. */
  private static Optional<LocalDateTime> recordedMark(TwinTargets db) {
    return new RunState(db.warehouse, db.incremental, db.connection).lastSuccess().orElseThrow().nextMark();
  }

  /** The mark of the compiled script's query ({@link SqlRenderer#highWaterMarkSelect}), over the facts as they stand. */
  private static Optional<LocalDateTime> scriptMark(TwinTargets db) throws Exception {
    try (Statement s = db.connection.createStatement();
        ResultSet rs = s.executeQuery(new SqlRenderer(db.warehouse, HeapProject.standard(db.incremental).plan()).highWaterMarkSelect())) {
      assertThat(rs.next()).isTrue();
      return Optional.ofNullable(rs.getObject(1, LocalDateTime.class));
    }
  }
}
