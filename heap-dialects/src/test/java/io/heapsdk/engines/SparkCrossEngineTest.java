package io.heapsdk.engines;

import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.model.Materialization;
import io.heapsdk.model.PlannedModel;
import io.heapsdk.model.ProjectPlan;
import io.heapsdk.run.AnalysisRunner;
import io.heapsdk.warehouse.BuildPlan;
import io.heapsdk.warehouse.SourcePrints;
import io.heapsdk.warehouse.SqlRenderer;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Spark SQL the library renders, run on Spark (local mode, Delta Lake tables): every standard
 * model built in full holds exactly H2's rows, with and without identity resolution; after the
 * incremental round of {@link CrossEngineTest} (the same second batch, applied by Delta MERGEs) so do
 * the facts; and the funnels and attributions of {@link CrossEngineAnalysisTest} give H2's answers.
 * DuckDB and PostgreSQL are held to H2's rows by those two tests, so all four engines agree.
 *
 * <p>Spark is the slowest engine to start and to commit a table, so each identity setting is one
 * scenario on the shared session, checked in three steps: the sample loaded and built in full (the
 * models' rows and, without identity resolution, the analyses' answers recorded), then the second
 * batch loaded and an incremental run (the facts' rows recorded).
 */
class SparkCrossEngineTest {
  /**
   * Spark 4.0 runs on Hadoop 3.4.1, whose login code calls {@code Subject.getSubject}: Java 23 refuses
   * it unless the Security Manager is allowed, and Java 24 cannot allow it at all. Spark then fails its
   * first statement, so on those JDKs the test says why and does not run; the builds of record (CI) use
   * Java 17, where it runs.
   */
  @BeforeAll
  static void onAJdkSparkRunsOn() {
    Assumptions.assumeTrue(Runtime.version().feature() < 23,
        "Spark 4.0 (Hadoop 3.4.1) cannot start on Java " + Runtime.version().feature()
            + ": its Subject.getSubject call is refused from Java 23 on; build with Java 17 to 22 to run it");
  }

  /** Spark's results per identity setting, each scenario run once by the first test that needs it. */
  private static final Map<Boolean, Scenario> SPARK = new ConcurrentHashMap<>();

  private record Scenario(
      Map<String, RowMultiset> fullRefresh,
      Map<String, List<String>> analyses,
      Map<String, RowMultiset> incremental,
      RowMultiset fingerprints,
      Map<String, Merge> merges) {}

  /**
   * One fact's incremental MERGE as Delta recorded it in the table's history ({@code operationMetrics}),
   * and the rows it should have updated, counted from the table's versions before and after it: the
   * rows of the new version that are not in the old one (EXCEPT ALL) and whose key the old one had.
   */
  record Merge(long updated, long sourceRows, long inserted, long deleted, long differing) {
    /** Recomputed rows that matched a row of the fact and were left as they were. */
    long leftAlone() {
      return sourceRows - updated - inserted - deleted;
    }
  }

  @ParameterizedTest(name = "identity.resolve_migrations={0}")
  @ValueSource(booleans = {false, true})
  void everyStandardModelHoldsH2sRows(boolean resolveMigrations) throws SQLException {
    HeapConfig config = CrossEngineTest.config(resolveMigrations);
    Map<String, RowMultiset> expected =
        CrossEngineTest.h2("full refresh", resolveMigrations, () -> CrossEngineTest.fullRefresh(Engine.H2, config));
    CrossEngineTest.assertSameRows("SPARK", expected, spark(resolveMigrations).fullRefresh());
  }

  @ParameterizedTest(name = "identity.resolve_migrations={0}")
  @ValueSource(booleans = {false, true})
  void incrementalRoundHoldsH2sRows(boolean resolveMigrations) throws SQLException {
    HeapConfig config = CrossEngineTest.config(resolveMigrations);
    Map<String, RowMultiset> expected =
        CrossEngineTest.h2("incremental", resolveMigrations, () -> CrossEngineTest.incrementalRound(Engine.H2, config));
    CrossEngineTest.assertSameRows("SPARK", expected, spark(resolveMigrations).incremental());
  }

  /**
   * An incremental run's MERGE updates only the matched rows whose values changed: Delta writes every row
   * a MERGE updates (a file rewritten, or with deletion vectors a row marked deleted and written again),
   * and a run recomputes every row of its active users, most of them as they were.
   */
  @ParameterizedTest(name = "identity.resolve_migrations={0}")
  @ValueSource(booleans = {false, true})
  void incrementalMergesUpdateOnlyTheRowsThatChanged(boolean resolveMigrations) {
    Map<String, Merge> merges = spark(resolveMigrations).merges();
    assertThat(merges.keySet()).containsExactlyInAnyOrderElementsOf(spark(resolveMigrations).incremental().keySet());
    long leftAlone = 0;
    for (Map.Entry<String, Merge> e : merges.entrySet()) {
      Merge m = e.getValue();
      assertThat(m.updated()).as("%s: rows updated by the MERGE, against the rows that changed", e.getKey()).isEqualTo(m.differing());
      leftAlone += m.leftAlone();
    }
    // the batch's active users have old rows that come out as they were: the check above is not vacuous
    assertThat(leftAlone).isPositive();
  }

  @Test
  void funnelsAndAttributionsGiveH2sAnswers() throws SQLException {
    Map<String, List<String>> expected = CrossEngineAnalysisTest.run(Engine.H2);
    Map<String, List<String>> actual = spark(false).analyses();
    assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
    for (String analysis : expected.keySet()) {
      assertThat(expected.get(analysis)).as("%s has rows on H2", analysis).isNotEmpty();
      assertThat(actual.get(analysis)).as("%s on Spark", analysis).isEqualTo(expected.get(analysis));
    }
  }

  /**
   * A reconciling run's per-user fingerprints of the sample's sources (XXHASH64 over each row's text,
   * timestamps as UNIX_MICROS): one per user and table, with H2's row counts. The hashes themselves are
   * each engine's own and only compared within it.
   */
  @Test
  void sourceFingerprintsCountH2sRows() throws SQLException {
    HeapConfig config = CrossEngineTest.config(false);
    RowMultiset expected;
    try (java.sql.Connection c = Engine.H2.open()) {
      CrossEngineTest.SAMPLE.load(c, Engine.H2.warehouse(), config);
      expected = RowMultiset.of(c, "H2 fingerprints", fingerprints(Engine.H2.warehouse(), config));
    }
    assertThat(expected.size()).isGreaterThan(100);
    assertThat(spark(false).fingerprints().counts()).isEqualTo(expected.counts());
  }

  /** Per user and table: the row count, and whether the hash sum is there. */
  private static String fingerprints(io.heapsdk.warehouse.Warehouse w, HeapConfig config) {
    return "SELECT " + w.quote("user_id") + ", " + w.quote("source") + ", " + w.quote("row_count") + ", "
        + w.quote("hash_sum") + " IS NOT NULL AS " + w.quote("hashed")
        + " FROM (" + new SourcePrints(w, config).currentSelect() + ") AS " + w.quote("p");
  }

  private static Scenario spark(boolean resolveMigrations) {
    return SPARK.computeIfAbsent(resolveMigrations, SparkCrossEngineTest::runScenario);
  }

  private static Scenario runScenario(boolean resolveMigrations) {
    HeapConfig config = CrossEngineTest.config(resolveMigrations);
    ProjectPlan plan = HeapProject.standard(config).plan();
    SqlRenderer renderer = new SqlRenderer(SparkEngine.WAREHOUSE, plan);
    Map<String, List<Object[]>> sample = CrossEngineTest.SAMPLE.rows(config);
    SecondBatch batch = SecondBatch.after(config, sample);

    SparkEngine.reset(config);
    SparkEngine.load(config, sample);
    RowMultiset fingerprints = rows("SPARK fingerprints", fingerprints(SparkEngine.WAREHOUSE, config));
    SparkEngine.run(plan, BuildPlan.Mode.FULL_REFRESH);
    Map<String, RowMultiset> full = new LinkedHashMap<>();
    for (PlannedModel m : plan.models()) {
      String sql =
          m.model().materialization() == Materialization.EPHEMERAL
              ? renderer.select(m.name())
              : "SELECT * FROM " + renderer.tableName(m.name());
      full.put(m.name(), rows("SPARK " + m.name(), sql));
    }
    Map<String, List<String>> analyses = new LinkedHashMap<>();
    if (!resolveMigrations) {
      for (Map.Entry<String, String> a :
          CrossEngineAnalysisTest.analyses(new AnalysisRunner(SparkEngine.WAREHOUSE, CrossEngineAnalysisTest.CONFIG)).entrySet()) {
        SparkEngine.Result r = SparkEngine.query(a.getValue());
        List<String> lines = new ArrayList<>();
        r.rows().forEach(values -> lines.add(CrossEngineAnalysisTest.line(r.labels(), values)));
        lines.sort(null);
        analyses.put(a.getKey(), lines);
      }
    }

    String events = "stg_heap_events_all_inc_fct";
    long eventsBefore = full.get(events).size();
    batch.rows().forEach((table, rows) -> SparkEngine.insert(config, table, rows));
    assertThat(SparkEngine.run(plan, BuildPlan.Mode.INCREMENTAL).mode()).isEqualTo(BuildPlan.Mode.INCREMENTAL);
    Map<String, RowMultiset> incremental = new LinkedHashMap<>();
    Map<String, Merge> merges = new LinkedHashMap<>();
    for (PlannedModel m : plan.materialized()) {
      incremental.put(m.name(), rows("SPARK " + m.name(), "SELECT * FROM " + renderer.tableName(m.name())));
      merges.put(m.name(), merge(renderer.tableName(m.name()), m.model().uniqueKey().orElseThrow()));
    }
    // the batch really changed the facts: every new event is a new row (the resent one is not)
    assertThat(incremental.get(events).size()).isEqualTo(eventsBefore + batch.newEvents());
    RowMultiset resent =
        rows(
            "resent event",
            "SELECT " + SparkEngine.WAREHOUSE.quote("heap_event_time") + " FROM " + renderer.tableName(events)
                + " WHERE " + SparkEngine.WAREHOUSE.quote("heap_event_id") + " = " + batch.resentEventId());
    assertThat(resent.counts()).containsOnlyKeys("heap_event_time=" + RowMultiset.text(batch.resentEventTime()));
    if (!resolveMigrations) {
      forgetsTheStoredFingerprintsOfRecomputedUsers(config, events);
      recordsInOneStatementLeavingOutAChangedUser(config, events);
    }
    return new Scenario(full, analyses, incremental, fingerprints, merges);
  }

  /**
   * A plain run's {@link SourcePrints#forget} on Delta (a MERGE that deletes the matched rows: Delta
   * refuses a DELETE with an IN subquery), here with the
   * events fact standing in for the active users (it has their column): the stored fingerprints of its
   * users go, the others stay.
   */
  private static void forgetsTheStoredFingerprintsOfRecomputedUsers(HeapConfig config, String fact) {
    io.heapsdk.warehouse.Warehouse w = SparkEngine.WAREHOUSE;
    SourcePrints prints = new SourcePrints(w, config);
    String stored = prints.stored().qualified();
    String users = "SELECT " + w.quote("heap_user_id") + " FROM " + w.table(config.targetDatabase(), config.targetSchema(), fact).qualified();
    SparkEngine.execute(prints.createStored());
    SparkEngine.execute("INSERT INTO " + stored + " " + prints.currentSelect());
    long before = count(stored, "TRUE");
    long ofFactUsers = count(stored, w.quote("user_id") + " IN (" + users + ")");
    assertThat(ofFactUsers).isPositive();
    SparkEngine.execute(prints.forget(w.table(config.targetDatabase(), config.targetSchema(), fact)));
    assertThat(count(stored, w.quote("user_id") + " IN (" + users + ")")).isZero();
    assertThat(count(stored, "TRUE")).isEqualTo(before - ofFactUsers);
    SparkEngine.execute("DROP TABLE " + stored);
  }

  /**
   * A reconciling run's {@link SourcePrints#record} on Delta, which has no transaction to hold a DELETE
   * and an INSERT together: one {@code CREATE OR REPLACE TABLE}, so a run stopped on its way leaves the
   * stored fingerprints as they were. Here the events fact stands in for the users the run rebuilt; one
   * of them gets a new source row after the fingerprints were taken, and keeps none, while the others'
   * replace the stored ones (a stale one of a user no longer there goes).
   */
  private static void recordsInOneStatementLeavingOutAChangedUser(HeapConfig config, String fact) {
    io.heapsdk.warehouse.Warehouse w = SparkEngine.WAREHOUSE;
    SourcePrints prints = new SourcePrints(w, config);
    String stored = prints.stored().qualified();
    io.heapsdk.warehouse.TableName current = w.table(config.targetDatabase(), config.targetSchema(), SourcePrints.CURRENT);
    io.heapsdk.warehouse.TableName rebuilt = w.table(config.targetDatabase(), config.targetSchema(), fact);
    SparkEngine.execute(prints.createStored());
    SparkEngine.execute("INSERT INTO " + stored + " VALUES (-7, 'all_events', 1, 1)");
    w.workTableStatements(current, prints.currentSelect()).forEach(SparkEngine::execute);
    String events = w.qualified(config.sourceDatabase(), config.sourceSchema(), config.catalog().table("all_events").physicalName());
    String user = w.quote("user_id");
    long changed = ((Number) SparkEngine.query("SELECT MIN(" + w.quote("heap_user_id") + ") FROM " + rebuilt.qualified()).rows().get(0)[0]).longValue();
    SparkEngine.execute(
        "INSERT INTO " + events + " (event_id, user_id, session_id, time, event_table_name)"
            + " SELECT event_id + 1000000000, user_id, session_id, time, event_table_name FROM " + events
            + " WHERE user_id = " + changed + " LIMIT 1");

    List<String> record = prints.record(current, java.util.Optional.of(rebuilt));
    assertThat(record).hasSize(1);
    assertThat(record.get(0)).startsWith("CREATE OR REPLACE TABLE " + stored);
    record.forEach(SparkEngine::execute);

    assertThat(count(stored, user + " = -7")).isZero();
    assertThat(count(stored, user + " = " + changed)).isZero();
    assertThat(count(current.qualified(), user + " = " + changed)).isPositive();
    assertThat(count(stored, "TRUE")).isEqualTo(count(current.qualified(), user + " <> " + changed));
    assertThat(SparkEngine.query("SELECT * FROM " + stored + " EXCEPT ALL SELECT * FROM " + current.qualified()).rows()).isEmpty();
    SparkEngine.execute("DROP TABLE " + stored);
  }

  private static long count(String table, String where) {
    return ((Number) SparkEngine.query("SELECT COUNT(*) FROM " + table + " WHERE " + where).rows().get(0)[0]).longValue();
  }

  /** The last commit of {@code table}, which must be the incremental run's MERGE, and its expected updates. */
  private static Merge merge(String table, String key) {
    Row last =
        io.delta.tables.DeltaTable.forName(SparkEngine.session(), table).history(1)
            .selectExpr(
                "version", "operation",
                "CAST(operationMetrics['numTargetRowsUpdated'] AS BIGINT)",
                "CAST(operationMetrics['numSourceRows'] AS BIGINT)",
                "CAST(operationMetrics['numTargetRowsInserted'] AS BIGINT)",
                "CAST(operationMetrics['numTargetRowsDeleted'] AS BIGINT)")
            .collectAsList().get(0);
    assertThat(last.getString(1)).as("last commit of %s", table).isEqualTo("MERGE");
    String before = table + " VERSION AS OF " + (last.getLong(0) - 1);
    String k = SparkEngine.WAREHOUSE.quote(key);
    long differing =
        ((Number) SparkEngine.query(
                "SELECT COUNT(*) FROM (SELECT * FROM " + table + " EXCEPT ALL SELECT * FROM " + before + ") AS d"
                    + " WHERE d." + k + " IN (SELECT " + k + " FROM " + before + ")")
            .rows().get(0)[0]).longValue();
    return new Merge(last.getLong(2), last.getLong(3), last.getLong(4), last.getLong(5), differing);
  }

  private static RowMultiset rows(String what, String sql) {
    SparkEngine.Result r = SparkEngine.query(sql);
    return RowMultiset.of(what, r.labels(), r.rows());
  }
}
