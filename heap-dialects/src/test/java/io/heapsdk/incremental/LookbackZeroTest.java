package io.heapsdk.incremental;

import static io.heapsdk.testing.Rows.event;
import static io.heapsdk.testing.Rows.pageview;
import static io.heapsdk.testing.Rows.session;
import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.run.RunResult;
import io.heapsdk.testing.LocalEngines;
import io.heapsdk.warehouse.BuildPlan;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code incremental.late_arrival_lookback_days: 0}: the mark is the facts' newest time itself, and a row
 * that arrives later with that very time (a second event in the same second as the last one built, a
 * session starting as the last one did) must still reach the facts. The active users take the rows at or
 * after the mark; with "after" only, these rows were never picked up, exit 0, until a full refresh (found
 * by an independent implementation of the models, on H2 and DuckDB). The count of rows behind the mark
 * takes those before it, so it does not warn of rows the run saw.
 */
class LookbackZeroTest {
  private static final HeapConfig CONFIG =
      HeapConfig.builder()
          .funnelEvents(List.of("a", "b"))
          .conversionEvents(List.of("b"))
          .lateArrivalLookbackDays(0)
          .countRowsBehindMark(true)
          .build();

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"h2", "postgres", "duckdb"})
  void rowsAtTheNewestTimeAlreadyBuiltArePickedUp(String engine) throws Exception {
    String newest = "2024-03-10T09:00:00";
    try (TwinTargets db = new TwinTargets(CONFIG, LocalEngines.warehouse(engine), LocalEngines.open(engine, "heap_lookback_zero"))) {
      db.insert("sessions", session(100, 1, "2024-03-01T09:00:00", null, null, null, null), session(200, 2, newest, null, null, null, null));
      db.insert("pageviews", pageview(11, 1, 100, "2024-03-01T09:00:00", "/"), pageview(21, 2, 200, newest, "/"));
      db.insert("all_events", event(1, 1, 100, "2024-03-01T09:00:00", "a"), event(2, 2, 200, newest, "a"));
      assertThat(db.runIncremental().mode()).isEqualTo(BuildPlan.Mode.FULL_REFRESH);

      // every fact's newest time is `newest`, so is the mark; each new row has that time: an event and a
      // pageview of user 2, a new user 3's session, pageview and conversion
      db.insert("all_events", event(3, 2, 200, newest, "b"), event(4, 3, 300, newest, "b"));
      db.insert("pageviews", pageview(22, 2, 200, newest, "/next"), pageview(31, 3, 300, newest, "/"));
      db.insert("sessions", session(300, 3, newest, null, null, null, null));
      RunResult run = db.runIncremental();
      assertThat(run.mode()).isEqualTo(BuildPlan.Mode.INCREMENTAL);
      // users 2 and 3 have rows at the mark; user 1's are all older
      assertThat(run.recomputedUsers()).hasValue(2);
      // and, seen, they are not among the rows behind the mark the run warns of
      assertThat(run.warnings()).isEmpty();
      db.runFull();
      assertThat(db.rows("inc", "stg_heap_events_all_inc_fct")).hasSize(4);
      for (String fact : TwinTargets.FACTS) {
        assertThat(db.rows("inc", fact)).as(fact).isEqualTo(db.rows("full", fact));
      }
    }
  }
}
