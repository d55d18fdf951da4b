package io.heapsdk.incremental;

import static io.heapsdk.testing.Rows.event;
import static io.heapsdk.testing.Rows.pageview;
import static io.heapsdk.testing.Rows.session;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.run.JdbcRunner;
import io.heapsdk.run.RunCancel;
import io.heapsdk.warehouse.BuildPlan;
import io.heapsdk.warehouse.Warehouses;
import java.util.List;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.tools.RelBuilder;
import org.junit.jupiter.api.Test;

/**
 * A user's own incremental model that joins two standard facts is built incrementally like them: its
 * incremental query reads both facts' recomputed rows, and its table ends equal to a full refresh.
 */
class UserIncrementalModelTest {
  private static final String MODEL = "converting_events";

  static HeapProject project(HeapConfig config) {
    HeapProject p = HeapProject.standard(config);
    p.model(MODEL)
        .incremental("heap_event_id", "heap_event_time")
        .description("Events of converting sessions, with the session's channel")
        .plan(
            ctx -> {
              RelBuilder b = ctx.builder();
              ctx.ref("stg_heap_events_all_inc_fct");
              ctx.ref("stg_heap_sessions_inc_fct");
              b.join(JoinRelType.INNER, b.equals(b.field(2, 0, "heap_session_id"), b.field(2, 1, "heap_session_id")));
              b.filter(b.field("heap_session_is_conversion"));
              return b.project(
                      b.field(0), b.alias(b.field(1), "heap_user_id"), b.field("heap_event_name"), b.field("heap_event_time"),
                      b.field("heap_session_defined_channel_attribution"))
                  .build();
            });
    return p;
  }

  @Test
  void incrementalEqualsFullRefresh() throws Exception {
    HeapConfig config = HeapConfig.builder().conversionEvents(List.of("buy")).build();
    try (TwinTargets db = new TwinTargets(config)) {
      db.insert("sessions", session(100, 1, "2024-01-10T10:00:00", null, null, null, null));
      db.insert("all_events", event(1, 1, 100, "2024-01-10T10:00:00", "view"), event(2, 1, 100, "2024-01-10T10:05:00", "buy"));
      JdbcRunner runner = new JdbcRunner(Warehouses.H2);
      runner.run(project(db.incremental).plan(), db.connection);
      db.insert("sessions", session(200, 2, "2024-01-11T10:00:00", "https://bing.com", null, null, null));
      db.insert("all_events", event(3, 2, 200, "2024-01-11T10:00:00", "buy"), event(4, 1, 100, "2024-01-10T10:07:00", "view"));
      assertThat(runner.run(project(db.incremental).plan(), db.connection).mode()).isEqualTo(BuildPlan.Mode.INCREMENTAL);
      runner.run(project(db.full).plan(), db.connection, true);
      assertThat(db.rows("inc", MODEL)).hasSize(4).isEqualTo(db.rows("full", MODEL));
    }
  }

  /**
   * Runs of two model sets on one schema (an application version without the user's model between two
   * with it: a rolling deploy, a rollback): the model's next run takes its mark from the run that last
   * built it. It took the last run's, past the rows it never merged, and lost them with exit 0.
   */
  @Test
  void aModelSkippedByAnotherModelSetsRunsCatchesUp() throws Exception {
    HeapConfig config = HeapConfig.builder().conversionEvents(List.of("buy")).build();
    try (TwinTargets db = new TwinTargets(config)) {
      db.insert("sessions", session(100, 1, "2024-01-10T10:00:00", null, null, null, null));
      db.insert("pageviews", pageview(1, 1, 100, "2024-01-10T10:00:00", "/"));
      db.insert("all_events", event(1, 1, 100, "2024-01-10T10:00:00", "view"), event(2, 1, 100, "2024-01-10T10:05:00", "buy"));
      JdbcRunner runner = new JdbcRunner(Warehouses.H2);
      runner.run(project(db.incremental).plan(), db.connection);
      // ten daily runs of the standard models alone: their mark moves well past the 3-day lookback
      for (int day = 11; day <= 20; day++) {
        long user = day;
        db.insert("sessions", session(user * 100, user, "2024-01-" + day + "T10:00:00", null, null, null, null));
        db.insert("pageviews", pageview(user * 10, user, user * 100, "2024-01-" + day + "T10:00:00", "/"));
        db.insert("all_events", event(user * 10, user, user * 100, "2024-01-" + day + "T10:00:00", "view"),
            event(user * 10 + 1, user, user * 100, "2024-01-" + day + "T10:01:00", "buy"));
        runner.run(HeapProject.standard(db.incremental).plan(), db.connection);
      }
      JdbcRunner.RunPlan next = runner.prepare(project(db.incremental).plan(), db.connection, false);
      assertThat(next.decisions())
          .filteredOn(d -> d.model().equals(MODEL))
          .singleElement()
          .satisfies(d -> assertThat(d.full()).as(d.reason()).isFalse())
          .satisfies(d -> assertThat(d.reason()).contains(MODEL + " was last built by run ", "did not build it: the mark is no later than"));
      assertThat(runner.run(project(db.incremental).plan(), db.connection).mode()).isEqualTo(BuildPlan.Mode.INCREMENTAL);
      runner.run(project(db.full).plan(), db.connection, true);
      // user 1's two events and each later day's two
      assertThat(db.rows("inc", MODEL)).hasSize(2 + 2 * 10).isEqualTo(db.rows("full", MODEL));
    }
  }

  /**
   * A full refresh stopped after its first fact's swap: that fact holds the refresh, the facts after it
   * do not. The next run rebuilds it in full, and so everything downstream of it, rather than merging
   * the facts the refresh never reached as if it had.
   */
  @Test
  void factsAFailedFullRefreshDidNotReachAreRebuiltByTheNextRun() throws Exception {
    HeapConfig config = HeapConfig.builder().conversionEvents(List.of("buy")).build();
    try (TwinTargets db = new TwinTargets(config)) {
      db.insert("sessions", session(100, 1, "2024-01-10T10:00:00", null, null, null, null),
          session(200, 2, "2024-01-20T10:00:00", null, null, null, null));
      db.insert("pageviews", pageview(1, 1, 100, "2024-01-10T10:00:00", "/"), pageview(3, 2, 200, "2024-01-20T10:00:00", "/"));
      db.insert("all_events", event(1, 1, 100, "2024-01-10T10:00:00", "view"), event(2, 1, 100, "2024-01-10T10:05:00", "buy"),
          event(3, 2, 200, "2024-01-20T10:00:00", "view"), event(4, 2, 200, "2024-01-20T10:01:00", "buy"));
      JdbcRunner runner = new JdbcRunner(Warehouses.H2);
      runner.run(project(db.incremental).plan(), db.connection);
      // Heap relabels user 1's old purchase, behind the mark (January 17th): what a full refresh is for
      db.execute("UPDATE " + ReconcileTest.source(db, "all_events") + " SET " + db.warehouse.quote("event_table_name")
          + " = 'view' WHERE " + db.warehouse.quote("event_id") + " = 2");
      // a full refresh cancelled as it reaches the sessions fact, after the events fact's swap
      RunCancel cancel = new RunCancel();
      JdbcRunner stopping =
          new JdbcRunner(Warehouses.H2)
              .cancelledBy(cancel)
              .withProgress((n, of, phase, model, elapsed) -> {
                if (model.equals("stg_heap_sessions_inc_fct")) {
                  cancel.cancel("stopped by the test");
                }
              });
      assertThatThrownBy(() -> stopping.run(project(db.incremental).plan(), db.connection, true)).hasMessageContaining("cancelled");
      assertThat(db.rows("inc", "stg_heap_events_all_inc_fct").toString()).as("the events fact holds the refresh").containsOnlyOnce("buy");
      JdbcRunner.RunPlan next = runner.prepare(project(db.incremental).plan(), db.connection, false);
      assertThat(next.decisions()).allSatisfy(d -> assertThat(d.full()).as(d.model() + ": " + d.reason()).isTrue());
      runner.run(project(db.incremental).plan(), db.connection);
      runner.run(project(db.full).plan(), db.connection, true);
      for (String fact : List.of("stg_heap_events_all_inc_fct", "stg_heap_sessions_inc_fct", MODEL)) {
        assertThat(db.rows("inc", fact)).as(fact).isEqualTo(db.rows("full", fact));
      }
    }
  }
}
