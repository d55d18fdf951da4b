package io.heapsdk.warehouse.golden;

import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.analysis.Attribution;
import io.heapsdk.analysis.AttributionModel;
import io.heapsdk.analysis.Funnel;
import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.model.ProjectPlan;
import io.heapsdk.warehouse.SqlRenderer;
import io.heapsdk.warehouse.Warehouse;
import io.heapsdk.warehouse.Warehouses;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden SQL of funnels (every ordering, both units, exclusions, a breakdown, a date range) and
 * attributions (every model, collapsed repeats) for every warehouse, rendered with the standard
 * golden config into {@code golden/analysis/<warehouse>/<name>.sql}.
 */
class AnalysisGoldenSqlTest {
  private static final HeapConfig CONFIG = GoldenSqlTest.load("golden-configs/standard.yml");

  static Map<String, Funnel> funnels() {
    Map<String, Funnel> f = new LinkedHashMap<>();
    Funnel.Builder checkout = Funnel.builder().step("view_product").step("add_to_cart").step("purchase");
    f.put("funnel_ordered_users", checkout.build());
    f.put(
        "funnel_strict_sessions_by_channel",
        Funnel.builder()
            .step("view_product").step("add_to_cart").step("begin_checkout").step("purchase")
            .ordering(Funnel.Ordering.STRICT)
            .unit(Funnel.Unit.SESSION)
            .window(Duration.ofHours(2))
            .exclude("refund")
            .breakdown("channel")
            .from(LocalDate.of(2024, 1, 1))
            .to(LocalDate.of(2024, 1, 31))
            .build());
    f.put("funnel_any_order_by_utm_source", checkout.ordering(Funnel.Ordering.ANY_ORDER).window(Duration.ofDays(7)).breakdown("utm_source").build());
    return f;
  }

  static Map<String, Attribution> attributions() {
    Map<String, Attribution> a = new LinkedHashMap<>();
    for (AttributionModel m : AttributionModel.values()) {
      a.put("attribution_" + m.cliName(), Attribution.builder().model(m).build());
    }
    a.put(
        "attribution_time_decay_collapsed_by_campaign",
        Attribution.builder()
            .model(AttributionModel.TIME_DECAY)
            .halfLife(Duration.ofDays(3))
            .lookback(Duration.ofDays(30))
            .by("utm_campaign")
            .collapseRepeats(true)
            .from(LocalDate.of(2024, 1, 1))
            .build());
    return a;
  }

  static ProjectPlan plan() {
    HeapProject project = HeapProject.standard(CONFIG);
    funnels().forEach((name, f) -> f.addTo(project, name));
    attributions().forEach((name, a) -> a.addTo(project, name));
    return project.plan();
  }

  @TestFactory
  Stream<DynamicTest> everyAnalysisForEveryWarehouse() {
    ProjectPlan plan = plan();
    List<String> names = new ArrayList<>(funnels().keySet());
    names.addAll(attributions().keySet());
    List<DynamicTest> tests = new ArrayList<>();
    for (Warehouse w : Warehouses.all()) {
      SqlRenderer renderer = new SqlRenderer(w, plan);
      for (String name : names) {
        String path = "analysis/" + w.name() + "/" + name + ".sql";
        tests.add(DynamicTest.dynamicTest(path, () -> GoldenFiles.check(path, renderer.select(name) + "\n")));
      }
    }
    return tests.stream();
  }

  @Test
  void noGeneratedNamesAndNoWindowOutsideASelectList() {
    ProjectPlan plan = plan();
    for (Warehouse w : Warehouses.all()) {
      SqlRenderer renderer = new SqlRenderer(w, plan);
      for (String name : plan.models().stream().map(m -> m.name()).filter(n -> n.startsWith("funnel_") || n.startsWith("attribution_")).toList()) {
        String sql = renderer.select(name);
        assertThat(sql).as(name).doesNotContain("$f").doesNotContain("EXPR$").doesNotContainPattern("\\bt\\d*\\b");
        // CALCITE-NOTES: no FILTER clause and no RANGE frames; windows only in select lists
        assertThat(sql).as(name).doesNotContainPattern("(?i)\\bFILTER\\s*\\(").doesNotContainPattern("(?i)\\bRANGE\\s+BETWEEN");
        assertThat(sql).as(name).doesNotContainPattern("(?i)(WHERE|GROUP BY|HAVING)[^\\n]*\\bOVER\\s*\\(");
      }
    }
  }
}
