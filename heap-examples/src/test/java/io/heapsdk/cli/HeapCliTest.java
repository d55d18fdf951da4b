package io.heapsdk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.config.HeapConfigLoader;
import io.heapsdk.model.HeapProject;
import io.heapsdk.model.PlannedModel;
import io.heapsdk.model.ProjectPlan;
import io.heapsdk.sample.SampleData;
import io.heapsdk.warehouse.SqlRenderer;
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
import java.util.List;
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
    ProjectPlan plan = DemoModels.project(SampleData.demoConfig()).plan();
    List<String> models = plan.models().stream().map(PlannedModel::name).toList();
    assertThat(models).containsAll(FACTS).contains(DemoModels.SESSIONS_PER_CHANNEL, DemoModels.FUNNEL_STEP_SESSIONS);
    for (String model : List.of(DemoModels.SESSIONS_PER_CHANNEL, DemoModels.FUNNEL_STEP_SESSIONS)) {
      assertThat(r.out()).containsPattern("(?m)^\\s+" + model + "\\s+[\\d,]+\\s+[\\d,]+$");
    }
    assertThat(r.out())
        .contains("Sessions per channel", "Sessions reaching each funnel step")
        .containsPattern("(?m)^\\s+Direct\\s+[\\d,]+\\s+\\d+\\.\\d\\s+[\\d,]+$")
        .containsPattern("(?m)^\\s+example\\.com\\s+[\\d,]+")
        .containsPattern("(?m)^\\s+4\\s+purchase\\s+[\\d,]+");
    for (String warehouse : List.of("snowflake", "bigquery", "redshift", "h2")) {
      assertThat(sqlFiles(out.resolve(warehouse))).as(warehouse).containsExactlyInAnyOrderElementsOf(models);
      assertThat(Files.readString(out.resolve(warehouse).resolve("src_heap_sessions_eph.sql")))
          .startsWith(SqlFiles.EPHEMERAL_HEADER);
      assertThat(Files.readString(out.resolve(warehouse).resolve(DemoModels.FUNNEL_STEP_SESSIONS + ".sql")))
          .containsIgnoringCase("create")
          .containsIgnoringCase("union all");
      assertThat(r.out()).contains(out.resolve(warehouse).toString());
    }
    assertThat(HeapConfigLoader.load(out.resolve("heap.yml"))).isEqualTo(SampleData.demoConfig());
  }

  @ParameterizedTest
  @ValueSource(strings = {"snowflake", "bigquery", "redshift", "h2"})
  void compileWritesTheSqlOfEveryModelForOneWarehouse(String warehouse) throws IOException {
    Path out = tmp.resolve("sql");
    Result r = heap("compile", "--config", demoConfigFile(), "--warehouse", warehouse, "--out", out);

    assertThat(r.code()).as(r.err()).isZero();
    List<String> models = HeapProject.standard(SampleData.demoConfig()).plan().models().stream().map(PlannedModel::name).toList();
    assertThat(sqlFiles(out.resolve(warehouse))).containsExactlyInAnyOrderElementsOf(models);
    assertThat(Files.readString(out.resolve(warehouse).resolve("stg_heap_sessions_inc_fct.sql")))
        .containsIgnoringCase("heap_session_funnel_step_4_cnt");
    assertThat(out.toFile().list()).containsExactly(warehouse);
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
    assertThat(run.out()).contains(FACTS).contains("(full-refresh run)");
    Result again = heap("run", "--config", config, "--jdbc", url);
    assertThat(again.code()).as(again.err()).isZero();
    assertThat(again.out()).contains("(incremental run)");
    Result resample = heap("sample", "--config", config, "--jdbc", url, "--users", 5);
    assertThat(resample.code()).isEqualTo(2);
    assertThat(resample.err().lines()).singleElement().asString().contains("main_production", "already has Heap tables", "pageviews");

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
  void aJdbcUrlOtherThanH2Exits2() {
    Result r = heap("run", "--jdbc", "jdbc:postgresql://localhost/analytics");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().lines()).singleElement().asString().contains("jdbc:postgresql://localhost/analytics", "H2");
  }

  @Test
  void aModelTheDatabaseRefusesExits1NamingTheModel() {
    String url = "jdbc:h2:file:" + tmp.resolve("empty");

    Result r = heap("run", "--jdbc", url);

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err().lines()).singleElement().asString().matches("heap: model stg_heap_\\w+ failed on h2: .*not found.*");
    assertThat(r.err()).doesNotContain("SELECT", "\tat ");
  }

  @Test
  void verboseAddsTheStatementAndTheStackTrace() {
    String url = "jdbc:h2:file:" + tmp.resolve("empty");

    Result r = heap("run", "--jdbc", url, "--verbose");

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
    assertThat(heap("compile", "--help").out()).contains("--config", "Without it, every default applies");
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
