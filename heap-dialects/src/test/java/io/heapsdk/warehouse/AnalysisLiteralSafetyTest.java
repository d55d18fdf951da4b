package io.heapsdk.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.analysis.Attribution;
import io.heapsdk.analysis.AttributionModel;
import io.heapsdk.analysis.Funnel;
import io.heapsdk.analysis.Paths;
import io.heapsdk.analysis.Retention;
import io.heapsdk.config.HeapConfig;
import io.heapsdk.run.AnalysisRunner;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Event names and channel labels in funnels, attributions, retentions and paths are data: read back from each warehouse's
 * SQL by {@link LiteralSafetyTest}'s lexer, each comes out as exactly one literal, and nothing outside
 * literals and quoted names holds a comment marker or a statement separator.
 */
class AnalysisLiteralSafetyTest {
  private static final List<String> STEPS = List.of("it's", "back\\slash", "new\nline", "x' -- y");
  private static final String EXCLUSION = "Robert'); DROP TABLE students;--";
  private static final String CONVERSION = "c'p\\c";
  private static final String DIRECT = "Paid \"Search\"";

  @ParameterizedTest
  @ValueSource(strings = {"snowflake", "bigquery", "redshift", "h2"})
  void eventNamesAndLabelsStayData(String warehouseName) {
    Warehouse w = Warehouses.byName(warehouseName);
    AnalysisRunner runner = new AnalysisRunner(w, HeapConfig.builder().conversionEvents(List.of("purchase")).build());
    List<String> sqls = new ArrayList<>();
    for (Funnel.Ordering o : Funnel.Ordering.values()) {
      sqls.add(runner.sql(Funnel.builder().steps(STEPS).exclude(EXCLUSION).ordering(o).breakdown("channel").build()));
    }
    sqls.add(runner.sql(Attribution.builder().model(AttributionModel.LAST_NON_DIRECT).directChannel(DIRECT).build()));
    sqls.add(runner.sql(Attribution.builder().conversionEvents(CONVERSION).build()));
    sqls.add(runner.sql(Retention.builder().startEvent(STEPS.get(0)).returnEvent(STEPS.get(1)).breakdown("channel").build()));
    sqls.add(runner.sql(Paths.builder().event(STEPS.get(2)).exclude(STEPS.get(3), EXCLUSION).build()));
    List<String> literals = new ArrayList<>();
    for (String sql : sqls) {
      StringBuilder outside = new StringBuilder();
      LiteralSafetyTest.lex(warehouseName, sql, literals, new ArrayList<>(), outside);
      assertThat(outside.toString()).doesNotContain("--").doesNotContain(";");
    }
    assertThat(literals).containsAll(STEPS).contains(EXCLUSION, CONVERSION, DIRECT, Attribution.NO_TOUCH);
  }
}
