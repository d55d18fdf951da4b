package io.heapsdk.examples.jmh;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.model.Materialization;
import io.heapsdk.model.PlannedModel;
import io.heapsdk.model.ProjectPlan;
import io.heapsdk.sample.SampleData;
import io.heapsdk.warehouse.BuildPlan;
import io.heapsdk.warehouse.SqlRenderer;
import io.heapsdk.warehouse.Warehouse;
import io.heapsdk.warehouse.Warehouses;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Warm planning and rendering of the standard models (the demo's config: funnel and conversion events,
 * so every model has its full width), in milliseconds per model·warehouse: each score is the time of one
 * invocation divided by the models times the warehouses it renders ({@code @OperationsPerInvocation}).
 * Every invocation plans the project again from its config: nothing planned or rendered is kept between
 * invocations.
 *
 * <ul>
 *   <li>{@code planAndSelect}: plan the project, then every model's SELECT for one warehouse (7 models).
 *   <li>{@code compileThree}: what {@code heap compile --warehouse snowflake,bigquery,redshift} does in
 *       memory: plan once, then the full-refresh script of every model for each warehouse, and the
 *       SELECT of the ephemeral ones (7 models × 3 warehouses).
 * </ul>
 *
 * <pre>
 * mvn -B -Pjmh -pl heap-examples -am test -DskipTests                    # both, as configured below
 * mvn -B -Pjmh -pl heap-examples -am test -DskipTests -Djmh.args="PlanRenderBenchmark.compileThree -prof gc"
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
@State(Scope.Benchmark)
public class PlanRenderBenchmark {
  private static final int MODELS = 7;
  private static final List<Warehouse> THREE = List.of(Warehouses.SNOWFLAKE, Warehouses.BIGQUERY, Warehouses.REDSHIFT);

  private HeapConfig config;

  /** The warehouse of {@link #planAndSelect}. */
  @State(Scope.Benchmark)
  public static class Selected {
    @Param({"snowflake", "bigquery", "redshift"})
    String warehouse;

    Warehouse w;

    @Setup
    public void setUp() {
      w = Warehouses.byName(warehouse);
    }
  }

  @Setup
  public void setUp() {
    config = SampleData.demoConfig();
    int models = HeapProject.standard(config).planFull().models().size();
    if (models != MODELS) {
      throw new IllegalStateException("the standard project has " + models + " models; the scores divide by " + MODELS);
    }
  }

  @Benchmark
  @OperationsPerInvocation(MODELS)
  public void planAndSelect(Selected selected, Blackhole sink) {
    ProjectPlan plan = HeapProject.standard(config).planFull();
    SqlRenderer renderer = new SqlRenderer(selected.w, plan);
    for (PlannedModel m : plan.models()) {
      sink.consume(renderer.select(m.name()));
    }
  }

  @Benchmark
  @OperationsPerInvocation(MODELS * 3)
  public void compileThree(Blackhole sink) {
    ProjectPlan plan = HeapProject.standard(config).planFull();
    for (Warehouse w : THREE) {
      // as heap compile does: the build and the ephemeral models' SELECTs from one renderer
      SqlRenderer renderer = new SqlRenderer(w, plan);
      BuildPlan build = BuildPlan.fullRefresh(renderer);
      for (PlannedModel m : plan.models()) {
        boolean ephemeral = m.model().materialization() == Materialization.EPHEMERAL;
        sink.consume(ephemeral ? renderer.select(m.name()) : build.script(m.name()));
      }
    }
  }
}
