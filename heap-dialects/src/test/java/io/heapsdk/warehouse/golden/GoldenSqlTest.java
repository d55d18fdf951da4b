package io.heapsdk.warehouse.golden;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.Materialization;
import io.heapsdk.model.HeapProject;
import io.heapsdk.model.PlanContext;
import io.heapsdk.model.PlannedModel;
import io.heapsdk.model.ProjectPlan;
import io.heapsdk.testing.ActivityModels;
import io.heapsdk.testing.GoldenConfigs;
import io.heapsdk.warehouse.BuildPlan;
import io.heapsdk.warehouse.SourcePrints;
import io.heapsdk.warehouse.SqlRenderer;
import io.heapsdk.warehouse.TableName;
import io.heapsdk.warehouse.Warehouse;
import io.heapsdk.warehouse.Warehouses;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden SQL of every model for every warehouse, for three configs: {@code standard} (a typical project),
 * {@code hostile} (names and values holding quotes, backslashes, newlines and {@code --}) and
 * {@code unicode} (every user string in emoji, CJK, Cyrillic, right-to-left scripts, combining marks).
 * A warehouse that cannot store some name of a config renders its variant ({@link GoldenConfigs}).
 * Materialized models are checked as their full build script, ephemeral ones as their SELECT.
 */
class GoldenSqlTest {
  @TestFactory
  Stream<DynamicTest> standardConfig() {
    return tests("standard");
  }

  @TestFactory
  Stream<DynamicTest> hostileConfig() {
    return tests("hostile");
  }

  /** User models written with the portable expressions (truncation, distinct counts, safe division). */
  @TestFactory
  Stream<DynamicTest> activityModels() {
    ProjectPlan plan = ActivityModels.project(GoldenConfigs.load("standard")).plan();
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

  @TestFactory
  Stream<DynamicTest> unicodeConfig() {
    return tests("unicode");
  }

  /**
   * {@code users.enabled} on the standard config: the users fact's full build and incremental run, and
   * the run's mark, which takes the users fact's newest time too (the other facts' SQL is unchanged).
   */
  @TestFactory
  Stream<DynamicTest> usersFact() {
    List<DynamicTest> tests = new ArrayList<>();
    HeapConfig config = HeapConfig.builder().from(GoldenConfigs.load("standard")).usersEnabled(true).build();
    ProjectPlan plan = HeapProject.standard(config).plan();
    ProjectPlan plain = HeapProject.standard(GoldenConfigs.load("standard")).plan();
    for (Warehouse w : Warehouses.all()) {
      BuildPlan build = BuildPlan.fullRefresh(w, plan);
      BuildPlan incremental = BuildPlan.incremental(w, plan);
      SqlRenderer renderer = new SqlRenderer(w, plan);
      String fact = io.heapsdk.model.standard.StandardModels.USERS_FACT;
      String path = "users/" + w.name() + "/" + fact + ".sql";
      tests.add(DynamicTest.dynamicTest(path, () -> GoldenFiles.check(path, sql(build, renderer, plan.model(fact)))));
      for (String model : List.of(fact, "heap__high_water_mark")) {
        String inc = "users/" + w.name() + "/" + model + ".incremental.sql";
        tests.add(DynamicTest.dynamicTest(inc, () -> GoldenFiles.check(inc, incremental.script(model))));
      }
      // the other models' statements are the standard config's
      BuildPlan standard = BuildPlan.fullRefresh(w, plain);
      tests.add(
          DynamicTest.dynamicTest(
              "users/" + w.name() + ": the other models as without it",
              () -> {
                for (PlannedModel m : plain.materialized()) {
                  org.assertj.core.api.Assertions.assertThat(build.script(m.name())).as(m.name()).isEqualTo(standard.script(m.name()));
                }
              }));
    }
    return tests.stream();
  }

  /**
   * {@code incremental.reconcile} on the standard config: the fingerprint table in the setup, the
   * current fingerprints, the users whose fingerprints changed, the active users including them, and
   * the fingerprints recorded at the end; a full refresh computes and records them alike.
   */
  @TestFactory
  Stream<DynamicTest> reconcilingRuns() {
    List<DynamicTest> tests = new ArrayList<>();
    HeapConfig config = HeapConfig.builder().from(GoldenConfigs.load("standard")).reconcile(true).build();
    ProjectPlan plan = HeapProject.standard(config).plan();
    ProjectPlan plain = HeapProject.standard(GoldenConfigs.load("standard")).plan();
    for (Warehouse w : Warehouses.all()) {
      BuildPlan incremental = BuildPlan.incremental(w, plan);
      BuildPlan full = BuildPlan.fullRefresh(w, plan);
      for (String model : List.of("(setup)", SourcePrints.TABLE, PlanContext.RECONCILED_USERS, "heap__active_users")) {
        String path = "reconcile/" + w.name() + "/" + model.replace("(setup)", "_setup") + ".incremental.sql";
        tests.add(DynamicTest.dynamicTest(path, () -> GoldenFiles.check(path, incremental.script(model))));
      }
      // a plain run where a reconciling one stored fingerprints forgets those of the users it recomputes
      BuildPlan between =
          BuildPlan.incremental(w, plain, new BuildPlan.RunShape("", java.util.Set.of(), java.util.Optional.empty(), java.util.Set.of(), true));
      String forget = "reconcile/" + w.name() + "/heap__source_prints.between.incremental.sql";
      tests.add(DynamicTest.dynamicTest(forget, () -> GoldenFiles.check(forget, between.script(SourcePrints.TABLE))));
      // a full refresh computes the fingerprints with the same statements, forgets the stored ones before
      // its first swap, and records them for every user whose rows are as they were (an incremental run:
      // for its active users, whose fingerprints it forgot before its apply)
      tests.add(
          DynamicTest.dynamicTest(
              "reconcile/" + w.name() + ": full refresh records the same fingerprints",
              () -> {
                List<List<String>> inc = printSteps(incremental);
                SourcePrints prints = new SourcePrints(w, config);
                TableName current = w.table(config.targetDatabase(), config.targetSchema(), SourcePrints.CURRENT);
                TableName active = w.table(config.targetDatabase(), config.targetSchema(), "heap__active_users");
                org.assertj.core.api.Assertions.assertThat(inc)
                    .containsExactly(
                        inc.get(0), List.of(prints.createStored(), prints.forget(active)), prints.record(current, java.util.Optional.of(active)));
                org.assertj.core.api.Assertions.assertThat(printSteps(full))
                    .containsExactly(inc.get(0), List.of(prints.forgetAll()), prints.record(current, java.util.Optional.empty()));
              }));
    }
    return tests.stream();
  }

  /** The statements of each step of {@code build} that keeps the fingerprints, in order. */
  private static List<List<String>> printSteps(BuildPlan build) {
    return build.steps().stream().filter(st -> st.model().equals(SourcePrints.TABLE)).map(BuildPlan.Step::statements).toList();
  }

  private static Stream<DynamicTest> tests(String configName) {
    List<DynamicTest> tests = new ArrayList<>();
    Map<HeapConfig, ProjectPlan> plans = new HashMap<>();
    for (Warehouse w : Warehouses.all()) {
      ProjectPlan plan = plans.computeIfAbsent(GoldenConfigs.forWarehouse(configName, w), c -> HeapProject.standard(c).plan());
      BuildPlan build = BuildPlan.fullRefresh(w, plan);
      BuildPlan incremental = BuildPlan.incremental(w, plan);
      SqlRenderer renderer = new SqlRenderer(w, plan);
      for (PlannedModel m : plan.models()) {
        String path = configName + "/" + w.name() + "/" + m.name() + ".sql";
        tests.add(DynamicTest.dynamicTest(path, () -> GoldenFiles.check(path, sql(build, renderer, m))));
      }
      // the run's setup: the target schema (BigQuery: the dataset, in target.location)
      String setup = configName + "/" + w.name() + "/_setup.sql";
      tests.add(DynamicTest.dynamicTest(setup, () -> GoldenFiles.check(setup, build.script("(setup)"))));
      // a full refresh that keeps each table, replacing its rows (the runner's choice for a table that
      // holds its model's definition), where the warehouse can: the same SELECT, another statement, so
      // the hostile config's names alone (the validators parse every config's: RenderedStatements)
      if (w.refillsInPlace() && configName.equals("hostile")) {
        Set<String> all = plan.materialized().stream().map(PlannedModel::name).collect(Collectors.toSet());
        BuildPlan refill = BuildPlan.fullRefresh(w, plan, "", all);
        for (PlannedModel m : plan.materialized()) {
          String path = configName + "/" + w.name() + "/" + m.name() + ".refill.sql";
          tests.add(DynamicTest.dynamicTest(path, () -> GoldenFiles.check(path, refill.script(m.name()))));
        }
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
