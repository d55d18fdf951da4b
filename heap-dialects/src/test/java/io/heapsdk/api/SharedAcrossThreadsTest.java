package io.heapsdk.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.analysis.Attribution;
import io.heapsdk.analysis.AttributionModel;
import io.heapsdk.analysis.Funnel;
import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.model.Materialization;
import io.heapsdk.model.PlannedModel;
import io.heapsdk.model.ProjectPlan;
import io.heapsdk.run.AnalysisRunner;
import io.heapsdk.warehouse.SqlRenderer;
import io.heapsdk.warehouse.Warehouse;
import io.heapsdk.warehouse.Warehouses;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.calcite.rel.metadata.DefaultRelMetadataProvider;
import org.apache.calcite.rel.metadata.JaninoRelMetadataProvider;
import org.apache.calcite.rel.metadata.RelMetadataQueryBase;
import org.junit.jupiter.api.Test;

/**
 * A web service shares one {@link HeapProject} (and one plan) across its request threads and renders
 * from each: every thread must get, every time, the SQL one thread alone gets. Calcite keeps planner and
 * metadata state per thread and in caches, and the SDK's renderers share static caches (the idle
 * RelToSql converters). Expected values: the same calls made on this thread alone, on a plan of their
 * own, before any other thread starts; the shared plan is first used by the eight threads at once.
 */
class SharedAcrossThreadsTest {
  private static final int THREADS = 8;
  private static final int ROUNDS = 6;

  @Test
  void oneProjectRenderedFromManyThreadsGivesWhatOneThreadGives() throws Exception {
    HeapConfig config = HeapConfig.builder().funnelEvents(List.of("view_product", "add_to_cart", "purchase")).conversionEvents(List.of("purchase")).build();
    HeapProject project = HeapProject.standard(config);
    Map<String, String> expected = renderAll(project, project.plan());
    ProjectPlan shared = project.plan();
    assertThat(expected).hasSizeGreaterThan(40);

    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<List<String>>> results = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        boolean ownPlan = t % 2 == 0;
        Callable<List<String>> task = () -> {
          start.await();
          List<String> differences = new ArrayList<>();
          for (int round = 0; round < ROUNDS; round++) {
            // half the threads plan anew each time (as a service rebuilding per request), half share one
            Map<String, String> got = renderAll(project, ownPlan ? project.plan() : shared);
            expected.forEach((key, sql) -> {
              if (!sql.equals(got.get(key))) {
                differences.add(key);
              }
            });
          }
          return differences;
        };
        results.add(pool.submit(task));
      }
      start.countDown();
      for (Future<List<String>> f : results) {
        assertThat(f.get(5, TimeUnit.MINUTES)).as("statements that differed from one thread's").isEmpty();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Planning leaves the calling thread as it found it. Calcite's {@code RelOptCluster.create} sets a
   * ThreadLocal of the calling thread ({@code RelMetadataQueryBase.THREAD_PROVIDERS}) to its metadata
   * provider, a class of the Calcite that planned: on a host's pooled thread it kept every redeployed
   * application's class loader (a probe: 20 redeploys into fresh class loaders, 20 loaders and 466 MB of
   * Metaspace kept). A value the host had set stays. Rendering then runs on threads that never planned.
   */
  @Test
  void planningLeavesNoCalciteStateOnTheCallingThread() throws Exception {
    HeapConfig config = HeapConfig.builder().funnelEvents(List.of("view_product", "purchase")).conversionEvents(List.of("purchase")).build();
    HeapProject project = HeapProject.standard(config);
    ExecutorService thread = Executors.newSingleThreadExecutor();
    ExecutorService other = Executors.newSingleThreadExecutor();
    try {
      ProjectPlan plan =
          thread.submit(() -> {
            assertThat(RelMetadataQueryBase.THREAD_PROVIDERS.get()).as("a fresh thread").isNull();
            ProjectPlan p = project.plan();
            project.planFull();
            renderAll(project, p);
            assertThat(RelMetadataQueryBase.THREAD_PROVIDERS.get()).as("after planning and rendering").isNull();
            return p;
          }).get(5, TimeUnit.MINUTES);
      JaninoRelMetadataProvider hosts = JaninoRelMetadataProvider.of(DefaultRelMetadataProvider.INSTANCE);
      thread.submit(() -> {
        RelMetadataQueryBase.THREAD_PROVIDERS.set(hosts);
        project.plan();
        assertThat(RelMetadataQueryBase.THREAD_PROVIDERS.get()).as("the host's own value").isSameAs(hosts);
        RelMetadataQueryBase.THREAD_PROVIDERS.remove();
        return null;
      }).get(5, TimeUnit.MINUTES);
      // a plan made on that thread renders on another, where Calcite's value was never set (not this test
      // thread: other tests' Calcite calls may have set it here)
      Map<String, String> expected = renderAll(project, project.plan());
      Map<String, String> elsewhere =
          other.submit(() -> {
            assertThat(RelMetadataQueryBase.THREAD_PROVIDERS.get()).as("another fresh thread").isNull();
            return renderAll(project, plan);
          }).get(5, TimeUnit.MINUTES);
      assertThat(elsewhere).isEqualTo(expected).hasSizeGreaterThan(40);
    } finally {
      thread.shutdownNow();
      other.shutdownNow();
    }
  }

  /** Every model's SELECT and incremental SELECT, a funnel and an attribution, for every warehouse. */
  private static Map<String, String> renderAll(HeapProject project, ProjectPlan plan) {
    Map<String, String> sql = new LinkedHashMap<>();
    Funnel funnel =
        Funnel.builder().steps(List.of("view_product", "add_to_cart", "purchase")).window(Duration.ofDays(7)).breakdown("channel").build();
    Attribution attribution = Attribution.builder().model(AttributionModel.LINEAR).build();
    for (Warehouse w : Warehouses.all()) {
      SqlRenderer renderer = new SqlRenderer(w, plan);
      for (PlannedModel m : plan.materialized()) {
        sql.put(w + " " + m.name(), renderer.select(m.name()));
        if (m.model().materialization() == Materialization.INCREMENTAL) {
          sql.put(w + " " + m.name() + " incremental", renderer.incrementalSelect(m.name()));
        }
      }
      AnalysisRunner analyses = new AnalysisRunner(w, project);
      sql.put(w + " funnel", analyses.sql(funnel));
      sql.put(w + " attribution", analyses.sql(attribution));
    }
    return sql;
  }
}
