package io.heapsdk.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.run.AnalysisRunner;
import io.heapsdk.testing.H2Db;
import io.heapsdk.testing.Rows;
import io.heapsdk.warehouse.Warehouses;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The ordered funnel of mjirv/dbt_product_analytics (placed → completed → returned, unique users),
 * mapped onto Heap's all_events as {@code oracles/mjirv-funnel/SOURCE.md} says: our funnel must give the
 * published users per step and both conversion rates.
 */
class MjirvFunnelOracleTest {
  private static final String DIR = "oracles/mjirv-funnel/";

  @Test
  void orderedFunnelInUniqueUsersMatchesThePublishedFunnel() {
    List<Object[]> events = new ArrayList<>();
    for (Map<String, String> o : OracleCsv.read(DIR + "raw_orders_simple.csv")) {
      long id = Long.parseLong(o.get("id"));
      // one session per event: the funnel counts users, so sessions play no part
      events.add(Rows.event(id, Long.parseLong(o.get("customer_id")), id, o.get("order_date") + "T00:00:00", o.get("status")));
    }
    List<Map<String, String>> expected = OracleCsv.read(DIR + "dmt_expected__funnel_simple.csv");
    Funnel funnel =
        Funnel.builder()
            .steps(expected.stream().map(r -> r.get("event_type")).toList())
            // the peer's funnel has no window; ten years (the longest we allow) is none for a month of data
            .window(Duration.ofDays(3650))
            .build();
    try (H2Db db = H2Db.create(HeapConfig.defaults())) {
      db.insert("all_events", events.toArray(Object[][]::new));
      db.buildStandard();
      FunnelResult result = new AnalysisRunner(Warehouses.H2, db.config()).run(funnel, db.connection());

      assertThat(result.rows()).hasSize(expected.size());
      for (int i = 0; i < expected.size(); i++) {
        Map<String, String> e = expected.get(i);
        FunnelResult.Row r = result.rows().get(i);
        String label = "step " + (i + 1) + " " + e.get("event_type");
        assertThat(r.event()).as(label).isEqualTo(e.get("event_type"));
        assertThat(r.entered()).as(label).isEqualTo(Long.parseLong(e.get("unique_users")));
        assertThat(r.conversionFromFirst()).as(label).isCloseTo(Double.parseDouble(e.get("pct_conversion")), within(1e-12));
        if (e.get("pct_of_previous").isEmpty()) {
          assertThat(r.conversionFromPrevious()).as(label).isNull();
        } else {
          assertThat(r.conversionFromPrevious()).as(label).isCloseTo(Double.parseDouble(e.get("pct_of_previous")), within(1e-12));
        }
      }
    }
  }
}
