package io.heapsdk.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.heapsdk.analysis.Attribution;
import io.heapsdk.analysis.AttributionResult;
import io.heapsdk.analysis.Funnel;
import io.heapsdk.analysis.FunnelResult;
import io.heapsdk.analysis.FunnelTrendResult;
import io.heapsdk.analysis.Paths;
import io.heapsdk.analysis.PathsResult;
import io.heapsdk.analysis.Retention;
import io.heapsdk.analysis.RetentionResult;
import io.heapsdk.analysis.TimeToConvertResult;
import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.model.TimeGrain;
import io.heapsdk.run.AnalysisRunner;
import io.heapsdk.run.JdbcRunner;
import io.heapsdk.sample.SampleData;
import io.heapsdk.warehouse.Warehouses;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A service returns analyses as JSON with a plain {@code ObjectMapper} (no java.time or Optional
 * module registered): every result serializes, its definition as the one-line description, its rows
 * with their own field names, dates as ISO text, NULLs as null, names outside ASCII as they are. Before,
 * {@code writeValueAsString(funnelResult)} threw "No serializer found for class io.heapsdk.analysis.Funnel"
 * (found by a host application's probe), and rows with a date needed the java.time module.
 */
class ResultsAsJsonTest {
  private static final ObjectMapper PLAIN = new ObjectMapper();

  @Test
  void everyResultSerializesWithAPlainObjectMapper() throws Exception {
    HeapConfig config = SampleData.demoConfig();
    HeapProject project = HeapProject.standard(config);
    try (Connection c = DriverManager.getConnection("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")) {
      SampleData.of(150, 7L).load(c, Warehouses.H2, config);
      new JdbcRunner(Warehouses.H2).run(project.plan(), c);
      AnalysisRunner runner = new AnalysisRunner(Warehouses.H2, project);
      // a step no event has, named in Japanese: its row is there, with its NULLs
      List<String> steps = new ArrayList<>(SampleData.FUNNEL_EVENTS);
      steps.add("購入完了");
      Funnel funnel = Funnel.builder().steps(steps).breakdown("channel").build();

      FunnelResult f = runner.run(funnel, c);
      JsonNode json = PLAIN.readTree(PLAIN.writeValueAsString(f));
      assertThat(json.get("funnel").asText()).isEqualTo(funnel.toString()).contains("購入完了");
      assertThat(json.get("rows")).hasSize(f.rows().size());
      for (int i = 0; i < f.rows().size(); i++) {
        FunnelResult.Row row = f.rows().get(i);
        JsonNode node = json.get("rows").get(i);
        assertThat(node.get("event").asText()).isEqualTo(row.event());
        assertThat(node.get("entered").asLong()).isEqualTo(row.entered());
        assertThat(node.get("breakdownValue").isNull()).isEqualTo(row.breakdownValue() == null);
        assertThat(node.get("medianSecondsFromFirst").isNull()).isEqualTo(row.medianSecondsFromFirst() == null);
      }
      assertThat(f.rows()).anySatisfy(r -> assertThat(r.event()).isEqualTo("購入完了"));

      RetentionResult retention = runner.run(Retention.builder().periods(3).build(), c);
      JsonNode r = PLAIN.readTree(PLAIN.writeValueAsString(retention));
      assertThat(r.get("rows")).hasSize(retention.rows().size()).isNotEmpty();
      assertThat(r.get("rows").get(0).get("cohort").asText()).isEqualTo(retention.rows().get(0).cohort().toString());

      FunnelTrendResult trend = runner.run(funnel.trend(TimeGrain.WEEK), c);
      JsonNode t = PLAIN.readTree(PLAIN.writeValueAsString(trend));
      assertThat(t.get("rows")).hasSize(trend.rows().size()).isNotEmpty();
      assertThat(t.get("rows").get(0).get("period").asText()).isEqualTo(trend.rows().get(0).period().toString());

      AttributionResult attribution = runner.run(Attribution.builder().build(), c);
      JsonNode a = PLAIN.readTree(PLAIN.writeValueAsString(attribution));
      assertThat(a.get("attribution").asText()).startsWith("Attribution{");
      assertThat(a.get("rows")).hasSize(attribution.rows().size()).isNotEmpty();
      assertThat(a.get("rows").get(0).get("conversions").asDouble()).isEqualTo(attribution.rows().get(0).conversions());

      PathsResult paths = runner.run(Paths.builder().event(SampleData.FUNNEL_EVENTS.get(0)).build(), c);
      JsonNode p = PLAIN.readTree(PLAIN.writeValueAsString(paths));
      assertThat(p.get("rows")).hasSize(paths.rows().size()).isNotEmpty();
      assertThat(p.get("rows").get(0).get("steps")).hasSize(paths.rows().get(0).steps().size());

      TimeToConvertResult ttc = runner.run(Funnel.builder().steps(SampleData.FUNNEL_EVENTS).build().timeToConvert(1, 2), c);
      JsonNode h = PLAIN.readTree(PLAIN.writeValueAsString(ttc));
      assertThat(h.get("rows")).hasSize(ttc.rows().size());
    }
  }
}
