package io.heapsdk.warehouse.golden;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.config.HeapConfigLoader;
import io.heapsdk.model.Materialization;
import io.heapsdk.model.HeapProject;
import io.heapsdk.model.PlannedModel;
import io.heapsdk.model.ProjectPlan;
import io.heapsdk.testing.ActivityModels;
import io.heapsdk.warehouse.BuildPlan;
import io.heapsdk.warehouse.SqlRenderer;
import io.heapsdk.warehouse.Warehouse;
import io.heapsdk.warehouse.Warehouses;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden SQL of every model for every warehouse, for two configs: {@code standard} (a typical project)
 * and {@code hostile} (names and values holding quotes, backslashes, newlines and {@code --}).
 * Materialized models are checked as their full build script, ephemeral ones as their SELECT.
 */
class GoldenSqlTest {
  @TestFactory
  Stream<DynamicTest> standardConfig() {
    return tests("standard", load("golden-configs/standard.yml"));
  }

  @TestFactory
  Stream<DynamicTest> hostileConfig() {
    return tests("hostile", load("golden-configs/hostile.yml"));
  }

  /** User models written with the portable expressions (truncation, distinct counts, safe division). */
  @TestFactory
  Stream<DynamicTest> activityModels() {
    HeapConfig config = load("golden-configs/standard.yml");
    ProjectPlan plan = ActivityModels.project(config).plan();
    List<DynamicTest> tests = new ArrayList<>();
    for (Warehouse w : Warehouses.all()) {
      SqlRenderer renderer = new SqlRenderer(w, plan);
      for (String model : List.of("session_periods", "daily_active_users")) {
        String path = "activity/" + w.name() + "/" + model + ".sql";
        tests.add(DynamicTest.dynamicTest(path, () -> GoldenFiles.check(path, renderer.select(model) + "\n")));
      }
    }
    return tests.stream();
  }

  static HeapConfig load(String resource) {
    try (InputStream in = GoldenSqlTest.class.getClassLoader().getResourceAsStream(resource)) {
      return HeapConfigLoader.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), resource);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Stream<DynamicTest> tests(String configName, HeapConfig config) {
    ProjectPlan plan = HeapProject.standard(config).plan();
    List<DynamicTest> tests = new ArrayList<>();
    for (Warehouse w : Warehouses.all()) {
      BuildPlan build = BuildPlan.fullRefresh(w, plan);
      BuildPlan incremental = BuildPlan.incremental(w, plan);
      SqlRenderer renderer = new SqlRenderer(w, plan);
      for (PlannedModel m : plan.models()) {
        String path = configName + "/" + w.name() + "/" + m.name() + ".sql";
        tests.add(DynamicTest.dynamicTest(path, () -> GoldenFiles.check(path, sql(build, renderer, m))));
      }
      // an incremental run: the active users, then per fact its recomputed rows and how they are applied
      for (String model : incremental.models()) {
        String path = configName + "/" + w.name() + "/" + model + ".incremental.sql";
        tests.add(DynamicTest.dynamicTest(path, () -> GoldenFiles.check(path, incremental.script(model))));
      }
    }
    return tests.stream();
  }

  static String sql(BuildPlan build, SqlRenderer renderer, PlannedModel m) {
    if (m.model().materialization() == Materialization.EPHEMERAL) {
      return renderer.select(m.name()) + "\n";
    }
    return build.script(m.name());
  }
}
