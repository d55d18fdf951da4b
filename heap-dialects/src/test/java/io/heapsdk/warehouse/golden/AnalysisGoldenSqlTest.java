package io.heapsdk.warehouse.golden;

import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.testing.AnalysisFixtures;
import io.heapsdk.testing.GoldenConfigs;
import io.heapsdk.model.ProjectPlan;
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
 * Golden SQL of the {@link AnalysisFixtures} funnels (every ordering, both units, exclusions,
 * breakdowns and their attributions, a date range, trends, times to convert), attributions (every model,
 * collapsed repeats), retentions and paths for every warehouse,
 * rendered with the standard golden config into {@code golden/analysis/<warehouse>/<name>.sql}.
 */
class AnalysisGoldenSqlTest {
  private static final HeapConfig CONFIG = GoldenConfigs.load("standard");

  static ProjectPlan plan() {
    return AnalysisFixtures.project(CONFIG).plan();
  }

  @TestFactory
  Stream<DynamicTest> everyAnalysisForEveryWarehouse() {
    ProjectPlan plan = plan();
    List<String> names = new ArrayList<>(AnalysisFixtures.funnels().keySet());
    names.addAll(AnalysisFixtures.funnelViews().keySet());
    names.addAll(AnalysisFixtures.attributions().keySet());
    names.addAll(AnalysisFixtures.retentions().keySet());
    names.addAll(AnalysisFixtures.paths().keySet());
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

  /** The {@link AnalysisFixtures#unicode()} analyses, rendered with the {@code unicode} golden config. */
  @TestFactory
  Stream<DynamicTest> unicodeAnalysesForEveryWarehouse() {
    List<DynamicTest> tests = new ArrayList<>();
    for (Warehouse w : Warehouses.all()) {
      SqlRenderer renderer = new SqlRenderer(w, AnalysisFixtures.unicodeProject(GoldenConfigs.forWarehouse("unicode", w)).plan());
      for (String name : AnalysisFixtures.unicode().keySet()) {
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
      for (String name : plan.models().stream().map(m -> m.name()).filter(n -> n.matches("(funnel|attribution|retention|paths)_.*")).toList()) {
        String sql = renderer.select(name);
        assertThat(sql).as(name).doesNotContain("$f").doesNotContain("EXPR$").doesNotContainPattern("\\bt\\d*\\b");
        // CALCITE-NOTES: no FILTER clause and no RANGE frames; windows only in select lists
        assertThat(sql).as(name).doesNotContainPattern("(?i)\\bFILTER\\s*\\(").doesNotContainPattern("(?i)\\bRANGE\\s+BETWEEN");
        assertThat(sql).as(name).doesNotContainPattern("(?i)(WHERE|GROUP BY|HAVING)[^\\n]*\\bOVER\\s*\\(");
      }
    }
  }
}
