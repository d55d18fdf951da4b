package io.heapsdk.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.warehouse.BuildPlan;
import io.heapsdk.warehouse.Warehouses;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What {@code heap__runs} (so {@code heap status}) calls each run: a full build nobody asked for (the
 * first run, a changed definition, a dropped table) is a "full build", and only a full refresh asked for is a
 * "full-refresh"; both have the same {@link BuildPlan.Mode}. Operators reading "full-refresh" after a
 * config change went looking for who had run {@code --full-refresh}.
 */
class RunKindTest {
  private static final HeapConfig CONFIG = HeapConfig.builder().funnelEvents(List.of("a", "b")).build();

  @Test
  void onlyAFullRefreshAskedForIsRecordedAsOne() throws Exception {
    String url = "jdbc:h2:mem:run-kind-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    try (Connection c = DriverManager.getConnection(url)) {
      new SourceTables(Warehouses.H2, CONFIG).create(c);
      JdbcRunner runner = new JdbcRunner(Warehouses.H2);
      // the first run: every fact's table is missing
      assertThat(runner.run(HeapProject.standard(CONFIG).plan(), c).mode()).isEqualTo(BuildPlan.Mode.FULL_REFRESH);
      assertThat(runner.run(HeapProject.standard(CONFIG).plan(), c).mode()).isEqualTo(BuildPlan.Mode.INCREMENTAL);
      assertThat(runner.run(HeapProject.standard(CONFIG).plan(), c, true).mode()).isEqualTo(BuildPlan.Mode.FULL_REFRESH);
      // every fact's table dropped by hand: each needs a full build, which nobody asked for
      try (Statement s = c.createStatement()) {
        for (String fact : List.of("stg_heap_events_all_inc_fct", "stg_heap_pageview_sessions_inc_fct", "stg_heap_sessions_inc_fct")) {
          s.execute(Warehouses.H2.dropTable(Warehouses.H2.table(CONFIG.targetDatabase(), CONFIG.targetSchema(), fact)));
        }
      }
      assertThat(runner.run(HeapProject.standard(CONFIG).plan(), c).mode()).isEqualTo(BuildPlan.Mode.FULL_REFRESH);
      assertThat(new RunState(Warehouses.H2, CONFIG, c).runs(10).stream().map(RunState.Run::mode).collect(Collectors.toList()))
          .containsExactly("full build", "full-refresh", "incremental", "full build");
    }
  }

  @Test
  void theKindsByModeAndWhetherAsked() {
    assertThat(JdbcRunner.runKind(BuildPlan.Mode.INCREMENTAL, false)).isEqualTo("incremental");
    // an incremental plan is incremental even where a caller's flag says otherwise (a plan handed in)
    assertThat(JdbcRunner.runKind(BuildPlan.Mode.INCREMENTAL, true)).isEqualTo("incremental");
    assertThat(JdbcRunner.runKind(BuildPlan.Mode.FULL_REFRESH, true)).isEqualTo("full-refresh");
    assertThat(JdbcRunner.runKind(BuildPlan.Mode.FULL_REFRESH, false)).isEqualTo("full build");
  }
}
