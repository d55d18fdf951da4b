package io.heapsdk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.config.HeapConfigLoader;
import io.heapsdk.model.HeapProject;
import io.heapsdk.model.PlannedModel;
import io.heapsdk.model.ProjectPlan;
import io.heapsdk.sample.SampleData;
import io.heapsdk.warehouse.SqlRenderer;
import io.heapsdk.warehouse.Warehouse;
import io.heapsdk.warehouse.Warehouses;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The heap CLI run in-process: outputs, files, exit codes and one-line error messages. */
class HeapCliTest {
  private static final List<String> FACTS =
      List.of("stg_heap_events_all_inc_fct", "stg_heap_pageview_sessions_inc_fct", "stg_heap_sessions_inc_fct");

  /**
   * The summary of a run that built every fact in full without being asked to (the first run, a changed
   * definition, after a crash): not called a full refresh, which only {@code --full-refresh} asks for.
   */
  static final String FULL_BUILD = "(full build, as each incremental fact needed one)";

  @TempDir Path tmp;

  record Result(int code, String out, String err) {}

  static Result heap(Object... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    String[] text = Stream.of(args).map(String::valueOf).toArray(String[]::new);
    int code =
        HeapCli.run(
            new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), text);
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void demoBuildsEveryModelPrintsTheReportAndWritesSqlForEveryWarehouse() throws IOException {
    Path out = tmp.resolve("sql");
    Result r = heap("demo", "--out", out);

    assertThat(r.code()).as(r.err()).isZero();
    ProjectPlan plan = DemoModels.project(DemoCommand.config()).plan();
    List<String> models = plan.models().stream().map(PlannedModel::name).toList();
    String users = io.heapsdk.model.standard.StandardModels.USERS_FACT;
    assertThat(models)
        .containsAll(FACTS)
        .contains(users, DemoModels.SESSIONS_PER_CHANNEL, DemoModels.FUNNEL_STEP_SESSIONS, DemoModels.USERS_PER_INITIAL_CHANNEL);
    for (String model : List.of(users, DemoModels.SESSIONS_PER_CHANNEL, DemoModels.FUNNEL_STEP_SESSIONS, DemoModels.USERS_PER_INITIAL_CHANNEL)) {
      assertThat(r.out()).containsPattern("(?m)^\\s+" + model + "\\s+[\\d,]+\\s+[\\d,]+$");
    }
    // the users per initial channel: every user of the users fact once, converted ones a part of each channel
    String first = r.out().substring(0, r.out().indexOf("The next day"));
    java.util.regex.Matcher built = java.util.regex.Pattern.compile("(?m)^\\s+" + users + "\\s+([\\d,]+)\\s+[\\d,]+$").matcher(first);
    assertThat(built.find()).isTrue();
    String table = first.substring(first.indexOf("Users per channel of their first session"));
    table = table.substring(0, table.indexOf("\n\n"));
    java.util.regex.Matcher row =
        java.util.regex.Pattern.compile("(?m)^\\s+(.+?)\\s+([\\d,]+)\\s+(\\d+\\.\\d)\\s+([\\d,]+)\\s+(\\d+\\.\\d)$").matcher(table);
    long sum = 0;
    List<String> channels = new java.util.ArrayList<>();
    while (row.find()) {
      long n = Long.parseLong(row.group(2).replace(",", ""));
      assertThat(Long.parseLong(row.group(4).replace(",", ""))).as(row.group()).isBetween(0L, n);
      channels.add(row.group(1));
      sum += n;
    }
    assertThat(channels).contains("Direct", "example.com");
    assertThat(sum).isEqualTo(Long.parseLong(built.group(1).replace(",", "")));
    assertThat(r.out())
        .contains("Sessions per channel", "Sessions reaching each funnel step")
        .contains("Retention: users by the week of their first event", "Paths: 3 events after view_product")
        .containsPattern("(?m)^\\s+Direct\\s+[\\d,]+\\s+\\d+\\.\\d\\s+[\\d,]+$")
        .containsPattern("(?m)^\\s+example\\.com\\s+[\\d,]+")
        .containsPattern("(?m)^\\s+4\\s+purchase\\s+[\\d,]+");
    String incremental = r.out().substring(r.out().indexOf("The next day"));
    assertThat(incremental)
        .containsPattern("(?m)^Sample data batch 2, loaded in [\\d,]+ ms$")
        .containsPattern("[\\d,]+ new users, [\\d,]+ returning users, [\\d,]+ late rows, [\\d,]+ re-synced duplicates, [1-9][\\d,]* identity merges?")
        .contains("(incremental run)", "Sessions per channel", "Sessions reaching each funnel step")
        .doesNotContain("(full-refresh run)", FULL_BUILD);
    for (String fact : Stream.concat(FACTS.stream(), Stream.of(users)).toList()) {
      assertThat(incremental).containsPattern("(?m)^\\s+" + fact + "\\s+[\\d,]+\\s+[\\d,]+$");
      assertThat(incremental).containsPattern("(?m)^  " + fact + ": [1-9][\\d,]* added, [\\d,]+ changed, [\\d,]+ removed \\([\\d,]+ rows now\\)$");
    }
    assertThat(r.out().substring(0, r.out().indexOf("The next day"))).contains(FULL_BUILD);
    for (String warehouse : List.of("snowflake", "bigquery", "redshift", "h2")) {
      assertThat(sqlFiles(out.resolve(warehouse))).as(warehouse).containsExactlyInAnyOrderElementsOf(withRunFile(models));
      assertThat(Files.readString(out.resolve(warehouse).resolve("src_heap_sessions_eph.sql")))
          .startsWith(SqlFiles.EPHEMERAL_HEADER);
      assertThat(Files.readString(out.resolve(warehouse).resolve(DemoModels.FUNNEL_STEP_SESSIONS + ".sql")))
          .containsIgnoringCase("create")
          .containsIgnoringCase("union all");
      assertThat(r.out()).contains(out.resolve(warehouse).toString());
    }
    // the demo's heap.yml is its config: heap run --config with it builds what the demo built
    assertThat(HeapConfigLoader.load(out.resolve("heap.yml"))).isEqualTo(DemoCommand.config());
    // the analyses as charts, next to the SQL (BrowserCheckTest opens them)
    for (String chart : List.of("funnel.html", "attribution.html", "retention.html", "paths.html")) {
      assertThat(r.out()).contains(out.resolve(chart).toString());
      io.heapsdk.report.PageChecks.assertSelfContained(Files.readString(out.resolve(chart)));
    }
    assertThat(Files.readString(out.resolve("funnel.html"))).contains("data-label=\"view_product\"", "data-label=\"purchase\"");
    // weekly cohorts over 4 weeks; the paths after view_product
    assertThat(Files.readString(out.resolve("retention.html"))).contains("class=\"mark cell\"", "data-col=\"0\"", "data-col=\"4\"");
    assertThat(Files.readString(out.resolve("paths.html"))).contains("class=\"mark node\" data-depth=\"0\" data-label=\"view_product\"");
  }

  @ParameterizedTest
  @ValueSource(strings = {"snowflake", "bigquery", "redshift", "h2"})
  void compileWritesTheSqlOfEveryModelForOneWarehouse(String warehouse) throws IOException {
    Path out = tmp.resolve("sql");
    Result r = heap("compile", "--config", demoConfigFile(), "--warehouse", warehouse, "--out", out);

    assertThat(r.code()).as(r.err()).isZero();
    List<String> models = HeapProject.standard(SampleData.demoConfig()).plan().models().stream().map(PlannedModel::name).toList();
    assertThat(sqlFiles(out.resolve(warehouse))).containsExactlyInAnyOrderElementsOf(withRunFile(models));
    assertThat(Files.readString(out.resolve(warehouse).resolve("stg_heap_sessions_inc_fct.sql")))
        .containsIgnoringCase("heap_session_funnel_step_4_cnt")
        .doesNotContainIgnoringCase("merge");
    assertThat(out.toFile().list()).containsExactly(warehouse);
    assertThat(r.out()).contains("full-refresh");
  }

  @ParameterizedTest
  @ValueSource(strings = {"snowflake", "bigquery", "redshift", "h2"})
  void compileIncrementalWritesWhatALaterRunDoesPerModelAndAsOneScript(String warehouse) throws IOException {
    Path out = tmp.resolve("sql");
    Result r = heap("compile", "--config", demoConfigFile(), "--warehouse", warehouse, "--out", out, "--mode", "incremental");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("wrote the incremental SQL of 7 models, 1 working table and the whole run (_run.sql) for " + warehouse);
    ProjectPlan plan = HeapProject.standard(SampleData.demoConfig()).plan();
    List<String> models = new ArrayList<>(plan.models().stream().map(PlannedModel::name).toList());
    models.add("heap__active_users");
    Path folder = out.resolve(warehouse);
    assertThat(sqlFiles(folder)).containsExactlyInAnyOrderElementsOf(withRunFile(models));
    Warehouse w = Warehouses.byName(warehouse);
    SqlRenderer names = new SqlRenderer(w, plan);
    for (String fact : FACTS) {
      String sql = Files.readString(folder.resolve(fact + ".sql"));
      // the fact's changes for the active users, then applied to the fact in a transaction
      assertThat(sql).contains(names.changesTable(fact), names.activeUsersTable(), "BEGIN", "COMMIT");
      if (warehouse.equals("redshift")) {
        // the rows that differ, deleted and inserted (no MERGE)
        assertThat(sql).contains("CREATE TEMPORARY TABLE", "EXCEPT", "DELETE FROM " + names.tableName(fact))
            .contains("INSERT INTO " + names.tableName(fact))
            .doesNotContain("MERGE");
      } else {
        assertThat(sql).contains("MERGE INTO " + names.tableName(fact));
      }
      assertThat(sql).doesNotContain("CREATE OR REPLACE TABLE " + names.tableName(fact) + "\n");
    }
    assertThat(Files.readString(folder.resolve("heap__active_users.sql")))
        .startsWith(SqlFiles.ACTIVE_USERS_HEADER)
        .contains(names.activeUsersTable(), names.sourceName("user_migrations"));
    String run = Files.readString(folder.resolve(SqlFiles.RUN_FILE));
    assertThat(run).startsWith("-- the whole incremental run on " + warehouse);
    // the script holds every model's part, the active users first, the cleanup next to last, and last the
    // run state marked once more (BuildPlan: a run beside the script may have recorded over the first mark)
    assertThat(run.indexOf(names.activeUsersTable())).isLessThan(run.indexOf(names.changesTable(FACTS.get(0))));
    String cleanup = "DROP TABLE IF EXISTS " + names.changesTable(FACTS.get(2)) + ";\n\n";
    assertThat(run).contains(cleanup);
    assertThat(run.substring(run.lastIndexOf(cleanup) + cleanup.length())).startsWith("UPDATE ").contains("'written outside heap run'").endsWith(");\n")
        .doesNotContain(";\n\n");
    assertThat(Files.readString(folder.resolve("src_heap_events_all_eph.sql"))).startsWith(SqlFiles.EPHEMERAL_HEADER);
  }

  @Test
  void compileRefusesAnUnknownMode() {
    Result r = heap("compile", "--warehouse", "h2", "--out", tmp, "--mode", "sometimes");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().lines()).singleElement().asString().contains("--mode", "full or incremental", "sometimes");
  }

  /** A name one warehouse refuses writes nothing for any: it stopped after writing the warehouses before it. */
  @Test
  void compileWritesNoWarehouseWhenOneRefusesAName() throws IOException {
    Path config = tmp.resolve("ar.yml");
    SqlFiles.writeText(config, "target:\n  schema: نماذج\n");
    Path out = tmp.resolve("out");
    Files.createDirectories(out);
    Result r = heap("compile", "--config", config, "--warehouse", "h2,bigquery,duckdb", "--out", out);
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .startsWith("heap: bigquery cannot use target.schema \"نماذج\"")
        .contains("; nothing was written (--warehouse h2,duckdb writes the others)");
    try (Stream<Path> written = Files.list(out)) {
      assertThat(written.toList()).isEmpty();
    }
    assertThat(heap("compile", "--config", config, "--warehouse", "h2,duckdb", "--out", out).code()).isZero();
  }

  @Test
  void compileWithoutConfigUsesTheDefaults() throws IOException {
    Result r = heap("compile", "--warehouse", "snowflake", "--out", tmp);

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(Files.readString(tmp.resolve("snowflake").resolve("stg_heap_sessions_inc_fct.sql")))
        .doesNotContainIgnoringCase("funnel_step");
  }

  @Test
  void sampleThenRunBuildsTheFactsOnAnH2FileDatabase() throws SQLException {
    String url = "jdbc:h2:file:" + tmp.resolve("db");
    Path config = demoConfigFile();

    Result sample = heap("sample", "--config", config, "--jdbc", url, "--users", 200, "--seed", 3);
    assertThat(sample.code()).as(sample.err()).isZero();
    assertThat(sample.out()).containsPattern("(?m)^\\s+pageviews\\s+[\\d,]+$");
    Result run = heap("run", "--config", config, "--jdbc", url);
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).contains(FACTS).contains(FULL_BUILD);
    Result again = heap("run", "--config", config, "--jdbc", url);
    assertThat(again.code()).as(again.err()).isZero();
    assertThat(again.out()).contains("(incremental run)");
    checkSummary(run.out(), List.of("full builds"));
    checkSummary(
        again.out(),
        List.of(
            "working table heap__high_water_mark", "working table heap__active_users",
            "working table stg_heap_events_all_inc_fct__changes", "apply transaction", "cleanup"));
    // not on a terminal (System.console() is null under the tests): no progress line
    assertThat(run.err() + again.err()).doesNotContain("statement 1 of", "\r");
    Result resample = heap("sample", "--config", config, "--jdbc", url, "--users", 5);
    assertThat(resample.code()).isEqualTo(2);
    assertThat(resample.err().lines()).singleElement().asString().contains("main_production", "already has Heap tables", "pageviews");
    assertThat(heap("status", "--config", config, "--jdbc", url).code()).isZero();
    // heap asks the catalog whether a table is there: a query on a missing one would be an error H2
    // writes, with its stack trace, to a .trace.db file beside the database
    assertThat(tmp.resolve("db.trace.db")).as("H2's error log").doesNotExist();

    HeapConfig c = SampleData.demoConfig();
    SqlRenderer names = new SqlRenderer(Warehouses.H2, HeapProject.standard(c).plan());
    try (Connection db = DriverManager.getConnection(url)) {
      for (String fact : FACTS) {
        assertThat(count(db, names.tableName(fact))).as(fact).isPositive();
      }
      assertThat(count(db, names.sourceName("users"))).isGreaterThanOrEqualTo(200);
    }
  }

  @Test
  void laterSampleBatchesBuildIncrementallyToTheRowsOfAFullRefresh() throws SQLException {
    String url = "jdbc:h2:file:" + tmp.resolve("db");
    Path kept = demoConfigFile();
    // the same Heap tables, facts rebuilt in full in another schema: the oracle
    Path rebuilt = tmp.resolve("config").resolve("rebuilt.yml");
    SqlFiles.writeText(rebuilt, SampleData.DEMO_CONFIG_YAML + "target:\n  schema: rebuilt\n");

    assertOk(heap("sample", "--config", kept, "--jdbc", url, "--users", 150, "--seed", 3));
    assertThat(assertOk(heap("run", "--config", kept, "--jdbc", url)).out()).contains(FULL_BUILD);
    for (int batch = 2; batch <= 3; batch++) {
      Result sample = assertOk(heap("sample", "--config", kept, "--jdbc", url, "--users", 150, "--seed", 3, "--batch", batch));
      assertThat(sample.out())
          .contains("added batch " + batch)
          .containsPattern("[1-9][\\d,]* new users, [1-9][\\d,]* returning users, [1-9][\\d,]* late rows")
          .containsPattern("(?m)^\\s+all_events\\s+[1-9][\\d,]*$");
      assertThat(assertOk(heap("run", "--config", kept, "--jdbc", url)).out()).contains("(incremental run)");
      assertThat(assertOk(heap("run", "--config", rebuilt, "--jdbc", url, "--full-refresh")).out()).contains("(full-refresh run)");

      try (Connection db = DriverManager.getConnection(url)) {
        for (String fact : FACTS) {
          assertThat(rows(db, "\"HEAP_MODELS\".\"" + fact.toUpperCase() + "\""))
              .as("batch %d, %s", batch, fact)
              .isNotEmpty()
              .isEqualTo(rows(db, "\"REBUILT\".\"" + fact.toUpperCase() + "\""));
        }
      }
    }
  }

  @Test
  void laterSampleBatchesMustFollowTheirFirstBatchInOrderOnce() throws SQLException {
    String url = "jdbc:h2:file:" + tmp.resolve("db");

    Result noDatabase = heap("sample", "--jdbc", url, "--users", 50, "--batch", 2);
    assertThat(noDatabase.code()).isEqualTo(2);
    assertThat(noDatabase.err().lines()).singleElement().asString().contains("no database at " + url, "heap sample");
    DriverManager.getConnection(url).close();
    Result noTables = heap("sample", "--jdbc", url, "--users", 50, "--batch", 2);
    assertThat(noTables.code()).isEqualTo(2);
    assertThat(noTables.err().lines()).singleElement().asString().contains("no Heap table", "load the first batch first");

    assertOk(heap("sample", "--jdbc", url, "--users", 50));
    Result skipped = heap("sample", "--jdbc", url, "--users", 50, "--batch", 3);
    Result otherSeed = heap("sample", "--jdbc", url, "--users", 50, "--seed", 7, "--batch", 2);
    assertOk(heap("sample", "--jdbc", url, "--users", 50, "--batch", 2));
    Result twice = heap("sample", "--jdbc", url, "--users", 50, "--batch", 2);
    for (Result r : List.of(skipped, otherSeed, twice)) {
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err().lines()).singleElement().asString().contains("load the batches in order, each once");
    }
    // a config naming a column the tables lack (a pass-through property Heap does not sync yet): named by
    // its key, as heap run names it, not by the engine's words about an INSERT
    Path unsynced = tmp.resolve("unsynced.yml");
    SqlFiles.writeText(unsynced, "source:\n  pageview_properties: [gtm_campaign]\n");
    Result column = heap("sample", "--config", unsynced, "--jdbc", url, "--users", 50, "--batch", 3);
    assertThat(column.code()).isEqualTo(2);
    assertThat(column.err().lines()).singleElement().asString()
        .startsWith("heap: " + unsynced + ": source.pageview_properties[0]: no column GTM_CAMPAIGN in ");
    assertOk(heap("sample", "--jdbc", url, "--users", 50, "--batch", 3));
  }

  /**
   * {@code --days}: a longer history; a later batch given the same days follows it. (A later batch
   * checks the earlier batches' row counts only, so one given other days is not always refused.)
   */
  @Test
  void sampleDaysSpreadTheUsersOverALongerHistory() throws SQLException {
    String url = "jdbc:h2:file:" + tmp.resolve("db");
    Result zero = heap("sample", "--jdbc", url, "--users", 200, "--days", 0);
    assertThat(zero.code()).isEqualTo(2);
    assertThat(zero.err()).contains("--days must be 1 to 3650, got 0");

    assertOk(heap("sample", "--jdbc", url, "--users", 200, "--days", 120));
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT DATEDIFF(DAY, MIN(\"TIME\"), MAX(\"TIME\")) FROM \"MAIN_PRODUCTION\".\"ALL_EVENTS\"")) {
      rs.next();
      assertThat(rs.getLong(1)).isBetween(110L, 135L);
    }
    assertOk(heap("sample", "--jdbc", url, "--users", 200, "--days", 120, "--batch", 2));
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT DATEDIFF(DAY, MIN(\"TIME\"), MAX(\"TIME\")) FROM \"MAIN_PRODUCTION\".\"ALL_EVENTS\"")) {
      rs.next();
      assertThat(rs.getLong(1)).as("the next day follows the 120 days").isBetween(111L, 137L);
    }
  }

  @Test
  void dryRunPrintsTheRunItWouldDoAndChangesNothing() throws SQLException {
    String url = "jdbc:h2:file:" + tmp.resolve("db");
    Path config = demoConfigFile();

    assertOk(heap("sample", "--config", config, "--jdbc", url, "--users", 100));
    Map<String, List<String>> empty = everyTable(url);
    Result first = assertOk(heap("run", "--config", config, "--jdbc", url, "--dry-run"));
    assertThat(first.out()).startsWith("-- heap run --dry-run: the full build heap would do now").contains("CREATE TABLE").doesNotContain("MERGE");
    assertThat(everyTable(url)).isEqualTo(empty);

    assertOk(heap("run", "--config", config, "--jdbc", url));
    assertOk(heap("sample", "--config", config, "--jdbc", url, "--users", 100, "--batch", 2));
    Map<String, List<String>> before = everyTable(url);
    Result dry = assertOk(heap("run", "--config", config, "--jdbc", url, "--dry-run"));
    assertThat(everyTable(url)).isEqualTo(before);

    HeapConfig c = SampleData.demoConfig();
    SqlRenderer names = new SqlRenderer(Warehouses.H2, HeapProject.standard(c).plan());
    assertThat(dry.out()).startsWith("-- heap run --dry-run: the incremental run").contains("-- nothing was executed");
    // the mark it names has the lookback taken off already, and says so: the oldest of the facts' newest
    // times, read here, minus the lookback
    LocalDateTime oldestNewest = null;
    try (Connection conn = DriverManager.getConnection(url); Statement s = conn.createStatement()) {
      for (io.heapsdk.model.PlannedModel m : HeapProject.standard(c).plan().materialized()) {
        try (ResultSet rs = s.executeQuery("SELECT MAX(" + Warehouses.H2.quote(m.model().timeColumn().orElseThrow()) + ") FROM " + names.tableName(m.name()))) {
          rs.next();
          LocalDateTime newest = rs.getObject(1, LocalDateTime.class);
          oldestNewest = oldestNewest == null || newest.isBefore(oldestNewest) ? newest : oldestNewest;
        }
      }
    }
    assertThat(dry.out())
        .contains(
            "-- high-water mark " + oldestNewest.minusDays(c.lateArrivalLookbackDays()) + " (the facts' newest time minus the "
                + c.lateArrivalLookbackDays() + "-day late-arrival lookback: users with a row at or after it are recomputed), which run ");
    for (String fact : FACTS) {
      // the run's working tables carry its id: __CHANGES__R<8 hex digits>
      String changes = names.changesTable(fact);
      assertThat(dry.out()).contains("MERGE INTO " + names.tableName(fact)).containsPattern(
          java.util.regex.Pattern.quote(changes.substring(0, changes.length() - 1)) + "__R[0-9A-F]{8}\"");
    }
    assertThat(assertOk(heap("run", "--config", config, "--jdbc", url, "--dry-run", "--full-refresh")).out())
        .contains("the full-refresh run")
        .doesNotContain("MERGE");
    assertThat(everyTable(url)).isEqualTo(before);
    assertThat(assertOk(heap("run", "--config", config, "--jdbc", url)).out()).contains("(incremental run)");
    assertThat(everyTable(url)).isNotEqualTo(before);
  }

  /**
   * {@code heap run --reconcile}: a user's old events deleted behind the mark stay in the facts after a
   * plain run and are gone after a reconciling one.
   */
  @Test
  void reconcileFindsRowsDeletedBehindTheMark() throws Exception {
    String url = "jdbc:h2:file:" + tmp.resolve("db");
    Path config = demoConfigFile();
    assertOk(heap("sample", "--config", config, "--jdbc", url, "--users", 100));
    assertOk(heap("run", "--config", config, "--jdbc", url, "--reconcile"));
    String dry = assertOk(heap("run", "--config", config, "--jdbc", url, "--reconcile", "--dry-run")).out();
    assertThat(dry).contains("reconciling: users whose source rows changed since the last reconciling run (or recomputed since without it) are recomputed too")
        .contains("HEAP__RECONCILED_USERS__R");

    String oldUser =
        "SELECT MIN(\"USER_ID\") FROM \"MAIN_PRODUCTION\".\"ALL_EVENTS\" GROUP BY \"USER_ID\""
            + " HAVING MAX(\"TIME\") < (SELECT MAX(\"TIME\") - INTERVAL '10' DAY FROM \"MAIN_PRODUCTION\".\"ALL_EVENTS\")"
            + " ORDER BY 1 FETCH FIRST 1 ROW ONLY";
    String countFact = "SELECT COUNT(*) FROM \"HEAP_MODELS\".\"STG_HEAP_EVENTS_ALL_INC_FCT\" WHERE \"HEAP_USER_ID\" = ";
    long user;
    try (java.sql.Connection c = DriverManager.getConnection(url);
        java.sql.Statement s = c.createStatement()) {
      java.sql.ResultSet rs = s.executeQuery(oldUser);
      assertThat(rs.next()).as("a user inactive for the last 10 days of the sample").isTrue();
      user = rs.getLong(1);
      s.execute("DELETE FROM \"MAIN_PRODUCTION\".\"ALL_EVENTS\" WHERE \"USER_ID\" = " + user);
    }
    assertOk(heap("run", "--config", config, "--jdbc", url));
    assertThat(count(url, countFact + user)).as("a plain run does not see the deletion").isPositive();
    assertOk(heap("run", "--config", config, "--jdbc", url, "--reconcile"));
    assertThat(count(url, countFact + user)).as("the reconciling run does").isZero();
  }

  /**
   * {@code incremental.count_rows_behind_mark: true} in the config: a {@code heap run} says when rows
   * arrived behind its mark since the last run counted them (here one old event copied under a new id, as
   * a re-sync would add it), which a plain run does not see. Before, only a host could turn the count on
   * ({@code JdbcRunner.countingRowsBehindMark()}), so a team using the CLI learnt of such rows only by
   * reconciling. In a process of its own: the warning is a log line.
   */
  @Test
  void theConfigTurnsOnTheWarningOfRowsBehindTheMark() throws Exception {
    String url = "jdbc:h2:file:" + tmp.resolve("db");
    Path config = tmp.resolve("behind.yml");
    Files.writeString(config, SampleData.DEMO_CONFIG_YAML + "incremental:\n  count_rows_behind_mark: true\n");
    assertOk(heap("sample", "--config", config, "--jdbc", url, "--users", 100));
    assertOk(heap("run", "--config", config, "--jdbc", url));
    try (java.sql.Connection c = DriverManager.getConnection(url);
        java.sql.Statement s = c.createStatement()) {
      s.execute("CREATE TABLE \"MAIN_PRODUCTION\".\"RESYNCED\" AS SELECT * FROM \"MAIN_PRODUCTION\".\"ALL_EVENTS\""
          + " WHERE \"EVENT_ID\" = (SELECT MIN(\"EVENT_ID\") FROM \"MAIN_PRODUCTION\".\"ALL_EVENTS\")");
      s.execute("UPDATE \"MAIN_PRODUCTION\".\"RESYNCED\" SET \"EVENT_ID\" = (SELECT MAX(\"EVENT_ID\") + 1 FROM \"MAIN_PRODUCTION\".\"ALL_EVENTS\")");
      s.execute("INSERT INTO \"MAIN_PRODUCTION\".\"ALL_EVENTS\" SELECT * FROM \"MAIN_PRODUCTION\".\"RESYNCED\"");
      s.execute("DROP TABLE \"MAIN_PRODUCTION\".\"RESYNCED\"");
    }
    Process run = HeapProcess.start(env -> {}, "run", "--config", config.toString(), "--jdbc", url);
    run.getInputStream().readAllBytes();
    String err = new String(run.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(run.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(run.exitValue()).as(err).isZero();
    assertThat(err).containsPattern("WARN all_events: 1 row with a time before the mark \\S+ arrived since run [0-9a-f]{8} counted them");
  }

  private static long count(String url, String sql) throws SQLException {
    try (java.sql.Connection c = DriverManager.getConnection(url);
        java.sql.Statement s = c.createStatement();
        java.sql.ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** A changed lookback changes no model's definition but moves the next run's mark: status says so. */
  @Test
  void aChangedLookbackIsShownByStatus() throws Exception {
    String url = "jdbc:h2:file:" + tmp.resolve("db");
    Path config = demoConfigFile();
    assertOk(heap("sample", "--config", config, "--jdbc", url, "--users", 100));
    assertOk(heap("run", "--config", config, "--jdbc", url));
    assertThat(assertOk(heap("status", "--config", config, "--jdbc", url)).out()).doesNotContain("late_arrival_lookback_days");

    Path changed = tmp.resolve("config").resolve("lookback.yml");
    SqlFiles.writeText(changed, SampleData.DEMO_CONFIG_YAML + "\nincremental:\n  late_arrival_lookback_days: 7\n");
    assertThat(assertOk(heap("status", "--config", changed, "--jdbc", url)).out())
        .containsPattern(
            "(?m)^incremental.late_arrival_lookback_days: 3 when run [0-9a-f]{8} recorded its mark, 7 now: the next run's mark moves 4"
                + " days earlier \\(heap run --dry-run shows it\\)$");
  }

  @Test
  void aConfigChangeIsShownByStatusAndDryRunAndRebuildsTheChangedFacts() throws Exception {
    String url = "jdbc:h2:file:" + tmp.resolve("db");
    Path config = demoConfigFile();
    assertOk(heap("sample", "--config", config, "--jdbc", url, "--users", 100));
    assertThat(assertOk(heap("status", "--config", config, "--jdbc", url)).out())
        .startsWith("schema heap_models does not exist in ")
        .contains("the next run creates it (if heap's database user may create schemas) and builds every model in full");
    assertOk(heap("run", "--config", config, "--jdbc", url));

    Path changed = tmp.resolve("config").resolve("changed.yml");
    SqlFiles.writeText(changed, SampleData.DEMO_CONFIG_YAML + "\nsessionization:\n  timeout_minutes: 10\n");
    String status = assertOk(heap("status", "--config", changed, "--jdbc", url)).out();
    assertThat(status).contains("succeeded", "lock: free");
    assertThat(status.lines().filter(l -> l.contains("stg_heap_pageview_sessions_inc_fct")).findFirst().orElseThrow())
        .contains("full build: definition changed");
    assertThat(status.lines().filter(l -> l.contains("stg_heap_events_all_inc_fct")).findFirst().orElseThrow()).contains("unchanged");
    String dry = assertOk(heap("run", "--config", changed, "--jdbc", url, "--dry-run")).out();
    assertThat(dry)
        .contains("-- stg_heap_pageview_sessions_inc_fct: full (definition changed: fingerprint ")
        .contains("-- stg_heap_events_all_inc_fct: incremental (definition unchanged since run ");
    // which run, on which host and process, recorded the other definition (a teammate's config on the
    // schema), and which key of the config changed since
    assertThat(dry.lines().filter(l -> l.startsWith("-- stg_heap_pageview_sessions_inc_fct: full")).findFirst().orElseThrow())
        .matches("-- stg_heap_pageview_sessions_inc_fct: full \\(definition changed: fingerprint \\w+ \\(run (\\w+), by [^/)]+/"
            + ProcessHandle.current().pid() + "\\) -> \\w+; the config changed since run \\1: sessionization.timeout_minutes 30 -> 10\\)");
    assertThat(assertOk(heap("run", "--config", changed, "--jdbc", url)).out())
        .contains("(incremental run; built in full: stg_heap_pageview_sessions_inc_fct)");
    assertThat(assertOk(heap("status", "--config", changed, "--jdbc", url)).out()).doesNotContain("definition changed");

    // a conversion event more: the events fact changes, and the sessions fact, which reads it, is rebuilt
    // with it; status said "unchanged" for the sessions fact where the run rebuilt it
    Path converting = tmp.resolve("config").resolve("converting.yml");
    SqlFiles.writeText(converting, SampleData.DEMO_CONFIG_YAML.replace("conversion_events: [", "conversion_events: [view_product, ")
        + "\nsessionization:\n  timeout_minutes: 10\n");
    String downstream = assertOk(heap("status", "--config", converting, "--jdbc", url)).out();
    assertThat(downstream.lines().filter(l -> l.contains("stg_heap_events_all_inc_fct")).findFirst().orElseThrow())
        .contains("full build: definition changed");
    assertThat(downstream.lines().filter(l -> l.contains("stg_heap_sessions_inc_fct")).findFirst().orElseThrow())
        .contains("full build: downstream of stg_heap_events_all_inc_fct, which is rebuilt in full");
    assertThat(downstream.lines().filter(l -> l.contains("stg_heap_pageview_sessions_inc_fct")).findFirst().orElseThrow())
        .contains("incremental: definition unchanged since run ");

    // another run holding the lock, its heartbeat fresh: a second run exits 1 naming it
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(url);
        java.sql.Statement s = c.createStatement()) {
      s.execute("UPDATE \"HEAP_MODELS\".\"HEAP__RUN_LOCK\" SET \"RUN_ID\" = 'deadbeef', \"OWNER\" = 'other-host/42/deadbeef',"
          + " \"STARTED_AT\" = TIMESTAMP '2099-01-01 00:00:00', \"HEARTBEAT_AT\" = TIMESTAMP '2099-01-01 00:00:00'");
    }
    Result locked = heap("run", "--config", changed, "--jdbc", url);
    assertThat(locked.code()).isEqualTo(1);
    assertThat(locked.err())
        .contains("heap: another run holds the lock: run deadbeef by other-host/42/deadbeef, started 2099-01-01T00:00, last heartbeat 2099-01-01T00:00");

    // its heartbeat stale, and no record of it in heap__runs (killed before it wrote one): taken over, and said so
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(url);
        java.sql.Statement s = c.createStatement()) {
      s.execute("UPDATE \"HEAP_MODELS\".\"HEAP__RUN_LOCK\" SET \"STARTED_AT\" = TIMESTAMP '2024-01-01 00:00:00',"
          + " \"HEARTBEAT_AT\" = TIMESTAMP '2024-01-01 00:00:00'");
    }
    // in a process of its own: the runner's log lines go to the process's standard error
    Process takeover = HeapProcess.start(env -> {}, "run", "--config", changed.toString(), "--jdbc", url);
    takeover.getInputStream().readAllBytes();
    String said = new String(takeover.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(takeover.waitFor()).as(said).isZero();
    assertThat(said)
        .contains("took over the run lock from run deadbeef by other-host/42/deadbeef (lock taken 2024-01-01T00:00, last heartbeat"
            + " 2024-01-01T00:00), which is taken to have died; heap__runs has no record of it: it stopped before recording itself,"
            + " so it changed nothing");
  }

  /**
   * A run killed on an H2 file (kill -9, a crash) left its lock and its "running" record; the next run
   * finds it dead, records it as crashed and rebuilds in full, since a crash can leave H2's tables
   * damaged. {@code heap status} and {@code --dry-run}, which take no lock, said "incremental" until then.
   * The killed run is written here as the run state records one (its record and its lock, no working
   * table); a real kill -9 of {@code heap run} is {@code KillLoopTest}'s and {@code InterruptedRunCliTest}'s.
   */
  @Test
  void afterARunKilledOnAnH2FileStatusAndDryRunSayTheNextRunRebuildsInFull() throws Exception {
    String url = "jdbc:h2:file:" + tmp.resolve("db");
    Path config = demoConfigFile();
    assertOk(heap("sample", "--config", config, "--jdbc", url, "--users", 60));
    assertOk(heap("run", "--config", config, "--jdbc", url));
    assertOk(heap("sample", "--config", config, "--jdbc", url, "--users", 60, "--batch", 2));
    assertThat(assertOk(heap("status", "--config", config, "--jdbc", url)).out()).contains("incremental: definition unchanged since run ");

    io.heapsdk.warehouse.StateSql sql = new io.heapsdk.warehouse.StateSql(io.heapsdk.warehouse.Warehouses.H2, SampleData.demoConfig());
    java.time.LocalDateTime now = java.time.LocalDateTime.now(java.time.ZoneOffset.UTC);
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(url);
        java.sql.Statement s = c.createStatement()) {
      s.execute(sql.acquireLock("0dead0ff", "other-host/42/0dead0ff", now, now, java.util.Optional.empty()));
      s.execute(sql.insertRun("0dead0ff", "other-host/42/0dead0ff", "incremental", now, java.util.Optional.empty(), List.of()));
    }
    String status = assertOk(heap("status", "--config", config, "--jdbc", url)).out();
    assertThat(status).containsPattern("(?m)^  0dead0ff +incremental +unfinished ");
    for (String fact : FACTS) {
      assertThat(status.lines().filter(l -> l.contains(fact)).findFirst().orElseThrow())
          .contains("full build: a run crashed since the last successful one, and a crash can leave h2's tables damaged");
    }
    assertThat(assertOk(heap("run", "--config", config, "--jdbc", url, "--dry-run")).out())
        .contains("-- stg_heap_events_all_inc_fct: full (a run crashed since the last successful one");
    assertThat(assertOk(heap("run", "--config", config, "--jdbc", url)).out()).contains(FULL_BUILD);
    assertThat(assertOk(heap("status", "--config", config, "--jdbc", url)).out())
        .containsPattern("(?m)^  0dead0ff +incremental +crashed ")
        .contains("incremental: definition unchanged since run ");
  }

  /**
   * Status approves nothing {@code heap run} refuses: it used to list a misspelled model key, a text
   * partition column or a missing pass-through column as "unchanged", exit 0, where the run exits 2.
   */
  @Test
  void statusRefusesWhatRunRefusesWithRunsMessageAndExitCode() throws Exception {
    String url = "jdbc:h2:file:" + tmp.resolve("db");
    Path config = demoConfigFile();
    assertOk(heap("sample", "--config", config, "--jdbc", url, "--users", 60));
    assertOk(heap("run", "--config", config, "--jdbc", url));
    Map<String, String> mistakes = Map.of(
        "misspelled.yml", "models:\n  stg_heap_events_al_inc_fct:\n    partition_by: heap_event_time\n",
        "text-partition.yml", "models:\n  stg_heap_events_all_inc_fct:\n    partition_by: heap_event_name\n",
        "missing-column.yml", "source:\n  pageview_properties: [gtm_campaign]\n",
        // a run failed at its first state statement, exit 1, with H2's "Invalid name"
        "missing-database.yml", "target:\n  database: otherdb\n");
    for (Map.Entry<String, String> mistake : mistakes.entrySet()) {
      Path file = tmp.resolve("config").resolve(mistake.getKey());
      SqlFiles.writeText(file, SampleData.DEMO_CONFIG_YAML + "\n" + mistake.getValue());
      Result run = heap("run", "--config", file, "--jdbc", url, "--dry-run");
      Result status = heap("status", "--config", file, "--jdbc", url);
      assertThat(run.code()).as(mistake.getKey() + ": " + run.err()).isEqualTo(2);
      assertThat(run.err()).startsWith("heap: " + file + ": ");
      assertThat(status.code()).as(mistake.getKey()).isEqualTo(2);
      assertThat(status.err()).as(mistake.getKey()).isEqualTo(run.err());
      assertThat(status.out()).as("a config mistake: no report for it").isEmpty();
    }

    // a definition change whose rebuild a view would stop: the report, then the run's refusal and its exit code
    try (java.sql.Connection c = DriverManager.getConnection(url);
        java.sql.Statement s = c.createStatement()) {
      s.execute("CREATE VIEW \"HEAP_MODELS\".\"MY_SESSIONS\" AS SELECT * FROM \"HEAP_MODELS\".\"STG_HEAP_SESSIONS_INC_FCT\"");
    }
    Path moreSteps = tmp.resolve("config").resolve("conversions.yml");
    SqlFiles.writeText(moreSteps, SampleData.DEMO_CONFIG_YAML + "\nsessions:\n  conversion_window_days: 7\n");
    Result run = heap("run", "--config", moreSteps, "--jdbc", url, "--dry-run");
    Result status = heap("status", "--config", moreSteps, "--jdbc", url);
    assertThat(run.code()).as(run.err()).isEqualTo(1);
    assertThat(run.err()).contains("nothing was changed: ", "MY_SESSIONS");
    assertThat(status.code()).isEqualTo(1);
    assertThat(status.err()).isEqualTo(run.err());
    assertThat(status.out()).contains("succeeded", "lock: free", "full build: definition changed");

    // a model some run built that these models do not define: named, with what becomes of its table
    try (java.sql.Connection c = DriverManager.getConnection(url);
        java.sql.Statement s = c.createStatement()) {
      s.execute("DROP VIEW \"HEAP_MODELS\".\"MY_SESSIONS\"");
      s.execute("INSERT INTO \"HEAP_MODELS\".\"HEAP__MODEL_STATE\" (\"MODEL\", \"FINGERPRINT\", \"RUN_ID\", \"BUILT_AT\", \"ROW_COUNT\","
          + " \"STATUS\") VALUES ('converting_events', 'f', 'abcd1234', TIMESTAMP '2024-03-01 10:00:00', 5, 'built in full')");
    }
    assertThat(assertOk(heap("status", "--config", config, "--jdbc", url)).out())
        .contains("  converting_events: built by run abcd1234 at 2024-03-01 10:00, and not a model here (an application's own, or one"
            + " removed): heap leaves its table as it is, no longer updated by these models' runs; drop it if no one builds it");

    Result noTables = heap("status", "--jdbc", url, "--config", write("other-source.yml", "source:\n  schema: nowhere\n"));
    assertThat(noTables.code()).isEqualTo(2);
    assertThat(noTables.err()).startsWith("heap: no Heap tables in schema nowhere of " + url);

    Result none = heap("status", "--jdbc", url, "--config", config, "--last", 0);
    assertThat(none.code()).isEqualTo(2);
    assertThat(none.err()).contains("--last must be 1 or more runs, got 0");
  }

  private Path write(String name, String yaml) throws java.io.IOException {
    Path file = tmp.resolve("config").resolve(name);
    SqlFiles.writeText(file, yaml);
    return file;
  }

  @Test
  void aSecondRunOnTheSameDataChangesNothing() throws SQLException {
    String url = "jdbc:h2:file:" + tmp.resolve("db");
    Path config = demoConfigFile();
    assertOk(heap("sample", "--config", config, "--jdbc", url, "--users", 150, "--seed", 5));
    assertOk(heap("run", "--config", config, "--jdbc", url));
    Map<String, List<String>> once = everyTable(url);

    assertThat(assertOk(heap("run", "--config", config, "--jdbc", url)).out()).contains("(incremental run)");

    Map<String, List<String>> twice = everyTable(url);
    assertThat(twice.get("\"HEAP_MODELS\".\"HEAP__RUNS\"")).as("the run state records the second run").hasSize(2);
    // the run state records each run by design; every other table is as the first run left it
    assertThat(withoutRunState(twice)).isEqualTo(withoutRunState(once));
    assertThat(once.keySet()).anyMatch(t -> t.endsWith(".\"STG_HEAP_SESSIONS_INC_FCT\""));
  }

  /**
   * A scheduled {@code heap run} that lost its {@code --config}: the defaults define the facts otherwise
   * than the config they were built with, and the run would rebuild them without the config's funnel
   * steps and conversion events. Refused, exit 2, nothing changed; {@code --full-refresh} means it.
   */
  @Test
  void aRunWithoutTheConfigTheFactsWereBuiltWithIsRefused() throws SQLException, IOException {
    String url = "jdbc:h2:file:" + tmp.resolve("db");
    Path config = demoConfigFile();
    assertOk(heap("sample", "--config", config, "--jdbc", url, "--users", 60, "--seed", 2));
    assertOk(heap("run", "--config", config, "--jdbc", url));
    Map<String, List<String>> built = withoutRunState(everyTable(url));

    Result r = heap("run", "--jdbc", url);
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().lines()).singleElement().asString()
        .startsWith("heap: no --config given, so every default applies, and stg_heap_events_all_inc_fct, ")
        .contains("were built with another definition (a config's, it seems): this run would rebuild them with the defaults.")
        // no heap.yml where the test runs: a placeholder, not a file that is not there
        .contains(java.nio.file.Files.exists(Path.of("heap.yml")) ? "--config heap.yml" : "Give the config it was built with (--config FILE), ")
        .endsWith("or run with --full-refresh to rebuild every model with the defaults");
    assertThat(withoutRunState(everyTable(url))).isEqualTo(built);
    // an empty config is the defaults too (a template that rendered nothing); --dry-run and status say what run says
    Path empty = Files.writeString(tmp.resolve("empty.yml"), "");
    Result emptied = heap("run", "--config", empty, "--jdbc", url);
    assertThat(emptied.code()).isEqualTo(2);
    assertThat(emptied.err()).startsWith("heap: " + empty + " sets nothing, so every default applies, and stg_heap_events_all_inc_fct, ");
    assertThat(heap("run", "--jdbc", url, "--dry-run").code()).isEqualTo(2);
    Result status = heap("status", "--jdbc", url);
    assertThat(status.code()).isEqualTo(2);
    assertThat(status.err()).startsWith("heap: no --config given, so every default applies");
    assertThat(withoutRunState(everyTable(url))).isEqualTo(built);
    // with the config, as usual; without it, meant
    assertOk(heap("run", "--config", config, "--jdbc", url));
    assertOk(heap("run", "--jdbc", url, "--full-refresh"));
    assertOk(heap("run", "--jdbc", url));
    // facts the defaults built, whose definition changed (a heap upgrade rendering a query otherwise):
    // rebuilt as usual, the last run having recorded that it had no config
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(url);
        java.sql.Statement s = c.createStatement()) {
      s.execute("UPDATE \"HEAP_MODELS\".\"HEAP__MODEL_STATE\" SET \"FINGERPRINT\" = 'older0000000' WHERE \"MODEL\" = 'stg_heap_sessions_inc_fct'");
    }
    assertThat(assertOk(heap("run", "--jdbc", url)).out()).contains("built in full: stg_heap_sessions_inc_fct");

    // the same after an upgrade from a heap that recorded nothing of the kind: the defaults would drop no
    // column, so not refused (it was, on every run, until a --full-refresh)
    execute(url, "DELETE FROM \"HEAP_MODELS\".\"HEAP__RUN_SETTINGS\" WHERE \"NAME\" = 'config_is_defaults'");
    execute(url, "UPDATE \"HEAP_MODELS\".\"HEAP__MODEL_STATE\" SET \"FINGERPRINT\" = 'older0000000' WHERE \"MODEL\" = 'stg_heap_sessions_inc_fct'");
    assertThat(assertOk(heap("run", "--jdbc", url)).out()).contains("built in full: stg_heap_sessions_inc_fct");

    // a stale word: the last no-config run said "defaults", then a heap from before the setting built the
    // facts with the config (it left that word alone): a run without the config is refused, as the
    // defaults would drop the config's columns (it went ahead, exit 0)
    String defaultsRun = lastSuccess(url);
    assertOk(heap("run", "--config", config, "--jdbc", url));
    execute(url, "UPDATE \"HEAP_MODELS\".\"HEAP__RUN_SETTINGS\" SET \"VALUE\" = 'true', \"RUN_ID\" = '" + defaultsRun
        + "' WHERE \"NAME\" = 'config_is_defaults'");
    Result stale = heap("run", "--jdbc", url);
    assertThat(stale.code()).as(stale.err()).isEqualTo(2);
    assertThat(stale.err()).startsWith("heap: no --config given, so every default applies, and ");
  }

  private static void execute(String url, String sql) throws SQLException {
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(url);
        java.sql.Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static String lastSuccess(String url) throws SQLException {
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(url)) {
      return new io.heapsdk.run.RunState(io.heapsdk.warehouse.Warehouses.H2, SampleData.demoConfig(), c).lastSuccess().orElseThrow().runId();
    }
  }

  private static Map<String, List<String>> withoutRunState(Map<String, List<String>> tables) {
    Map<String, List<String>> rest = new java.util.TreeMap<>(tables);
    rest.keySet().removeIf(t -> t.matches(".*\"HEAP__(RUNS|MODEL_STATE|RUN_LOCK|RUN_SETTINGS)\""));
    return rest;
  }

  @Test
  void anH2FileDatabaseGetsAQuarterOfTheHeapAsPageCacheUnlessItHasASizeOfItsOwn() throws SQLException {
    String plain = "jdbc:h2:file:" + tmp.resolve("plain");
    assertOk(heap("sample", "--jdbc", plain, "--users", 0));
    // H2 reports 16 MB (its FileStore's default) for a file database opened without a size
    try (Connection db = DriverManager.getConnection("jdbc:h2:file:" + tmp.resolve("untouched"))) {
      assertThat(setting(db, "info.CACHE_MAX_SIZE")).isEqualTo("16");
      assertThat(setting(db, "CACHE_SIZE")).isNull();
    }
    long quarterOfHeapKb = Runtime.getRuntime().maxMemory() / 4 / 1024;
    try (Connection db = DriverManager.getConnection(plain)) {
      assertThat(setting(db, "CACHE_SIZE")).isEqualTo(String.valueOf(Math.max(16 * 1024, quarterOfHeapKb)));
    }

    // the user's size, in the URL or set in the database before, is left as it is
    String own = "jdbc:h2:file:" + tmp.resolve("own");
    assertOk(heap("sample", "--jdbc", own + ";CACHE_SIZE=8192", "--users", 0));
    assertOk(heap("run", "--jdbc", own));
    try (Connection db = DriverManager.getConnection(own)) {
      assertThat(setting(db, "CACHE_SIZE")).isEqualTo("8192");
      assertThat(setting(db, "info.CACHE_MAX_SIZE")).isEqualTo("8");
    }
  }

  private static String setting(Connection db, String name) throws SQLException {
    try (var s = db.prepareStatement("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = ?")) {
      s.setString(1, name);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? r.getString(1) : null;
      }
    }
  }

  @Test
  void sampleWithoutUsersLeavesTheTablesEmptyAndRunStillSucceeds() throws SQLException {
    String url = "jdbc:h2:file:" + tmp.resolve("db");

    Result sample = heap("sample", "--jdbc", url, "--users", 0);
    assertThat(sample.code()).as(sample.err()).isZero();
    Result run = heap("run", "--jdbc", url);
    assertThat(run.code()).as(run.err()).isZero();

    SqlRenderer names = new SqlRenderer(Warehouses.H2, HeapProject.standard(HeapConfig.defaults()).plan());
    try (Connection db = DriverManager.getConnection(url)) {
      for (String table : HeapConfig.defaults().catalog().tableNames()) {
        assertThat(count(db, names.sourceName(table))).as(table).isZero();
      }
      for (String fact : FACTS) {
        assertThat(count(db, names.tableName(fact))).as(fact).isZero();
      }
    }
  }

  /**
   * Heap Connect emptying pageviews to re-sync it: {@code heap run} exits 1 naming the table, its key and
   * the option, and changes nothing; {@code heap status} refuses the same; {@code --allow-emptied-sources}
   * builds the pageview fact from it, empty.
   */
  @Test
  void anEmptiedSourceExits1ChangingNothingUntilAllowed() throws SQLException {
    String url = "jdbc:h2:file:" + tmp.resolve("db");
    assertOk(heap("sample", "--jdbc", url, "--users", 40, "--seed", 3));
    assertOk(heap("run", "--jdbc", url));
    SqlRenderer names = new SqlRenderer(Warehouses.H2, HeapProject.standard(HeapConfig.defaults()).plan());
    try (Connection db = DriverManager.getConnection(url);
        Statement s = db.createStatement()) {
      assertThat(count(db, names.tableName("stg_heap_pageview_sessions_inc_fct"))).isPositive();
      s.execute("DELETE FROM " + names.sourceName("pageviews"));
    }
    Map<String, List<String>> before = withoutRunState(everyTable(url));

    Result refused = heap("run", "--jdbc", url);
    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.err().lines()).singleElement().asString()
        .startsWith("heap: nothing was changed: \"MAIN_PRODUCTION\".\"PAGEVIEWS\" (source.tables.pageviews) has no rows, and had rows when run ")
        .contains("stg_heap_pageview_sessions_inc_fct", "heap run --allow-emptied-sources");
    assertThat(withoutRunState(everyTable(url))).isEqualTo(before);
    Result status = heap("status", "--jdbc", url);
    assertThat(status.code()).isEqualTo(1);
    assertThat(status.err()).contains("(source.tables.pageviews) has no rows");
    // its table of models does not say "unchanged" beside that refusal (a probe)
    assertThat(status.out()).contains("none: the run is refused (see below)").doesNotContain(" unchanged");

    assertOk(heap("run", "--jdbc", url, "--allow-emptied-sources"));
    try (Connection db = DriverManager.getConnection(url)) {
      assertThat(count(db, names.tableName("stg_heap_pageview_sessions_inc_fct"))).isZero();
    }
    // recorded empty now: the next run goes ahead as usual
    assertOk(heap("run", "--jdbc", url));
  }

  @Test
  void aBadConfigExits2WithOneLineNamingTheFileAndTheKey() throws IOException {
    Path config = tmp.resolve("heap.yml");
    Files.writeString(config, "funnel_events: [view_product]\nsessionization:\n  timeout_minute: 5\n");

    Result r = heap("compile", "--config", config, "--warehouse", "h2", "--out", tmp);

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err().lines()).singleElement().asString().startsWith("heap: ").contains(config.toString(), "sessionization.timeout_minute");
  }

  @Test
  void anUnknownWarehouseExits2NamingTheKnownOnes() {
    Result r = heap("compile", "--warehouse", "oracle", "--out", tmp);

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().lines()).singleElement().asString().contains("oracle", "snowflake", "bigquery", "redshift", "h2");
  }

  @Test
  void aJdbcUrlOfAnotherDatabaseExits2() {
    Result r = heap("run", "--jdbc", "jdbc:oracle:thin:@localhost:1521/analytics");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().lines()).singleElement().asString().contains("jdbc:oracle:thin:@localhost:1521/analytics", "jdbc:h2:", "jdbc:duckdb:", "jdbc:postgresql:");
  }

  /**
   * A database whose pageviews every query of fails: a view over the rows that divides by zero, with
   * Heap's columns (a missing table is a config error before any statement: see below).
   */
  private String failingPageviews() throws SQLException {
    String url = "jdbc:h2:file:" + tmp.resolve("broken");
    assertOk(heap("sample", "--jdbc", url, "--users", 5));
    try (Connection db = DriverManager.getConnection(url);
        Statement s = db.createStatement()) {
      s.execute("ALTER TABLE \"MAIN_PRODUCTION\".\"PAGEVIEWS\" RENAME TO \"PAGEVIEW_ROWS\"");
      s.execute("CREATE VIEW \"MAIN_PRODUCTION\".\"PAGEVIEWS\" AS SELECT * FROM \"MAIN_PRODUCTION\".\"PAGEVIEW_ROWS\""
          + " WHERE 1 / (\"EVENT_ID\" - \"EVENT_ID\") = 1");
    }
    return url;
  }

  @Test
  void aModelTheDatabaseRefusesExits1NamingTheModel() throws SQLException {
    Result r = heap("run", "--jdbc", failingPageviews());

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err().lines()).singleElement().asString()
        .startsWith("heap: model stg_heap_pageview_sessions_inc_fct failed on h2: Division by zero")
        .endsWith(" (--verbose shows more)");
    assertThat(r.err()).doesNotContain("SELECT", "\tat ");
  }

  /** A Heap table the database does not have: named by its config key before any statement, exit 2. */
  @Test
  void aMissingSourceTableIsNamedByItsConfigKey() throws SQLException {
    String url = "jdbc:h2:file:" + tmp.resolve("without");
    assertOk(heap("sample", "--jdbc", url, "--users", 0));
    try (Connection db = DriverManager.getConnection(url);
        Statement s = db.createStatement()) {
      s.execute("DROP TABLE \"MAIN_PRODUCTION\".\"PAGEVIEWS\"");
    }
    Result r = heap("run", "--jdbc", url);

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().lines()).singleElement().asString()
        .contains("source.tables.pageviews (not set: Heap's name): no table PAGEVIEWS in schema main_production; its tables: ");
  }

  @Test
  void verboseAddsTheStatementAndTheStackTrace() throws SQLException {
    Result r = heap("run", "--jdbc", failingPageviews(), "--verbose");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("SELECT", "\tat ", "HeapRunException");
  }

  @Test
  void usageErrorsExit2WithOneLine() {
    for (Result r : List.of(heap(), heap("frobnicate"), heap("run"), heap("sample", "--jdbc", "jdbc:h2:mem:x", "--users", -1))) {
      assertThat(r.code()).as(r.err()).isEqualTo(2);
      assertThat(r.err().lines()).singleElement().asString().startsWith("heap: ");
    }
  }

  @Test
  void helpListsTheCommandsAndExitCodes() {
    Result r = heap("--help");

    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("demo", "compile", "sample", "run", "Exit codes", "--verbose");
    // every code heap exits with, those of a stopped run too (InterruptedRunCliTest): the list said 0 to 3
    assertThat(r.out().substring(r.out().indexOf("Exit codes")))
        .containsPattern("(?m)^\\s+0\\s+success").containsPattern("(?m)^\\s+1\\s+a model").containsPattern("(?m)^\\s+2\\s+bad usage")
        .containsPattern("(?m)^\\s+3\\s+internal error").containsPattern("(?m)^\\s+130\\s+stopped by Ctrl-C")
        .containsPattern("(?m)^\\s+143\\s+stopped by SIGTERM");
    assertThat(heap("compile", "--help").out()).contains("--config", "Without it, every default applies", "--mode", "_run.sql");
    assertThat(heap("run", "--help").out()).contains("--dry-run", "--full-refresh", "incremental");
    assertThat(heap("sample", "--help").out().replaceAll("\\s+", " ")).contains("--batch", "sample, run, sample --batch 2, run");
  }

  @Test
  void progressShowsWhenAskedForAndNotWhenTurnedOff() {
    String url = "jdbc:h2:file:" + tmp.resolve("db");
    assertOk(heap("sample", "--jdbc", url, "--users", 50, "--seed", 4));
    Result shown = assertOk(heap("run", "--jdbc", url, "--progress"));
    // one line rewritten in place, counting the statements, and cleared before the summary
    assertThat(shown.err()).containsPattern("\rheap run: [\\d.]+ s, statement 1 of \\d+: setup \\(setup\\)");
    Pattern last = Pattern.compile("statement (\\d+) of (\\d+)");
    java.util.regex.Matcher m = last.matcher(shown.err());
    String n = null;
    String of = null;
    while (m.find()) {
      n = m.group(1);
      of = m.group(2);
    }
    assertThat(n).isNotNull().isEqualTo(of);
    assertThat(shown.err()).endsWith("\r");
    assertThat(shown.out()).contains(FULL_BUILD).doesNotContain("\r");
    Result quiet = assertOk(heap("run", "--jdbc", url, "--no-progress"));
    assertThat(quiet.err()).doesNotContain("statement 1 of", "\r");
    assertThat(quiet.out()).contains("(incremental run)");
  }

  /**
   * The summary of {@code heap run}: the models' table, then one line per step with these among them,
   * and a total that the steps add up to (each line's ms rounded down) and the models' times do not exceed.
   */
  private static void checkSummary(String out, List<String> steps) {
    List<String> lines = out.lines().toList();
    int header = lines.indexOf(lines.stream().filter(l -> l.matches("\\s+step\\s+statements\\s+ms")).findFirst().orElseThrow());
    int modelHeader = lines.indexOf(lines.stream().filter(l -> l.matches("\\s+model\\s+rows\\s+ms")).findFirst().orElseThrow());
    long models = 0;
    for (String l : lines.subList(modelHeader + 1, header - 1)) {
      models += number(l.substring(l.lastIndexOf(' ') + 1));
    }
    long parts = 0;
    List<String> labels = new ArrayList<>();
    int i = header + 1;
    for (; !lines.get(i).trim().startsWith("total"); i++) {
      String l = lines.get(i);
      parts += number(l.substring(l.lastIndexOf(' ') + 1));
      labels.add(l.trim().replaceAll("\\s{2,}.*$", ""));
    }
    long total = number(lines.get(i).trim().substring("total".length()).trim());
    assertThat(labels).startsWith("run state (lock, heartbeats, leftovers, recording the run)", "deciding the run (catalog, recorded state)", "setup")
        .containsAll(steps).endsWith("counting rows for this summary");
    assertThat(total).isGreaterThanOrEqualTo(parts).isGreaterThanOrEqualTo(models);
    assertThat(total - parts).as(out).isLessThanOrEqualTo(labels.size() + 50 + total / 20);
    assertThat(lines.get(i + 1))
        .matches(
            "  \\d+ models built in [\\d,]+ ms \\(((?:full-refresh run|full build, as each incremental fact needed one)\\), [\\d,]+ ms of it in the models' own statements"
                + "|incremental run(; built in full: [^)]+)?\\), [\\d,]+ ms of it in the models' own statements; [\\d,]+ users"
                + " recomputed)")
        .contains(String.format(java.util.Locale.ROOT, "built in %,d ms", total), String.format(java.util.Locale.ROOT, "%,d ms of it", models));
    java.util.regex.Matcher command =
        Pattern.compile("  heap run: ([\\d,]+) ms in all, ([\\d,]+) ms of it before the run \\(planning the models, opening the database\\)")
            .matcher(lines.get(i + 2));
    assertThat(command.matches()).as(lines.get(i + 2)).isTrue();
    // the command's time holds the run's and what came before it (each rounded down)
    assertThat(number(command.group(1))).isGreaterThanOrEqualTo(total + number(command.group(2)) - 1);
  }

  private static long number(String text) {
    return Long.parseLong(text.replace(",", ""));
  }

  static Result assertOk(Result r) {
    assertThat(r.code()).as(r.err()).isZero();
    return r;
  }

  private static List<String> withRunFile(List<String> models) {
    List<String> names = new ArrayList<>(models);
    names.add(SqlFiles.RUN_FILE.substring(0, SqlFiles.RUN_FILE.length() - ".sql".length()));
    return names;
  }

  /** Every table of the database's own schemas with its rows as sorted text: the whole state. */
  private static Map<String, List<String>> everyTable(String url) throws SQLException {
    Map<String, List<String>> tables = new TreeMap<>();
    try (Connection db = DriverManager.getConnection(url)) {
      List<String> names = new ArrayList<>();
      try (Statement s = db.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT TABLE_SCHEMA, TABLE_NAME FROM INFORMATION_SCHEMA.TABLES"
                      + " WHERE TABLE_SCHEMA NOT IN ('INFORMATION_SCHEMA', 'PUBLIC')")) {
        while (rs.next()) {
          names.add("\"" + rs.getString(1) + "\".\"" + rs.getString(2) + "\"");
        }
      }
      for (String table : names) {
        tables.put(table, rows(db, table));
      }
    }
    return tables;
  }

  /** A table's rows as text, sorted: equal lists, equal tables. */
  private static List<String> rows(Connection db, String table) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Statement s = db.createStatement();
        ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= n; i++) {
          b.append(rs.getMetaData().getColumnLabel(i)).append('=').append(rs.getObject(i)).append(' ');
        }
        rows.add(b.toString());
      }
    }
    rows.sort(null);
    return rows;
  }

  private Path demoConfigFile() {
    Path file = tmp.resolve("config").resolve("heap-demo.yml");
    SqlFiles.writeText(file, SampleData.DEMO_CONFIG_YAML);
    return file;
  }

  private static List<String> sqlFiles(Path folder) {
    try (Stream<Path> files = Files.list(folder)) {
      return files.map(p -> p.getFileName().toString())
          .peek(name -> assertThat(name).endsWith(".sql"))
          .map(name -> name.substring(0, name.length() - ".sql".length()))
          .collect(Collectors.toList());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static long count(Connection db, String table) throws SQLException {
    try (Statement s = db.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
