package io.heapsdk.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.config.HeapConfigException;
import io.heapsdk.model.HeapProject;
import io.heapsdk.source.PassThroughColumn;
import io.heapsdk.warehouse.Warehouse;
import io.heapsdk.warehouse.Warehouses;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A run whose config names a column the Heap tables lack stops before its first statement, naming the
 * config key, the table and the columns there (what a user reads to fix it), instead of failing inside
 * a model's SQL with the plan's internal names: a pass-through property not synced yet, a mistyped
 * rename, and a rename whose target differs only in case.
 */
class SourceColumnsTest {
  private static final HeapConfig SYNCED =
      HeapConfig.builder().pageviewProperties(List.of(PassThroughColumn.varchar("page_category"))).build();

  @ParameterizedTest
  @ValueSource(strings = {"h2", "duckdb"})
  void aColumnTheSourcesLackIsNamedByItsConfigKey(String engine) throws Exception {
    Warehouse w = Warehouses.byName(engine);
    String url = engine.equals("h2") ? "jdbc:h2:mem:" + UUID.randomUUID() : "jdbc:duckdb:";
    try (Connection db = DriverManager.getConnection(url)) {
      new SourceTables(w, SYNCED).create(db);
      try (Statement s = db.createStatement()) {
        // the Heap table has EventName, in another case than the config's rename below
        s.execute("ALTER TABLE " + w.table(SYNCED.sourceDatabase(), SYNCED.sourceSchema(), "all_events").qualified()
            + " ADD COLUMN \"EventName\" VARCHAR(100)");
      }
      JdbcRunner runner = new JdbcRunner(w);

      HeapConfig unsynced =
          HeapConfig.builder()
              .pageviewProperties(List.of(PassThroughColumn.varchar("page_category"), PassThroughColumn.varchar("gtm_campaign")))
              .build();
      String pageviews = w.table(SYNCED.sourceDatabase(), SYNCED.sourceSchema(), "pageviews").qualified();
      assertThatThrownBy(() -> runner.run(HeapProject.standard(unsynced).plan(), db))
          .isInstanceOf(HeapConfigException.class)
          .hasMessageContaining(
              ": source.pageview_properties[1]: no column " + w.storedName("gtm_campaign") + " in " + pageviews + "; its columns: ")
          .hasMessageContaining(w.storedName("page_category"));
      // --dry-run asks too
      assertThatThrownBy(() -> runner.prepare(HeapProject.standard(unsynced).plan(), db, false))
          .isInstanceOf(HeapConfigException.class)
          .hasMessageContaining(": source.pageview_properties[1]: ");

      // every missing column in one message, across tables (one per run made a curated view of Heap's
      // tables six runs to fix)
      HeapConfig both = HeapConfig.builder().from(unsynced).putSourceColumns("sessions.utm_source", "utm_sorce").build();
      assertThatThrownBy(() -> runner.run(HeapProject.standard(both).plan(), db))
          .isInstanceOf(HeapConfigException.class)
          .hasMessageContaining("; and 1 more: ")
          .hasMessageContaining("source.pageview_properties[1]: no column " + w.storedName("gtm_campaign"))
          .hasMessageContaining("source.columns.sessions.utm_source: no column " + w.storedName("utm_sorce"));

      HeapConfig typo = HeapConfig.builder().from(SYNCED).putSourceColumns("sessions.utm_source", "utm_sorce").build();
      assertThatThrownBy(() -> runner.run(HeapProject.standard(typo).plan(), db))
          .isInstanceOf(HeapConfigException.class)
          .hasMessageContaining(": source.columns.sessions.utm_source: no column " + w.storedName("utm_sorce") + " in ")
          // the nearest column first: a table of properties lists hundreds, and the list stops at 30
          .hasMessageContaining("; did you mean '" + w.storedName("utm_source") + "'?; its columns: ");

      HeapConfig otherCase = HeapConfig.builder().from(SYNCED).putSourceColumns("all_events.event_table_name", "EventName").build();
      if (w == Warehouses.H2) {
        // H2 looks for EVENTNAME; the table's EventName was created quoted, in its own case
        assertThatThrownBy(() -> runner.run(HeapProject.standard(otherCase).plan(), db))
            .isInstanceOf(HeapConfigException.class)
            .hasMessageEndingWith(
                ": source.columns.all_events.event_table_name: no column EVENTNAME in "
                    + w.table(SYNCED.sourceDatabase(), SYNCED.sourceSchema(), "all_events").qualified()
                    + "; it has EventName, a name in another case (h2 looks for EVENTNAME)");
      } else {
        // DuckDB finds names ignoring case: the run goes ahead
        assertThat(runner.run(HeapProject.standard(otherCase).plan(), db).models()).isNotEmpty();
      }

      // the config the tables were made for builds
      assertThat(runner.run(HeapProject.standard(SYNCED).plan(), db).models()).isNotEmpty();
    }
  }

  /**
   * A mistyped table or schema name in the config is named by its key, with what the database has,
   * instead of the engine's "Table with name all_evnts does not exist" from inside a model's statement
   * (found by a host application's probe; the column check above said nothing of a missing table).
   */
  @ParameterizedTest
  @ValueSource(strings = {"h2", "duckdb"})
  void aTableOrSchemaTheDatabaseLacksIsNamedByItsConfigKey(String engine) throws Exception {
    Warehouse w = Warehouses.byName(engine);
    String url = engine.equals("h2") ? "jdbc:h2:mem:" + UUID.randomUUID() : "jdbc:duckdb:";
    try (Connection db = DriverManager.getConnection(url)) {
      new SourceTables(w, SYNCED).create(db);
      JdbcRunner runner = new JdbcRunner(w);

      HeapConfig table = HeapConfig.builder().from(SYNCED).putSourceTables("all_events", "all_evnts").build();
      assertThatThrownBy(() -> runner.run(HeapProject.standard(table).plan(), db))
          .isInstanceOf(HeapConfigException.class)
          .hasMessageContaining(": source.tables.all_events: no table " + w.storedName("all_evnts") + " in schema main_production; its tables: ")
          .hasMessageContaining(w.storedName("all_events"));

      if (w == Warehouses.DUCKDB) {
        // a table stored in another case: DuckDB's SQL finds it, its driver's getColumns does not, and
        // the schema's table list names it: not refused (a reviewer's case)
        try (Statement s = db.createStatement()) {
          s.execute("ALTER TABLE \"main_production\".\"sessions\" RENAME TO \"Sessions\"");
        }
        assertThat(runner.run(HeapProject.standard(SYNCED).plan(), db).models()).isNotEmpty();
      }

      // Heap's identity merges missing: exposed, not stood in for by an empty table (which the other
      // tables' hint suggests, and which keeps merged-away ids' rows in the facts)
      try (Statement s = db.createStatement()) {
        s.execute("DROP TABLE " + w.table(java.util.Optional.empty(), "main_production", "user_migrations").qualified());
      }
      assertThatThrownBy(() -> runner.run(HeapProject.standard(SYNCED).plan(), db))
          .isInstanceOf(HeapConfigException.class)
          .hasMessageContaining(": source.tables.user_migrations (not set: Heap's name): no table " + w.storedName("user_migrations"))
          .hasMessageContaining("expose Heap's own user_migrations here (a view over it, say); an empty stand-in is right only for a"
              + " project that never merges users")
          .hasMessageNotContaining("create it empty");
      // and pageviews missing too: both named in one message, the one read first explained
      try (Statement s = db.createStatement()) {
        s.execute("ALTER TABLE " + w.table(java.util.Optional.empty(), "main_production", "pageviews").qualified() + " RENAME TO "
            + w.quote("pageviews_old"));
      }
      assertThatThrownBy(() -> runner.run(HeapProject.standard(SYNCED).plan(), db))
          .isInstanceOf(HeapConfigException.class)
          .hasMessageContaining(": source.tables.pageviews (not set: Heap's name): no table " + w.storedName("pageviews"))
          .hasMessageEndingWith(
              "; and 1 more not there: source.tables.user_migrations (not set: Heap's name) ("
                  + w.table(java.util.Optional.empty(), "main_production", "user_migrations").qualified() + ")");
      try (Statement s = db.createStatement()) {
        s.execute("ALTER TABLE " + w.table(java.util.Optional.empty(), "main_production", "pageviews_old").qualified() + " RENAME TO "
            + w.quote(w.storedName("pageviews")));
      }

      HeapConfig schema = HeapConfig.builder().from(SYNCED).sourceSchema("heapsource").build();
      assertThatThrownBy(() -> runner.run(HeapProject.standard(schema).plan(), db))
          .isInstanceOf(HeapConfigException.class)
          .hasMessageContaining(": source.schema: no schema " + w.storedName("heapsource") + " on the database, so no table ")
          .hasMessageContaining(w.storedName("main_production"));

      // the schema there, empty (Heap Connect's first sync not done yet): said so, where the run's own error
      // pointed at a view whose query fails
      try (Statement s = db.createStatement()) {
        s.execute("CREATE SCHEMA " + w.quote(w.storedName("fresh_env")));
      }
      HeapConfig empty = HeapConfig.builder().from(SYNCED).sourceSchema("fresh_env").build();
      assertThatThrownBy(() -> runner.run(HeapProject.standard(empty).plan(), db))
          .isInstanceOf(HeapConfigException.class)
          .hasMessageContaining(": source.schema: schema fresh_env has no table this connection can see, so no ")
          .hasMessageEndingWith(": Heap Connect has not synced into it yet, or the database user may not read its tables");
    }
  }

  /**
   * A pass-through property declared with a type its column does not hold: the fact took the column's
   * own type, and the docs the declared one, silently. Refused naming the key, the column and its kind;
   * a declaration of the kind the column holds (a VARCHAR(40) as varchar, an INTEGER as bigint) runs.
   */
  @ParameterizedTest
  @ValueSource(strings = {"h2", "duckdb"})
  void aPropertyDeclaredWithAnotherKindOfTypeIsRefused(String engine) throws Exception {
    Warehouse w = Warehouses.byName(engine);
    String url = engine.equals("h2") ? "jdbc:h2:mem:" + UUID.randomUUID() : "jdbc:duckdb:";
    HeapConfig declared = HeapConfig.builder()
        .pageviewProperties(List.of(
            new PassThroughColumn("page_category", io.heapsdk.source.ColumnType.VARCHAR),
            new PassThroughColumn("experiment_bucket", io.heapsdk.source.ColumnType.BIGINT)))
        .build();
    try (Connection db = DriverManager.getConnection(url)) {
      new SourceTables(w, SYNCED).create(db);
      String pageviews = w.table(SYNCED.sourceDatabase(), SYNCED.sourceSchema(), "pageviews").qualified();
      try (Statement s = db.createStatement()) {
        s.execute("ALTER TABLE " + pageviews + " ADD COLUMN " + w.quote("experiment_bucket") + " INTEGER");
      }
      JdbcRunner runner = new JdbcRunner(w);
      assertThat(runner.run(HeapProject.standard(declared).plan(), db).models()).isNotEmpty();

      HeapConfig wrong = HeapConfig.builder()
          .pageviewProperties(List.of(
              new PassThroughColumn("page_category", io.heapsdk.source.ColumnType.BIGINT),
              new PassThroughColumn("experiment_bucket", io.heapsdk.source.ColumnType.BIGINT)))
          .build();
      assertThatThrownBy(() -> runner.prepare(HeapProject.standard(wrong).plan(), db, false))
          .isInstanceOf(HeapConfigException.class)
          .hasMessageContaining(": source.pageview_properties[0]: declared bigint, but " + pageviews + "." + w.storedName("page_category")
              + " holds text (")
          .hasMessageEndingWith("); declare it as varchar (the fact takes the column as it is), or convert it in a model of your own");
    }
  }

  /**
   * Heap's all_events.time given with a time zone (a view casting it to timestamptz): refused while the
   * session's zone is New York, where the database compares it with the run's zoneless mark five hours
   * off, naming the column's key; accepted once the session is in UTC.
   */
  @ParameterizedTest
  @ValueSource(strings = {"h2", "duckdb", "postgres"})
  void aZonedTimeColumnIsRefusedOutsideUtc(String engine) throws Exception {
    Warehouse w = io.heapsdk.testing.LocalEngines.warehouse(engine);
    try (Connection db = withSources(engine, "heap_zoned_time")) {
      String events = source(w, "all_events");
      String pageviews = source(w, "pageviews");
      String time = w.quote("time");
      // a pass-through timestamp property with a zone is carried into the fact, never compared with the
      // mark: not refused
      HeapConfig zonedProperty =
          HeapConfig.builder().from(SYNCED).addPageviewProperties(new PassThroughColumn("seen_at", io.heapsdk.source.ColumnType.TIMESTAMP)).build();
      try (Statement s = db.createStatement()) {
        s.execute("ALTER TABLE " + pageviews + " ADD COLUMN " + w.quote("seen_at") + (engine.equals("h2") ? " TIMESTAMP WITH TIME ZONE" : " TIMESTAMPTZ"));
        s.execute(engine.equals("duckdb") ? "SET TimeZone = 'America/New_York'" : "SET TIME ZONE 'America/New_York'");
      }
      assertThat(new JdbcRunner(w).prepare(HeapProject.standard(zonedProperty).plan(), db, false).decisions()).isNotEmpty();
      try (Statement s = db.createStatement()) {
        switch (engine) {
          case "h2" -> s.execute("ALTER TABLE " + events + " ALTER COLUMN " + time + " SET DATA TYPE TIMESTAMP WITH TIME ZONE");
          case "duckdb" -> s.execute("ALTER TABLE " + events + " ALTER COLUMN " + time + " TYPE TIMESTAMPTZ");
          default -> s.execute("ALTER TABLE " + events + " ALTER COLUMN " + time + " TYPE timestamptz");
        }
        s.execute(engine.equals("duckdb") ? "SET TimeZone = 'America/New_York'" : "SET TIME ZONE 'America/New_York'");
      }
      JdbcRunner runner = new JdbcRunner(w);
      assertThatThrownBy(() -> runner.prepare(HeapProject.standard(SYNCED).plan(), db, false))
          .isInstanceOf(HeapConfigException.class)
          .hasMessageContaining(": source.columns.all_events.time (Heap's all_events.time, not renamed): " + events + ".")
          .hasMessageContaining(", and this session's time zone is America/New_York: ")
          .hasMessageContaining("(in a view: time AT TIME ZONE 'UTC')");

      try (Statement s = db.createStatement()) {
        s.execute(engine.equals("duckdb") ? "SET TimeZone = 'UTC'" : "SET TIME ZONE 'UTC'");
      }
      assertThat(runner.run(HeapProject.standard(SYNCED).plan(), db).models()).isNotEmpty();
    }
  }

  /**
   * Heap's user ids given as text in every table (views casting them): the runs build from them, but
   * reconcile keeps user ids as whole numbers, and its first run failed with the engine's "UNION types text
   * and bigint cannot be matched". Refused before a reconciling run, naming the key; a plain run goes ahead.
   */
  @ParameterizedTest
  @ValueSource(strings = {"h2", "duckdb", "postgres"})
  void aTextUserIdIsRefusedForReconcile(String engine) throws Exception {
    Warehouse w = io.heapsdk.testing.LocalEngines.warehouse(engine);
    try (Connection db = withSources(engine, "heap_text_user_id")) {
      String sessions = source(w, "sessions"); // the first Heap table the check reads with a user id
      textUserIds(w, engine, db);
      JdbcRunner runner = new JdbcRunner(w);
      HeapConfig reconciling = HeapConfig.builder().from(SYNCED).reconcile(true).build();
      assertThatThrownBy(() -> runner.prepare(HeapProject.standard(reconciling).plan(), db, false))
          .isInstanceOf(HeapConfigException.class)
          .hasMessageContaining(": source.columns.sessions.user_id (Heap's sessions.user_id, not renamed): " + sessions + ".")
          .hasMessageContaining(" holds text (")
          .hasMessageContaining("reconcile (incremental.reconcile, heap run --reconcile) keeps user ids as whole numbers");
      assertThat(runner.prepare(HeapProject.standard(SYNCED).plan(), db, false).decisions()).isNotEmpty();
    }
  }

  /** Every user id column of Heap's tables recast as text, as a view over them would. */
  private static void textUserIds(Warehouse w, String engine, Connection db) throws SQLException {
    try (Statement s = db.createStatement()) {
      for (String[] tc : new String[][] {
          {"users", "user_id"}, {"sessions", "user_id"}, {"pageviews", "user_id"}, {"all_events", "user_id"},
          {"user_migrations", "from_user_id"}, {"user_migrations", "to_user_id"}}) {
        s.execute("ALTER TABLE " + source(w, tc[0]) + " ALTER COLUMN " + w.quote(tc[1]) + (engine.equals("h2") ? " SET DATA TYPE VARCHAR(40)" : " TYPE VARCHAR"));
      }
    }
  }

  /**
   * User ids as text in all_events alone, as whole numbers elsewhere (user_migrations keeps Heap's): the
   * first full build passed, and every incremental run after it failed ("UNION types text and bigint
   * cannot be matched"), the facts stuck at that day; a time given as text built facts ordered as text,
   * then failed the run's record. Both refused before any statement, naming the keys (found by loading
   * hand-made Heap tables into PostgreSQL).
   */
  @ParameterizedTest
  @ValueSource(strings = {"h2", "duckdb", "postgres"})
  void heapColumnsOfAKindTheModelsCannotUseAreRefused(String engine) throws Exception {
    Warehouse w = io.heapsdk.testing.LocalEngines.warehouse(engine);
    try (Connection db = withSources(engine, "heap_mixed_kinds")) {
      String events = source(w, "all_events");
      String type = engine.equals("h2") ? " SET DATA TYPE VARCHAR(40)" : " TYPE VARCHAR";
      try (Statement s = db.createStatement()) {
        s.execute("ALTER TABLE " + events + " ALTER COLUMN " + w.quote("user_id") + type);
      }
      JdbcRunner runner = new JdbcRunner(w);
      assertThatThrownBy(() -> runner.prepare(HeapProject.standard(SYNCED).plan(), db, false))
          .isInstanceOf(HeapConfigException.class)
          .hasMessageContaining(": source.columns.all_events.user_id (Heap's all_events.user_id, not renamed): " + events + ".")
          .hasMessageContaining(" holds text (")
          .hasMessageContaining("[source.columns.sessions.user_id (Heap's sessions.user_id, not renamed)]: heap joins and stacks Heap's user"
              + " ids of these tables with each other, so they must be of one type");
      // all of one kind again: the run goes ahead; a time as text is refused on its own
      try (Statement s = db.createStatement()) {
        s.execute("ALTER TABLE " + events + " ALTER COLUMN " + w.quote("user_id") + (engine.equals("h2") ? " SET DATA TYPE BIGINT"
            : engine.equals("postgres") ? " TYPE BIGINT USING " + w.quote("user_id") + "::bigint" : " TYPE BIGINT"));
        s.execute("ALTER TABLE " + source(w, "pageviews") + " ALTER COLUMN " + w.quote("time") + type);
      }
      assertThatThrownBy(() -> runner.prepare(HeapProject.standard(SYNCED).plan(), db, false))
          .isInstanceOf(HeapConfigException.class)
          .hasMessageContaining(": source.columns.pageviews.time (Heap's pageviews.time, not renamed): " + source(w, "pageviews") + ".")
          .hasMessageContaining(" holds text (")
          .hasMessageEndingWith("and Heap's times are timestamps: the facts order and compare them as times; give it as a timestamp (in a view:"
              + " CAST(" + w.storedName("time") + " AS TIMESTAMP))");
      // a date: the runs went ahead, the order of a day's events lost
      try (Statement s = db.createStatement()) {
        String time = w.quote("time");
        s.execute("ALTER TABLE " + source(w, "pageviews") + " ALTER COLUMN " + time + (engine.equals("h2") ? " SET DATA TYPE TIMESTAMP"
            : engine.equals("postgres") ? " TYPE TIMESTAMP USING " + time + "::timestamp" : " TYPE TIMESTAMP"));
        s.execute("ALTER TABLE " + events + " ALTER COLUMN " + time + (engine.equals("h2") ? " SET DATA TYPE DATE" : " TYPE DATE"));
      }
      assertThatThrownBy(() -> runner.prepare(HeapProject.standard(SYNCED).plan(), db, false))
          .isInstanceOf(HeapConfigException.class)
          .hasMessageContaining(": source.columns.all_events.time (Heap's all_events.time, not renamed): " + events + ".")
          .hasMessageContaining(" holds dates (");
    }
  }

  /**
   * Where a reconciling run stored fingerprints, a plain run forgets those of the users it recomputes, by
   * user id; a user id turned text since (a view recast) reached that statement and failed with the
   * engine's type error. Refused before the run instead, naming the key and the fingerprints' table; with
   * that table dropped (the schema leaves reconcile) a full refresh goes ahead.
   */
  @ParameterizedTest
  @ValueSource(strings = {"h2", "duckdb", "postgres"})
  void aTextUserIdIsRefusedWhereFingerprintsAreStored(String engine) throws Exception {
    Warehouse w = io.heapsdk.testing.LocalEngines.warehouse(engine);
    try (Connection db = withSources(engine, "heap_text_user_id_stored")) {
      HeapConfig reconciling = HeapConfig.builder().from(SYNCED).reconcile(true).build();
      JdbcRunner runner = new JdbcRunner(w);
      runner.run(HeapProject.standard(reconciling).plan(), db);
      // every user id recast, as a view over Heap's tables would (one alone fails the run's UNION of them)
      String sessions = source(w, "sessions"); // the first Heap table the check reads with a user id
      try (Statement s = db.createStatement()) {
        for (String[] tc : new String[][] {
            {"users", "user_id"}, {"sessions", "user_id"}, {"pageviews", "user_id"}, {"all_events", "user_id"},
            {"user_migrations", "from_user_id"}, {"user_migrations", "to_user_id"}}) {
          s.execute("ALTER TABLE " + source(w, tc[0]) + " ALTER COLUMN " + w.quote(tc[1]) + (engine.equals("h2") ? " SET DATA TYPE VARCHAR(40)" : " TYPE VARCHAR"));
        }
      }
      String prints = w.table(SYNCED.targetDatabase(), SYNCED.targetSchema(), "heap__source_prints").qualified();
      for (boolean fullRefresh : List.of(false, true)) {
        assertThatThrownBy(() -> runner.prepare(HeapProject.standard(SYNCED).plan(), db, fullRefresh))
            .as("full refresh: %s", fullRefresh)
            .isInstanceOf(HeapConfigException.class)
            .hasMessageContaining(": source.columns.sessions.user_id (Heap's sessions.user_id, not renamed): " + sessions + ".")
            .hasMessageContaining(" holds text (")
            .hasMessageContaining(prints + " holds the source fingerprints a reconciling run recorded")
            .hasMessageEndingWith("or drop " + prints + " to stop keeping them");
      }
      try (Statement s = db.createStatement()) {
        s.execute("DROP TABLE " + prints);
      }
      // in full: the facts hold the ids as whole numbers still
      assertThat(runner.run(HeapProject.standard(SYNCED).plan(), db, true).models()).isNotEmpty();
    }
  }

  /**
   * Heap's pageviews given as a view over a table a re-sync renamed: the catalog still lists the view
   * and its columns, and the run failed at its first working table with DuckDB's "Table with name
   * pageviews does not exist!", naming nothing of the config's. Now the source check names the key and
   * says the view's query fails, before any statement of the run (a dry run too).
   */
  @org.junit.jupiter.api.Test
  void aViewWhoseQueryFailsIsNamedByItsKey() throws Exception {
    Warehouse w = Warehouses.DUCKDB;
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:")) {
      HeapConfig raw = HeapConfig.builder().from(SYNCED).sourceSchema("heap_raw").build();
      new SourceTables(w, raw).create(db);
      try (Statement s = db.createStatement()) {
        s.execute("CREATE SCHEMA \"heap_views\"");
        for (String t : List.of("users", "sessions", "pageviews", "all_events", "user_migrations")) {
          s.execute("CREATE VIEW \"heap_views\".\"" + t + "\" AS SELECT * FROM \"heap_raw\".\"" + t + "\"");
        }
        s.execute("ALTER TABLE \"heap_raw\".\"pageviews\" RENAME TO \"pageviews_old\"");
      }
      HeapConfig views = HeapConfig.builder().from(SYNCED).sourceSchema("heap_views").build();
      assertThatThrownBy(() -> new JdbcRunner(w).prepare(HeapProject.standard(views).plan(), db, false))
          .isInstanceOf(HeapRunException.class)
          .hasMessageStartingWith("source.tables.pageviews (not set: Heap's name): \"heap_views\".\"pageviews\" cannot be read on duckdb: ")
          .hasMessageEndingWith("; where it is a view, its query fails (a table it reads renamed or dropped, say)");
    }
  }

  /**
   * Redshift compares a {@code TIMESTAMPTZ} column with the mark in the session's {@code timezone}, as
   * PostgreSQL does, and a user's sessions can be given another zone ({@code ALTER USER … SET timezone}).
   * Its check (catalog columns, {@code current_setting('timezone')}) run on PostgreSQL, which answers both
   * as Redshift does: refused in New York with Redshift's remedy, accepted in UTC.
   */
  @org.junit.jupiter.api.Test
  void onRedshiftAZonedTimeColumnIsRefusedOutsideUtc() throws Exception {
    Warehouse redshift = Warehouses.REDSHIFT;
    try (Connection db = withSources("postgres", "heap_redshift_zone")) {
      try (Statement s = db.createStatement()) {
        s.execute("ALTER TABLE " + source(Warehouses.POSTGRES, "all_events") + " ALTER COLUMN " + Warehouses.POSTGRES.quote("time") + " TYPE timestamptz");
        s.execute("SET TIME ZONE 'America/New_York'");
      }
      io.heapsdk.model.ProjectPlan plan = HeapProject.standard(SYNCED).plan();
      assertThatThrownBy(() -> SourceColumns.check(redshift, db, plan, java.util.Optional.empty()))
          .isInstanceOf(HeapConfigException.class)
          .hasMessageContaining(": source.columns.all_events.time (Heap's all_events.time, not renamed): " + source(redshift, "all_events") + ".time is timestamptz")
          .hasMessageContaining(", and this session's time zone is America/New_York: ")
          .hasMessageEndingWith("(in a view: time AT TIME ZONE 'UTC'), or run heap in UTC (the JDBC drivers, PostgreSQL's and Redshift's,"
              + " may give the session the JVM's zone: java -Duser.timezone=UTC; where they do not, ALTER USER … SET timezone TO 'UTC')");
      try (Statement s = db.createStatement()) {
        s.execute("SET TIME ZONE 'UTC'");
      }
      assertThat(SourceColumns.check(redshift, db, plan, java.util.Optional.empty())).containsKey("all_events");
    }
  }

  /**
   * Snowflake has no function that returns a parameter: heap reads the session's {@code TIMEZONE} from
   * {@code SHOW PARAMETERS}, whose rows are key, value, default, level, description and type. Here a
   * PostgreSQL session stands in, answering the SHOW with a row of that shape (the value differing from
   * the default, as a user's setting does).
   */
  @org.junit.jupiter.api.Test
  void snowflakesZoneIsTheValueOfItsTimezoneParameter() throws Exception {
    Warehouse.SessionTimeZone query = Warehouses.SNOWFLAKE.sessionTimeZone().orElseThrow();
    assertThat(query.sql()).isEqualTo("SHOW PARAMETERS LIKE 'TIMEZONE' IN SESSION");
    try (Connection db = io.heapsdk.testing.LocalEngines.open("postgres", "heap_snowflake_zone")) {
      Connection answering =
          (Connection) java.lang.reflect.Proxy.newProxyInstance(
              Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
              (proxy, method, args) -> {
                Object result = method.invoke(db, args);
                if (!method.getName().equals("createStatement")) {
                  return result;
                }
                Statement real = (Statement) result;
                return java.lang.reflect.Proxy.newProxyInstance(
                    Statement.class.getClassLoader(), new Class<?>[] {Statement.class},
                    (p, m, a) -> m.getName().equals("executeQuery") && a[0].equals(query.sql())
                        ? real.executeQuery(
                            "SELECT 'TIMEZONE' AS key, 'Europe/Berlin' AS value, 'America/Los_Angeles' AS \"default\", 'USER' AS level,"
                                + " 'time zone' AS description, 'STRING' AS type")
                        : m.invoke(real, a));
              });
      assertThat(SourceColumns.setting(answering, query)).isEqualTo("Europe/Berlin");
    }
  }

  /** The zoned types as each driver's catalog names them, Snowflake's LTZ (read in the session's zone) among them. */
  @org.junit.jupiter.api.Test
  void zonedTypesAreToldByTheirCatalogNames() {
    for (String zoned : List.of("timestamptz", "TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ", "TIMESTAMPLTZ", "TIMESTAMP_LTZ", "TIMESTAMP_TZ",
        "TIMESTAMP WITH LOCAL TIME ZONE")) {
      assertThat(SourceColumns.zoned(new TableLookup.Column("time", java.sql.Types.TIMESTAMP, 0, 0, zoned))).as(zoned).isTrue();
    }
    for (String plain : List.of("timestamp", "TIMESTAMP", "TIMESTAMPNTZ", "TIMESTAMP_NTZ", "DATETIME", "TIMESTAMP WITHOUT TIME ZONE")) {
      assertThat(SourceColumns.zoned(new TableLookup.Column("time", java.sql.Types.TIMESTAMP, 0, 0, plain))).as(plain).isFalse();
    }
  }

  /** Session zones that are UTC all year, in the spellings PostgreSQL, DuckDB and H2 report; and some that are not. */
  @org.junit.jupiter.api.Test
  void utcIsToldFromTheZoneSetting() {
    for (String utc : List.of("UTC", "Etc/UTC", "utc", "GMT", "Etc/GMT+0", "Etc/Greenwich", "Z", "UCT", "<+00>-00", "+00:00", "UTC0")) {
      assertThat(SourceColumns.isUtc(utc)).as(utc).isTrue();
    }
    for (String other : List.of("America/New_York", "Europe/London", "+01:00", "Etc/GMT-1", "localtime", "<+03>-03")) {
      assertThat(SourceColumns.isUtc(other)).as(other).isFalse();
    }
  }

  /** A new database of {@code engine} holding Heap's tables as {@code SYNCED} has them, empty. */
  private static Connection withSources(String engine, String name) throws java.sql.SQLException {
    Connection db = io.heapsdk.testing.LocalEngines.open(engine, name);
    new SourceTables(io.heapsdk.testing.LocalEngines.warehouse(engine), SYNCED).create(db);
    return db;
  }

  /** A Heap table of {@code SYNCED}, quoted for {@code w}. */
  private static String source(Warehouse w, String table) {
    return w.table(SYNCED.sourceDatabase(), SYNCED.sourceSchema(), table).qualified();
  }
}
