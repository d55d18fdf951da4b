package io.heapsdk.warehouse.golden;

import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.analysis.Attribution;
import io.heapsdk.analysis.Funnel;
import io.heapsdk.analysis.Paths;
import io.heapsdk.analysis.Retention;
import io.heapsdk.analysis.FunnelTrend;
import io.heapsdk.analysis.TimeToConvert;
import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.model.PlannedModel;
import io.heapsdk.model.ProjectPlan;
import io.heapsdk.run.AnalysisRunner;
import io.heapsdk.testing.AnalysisFixtures;
import io.heapsdk.testing.GoldenConfigs;
import io.heapsdk.warehouse.SqlRenderer;
import io.heapsdk.warehouse.Warehouse;
import io.heapsdk.warehouse.Warehouses;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link AnalysisRunner#sql} plans only the full queries ({@link HeapProject#planFull()}); its SQL must
 * be exactly what the whole project plan ({@link HeapProject#plan()}) renders for the same analysis,
 * for every fixture, warehouse and golden config.
 */
class AnalysisRunnerSqlTest {
  private static final List<String> CONFIGS = List.of("standard", "hostile", "unicode");

  @TestFactory
  Stream<DynamicTest> runnerSqlIsTheWholePlansSql() {
    List<DynamicTest> tests = new ArrayList<>();
    CONFIGS.forEach(
        configName -> {
          for (Warehouse w : Warehouses.all()) {
            // the config's variant where the warehouse cannot store some of its names (BigQuery)
            HeapConfig config = GoldenConfigs.forWarehouse(configName, w);
            AnalysisRunner runner = new AnalysisRunner(w, config);
            AnalysisFixtures.funnels()
                .forEach(
                    (name, funnel) ->
                        tests.add(
                            DynamicTest.dynamicTest(
                                configName + "/" + w.name() + "/" + name,
                                () -> assertThat(runner.sql(funnel)).isEqualTo(wholePlan(w, config, funnel)))));
            AnalysisFixtures.funnelViews()
                .forEach(
                    (name, view) ->
                        tests.add(
                            DynamicTest.dynamicTest(
                                configName + "/" + w.name() + "/" + name,
                                () -> assertThat(view instanceof FunnelTrend t ? runner.sql(t) : runner.sql((TimeToConvert) view))
                                    .isEqualTo(wholePlan(w, config, view)))));
            AnalysisFixtures.attributions()
                .forEach(
                    (name, attribution) ->
                        tests.add(
                            DynamicTest.dynamicTest(
                                configName + "/" + w.name() + "/" + name,
                                () -> assertThat(runner.sql(attribution)).isEqualTo(wholePlan(w, config, attribution)))));
            AnalysisFixtures.retentions()
                .forEach(
                    (name, retention) ->
                        tests.add(
                            DynamicTest.dynamicTest(
                                configName + "/" + w.name() + "/" + name,
                                () -> assertThat(runner.sql(retention)).isEqualTo(wholePlan(w, config, retention)))));
            AnalysisFixtures.paths()
                .forEach(
                    (name, paths) ->
                        tests.add(
                            DynamicTest.dynamicTest(
                                configName + "/" + w.name() + "/" + name,
                                () -> assertThat(runner.sql(paths)).isEqualTo(wholePlan(w, config, paths)))));
          }
        });
    return tests.stream();
  }

  @Test
  void planFullHasTheFullQueriesOfPlanAndNoIncrementalRun() {
    HeapProject project = AnalysisFixtures.project(GoldenConfigs.load("standard"));
    ProjectPlan whole = project.plan();
    ProjectPlan full = project.planFull();
    assertThat(whole.incremental()).isPresent();
    assertThat(full.incremental()).isEmpty();
    assertThat(full.models().stream().map(PlannedModel::name).toList())
        .isEqualTo(whole.models().stream().map(PlannedModel::name).toList());
    for (Warehouse w : Warehouses.all()) {
      SqlRenderer fromWhole = new SqlRenderer(w, whole);
      SqlRenderer fromFull = new SqlRenderer(w, full);
      for (PlannedModel m : whole.models()) {
        assertThat(fromFull.select(m.name())).as(w.name() + " " + m.name()).isEqualTo(fromWhole.select(m.name()));
      }
    }
  }

  private static String wholePlan(Warehouse w, HeapConfig config, Funnel funnel) {
    HeapProject project = HeapProject.standard(config);
    funnel.addTo(project, AnalysisRunner.FUNNEL_MODEL);
    return new SqlRenderer(w, project.plan()).select(AnalysisRunner.FUNNEL_MODEL);
  }

  private static String wholePlan(Warehouse w, HeapConfig config, Retention retention) {
    HeapProject project = HeapProject.standard(config);
    retention.addTo(project, AnalysisRunner.RETENTION_MODEL);
    return new SqlRenderer(w, project.plan()).select(AnalysisRunner.RETENTION_MODEL);
  }

  private static String wholePlan(Warehouse w, HeapConfig config, Paths paths) {
    HeapProject project = HeapProject.standard(config);
    paths.addTo(project, AnalysisRunner.PATHS_MODEL);
    return new SqlRenderer(w, project.plan()).select(AnalysisRunner.PATHS_MODEL);
  }

  private static String wholePlan(Warehouse w, HeapConfig config, Object view) {
    HeapProject project = HeapProject.standard(config);
    String name = view instanceof FunnelTrend ? AnalysisRunner.FUNNEL_TREND_MODEL : AnalysisRunner.TIME_TO_CONVERT_MODEL;
    AnalysisFixtures.addView(project, name, view);
    return new SqlRenderer(w, project.plan()).select(name);
  }

  private static String wholePlan(Warehouse w, HeapConfig config, Attribution attribution) {
    HeapProject project = HeapProject.standard(config);
    attribution.addTo(project, AnalysisRunner.ATTRIBUTION_MODEL);
    return new SqlRenderer(w, project.plan()).select(AnalysisRunner.ATTRIBUTION_MODEL);
  }
}
