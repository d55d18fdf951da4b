package io.heapsdk.engines;

import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.quality.ColumnCheck;
import io.heapsdk.quality.DataTest;
import io.heapsdk.quality.TestTarget;
import io.heapsdk.run.DataTestRunner;
import io.heapsdk.run.JdbcRunner;
import io.heapsdk.run.TestResult;
import io.heapsdk.sample.SampleData;
import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The data tests and freshness checks give the same results (status, failing row counts, sample keys,
 * newest times) on DuckDB and PostgreSQL as on H2, for the sample data with its duplicates plus a
 * declared relationship and accepted values that fail.
 */
class CrossEngineDataTestsTest {
  /** Mid-sample: some tables are fresh, none is empty; the exact statuses only need to agree. */
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-01-20T00:00:00Z"), ZoneOffset.UTC);

  @ParameterizedTest
  @EnumSource(value = Engine.class, names = {"DUCKDB", "POSTGRES"})
  void sameResultsAsH2(Engine engine) throws Exception {
    List<TestResult> expected = results(Engine.H2);
    assertThat(expected).anySatisfy(r -> assertThat(r.status()).isEqualTo(TestResult.Status.FAIL));
    assertThat(expected).anySatisfy(r -> assertThat(r.status()).isEqualTo(TestResult.Status.WARN));
    assertThat(results(engine)).containsExactlyElementsOf(expected);
    assertThat(expected)
        .filteredOn(r -> r.name().equals("contains_values_all_events_event_table_name"))
        .singleElement()
        .satisfies(r -> assertThat(r.sampleKeys()).containsExactly("Sign_Up", "never_synced"));
  }

  private static List<TestResult> results(Engine engine) throws Exception {
    HeapConfig config = SampleData.demoConfig();
    HeapProject project =
        HeapProject.standard(config)
            // the demo channels are more than these two: some sessions fail
            .test(
                new DataTest(
                    TestTarget.model("stg_heap_sessions_inc_fct"),
                    ColumnCheck.acceptedValues("heap_session_defined_channel_attribution", "Direct", "Organic Search")))
            .test(
                new DataTest(
                    TestTarget.source("all_events"),
                    ColumnCheck.relationship("session_id", TestTarget.source("sessions"), "session_id")))
            // merged with the config's event names: one name no event has, so the check fails everywhere
            .test(
                new DataTest(
                    TestTarget.source("all_events"), ColumnCheck.containsValues("event_table_name", "never_synced", "Sign_Up", "purchase")));
    try (Connection db = engine.open()) {
      SampleData.of(150, 11).load(db, engine.warehouse(), config);
      new JdbcRunner(engine.warehouse()).run(project.plan(), db);
      return new DataTestRunner(engine.warehouse(), CLOCK).run(project, db);
    }
  }
}
