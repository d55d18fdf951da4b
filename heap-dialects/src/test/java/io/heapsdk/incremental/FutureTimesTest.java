package io.heapsdk.incremental;

import static io.heapsdk.testing.Rows.event;
import static io.heapsdk.testing.Rows.pageview;
import static io.heapsdk.testing.Rows.session;
import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.run.RunResult;
import io.heapsdk.run.RunState;
import io.heapsdk.testing.LocalEngines;
import io.heapsdk.testing.StandardError;
import io.heapsdk.warehouse.BuildPlan;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A device whose clock is years ahead sends a session, a pageview and an event dated 2099, and Heap keeps
 * the time it was sent. The facts' newest time, and so the mark, was 2099 minus the lookback: every later
 * incremental run recomputed only users with rows after that, and the new rows of every other user never
 * reached the facts, exit 0 (a probe, on H2, DuckDB and PostgreSQL). The mark is now at most the run's
 * clock minus the lookback. Expected values: a full refresh of the same rows (SPEC §3's invariant); the
 * rows are dated from this machine's clock, as a live account's are.
 */
class FutureTimesTest {
  private static final HeapConfig CONFIG =
      HeapConfig.builder().funnelEvents(List.of("view", "purchase")).conversionEvents(List.of("purchase")).build();

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"h2", "duckdb", "postgres"})
  void aRowDatedInTheFutureDoesNotHideNewRows(String engine) throws Exception {
    LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
    try (TwinTargets db = new TwinTargets(CONFIG, LocalEngines.warehouse(engine), LocalEngines.open(engine, "heap_future"));
        StandardError err = StandardError.capture()) {
      // user 1's device is 73 years ahead; user 2 was here two days ago
      db.insert("sessions", session(1, 1, "2099-01-01T10:00:00", null, null, null, null), session(2, 2, iso(now.minusDays(2)), null, null, null, null));
      db.insert("pageviews", pageview(11, 1, 1, "2099-01-01T10:00:00", "/"), pageview(21, 2, 2, iso(now.minusDays(2)), "/"));
      db.insert("all_events", event(12, 1, 1, "2099-01-01T10:01:00", "view"), event(22, 2, 2, iso(now.minusDays(2).plusMinutes(1)), "view"));
      db.runIncremental();
      LocalDateTime mark = new RunState(db.warehouse, db.incremental, db.connection).lastSuccess().orElseThrow().nextMark().orElseThrow();
      assertThat(mark).as("the recorded mark").isBefore(now.minusDays(CONFIG.lateArrivalLookbackDays()).plusMinutes(5));
      assertThat(err.text()).contains("the facts' newest times are after this run's clock");

      // an hour ago: user 2 buys, and user 3 arrives
      db.insert("sessions", session(3, 3, iso(now.minusHours(1)), null, null, null, null));
      db.insert("pageviews", pageview(31, 3, 3, iso(now.minusHours(1)), "/"));
      db.insert("all_events", event(23, 2, 2, iso(now.minusMinutes(50)), "purchase"), event(32, 3, 3, iso(now.minusMinutes(59)), "purchase"));
      RunResult run = db.runIncremental();
      assertThat(run.mode()).isEqualTo(BuildPlan.Mode.INCREMENTAL);
      db.runFull();
      for (String fact : TwinTargets.FACTS) {
        assertThat(db.rows("inc", fact)).as(fact).isEqualTo(db.rows("full", fact)).hasSize(fact.contains("events") ? 4 : 3);
      }
    }
  }

  private static String iso(LocalDateTime t) {
    return t.toString();
  }
}
