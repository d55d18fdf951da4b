package io.heapsdk.incremental;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.run.HeapRunException;
import io.heapsdk.run.JdbcRunner;
import io.heapsdk.run.RunState;
import io.heapsdk.testing.PostgresServer;
import io.heapsdk.testing.StatementHooks;
import io.heapsdk.warehouse.Warehouse;
import io.heapsdk.warehouse.Warehouses;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.duckdb.DuckDBConnection;
import org.h2.tools.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two runners on one target schema at once, each on its own connection as two processes would be: run A
 * is paused inside its apply transaction; run B without --wait fails at once naming A; run C with a
 * wait waits for A and then runs. No run corrupts another: the facts equal a full refresh, each run is
 * recorded as succeeded, and no working table is left. On PostgreSQL, on H2 in server mode, and on one
 * DuckDB file from two threads of one process (what a host application embedding heap may do: DuckDB
 * lets one process at a time open a file, and that process's connections share it).
 */
class ConcurrentRunsTest {
  /**
   * "Wait forever" from the Java API as a huge duration (a wait for the lock, a staleness): the run
   * builds. Before, the clock's arithmetic overflowed (nanoseconds in a long, now minus the staleness)
   * and failed the run before its first model.
   */
  @Test
  void aWaitOrStalenessTooLongToCountIsACentury() throws Exception {
    HeapConfig config = HeapConfig.builder().build();
    try (TwinTargets db = new TwinTargets(config)) {
      db.insert("all_events", io.heapsdk.testing.Rows.event(1, 1, 1, "2024-01-01T10:00:00", "a"));
      Duration forever = Duration.ofSeconds(Long.MAX_VALUE);
      assertThat(
              new JdbcRunner(db.warehouse).waitingForLock(forever).staleAfter(forever)
                  .run(HeapProject.standard(TwinTargets.inc(config)).plan(), db.connection).models())
          .isNotEmpty();
    }
  }

  /**
   * A thread per run: from Java 25, {@code runAsync} without an executor uses the common pool even when
   * it has one worker (two cores), where a run that blocks keeps the next one from starting at all.
   */
  private static final Executor OWN_THREAD = task -> new Thread(task).start();

  private static final HeapConfig CONFIG =
      HeapConfig.builder().funnelEvents(List.of("a", "b", "c")).conversionEvents(List.of("b")).ownDomain("example.com").build();

  @Test
  void onPostgres() throws Exception {
    Connection first = PostgresServer.get().newDatabase("heap_concurrent_runs");
    String url = first.getMetaData().getURL();
    check(Warehouses.POSTGRES, first, () -> DriverManager.getConnection(url), "MERGE INTO");
  }

  /**
   * A run whose apply transaction waits (here paused after its first statement, as it would wait for a
   * dashboard's lock on a fact) stays alive to everyone: its transaction holds the lock row, so its
   * heartbeat thread beats on its own heap__runs row instead, the lock's heartbeat as read reads that, and
   * a run that takes a lock over only once its heartbeats are stale (2 s here) leaves it alone. Before, the
   * heartbeat thread's update waited behind the transaction, the lock looked dead after the timeout, and
   * the second run took it over from a live run, which then stopped as having lost it.
   */
  @Test
  void onPostgresARunWaitingInsideItsTransactionKeepsItsLock() throws Exception {
    Warehouse w = Warehouses.POSTGRES;
    Connection setup = PostgresServer.get().newDatabase("heap_live_run");
    String url = setup.getMetaData().getURL();
    Duration stale = Duration.ofSeconds(2);
    try (TwinTargets db = new TwinTargets(CONFIG, w, setup)) {
      RandomHistory history = new RandomHistory(12L, false, CONFIG.lateArrivalLookbackDays());
      history.addBatch(db, 0);
      db.runIncremental();
      history.addBatch(db, 1);
      HeapConfig inc = TwinTargets.inc(CONFIG);
      CountDownLatch paused = new CountDownLatch(1);
      CountDownLatch resume = new CountDownLatch(1);
      CountDownLatch pausedOutside = new CountDownLatch(1);
      CountDownLatch resumeOutside = new CountDownLatch(1);
      try (Connection a = DriverManager.getConnection(url);
          Connection b = DriverManager.getConnection(url);
          Connection look = DriverManager.getConnection(url)) {
        // first a statement outside any transaction (a working table), then the apply's first
        Connection pausing =
            StatementHooks.around(
                pausingAt(a, "MERGE INTO", paused, resume),
                sql -> {
                  if (sql.startsWith("CREATE TABLE") && sql.contains("__changes") && pausedOutside.getCount() > 0) {
                    pausedOutside.countDown();
                    resumeOutside.await(60, TimeUnit.SECONDS);
                  }
                },
                StatementHooks.NONE);
        CompletableFuture<?> runA =
            CompletableFuture.runAsync(
                () ->
                    new JdbcRunner(w)
                        .staleAfter(stale)
                        .heartbeatOn(() -> DriverManager.getConnection(url))
                        .run(HeapProject.standard(inc).plan(), pausing),
                OWN_THREAD);
        // outside a transaction the lock row itself goes on moving: what a heap from before this reads
        assertThat(pausedOutside.await(60, TimeUnit.SECONDS)).as("run A reached a working table").isTrue();
        Thread.sleep(3 * stale.toMillis());
        try (java.sql.Statement s = look.createStatement();
            java.sql.ResultSet row = s.executeQuery(new io.heapsdk.warehouse.StateSql(w, inc).selectLock())) {
          assertThat(row.next()).isTrue();
          java.time.LocalDateTime beat = row.getTimestamp(4).toLocalDateTime();
          assertThat(Duration.between(beat, java.time.LocalDateTime.now(java.time.ZoneOffset.UTC))).as("the lock row's heartbeat").isLessThan(stale);
        }
        resumeOutside.countDown();
        assertThat(paused.await(60, TimeUnit.SECONDS)).as("run A reached its apply").isTrue();
        // three timeouts inside the transaction
        Thread.sleep(3 * stale.toMillis());
        RunState.Lock lock = new RunState(w, inc, look).lock();
        java.time.LocalDateTime now = java.time.LocalDateTime.now(java.time.ZoneOffset.UTC);
        assertThat(Duration.between(lock.heartbeatAt().orElseThrow(), now)).as("the heartbeat as read, " + lock).isLessThan(stale);
        CompletableFuture<?> runB =
            CompletableFuture.runAsync(() -> new JdbcRunner(w).staleAfter(stale).run(HeapProject.standard(inc).plan(), b), OWN_THREAD);
        Thread.sleep(500);
        resume.countDown();
        runA.get(60, TimeUnit.SECONDS);
        assertThatThrownBy(() -> runB.get(60, TimeUnit.SECONDS))
            .hasCauseInstanceOf(HeapRunException.class)
            .cause()
            .hasMessageStartingWith("another run holds the lock: run " + lock.runId().orElseThrow() + " by ");
      }
      db.runFull();
      for (String fact : TwinTargets.FACTS) {
        assertThat(db.rows("inc", fact)).as(fact).isEqualTo(db.rows("full", fact)).isNotEmpty();
      }
      assertThat(new RunState(w, inc, db.connection).runs(10)).extracting(RunState.Run::status).containsOnly("succeeded");
    }
  }

  /**
   * A run whose database session ends while it holds the lock (its process killed, the server restarted
   * under it: here its backend terminated while it waits inside its apply transaction) leaves the lock to
   * the next run once it has missed two heartbeats ({@link JdbcRunner#endedSessionGrace}: 4 s at a stale
   * time of 10 s), not only once stale: its owner names its backend, which PostgreSQL no longer lists.
   * Before two beats are missed the lock stands (a live run behind a connection pooler may have lost the
   * backend it recorded). The run left behind is recorded as crashed, and the facts equal a full refresh.
   * Before, the next run failed with "another run holds the lock" for the whole stale time, 10 minutes by
   * default (found by a probe that restarted PostgreSQL during a run). A run whose session is alive keeps
   * its lock: {@link #onPostgres} and {@link #onPostgresARunWaitingInsideItsTransactionKeepsItsLock}.
   */
  @Test
  void onPostgresTheLockOfARunWhoseSessionEndedIsTakenOverOnceItMissedTwoBeats() throws Exception {
    Warehouse w = Warehouses.POSTGRES;
    Connection setup = PostgresServer.get().newDatabase("heap_ended_session");
    String url = setup.getMetaData().getURL();
    try (TwinTargets db = new TwinTargets(CONFIG, w, setup)) {
      RandomHistory history = new RandomHistory(13L, false, CONFIG.lateArrivalLookbackDays());
      history.addBatch(db, 0);
      db.runIncremental();
      history.addBatch(db, 1);
      HeapConfig inc = TwinTargets.inc(CONFIG);
      CountDownLatch paused = new CountDownLatch(1);
      CountDownLatch resume = new CountDownLatch(1);
      try (Connection a = DriverManager.getConnection(url);
          Connection b = DriverManager.getConnection(url);
          Connection look = DriverManager.getConnection(url)) {
        // no heartbeat connection: as a host that hands heap one connection, nothing of run A's is left
        // to beat or to clean up with once its session is gone
        CompletableFuture<?> runA =
            CompletableFuture.runAsync(
                () -> new JdbcRunner(w).run(HeapProject.standard(inc).plan(), pausingAt(a, "MERGE INTO", paused, resume)), OWN_THREAD);
        assertThat(paused.await(60, TimeUnit.SECONDS)).as("run A reached its apply").isTrue();
        RunState.Lock held = new RunState(w, inc, look).lock();
        int backend;
        try (java.sql.Statement s = a.createStatement();
            java.sql.ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
          rs.next();
          backend = rs.getInt(1);
        }
        assertThat(held.owner()).as("the lock names run A's backend").containsPattern("/pg:" + backend + "@\\d{20}/");
        assertThat(new RunState(w, inc, look).sessionEnded(held.owner())).as("while A's backend lives").isFalse();
        try (java.sql.Statement s = look.createStatement()) {
          s.execute("SELECT pg_terminate_backend(" + backend + ")");
        }
        // the backend is gone once PostgreSQL has rolled its transaction back
        for (int i = 0; i < 100 && !new RunState(w, inc, look).sessionEnded(held.owner()); i++) {
          Thread.sleep(100);
        }
        assertThat(new RunState(w, inc, look).sessionEnded(held.owner())).isTrue();
        // its heartbeat a moment old: not two beats missed at the default stale time (4 minutes)
        assertThatThrownBy(() -> new JdbcRunner(w).run(HeapProject.standard(inc).plan(), b))
            .isInstanceOf(HeapRunException.class)
            .hasMessageStartingWith("another run holds the lock: run " + held.runId().orElseThrow());

        // stale after 10 s: two beats are 4 s, and run B, waiting, takes the lock once A has missed them
        String logged =
            logged(() -> new JdbcRunner(w).staleAfter(Duration.ofSeconds(10)).waitingForLock(Duration.ofSeconds(60)).run(HeapProject.standard(inc).plan(), b));
        assertThat(logged)
            .contains("took over the run lock from run " + held.runId().orElseThrow())
            .contains("which is taken to have died: its database session has ended");

        RunState state = new RunState(w, inc, look);
        assertThat(state.run(held.runId().orElseThrow()).orElseThrow().status()).as("run A, as run B found it").isEqualTo("crashed");
        assertThat(state.runs(1).get(0).status()).as("run B").isEqualTo("succeeded");
        assertThat(state.lock().runId()).isEmpty();
        // run A wakes up to a closed connection: it fails, and changes nothing of run B's
        resume.countDown();
        assertThatThrownBy(() -> runA.get(60, TimeUnit.SECONDS)).hasCauseInstanceOf(HeapRunException.class);
        assertThat(state.lock().runId()).isEmpty();
      }
      db.runFull();
      for (String fact : TwinTargets.FACTS) {
        assertThat(db.rows("inc", fact)).as(fact).isEqualTo(db.rows("full", fact)).isNotEmpty();
      }
    }
  }

  @Test
  void onOneDuckDbFileFromTwoThreads(@TempDir Path dir) throws Exception {
    DuckDBConnection first = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("heap.duckdb"));
    // DuckDB's apply has no MERGE: its transaction opens with the table of the rows that differ
    check(Warehouses.DUCKDB, first, first::duplicate, "CREATE OR REPLACE TEMPORARY TABLE");
  }

  @Test
  void onH2InServerMode(@TempDir Path dir) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Server server = Server.createTcpServer("-tcpPort", String.valueOf(port), "-ifNotExists", "-baseDir", dir.toString()).start();
    try {
      String url = "jdbc:h2:tcp://localhost:" + port + "/heap";
      check(Warehouses.H2, DriverManager.getConnection(url), () -> DriverManager.getConnection(url), "MERGE INTO");
    } finally {
      server.stop();
    }
  }

  interface Opener {
    Connection open() throws Exception;
  }

  /** Run A pauses about to run the first statement of its apply, which starts with {@code applyStart}. */
  private static void check(Warehouse w, Connection setup, Opener open, String applyStart) throws Exception {
    try (TwinTargets db = new TwinTargets(CONFIG, w, setup)) {
      RandomHistory history = new RandomHistory(11L, false, CONFIG.lateArrivalLookbackDays());
      history.addBatch(db, 0);
      db.runIncremental();
      history.addBatch(db, 1);

      CountDownLatch paused = new CountDownLatch(1);
      CountDownLatch resume = new CountDownLatch(1);
      HeapConfig inc = TwinTargets.inc(CONFIG);
      try (Connection a = open.open();
          Connection b = open.open();
          Connection c = open.open()) {
        Connection pausing = pausingAt(a, applyStart, paused, resume);
        CompletableFuture<?> runA =
            CompletableFuture.runAsync(() -> new JdbcRunner(w).run(HeapProject.standard(inc).plan(), pausing), OWN_THREAD);
        assertThat(paused.await(60, TimeUnit.SECONDS)).as("run A reached its apply").isTrue();
        String holder = new RunState(w, inc, b).lock().runId().orElseThrow();

        assertThatThrownBy(() -> new JdbcRunner(w).run(HeapProject.standard(inc).plan(), b))
            .isInstanceOf(HeapRunException.class)
            .hasMessageStartingWith("another run holds the lock: run " + holder + " by ")
            .hasMessageContaining(", started ")
            .hasMessageContaining(", last heartbeat ");

        // what C logs (slf4j-simple writes to System.err as it is at each line): taking the lock A released
        // is no takeover of a run that died, which it used to say
        String logged = logged(() -> {
          CompletableFuture<?> runC =
              CompletableFuture.runAsync(
                  () -> new JdbcRunner(w).waitingForLock(Duration.ofSeconds(60)).run(HeapProject.standard(inc).plan(), c),
                  OWN_THREAD);
          Thread.sleep(1500);
          assertThat(runC).as("run C waits while A holds the lock").isNotDone();
          resume.countDown();
          runA.get(60, TimeUnit.SECONDS);
          runC.get(60, TimeUnit.SECONDS);
        });
        assertThat(logged)
            .contains("took the run lock once run " + holder + " had finished (succeeded)")
            .doesNotContain("taken to have died");
      }
      db.runFull();
      for (String fact : TwinTargets.FACTS) {
        assertThat(db.rows("inc", fact)).as(fact).isEqualTo(db.rows("full", fact)).isNotEmpty();
      }
      RunState state = new RunState(w, inc, db.connection);
      List<RunState.Run> runs = state.runs(10);
      assertThat(runs).extracting(RunState.Run::status).containsOnly("succeeded");
      assertThat(runs).hasSize(3);
      assertThat(runs).allMatch(r -> r.workTables().isEmpty());
      assertThat(state.lock().runId()).isEmpty();
    }
  }

  interface Action {
    void run() throws Exception;
  }

  /** What {@code action} logs ({@link io.heapsdk.testing.StandardError}). */
  private static String logged(Action action) throws Exception {
    try (io.heapsdk.testing.StandardError err = io.heapsdk.testing.StandardError.capture()) {
      action.run();
      return err.text();
    }
  }

  /** A connection that, about to run the first statement starting with {@code prefix}, waits for {@code resume}. */
  private static Connection pausingAt(Connection real, String prefix, CountDownLatch paused, CountDownLatch resume) {
    return StatementHooks.around(
        real,
        sql -> {
          if (sql.startsWith(prefix) && paused.getCount() > 0) {
            paused.countDown();
            resume.await(60, TimeUnit.SECONDS);
          }
        },
        StatementHooks.NONE);
  }
}
