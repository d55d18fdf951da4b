package io.heapsdk.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.testing.StatementHooks;
import io.heapsdk.warehouse.h2.H2Warehouse;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A swap try that timed out on its lock and whose rollback then failed is the last try: the connection's
 * state is unknown, and another try on it could run inside what is left of the failed transaction, or
 * fail on the broken connection with a message that hides the lock. H2 stands in for PostgreSQL here: it
 * bounds the swap's lock wait the way PostgreSQL does, and the swap's DROP fails with PostgreSQL's
 * lock-timeout SQLSTATE until the test lets it through.
 */
class SwapRollbackFailedTest {
  private static final HeapConfig CONFIG = HeapConfig.builder().funnelEvents(List.of("a", "b")).build();
  private static final String LOCK_NOT_AVAILABLE = "55P03";

  /** H2 with PostgreSQL's bounded swap: a lock timeout per try, recognised by its SQLSTATE. */
  static final class BoundedSwapH2 extends H2Warehouse {
    @Override
    public Optional<String> swapLockTimeoutStatement(Duration timeout) {
      return Optional.of("SET LOCK_TIMEOUT " + timeout.toMillis());
    }

    @Override
    public boolean isLockTimeout(SQLException e) {
      return LOCK_NOT_AVAILABLE.equals(e.getSQLState());
    }
  }

  @Test
  void aTryWhoseRollbackFailedIsNotTriedAgain() throws Exception {
    BoundedSwapH2 h2 = new BoundedSwapH2();
    String url = "jdbc:h2:mem:swap-rollback-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    try (Connection real = DriverManager.getConnection(url)) {
      new SourceTables(h2, CONFIG).create(real);
      JdbcRunner runner = new JdbcRunner(h2);
      runner.run(HeapProject.standard(CONFIG).plan(), real);

      AtomicInteger swapTries = new AtomicInteger();
      AtomicBoolean rollbackFails = new AtomicBoolean(true);
      Connection hooked =
          StatementHooks.around(
              real,
              sql -> {
                // the swap's DROP of the table in place: the first statement that waits for readers
                String upper = sql.toUpperCase(java.util.Locale.ROOT);
                if (upper.startsWith("DROP TABLE") && upper.contains("_INC_FCT") && !upper.contains("__NEW") && !upper.contains("__R")) {
                  if (swapTries.incrementAndGet() == 1) {
                    throw new SQLException("canceling statement due to lock timeout", LOCK_NOT_AVAILABLE);
                  }
                }
              },
              StatementHooks.NONE);
      Connection connection = failingRollbackOnce(hooked, rollbackFails);

      assertThatThrownBy(() -> runner.run(HeapProject.standard(CONFIG).plan(), connection, true))
          .isInstanceOf(HeapRunException.class)
          .satisfies(e -> {
            assertThat(e.getCause()).isInstanceOf(SQLException.class).hasMessageContaining("lock timeout");
            assertThat(e.getSuppressed()).extracting(Throwable::getMessage).contains("the connection broke during the rollback");
          });
      assertThat(swapTries).as("swap tries").hasValue(1);
      // the run is recorded as failed, and the next one builds
      assertThat(new RunState(h2, CONFIG, real).runs(1).get(0).status()).isEqualTo("failed");
      runner.run(HeapProject.standard(CONFIG).plan(), real, true);
    }
  }

  /** {@code c}, whose first {@code rollback()} throws, as a connection broken at that moment would. */
  private static Connection failingRollbackOnce(Connection c, AtomicBoolean fails) {
    return (Connection)
        Proxy.newProxyInstance(
            SwapRollbackFailedTest.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            (proxy, method, args) -> {
              if (method.getName().equals("rollback") && (args == null || args.length == 0) && fails.getAndSet(false)) {
                c.rollback();
                throw new SQLException("the connection broke during the rollback", "08006");
              }
              try {
                return method.invoke(c, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }
}
