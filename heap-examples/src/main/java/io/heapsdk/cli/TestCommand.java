package io.heapsdk.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.heapsdk.HeapException;
import io.heapsdk.config.UserText;
import io.heapsdk.model.HeapProject;
import io.heapsdk.quality.DataTest;
import io.heapsdk.quality.DataTests;
import io.heapsdk.quality.TestTarget;
import io.heapsdk.run.DataTestRunner;
import io.heapsdk.run.SourceColumns;
import io.heapsdk.run.TestResult;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code heap test}: source freshness and every data test on a database, with exit code 1 on failures. */
@Command(
    name = "test",
    header = "Check source freshness and run every data test on a database.",
    description =
        "Checks the freshness of Heap's source tables (the newest time against now: warn after"
            + " source.freshness.warn_after_hours, fail after error_after_hours or when a table is empty)"
            + " and runs every data test: not_null and unique of the source columns that declare them,"
            + " not_null and unique of each model's unique key, and the tests models declare. Model tests"
            + " read the models' tables: run `heap run` first. Prints one line per test; exits with 1 when"
            + " a test fails (warnings too, with --warn-error). A check the database refuses is reported as"
            + " error and the others still run; then the exit code is 2 where a grant is missing, 1 otherwise.")
final class TestCommand implements Callable<Integer> {
  /**
   * Made on first use, not when the class loads: picocli instantiates every command to parse any
   * command line, and Jackson's start-up would slow down all of them.
   */
  private static final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  }

  @Mixin ConfigOption config;

  @Option(names = "--jdbc", required = true, paramLabel = "URL", description = "The database, e.g. jdbc:h2:file:./heap-db, jdbc:duckdb:heap.duckdb or jdbc:postgresql://host/db.")
  String url;

  @Option(
      names = "--select",
      paramLabel = "PATTERN",
      description =
          "Only the tests whose name or target matches; * matches any text, e.g. 'freshness_*',"
              + " 'source:pageviews', '*_event_id'.")
  String select;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table", description = "table or json (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(names = "--warn-error", description = "Treat warnings as failures (exit code 1).")
  boolean warnError;

  @Option(
      names = "--now",
      paramLabel = "INSTANT",
      description = "Judge freshness as of this UTC instant, e.g. 2024-01-31T12:00:00Z (default: the current time).")
  Instant now;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    String f = format.toLowerCase(Locale.ROOT);
    if (!f.equals("table") && !f.equals("json")) {
      throw new ParameterException(spec.commandLine(), "--format: expected table or json, got " + format);
    }
    HeapProject project = HeapProject.standard(config.load());
    Clock clock = now == null ? Clock.systemUTC() : Clock.fixed(now, ZoneOffset.UTC);
    List<TestResult> results;
    Optional<String> unnamed;
    Predicate<String> selected = selection(select);
    try (Database db = Database.openExisting(url, project.config())) {
      db.requireHeapTables(project.config());
      // a Heap table (or configured column) missing: the config key, as heap run says it, not the engine's
      // "Table with name pageviews does not exist!" from the first test that reads it
      SourceColumns.check(db.warehouse(), db.connection(), project.plan());
      // the models the selected tests read, built by `heap run`: one line naming the first missing,
      // not the engine's error about a table it cannot find
      List<String> models = new ArrayList<>();
      for (DataTest t : DataTests.of(project)) {
        boolean chosen = selected.test(t.name()) || selected.test(t.target().toString());
        if (chosen && t.target().kind() == TestTarget.Kind.MODEL && !models.contains(t.target().name())) {
          models.add(t.target().name());
        }
      }
      try {
        AnalysisOptions.requireFacts(spec.commandLine(), db, project.config(), models);
      } catch (HeapException e) {
        // before the first run (a new project's CI): the checks of Heap's own tables need no model. Only
        // that refusal: a failing look-up (a lost connection) keeps its own message and exit code
        boolean notBuilt = !(e instanceof io.heapsdk.run.HeapRunException) && String.valueOf(e.getMessage()).contains("; build the models first: ");
        throw select == null && notBuilt
            ? new HeapException(e.getMessage() + "; the checks of Heap's tables alone run without them: --select 'source:*'", e)
            : e;
      }
      // each check on its own: one the database refuses (a table heap's user may not read) is reported
      // with the others, not instead of them
      results = new DataTestRunner(db.warehouse(), clock).runEach(project, db.connection(), selected);
      unnamed = unnamedEvents(db, project, results);
    }
    if (select != null && results.isEmpty()) {
      // a mistyped pattern in a CI job would otherwise pass, having checked nothing
      throw new ParameterException(
          spec.commandLine(), "--select: no test's name or target matches '" + select + "'; without --select, heap test lists them all");
    }
    PrintWriter out = spec.commandLine().getOut();
    if (f.equals("json")) {
      json(out, results);
    } else {
      table(out, results);
    }
    out.flush();
    if (now == null) {
      staleSources(results).ifPresent(hint -> spec.commandLine().getErr().println("heap: " + hint));
    }
    unnamed.ifPresent(hint -> spec.commandLine().getErr().println("heap: " + hint));
    List<TestResult> refused = results.stream().filter(r -> r.status() == TestResult.Status.ERROR).toList();
    if (!refused.isEmpty()) {
      TestResult first = refused.get(0);
      spec.commandLine().getErr().println(
          "heap: " + (refused.size() == 1 ? "1 check" : refused.size() + " checks") + " could not run, the others did: "
              + first.name() + ": " + first.detail() + (refused.size() > 1 ? "; and " + (refused.size() - 1) + " more, in the table" : ""));
      // as a refusal stopping heap test said before: 2 where a grant is missing, 1 where a retry may help
      return refused.stream().mapToInt(r -> Failures.exitCode(r.error().orElseThrow())).max().orElseThrow();
    }
    boolean failed =
        results.stream()
            .anyMatch(r -> r.status() == TestResult.Status.FAIL || (warnError && r.status() == TestResult.Status.WARN));
    return failed ? HeapCli.MODEL_FAILED : HeapCli.OK;
  }

  /** The standard project's test of the config's event names ({@code StandardModels}). */
  static final String EVENT_NAMES_TEST = "contains_values_all_events_event_table_name";

  /**
   * When the config's funnel or conversion events name events no {@code all_events} row has: which, each
   * with the nearest event names that exist (Sign_Up for sign_up, add_to_kart for add_to_cart), since
   * those steps count nothing and those conversions are lost. The names come from the test's sample (the
   * first five); a failing look-up of the event names only leaves the suggestions out.
   */
  static Optional<String> unnamedEvents(Database db, HeapProject project, List<TestResult> results) {
    Optional<TestResult> test =
        results.stream()
            // warned or failed: an ERROR (all_events not readable) says nothing of the names
            .filter(r -> r.name().equals(EVENT_NAMES_TEST) && (r.status() == TestResult.Status.WARN || r.status() == TestResult.Status.FAIL))
            .findFirst();
    if (test.isEmpty()) {
      return Optional.empty();
    }
    List<String> existing = new ArrayList<>();
    io.heapsdk.warehouse.DataTestSql sql = new io.heapsdk.warehouse.DataTestSql(db.warehouse(), project);
    String column =
        db.warehouse().quote(project.config().catalog().table("all_events").column("event_table_name").physicalName());
    try (java.sql.Statement st = db.connection().createStatement();
        java.sql.ResultSet rs = st.executeQuery("SELECT DISTINCT " + column + " FROM " + sql.tableName(TestTarget.source("all_events")))) {
      while (rs.next()) {
        if (rs.getString(1) != null) {
          existing.add(rs.getString(1));
        }
      }
    } catch (java.sql.SQLException e) {
      existing.clear();
    }
    List<String> named = new ArrayList<>();
    for (String missing : test.get().sampleKeys()) {
      List<String> near = io.heapsdk.internal.NearestNames.of(missing, existing);
      named.add(
          "\"" + UserText.visible(missing) + "\""
              + (near.isEmpty() ? "" : " (did you mean " + String.join(" or ", near.stream().map(n -> "\"" + UserText.visible(n) + "\"").toList()) + "?)"));
    }
    long more = test.get().failingRows() - test.get().sampleKeys().size();
    return Optional.of(
        "funnel_events or conversion_events name " + (test.get().failingRows() == 1 ? "an event" : "events") + " no all_events row has: "
            + String.join(", ", named) + (more > 0 ? " and " + more + " more" : "")
            + "; they match Heap's event names exactly, case included, so those funnel steps count nothing and those conversions none");
  }

  /** How old the newest row of every Heap table must be for {@link #staleSources} to speak. */
  static final java.time.Duration LONG_STOPPED = java.time.Duration.ofDays(30);

  private static final Pattern NEWEST = Pattern.compile("^newest (\\S+), lag ");

  /** A freshness result's error-after, as {@link DataTestRunner} writes it in the detail. */
  private static final Pattern ERROR_AFTER = Pattern.compile("error after (\\d+)d (\\d+)h (\\d+)m\\)");

  /**
   * A note for when every freshness check failed and even the newest Heap table's newest row is over
   * {@link #LONG_STOPPED} old: data that stopped arriving (heap sample's, dated 2024; a paused sync), which
   * fails on every run of {@code heap test} until it is judged as of then. A probe running sample, run
   * and test each day for 60 days saw exit 1 every time, the model tests all passing.
   */
  static Optional<String> staleSources(List<TestResult> results) {
    java.time.LocalDateTime newest = null;
    int checks = 0;
    // each check's table's newest row, and how old it may be before the check fails
    Map<String, Map.Entry<java.time.LocalDateTime, Optional<java.time.Duration>>> tables = new LinkedHashMap<>();
    for (TestResult r : results) {
      if (!r.name().startsWith("freshness_")) {
        continue;
      }
      Matcher m = NEWEST.matcher(r.detail());
      if (r.status() != TestResult.Status.FAIL || !m.find()) {
        return Optional.empty();
      }
      java.time.LocalDateTime t = java.time.LocalDateTime.parse(m.group(1));
      newest = newest == null || t.isAfter(newest) ? t : newest;
      checks++;
      Matcher limit = ERROR_AFTER.matcher(r.detail());
      tables.put(
          r.name(),
          Map.entry(t, limit.find()
              ? Optional.of(java.time.Duration.ofDays(Long.parseLong(limit.group(1))).plusHours(Long.parseLong(limit.group(2)))
                  .plusMinutes(Long.parseLong(limit.group(3))))
              : Optional.empty()));
    }
    java.time.LocalDateTime limit = java.time.LocalDateTime.now(ZoneOffset.UTC).minus(LONG_STOPPED);
    if (newest == null || !newest.isBefore(limit)) {
      return Optional.empty();
    }
    Instant then = newest.withNano(0).plusSeconds(1).toInstant(ZoneOffset.UTC);
    java.time.format.DateTimeFormatter seconds = java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss", Locale.ROOT);
    String at = newest.format(seconds);
    // a table whose rows stopped longer before the newest one than its check allows still fails as of
    // then (heap sample's users join over its first 30 days, its events go on 9 days more): said, so
    // the suggested --now is not taken for one that passes every check
    List<String> stillFailing = new ArrayList<>();
    java.time.LocalDateTime asOf = java.time.LocalDateTime.ofInstant(then, ZoneOffset.UTC);
    tables.forEach((name, t) -> t.getValue()
        .filter(allowed -> java.time.Duration.between(t.getKey(), asOf).compareTo(allowed) > 0)
        .ifPresent(allowed -> stillFailing.add(name + " (newest " + t.getKey().format(seconds) + ")")));
    return Optional.of(
        (checks == 1 ? "the freshness check failed, and its table's newest row is from " : "all " + checks
            + " freshness checks failed, and the newest row of their tables is from ") + at
            + ": data that stopped arriving. Sample data (heap sample's is dated 2024)? Check it as of then: --now " + then
            + (stillFailing.isEmpty()
                ? ""
                : " (as of then " + String.join(", ", stillFailing) + (stillFailing.size() == 1 ? " still fails" : " still fail")
                    + ": older than its error_after_hours before the newest row)")
            + ". A Heap sync that stopped? That is what the check is for");
  }

  /** The {@code --select} glob as a predicate over names and targets; everything without one. */
  static Predicate<String> selection(String glob) {
    if (glob == null) {
      return name -> true;
    }
    List<String> parts = new ArrayList<>();
    // -1 keeps empty parts, so a leading or trailing * still becomes .*
    for (String part : glob.split("\\*", -1)) {
      parts.add(Pattern.quote(part));
    }
    Pattern p = Pattern.compile(String.join(".*", parts));
    return name -> p.matcher(name).matches();
  }

  /** The results as a table, then their totals. */
  static void table(PrintWriter out, List<TestResult> results) {
    rows(out, results);
    out.println();
    long pass = results.stream().filter(r -> r.status() == TestResult.Status.PASS).count();
    long warn = results.stream().filter(r -> r.status() == TestResult.Status.WARN).count();
    long fail = results.stream().filter(r -> r.status() == TestResult.Status.FAIL).count();
    long error = results.stream().filter(r -> r.status() == TestResult.Status.ERROR).count();
    out.println(results.size() + " checks: " + pass + " passed, " + warn + " warned, " + fail + " failed"
        + (error > 0 ? ", " + error + " could not run" : ""));
  }

  /**
   * The results as a table, without totals: for a caller that shows only some of them (the demo lists
   * the ones that did not pass under its own count of all of them).
   */
  static void rows(PrintWriter out, List<TestResult> results) {
    TextTable t = new TextTable("test", "target", "status", "failing rows", "sample keys, or what was found").indent("").alignRight(3);
    for (TestResult r : results) {
      String samples = r.detail().isEmpty() ? String.join(", ", r.sampleKeys()) : r.detail();
      t.cells(List.of(r.name(), r.target(), r.status().name().toLowerCase(Locale.ROOT), String.valueOf(r.failingRows()), samples));
    }
    t.print(out);
  }

  private static void json(PrintWriter out, List<TestResult> results) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (TestResult r : results) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("test", r.name());
      m.put("target", r.target());
      m.put("status", r.status().name().toLowerCase(Locale.ROOT));
      m.put("failing_rows", r.failingRows());
      m.put("sample_keys", r.sampleKeys());
      m.put("detail", r.detail());
      rows.add(m);
    }
    try {
      out.println(Json.MAPPER.writeValueAsString(rows));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("rows of plain values always serialize", e);
    }
  }
}
