package io.heapsdk.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.model.ProjectPlan;
import io.heapsdk.testing.LocalEngines;
import io.heapsdk.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A host hands the runner connections with auto-commit off (a pool configured {@code autoCommit=false},
 * a connection inside a Spring transaction). Before, a run on one "succeeded" with nothing of its own
 * record committed: its lock stayed held, so the next run on another connection was refused ("another
 * run holds the lock") until the lock went stale ten minutes later, and the host's rollback (or a pool
 * closing the connection) took back the run's success while its tables stayed built. The heartbeat's
 * own connection, with auto-commit off too, held its uncommitted beat on the lock row, and the run's
 * next update of that row waited for it (on PostgreSQL, for ever). Now the runner switches auto-commit on
 * for the run, on both connections, and back off after. A read-only connection is refused before the
 * run writes anything.
 */
class AutoCommitOffTest {
  private static final HeapConfig CONFIG = HeapConfig.builder().funnelEvents(List.of("a", "b")).build();

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"h2", "postgres"})
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void aRunOnConnectionsWithAutoCommitOffCommitsItsRecordAndReleasesItsLock(String engine) throws Exception {
    Warehouse w = LocalEngines.warehouse(engine);
    try (Connection setup = LocalEngines.open(engine, "heap_auto_commit_off")) {
      String url = setup.getMetaData().getURL();
      new SourceTables(w, CONFIG).create(setup);
      try (Connection host = DriverManager.getConnection(url);
          Connection other = DriverManager.getConnection(url)) {
        host.setAutoCommit(false);
        // beats every 200 ms, on connections that come with auto-commit off too
        JdbcRunner runner =
            new JdbcRunner(w)
                .staleAfter(Duration.ofSeconds(1))
                .heartbeatOn(
                    () -> {
                      Connection beat = DriverManager.getConnection(url);
                      beat.setAutoCommit(false);
                      return beat;
                    });
        RunResult first = runner.run(HeapProject.standard(CONFIG).plan(), host);
        assertThat(first.models()).hasSize(3);
        assertThat(host.getAutoCommit()).as("the host's connection is given back as it came").isFalse();
        // what the host does with its transaction afterwards no longer touches the run's record
        host.rollback();

        assertThat(lockHolder(other, w)).as("the lock, read on another connection").isNull();
        assertThat(new RunState(w, CONFIG, other).runs(1)).extracting(RunState.Run::status).containsExactly("succeeded");
        // the next run, on another connection, is not refused
        RunResult second = new JdbcRunner(w).run(HeapProject.standard(CONFIG).plan(), other);
        assertThat(second.models()).hasSize(3);
        assertThat(new RunState(w, CONFIG, other).runs(2)).extracting(RunState.Run::status).containsExactly("succeeded", "succeeded");
      }
    }
  }

  /**
   * A connection the host marked read-only (a replica's pool) is refused before the first statement. On
   * PostgreSQL the driver keeps read-only to explicit transactions: the run took its lock and wrote its
   * state tables in auto-commit, then failed at its first transaction with the server's "cannot execute
   * DELETE in a read-only transaction".
   */
  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void aReadOnlyConnectionIsRefusedBeforeAnythingIsWritten() throws Exception {
    Warehouse w = LocalEngines.warehouse("postgres");
    try (Connection setup = LocalEngines.open("postgres", "heap_read_only")) {
      new SourceTables(w, CONFIG).create(setup);
      try (Connection host = DriverManager.getConnection(setup.getMetaData().getURL())) {
        host.setReadOnly(true);
        assertThatThrownBy(() -> new JdbcRunner(w).run(HeapProject.standard(CONFIG).plan(), host))
            .isInstanceOf(HeapRunException.class)
            .hasMessageStartingWith("the run's connection is read-only (Connection.isReadOnly())")
            .hasMessageContaining("give it a connection that may write");
        // and a plan a host executes itself
        JdbcRunner runner = new JdbcRunner(w);
        ProjectPlan plan = HeapProject.standard(CONFIG).plan();
        assertThatThrownBy(() -> runner.execute(runner.plan(plan, setup, true), plan, host))
            .isInstanceOf(HeapRunException.class)
            .hasMessageStartingWith("the run's connection is read-only");
        assertThat(host.isReadOnly()).isTrue();
      }
      // not even the run's state tables
      try (ResultSet tables = setup.getMetaData().getTables(null, CONFIG.targetSchema(), "%", null)) {
        assertThat(tables.next()).as("a table in " + CONFIG.targetSchema()).isFalse();
      }
    }
  }

  /**
   * A database whose sessions default to read-only transactions (a DBA's {@code ALTER DATABASE … SET
   * default_transaction_read_only = on}; a standby server says the same) is refused as a read-only
   * connection is, before anything is written: the driver's {@code isReadOnly()} says false there, and
   * the run took its lock, then failed at its first {@code CREATE TABLE} (a probe).
   */
  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void aSessionThatDefaultsToReadOnlyIsRefusedBeforeAnythingIsWritten() throws Exception {
    Warehouse w = LocalEngines.warehouse("postgres");
    try (Connection setup = LocalEngines.open("postgres", "heap_read_only_default")) {
      new SourceTables(w, CONFIG).create(setup);
      try (Statement s = setup.createStatement()) {
        s.execute("ALTER DATABASE " + setup.getCatalog() + " SET default_transaction_read_only = on");
      }
      try (Connection host = DriverManager.getConnection(setup.getMetaData().getURL())) {
        assertThat(host.isReadOnly()).as("the driver's flag").isFalse();
        assertThatThrownBy(() -> new JdbcRunner(w).run(HeapProject.standard(CONFIG).plan(), host))
            .isInstanceOf(HeapRunException.class)
            .hasMessageStartingWith("the session's transactions are read-only (transaction_read_only is on: default_transaction_read_only"
                + " set for the database or the role, or a standby server), and a run on postgres writes its facts and its state tables");
      }
      try (ResultSet tables = setup.getMetaData().getTables(null, CONFIG.targetSchema(), "%", null)) {
        assertThat(tables.next()).as("a table in " + CONFIG.targetSchema()).isFalse();
      }
    }
  }

  private static String lockHolder(Connection c, Warehouse w) throws SQLException {
    String table = w.table(java.util.Optional.empty(), CONFIG.targetSchema(), io.heapsdk.warehouse.StateSql.LOCK).qualified();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT " + w.quote("run_id") + " FROM " + table)) {
      assertThat(rs.next()).as("the lock's row").isTrue();
      return rs.getString(1);
    }
  }
}
