package io.heapsdk.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.model.PlannedModel;
import io.heapsdk.model.ProjectPlan;
import io.heapsdk.sample.SampleData;
import io.heapsdk.warehouse.BuildPlan;
import io.heapsdk.warehouse.Warehouses;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A run's timings cover the whole run: its steps, in the order the plan gives them plus the run-state
 * bookkeeping, the deciding and the row counts, add up to its total, which the caller's own clock
 * bounds; and the progress listener hears every statement of the plan once, in order.
 */
class RunTimingsTest {
  private static final HeapConfig CONFIG = SampleData.demoConfig();

  record Heard(int n, int of, String phase, String model, Duration elapsed) {}

  @Test
  void fullThenIncrementalRunsAccountForEveryStatementAndTheirTotal() throws Exception {
    ProjectPlan plan = HeapProject.standard(CONFIG).plan();
    try (Connection c = DriverManager.getConnection("jdbc:h2:mem:run_timings;DB_CLOSE_DELAY=-1")) {
      SampleData.of(200, 3).load(c, Warehouses.H2, CONFIG);
      List<Heard> heard = new ArrayList<>();
      JdbcRunner runner =
          new JdbcRunner(Warehouses.H2).withProgress((n, of, phase, model, elapsed) -> heard.add(new Heard(n, of, phase, model, elapsed)));

      BuildPlan full = runner.plan(plan, c, false);
      long start = System.nanoTime();
      RunResult first = runner.run(plan, c);
      Duration wall = Duration.ofNanos(System.nanoTime() - start);
      assertThat(first.mode()).isEqualTo(BuildPlan.Mode.FULL_REFRESH);
      checkTotals(first, wall);
      checkHeard(heard, full);
      // every step of the plan, in its order, with its statements, between the bookkeeping and the counts
      assertThat(first.steps().stream().map(RunResult.StepTiming::phase).toList())
          .containsExactlyElementsOf(
              Stream.of(
                      Stream.of(RunResult.RUN_STATE, RunResult.PLAN),
                      full.steps().stream().map(s -> s.phase().name().toLowerCase(Locale.ROOT)),
                      Stream.of(RunResult.ROW_COUNTS))
                  .flatMap(s -> s)
                  .toList());
      assertThat(first.steps().stream().mapToInt(RunResult.StepTiming::statements).sum())
          .isEqualTo(statements(full) + plan.materialized().size());

      SampleData.of(200, 3).nextBatch().insert(c, Warehouses.H2, CONFIG);
      heard.clear();
      BuildPlan incremental = runner.plan(plan, c, false);
      start = System.nanoTime();
      RunResult second = runner.run(plan, c);
      wall = Duration.ofNanos(System.nanoTime() - start);
      assertThat(second.mode()).isEqualTo(BuildPlan.Mode.INCREMENTAL);
      checkTotals(second, wall);
      checkHeard(heard, incremental);
      // the working tables one step each: the mark, the active users, then each fact's changes
      List<String> facts = plan.incremental().orElseThrow().facts().stream().map(PlannedModel::name).toList();
      ProjectPlan.IncrementalPlan inc = plan.incremental().orElseThrow();
      List<String> work = new ArrayList<>(List.of(inc.highWaterMark().name(), inc.activeUsers().name()));
      work.addAll(facts);
      assertThat(models(second, "work")).containsExactlyElementsOf(work);
      // the apply is one transaction: one step naming every merged fact
      assertThat(models(second, "apply")).containsExactly(String.join(", ", facts));
      assertThat(models(second, "cleanup")).containsExactly("(cleanup)");
      int applyStatements =
          incremental.steps().stream().filter(s -> s.phase() == BuildPlan.Phase.APPLY).mapToInt(s -> s.statements().size()).sum();
      assertThat(second.steps().stream().filter(s -> s.phase().equals("apply")).findFirst().orElseThrow().statements())
          .isEqualTo(applyStatements);
    }
  }

  @Test
  void executeWithoutRunStateTimesItsStepsToo() throws Exception {
    ProjectPlan plan = HeapProject.standard(CONFIG).plan();
    try (Connection c = DriverManager.getConnection("jdbc:h2:mem:execute_timings;DB_CLOSE_DELAY=-1")) {
      SampleData.of(50, 5).load(c, Warehouses.H2, CONFIG);
      BuildPlan build = BuildPlan.fullRefresh(Warehouses.H2, plan);
      List<Heard> heard = new ArrayList<>();
      long start = System.nanoTime();
      RunResult r =
          new JdbcRunner(Warehouses.H2)
              .withProgress((n, of, phase, model, elapsed) -> heard.add(new Heard(n, of, phase, model, elapsed)))
              .execute(build, plan, c);
      Duration wall = Duration.ofNanos(System.nanoTime() - start);
      checkTotals(r, wall);
      checkHeard(heard, build);
      assertThat(r.steps()).noneMatch(s -> s.phase().equals(RunResult.RUN_STATE));
    }
  }

  /** The steps add up to the total (up to logging in between), within the caller's clock and above the models'. */
  private static void checkTotals(RunResult r, Duration wall) {
    Duration models = r.models().stream().map(RunResult.ModelResult::elapsed).reduce(Duration.ZERO, Duration::plus);
    assertThat(r.total()).isLessThanOrEqualTo(wall).isGreaterThanOrEqualTo(models);
    assertThat(r.stepsTotal()).isLessThanOrEqualTo(r.total());
    Duration gap = r.total().minus(r.stepsTotal());
    assertThat(gap).as("time in no step").isLessThanOrEqualTo(Duration.ofMillis(50).plus(r.total().dividedBy(20)));
    assertThat(r.steps()).allSatisfy(s -> assertThat(s.elapsed().isNegative()).as(s.toString()).isFalse());
  }

  /** Every statement of the plan heard once, counted 1..m of m, in the plan's order, as time goes on. */
  private static void checkHeard(List<Heard> heard, BuildPlan build) {
    int m = statements(build);
    assertThat(heard).hasSize(m);
    for (int i = 0; i < m; i++) {
      assertThat(heard.get(i).n()).isEqualTo(i + 1);
      assertThat(heard.get(i).of()).isEqualTo(m);
      if (i > 0) {
        assertThat(heard.get(i).elapsed()).isGreaterThanOrEqualTo(heard.get(i - 1).elapsed());
      }
    }
    List<String> expected =
        build.steps().stream()
            .flatMap(s -> s.statements().stream().map(x -> s.phase().name().toLowerCase(Locale.ROOT) + " " + s.model()))
            .collect(Collectors.toList());
    assertThat(heard.stream().map(h -> h.phase() + " " + h.model()).toList()).isEqualTo(expected);
  }

  private static int statements(BuildPlan build) {
    return build.steps().stream().mapToInt(s -> s.statements().size()).sum();
  }

  private static List<String> models(RunResult r, String phase) {
    return r.steps().stream().filter(s -> s.phase().equals(phase)).map(RunResult.StepTiming::model).toList();
  }
}
