package io.heapsdk.cli;

import static io.heapsdk.cli.HeapCliTest.heap;
import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.model.HeapProject;
import io.heapsdk.sample.SampleData;
import io.heapsdk.warehouse.SqlRenderer;
import io.heapsdk.warehouse.Warehouses;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The CLI on DuckDB: the demo in memory, and a file database through sample, run, a second batch, an
 * incremental run and the analyses, each printing what the same commands print on H2 (the second
 * engine is the oracle); DuckDB's one-writer-process rule as a one-line error; bad URLs. The funnel,
 * attribution, retention and paths tests with hand-checked values run on DuckDB too
 * ({@link AnalysisCommandsOnDuckDbTest}, {@link RetentionPathsCommandsOnDuckDbTest}).
 */
class DuckDbCliTest {
  private static final List<String> FACTS =
      List.of("stg_heap_events_all_inc_fct", "stg_heap_pageview_sessions_inc_fct", "stg_heap_sessions_inc_fct");

  @TempDir Path tmp;

  @Test
  void theDemoOnDuckDbPrintsWhatTheDemoOnH2Prints() throws IOException {
    Path h2Out = tmp.resolve("h2");
    Path duckOut = tmp.resolve("duckdb");
    HeapCliTest.Result h2 = ok(heap("demo", "--users", 300, "--out", h2Out));
    HeapCliTest.Result duck = ok(heap("demo", "--users", 300, "--engine", "duckdb", "--out", duckOut));

    assertThat(duck.out()).startsWith("heap demo: 300 sample users (seed 42) in an in-memory DuckDB database");
    assertThat(h2.out()).startsWith("heap demo: 300 sample users (seed 42) in an in-memory H2 database");
    // every step of the demo ran: both builds, the analyses, the data tests, the files
    assertThat(duck.out())
        .contains(HeapCliTest.FULL_BUILD, "(incremental run)", "Rows the incremental build changed", "Funnel: ", "Attribution of ",
            "Retention: ", "Paths: ", "Data tests and freshness", "paths.html");
    // one count of the data tests: all of them, above the table of those that did not pass
    assertThat(duck.out()).containsPattern("freshness \\(heap test\\), as of \\S+: 2[0-9] pass, [1-9] warn, 0 fail\n")
        .doesNotContain(" checks: ");
    assertThat(withoutTimes(duck.out(), duckOut)).isEqualTo(withoutTimes(h2.out(), h2Out));
    // the same SQL files and the same charts: drawn from the same numbers
    List<Path> files = files(h2Out);
    assertThat(files(duckOut)).isEqualTo(files).hasSizeGreaterThan(80);
    for (Path f : files) {
      assertThat(sixDigits(Files.readString(duckOut.resolve(f)))).as(f.toString()).isEqualTo(sixDigits(Files.readString(h2Out.resolve(f))));
    }
  }

  @Test
  void theDemoWithoutUsersRunsOnBothEngines() {
    for (String engine : List.of("h2", "duckdb")) {
      HeapCliTest.Result r = ok(heap("demo", "--users", 0, "--engine", engine, "--out", tmp.resolve(engine)));
      assertThat(r.out()).contains("(incremental run)", "Data tests and freshness");
    }
  }

  @Test
  void anEngineTheDemoDoesNotOfferIsAUsageError() {
    HeapCliTest.Result r = heap("demo", "--engine", "sqlite", "--users", 0, "--out", tmp);
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().lines().toList()).singleElement().asString().startsWith("heap: ").contains("--engine", "h2, duckdb", "sqlite");
  }

  @Test
  void aFileDatabaseThroughSampleRunBatchRunAndTheAnalysesAgreesWithH2() throws SQLException, IOException {
    Path config = tmp.resolve("heap.yml");
    SqlFiles.writeText(config, SampleData.DEMO_CONFIG_YAML);
    Path file = tmp.resolve("heap.duckdb");
    String duck = "jdbc:duckdb:" + file;
    String h2 = "jdbc:h2:file:" + tmp.resolve("heap-h2");
    List<String> duckOut = session(config, duck);
    List<String> h2Out = session(config, h2);
    assertThat(duckOut).isEqualTo(h2Out);

    // the rows the CLI reported are in the file, read by a connection of the test's own
    SqlRenderer names = new SqlRenderer(Warehouses.DUCKDB, HeapProject.standard(SampleData.demoConfig()).plan());
    try (Connection db = DriverManager.getConnection(duck)) {
      for (String fact : FACTS) {
        assertThat(h2Out.get(3)).containsPattern("(?m)^ " + fact + " " + String.format(java.util.Locale.ROOT, "%,d", count(db, names.tableName(fact))) + "$");
      }
      long events = count(db, names.sourceName("all_events"));
      assertThat(h2Out.get(0) + h2Out.get(2)).contains("all_events");
      assertThat(events).isEqualTo(tableRows(h2Out.get(0), "all_events") + newRows(h2Out.get(2), "all_events"));
      // the events fact holds each event once: the sample syncs some twice
      assertThat(count(db, names.tableName(FACTS.get(0))))
          .isEqualTo(scalar(db, "SELECT COUNT(DISTINCT event_id) FROM " + names.sourceName("all_events")));
    }
    HeapCliTest.Result status = ok(heap("status", "--config", config, "--jdbc", duck));
    assertThat(status.out()).contains("lock: free").containsPattern("(?m)^  \\S+ +incremental +succeeded").containsPattern("(?m)^  \\S+ +full build +succeeded");

    // the commands the README says only read give the same answers through a read-only URL (what a user
    // who may only read the file needs), and leave the file as it was
    byte[] before = Files.readAllBytes(file);
    String readOnly = duck + ";access_mode=READ_ONLY";
    assertThat(ok(heap("status", "--config", config, "--jdbc", readOnly)).out()).isEqualTo(status.out());
    assertThat(ok(heap("funnel", "--config", config, "--jdbc", readOnly, "--steps", "view_product,add_to_cart,purchase", "--breakdown", "channel")).out())
        .isEqualTo(duckOut.get(4));
    assertThat(ok(heap("attribution", "--config", config, "--jdbc", readOnly, "--model", "linear")).out()).isEqualTo(duckOut.get(5));
    assertThat(ok(heap("retention", "--config", config, "--jdbc", readOnly)).out()).isEqualTo(duckOut.get(6));
    assertThat(ok(heap("paths", "--config", config, "--jdbc", readOnly, "--from-event", "view_product")).out()).isEqualTo(duckOut.get(7));
    HeapCliTest.Result test = heap("test", "--config", config, "--jdbc", readOnly, "--now", "2024-03-01T00:00:00Z");
    assertThat(test.code() + "\n" + test.out()).isEqualTo(duckOut.get(8));
    // the commands that write say so before their first statement, a usage mistake (it was exit 1, "the run
    // state failed" with DuckDB's refusal of a CREATE)
    for (String command : List.of("run", "sample --users 300 --seed 7 --batch 3")) {
      List<Object> argv = new ArrayList<>(List.of((Object[]) command.split(" ")));
      argv.addAll(List.of("--config", config, "--jdbc", readOnly));
      HeapCliTest.Result refused = heap(argv.toArray());
      assertThat(refused.code()).as(refused.err()).isEqualTo(2);
      assertThat(refused.err().strip())
          .startsWith("heap: " + readOnly + " is open read-only (the URL asks for it, or the file may not be written): heap ")
          .endsWith(" there; open it for writing (heap status, funnel, attribution, retention, paths and test only read)");
    }
    assertThat(ok(heap("run", "--config", config, "--jdbc", readOnly, "--dry-run")).out()).contains("-- nothing was executed");
    assertThat(Files.readAllBytes(file)).isEqualTo(before);
  }

  /**
   * sample, run, sample --batch 2, run, funnel, attribution, retention, paths, test on {@code url}: their
   * outputs without times, to compare with another engine's.
   */
  static List<String> session(Path config, String url) {
    List<String> outputs = new ArrayList<>();
    outputs.add(withoutTimes(ok(heap("sample", "--config", config, "--jdbc", url, "--users", 300, "--seed", 7)).out(), config));
    String full = ok(heap("run", "--config", config, "--jdbc", url)).out();
    assertThat(full).contains(HeapCliTest.FULL_BUILD);
    outputs.add(modelRows(full));
    outputs.add(withoutTimes(ok(heap("sample", "--config", config, "--jdbc", url, "--users", 300, "--seed", 7, "--batch", 2)).out(), config));
    String incremental = ok(heap("run", "--config", config, "--jdbc", url)).out();
    assertThat(incremental).contains("(incremental run)", "working table heap__active_users");
    outputs.add(modelRows(incremental));
    outputs.add(ok(heap("funnel", "--config", config, "--jdbc", url, "--steps", "view_product,add_to_cart,purchase", "--breakdown", "channel")).out());
    outputs.add(ok(heap("attribution", "--config", config, "--jdbc", url, "--model", "linear")).out());
    outputs.add(ok(heap("retention", "--config", config, "--jdbc", url)).out());
    outputs.add(ok(heap("paths", "--config", config, "--jdbc", url, "--from-event", "view_product")).out());
    HeapCliTest.Result test = heap("test", "--config", config, "--jdbc", url, "--now", "2024-03-01T00:00:00Z");
    assertThat(test.code()).as(test.err()).isIn(0, 1);
    outputs.add(test.code() + "\n" + test.out());
    return outputs;
  }

  @ParameterizedTest
  @ValueSource(strings = {"run", "status", "funnel --steps a", "attribution --model linear", "retention", "paths --from-event a", "test", "sample --users 5 --batch 2"})
  void aMistypedDuckDbFileIsNotCreated(String command) {
    Path typo = tmp.resolve("typo.duckdb");
    String url = "jdbc:duckdb:" + typo;
    HeapCliTest.Result r = heap(args(command, "--jdbc", url));
    assertThat(r.code()).as(r.err()).isEqualTo(2);
    assertThat(oneLine(r))
        .isEqualTo(
            "heap: no database at " + url + " (DuckDB file " + typo.toAbsolutePath() + " does not exist); check the path, or create it"
                + " with Heap's tables: heap sample --jdbc " + url + " --users N");
    assertThat(typo).doesNotExist();
    assertThat(tmp.resolve("typo.duckdb.wal")).doesNotExist();
  }

  /**
   * Settings after {@code ?}, as a PostgreSQL URL takes them: the DuckDB driver reads them as part of the
   * file's name, so {@code heap sample} created a file named {@code heap.duckdb?access_mode=READ_ONLY} and
   * the other commands said no such file existed. Refused before anything is opened, with the URL to write
   * (settings after a {@code ;} kept, secrets masked as everywhere a URL is shown).
   */
  @ParameterizedTest
  @ValueSource(strings = {"sample --users 5", "run", "test", "funnel --steps a"})
  void settingsAfterAQuestionMarkAreRefusedNamingTheSemicolonForm(String command) throws Exception {
    Path file = tmp.resolve("heap.duckdb");
    String url = "jdbc:duckdb:" + file + "?access_mode=READ_ONLY&threads=1";
    HeapCliTest.Result r = heap(args(command, "--jdbc", url));
    assertThat(r.code()).as(r.err()).isEqualTo(2);
    assertThat(oneLine(r))
        .isEqualTo(
            "heap: no database at " + url + ": DuckDB reads settings after ';', not '?' (its driver would open a file named \"" + file
                + "?access_mode=READ_ONLY&threads=1\"); write jdbc:duckdb:" + file + ";access_mode=READ_ONLY;threads=1 (a file whose name"
                + " holds '?' and '=' cannot be opened through heap: rename it)");
    HeapCliTest.Result secret = heap(args(command, "--jdbc", "jdbc:duckdb:" + file + "?s3_secret_access_key=AKIAsecret;threads=1"));
    assertThat(secret.code()).as(secret.err()).isEqualTo(2);
    assertThat(oneLine(secret))
        .doesNotContain("AKIAsecret")
        .contains("write jdbc:duckdb:" + file + ";s3_secret_access_key=***;threads=1 (");
    try (java.util.stream.Stream<Path> left = Files.list(tmp)) {
      assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("heap.duckdb"));
    }
  }

  @Test
  void aRelativeDuckDbPathIsNamedAbsolute() {
    HeapCliTest.Result r = heap("run", "--jdbc", "jdbc:duckdb:no-such-dir/x.duckdb;threads=1");
    assertThat(r.code()).isEqualTo(2);
    assertThat(oneLine(r)).contains("DuckDB file " + Path.of("no-such-dir/x.duckdb").toAbsolutePath() + " does not exist");
  }

  @Test
  void anInMemoryDuckDbHasNoHeapTables() {
    HeapCliTest.Result r = heap("run", "--jdbc", "jdbc:duckdb:");
    assertThat(r.code()).isEqualTo(2);
    assertThat(oneLine(r))
        .startsWith("heap: no Heap tables in schema main_production of jdbc:duckdb:, an in-memory database, new and empty in each heap command:");
  }

  @ParameterizedTest
  @ValueSource(strings = {"jdbc:mysql://localhost/analytics", "jdbc:sqlite:heap.db", "heap.duckdb"})
  void anUnknownUrlListsTheAcceptedOnes(String url) {
    for (String command : List.of("run", "sample --users 5", "funnel --steps a", "status")) {
      HeapCliTest.Result r = heap(args(command, "--jdbc", url));
      assertThat(r.code()).isEqualTo(2);
      assertThat(oneLine(r))
          .isEqualTo(
              "heap: unsupported JDBC URL " + url + ": heap runs on jdbc:h2:..., jdbc:duckdb:... (jdbc:duckdb: alone is in memory) or"
                  + " jdbc:postgresql://host:port/database; for other warehouses, write the SQL with `heap compile` and run it there");
    }
  }

  /** An empty {@code --jdbc} (an unset shell variable) is said to be empty, not an unsupported URL of nothing. */
  @ParameterizedTest
  @ValueSource(strings = {"", " "})
  void anEmptyUrlIsSaidToBeEmpty(String url) {
    for (String command : List.of("run", "sample --users 5", "funnel --steps a", "status")) {
      HeapCliTest.Result r = heap(args(command, "--jdbc", url));
      assertThat(r.code()).isEqualTo(2);
      assertThat(oneLine(r))
          .isEqualTo(
              "heap: --jdbc is empty: give a JDBC URL; heap runs on jdbc:h2:..., jdbc:duckdb:... (jdbc:duckdb: alone is in memory) or"
                  + " jdbc:postgresql://host:port/database");
    }
    // a URL with a line break is shown escaped, on the one line
    assertThat(oneLine(heap("run", "--jdbc", "jdbc:mysql://h\nx"))).startsWith("heap: unsupported JDBC URL jdbc:mysql://h\\nx: heap runs on ");
  }

  /**
   * DuckDB lets one process at a time open a file for writing: while another process has it open, a
   * command says so in one line naming that process, and {@code heap run --wait} waits for it.
   */
  @Test
  void aSecondProcessOnTheFileGetsOneLineAndWaitWaits() throws Exception {
    Path file = tmp.resolve("busy.duckdb");
    String url = "jdbc:duckdb:" + file;
    ok(heap("sample", "--jdbc", url, "--users", 50));
    Process holder = holdOpen(url);
    try {
      String busy =
          "heap: cannot open " + url + ": another process (PID " + holder.pid() + ") has the DuckDB file " + file
              + " open, and DuckDB lets one process at a time write to a file; ";
      // only heap run can wait, so only its message says how
      Map<String, String> advice = new LinkedHashMap<>();
      advice.put("run", "wait for it to finish (heap run --wait SECONDS waits)");
      advice.put("run --wait 1", "waited 1 s for it to finish (a longer --wait waits longer)");
      for (String command : List.of("funnel --steps a", "sample --users 50 --batch 2", "status", "test")) {
        advice.put(command, "run the command again once it has finished");
      }
      advice.forEach((command, what) -> {
        HeapCliTest.Result r = heap(args(command, "--jdbc", url));
        assertThat(r.code()).as(command + ": " + r.err()).isEqualTo(1);
        assertThat(oneLine(r)).as(command).isEqualTo(busy + what + " (--verbose shows more)");
      });
      waitWaits(holder, "PID " + holder.pid(), url, tmp);
    } finally {
      holder.destroyForcibly();
    }
  }

  /**
   * {@code heap run --wait} (a process of its own, whose log lines are its standard error) says once what
   * it waits for, waits while {@code holder} has the file, and builds once it lets go.
   */
  private static void waitWaits(Process holder, String holderShown, String url, Path tmp) throws Exception {
    Path out = tmp.resolve("wait-out.txt");
    Path err = tmp.resolve("wait-err.txt");
    Process waiting = HeapProcess.builder(env -> {}, "run", "--jdbc", url, "--wait", "120")
        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    // it says what it waits for (it used to wait without a word), once, and waits
    String waitingFor = " is open in another process (" + holderShown + "): waiting up to 120 s for it to close it";
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (!Files.readString(err).contains(waitingFor) && waiting.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(Files.readString(err)).contains(waitingFor);
    Thread.sleep(1000);
    assertThat(waiting.isAlive()).as("waits while the other process has the file").isTrue();
    holder.getOutputStream().close();
    assertThat(holder.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(waiting.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String said = Files.readString(err);
    assertThat(waiting.exitValue()).as(said).isZero();
    assertThat(Files.readString(out)).contains(HeapCliTest.FULL_BUILD);
    assertThat(said).containsOnlyOnce(waitingFor);
  }

  /** Another JVM that opens {@code url} (DuckDB or H2) and keeps it open until its stdin closes. */
  private static Process holdOpen(String url) throws IOException {
    List<String> command = HeapProcess.java();
    command.addAll(List.of(HoldOpen.class.getName(), url));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String first = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
    assertThat(first).isEqualTo("open");
    return p;
  }

  /** The other process: opens the database, says so, and waits for its stdin to close. */
  static final class HoldOpen {
    public static void main(String[] args) throws Exception {
      try (Connection c = DriverManager.getConnection(args[0])) {
        System.out.println("open");
        System.out.flush();
        System.in.readAllBytes();
      }
    }
  }

  /**
   * No other process can have a DuckDB file, or an H2 file opened embedded, open while heap has it: a
   * run lock found held was left by a run that died (Ctrl-C included), and is taken over at once; an H2
   * file shared through a server ({@code AUTO_SERVER=TRUE}), where another process may be running, keeps
   * it.
   */
  @Test
  void aLockLeftByADeadRunIsTakenOverOnExclusiveFilesAndStandsBehindAnH2Server() throws SQLException {
    Path config = tmp.resolve("heap.yml");
    SqlFiles.writeText(config, SampleData.DEMO_CONFIG_YAML);
    String duck = "jdbc:duckdb:" + tmp.resolve("locked.duckdb");
    String h2 = "jdbc:h2:file:" + tmp.resolve("locked-h2");
    String shared = "jdbc:h2:file:" + tmp.resolve("locked-shared") + ";AUTO_SERVER=TRUE";
    for (String url : List.of(duck, h2, shared)) {
      ok(heap("sample", "--config", config, "--jdbc", url, "--users", 50));
      ok(heap("run", "--config", config, "--jdbc", url));
      // unquoted names: H2 folds them to upper case as it stores heap's tables, DuckDB ignores case
      String now = "TIMESTAMP '" + LocalDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")) + "'";
      try (Connection db = DriverManager.getConnection(url);
          Statement s = db.createStatement()) {
        assertThat(
                s.executeUpdate(
                    "UPDATE heap_models.heap__run_lock SET run_id = 'deadbeef', owner = 'a run that was killed', started_at = " + now
                        + ", heartbeat_at = " + now))
            .isEqualTo(1);
      }
    }
    for (String url : List.of(duck, h2)) {
      HeapCliTest.Result taken = heap("run", "--config", config, "--jdbc", url);
      assertThat(taken.code()).as(taken.err()).isZero();
      assertThat(taken.out()).contains("(incremental run)");
      assertThat(ok(heap("status", "--config", config, "--jdbc", url)).out()).contains("lock: free");
    }
    HeapCliTest.Result onServer = heap("run", "--config", config, "--jdbc", shared);
    assertThat(onServer.code()).isEqualTo(1);
    assertThat(oneLine(onServer)).startsWith("heap: another run holds the lock: run deadbeef by a run that was killed");
  }

  /**
   * H2 opens a file for one process at a time too (embedded): a second process gets heap's one line,
   * exit 1, and {@code heap run --wait} waits for the file.
   */
  @Test
  void aSecondProcessOnAnH2FileGetsOneLineAndWaitWaits() throws Exception {
    Path file = tmp.resolve("busy-h2");
    String url = "jdbc:h2:file:" + file;
    ok(heap("sample", "--jdbc", url, "--users", 50));
    Process holder = holdOpen(url);
    try {
      String busy =
          "heap: cannot open " + url + ": another process has the H2 file " + file + ".mv.db open, and H2 lets one process at a"
              + " time open a file (several, with ;AUTO_SERVER=TRUE in every URL); ";
      HeapCliTest.Result r = heap("run", "--jdbc", url);
      assertThat(r.code()).as(r.err()).isEqualTo(1);
      assertThat(oneLine(r)).isEqualTo(busy + "wait for it to finish (heap run --wait SECONDS waits) (--verbose shows more)");
      HeapCliTest.Result status = heap("status", "--jdbc", url);
      assertThat(status.code()).as(status.err()).isEqualTo(1);
      assertThat(oneLine(status)).isEqualTo(busy + "run the command again once it has finished (--verbose shows more)");
      waitWaits(holder, file + ".mv.db", url, tmp);
    } finally {
      holder.destroyForcibly();
    }
  }

  // ------------------------------------------------------------------------------ helpers

  static HeapCliTest.Result ok(HeapCliTest.Result r) {
    assertThat(r.code()).as(r.err()).isZero();
    return r;
  }

  static String oneLine(HeapCliTest.Result r) {
    List<String> lines = r.err().lines().filter(l -> !l.startsWith("INFO") && !l.startsWith("WARN")).toList();
    assertThat(lines).as(r.err()).hasSize(1);
    assertThat(lines.get(0)).startsWith("heap: ").doesNotContain("java.", "Exception", "io.heapsdk", "\tat ");
    return lines.get(0);
  }

  private static Object[] args(String command, Object... more) {
    List<Object> all = new ArrayList<>(List.of(command.split(" ")));
    all.addAll(List.of(more));
    return all.toArray();
  }

  /**
   * The output without what depends on the engine's speed or kind: milliseconds, the steps of the run
   * summary (H2 builds a table and swaps it in, DuckDB replaces it), the engine's name, the folder; runs
   * of spaces (column widths follow the times) made one.
   */
  static String withoutTimes(String out, Path folder) {
    StringBuilder kept = new StringBuilder();
    boolean steps = false;
    for (String line : out.split("\n", -1)) {
      if (line.matches("\\s+step\\s+statements\\s+ms")) {
        steps = true;
        continue;
      }
      if (steps) {
        steps = !line.matches("\\s+total\\s+[\\d,]+");
        continue;
      }
      line = line.replace(folder.toString(), "OUT").replaceFirst("in an in-memory \\S+ database", "in memory");
      // a models table's row: model, rows, ms
      line = line.replaceFirst("^(\\s+[a-z_0-9]+\\s+[\\d,]+)\\s+[\\d,]+$", "$1");
      line = line.replaceAll("[\\d,]+ ms", "ms").replaceAll(" {2,}", " ");
      kept.append(line).append('\n');
    }
    return kept.toString();
  }

  /**
   * The text with every decimal rounded to six places: the engines add an attribution's fractional
   * credits in different orders, which changes the last bits of a double (25.8 or 25.799999999999997).
   */
  private static String sixDigits(String text) {
    return Pattern.compile("\\d+\\.\\d+")
        .matcher(text)
        .replaceAll(m -> new java.math.BigDecimal(m.group()).setScale(6, java.math.RoundingMode.HALF_UP).stripTrailingZeros().toPlainString());
  }

  /** "model rows" of each model of a run's output, one a line. */
  private static String modelRows(String out) {
    StringBuilder rows = new StringBuilder();
    Matcher m = Pattern.compile("(?m)^  ((?:stg|demo)_\\S+)\\s+([\\d,]+)\\s+[\\d,]+$").matcher(out);
    while (m.find()) {
      rows.append(' ').append(m.group(1)).append(' ').append(m.group(2)).append('\n');
    }
    return rows.toString();
  }

  /** The rows of {@code table} in a sample's table of loaded rows. */
  private static long tableRows(String out, String table) {
    Matcher m = Pattern.compile("(?m)^ " + table + " ([\\d,]+)$").matcher(out);
    assertThat(m.find()).as(out).isTrue();
    return Long.parseLong(m.group(1).replace(",", ""));
  }

  /** The "N new all_events rows" of a later batch's summary. */
  private static long newRows(String out, String table) {
    Matcher m = Pattern.compile("([\\d,]+) new " + table + " rows").matcher(out);
    assertThat(m.find()).as(out).isTrue();
    return Long.parseLong(m.group(1).replace(",", ""));
  }

  private static long count(Connection db, String table) throws SQLException {
    return scalar(db, "SELECT COUNT(*) FROM " + table);
  }

  private static long scalar(Connection db, String sql) throws SQLException {
    try (Statement s = db.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static List<Path> files(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile).map(root::relativize).sorted().toList();
    }
  }
}
