package io.heapsdk.incremental;

import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.run.JdbcRunner;
import io.heapsdk.run.RunState;
import io.heapsdk.testing.Rows;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A changed {@code incremental.late_arrival_lookback_days} applies from the first run after the change.
 * The mark a run records has its own lookback subtracted already; the run after a raise from 2 to 9 days
 * moves it back by the 7 days more (from what {@code heap__run_settings} says the mark was taken with),
 * so events up to 9 days late that arrived since are picked up at once: the facts equal a full refresh.
 * Each history gets, besides its random batches, a user whose only rows are 3 days older than the
 * recorded mark (late rows of a user with fresh rows are recomputed whatever the mark). A control schema keeping the old lookback
 * misses that user: without the move the first run after the change recomputed from the old mark, and
 * the test fails (checked by removing it).
 */
class LookbackChangeTest {
  private static final HeapConfig OLD =
      HeapConfig.builder().funnelEvents(List.of("a", "b", "c")).conversionEvents(List.of("b")).lateArrivalLookbackDays(2).build();
  private static final int SEEDS = 4;
  private static final HeapConfig RAISED = HeapConfig.builder().from(OLD).lateArrivalLookbackDays(9).build();

  @Test
  void aRaisedLookbackCoversTheLateRowsOfTheFirstRunAfterIt() throws Exception {
    int missedByTheOldLookback = 0;
    for (long seed = 1; seed <= SEEDS; seed++) {
      try (TwinTargets db = new TwinTargets(OLD)) {
        // late rows up to 9 days behind
        RandomHistory history = new RandomHistory(seed, false, 9);
        history.addBatch(db, 0);
        db.runIncremental(OLD);
        control(db, OLD);
        history.addBatch(db, 1);
        lateOnlyUser(db, 3);

        JdbcRunner.RunPlan planned = new JdbcRunner(db.warehouse).prepare(HeapProject.standard(TwinTargets.inc(RAISED)).plan(), db.connection, false);
        assertThat(planned.decisions())
            .filteredOn(d -> TwinTargets.FACTS.contains(d.model()))
            .allSatisfy(
                d -> assertThat(d.reason())
                    .contains("incremental.late_arrival_lookback_days changed from 2 to 9 since run " + planned.markFromRun().orElseThrow()));
        db.runIncremental(RAISED);
        control(db, OLD);
        db.runFull(RAISED);
        boolean missed = false;
        for (String fact : TwinTargets.FACTS) {
          assertThat(db.rows("inc", fact)).as("seed %d: %s", seed, fact).isEqualTo(db.rows("full", fact));
          missed |= !db.rows("ctl", fact).equals(db.rows("full", fact));
        }
        missedByTheOldLookback += missed ? 1 : 0;
      }
    }
    assertThat(missedByTheOldLookback).as("histories whose late rows the old lookback missed").isEqualTo(SEEDS);
  }

  /**
   * A new user whose session, pageview and event are {@code days} days older than the mark the last run
   * recorded (with the old lookback of 2 days: inside the raised one of 9).
   */
  private static void lateOnlyUser(TwinTargets db, int days) {
    LocalDateTime mark = new RunState(db.warehouse, TwinTargets.inc(OLD), db.connection).lastSuccess().orElseThrow().nextMark().orElseThrow();
    String t = mark.minusDays(days).toString();
    db.insert("sessions", Rows.session(900_001L, 9_001L, t, "https://www.google.com/", null, null, null));
    db.insert("pageviews", Rows.pageview(900_002L, 9_001L, 900_001L, t, "/late"));
    db.insert("all_events", Rows.event(900_002L, 9_001L, 900_001L, t, "pageviews"), Rows.event(900_003L, 9_001L, 900_001L, t, "b"));
  }

  /** An incremental run of {@code config} on schema CTL, which keeps the old lookback throughout. */
  private static void control(TwinTargets db, HeapConfig config) {
    new JdbcRunner(db.warehouse).run(HeapProject.standard(HeapConfig.builder().from(config).targetSchema("ctl").build()).plan(), db.connection);
  }
}
