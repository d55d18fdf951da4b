package io.heapsdk.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.model.ProjectPlan;
import io.heapsdk.testing.GoldenConfigs;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** No name Calcite makes up ({@code t0}, {@code $f1}, {@code EXPR$0}) reaches any statement of any run. */
class ReadableSqlTest {
  @ParameterizedTest
  @ValueSource(strings = {"snowflake", "bigquery", "redshift", "h2", "postgres", "duckdb", "spark", "trino"})
  void noGeneratedNames(String warehouseName) {
    Warehouse w = Warehouses.byName(warehouseName);
    HeapConfig resolving = HeapConfig.builder().resolveMigrations(true).funnelEvents(List.of("a", "b")).build();
    for (HeapConfig config : List.of(HeapConfig.defaults(), resolving, GoldenConfigs.forWarehouse("hostile", w), GoldenConfigs.forWarehouse("unicode", w))) {
      ProjectPlan plan = HeapProject.standard(config).plan();
      for (BuildPlan run : List.of(BuildPlan.fullRefresh(w, plan), BuildPlan.incremental(w, plan))) {
        String sql = run.script();
        assertThat(sql).doesNotContainPattern("[\"`](t|T)\\d*[\"`]").doesNotContain("$f").doesNotContain("EXPR$");
      }
    }
  }
}
