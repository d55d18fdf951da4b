package io.heapsdk.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.model.ProjectPlan;
import io.heapsdk.run.AnalysisRunner;
import io.heapsdk.run.DataTestRunner;
import io.heapsdk.run.JdbcRunner;
import io.heapsdk.run.RunResult;
import io.heapsdk.testing.HeapRow;
import io.heapsdk.testing.HeapTestDatabase;
import io.heapsdk.warehouse.BuildPlan;
import io.heapsdk.warehouse.SqlRenderer;
import io.heapsdk.warehouse.Warehouses;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** What a host application gets wrong when it uses the Java API, and what it is told. */
class HostMisuseTest {
  private static final HeapConfig CONFIG = HeapConfig.builder().build();
  private static final String FACTS = "stg_heap_events_all_inc_fct, stg_heap_pageview_sessions_inc_fct, stg_heap_sessions_inc_fct";

  /**
   * A plan of {@code planFull()} (about half the planning of {@code plan()}, for rendering) handed to the
   * runner: every run rebuilt every fact in full, saying "the project has no incremental model".
   */
  @Test
  void aRunThatMayBeIncrementalRefusesAPlanOfPlanFull() throws SQLException {
    ProjectPlan full = HeapProject.standard(CONFIG).planFull();
    try (HeapTestDatabase db = HeapTestDatabase.create(CONFIG)) {
      db.insert(HeapRow.of("all_events").set("event_id", 1).set("user_id", 10).set("session_id", 100).set("time", "2024-01-10T10:00:00").set("event_table_name", "view"));
      JdbcRunner runner = new JdbcRunner(Warehouses.H2);
      String said =
          "JdbcRunner: the plan comes from HeapProject.planFull(), which plans no incremental queries, so this run would rebuild "
              + FACTS + " in full, and so would every later one: give the runner HeapProject.plan(), or ask for a full refresh";
      assertThatThrownBy(() -> runner.run(full, db.connection())).isInstanceOf(IllegalArgumentException.class).hasMessage(said);
      assertThatThrownBy(() -> runner.prepare(full, db.connection(), false)).isInstanceOf(IllegalArgumentException.class).hasMessage(said);
      // refused before anything was written: not even the run state
      try (ResultSet rs = db.connection().getMetaData().getTables(null, null, "heap__runs", null)) {
        assertThat(rs.next()).isFalse();
      }
      // a full refresh needs no incremental query: the plan serves it
      assertThat(runner.run(full, db.connection(), true).mode()).isEqualTo(BuildPlan.Mode.FULL_REFRESH);
      RunResult incremental = runner.run(HeapProject.standard(CONFIG).plan(), db.connection());
      assertThat(incremental.mode()).isEqualTo(BuildPlan.Mode.INCREMENTAL);
    }
  }

  @Test
  void theIncrementalSqlOfAPlanOfPlanFullSaysWhereItIs() {
    ProjectPlan full = HeapProject.standard(CONFIG).planFull();
    String said = "the plan comes from HeapProject.planFull(), which plans no incremental queries (of " + FACTS + "): HeapProject.plan() does";
    assertThatThrownBy(() -> new SqlRenderer(Warehouses.SNOWFLAKE, full).incrementalSelect("stg_heap_events_all_inc_fct"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(said);
    assertThatThrownBy(() -> BuildPlan.incremental(Warehouses.SNOWFLAKE, full)).isInstanceOf(IllegalStateException.class).hasMessage(said);
  }

  /** Said where the mistake is made, not later as a NullPointerException from inside the library. */
  @Test
  void aNullWhereARunnerNeedsAValueIsNamedAtOnce() {
    assertThatThrownBy(() -> new JdbcRunner(null)).isInstanceOf(NullPointerException.class).hasMessage("JdbcRunner: warehouse");
    assertThatThrownBy(() -> new AnalysisRunner(null, CONFIG)).isInstanceOf(NullPointerException.class).hasMessage("AnalysisRunner: warehouse");
    assertThatThrownBy(() -> new AnalysisRunner(Warehouses.H2, (HeapConfig) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("AnalysisRunner: config");
    assertThatThrownBy(() -> new DataTestRunner(Warehouses.H2, (Clock) null)).isInstanceOf(NullPointerException.class).hasMessage("DataTestRunner: clock");
    ProjectPlan plan = HeapProject.standard(CONFIG).plan();
    assertThatThrownBy(() -> new JdbcRunner(Warehouses.H2).run(plan, (java.sql.Connection) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("JdbcRunner: connection");
  }
}
