package io.heapsdk.incremental;

import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.run.JdbcRunner;
import io.heapsdk.run.RunResult;
import io.heapsdk.testing.LocalEngines;
import io.heapsdk.testing.Rows;
import io.heapsdk.warehouse.BuildPlan;
import io.heapsdk.warehouse.Warehouse;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Source rows that arrive with a time behind the mark (a re-sync of old events, a backfill, a batch later
 * than the lookback) are invisible to an incremental run, and were silently: the facts missed them until
 * a reconciling run or a full refresh. A runner asked to ({@code JdbcRunner.countingRowsBehindMark()})
 * now counts each source's distinct ids before its
 * mark (merges with a target only), compares with the count the run that recorded the mark took, and says how many arrived or went
 * ({@code RunResult.warnings()}, logged at WARN); an identical re-sync of a row already there is no new
 * id. The counts are written by hand from the rows below.
 */
class RowsBehindMarkTest {
  private static final HeapConfig BASE =
      HeapConfig.builder().funnelEvents(List.of("a", "b", "c")).conversionEvents(List.of("b")).ownDomain("example.com").build();

  /** A run on schema INC by a runner that counts behind the mark (off by default). */
  private static RunResult run(TwinTargets db, HeapConfig config) {
    return new JdbcRunner(db.warehouse).countingRowsBehindMark().run(HeapProject.standard(TwinTargets.inc(config)).plan(), db.connection);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"h2", "postgres", "duckdb"})
  void rowsThatArriveOrGoBehindTheMarkAreSaidOnce(String engine) throws Exception {
    Warehouse w = LocalEngines.warehouse(engine);
    try (TwinTargets db = new TwinTargets(BASE, w, LocalEngines.open(engine, "heap_rows_behind_mark"))) {
      // users 1 and 2 on March 1st, user 2 again on March 10th: the mark is March 10th 10:00 minus three days
      db.insert("sessions", Rows.session(100, 1, "2024-03-01T09:00:00", null, null, null, null),
          Rows.session(200, 2, "2024-03-01T10:00:00", null, null, null, null));
      db.insert("pageviews", Rows.pageview(1, 1, 100, "2024-03-01T09:00:00", "/"), Rows.pageview(3, 2, 200, "2024-03-01T10:00:00", "/"));
      db.insert("all_events", Rows.event(1, 1, 100, "2024-03-01T09:00:00", "pageviews"),
          Rows.event(3, 2, 200, "2024-03-01T10:00:00", "pageviews"));
      assertThat(run(db, BASE).warnings()).as("a first run counts, compares nothing").isEmpty();
      db.insert("sessions", Rows.session(201, 2, "2024-03-10T10:00:00", null, null, null, null));
      db.insert("pageviews", Rows.pageview(5, 2, 201, "2024-03-10T10:00:00", "/"));
      db.insert("all_events", Rows.event(5, 2, 201, "2024-03-10T10:00:00", "pageviews"));
      RunResult second = run(db, BASE);
      assertThat(second.mode()).isEqualTo(BuildPlan.Mode.INCREMENTAL);
      // the first run's mark was March 1st 10:00 minus three days: nothing lay behind it, nothing arrived there
      assertThat(second.warnings()).isEmpty();
      // new rows after the mark: seen by the run, no warning
      db.insert("all_events", Rows.event(7, 2, 201, "2024-03-10T10:05:00", "a"));
      assertThat(run(db, BASE).warnings()).isEmpty();

      // Heap re-syncing rows it sent before, identical, with their old times: the facts keep one version of
      // each id, so nothing is missing and nothing is said
      db.insert("all_events", Rows.event(1, 1, 100, "2024-03-01T09:00:00", "pageviews"));
      db.insert("pageviews", Rows.pageview(3, 2, 200, "2024-03-01T10:00:00", "/"));
      assertThat(run(db, BASE).warnings()).isEmpty();

      // a re-sync three weeks late: two events of user 1 dated March 1st, behind the mark: the oldest of the
      // facts' newest times (the pageview and sessions facts' March 10th 10:00; the events fact's is 10:05)
      // minus three days
      db.insert("all_events", Rows.event(6, 1, 100, "2024-03-01T09:07:00", "b"), Rows.event(8, 1, 100, "2024-03-01T09:08:00", "c"));
      RunResult late = run(db, BASE);
      assertThat(late.warnings()).hasSize(1);
      assertThat(late.warnings().get(0))
          .startsWith("all_events: 2 rows with a time before the mark 2024-03-07T10:00 arrived since run ")
          .endsWith(" counted them; an incremental run does not see them, so the facts miss them until a reconciling run"
              + " (heap run --reconcile, incremental.reconcile: true) or a full refresh");
      // they are in the count now: said once
      assertThat(run(db, BASE).warnings()).isEmpty();

      // a deleted old pageview: the facts keep it
      db.execute("DELETE FROM " + w.table(Optional.empty(), "main_production", "pageviews").qualified() + " WHERE " + w.quote("event_id") + " = 1");
      assertThat(run(db, BASE).warnings())
          .singleElement()
          .asString()
          .startsWith("pageviews: 1 row with a time before the mark 2024-03-07T10:00 went since run ")
          .contains("an incremental run does not see that they went, so the facts keep them");

      // a merge without a target dated behind the mark merges nothing (the identity map drops it): nothing
      // to say; a real merge behind the mark is said
      db.insert("user_migrations", new Object[] {1L, null, Rows.at("2024-03-01T09:30")});
      assertThat(run(db, BASE).warnings()).isEmpty();
      db.insert("user_migrations", new Object[] {5L, 1L, Rows.at("2024-03-01T09:30")});
      assertThat(run(db, BASE).warnings())
          .singleElement()
          .asString()
          .startsWith("user_migrations: 1 row with a time before the mark 2024-03-07T10:00 arrived since run ");

      // a reconciling run takes such rows in: it neither counts behind its mark nor warns
      db.insert("all_events", Rows.event(9, 1, 100, "2024-03-01T09:09:00", "a"));
      assertThat(run(db, HeapConfig.builder().from(BASE).reconcile(true).build()).warnings()).isEmpty();
    }
  }

  /**
   * The config's {@code incremental.count_rows_behind_mark: true} turns the count on for a runner that
   * was not asked to (the CLI's); without it such a runner says nothing of the same late rows.
   */
  @ParameterizedTest(name = "count_rows_behind_mark: {0}")
  @ValueSource(booleans = {true, false})
  void theConfigTurnsTheCountOn(boolean count) throws Exception {
    HeapConfig config = HeapConfig.builder().from(BASE).countRowsBehindMark(count).build();
    try (TwinTargets db = new TwinTargets(config, LocalEngines.warehouse("h2"), LocalEngines.open("h2", "heap_rows_behind_mark_config"))) {
      JdbcRunner plain = new JdbcRunner(db.warehouse);
      db.insert("sessions", Rows.session(100, 1, "2024-03-01T09:00:00", null, null, null, null),
          Rows.session(200, 2, "2024-03-10T10:00:00", null, null, null, null));
      db.insert("pageviews", Rows.pageview(1, 1, 100, "2024-03-01T09:00:00", "/"), Rows.pageview(3, 2, 200, "2024-03-10T10:00:00", "/"));
      db.insert("all_events", Rows.event(1, 1, 100, "2024-03-01T09:00:00", "pageviews"),
          Rows.event(3, 2, 200, "2024-03-10T10:00:00", "pageviews"));
      assertThat(plain.run(HeapProject.standard(TwinTargets.inc(config)).plan(), db.connection).warnings()).isEmpty();
      // one event of user 1 re-synced late, on March 1st: behind the mark, March 10th 10:00 minus three days
      db.insert("all_events", Rows.event(6, 1, 100, "2024-03-01T09:07:00", "b"));
      List<String> warnings = plain.run(HeapProject.standard(TwinTargets.inc(config)).plan(), db.connection).warnings();
      if (count) {
        assertThat(warnings).singleElement().asString().startsWith("all_events: 1 row with a time before the mark 2024-03-07T10:00 arrived");
      } else {
        assertThat(warnings).isEmpty();
      }
    }
  }
}
