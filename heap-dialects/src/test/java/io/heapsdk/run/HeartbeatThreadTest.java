package io.heapsdk.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.testing.StandardError;
import io.heapsdk.testing.StatementHooks;
import io.heapsdk.warehouse.Warehouses;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The background heartbeat ({@link JdbcRunner#heartbeatOn}, what {@code run(plan, dataSource)} and the
 * CLI on a shared database use) is stopped without interrupting its thread. That thread may be inside
 * the driver when the run ends, and an interrupt there closes H2's file: every connection to the database
 * then fails (measured on H2 2.5.252: a thread interrupted during a query on a file database, and the next
 * UPDATE on another connection failed "Reading from file … failed"). Here the run reaches its last statement only
 * once a beat is in progress (the beat's connection holds it there for 1.5 s, as a slow statement
 * would), so the run ends, and stops the heartbeat, while the beat runs.
 */
class HeartbeatThreadTest {
  @Test
  void aBeatInProgressWhenTheRunEndsIsNotInterrupted() throws Exception {
    HeapConfig config = HeapConfig.builder().funnelEvents(java.util.List.of("a", "b")).build();
    String url = "jdbc:h2:mem:heartbeat-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    CountDownLatch inBeat = new CountDownLatch(1);
    AtomicInteger beats = new AtomicInteger();
    AtomicBoolean interrupted = new AtomicBoolean();
    try (Connection setup = DriverManager.getConnection(url)) {
      new SourceTables(Warehouses.H2, config).create(setup);
      // the run records its success only while a beat is under way
      Connection run = recordingSuccessOnlyAfter(url, inBeat, "a beat started during the run");
      JdbcRunner.ConnectionSource beatConnections =
          () ->
              StatementHooks.around(
                  DriverManager.getConnection(url),
                  sql -> {
                    // every statement on this connection is a beat's
                    beats.incrementAndGet();
                    inBeat.countDown();
                    try {
                      Thread.sleep(1500);
                    } catch (InterruptedException e) {
                      interrupted.set(true);
                      throw e;
                    }
                  },
                  StatementHooks.NONE);
      try (run) {
        RunResult result =
            new JdbcRunner(Warehouses.H2).staleAfter(Duration.ofSeconds(2)).heartbeatOn(beatConnections)
                .run(HeapProject.standard(config).plan(), run);
        assertThat(result.models()).isNotEmpty();
      }
      assertThat(beats.get()).as("beats").isPositive();
      assertThat(interrupted.get()).as("the heartbeat thread was interrupted inside a statement").isFalse();
      assertThat(new RunState(Warehouses.H2, config, setup).runs(1)).extracting(RunState.Run::status).containsExactly("succeeded");
    }
  }
  /**
   * A heartbeat connection the server ended is replaced, and the beat made again on the new one. Here, as
   * PostgreSQL's {@code idle_session_timeout} does, the server ends every session idle for longer than a
   * limit shorter than the beats' interval (0.25 s against 0.4 s): each connection is ended before the
   * beat after the one it was opened for. Before, every beat after the first failed on its dead connection,
   * logged at DEBUG only, the lock's heartbeat aged while the run went on, and another run took the lock
   * over after {@code --stale-after} (a probe on PostgreSQL, {@code idle_session_timeout = 5s} with a beat
   * every 6 s); replacing the connection without beating again on it renewed nothing either. The run
   * records its success only once three beats have renewed the lock.
   */
  @Test
  void aHeartbeatConnectionTheServerEndedIsReplaced() throws Exception {
    HeapConfig config = HeapConfig.builder().funnelEvents(java.util.List.of("a", "b")).build();
    String url = "jdbc:h2:mem:heartbeat-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    AtomicInteger opened = new AtomicInteger();
    CountDownLatch beatsRenewed = new CountDownLatch(3);
    try (Connection setup = DriverManager.getConnection(url);
        StandardError err = StandardError.capture()) {
      new SourceTables(Warehouses.H2, config).create(setup);
      Connection run = recordingSuccessOnlyAfter(url, beatsRenewed, "three beats renewed the lock");
      JdbcRunner.ConnectionSource beatConnections =
          () -> {
            opened.incrementAndGet();
            Connection raw = DriverManager.getConnection(url);
            long[] lastUsed = {System.nanoTime()};
            return StatementHooks.around(
                raw,
                sql -> {
                  if (System.nanoTime() - lastUsed[0] > 250_000_000L) {
                    // the server ends a session idle for longer than its limit
                    raw.close();
                  }
                },
                sql -> {
                  lastUsed[0] = System.nanoTime();
                  beatsRenewed.countDown();
                });
          };
      try (run) {
        RunResult result =
            new JdbcRunner(Warehouses.H2).staleAfter(Duration.ofSeconds(2)).heartbeatOn(beatConnections)
                .run(HeapProject.standard(config).plan(), run);
        assertThat(result.models()).isNotEmpty();
      }
      assertThat(opened.get()).as("heartbeat connections opened").isGreaterThan(2);
      assertThat(err.text()).contains("the heartbeat connection of run ").contains(" was ended by the server (").contains("beating on a new one");
      assertThat(new RunState(Warehouses.H2, config, setup).runs(1)).extracting(RunState.Run::status).containsExactly("succeeded");
    }
  }

  /**
   * No beat runs while the run records its success: BigQuery cancels a transaction that changes
   * heap__runs beside a beat's UPDATE of it ("Conflicting transactions are cancelled", its documentation
   * on transactions), which would fail a run whose facts were applied. Here beats follow one another
   * (every 0.4 s, each held 0.3 s by its connection); from the statement that records the success the
   * test watches 2 s for a beat under way (waiting for the lock row included) or starting, which it sees
   * where the beats are not stopped first.
   */
  @Test
  void noBeatRunsWhileTheRunRecordsItsSuccess() throws Exception {
    HeapConfig config = HeapConfig.builder().funnelEvents(java.util.List.of("a", "b")).build();
    String url = "jdbc:h2:mem:heartbeat-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    AtomicInteger beatsUnderWay = new AtomicInteger();
    AtomicInteger beatsStarted = new AtomicInteger();
    AtomicInteger beatsBesideTheRecord = new AtomicInteger(-1);
    try (Connection setup = DriverManager.getConnection(url)) {
      new SourceTables(Warehouses.H2, config).create(setup);
      Connection run =
          StatementHooks.around(
              DriverManager.getConnection(url),
              sql -> {
                String upper = sql.toUpperCase(Locale.ROOT);
                // the run builds its facts only once the beats have begun
                while (beatsStarted.get() == 0 && upper.contains("STG_HEAP_")) {
                  Thread.sleep(50);
                }
                // the UPDATE that finishes the run (not the read of the last runs, nor the prune after it)
                if (upper.startsWith("UPDATE") && upper.contains("'SUCCEEDED'")) {
                  int started = beatsStarted.get();
                  int seen = beatsUnderWay.get();
                  for (int i = 0; i < 20; i++) {
                    Thread.sleep(100);
                    seen = Math.max(seen, beatsUnderWay.get());
                  }
                  beatsBesideTheRecord.set(seen + beatsStarted.get() - started);
                }
              },
              StatementHooks.NONE);
      JdbcRunner.ConnectionSource beatConnections =
          () ->
              StatementHooks.around(
                  DriverManager.getConnection(url),
                  sql -> {
                    beatsStarted.incrementAndGet();
                    beatsUnderWay.incrementAndGet();
                    Thread.sleep(300);
                  },
                  // a beat is under way until its statement returns: one waiting for the lock row (the
                  // run's transaction holds it from its first statement) included
                  sql -> beatsUnderWay.decrementAndGet());
      try (run) {
        new JdbcRunner(Warehouses.H2).staleAfter(Duration.ofSeconds(2)).heartbeatOn(beatConnections)
            .run(HeapProject.standard(config).plan(), run);
      }
      assertThat(beatsStarted.get()).as("beats").isPositive();
      assertThat(beatsBesideTheRecord.get()).as("beats under way or started while the run recorded its success").isZero();
    }
  }

  /** The run's connection to {@code url}, whose statement recording the run's success waits (at most 30 s) for {@code latch}. */
  private static Connection recordingSuccessOnlyAfter(String url, CountDownLatch latch, String what) throws java.sql.SQLException {
    return StatementHooks.around(
        DriverManager.getConnection(url),
        sql -> {
          if (sql.toUpperCase(Locale.ROOT).contains("'SUCCEEDED'")) {
            assertThat(latch.await(30, TimeUnit.SECONDS)).as(what).isTrue();
          }
        },
        StatementHooks.NONE);
  }
}
