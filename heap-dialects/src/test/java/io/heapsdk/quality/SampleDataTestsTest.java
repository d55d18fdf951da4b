package io.heapsdk.quality;

import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.run.DataTestRunner;
import io.heapsdk.run.JdbcRunner;
import io.heapsdk.run.TestResult;
import io.heapsdk.run.TestResult.Status;
import io.heapsdk.sample.SampleData;
import io.heapsdk.warehouse.Warehouses;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The sample data's deliberate duplicates (about 1% of sessions, pageviews and events are synced twice)
 * are caught by the source {@code unique} tests, as warnings, while the facts built from them pass
 * their unique-key tests: the models dedupe exactly those keys.
 */
class SampleDataTestsTest {
  @Test
  void sampleDuplicatesWarnOnSourcesAndFactsStayUnique() throws Exception {
    HeapConfig config = SampleData.demoConfig();
    SampleData sample = SampleData.of(300, 7);
    Map<String, List<Object[]>> rows = sample.rows(config);
    HeapProject project = HeapProject.standard(config);
    try (Connection db = DriverManager.getConnection("jdbc:h2:mem:sample-data-tests")) {
      sample.load(db, Warehouses.H2, config);
      new JdbcRunner(Warehouses.H2).run(project.plan(), db);
      Map<String, TestResult> results =
          new DataTestRunner(Warehouses.H2, Clock.fixed(Instant.parse("2024-01-01T00:00:00Z"), ZoneOffset.UTC))
              .run(project, db).stream()
              .collect(Collectors.toMap(TestResult::name, Function.identity()));

      for (String table : List.of("pageviews", "all_events")) {
        // the expected count, independently of SQL: event ids seen more than once in the generated rows
        long duplicated = duplicatedIds(rows.get(table));
        assertThat(duplicated).as("the sample has duplicates in " + table).isPositive();
        TestResult unique = results.get("unique_" + table + "_event_id");
        assertThat(unique.status()).isEqualTo(Status.WARN);
        assertThat(unique.failingRows()).isEqualTo(duplicated);
        assertThat(unique.sampleKeys()).hasSize((int) Math.min(duplicated, DataTestRunner.SAMPLE_SIZE));
      }
      assertThat(duplicatedIds(rows.get("sessions"))).as("sessions are duplicated too").isPositive();
      for (String fact : List.of("stg_heap_events_all_inc_fct", "stg_heap_pageview_sessions_inc_fct", "stg_heap_sessions_inc_fct")) {
        assertThat(results.values().stream().filter(r -> r.target().equals("model:" + fact)))
            .hasSize(2)
            .allSatisfy(r -> assertThat(r.status()).as(r.name()).isEqualTo(Status.PASS));
      }
      // the generator never leaves an id NULL: every not_null test passes
      assertThat(results.values().stream().filter(r -> r.name().startsWith("not_null_")))
          .isNotEmpty()
          .allSatisfy(r -> assertThat(r.status()).as(r.name()).isEqualTo(Status.PASS));
    }
  }

  private static long duplicatedIds(List<Object[]> rows) {
    Map<Object, Integer> counts = new HashMap<>();
    rows.forEach(r -> counts.merge(r[0], 1, Integer::sum));
    return counts.values().stream().filter(n -> n > 1).count();
  }
}
