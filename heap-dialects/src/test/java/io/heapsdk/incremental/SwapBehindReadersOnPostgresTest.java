package io.heapsdk.incremental;

import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.run.JdbcRunner;
import io.heapsdk.run.RunState;
import io.heapsdk.testing.PostgresServer;
import io.heapsdk.testing.StandardError;
import io.heapsdk.warehouse.Warehouse;
import io.heapsdk.warehouse.Warehouses;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A full build's swap on PostgreSQL while a dashboard's transaction has read the fact: the swap needs an
 * {@code ACCESS EXCLUSIVE} lock, and a request waiting for it heads PostgreSQL's lock queue, where every
 * later reader of the table waits behind it. Each try of the swap now waits at most 2 s ({@code SET LOCAL
 * lock_timeout}), rolls back and tries again, and the run says whom it waits for: a new reader gets
 * through meanwhile, and the swap succeeds once the dashboard's transaction ends. Before, the new reader
 * waited as long as the dashboard's transaction (a probe: a plain count 10.8 s), and the run said nothing.
 */
class SwapBehindReadersOnPostgresTest {
  private static final HeapConfig CONFIG =
      HeapConfig.builder().funnelEvents(List.of("a", "b", "c")).conversionEvents(List.of("b")).ownDomain("example.com").build();

  @Test
  void aSwapWaitingForAReaderDoesNotHoldUpTheReadersAfterIt() throws Exception {
    Warehouse w = Warehouses.POSTGRES;
    Connection setup = PostgresServer.get().newDatabase("heap_swap_queue");
    String url = setup.getMetaData().getURL();
    try (TwinTargets db = new TwinTargets(CONFIG, w, setup)) {
      new RandomHistory(21L, false, CONFIG.lateArrivalLookbackDays()).addBatch(db, 0);
      db.runIncremental();
      HeapConfig inc = TwinTargets.inc(CONFIG);
      String fact = w.table(inc.targetDatabase(), inc.targetSchema(), "stg_heap_events_all_inc_fct").qualified();
      try (Connection dashboard = DriverManager.getConnection(url);
          Connection later = DriverManager.getConnection(url);
          Connection run = DriverManager.getConnection(url);
          StandardError err = StandardError.capture()) {
        int dashboardPid = readInAnOpenTransaction(dashboard, fact);
        CompletableFuture<?> fullBuild =
            CompletableFuture.runAsync(() -> new JdbcRunner(w).run(HeapProject.standard(inc).plan(), run, true), task -> new Thread(task).start());
        for (int i = 0; i < 600 && !err.text().contains("the swap of model stg_heap_events_all_inc_fct waits"); i++) {
          Thread.sleep(100);
        }
        assertThat(err.text())
            .as("the run says whom its swap waits for")
            .contains("the swap of model stg_heap_events_all_inc_fct waits for other sessions' locks (on " + fact + ": pid " + dashboardPid + " (");
        // a reader that comes now gets through, where it queued behind the waiting swap for as long as the
        // dashboard's transaction lasted: here, without the fix, until the statement timeout
        try (Statement s = later.createStatement()) {
          s.execute("SET statement_timeout = '10s'");
          for (int i = 0; i < 3; i++) {
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + fact)) {
              assertThat(rs.next()).isTrue();
            }
          }
        }
        assertThat(fullBuild).as("the swap still waits for the dashboard").isNotDone();
        dashboard.commit();
        fullBuild.get(120, TimeUnit.SECONDS);
        assertThat(err.text()).contains("swapped in model stg_heap_events_all_inc_fct on try ");
      }
      assertThat(new RunState(w, inc, db.connection).runs(1).get(0).status()).isEqualTo("succeeded");
      db.runFull();
      for (String f : TwinTargets.FACTS) {
        assertThat(db.rows("inc", f)).as(f).isEqualTo(db.rows("full", f)).isNotEmpty();
      }
    }
  }

  /**
   * Cancelled (Ctrl-C) between two tries of a swap that waits for a reader: the run stops at once, not
   * after its pause, with the table as it was, its lock released, recorded as failed.
   */
  @Test
  void aCancelBetweenTwoTriesStopsTheRunWithTheTableAsItWas() throws Exception {
    Warehouse w = Warehouses.POSTGRES;
    Connection setup = PostgresServer.get().newDatabase("heap_swap_cancel");
    String url = setup.getMetaData().getURL();
    try (TwinTargets db = new TwinTargets(CONFIG, w, setup)) {
      new RandomHistory(22L, false, CONFIG.lateArrivalLookbackDays()).addBatch(db, 0);
      db.runIncremental();
      HeapConfig inc = TwinTargets.inc(CONFIG);
      String fact = w.table(inc.targetDatabase(), inc.targetSchema(), "stg_heap_events_all_inc_fct").qualified();
      List<String> before = db.rows("inc", "stg_heap_events_all_inc_fct");
      io.heapsdk.run.RunCancel cancel = new io.heapsdk.run.RunCancel();
      try (Connection dashboard = DriverManager.getConnection(url);
          Connection run = DriverManager.getConnection(url);
          StandardError err = StandardError.capture()) {
        readInAnOpenTransaction(dashboard, fact);
        CompletableFuture<?> fullBuild =
            CompletableFuture.runAsync(
                () -> new JdbcRunner(w).cancelledBy(cancel).run(HeapProject.standard(inc).plan(), run, true), task -> new Thread(task).start());
        for (int i = 0; i < 600 && !err.text().contains("the swap of model stg_heap_events_all_inc_fct waits"); i++) {
          Thread.sleep(100);
        }
        assertThat(err.text()).contains("the swap of model stg_heap_events_all_inc_fct waits");
        long cancelled = System.nanoTime();
        cancel.cancel("interrupted");
        Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> fullBuild.get(60, TimeUnit.SECONDS));
        assertThat(failure).hasCauseInstanceOf(io.heapsdk.run.HeapRunException.class);
        assertThat(((io.heapsdk.run.HeapRunException) failure.getCause()).cancelled()).isTrue();
        assertThat(failure.getCause())
            .hasMessageContaining("run cancelled (interrupted) while swapping in model stg_heap_events_all_inc_fct on postgres (the swap was rolled"
                + " back: the table is as it was)");
        // at once: within a try (2 s), not after a pause of up to 8 s and then another try
        assertThat((System.nanoTime() - cancelled) / 1_000_000L).as("ms from the cancel to the run's end").isLessThan(4_000L);
        dashboard.commit();
      }
      assertThat(db.rows("inc", "stg_heap_events_all_inc_fct")).as("the table as it was").isEqualTo(before);
      RunState state = new RunState(w, inc, db.connection);
      assertThat(state.runs(1).get(0).status()).isEqualTo("failed");
      assertThat(state.lock().runId()).isEmpty();
      // the table's definition is recorded as it was, not as being replaced (which would rebuild it next time)
      assertThat(state.models().get("stg_heap_events_all_inc_fct").beingReplaced()).isFalse();
    }
  }
  /**
   * A session whose own {@code lock_timeout} bounds its statements' waits (a role's or the connection's
   * setting, as a DBA sets it): the swap's tries together keep to it and the run fails at that bound,
   * naming the setting and the session it waited for, the table as it was. Before the tries, the one
   * waiting statement failed there; with the tries and no such bound, the run would wait as long as the
   * dashboard's transaction lasts.
   */
  @ParameterizedTest(name = "{0} = {1}")
  // 1800ms: a try bounded by all of it was ended by the statement timeout first (its own error, not this
  // one's); the tries keep a margin below it. The builds' statements take a small part of it here
  @CsvSource({"lock_timeout, 7s, 7 s, 7000", "statement_timeout, 4s, 4 s, 3500", "statement_timeout, 1800ms, 1.8 s, 1350"})
  void theTriesKeepToTheSessionsOwnLockTimeout(String setting, String value, String shown, long leastMs) throws Exception {
    Warehouse w = Warehouses.POSTGRES;
    Connection setup = PostgresServer.get().newDatabase("heap_swap_bound_" + setting.substring(0, 4) + "_" + leastMs);
    String url = setup.getMetaData().getURL();
    try (TwinTargets db = new TwinTargets(CONFIG, w, setup)) {
      new RandomHistory(23L, false, CONFIG.lateArrivalLookbackDays()).addBatch(db, 0);
      db.runIncremental();
      HeapConfig inc = TwinTargets.inc(CONFIG);
      String fact = w.table(inc.targetDatabase(), inc.targetSchema(), "stg_heap_events_all_inc_fct").qualified();
      List<String> before = db.rows("inc", "stg_heap_events_all_inc_fct");
      try (Connection dashboard = DriverManager.getConnection(url);
          Connection run = DriverManager.getConnection(url);
          StandardError err = StandardError.capture()) {
        int dashboardPid = readInAnOpenTransaction(dashboard, fact);
        try (Statement s = run.createStatement()) {
          // longer than one try (2 s) and than the first pauses, so that several tries add up to it
          s.execute("SET " + setting + " = '" + value + "'");
        }
        long started = System.nanoTime();
        CompletableFuture<?> fullBuild =
            CompletableFuture.runAsync(() -> new JdbcRunner(w).run(HeapProject.standard(inc).plan(), run, true), task -> new Thread(task).start());
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> fullBuild.get(60, TimeUnit.SECONDS));
        long ms = (System.nanoTime() - started) / 1_000_000L;
        // without the bound the run waits as long as the dashboard's transaction: end it either way
        dashboard.commit();
        assertThat(thrown).as("the run failed within a minute").isInstanceOf(java.util.concurrent.ExecutionException.class);
        Throwable failure = thrown.getCause();
        assertThat(failure).isInstanceOf(io.heapsdk.run.HeapRunException.class);
        assertThat(((io.heapsdk.run.HeapRunException) failure).cancelled()).isFalse();
        assertThat(failure)
            .hasMessageContaining("model stg_heap_events_all_inc_fct could not be swapped in on postgres: other sessions held locks on " + fact)
            .hasMessageContaining("the session's " + setting + " of " + shown + ", which heap keeps to (pid " + dashboardPid + " (")
            .hasMessageContaining("the swap was rolled back: the table is as it was");
        if (leastMs > 2_000L) {
          // room for more than one try: the first one that timed out said whom the swap waits for
          assertThat(err.text()).contains("the swap of model stg_heap_events_all_inc_fct waits").contains("the session's " + setting + " of " + shown + " in all");
        }
        // the events fact is the first to swap: the run spent its building and then about the bound on the swap
        // (a statement_timeout less a margin: a try's statement starts before it waits)
        assertThat(ms).as("ms the run took, its swap bounded by %s", setting).isGreaterThanOrEqualTo(leastMs).isLessThan(60_000L);
        try (Statement s = run.createStatement();
            ResultSet rs = s.executeQuery("SHOW " + setting)) {
          rs.next();
          assertThat(rs.getString(1)).as("the session's setting, left as it was").isEqualTo(value);
        }
      }
      assertThat(db.rows("inc", "stg_heap_events_all_inc_fct")).as("the table as it was").isEqualTo(before);
      RunState state = new RunState(w, inc, db.connection);
      assertThat(state.runs(1).get(0).status()).isEqualTo("failed");
      assertThat(state.lock().runId()).isEmpty();
      assertThat(state.models().get("stg_heap_events_all_inc_fct").beingReplaced()).isFalse();
      // the next run, with nobody reading, succeeds and the facts equal a full refresh
      db.runIncremental();
      db.runFull();
      for (String f : TwinTargets.FACTS) {
        assertThat(db.rows("inc", f)).as(f).isEqualTo(db.rows("full", f)).isNotEmpty();
      }
    }
  }

  /** A dashboard's transaction that read {@code fact} and stays open, holding its lock; its backend's pid. */
  private static int readInAnOpenTransaction(Connection dashboard, String fact) throws java.sql.SQLException {
    dashboard.setAutoCommit(false);
    try (Statement s = dashboard.createStatement()) {
      s.executeQuery("SELECT count(*) FROM " + fact).close();
      try (ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }
}
