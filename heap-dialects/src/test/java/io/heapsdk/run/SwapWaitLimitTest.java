package io.heapsdk.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * How much of the session's own bound the swap's tries may still wait. A {@code statement_timeout} also
 * counts a try's statement before it waits for the lock, so the tries keep a margin below it (a quarter,
 * at most half a second): with 1.5 s and a lock bound of all of it, PostgreSQL 15 ended the swap with the
 * statement timeout first, six times out of six, and the run failed with that error instead of naming
 * the setting. A {@code lock_timeout} needs none, each try setting its own.
 */
class SwapWaitLimitTest {
  @Test
  void aStatementTimeoutKeepsAMarginALockTimeoutDoesNot() {
    JdbcRunner.SessionLockWaitLimit statement = new JdbcRunner.SessionLockWaitLimit("statement_timeout", Duration.ofMillis(1500));
    assertThat(statement.left(0)).isEqualTo(Duration.ofMillis(1125));
    assertThat(statement.left(1_000_000_000L)).isEqualTo(Duration.ofMillis(125));
    assertThat(new JdbcRunner.SessionLockWaitLimit("statement_timeout", Duration.ofMinutes(5)).left(0))
        .isEqualTo(Duration.ofMinutes(5).minusMillis(500));
    JdbcRunner.SessionLockWaitLimit lock = new JdbcRunner.SessionLockWaitLimit("lock_timeout", Duration.ofMillis(1500));
    assertThat(lock.left(0)).isEqualTo(Duration.ofMillis(1500));
    assertThat(lock.describe()).isEqualTo("the session's lock_timeout of 1.5 s");
    assertThat(new JdbcRunner.SessionLockWaitLimit("lock_timeout", Duration.ofMillis(300_000)).describe())
        .isEqualTo("the session's lock_timeout of 300 s");
    assertThat(new JdbcRunner.SessionLockWaitLimit("lock_timeout", Duration.ofMillis(80)).describe()).isEqualTo("the session's lock_timeout of 80 ms");
    assertThat(new JdbcRunner.SessionLockWaitLimit("lock_timeout", Duration.ofMillis(1999)).describe()).isEqualTo("the session's lock_timeout of 2 s");
  }
}
