package io.heapsdk.incremental;

import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.run.HeapRunException;
import io.heapsdk.run.JdbcRunner;
import io.heapsdk.run.RunCancel;
import io.heapsdk.run.RunState;
import io.heapsdk.testing.StatementHooks;
import io.heapsdk.testing.PostgresServer;
import io.heapsdk.warehouse.Warehouse;
import io.heapsdk.warehouse.Warehouses;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A run cancelled from another thread ({@link RunCancel}, what {@code heap run} does on Ctrl-C) stops,
 * rolls back, drops its working tables, is recorded as failed and releases the run lock, so the next run
 * (with the default ten-minute stale limit) starts at once; the facts are as before the run, and the
 * next run converges to a full refresh.
 *
 * <p>On PostgreSQL the cancel lands in the middle of a statement: another connection locks {@code
 * all_events} as the run starts building, so its first statement reading it waits on the server until the cancel
 * request arrives (SQLSTATE 57014). On H2 and DuckDB it lands between statements, at the first one of a
 * phase: the work tables, or the apply transaction.
 */
class CancelledRunTest {
  /**
   * A thread per run: from Java 25, {@code runAsync} without an executor uses the common pool even when
   * it has one worker (two cores), where a run that blocks keeps the next one from starting at all.
   */
  private static final Executor OWN_THREAD = task -> new Thread(task).start();

  private static final HeapConfig CONFIG =
      HeapConfig.builder().funnelEvents(List.of("a", "b", "c")).conversionEvents(List.of("b")).ownDomain("example.com").build();

  @Test
  void onPostgresTheWaitingStatementIsCancelledOnTheServer() throws Exception {
    onPostgresWithTwoBatches("heap_cancelled_run", (db, setup, blocker, runs, before) -> {
      RunCancel cancel = new RunCancel();
      // locked as the run's first working table is about to be built: past the run's checks, which read
      // all_events too (a cancel there stops it as well, before it builds anything)
      AtomicBoolean locked = new AtomicBoolean();
      JdbcRunner runner =
          new JdbcRunner(Warehouses.POSTGRES)
              .cancelledBy(cancel)
              .withProgress((n, of, phase, model, elapsed) -> {
                if (phase.equals("work") && locked.compareAndSet(false, true)) {
                  try (Statement s = blocker.createStatement()) {
                    String events = Warehouses.POSTGRES.table(CONFIG.sourceDatabase(), CONFIG.sourceSchema(), "all_events").qualified();
                    s.execute("LOCK TABLE " + events + " IN ACCESS EXCLUSIVE MODE");
                  } catch (SQLException e) {
                    throw new IllegalStateException(e);
                  }
                }
              });
      CompletableFuture<?> run =
          CompletableFuture.runAsync(() -> runner.run(HeapProject.standard(TwinTargets.inc(CONFIG)).plan(), runs), OWN_THREAD);
      waitForLockWait(setup, run);
      cancel.cancel("asked by the test");
      HeapRunException e = failure(run);
      blocker.rollback();
      assertThat(e.cancelled()).isTrue();
      assertThat(e.getMessage()).isEqualTo("run cancelled (asked by the test) while building working table heap__active_users on postgres");
      assertThat(e.getCause()).isInstanceOf(SQLException.class);
      assertThat(((SQLException) e.getCause()).getSQLState()).as("query_canceled").isEqualTo("57014");
      assertStoppedCleanly(db, before);
    });
  }

  /**
   * A source locked before the run starts (a sync loading it): the run waits at its first read of it,
   * the check for emptied sources, and a cancel there stops it on the server before it built anything.
   */
  @Test
  void onPostgresARunWaitingToReadALockedSourceIsCancelledBeforeItBuilds() throws Exception {
    onPostgresWithTwoBatches("heap_cancelled_check", (db, setup, blocker, runs, before) -> {
      try (Statement s = blocker.createStatement()) {
        String events = Warehouses.POSTGRES.table(CONFIG.sourceDatabase(), CONFIG.sourceSchema(), "all_events").qualified();
        s.execute("LOCK TABLE " + events + " IN ACCESS EXCLUSIVE MODE");
      }
      RunCancel cancel = new RunCancel();
      CompletableFuture<?> run = runAsync(Warehouses.POSTGRES, runs, cancel, null);
      waitForLockWait(setup, run);
      cancel.cancel("asked by the test");
      HeapRunException e = failure(run);
      blocker.rollback();
      assertThat(e.cancelled()).isTrue();
      assertThat(e.getMessage()).isEqualTo("run cancelled (asked by the test) in its source check step on postgres");
      assertThat(((SQLException) e.getCause()).getSQLState()).as("query_canceled").isEqualTo("57014");
      // stopped while deciding, before it recorded itself: heap__runs holds the runs before it, all finished
      assertThat(new RunState(db.warehouse, TwinTargets.inc(CONFIG), db.connection).runs(10))
          .allSatisfy(r -> assertThat(r.status()).isEqualTo("succeeded"));
      assertUnchangedAndConverging(db, before);
    });
  }

  /**
   * The run's own state locked (an administrator's {@code LOCK TABLE}, a {@code VACUUM FULL} of it): the
   * run waits at its read of {@code heap__run_settings} while it decides. Cancelled there, the read is
   * cancelled on the server, and the lock released at once. Before, nothing cancelled that read: the
   * command gave up after its 30 s, the lock stayed held and every run was refused until it went stale
   * (found by a probe that held such locks and sent SIGTERM).
   */
  @Test
  void onPostgresARunWaitingToReadItsLockedStateIsCancelled() throws Exception {
    cancelledWhileAStateTableIsLocked(
        "heap_cancelled_deciding", "heap__run_settings", false,
        (db, before, e) -> {
          assertThat(e.getMessage()).isEqualTo("run cancelled (asked by the test) while deciding the run (reading its recorded state) on postgres");
          assertUnchangedAndConverging(db, before);
        });
  }

  /**
   * The lock table itself locked: the run waits at its first statements, which make sure the state
   * tables and the lock row are there. Cancelled there, the run ends as a cancel, holding nothing.
   * Before, those statements were tried again after a failure (two runs creating the tables at once):
   * the cancelled one ran again, waited again, and no cancel reached it.
   */
  @Test
  void onPostgresARunWaitingToCreateItsStateIsCancelled() throws Exception {
    cancelledWhileAStateTableIsLocked(
        "heap_cancelled_creating", "heap__run_lock", false,
        (db, before, e) -> {
          assertThat(e.getMessage()).isEqualTo("run cancelled (asked by the test) while creating its state tables, before taking the run lock on postgres");
          assertThat(((SQLException) e.getCause()).getSQLState()).as("query_canceled").isEqualTo("57014");
          assertUnchangedAndConverging(db, before);
        });
  }

  /**
   * A cancel while the run records itself, its facts applied, lets the record finish ({@link
   * RunCancel#RECORDING_ALLOWANCE}): {@code heap__model_state} locked while the run builds, the cancel
   * once the record waits for it, and the lock let go two seconds later. The run ends as a success,
   * recorded so, and the next run is incremental. Before, the record was cancelled at once: the run was
   * recorded as failed with its facts applied, and the next run did its work again (seen as {@code heap
   * run} exiting 143 after a SIGTERM that came just after its last "built" line).
   */
  @Test
  void onPostgresACancelWhileTheRunRecordsItselfLetsTheRecordFinish() throws Exception {
    onPostgresWithTwoBatches("heap_cancelled_recorded", (db, setup, blocker, runs, before) -> {
      RunCancel cancel = new RunCancel();
      CompletableFuture<?> run = runWithStateLocked(runs, blocker, "heap__model_state", true, cancel);
      waitForLockWait(setup, run);
      cancelThenLetGoAfterTwoSeconds(cancel, run, blocker, db, "the record waits for the lock, not cancelled yet");
      assertThat(db.runIncremental().mode()).isEqualTo(io.heapsdk.warehouse.BuildPlan.Mode.INCREMENTAL);
      db.runFull();
      for (String fact : TwinTargets.FACTS) {
        assertThat(db.rows("inc", fact)).as(fact).isEqualTo(db.rows("full", fact)).isNotEmpty();
      }
    });
  }

  /**
   * The same earlier in the wind-up, after the apply committed: the row count of the first fact (what
   * the {@code built …} line reports) waits for a lock on that fact taken as the count starts, the
   * cancel comes, and the lock goes two seconds later. The run ends as a success. Before, the count was
   * cancelled at once and the run recorded as failed "while keeping its state between the build's
   * statements", its facts applied (found by a review).
   */
  @Test
  void onPostgresACancelDuringTheRowCountsAfterTheApplyLetsTheRunFinish() throws Exception {
    onPostgresWithTwoBatches("heap_cancelled_counting", (db, setup, blocker, runs, before) -> {
      RunCancel cancel = new RunCancel();
      AtomicBoolean last = new AtomicBoolean();
      AtomicBoolean locked = new AtomicBoolean();
      String fact = Warehouses.POSTGRES.table(Optional.empty(), TwinTargets.inc(CONFIG).targetSchema(), TwinTargets.FACTS.get(0)).qualified();
      Connection hooked = lockingAt(runs, blocker, sql -> last.get() && sql.equals("SELECT COUNT(*) FROM " + fact), fact, locked);
      JdbcRunner runner = new JdbcRunner(Warehouses.POSTGRES).cancelledBy(cancel).withProgress((n, of, phase, model, elapsed) -> last.set(n == of));
      CompletableFuture<?> run =
          CompletableFuture.runAsync(() -> runner.run(HeapProject.standard(TwinTargets.inc(CONFIG)).plan(), hooked), OWN_THREAD);
      waitForLockWait(setup, run);
      assertThat(locked).as("the wait is the row count's").isTrue();
      cancelThenLetGoAfterTwoSeconds(cancel, run, blocker, db, "the count waits for the lock, not cancelled yet");
    });
  }

  /**
   * The count of the source rows behind the mark, in the wind-up, is a warning the run can do without: a
   * cancel stops it at once (it may take longer than the allowance: 14 s on H2 at 1.6M events), and the
   * run still records its success. Here the count waits for a lock on {@code all_events} that is held
   * throughout; the run ends well inside the allowance (found by a review: after the allowance the count
   * was stopped and the record then refused, which failed a run that had applied its facts).
   */
  @Test
  void onPostgresACancelStopsTheCountBehindTheMarkAtOnceAndTheRunSucceeds() throws Exception {
    onPostgresWithTwoBatches("heap_cancelled_count_behind", (db, setup, blocker, runs, before) -> {
      RunCancel cancel = new RunCancel();
      AtomicBoolean locked = new AtomicBoolean();
      String events = Warehouses.POSTGRES.table(CONFIG.sourceDatabase(), CONFIG.sourceSchema(), "all_events").qualified();
      Connection hooked = lockingAt(runs, blocker, sql -> sql.contains("\"behind_next_mark\""), events, locked);
      JdbcRunner runner = new JdbcRunner(Warehouses.POSTGRES).cancelledBy(cancel).countingRowsBehindMark();
      CompletableFuture<?> run =
          CompletableFuture.runAsync(() -> runner.run(HeapProject.standard(TwinTargets.inc(CONFIG)).plan(), hooked), OWN_THREAD);
      waitForLockWait(setup, run);
      assertThat(locked).as("the wait is the count's").isTrue();
      long cancelled = System.nanoTime();
      cancel.cancel("asked by the test");
      run.get(30, TimeUnit.SECONDS);
      assertThat(Duration.ofNanos(System.nanoTime() - cancelled)).as("from the cancel to the run's end, the lock still held")
          .isLessThan(RunCancel.RECORDING_ALLOWANCE.dividedBy(2));
      blocker.rollback();
      assertSucceededAndFree(db);
    });
  }

  /**
   * The same where the record waits longer than the allowance: it is then cancelled on the server, the
   * run recorded as failed and the lock released; the applied facts stay (as after a crash there), and
   * the next run converges.
   */
  @Test
  void onPostgresARunWaitingToRecordItselfIsCancelled() throws Exception {
    cancelledWhileAStateTableIsLocked(
        "heap_cancelled_recording", "heap__model_state", true,
        (db, before, e) -> {
          assertThat(e.getMessage()).isEqualTo("run cancelled (asked by the test) while recording the run in its state tables (its changes were applied to the facts) on postgres");
          RunState state = new RunState(db.warehouse, TwinTargets.inc(CONFIG), db.connection);
          assertThat(state.runs(1).get(0).status()).isEqualTo("failed");
          assertThat(state.lock().runId()).as("the lock is free").isEmpty();
          db.runIncremental();
          db.runFull();
          for (String fact : TwinTargets.FACTS) {
            assertThat(db.rows("inc", fact)).as(fact).isEqualTo(db.rows("full", fact)).isNotEmpty();
          }
        });
  }

  /** A test on a new PostgreSQL database holding two batches, with a blocker (not in auto-commit) and the run's connection. */
  private interface OnPostgres {
    void run(TwinTargets db, Connection setup, Connection blocker, Connection runs, Map<String, List<String>> before) throws Exception;
  }

  /** Runs {@code test} on a new PostgreSQL database {@code database} after {@link #twoBatches}; {@code before} holds the facts then. */
  private static void onPostgresWithTwoBatches(String database, OnPostgres test) throws Exception {
    Connection setup = PostgresServer.get().newDatabase(database);
    String url = setup.getMetaData().getURL();
    try (TwinTargets db = new TwinTargets(CONFIG, Warehouses.POSTGRES, setup);
        Connection blocker = DriverManager.getConnection(url);
        Connection runs = DriverManager.getConnection(url)) {
      Map<String, List<String>> before = twoBatches(db);
      blocker.setAutoCommit(false);
      test.run(db, setup, blocker, runs, before);
    }
  }

  /**
   * {@code runs}, where the first statement {@code when} matches has {@code blocker} (not in auto-commit)
   * lock {@code table} just before it runs, until it rolls back; {@code locked} tells whether it came.
   */
  private static Connection lockingAt(
      Connection runs, Connection blocker, java.util.function.Predicate<String> when, String table, AtomicBoolean locked) {
    return StatementHooks.around(
        runs,
        sql -> {
          if (when.test(sql) && locked.compareAndSet(false, true)) {
            try (Statement s = blocker.createStatement()) {
              s.execute("LOCK TABLE " + table + " IN ACCESS EXCLUSIVE MODE");
            }
          }
        },
        StatementHooks.NONE);
  }

  /** The last run is recorded as succeeded, and the run lock is free. */
  /**
   * Cancels the run waiting in its wind-up on {@code blocker}'s lock, checks it still waits two seconds
   * later ({@code waiting} says on what), lets the lock go, and checks the run then ends as a success.
   */
  private static void cancelThenLetGoAfterTwoSeconds(
      RunCancel cancel, CompletableFuture<?> run, Connection blocker, TwinTargets db, String waiting) throws Exception {
    cancel.cancel("asked by the test");
    Thread.sleep(2000);
    assertThat(run).as(waiting).isNotDone();
    blocker.rollback();
    run.get(30, TimeUnit.SECONDS);
    assertSucceededAndFree(db);
  }

  private static void assertSucceededAndFree(TwinTargets db) {
    RunState state = new RunState(db.warehouse, TwinTargets.inc(CONFIG), db.connection);
    assertThat(state.runs(1).get(0).status()).isEqualTo("succeeded");
    assertThat(state.lock().runId()).as("the lock is free").isEmpty();
  }

  /** What a test checks once the cancelled run has ended, given the facts from before it. */
  private interface AfterCancel {
    void check(TwinTargets db, Map<String, List<String>> before, HeapRunException e) throws Exception;
  }

  /**
   * Two batches on a new PostgreSQL database, then a run with the target schema's {@code stateTable}
   * locked by another connection (from the start, or as the run builds its first working table: {@code
   * whileBuilding}); once the run waits for it, a cancel, which must end the run within 10 s, as a cancel.
   */
  private static void cancelledWhileAStateTableIsLocked(String database, String stateTable, boolean whileBuilding, AfterCancel after)
      throws Exception {
    onPostgresWithTwoBatches(database, (db, setup, blocker, runs, before) -> {
      RunCancel cancel = new RunCancel();
      CompletableFuture<?> run = runWithStateLocked(runs, blocker, stateTable, whileBuilding, cancel);
      waitForLockWait(setup, run);
      long cancelled = System.nanoTime();
      cancel.cancel("asked by the test");
      HeapRunException e = failure(run);
      // a record of the run's success is let finish for the allowance before it is stopped
      Duration allowed = whileBuilding ? RunCancel.RECORDING_ALLOWANCE : Duration.ZERO;
      assertThat(Duration.ofNanos(System.nanoTime() - cancelled))
          .as("from the cancel to the run's end")
          .isGreaterThanOrEqualTo(allowed)
          .isLessThan(allowed.plusSeconds(10));
      blocker.rollback();
      assertThat(e.cancelled()).isTrue();
      after.check(db, before, e);
    });
  }

  /**
   * A run of the standard project on {@code runs}, on a thread of its own, with the target schema's
   * {@code stateTable} locked by {@code blocker} (not in auto-commit) from the start, or as the run
   * builds its first working table ({@code whileBuilding}): the lock holds until {@code blocker} rolls
   * back.
   */
  private static CompletableFuture<?> runWithStateLocked(
      Connection runs, Connection blocker, String stateTable, boolean whileBuilding, RunCancel cancel) {
    String lock =
        "LOCK TABLE " + Warehouses.POSTGRES.table(Optional.empty(), TwinTargets.inc(CONFIG).targetSchema(), stateTable).qualified()
            + " IN ACCESS EXCLUSIVE MODE";
    AtomicBoolean locked = new AtomicBoolean();
    Runnable take = () -> {
      if (locked.compareAndSet(false, true)) {
        try (Statement s = blocker.createStatement()) {
          s.execute(lock);
        } catch (SQLException x) {
          throw new IllegalStateException(x);
        }
      }
    };
    if (!whileBuilding) {
      take.run();
    }
    JdbcRunner runner =
        new JdbcRunner(Warehouses.POSTGRES)
            .cancelledBy(cancel)
            .withProgress((n, of, phase, model, elapsed) -> {
              if (phase.equals("work")) {
                take.run();
              }
            });
    return CompletableFuture.runAsync(() -> runner.run(HeapProject.standard(TwinTargets.inc(CONFIG)).plan(), runs), OWN_THREAD);
  }

  /**
   * On PostgreSQL a full refresh's swap waits for the readers of the fact (a dashboard's open
   * transaction) to let go of it. Cancelled there, the swap is cancelled on the server like any
   * statement and rolled back with its transaction: the table is as it was, the run is recorded as
   * failed and the lock released. Before, a swap ran to its end whatever the warehouse, so Ctrl-C on
   * {@code heap run} outwaited its 30 s grace, and the run stayed "running" with the lock held until it
   * grew stale.
   */
  @Test
  void onPostgresASwapWaitingForAReaderIsCancelledAndRolledBack() throws Exception {
    Connection setup = PostgresServer.get().newDatabase("heap_cancelled_swap");
    String url = setup.getMetaData().getURL();
    try (TwinTargets db = new TwinTargets(CONFIG, Warehouses.POSTGRES, setup);
        Connection reader = DriverManager.getConnection(url);
        Connection runs = DriverManager.getConnection(url)) {
      Map<String, List<String>> before = twoBatches(db);
      RunState.ModelState stateBefore = new RunState(db.warehouse, TwinTargets.inc(CONFIG), db.connection).models().get(TwinTargets.FACTS.get(0));
      reader.setAutoCommit(false);
      try (Statement s = reader.createStatement()) {
        s.execute("SELECT COUNT(*) FROM " + Warehouses.POSTGRES.qualified(Optional.empty(), "inc", TwinTargets.FACTS.get(0)));
      }
      RunCancel cancel = new RunCancel();
      JdbcRunner runner = new JdbcRunner(Warehouses.POSTGRES).cancelledBy(cancel);
      CompletableFuture<?> run =
          CompletableFuture.runAsync(() -> runner.run(HeapProject.standard(TwinTargets.inc(CONFIG)).plan(), runs, true), OWN_THREAD);
      waitForLockWait(setup, run);
      cancel.cancel("asked by the test");
      HeapRunException e = failure(run);
      reader.rollback();
      assertThat(e.cancelled()).isTrue();
      assertThat(e.getMessage())
          .isEqualTo("run cancelled (asked by the test) while swapping in model " + TwinTargets.FACTS.get(0)
              + " on postgres (the swap was rolled back: the table is as it was)");
      assertThat(((SQLException) e.getCause()).getSQLState()).as("query_canceled").isEqualTo("57014");
      assertThat(tablesNamed(db, "__new")).as("the tables the run built to swap in").isEmpty();
      // the table holds what it held, and its state says so: not "being replaced"
      assertThat(new RunState(db.warehouse, TwinTargets.inc(CONFIG), db.connection).models().get(TwinTargets.FACTS.get(0)))
          .isEqualTo(stateBefore);
      assertStoppedCleanly(db, before);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"h2 work", "h2 apply", "duckdb work", "duckdb apply"})
  void onEmbeddedEnginesBetweenStatements(String engineAndPhase, @TempDir Path dir) throws Exception {
    String[] parts = engineAndPhase.split(" ");
    Warehouse w = parts[0].equals("h2") ? Warehouses.H2 : Warehouses.DUCKDB;
    String url =
        w == Warehouses.H2 ? "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1" : "jdbc:duckdb:" + dir.resolve("cancel.duckdb");
    try (TwinTargets db = new TwinTargets(CONFIG, w, DriverManager.getConnection(url))) {
      Map<String, List<String>> before = twoBatches(db);
      RunCancel cancel = new RunCancel();
      HeapRunException e = failure(runAsync(w, db.connection, cancel, parts[1]));
      assertThat(e.cancelled()).isTrue();
      // the apply phase names what it was doing: merging, not building
      assertThat(e.getMessage())
          .matches("run cancelled \\(at " + parts[1] + "\\) "
              + (parts[1].equals("apply") ? "while merging its changes into model \\w+" : "(while building (model|working table) \\w+|in its \\w+ step)")
              + " on " + w.name());
      assertThat(e.getCause()).as("no statement was running").isNull();
      assertStoppedCleanly(db, before);
    }
  }

  /**
   * A reconciling run cancelled as it forgets the stored fingerprints it is about to outdate (before its
   * apply) says that, where it said "while building the source fingerprints", which that step does not
   * build (found by a probe that cancelled a run blocked there on PostgreSQL).
   */
  @Test
  void aReconcilingRunCancelledAtItsForgetStepSaysSo() throws Exception {
    HeapConfig reconciling = HeapConfig.builder().from(CONFIG).reconcile(true).build();
    try (TwinTargets db = new TwinTargets(reconciling)) {
      Map<String, List<String>> before = twoBatches(db);
      RunCancel cancel = new RunCancel();
      JdbcRunner runner =
          new JdbcRunner(Warehouses.H2)
              .cancelledBy(cancel)
              .withProgress((n, of, phase, model, elapsed) -> {
                if (phase.equals("forget")) {
                  cancel.cancel("at forget");
                }
              });
      HeapRunException e =
          failure(CompletableFuture.runAsync(() -> runner.run(HeapProject.standard(TwinTargets.inc(reconciling)).plan(), db.connection), OWN_THREAD));
      assertThat(e.cancelled()).isTrue();
      assertThat(e.getMessage())
          .isEqualTo("run cancelled (at forget) while forgetting the source fingerprints (heap__source_prints) the run outdates, before its apply, on h2");
      assertThat(facts(db)).isEqualTo(before);
    }
  }

  /**
   * H2 commits each statement of a full refresh's swap (drop the old fact, rename the new one) on its
   * own: a cancel as the swap starts lets it finish and stops the run at its next step, so no fact is
   * left missing (cancelled between the two, the failed run's clean-up dropped the only copy).
   */
  @Test
  void aSwapIsNotStoppedHalfWayOnH2() throws Exception {
    try (TwinTargets db = new TwinTargets(CONFIG)) {
      twoBatches(db);
      RunCancel cancel = new RunCancel();
      int[] swapStatements = {0};
      JdbcRunner runner =
          new JdbcRunner(Warehouses.H2)
              .cancelledBy(cancel)
              .withProgress((n, of, phase, model, elapsed) -> {
                // the second statement of the first swap: its DROP has run, its RENAME not yet
                if (phase.equals("swap") && ++swapStatements[0] == 2) {
                  cancel.cancel("at swap");
                }
              });
      CompletableFuture<?> run =
          CompletableFuture.runAsync(() -> runner.run(HeapProject.standard(TwinTargets.inc(CONFIG)).plan(), db.connection, true), OWN_THREAD);
      HeapRunException e = failure(run);
      assertThat(e.cancelled()).isTrue();
      // it names the swap it let finish, not the step it stopped at
      assertThat(e.getMessage())
          .isEqualTo("run cancelled (at swap) while swapping in model stg_heap_events_all_inc_fct on h2 (a swap is not stopped"
              + " half-way: the run stopped right after it)");
      for (String fact : TwinTargets.FACTS) {
        assertThat(db.rows("inc", fact)).as(fact + " is there").isNotEmpty();
      }
      db.runIncremental();
      db.runFull();
      for (String fact : TwinTargets.FACTS) {
        assertThat(db.rows("inc", fact)).as(fact).isEqualTo(db.rows("full", fact));
      }
    }
  }

  /**
   * A pool may close a connection whose statement was cancelled: HikariCP takes H2's "Statement was
   * canceled" (SQLSTATE 57014) for a broken connection and closes it. The run then cleans up on a
   * connection from the heartbeat's source (what {@code run(plan, dataSource)} uses) instead of failing on
   * the closed one, which left the lock held for ten minutes, the run "running" and its working tables
   * (found by a host application on HikariCP). The hook stands in for the driver and the pool: at the
   * active users' statement it cancels the run, closes the connection and fails with 57014.
   */
  @Test
  void aConnectionClosedByThePoolOnTheCancelIsNotWhereTheRunCleansUp() throws Exception {
    String url = "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    try (TwinTargets db = new TwinTargets(CONFIG, Warehouses.H2, DriverManager.getConnection(url))) {
      Map<String, List<String>> before = twoBatches(db);
      RunCancel cancel = new RunCancel();
      Connection real = DriverManager.getConnection(url);
      Connection pooled =
          StatementHooks.around(
              real,
              sql -> {
                if (sql.startsWith("CREATE") && sql.contains("HEAP__ACTIVE_USERS__R")) {
                  cancel.cancel("asked by the test");
                  real.close();
                  throw new java.sql.SQLTimeoutException("Statement was canceled or the session timed out", "57014");
                }
              },
              StatementHooks.NONE);
      JdbcRunner runner = new JdbcRunner(Warehouses.H2).cancelledBy(cancel).heartbeatOn(() -> DriverManager.getConnection(url));
      HeapRunException e =
          failure(CompletableFuture.runAsync(() -> runner.run(HeapProject.standard(TwinTargets.inc(CONFIG)).plan(), pooled), OWN_THREAD));
      assertThat(e.cancelled()).isTrue();
      assertThat(real.isClosed()).isTrue();
      assertStoppedCleanly(db, before);
    }
  }

  /**
   * A run waiting for another's lock ({@code --wait}) stops waiting when cancelled, records nothing and
   * leaves the other run's lock alone.
   */
  @Test
  void aRunWaitingForTheLockStopsWaiting() throws Exception {
    String url = "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    try (TwinTargets db = new TwinTargets(CONFIG, Warehouses.H2, DriverManager.getConnection(url));
        Connection a = DriverManager.getConnection(url);
        Connection b = DriverManager.getConnection(url)) {
      twoBatches(db);
      CountDownLatch paused = new CountDownLatch(1);
      CountDownLatch resume = new CountDownLatch(1);
      JdbcRunner holding =
          new JdbcRunner(Warehouses.H2).withProgress((n, of, phase, model, elapsed) -> {
            if (n == 1) {
              paused.countDown();
              await(resume);
            }
          });
      CompletableFuture<?> runA = CompletableFuture.runAsync(() -> holding.run(HeapProject.standard(TwinTargets.inc(CONFIG)).plan(), a), OWN_THREAD);
      assertThat(paused.await(60, TimeUnit.SECONDS)).isTrue();
      String holder = new RunState(Warehouses.H2, TwinTargets.inc(CONFIG), db.connection).lock().runId().orElseThrow();

      RunCancel cancel = new RunCancel();
      JdbcRunner waiting = new JdbcRunner(Warehouses.H2).waitingForLock(Duration.ofSeconds(60)).cancelledBy(cancel);
      CompletableFuture<?> runB = CompletableFuture.runAsync(() -> waiting.run(HeapProject.standard(TwinTargets.inc(CONFIG)).plan(), b), OWN_THREAD);
      Thread.sleep(500);
      assertThat(runB).as("B waits for A's lock").isNotDone();
      cancel.cancel("asked by the test");
      HeapRunException e = failure(runB);
      assertThat(e.cancelled()).isTrue();
      assertThat(e.getMessage()).isEqualTo("run cancelled (asked by the test) while waiting for the run lock on h2");
      RunState state = new RunState(Warehouses.H2, TwinTargets.inc(CONFIG), db.connection);
      assertThat(state.lock().runId()).as("A's lock stands").contains(holder);

      resume.countDown();
      runA.get(60, TimeUnit.SECONDS);
      assertThat(state.runs(10)).extracting(RunState.Run::status).containsExactly("succeeded", "succeeded");
      assertThat(state.lock().runId()).isEmpty();
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Builds a first batch incrementally, adds a second one, and returns the facts as they are then. */
  private static Map<String, List<String>> twoBatches(TwinTargets db) {
    RandomHistory history = new RandomHistory(23L, false, CONFIG.lateArrivalLookbackDays());
    history.addBatch(db, 0);
    db.runIncremental();
    history.addBatch(db, 1);
    return facts(db);
  }

  /**
   * An incremental run on {@code connection}; with {@code cancelAtPhase}, cancelled by its own progress
   * listener as the first statement of that phase is about to run.
   */
  private static CompletableFuture<?> runAsync(Warehouse w, Connection connection, RunCancel cancel, String cancelAtPhase) {
    JdbcRunner runner =
        new JdbcRunner(w)
            .cancelledBy(cancel)
            .withProgress((n, of, phase, model, elapsed) -> {
              if (phase.equals(cancelAtPhase)) {
                cancel.cancel("at " + phase);
              }
            });
    return CompletableFuture.runAsync(() -> runner.run(HeapProject.standard(TwinTargets.inc(CONFIG)).plan(), connection), OWN_THREAD);
  }

  /** Waits until a statement of the run waits on the server for a lock (the blocker's). */
  private static void waitForLockWait(Connection observer, CompletableFuture<?> run) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline && !run.isDone()) {
      try (Statement s = observer.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'")) {
        rs.next();
        if (rs.getLong(1) > 0) {
          return;
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the run never waited for the blocker's lock" + (run.isDone() ? " (it ended)" : ""));
  }

  private static HeapRunException failure(CompletableFuture<?> run) throws Exception {
    try {
      run.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(HeapRunException.class);
      return (HeapRunException) e.getCause();
    }
    throw new AssertionError("the cancelled run succeeded");
  }

  /**
   * The run is recorded as failed with the reason, its working tables are gone, the lock is free (a run
   * that would wait for none starts), the facts are as before, and the next run converges.
   */
  private static void assertStoppedCleanly(TwinTargets db, Map<String, List<String>> before) throws SQLException {
    RunState state = new RunState(db.warehouse, TwinTargets.inc(CONFIG), db.connection);
    RunState.Run last = state.runs(1).get(0);
    assertThat(last.status()).isEqualTo("failed");
    assertThat(last.detail()).startsWith("run cancelled (");
    assertThat(last.workTables()).isEmpty();
    assertThat(state.lock().runId()).as("the lock is free").isEmpty();
    assertThat(tablesNamed(db, last.runId())).as("tables named after the cancelled run").isEmpty();
    assertUnchangedAndConverging(db, before);
  }

  /** The lock is free, the facts are as before, and the next run converges. */
  private static void assertUnchangedAndConverging(TwinTargets db, Map<String, List<String>> before) throws SQLException {
    assertThat(new RunState(db.warehouse, TwinTargets.inc(CONFIG), db.connection).lock().runId()).as("the lock is free").isEmpty();
    assertThat(facts(db)).isEqualTo(before);

    db.runIncremental();
    db.runFull();
    for (String fact : TwinTargets.FACTS) {
      assertThat(db.rows("inc", fact)).as(fact).isEqualTo(db.rows("full", fact)).isNotEmpty();
    }
  }

  private static Map<String, List<String>> facts(TwinTargets db) {
    Map<String, List<String>> rows = new HashMap<>();
    for (String fact : TwinTargets.FACTS) {
      rows.put(fact, db.rows("inc", fact));
    }
    return rows;
  }

  private static List<String> tablesNamed(TwinTargets db, String runId) throws SQLException {
    List<String> found = new ArrayList<>();
    try (ResultSet rs = db.connection.getMetaData().getTables(null, null, "%", null)) {
      while (rs.next()) {
        String name = rs.getString("TABLE_NAME");
        if (name.toLowerCase(Locale.ROOT).contains(runId.toLowerCase(Locale.ROOT))) {
          found.add(name);
        }
      }
    }
    return found;
  }
}
