package io.heapsdk.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
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
      Connection run =
          StatementHooks.around(
              DriverManager.getConnection(url),
              sql -> {
                if (sql.toUpperCase(Locale.ROOT).contains("'SUCCEEDED'")) {
                  assertThat(inBeat.await(30, TimeUnit.SECONDS)).as("a beat started during the run").isTrue();
                }
              },
              StatementHooks.NONE);
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
}
