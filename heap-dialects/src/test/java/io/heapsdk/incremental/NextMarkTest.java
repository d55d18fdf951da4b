package io.heapsdk.incremental;

import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.model.ProjectPlan;
import io.heapsdk.run.JdbcRunner;
import io.heapsdk.run.RunResult;
import io.heapsdk.run.RunState;
import io.heapsdk.sample.LaterBatch;
import io.heapsdk.sample.SampleData;
import io.heapsdk.testing.LocalEngines;
import io.heapsdk.warehouse.BuildPlan;
import io.heapsdk.warehouse.SqlRenderer;
import io.heapsdk.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The mark an incremental run records for the next one takes each merged fact's newest time from the
 * rows it recomputed, not from a scan of the fact. For the standard facts that must be the mark a scan
 * gives: checked here against the compiled script's own query ({@link SqlRenderer#highWaterMarkSelect},
 * which reads the facts as they stand) after each of three later batches (new and returning users, late
 * rows, re-synced duplicates, identity merges).
 */
class NextMarkTest {
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"h2", "duckdb", "postgres"})
  void theRecordedMarkIsTheOneTheFactsGive(String engine) throws Exception {
    HeapConfig config = SampleData.demoConfig();
    Warehouse w = LocalEngines.warehouse(engine);
    ProjectPlan plan = HeapProject.standard(config).plan();
    SampleData sample = SampleData.of(400, 7);
    try (Connection c = LocalEngines.open(engine, "nextmark")) {
      sample.load(c, w, config);
      JdbcRunner runner = new JdbcRunner(w);
      runner.run(plan, c);
      assertThat(recorded(w, config, c)).isEqualTo(scanned(w, plan, c)).isPresent();
      LaterBatch batch = sample.nextBatch();
      for (int i = 0; i < 3; i++) {
        batch.insert(c, w, config);
        RunResult run = runner.run(plan, c);
        assertThat(run.mode()).isEqualTo(BuildPlan.Mode.INCREMENTAL);
        assertThat(recorded(w, config, c)).as("after batch %d", i + 2).isEqualTo(scanned(w, plan, c)).isPresent();
        batch = batch.next();
      }
    }
  }

  private static Optional<LocalDateTime> recorded(Warehouse w, HeapConfig config, Connection c) {
    return new RunState(w, config, c).lastSuccess().orElseThrow().nextMark();
  }

  private static Optional<LocalDateTime> scanned(Warehouse w, ProjectPlan plan, Connection c) throws Exception {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(new SqlRenderer(w, plan).highWaterMarkSelect())) {
      rs.next();
      return Optional.ofNullable(rs.getObject(1, LocalDateTime.class));
    }
  }
}
