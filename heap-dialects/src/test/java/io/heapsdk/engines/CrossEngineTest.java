package io.heapsdk.engines;

import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.model.Materialization;
import io.heapsdk.model.PlannedModel;
import io.heapsdk.model.ProjectPlan;
import io.heapsdk.run.JdbcRunner;
import io.heapsdk.run.RunResult;
import io.heapsdk.run.SourceTables;
import io.heapsdk.sample.SampleData;
import io.heapsdk.warehouse.BuildPlan;
import io.heapsdk.warehouse.SqlRenderer;
import io.heapsdk.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The same answers on every engine we can run: every standard model, built on DuckDB and on
 * PostgreSQL from the same generated sample, holds exactly the rows it holds on H2 (whose results the
 * hand-computed model tests pin down), with and without identity resolution; and after one incremental
 * round on a hand-written second batch, so do the facts. Rows are compared as multisets, both ways,
 * after normalising types ({@link RowMultiset}).
 */
class CrossEngineTest {
  /** A few hundred users: every channel rule, gap kind, duplicate kind and a merge chain occur. */
  static final SampleData SAMPLE = SampleData.of(300, 20240101L);

  /** H2's results per scenario, computed once for both engines. */
  private static final Map<String, Map<String, RowMultiset>> H2_RESULTS = new ConcurrentHashMap<>();

  static Stream<Arguments> enginesAndIdentity() {
    return Stream.of(Engine.DUCKDB, Engine.POSTGRES)
        .flatMap(e -> Stream.of(Arguments.of(e, false), Arguments.of(e, true)));
  }

  @ParameterizedTest(name = "{0}, identity.resolve_migrations={1}")
  @MethodSource("enginesAndIdentity")
  void everyStandardModelHoldsH2sRows(Engine engine, boolean resolveMigrations) throws SQLException {
    HeapConfig config = config(resolveMigrations);
    Map<String, RowMultiset> expected = h2("full refresh", resolveMigrations, () -> fullRefresh(Engine.H2, config));
    assertSameRows(engine, expected, fullRefresh(engine, config));
  }

  @ParameterizedTest(name = "{0}, identity.resolve_migrations={1}")
  @MethodSource("enginesAndIdentity")
  void incrementalRoundHoldsH2sRows(Engine engine, boolean resolveMigrations) throws SQLException {
    HeapConfig config = config(resolveMigrations);
    Map<String, RowMultiset> expected = h2("incremental", resolveMigrations, () -> incrementalRound(Engine.H2, config));
    assertSameRows(engine, expected, incrementalRound(engine, config));
  }

  static HeapConfig config(boolean resolveMigrations) {
    // the users fact too: its SQL run on every engine, compared like the standard facts
    return HeapConfig.builder().from(SampleData.demoConfig()).resolveMigrations(resolveMigrations).usersEnabled(true).build();
  }

  /** The sample loaded, every model built by a full refresh: each model's rows (ephemeral ones queried). */
  static Map<String, RowMultiset> fullRefresh(Engine engine, HeapConfig config) throws SQLException {
    Warehouse w = engine.warehouse();
    ProjectPlan plan = HeapProject.standard(config).plan();
    try (Connection c = engine.open()) {
      SAMPLE.load(c, w, config);
      assertThat(new JdbcRunner(w).run(plan, c).mode()).isEqualTo(BuildPlan.Mode.FULL_REFRESH);
      SqlRenderer renderer = new SqlRenderer(w, plan);
      Map<String, RowMultiset> rows = new LinkedHashMap<>();
      for (PlannedModel m : plan.models()) {
        String sql =
            m.model().materialization() == Materialization.EPHEMERAL
                ? renderer.select(m.name())
                : "SELECT * FROM " + renderer.tableName(m.name());
        rows.put(m.name(), RowMultiset.of(c, engine + " " + m.name(), sql));
      }
      return rows;
    }
  }

  /** The sample built in full, then the second batch loaded and an incremental run: the facts' rows. */
  static Map<String, RowMultiset> incrementalRound(Engine engine, HeapConfig config) throws SQLException {
    Warehouse w = engine.warehouse();
    ProjectPlan plan = HeapProject.standard(config).plan();
    SecondBatch batch = SecondBatch.after(config, SAMPLE.rows(config));
    try (Connection c = engine.open()) {
      SAMPLE.load(c, w, config);
      JdbcRunner runner = new JdbcRunner(w);
      RunResult first = runner.run(plan, c);
      SourceTables sources = new SourceTables(w, config);
      batch.rows().forEach((table, rows) -> sources.insert(c, table, rows));
      RunResult second = runner.run(plan, c);
      assertThat(second.mode()).isEqualTo(BuildPlan.Mode.INCREMENTAL);
      // the batch really changed the facts: every new event is a new row (the resent one is not)
      String events = "stg_heap_events_all_inc_fct";
      assertThat(second.model(events).rows()).isEqualTo(first.model(events).rows() + batch.newEvents());
      SqlRenderer renderer = new SqlRenderer(w, plan);
      Map<String, RowMultiset> rows = new LinkedHashMap<>();
      for (PlannedModel m : plan.materialized()) {
        rows.put(m.name(), RowMultiset.of(c, engine + " " + m.name(), "SELECT * FROM " + renderer.tableName(m.name())));
      }
      RowMultiset resent =
          RowMultiset.of(
              c, "resent event",
              "SELECT " + w.quote("heap_event_time") + " FROM " + renderer.tableName(events)
                  + " WHERE " + w.quote("heap_event_id") + " = " + batch.resentEventId());
      assertThat(resent.counts()).containsOnlyKeys("heap_event_time=" + RowMultiset.text(batch.resentEventTime()));
      return rows;
    }
  }

  static void assertSameRows(Object engine, Map<String, RowMultiset> h2, Map<String, RowMultiset> other) {
    assertThat(other.keySet()).containsExactlyElementsOf(h2.keySet());
    for (String model : h2.keySet()) {
      RowMultiset expected = h2.get(model);
      RowMultiset actual = other.get(model);
      assertThat(expected.size()).as("%s has rows on H2", model).isPositive();
      // both ways: a row of H2 missing on the engine, and a row of the engine H2 does not have
      assertThat(expected.missingFrom(actual, 5))
          .as("%s: %d of H2's %d rows missing on %s (first 5 shown)", model, expected.countMissingFrom(actual), expected.size(), engine)
          .isEmpty();
      assertThat(actual.missingFrom(expected, 5))
          .as("%s: %d of %s's %d rows not on H2 (first 5 shown)", model, actual.countMissingFrom(expected), engine, actual.size())
          .isEmpty();
    }
  }

  /** H2's result for a scenario, computed by the first test that needs it. */
  static Map<String, RowMultiset> h2(String scenario, boolean resolveMigrations, Build build) throws SQLException {
    String key = scenario + "/" + resolveMigrations;
    Map<String, RowMultiset> cached = H2_RESULTS.get(key);
    if (cached == null) {
      cached = build.run();
      H2_RESULTS.put(key, cached);
    }
    return cached;
  }

  /** Builds one scenario on one engine and returns its models' rows. */
  @FunctionalInterface
  interface Build {
    Map<String, RowMultiset> run() throws SQLException;
  }
}
