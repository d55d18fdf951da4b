package io.heapsdk.models;

import static io.heapsdk.testing.Rows.event;
import static io.heapsdk.testing.Rows.pageview;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heapsdk.analysis.Funnel;
import io.heapsdk.config.HeapConfig;
import io.heapsdk.run.AnalysisRunner;
import io.heapsdk.run.HeapRunException;
import io.heapsdk.testing.H2Db;
import io.heapsdk.warehouse.Warehouses;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A statement the database refuses stops the run with a one-line error naming the model, the warehouse
 * and the database's reason; the statement is kept in {@link HeapRunException#statement()}.
 */
class RunnerErrorsTest {
  @Test
  void refusedStatementNamesModelAndStatement() throws Exception {
    try (H2Db db = H2Db.create(HeapConfig.defaults())) {
      db.insert("all_events", event(1, 1, 10, "2024-01-01T10:00:00", "a"));
      db.insert("pageviews", pageview(2, 1, 10, "2024-01-01T10:00:00", "/"));
      // pageviews that every query of fails on (a missing table is a config error before any statement)
      try (Statement s = db.connection().createStatement()) {
        s.execute("ALTER TABLE \"MAIN_PRODUCTION\".\"PAGEVIEWS\" RENAME TO \"PAGEVIEW_ROWS\"");
        s.execute("CREATE VIEW \"MAIN_PRODUCTION\".\"PAGEVIEWS\" AS SELECT * FROM \"MAIN_PRODUCTION\".\"PAGEVIEW_ROWS\""
            + " WHERE 1 / (\"EVENT_ID\" - \"EVENT_ID\") = 1");
      }
      assertThatThrownBy(db::buildStandard)
          .isInstanceOf(HeapRunException.class)
          .hasMessageStartingWith("model stg_heap_pageview_sessions_inc_fct failed on h2: ")
          .hasMessageContaining("Division by zero")
          .satisfies(
              e -> {
                HeapRunException r = (HeapRunException) e;
                assertThat(r.model()).isEqualTo("stg_heap_pageview_sessions_inc_fct");
                // on H2 the pageviews the model reads twice go into a working table first (then the
                // __new table): the failure is there, and leaves any old table in place
                assertThat(r.statement())
                    .startsWith("CREATE TABLE \"HEAP_MODELS\".\"STG_HEAP_PAGEVIEW_SESSIONS_INC_FCT__SRC_HEAP_PAGEVIEWS_EPH__R");
              });
      // the models before it were built
      assertThat(db.table("stg_heap_events_all_inc_fct")).hasSize(1);
      // one line: the statement is in statement(), not repeated in the message
      assertThat(messageOfAFailedBuild(db)).doesNotContain("\n", "CREATE TABLE", "SQL statement");
    }
  }

  private static String messageOfAFailedBuild(H2Db db) {
    try {
      db.buildStandard();
      throw new AssertionError("expected a HeapRunException");
    } catch (HeapRunException e) {
      return e.getMessage();
    }
  }

  @Test
  void anAnalysisBeforeAnyBuildGivesOneShortLineAndKeepsTheStatement() {
    // the host application's probe: this message was 10,588 characters over 234 lines
    HeapConfig config = HeapConfig.defaults();
    Funnel funnel =
        Funnel.builder().steps(List.of("view", "add", "cart", "checkout", "pay", "confirm", "ship", "review")).breakdown("utm_campaign").build();
    try (H2Db db = H2Db.create(config)) {
      AnalysisRunner runner = new AnalysisRunner(Warehouses.H2, config);
      String sql = runner.sql(funnel);
      assertThat(sql.length()).isGreaterThan(5_000);
      assertThatThrownBy(() -> runner.run(funnel, db.connection()))
          .isInstanceOf(HeapRunException.class)
          .satisfies(
              e -> {
                HeapRunException r = (HeapRunException) e;
                // the target schema was never created: H2's first line says so, without the SQL after it
                assertThat(r.getMessage()).isEqualTo("analysis funnel failed on h2: Schema \"HEAP_MODELS\" not found");
                // on H2 the runner first stores the CTEs the SELECT reads more than once (the funnel's
                // entries) in a temporary table: the statement kept is that one, which failed
                assertThat(r.statement()).startsWith("CREATE LOCAL TEMPORARY TABLE \"PUBLIC\".\"HEAP_CTE__FUNNEL_").contains(sql.substring(0, 200));
                assertThat(r.model()).isEqualTo("funnel");
                assertThat(r.getCause().getMessage()).contains("SELECT");
              });
    }
  }

  @Test
  void aLongReasonIsCutToOneLineOfAtMost300Characters() {
    SQLException cause = new SQLException("x".repeat(1000) + "\nsecond line", "42000");
    HeapRunException e = new HeapRunException("m", "postgres", "SELECT 1", cause);
    assertThat(e.getMessage()).isEqualTo("model m failed on postgres: " + "x".repeat(299) + "…");
    assertThat(e.statement()).isEqualTo("SELECT 1");
    HeapRunException empty = HeapRunException.test("t", "duckdb", "SELECT 2", new SQLException(null, "08006"));
    assertThat(empty.getMessage()).isEqualTo("test t failed on duckdb: SQLSTATE 08006");
    assertThat(new HeapRunException("m", "h2", "S", new SQLException("Column \"A\" not found; SQL statement:\nSELECT A FROM T [42122-232]")).getMessage())
        .isEqualTo("model m failed on h2: Column \"A\" not found");
  }

  /**
   * The driver's own failure under its SQL error is the reason a user can act on: H2 reports a file
   * database closed under it as "The database has been closed" over the file error, PostgreSQL a lost
   * connection as an I/O error over the socket's. SQL errors wrapped in SQL errors add nothing.
   */
  @Test
  void aDriversUnderlyingFailureIsNamed() {
    SQLException closed =
        new SQLException(
            "The database has been closed [90098-252]", "90098",
            new IllegalStateException("Reading from file /data/heap.mv.db failed at 116013972 (length -1)\n\tat org.h2…"));
    assertThat(new HeapRunException("(run state)", "h2", "S", closed).getMessage())
        .isEqualTo("the run state failed on h2: The database has been closed [90098-252] (Reading from file /data/heap.mv.db failed at 116013972 (length -1))");
    SQLException io = new SQLException("An I/O error occurred while sending to the backend.", "08006", new java.io.IOException(new java.net.SocketException("Connection reset")));
    assertThat(new HeapRunException("m", "postgres", "S", io).getMessage())
        .isEqualTo("model m failed on postgres: An I/O error occurred while sending to the backend. (Connection reset)");
    SQLException nested = new SQLException("relation \"x\" does not exist", "42P01", new SQLException("relation \"x\" does not exist"));
    assertThat(new HeapRunException("m", "postgres", "S", nested).getMessage()).isEqualTo("model m failed on postgres: relation \"x\" does not exist");
  }
}
