package io.heapsdk.incremental;

import static io.heapsdk.testing.Rows.event;
import static io.heapsdk.testing.Rows.pageview;
import static io.heapsdk.testing.Rows.session;
import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.run.JdbcRunner;
import io.heapsdk.source.ColumnType;
import io.heapsdk.source.PassThroughColumn;
import io.heapsdk.testing.LocalEngines;
import io.heapsdk.warehouse.Warehouse;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Heap's user ids recast to text after the facts were built (a view over Heap's tables that casts them,
 * as a curated schema may): the facts kept whole-number ids, and a plain run failed at its merge with the
 * engine's words (DuckDB's "Cannot compare values of type BIGINT and VARCHAR", PostgreSQL's "operator does
 * not exist: bigint = character varying"), or merged text ids into them where the engine converts. Each
 * successful run records the kinds of the sources' columns, so the next one rebuilds what is built from a
 * recast table in full, says why, and gives the facts a full refresh gives: the same rows and column types.
 */
class RetypedSourceColumnTest {
  private static final String[][] USER_IDS = {
    {"users", "user_id"}, {"sessions", "user_id"}, {"pageviews", "user_id"}, {"all_events", "user_id"},
    {"user_migrations", "from_user_id"}, {"user_migrations", "to_user_id"}
  };

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"h2", "duckdb", "postgres"})
  void userIdsRecastToTextRebuildTheFactsInFull(String engine) throws Exception {
    Warehouse w = LocalEngines.warehouse(engine);
    try (TwinTargets db = new TwinTargets(HeapConfig.builder().build(), w, LocalEngines.open(engine, "heap_retyped"))) {
      JdbcRunner runner = new JdbcRunner(w);
      db.insert("sessions", session(100, 1, "2024-03-01T09:00:00", null, null, null, null));
      db.insert("pageviews", pageview(1, 1, 100, "2024-03-01T09:00:00", "/pricing"));
      db.insert("all_events", event(1, 1, 100, "2024-03-01T09:00:00", "pageviews"));
      runner.run(HeapProject.standard(db.incremental).plan(), db.connection);

      // a new user's rows, then every user id recast (the rows are loaded as whole numbers first: DuckDB's
      // appender, which loads them, takes a column's own type only)
      db.insert("sessions", session(200, 2, "2024-03-02T09:00:00", null, null, null, null));
      db.insert("pageviews", pageview(2, 2, 200, "2024-03-02T09:00:00", "/docs"));
      db.insert("all_events", event(2, 2, 200, "2024-03-02T09:00:00", "pageviews"));
      recastUserIds(db, engine);

      JdbcRunner.RunPlan next = runner.prepare(HeapProject.standard(db.incremental).plan(), db.connection, false);
      String events = ReconcileTest.source(db, "all_events");
      assertThat(next.decisions())
          .hasSize(TwinTargets.FACTS.size())
          .allSatisfy(d -> assertThat(d.full()).as(d.model()).isTrue())
          .filteredOn(d -> d.model().equals("stg_heap_events_all_inc_fct"))
          .singleElement()
          .satisfies(d -> assertThat(d.reason())
              .startsWith(events + " (source.tables.all_events) has a column of another kind than at run ")
              .endsWith(": " + w.storedName("user_id") + " whole numbers -> text; rebuilt in full, since the fact keeps the types it was built with"));
      runner.run(HeapProject.standard(db.incremental).plan(), db.connection);
      db.runFull();
      for (String fact : TwinTargets.FACTS) {
        assertThat(db.rows("inc", fact)).as(fact).isEqualTo(db.rows("full", fact)).hasSize(2);
        assertThat(types(db, "inc", fact)).as(fact).isEqualTo(types(db, "full", fact));
      }
      // recorded again: the run after it merges
      assertThat(runner.prepare(HeapProject.standard(db.incremental).plan(), db.connection, false).decisions())
          .allSatisfy(d -> assertThat(d.full()).as(d.model()).isFalse());
    }
  }

  /**
   * A pass-through property widened from INTEGER to BIGINT after the facts were built, and a value past
   * 2^31 synced: the pageview fact kept INTEGER, and every later run failed its merge ("integer out of
   * range", DuckDB's "can't be cast … INT32") until a full refresh by hand, while heap status called the
   * run unchanged (a probe of 60 daily runs). Now the facts built from pageviews are rebuilt in full, saying
   * why, and equal a full refresh, types included.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"h2", "duckdb", "postgres"})
  void aWholeNumberPropertyWidenedToBigintRebuildsWhatReadsIt(String engine) throws Exception {
    Warehouse w = LocalEngines.warehouse(engine);
    HeapConfig config =
        HeapConfig.builder().addPageviewProperties(new PassThroughColumn("experiment_bucket", ColumnType.BIGINT)).build();
    try (TwinTargets db = new TwinTargets(config, w, LocalEngines.open(engine, "heap_widened_int"))) {
      String pageviews = ReconcileTest.source(db, "pageviews");
      String bucket = w.quote(w.storedName("experiment_bucket"));
      String alter = "ALTER TABLE " + pageviews + " ALTER COLUMN " + bucket + (engine.equals("h2") ? " SET DATA TYPE " : " TYPE ");
      db.insert("sessions", session(100, 1, "2024-03-01T09:00:00", null, null, null, null));
      db.insert("pageviews", withBucket(pageview(1, 1, 100, "2024-03-01T09:00:00", "/pricing"), 7L));
      db.insert("all_events", event(1, 1, 100, "2024-03-01T09:00:00", "pageviews"));
      // Heap's column as an INTEGER first (the rows go in as BIGINT: DuckDB's appender takes a column's own type)
      db.execute(alter + "INTEGER");
      JdbcRunner runner = new JdbcRunner(w);
      runner.run(HeapProject.standard(db.incremental).plan(), db.connection);

      db.execute(alter + "BIGINT");
      db.insert("sessions", session(200, 2, "2024-03-02T09:00:00", null, null, null, null));
      db.insert("pageviews", withBucket(pageview(2, 2, 200, "2024-03-02T09:00:00", "/docs"), 5_000_000_000L));
      db.insert("all_events", event(2, 2, 200, "2024-03-02T09:00:00", "pageviews"));
      JdbcRunner.RunPlan next = runner.prepare(HeapProject.standard(db.incremental).plan(), db.connection, false);
      assertThat(next.decisions())
          .filteredOn(d -> d.model().equals("stg_heap_pageview_sessions_inc_fct"))
          .singleElement()
          .satisfies(d -> assertThat(d.full()).isTrue())
          .satisfies(d -> assertThat(d.reason())
              .startsWith(pageviews + " (source.tables.pageviews) has a column of another kind than at run ")
              .contains(": " + w.storedName("experiment_bucket") + " whole numbers (32-bit) -> whole numbers (64-bit); rebuilt in full"));
      runner.run(HeapProject.standard(db.incremental).plan(), db.connection);
      db.runFull();
      for (String fact : TwinTargets.FACTS) {
        assertThat(db.rows("inc", fact)).as(fact).isEqualTo(db.rows("full", fact));
        assertThat(types(db, "inc", fact)).as(fact).isEqualTo(types(db, "full", fact));
      }
    }
  }

  private static Object[] withBucket(Object[] pageview, long bucket) {
    Object[] row = java.util.Arrays.copyOf(pageview, pageview.length + 1);
    row[pageview.length] = bucket;
    return row;
  }

  /**
   * A column the models do not read (a property Heap syncs that the config does not pass through),
   * retyped: nothing rebuilt, and nothing of it recorded (a Heap table may hold hundreds of them).
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"h2", "duckdb"})
  void aColumnTheModelsDoNotReadIsNeitherRecordedNorCompared(String engine) throws Exception {
    Warehouse w = LocalEngines.warehouse(engine);
    try (TwinTargets db = new TwinTargets(HeapConfig.builder().build(), w, LocalEngines.open(engine, "heap_unread"))) {
      String pageviews = ReconcileTest.source(db, "pageviews");
      String unread = w.quote("unread_property");
      db.execute("ALTER TABLE " + pageviews + " ADD COLUMN " + unread + " VARCHAR(20)");
      db.insert("sessions", session(100, 1, "2024-03-01T09:00:00", null, null, null, null));
      db.insert("all_events", event(1, 1, 100, "2024-03-01T09:00:00", "pageviews"));
      JdbcRunner runner = new JdbcRunner(w);
      runner.run(HeapProject.standard(db.incremental).plan(), db.connection);
      db.execute("ALTER TABLE " + pageviews + " ALTER COLUMN " + unread + (engine.equals("h2") ? " SET DATA TYPE BIGINT" : " TYPE BIGINT"));
      assertThat(runner.prepare(HeapProject.standard(db.incremental).plan(), db.connection, false).decisions())
          .allSatisfy(d -> assertThat(d.full()).as(d.model() + ": " + d.reason()).isFalse());
      try (Statement s = db.connection.createStatement();
          ResultSet rs = s.executeQuery("SELECT " + w.quote("value") + " FROM " + w.qualified(Optional.empty(), "inc", "heap__run_settings")
              + " WHERE " + w.quote("name") + " = " + w.literal("source_column_kinds"))) {
        assertThat(rs.next()).isTrue();
        // and the kinds as a heap from before sizes reads them (it compares the text): the sizes are elsewhere
        assertThat(rs.getString(1)).contains("pageviews:").doesNotContainIgnoringCase("unread_property")
            .containsPattern("pageviews:(user_id|USER_ID)=BIGINT(,|$)").doesNotContain("BIGINT:");
      }
    }
  }

  private static void recastUserIds(TwinTargets db, String engine) {
    for (String[] tc : USER_IDS) {
      db.execute("ALTER TABLE " + ReconcileTest.source(db, tc[0]) + " ALTER COLUMN " + db.warehouse.quote(tc[1])
          + (engine.equals("h2") ? " SET DATA TYPE VARCHAR(40)" : " TYPE VARCHAR"));
    }
  }

  /** Each column of a fact with its type as the driver names it. */
  private static List<String> types(TwinTargets db, String schema, String fact) throws SQLException {
    List<String> types = new ArrayList<>();
    try (Statement s = db.connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT * FROM " + db.warehouse.qualified(Optional.empty(), schema, fact) + " WHERE 1 = 0")) {
      ResultSetMetaData md = rs.getMetaData();
      for (int i = 1; i <= md.getColumnCount(); i++) {
        types.add(md.getColumnLabel(i) + " " + md.getColumnTypeName(i));
      }
    }
    return types;
  }
}
