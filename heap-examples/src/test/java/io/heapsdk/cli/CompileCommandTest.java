package io.heapsdk.cli;

import static io.heapsdk.cli.HeapCliTest.heap;
import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.cli.HeapCliTest.Result;
import io.heapsdk.model.HeapProject;
import io.heapsdk.model.ProjectPlan;
import io.heapsdk.sample.SampleData;
import io.heapsdk.warehouse.BuildPlan;
import io.heapsdk.warehouse.Warehouse;
import io.heapsdk.warehouse.Warehouses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code heap compile --warehouse a,b,c} and {@code --warehouse all}: several warehouses in one run,
 * one folder each, the same files as one run per warehouse writes.
 */
class CompileCommandTest {
  private static final List<String> EIGHT =
      List.of("snowflake", "bigquery", "redshift", "h2", "postgres", "duckdb", "spark", "trino");

  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"full", "incremental"})
  void aListWritesWhatOneRunPerWarehouseWrites(String mode) {
    Path config = config();
    Path together = tmp.resolve("together");
    Result r = heap("compile", "--config", config, "--warehouse", "snowflake,bigquery,redshift", "--out", together, "--mode", mode);

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.out().lines()).hasSize(3);
    assertThat(folders(together)).containsExactly("bigquery", "redshift", "snowflake");
    for (String w : List.of("snowflake", "bigquery", "redshift")) {
      Path alone = tmp.resolve("alone-" + w);
      assertThat(heap("compile", "--config", config, "--warehouse", w, "--out", alone, "--mode", mode).code()).isZero();
      assertThat(r.out()).contains(together.resolve(w).toString());
      Map<String, String> expected = texts(alone.resolve(w));
      assertThat(expected).isNotEmpty();
      assertThat(texts(together.resolve(w))).as(w).isEqualTo(expected);
    }
  }

  @Test
  void allWritesTheEightWarehouses() {
    Result r = heap("compile", "--warehouse", "all", "--out", tmp);

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(folders(tmp)).containsExactlyInAnyOrderElementsOf(EIGHT);
    assertThat(r.out().lines()).hasSize(8);
    for (String w : EIGHT) {
      assertThat(tmp.resolve(w).resolve(SqlFiles.RUN_FILE)).isRegularFile();
    }
  }

  @Test
  void theFullSqlIsWhatTheWholePlanGives() {
    // compile plans a full run's queries only; the files must be those of the whole plan
    Result r = heap("compile", "--config", config(), "--warehouse", "all", "--out", tmp.resolve("sql"));
    assertThat(r.code()).as(r.err()).isZero();
    ProjectPlan whole = HeapProject.standard(SampleData.demoConfig()).plan();
    for (Warehouse w : Warehouses.all()) {
      Path expected = tmp.resolve("whole");
      SqlFiles.write(whole, w, expected, BuildPlan.Mode.FULL_REFRESH);
      assertThat(texts(tmp.resolve("sql").resolve(w.name()))).as(w.name()).isEqualTo(texts(expected.resolve(w.name())));
    }
  }

  /**
   * The files a user may run by hand say what they need: a model's file is its part of the run (alone,
   * psql stopped at the missing schema or high-water mark), and where the session picks the database of
   * tables named without one, the run's header says so, until the config names both databases.
   */
  @Test
  void theFilesSayWhatRunningThemByHandNeeds() throws IOException {
    Result r = heap("compile", "--warehouse", "snowflake,postgres,bigquery", "--mode", "incremental", "--out", tmp.resolve("plain"));
    assertThat(r.code()).as(r.err()).isZero();
    for (String w : List.of("snowflake", "postgres", "bigquery")) {
      Map<String, String> files = texts(tmp.resolve("plain").resolve(w));
      assertThat(files.get("stg_heap_sessions_inc_fct.sql"))
          .startsWith("-- stg_heap_sessions_inc_fct's part of the incremental run, to read: it needs the statements before it in _run.sql"
              + " (the target schema, the high-water mark and the active users, the models it reads): run _run.sql, the whole run in order\n\n");
      assertThat(files.get("heap__active_users.sql")).contains("run _run.sql, the whole run in order");
    }
    assertThat(texts(tmp.resolve("plain").resolve("snowflake")).get("_run.sql"))
        .startsWith("-- the whole incremental run on snowflake, statements in order\n"
            + "-- run it after the full-refresh script (or heap run) built the facts from the same config, one run at a time;\n"
            + "-- after a config change compile both again and run the full-refresh one first: this one would merge the new definition into some rows only;\n"
            + "-- it marks heap run's record of these models (heap__model_state) as written outside heap run, whose next run rebuilds them\n"
            + "-- tables named without target.database or source.database resolve in the session's current database (USE DATABASE,"
            + " SnowSQL's -d, the connection's database parameter): run it there, or set both in the config\n\n");
    assertThat(texts(tmp.resolve("plain").resolve("bigquery")).get("_run.sql")).contains("resolve in the job's default project");
    assertThat(texts(tmp.resolve("plain").resolve("postgres")).get("_run.sql"))
        .startsWith("-- the whole incremental run on postgres, statements in order\n" + SqlFiles.WHEN_TO_RUN.get(BuildPlan.Mode.INCREMENTAL) + "\n");

    Path named = tmp.resolve("named.yml");
    Files.writeString(named, "source:\n  database: raw\ntarget:\n  database: analytics\n");
    Result both = heap("compile", "--config", named, "--warehouse", "snowflake", "--out", tmp.resolve("named"));
    assertThat(both.code()).as(both.err()).isZero();
    assertThat(texts(tmp.resolve("named").resolve("snowflake")).get("_run.sql"))
        .startsWith(
            "-- the whole full-refresh run on snowflake, statements in order\n"
                + "-- run it first, and once after every config change, before the incremental script compiled from the same config;\n"
                + "-- it marks heap run's record of these models (heap__model_state) as written outside heap run, whose next run rebuilds them\n\n");
    assertThat(texts(tmp.resolve("named").resolve("snowflake")).get("stg_heap_events_all_inc_fct.sql"))
        .startsWith("-- stg_heap_events_all_inc_fct's part of the full-refresh run, to read: it needs the statements before it in _run.sql"
            + " (the target schema, the models it reads): run _run.sql, the whole run in order\n\n");
  }

  /**
   * The compiled full-refresh script of another config, run between two runs on the schema they build
   * (here by H2's own script runner, as psql runs it on PostgreSQL): heap status says the next run
   * rebuilds the facts and why, and the run does. Before, both said "unchanged", and the run merged its
   * active users alone into facts of the script's definition.
   */
  @Test
  void aScriptRunBetweenTwoRunsIsSaidByStatusAndRebuiltByTheNextRun() throws Exception {
    String url = "jdbc:h2:file:" + tmp.resolve("db");
    Path config = config();
    Path other = tmp.resolve("config").resolve("other.yml");
    SqlFiles.writeText(other, SampleData.DEMO_CONFIG_YAML.replace("conversion_events: [", "conversion_events: [add_to_cart, "));
    assertThat(Files.readString(other)).isNotEqualTo(Files.readString(config));
    HeapCliTest.assertOk(heap("sample", "--config", config, "--jdbc", url, "--users", 60, "--seed", 5));
    HeapCliTest.assertOk(heap("run", "--config", config, "--jdbc", url));
    HeapCliTest.assertOk(heap("compile", "--config", other, "--warehouse", "h2", "--out", tmp.resolve("sql")));
    try (java.sql.Connection db = java.sql.DriverManager.getConnection(url);
        java.io.Reader script = Files.newBufferedReader(tmp.resolve("sql").resolve("h2").resolve(SqlFiles.RUN_FILE))) {
      org.h2.tools.RunScript.execute(db, script);
    }

    assertThat(HeapCliTest.assertOk(heap("status", "--config", config, "--jdbc", url)).out())
        .containsPattern("stg_heap_events_all_inc_fct .*\\(written outside heap run\\)\\s+full build: statements run outside heap run");
    // the run's record keeps its definition: a run without the config is still refused, not rebuilt with the defaults
    Result defaults = heap("run", "--jdbc", url);
    assertThat(defaults.code()).as(defaults.out()).isEqualTo(2);
    assertThat(defaults.err()).contains("no --config given", "stg_heap_events_all_inc_fct");
    String run = HeapCliTest.assertOk(heap("run", "--config", config, "--jdbc", url)).out();
    assertThat(run).contains("full build", "(full build, as each incremental fact needed one)");
    assertThat(HeapCliTest.assertOk(heap("status", "--config", config, "--jdbc", url)).out()).doesNotContain("written outside heap run");
  }

  @Test
  void namesAreTrimmedCaseInsensitiveAndWrittenOnce() {
    Result r = heap("compile", "--warehouse", "Snowflake, h2", "-w", "snowflake", "--out", tmp);

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(folders(tmp)).containsExactly("h2", "snowflake");
    assertThat(r.out().lines()).hasSize(2);
  }

  @Test
  void anUnknownWarehouseInTheListWritesNothingAndNamesItAndTheValidOnes() {
    Result r = heap("compile", "--warehouse", "snowflake,oracle,redshift", "--out", tmp.resolve("sql"));

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err().lines())
        .singleElement()
        .asString()
        .startsWith("heap: --warehouse: unknown warehouse \"oracle\"")
        .contains(EIGHT)
        .contains("all")
        .doesNotContain("Exception");
    assertThat(tmp.resolve("sql")).doesNotExist();
  }

  /** A mistyped warehouse gets the near name, as the README says every mistyped name does. */
  @Test
  void aMistypedWarehouseGetsTheNearName() {
    Result r = heap("compile", "--warehouse", "snowflak", "--out", tmp.resolve("sql"));
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).startsWith("heap: --warehouse: unknown warehouse \"snowflak\"; did you mean 'snowflake'? Expected ").contains(EIGHT);
    // the products the README names by the engine heap renders for
    assertThat(heap("compile", "--warehouse", "databricks", "--out", tmp.resolve("sql")).err())
        .startsWith("heap: --warehouse: unknown warehouse \"databricks\"; Databricks is warehouse spark (Spark SQL on Delta tables)");
    assertThat(heap("compile", "--warehouse", "Athena", "--out", tmp.resolve("sql")).err())
        .startsWith("heap: --warehouse: unknown warehouse \"Athena\"; Athena runs Trino's SQL: warehouse trino");
  }

  /**
   * A config error every warehouse shares writes nothing, and names no list of "the others" to write
   * instead: it named the same failing list back (a probe with an unknown model under models:).
   */
  @Test
  void aConfigErrorOfEveryWarehouseNamesNoOtherList() throws Exception {
    Path config = tmp.resolve("unknown-model.yml");
    java.nio.file.Files.writeString(config, "models:\n  not_a_model:\n    cluster_by: [heap_user_id]\n");
    Result r = heap("compile", "--config", config, "--warehouse", "all", "--out", tmp.resolve("sql"));
    assertThat(r.code()).as(r.err()).isEqualTo(2);
    assertThat(r.err()).contains("not_a_model").contains("nothing was written").doesNotContain("writes the others");
    assertThat(tmp.resolve("sql")).doesNotExist();
  }

  @Test
  void anEmptyNameInTheListIsRefused() {
    Result r = heap("compile", "--warehouse", "snowflake,,redshift", "--out", tmp.resolve("sql"));

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().lines()).singleElement().asString().contains("empty name", "snowflake,,redshift", "bigquery");
    assertThat(tmp.resolve("sql")).doesNotExist();
  }

  @Test
  void theHelpExplainsTheListAndTheLayout() {
    String help = heap("compile", "--help").out();

    assertThat(help).contains("comma-separated", "all", "DIR/<warehouse>/<model>.sql", "one folder per warehouse");
  }

  private Path config() {
    Path file = tmp.resolve("config").resolve("heap-demo.yml");
    SqlFiles.writeText(file, SampleData.DEMO_CONFIG_YAML);
    return file;
  }

  private static List<String> folders(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).filter(n -> !n.equals("config")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every file of a folder by name, with its bytes as text. */
  private static Map<String, String> texts(Path folder) {
    Map<String, String> texts = new TreeMap<>();
    try (Stream<Path> s = Files.list(folder)) {
      for (Path p : s.toList()) {
        texts.put(p.getFileName().toString(), Files.readString(p));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return texts;
  }
}
