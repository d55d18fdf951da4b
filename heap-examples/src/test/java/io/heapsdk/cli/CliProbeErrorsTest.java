package io.heapsdk.cli;

import static io.heapsdk.cli.HeapCliTest.assertOk;
import static io.heapsdk.cli.HeapCliTest.heap;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The command-line cases of the reliability probe (L2, L11, L12, L21, L22, L35, L42) and the config
 * cases as the CLI prints them: one line on stderr, exit 2, no Java class names without --verbose.
 */
class CliProbeErrorsTest {
  @TempDir Path tmp;

  /** The result's only stderr line, checked to be free of Java names. */
  private static String oneLine(HeapCliTest.Result r) {
    assertThat(r.err().lines().toList()).as(r.err()).hasSize(1);
    String line = r.err().strip();
    assertThat(line).startsWith("heap: ").doesNotContain("java.", "Exception", "io.heapsdk", "picocli", "\tat ");
    return line;
  }

  // ------------------------------------------------------------------------------ --out

  @Test
  void outNamingAnExistingFileIsAUsageError() throws IOException {
    // L11: used to print java.nio.file.FileSystemException: ...: Not a directory
    Path file = Files.writeString(tmp.resolve("heap.yml"), "funnel_events: [a]\n");
    HeapCliTest.Result r = heap("compile", "--warehouse", "h2", "--out", file);
    assertThat(r.code()).isEqualTo(2);
    assertThat(oneLine(r)).isEqualTo("heap: --out: " + file + " is a file; expected a folder (it is created when missing) (see: heap compile --help)");
    assertThat(Files.readString(file)).isEqualTo("funnel_events: [a]\n");
    // the demo says so before its minutes of work
    HeapCliTest.Result demo = heap("demo", "--users", 0, "--out", file);
    assertThat(demo.code()).isEqualTo(2);
    assertThat(oneLine(demo)).startsWith("heap: --out: " + file + " is a file;").doesNotContain("Sample data");
    assertThat(demo.out()).isEmpty();
  }

  /**
   * A folder heap may not write in: said before any work, not after the demo's sample and builds. Root
   * writes in any folder of a writable file system, so as root the test uses a read-only one, and skips
   * where there is none.
   */
  @Test
  void outInAFolderHeapMayNotWriteIsRefusedBeforeAnyWork() throws IOException {
    Path readOnly = Files.createDirectories(tmp.resolve("read-only"));
    Files.setPosixFilePermissions(readOnly, java.nio.file.attribute.PosixFilePermissions.fromString("r-xr-xr-x"));
    if (Files.isWritable(readOnly)) {
      readOnly = Path.of("/proc/sys");
    }
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Files.isDirectory(readOnly) && !Files.isWritable(readOnly), "no folder this user may not write (root, without a read-only /proc/sys)");
    Path below = readOnly.resolve("heap-out");
    HeapCliTest.Result demo = heap("demo", "--users", 0, "--out", below);
    assertThat(demo.code()).isEqualTo(2);
    assertThat(oneLine(demo))
        .isEqualTo("heap: --out: " + below + " cannot be created: no permission to write in folder " + readOnly + " (see: heap demo --help)");
    assertThat(demo.out()).as("nothing done before the refusal").isEmpty();
    assertThat(oneLine(heap("compile", "--warehouse", "h2", "--out", readOnly)))
        .isEqualTo("heap: --out: no permission to write in folder " + readOnly + " (see: heap compile --help)");
  }

  @Test
  void outBelowAFileNamesTheCauseInWords() throws IOException {
    // L12's kind: a folder that cannot be made
    Path file = Files.writeString(tmp.resolve("plain.txt"), "x");
    HeapCliTest.Result r = heap("compile", "--warehouse", "h2", "--out", file.resolve("sql"));
    assertThat(r.code()).isEqualTo(2);
    assertThat(oneLine(r)).startsWith("heap: cannot write " + file.resolve("sql").resolve("h2")).endsWith(": not a directory");
  }

  @Test
  void aPathOptionThatIsNoPathSaysSo() {
    // picocli's own converter quoted java.nio.file.InvalidPathException
    HeapCliTest.Result r = heap("compile", "--warehouse", "h2", "--out", "a\0b");
    assertThat(r.code()).isEqualTo(2);
    assertThat(oneLine(r)).startsWith("heap: Invalid value for option '--out': \"a").contains("is not a valid file or folder name");
  }

  // ------------------------------------------------------------------------------ dates

  @Test
  void aBadDateSaysWhatADateLooksLike() {
    // L35: used to quote java.time.format.DateTimeParseException
    HeapCliTest.Result r = heap("funnel", "--jdbc", "jdbc:h2:mem:x", "--steps", "a", "--from", "2024-13-45");
    assertThat(r.code()).isEqualTo(2);
    assertThat(oneLine(r))
        .isEqualTo("heap: Invalid value for option '--from': expected a date such as 2024-01-31, got \"2024-13-45\" (see: heap funnel --help)");
  }

  @Test
  void aBadInstantSaysWhatAnInstantLooksLike() {
    // L42
    HeapCliTest.Result r = heap("test", "--jdbc", "jdbc:h2:mem:x", "--now", "yesterday");
    assertThat(r.code()).isEqualTo(2);
    assertThat(oneLine(r))
        .isEqualTo("heap: Invalid value for option '--now': expected a UTC time such as 2024-01-31T12:00:00Z, got \"yesterday\" (see: heap test --help)");
  }

  @Test
  void anInstantWithAnOffsetIsAccepted() {
    assertThat(new OptionTypes.InstantConverter().convert("2024-01-31T13:00:00+01:00"))
        .isEqualTo(java.time.Instant.parse("2024-01-31T12:00:00Z"));
  }

  // ------------------------------------------------------------------------------ commands and version

  @Test
  void aMistypedCommandOrOptionGetsTheNearestNames() {
    assertThat(oneLine(heap("fnnel"))).isEqualTo("heap: unknown command 'fnnel'; did you mean 'funnel'? (see: heap --help)");
    assertThat(oneLine(heap("xyz")))
        .isEqualTo(
            "heap: unknown command 'xyz'; the commands are demo, compile, sample, run, status, funnel, attribution, retention, paths,"
                + " test or docs (see: heap --help)");
    assertThat(oneLine(heap("run", "--fulll-refresh", "--jdbc", "jdbc:h2:mem:")))
        .isEqualTo("heap: unknown option '--fulll-refresh'; did you mean '--full-refresh'? (see: heap run --help)");
    assertThat(oneLine(heap("run", "extra", "--jdbc", "jdbc:h2:mem:"))).isEqualTo("heap: unexpected argument 'extra' (see: heap run --help)");
    assertThat(heap("fnnel").code()).isEqualTo(2);
    // a required option mistyped: the typo, not "missing --steps" (picocli checks required options first)
    assertThat(oneLine(heap("--verbose", "funnel", "--jdbc", "jdbc:h2:mem:", "--stpes", "a,b")))
        .isEqualTo("heap: unknown option '--stpes'; did you mean '--steps'? (see: heap funnel --help)");
    assertThat(oneLine(heap("attribution", "--jdbc", "jdbc:h2:mem:", "--modle=linear")))
        .isEqualTo("heap: unknown option '--modle'; did you mean '--model'? (see: heap attribution --help)");
    // nothing mistyped: still the missing option
    assertThat(oneLine(heap("funnel", "--jdbc", "jdbc:h2:mem:"))).startsWith("heap: Missing required option: '--steps");
  }

  /** A number option's bad value in words, naming the option that is wrong (one message named both of run's). */
  @Test
  void aBadNumberSaysWhichOptionAndWhatANumberIs() {
    assertThat(oneLine(heap("run", "--jdbc", "jdbc:h2:mem:", "--wait", "abc")))
        .isEqualTo("heap: Invalid value for option '--wait': \"abc\" is not a whole number (see: heap run --help)");
    assertThat(oneLine(heap("sample", "--jdbc", "jdbc:h2:mem:", "--users", "many")))
        .isEqualTo("heap: Invalid value for option '--users': \"many\" is not a whole number (see: heap sample --help)");
    assertThat(oneLine(heap("run", "--jdbc", "jdbc:h2:mem:", "--wait", "-1")))
        .isEqualTo("heap: --wait: expected 0 to 31536000 seconds (a year), got -1 (see: heap run --help)");
    assertThat(oneLine(heap("run", "--jdbc", "jdbc:h2:mem:", "--stale-after", "0")))
        .isEqualTo("heap: --stale-after: expected more than 0 seconds, at most 31536000 (a year), got 0 (see: heap run --help)");
  }

  /**
   * Numbers too large to be meant: a wait or staleness past a year overflowed the clock's arithmetic
   * (exit 3, "internal error: ArithmeticException: long overflow"), and a sample of billions of users ran
   * out of memory with Java's trace (exit 1). Each is a usage error now, naming the range.
   */
  @Test
  void aNumberTooLargeIsRefusedWithItsRange() {
    HeapCliTest.Result wait = heap("run", "--jdbc", "jdbc:h2:mem:", "--wait", "99999999999999");
    assertThat(wait.code()).isEqualTo(2);
    assertThat(oneLine(wait)).isEqualTo("heap: --wait: expected 0 to 31536000 seconds (a year), got 99999999999999 (see: heap run --help)");
    HeapCliTest.Result stale = heap("run", "--jdbc", "jdbc:h2:mem:", "--stale-after", "9223372036854775807");
    assertThat(stale.code()).isEqualTo(2);
    assertThat(oneLine(stale))
        .isEqualTo("heap: --stale-after: expected more than 0 seconds, at most 31536000 (a year), got 9223372036854775807 (see: heap run --help)");
    for (List<String> command : List.of(List.of("sample", "--jdbc", "jdbc:h2:mem:"), List.of("demo"))) {
      List<Object> args = new java.util.ArrayList<>(command);
      args.addAll(List.of("--users", "2000000000"));
      HeapCliTest.Result users = heap(args.toArray());
      assertThat(users.code()).as(users.err()).isEqualTo(2);
      assertThat(oneLine(users)).isEqualTo("heap: --users must be 0 to 10,000,000, got 2,000,000,000 (see: heap " + command.get(0) + " --help)");
    }
    // past a whole number of Java's int: the same, not "not a whole number"
    HeapCliTest.Result huge = heap("sample", "--jdbc", "jdbc:h2:mem:", "--users", "99999999999");
    assertThat(oneLine(huge)).isEqualTo("heap: --users must be 0 to 10,000,000, got 99,999,999,999 (see: heap sample --help)");
  }

  /**
   * A database whose folder cannot be: a file where the folder would be (what root, who may write
   * anywhere, cannot be kept from either). A first sample said so with H2's 55-line trace, then "not an
   * H2 file"; now one line naming the file.
   */
  @Test
  void aDatabaseWhoseFolderIsAFileIsSaidInALine() throws IOException {
    Path file = Files.writeString(tmp.resolve("notes.txt"), "x");
    for (String url : List.of("jdbc:h2:file:" + file.resolve("db"), "jdbc:duckdb:" + file.resolve("db.duckdb"))) {
      HeapCliTest.Result r = heap("sample", "--jdbc", url, "--users", 5);
      assertThat(r.code()).as(r.err()).isEqualTo(2);
      assertThat(r.err()).isEqualTo("heap: cannot create the database " + url + ": " + file + " is a file, where its folder would be\n");
    }
  }

  @Test
  void noCommandListsEveryCommand() {
    // L2: `test` was missing from a hand-written list
    HeapCliTest.Result r = heap();
    assertThat(r.code()).isEqualTo(2);
    assertThat(oneLine(r)).isEqualTo("heap: missing a command: demo, compile, sample, run, status, funnel, attribution, retention, paths, test or docs (see: heap --help)");
    // every command the help lists is named
    String help = heap("--help").out();
    String commands = help.substring(help.indexOf("Commands:"), help.indexOf("Exit codes:"));
    Matcher m = Pattern.compile("(?m)^  ([a-z]+) {2,}\\S").matcher(commands);
    List<String> listed = Stream.iterate(m, Matcher::find, x -> x).map(x -> x.group(1)).toList();
    assertThat(listed).hasSize(11);
    assertThat(oneLine(r)).contains(listed.toArray(String[]::new));
  }

  @Test
  void versionPrintsTheProjectVersion() throws IOException, InterruptedException {
    // the version in the reactor's pom, read here independently of the resource the CLI reads
    String pom = Files.readString(Path.of("pom.xml"));
    Matcher m = Pattern.compile("<parent>.*?<version>([^<]+)</version>", Pattern.DOTALL).matcher(pom);
    assertThat(m.find()).isTrue();
    Pattern printed = Pattern.compile("heap " + Pattern.quote(m.group(1)) + "(?: \\(([0-9a-f]{10})(-dirty)?\\))?");
    for (String flag : List.of("--version", "-V")) {
      HeapCliTest.Result r = heap(flag);
      assertThat(r.code()).isZero();
      Matcher version = printed.matcher(r.out().strip());
      assertThat(version.matches()).as(r.out()).isTrue();
      // a SNAPSHOT built in a git checkout names its commit, one git itself knows in this repository
      if (m.group(1).endsWith("-SNAPSHOT") && Files.exists(Path.of("..", ".git"))) {
        assertThat(version.group(1)).as(r.out()).isNotNull();
        Process git = new ProcessBuilder("git", "cat-file", "-e", version.group(1) + "^{commit}").inheritIO().start();
        assertThat(git.waitFor()).as("git cat-file -e " + version.group(1)).isZero();
      }
    }
  }

  // ------------------------------------------------------------------------------ databases without Heap's tables

  @ParameterizedTest
  @ValueSource(strings = {"run", "funnel --steps a", "attribution --model linear --conversion-events buy", "test"})
  void aTypoedFileDatabaseIsNotCreated(String command) throws IOException {
    // L21, L22: H2 used to create an empty database file here, then fail on a missing schema
    Path typo = tmp.resolve("typo");
    String url = "jdbc:h2:file:" + typo;
    HeapCliTest.Result r = heap(args(command, "--jdbc", url));
    assertThat(r.code()).as(r.err()).isEqualTo(2);
    assertThat(oneLine(r))
        .isEqualTo(
            "heap: no database at " + url + " (H2 file " + typo.toAbsolutePath() + ".mv.db does not exist); check the path, or create it"
                + " with Heap's tables: heap sample --jdbc " + url + " --users N");
    try (Stream<Path> files = Files.list(tmp)) {
      assertThat(files.toList()).isEmpty();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"run", "funnel --steps a", "attribution --model linear --conversion-events buy", "test"})
  void aDatabaseWithoutHeapTablesExits2(String command) throws SQLException {
    String url = "jdbc:h2:file:" + tmp.resolve("other");
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE unrelated (x INT)");
    }
    HeapCliTest.Result r = heap(args(command, "--jdbc", url));
    assertThat(r.code()).as(r.err()).isEqualTo(2);
    assertThat(oneLine(r))
        .isEqualTo("heap: no Heap tables in schema main_production of " + url + "; load them (heap sample --jdbc " + url + " --users N) or set source.schema");
  }

  /** Empty Heap tables (a first batch stopped before loading) are named so, without a --batch hint that would fail. */
  @Test
  void sampleOnEmptyHeapTablesSaysTheyAreEmpty() {
    String url = "jdbc:h2:file:" + tmp.resolve("empty");
    assertThat(heap("sample", "--jdbc", url, "--users", 0).code()).isZero();
    HeapCliTest.Result r = heap("sample", "--jdbc", url, "--users", 5);
    assertThat(r.code()).isEqualTo(2);
    assertThat(oneLine(r))
        .isEqualTo(
            "heap: schema main_production of " + url + " already has Heap tables [users, sessions, pageviews, all_events,"
                + " user_migrations], all empty (heap sample --users 0, or a first heap sample killed outright on an H2 file); drop them, or use another"
                + " database or schema (source.schema)");
  }

  @Test
  void anInMemoryDatabaseIsAlwaysEmpty() {
    HeapCliTest.Result r = heap("run", "--jdbc", "jdbc:h2:mem:fresh");
    assertThat(r.code()).isEqualTo(2);
    // not "load them with heap sample": that command's database would be gone when it ends
    assertThat(oneLine(r))
        .isEqualTo("heap: no Heap tables in schema main_production of jdbc:h2:mem:fresh, an in-memory database, new and empty in each"
            + " heap command: use a file (jdbc:h2:file:./heap-db, jdbc:duckdb:./heap.duckdb), or heap demo, which loads and builds in"
            + " one process");
    HeapCliTest.Result status = heap("status", "--jdbc", "jdbc:duckdb:");
    assertThat(status.code()).isEqualTo(2);
    assertThat(status.out()).as("nothing reported before the refusal").isEmpty();
    assertThat(oneLine(status)).startsWith("heap: no Heap tables in schema main_production of jdbc:duckdb:, an in-memory database");
  }

  @Test
  void theSchemaOfTheConfigIsTheOneLookedIn() throws IOException, SQLException {
    String url = "jdbc:h2:file:" + tmp.resolve("db");
    assertThat(heap("sample", "--jdbc", url, "--users", 0).code()).isZero();
    Path config = Files.writeString(tmp.resolve("heap.yml"), "source:\n  schema: heap_prod\n");
    HeapCliTest.Result r = heap("run", "--config", config, "--jdbc", url);
    assertThat(r.code()).isEqualTo(2);
    // Heap's tables are in another schema of the database: that is said, not a sample to load
    assertThat(oneLine(r)).isEqualTo("heap: no Heap tables in schema heap_prod of " + url + "; all_events is in schema MAIN_PRODUCTION (source.schema)");
    Path typo = Files.writeString(tmp.resolve("typo.yml"), "source:\n  schema: main_prodution\n");
    assertThat(oneLine(heap("run", "--config", typo, "--jdbc", url)))
        .isEqualTo("heap: no Heap tables in schema main_prodution of " + url + "; all_events is in schema MAIN_PRODUCTION; did you mean"
            + " 'MAIN_PRODUCTION'? (source.schema)");
    // none anywhere: the sample it suggests loads into the config's schema, with the config (it said the defaults' command)
    String other = "jdbc:h2:file:" + tmp.resolve("other");
    try (Connection c = DriverManager.getConnection(other);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE unrelated (x INT)");
    }
    assertThat(oneLine(heap("run", "--config", config, "--jdbc", other)))
        .isEqualTo("heap: no Heap tables in schema heap_prod of " + other + "; load them (heap sample --config " + config + " --jdbc " + other
            + " --users N) or set source.schema");
    // a later sample batch needs an existing database too
    String nope = "jdbc:h2:file:" + tmp.resolve("nope");
    HeapCliTest.Result batch = heap("sample", "--config", config, "--jdbc", nope, "--users", 5, "--batch", 2);
    assertThat(batch.code()).isEqualTo(2);
    assertThat(oneLine(batch)).startsWith("heap: no database at ").endsWith(": heap sample --config " + config + " --jdbc " + nope + " --users N");
    assertThat(Files.exists(tmp.resolve("nope.mv.db"))).isFalse();
  }

  /**
   * A file that is not an H2 database, and an H2 server that is not there: said so, without H2's Java
   * class names ("Connection is broken: "java.net.ConnectException: …"", "IO Exception: "…junk.mv.db"").
   */
  @Test
  void aFileThatIsNoH2DatabaseAndAnAbsentServerAreSaidSo() throws IOException {
    Files.writeString(tmp.resolve("junk.mv.db"), "not a database\n".repeat(100));
    String junk = "jdbc:h2:file:" + tmp.resolve("junk");
    HeapCliTest.Result r = heap("status", "--jdbc", junk);
    assertThat(r.code()).as(r.err()).isEqualTo(2);
    assertThat(oneLine(r)).startsWith("heap: cannot open " + junk + ": H2 could not read the file as a database (not an H2 file, a damaged one");
    HeapCliTest.Result server = heap("status", "--jdbc", "jdbc:h2:tcp://localhost:9/x");
    // 1, as a failure a retry may mend: the server may be restarting
    assertThat(server.code()).as(server.err()).isEqualTo(1);
    assertThat(oneLine(server))
        .isEqualTo(
            "heap: cannot connect to the H2 server of jdbc:h2:tcp://localhost:9/x: Connection refused; is the server running there?"
                + " (--verbose shows more)")
        .doesNotContain("java.");
  }

  /**
   * A source.database the server does not have: named by its key, as target.database is. sample failed
   * with the engine's words (DuckDB's Catalog Error, H2's Invalid name), run and test said no Heap tables
   * were in the schema and pointed at source.schema.
   */
  @ParameterizedTest
  @ValueSource(strings = {"h2", "duckdb"})
  void aSourceDatabaseTheServerLacksIsNamedByItsKey(String engine) throws IOException {
    String url = engine.equals("h2") ? "jdbc:h2:file:" + tmp.resolve("db") : "jdbc:duckdb:" + tmp.resolve("db.duckdb");
    Path config = Files.writeString(tmp.resolve("analytics.yml"), "source:\n  database: analytics\n");
    HeapCliTest.Result sample = heap("sample", "--config", config, "--jdbc", url, "--users", 5);
    assertThat(sample.code()).as(sample.err()).isEqualTo(2);
    assertThat(oneLine(sample)).startsWith("heap: " + config + ": source.database: no database analytics on " + engine + " through this connection;");
    for (String command : List.of("run", "test", "status")) {
      HeapCliTest.Result r = heap(args(command, "--config", config.toString(), "--jdbc", url));
      assertThat(r.code()).as(command + ": " + r.err()).isEqualTo(2);
      assertThat(oneLine(r)).as(command).isEqualTo(oneLine(sample));
    }
  }

  // ------------------------------------------------------------------------------ config errors as printed

  @Test
  void configProbeErrorsPrintAsOneLine() throws IOException {
    Path config = tmp.resolve("heap.yml");
    Files.write(config, "target:\n  schema: caf\u00e9\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    HeapCliTest.Result r = heap("compile", "--config", config, "--warehouse", "h2", "--out", tmp.resolve("sql"));
    assertThat(r.code()).isEqualTo(2);
    assertThat(oneLine(r)).isEqualTo("heap: " + config + ": (file): not UTF-8 text (byte 0xE9 at line 2, column 14); save the file as UTF-8");
    Files.writeString(config, "models:\n  not_a_model:\n    dist_key: x\n");
    HeapCliTest.Result models = heap("compile", "--config", config, "--warehouse", "redshift", "--out", tmp.resolve("sql"));
    assertThat(models.code()).isEqualTo(2);
    // c07: the file is named, as for every other config error
    assertThat(oneLine(models)).startsWith("heap: " + config + ": models.not_a_model: names no materialized model; they are [");
  }

  /** {@code --config ''} named the working directory ("cannot read: Is a directory"); a folder holding heap.yml is pointed to it. */
  @Test
  void anEmptyOrFolderConfigPathSaysWhatToGive() throws IOException {
    HeapCliTest.Result empty = heap("compile", "--config", "", "--warehouse", "h2", "--out", tmp.resolve("sql"));
    assertThat(empty.code()).isEqualTo(2);
    assertThat(oneLine(empty)).isEqualTo("heap: (empty path): (file): no file named; give the path of the config file");
    Path project = Files.createDirectories(tmp.resolve("project"));
    HeapCliTest.Result bare = heap("compile", "--config", project, "--warehouse", "h2", "--out", tmp.resolve("sql"));
    assertThat(oneLine(bare)).isEqualTo("heap: " + project + ": (file): a directory, not a config file");
    Files.writeString(project.resolve("heap.yml"), "funnel_events: [a]\n");
    HeapCliTest.Result folder = heap("compile", "--config", project, "--warehouse", "h2", "--out", tmp.resolve("sql"));
    assertThat(folder.code()).isEqualTo(2);
    assertThat(oneLine(folder))
        .isEqualTo("heap: " + project + ": (file): a directory, not a config file; did you mean " + project.resolve("heap.yml") + "?");
    assertThat(tmp.resolve("sql")).doesNotExist();
  }

  /** {@code --config -}: the config from standard input (a template filled in by a pipe), its errors named "(stdin)". */
  @Test
  void aConfigCanComeFromStandardInput() throws IOException {
    java.io.InputStream stdin = System.in;
    try {
      System.setIn(new java.io.ByteArrayInputStream("funnel_events: [\"カートに追加\", checkout]\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      HeapCliTest.Result r = heap("compile", "--config", "-", "--warehouse", "h2", "--out", tmp.resolve("sql"));
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(Files.readString(tmp.resolve("sql/h2/stg_heap_events_all_inc_fct.sql"))).contains("'カートに追加'");
      System.setIn(new java.io.ByteArrayInputStream("sessionization:\n  timeout_minutes: -5\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      HeapCliTest.Result bad = heap("compile", "--config", "-", "--warehouse", "h2", "--out", tmp.resolve("sql2"));
      assertThat(bad.code()).isEqualTo(2);
      assertThat(oneLine(bad)).isEqualTo("heap: (stdin): sessionization.timeout_minutes: expected a positive whole number of minutes, got -5");
    } finally {
      System.setIn(stdin);
    }
  }

  /** A name with a stray character is used as written, and the command says so on standard error, naming the key. */
  @Test
  void aNameWithAStrayCharacterIsWarnedOf() throws Exception {
    Path config = Files.writeString(tmp.resolve("heap.yml"), "funnel_events: [signup,\u00A0checkout]\nchannels:\n  fallback: |\n    Other\n");
    // in a process of its own: the warnings are log lines, on the process's standard error
    Process p = HeapProcess.start(env -> {}, "compile", "--config", config.toString(), "--warehouse", "h2", "--out", tmp.resolve("sql").toString());
    p.getInputStream().readAllBytes();
    String said = new String(p.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(said).isZero();
    assertThat(said)
        .contains(config + ": funnel_events[1]: \"\\u00A0checkout\" begins with a no-break space (U+00A0); it is used as written")
        .contains(config + ": channels.fallback: \"Other\\n\" ends with a newline (U+000A);");
    assertThat(Files.readString(tmp.resolve("sql/h2/stg_heap_events_all_inc_fct.sql"))).contains("'\u00A0checkout'");
  }

  /** A target schema whose name holds a newline: {@code heap status} shows it escaped, each line whole. */
  @Test
  void statusShowsASchemaNamesNewlineEscaped() throws IOException {
    String url = "jdbc:h2:file:" + tmp.resolve("db");
    Path config = Files.writeString(tmp.resolve("heap.yml"), "target:\n  schema: \"heap\\nmodels\"\n");
    assertThat(heap("sample", "--config", config, "--jdbc", url, "--users", 3).code()).isZero();
    assertThat(assertOk(heap("status", "--config", config, "--jdbc", url)).out())
        .startsWith("schema heap\\nmodels does not exist in " + url + ": the next run creates it");
    assertOk(heap("run", "--config", config, "--jdbc", url));
    String status = assertOk(heap("status", "--config", config, "--jdbc", url)).out();
    assertThat(status).startsWith("runs in heap\\nmodels (newest first):\n");
    assertThat(status.lines()).noneMatch(l -> l.startsWith("models (newest first)"));
  }

  /**
   * A PostgreSQL URL the driver cannot read (a port out of range, or not a number): one line, without the
   * password the driver's own message repeated, and without the driver's dated log lines before it.
   */
  @Test
  void aPostgresUrlTheDriverCannotReadIsOneLineWithoutItsPassword() throws Exception {
    for (String url : List.of("jdbc:postgresql://analyst:s3cret@127.0.0.1:99999/x", "jdbc:postgresql://127.0.0.1:abc/x?user=u&password=s3cret")) {
      assertThat(oneLine(heap("run", "--jdbc", url)))
          .isEqualTo(
              "heap: cannot open " + Database.shown(url) + ": the PostgreSQL driver cannot read this URL; it reads"
                  + " jdbc:postgresql://host:port/database?user=NAME, the port a number from 1 to 65535")
          .doesNotContain("s3cret");
    }
    // in a process of its own, as a user runs it: the driver's java.util.logging lines went to standard error first
    Process p = HeapProcess.start(env -> {}, "status", "--jdbc", "jdbc:postgresql://127.0.0.1:99999/x?user=u");
    p.getInputStream().readAllBytes();
    String said = new String(p.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(p.waitFor()).isEqualTo(2);
    assertThat(said.lines().toList()).as(said).hasSize(1);
    assertThat(said).startsWith("heap: cannot open jdbc:postgresql://127.0.0.1:99999/x?user=u: the PostgreSQL driver cannot read");
  }

  private static Object[] args(String command, Object... more) {
    List<Object> all = new java.util.ArrayList<>(List.of((Object[]) command.split(" ")));
    all.addAll(List.of(more));
    return all.toArray();
  }
}
