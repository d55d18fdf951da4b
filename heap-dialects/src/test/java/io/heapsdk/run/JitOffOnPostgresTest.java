package io.heapsdk.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.sample.SampleData;
import io.heapsdk.testing.PostgresServer;
import io.heapsdk.testing.StandardError;
import io.heapsdk.testing.StatementHooks;
import io.heapsdk.warehouse.Warehouses;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * A run's statements on PostgreSQL run with just-in-time compilation off, and the session's own value
 * is back after the run, a failed one too. With identity resolution PostgreSQL misjudged the identity
 * map's rows by orders of magnitude (no statistics for its CTEs) and spent about a second compiling each
 * statement of a run whose work took milliseconds (a probe: 1.1 to 4 s per model at 300 merges, 36 to 150
 * ms with JIT off).
 */
class JitOffOnPostgresTest {
  private static final HeapConfig CONFIG =
      HeapConfig.builder().funnelEvents(List.of("view_product", "purchase")).resolveMigrations(true).build();

  @Test
  void theRunsStatementsRunWithoutJitAndTheSessionKeepsItsOwn() throws Exception {
    try (Connection real = PostgresServer.get().newDatabase("heap_jit")) {
      SampleData.of(100, 3).load(real, Warehouses.POSTGRES, CONFIG);
      assertThat(jit(real)).as("PostgreSQL's default").isEqualTo("on");
      List<String> during = new ArrayList<>();
      Connection hooked =
          StatementHooks.around(
              real,
              sql -> {
                // the models' own statements, read on the same session just before each runs
                if (sql.toUpperCase(Locale.ROOT).startsWith("CREATE TABLE") && sql.contains("stg_heap_")) {
                  during.add(jit(real));
                }
              },
              StatementHooks.NONE);
      new JdbcRunner(Warehouses.POSTGRES).run(HeapProject.standard(CONFIG).plan(), hooked);
      assertThat(during).isNotEmpty().containsOnly("off");
      assertThat(jit(real)).as("after the run").isEqualTo("on");

      // a session that set its own value keeps it, after a run that failed too
      try (Statement s = real.createStatement()) {
        s.execute("SET jit = on");
        s.execute("DROP TABLE main_production.user_migrations");
      }
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> new JdbcRunner(Warehouses.POSTGRES).run(HeapProject.standard(CONFIG).plan(), real))
          .hasMessageContaining("user_migrations");
      assertThat(jit(real)).as("after a failed run").isEqualTo("on");
    }
  }

  /**
   * A server that ends the run's session (pg_terminate_backend, a DBA's or a watchdog's) fails the run
   * with the model it was building; the setting went with the session, and the run used to warn that it
   * "could not put session setting jit back".
   */
  @Test
  void aSessionTheServerEndedIsNotPutBack() throws Exception {
    try (Connection real = PostgresServer.get().newDatabase("heap_jit_ended");
        StandardError log = StandardError.capture()) {
      SampleData.of(50, 3).load(real, Warehouses.POSTGRES, CONFIG);
      String pid = String.valueOf(one(real, "SELECT pg_backend_pid()"));
      Connection hooked =
          StatementHooks.around(
              real,
              sql -> {
                if (sql.toUpperCase(Locale.ROOT).startsWith("CREATE TABLE") && sql.contains("stg_heap_events_all_inc_fct")) {
                  assertThat(PostgresServer.get().psql(real.getCatalog(), "SELECT pg_terminate_backend(" + pid + ")").exitCode()).isZero();
                }
              },
              StatementHooks.NONE);
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> new JdbcRunner(Warehouses.POSTGRES).run(HeapProject.standard(CONFIG).plan(), hooked))
          .hasMessageContaining("stg_heap_events_all_inc_fct")
          // the server's own words when it ends the session first; on a loaded machine the driver may
          // write the statement into the closed socket before it reads them (pgjdbc's "Broken pipe")
          .satisfies(e -> assertThat(e.getMessage()).containsAnyOf("terminating connection", "An I/O error occurred while sending to the backend"));
      assertThat(log.text()).doesNotContain("could not put session setting");
    }
  }

  private static Object one(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getObject(1);
    }
  }

  private static String jit(Connection c) {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT current_setting('jit')")) {
      rs.next();
      return rs.getString(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
