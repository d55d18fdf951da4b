package io.heapsdk.cli;

import io.heapsdk.analysis.Attribution;
import io.heapsdk.analysis.AttributionModel;
import io.heapsdk.analysis.AttributionResult;
import io.heapsdk.analysis.Funnel;
import io.heapsdk.analysis.FunnelResult;
import io.heapsdk.analysis.Paths;
import io.heapsdk.analysis.PathsResult;
import io.heapsdk.analysis.Retention;
import io.heapsdk.analysis.RetentionResult;
import io.heapsdk.config.HeapConfig;
import io.heapsdk.internal.JdbcValues;
import io.heapsdk.model.HeapProject;
import io.heapsdk.model.ProjectPlan;
import io.heapsdk.report.AnalysisCharts;
import io.heapsdk.report.Report;
import io.heapsdk.run.AnalysisRunner;
import io.heapsdk.run.DataTestRunner;
import io.heapsdk.run.JdbcRunner;
import io.heapsdk.run.RunResult;
import io.heapsdk.run.TestResult;
import io.heapsdk.sample.LaterBatch;
import io.heapsdk.sample.SampleData;
import io.heapsdk.warehouse.SqlRenderer;
import io.heapsdk.warehouse.Warehouse;
import io.heapsdk.warehouse.Warehouses;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code heap demo}: sample data in an in-memory database (H2, or DuckDB with {@code --engine duckdb}),
 * every model built, a short report, a second batch built incrementally, the SQL written.
 */
@Command(
    name = "demo",
    header = "Run every model on sample data in memory, print a report, write the SQL.",
    description =
        "Generates sample Heap data in an in-memory database (H2, or DuckDB with --engine duckdb), builds every model on it (the standard"
            + " ones and two report models defined like a user's) and prints a report. Then loads the next"
            + " day's batch (new and returning users, late rows, duplicates, an identity merge), builds"
            + " incrementally, prints what changed and the report again. Last, writes the config it used to"
            + " DIR/heap.yml, and the full-refresh SQL of every model for every warehouse (snowflake,"
            + " bigquery, redshift, h2, postgres, duckdb, spark, trino) to DIR/<warehouse>/<model>.sql, the"
            + " whole run to DIR/<warehouse>/_run.sql, and the funnel, the attribution, the retention and"
            + " the paths as charts to DIR/funnel.html, DIR/attribution.html, DIR/retention.html and"
            + " DIR/paths.html.")
final class DemoCommand implements Callable<Integer> {
  static final String URL = "jdbc:h2:mem:heap-demo;DB_CLOSE_DELAY=-1";

  /** The embedded engines the demo runs on, each in memory. */
  enum Engine {
    h2("H2", URL),
    // a new in-memory database per connection, gone when it closes
    duckdb("DuckDB", "jdbc:duckdb:");

    final String title;
    final String url;

    Engine(String title, String url) {
      this.title = title;
      this.url = url;
    }
  }

  @Option(
      names = "--engine",
      paramLabel = "ENGINE",
      defaultValue = "h2",
      description = "The in-memory database the demo runs on: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  Engine engine;

  @Option(names = "--users", paramLabel = "N", defaultValue = "2000", description = "Sample users (default: ${DEFAULT-VALUE}).")
  // a long, so that a number past int is said out of range, not "not a whole number"
  long users;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "42", description = "Seed of the sample data (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "target/heap-sql", description = "Where the SQL goes (default: ${DEFAULT-VALUE}).")
  Path out;

  @Spec CommandSpec spec;

  /** The analyses' results, drawn as charts next to the SQL. */
  private FunnelResult funnel;

  private AttributionResult attribution;

  private RetentionResult retention;

  private PathsResult paths;

  @Override
  public Integer call() throws SQLException {
    if (users < 0 || users > SampleCommand.MAX_USERS) {
      // the sample's rows are made in memory before they load: more ran out of it, with Java's trace
      throw new ParameterException(
          spec.commandLine(), String.format(Locale.ROOT, "--users must be 0 to %,d, got %,d", SampleCommand.MAX_USERS, users));
    }
    // before the minutes of the demo, not after them
    SqlFiles.requireFolder(spec.commandLine(), "--out", out);
    PrintWriter o = spec.commandLine().getOut();
    HeapConfig config = config();
    ProjectPlan plan = DemoModels.project(config).plan();
    o.printf(Locale.ROOT, "heap demo: %,d sample users (seed %d) in an in-memory %s database%n%n", users, seed, engine.title);
    try (Database db = Database.open(engine.url)) {
      try {
        long start = System.nanoTime();
        Map<String, Long> counts = SampleData.of((int) users, seed).load(db.connection(), db.warehouse(), config);
        o.printf(Locale.ROOT, "Sample data, loaded in %,d ms%n", millisSince(start));
        Reports.loaded(o, counts);
        o.println();
        o.println("Models built");
        JdbcRunner runner = new JdbcRunner(db.warehouse());
        RunResult result = runner.run(plan, db.connection());
        Reports.built(o, result, plan, false);
        o.println();
        SqlRenderer sql = new SqlRenderer(db.warehouse(), plan);
        report(o, db.connection(), sql, config);
        nextDay(o, db, runner, plan, sql, config);
      } finally {
        // H2's database outlives its connections (DB_CLOSE_DELAY=-1): drop it, or the next demo in this JVM finds it
        if (engine == Engine.h2) {
          try (Statement s = db.connection().createStatement()) {
            s.execute("SHUTDOWN");
          }
        }
      }
    }
    writeSql(o, plan);
    return HeapCli.OK;
  }

  /** The demo's config: the sample data's, with the users fact on (off by default), as its heap.yml says. */
  static HeapConfig config() {
    return HeapConfig.builder().from(SampleData.demoConfig()).usersEnabled(true).build();
  }

  /** The heap.yml the demo writes next to its SQL: {@link #config()} as YAML. */
  static final String CONFIG_YAML =
      SampleData.DEMO_CONFIG_YAML
          + """
          # the demo builds the users fact too (stg_heap_users_inc_fct: off unless asked for)
          users:
            enabled: true
          """;

  /**
   * The next day's Heap sync: a second batch of sample data (new and returning users, late rows,
   * duplicates, identity merges), then an incremental build, what it changed, and the report again.
   */
  private void nextDay(PrintWriter o, Database db, JdbcRunner runner, ProjectPlan plan, SqlRenderer sql, HeapConfig config)
      throws SQLException {
    o.println("The next day: a second batch of sample data, then an incremental build");
    long start = System.nanoTime();
    LaterBatch.Summary batch = SampleData.of((int) users, seed).nextBatch().insert(db.connection(), db.warehouse(), config);
    o.printf(Locale.ROOT, "Sample data batch 2, loaded in %,d ms%n", millisSince(start));
    Reports.batch(o, batch);
    o.println();
    FactChanges changes = FactChanges.before(db.connection(), sql);
    o.println("Models built");
    Reports.built(o, runner.run(plan, db.connection()), plan, false);
    o.println();
    o.println("Rows the incremental build changed");
    for (FactChanges.Change c : changes.after()) {
      o.printf(
          Locale.ROOT, "  %s: %,d added, %,d changed, %,d removed (%,d rows now)%n",
          c.fact(), c.added(), c.changed(), c.removed(), c.rows());
    }
    o.println();
    report(o, db.connection(), sql, config);
    analyses(o, db, config);
    dataTests(o, db, config);
  }

  /**
   * Freshness and every data test, as {@code heap test} runs them, judged as of an hour after the
   * sample's newest event (the sample data lies in the past): the duplicates the sample syncs are caught
   * by the source tables' unique tests, while the facts stay unique.
   */
  private static void dataTests(PrintWriter o, Database db, HeapConfig config) throws SQLException {
    SqlRenderer names = new SqlRenderer(db.warehouse(), HeapProject.empty(config).plan());
    Warehouse w = db.warehouse();
    List<Object[]> newest =
        rows(db.connection(), "SELECT MAX(" + w.quote(config.catalog().table("all_events").column("time").physicalName()) + ") FROM " + names.sourceName("all_events"));
    // no events (--users 0): judged as of now, when every freshness check finds nothing recent
    Instant now =
        newest.get(0)[0] == null
            ? Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
            : ((LocalDateTime) newest.get(0)[0]).toInstant(ZoneOffset.UTC).plus(Duration.ofHours(1));
    List<TestResult> results =
        new DataTestRunner(w, Clock.fixed(now, ZoneOffset.UTC)).run(HeapProject.standard(config), db.connection());
    Map<TestResult.Status, Long> counts = new java.util.EnumMap<>(TestResult.Status.class);
    results.forEach(r -> counts.merge(r.status(), 1L, Long::sum));
    o.printf(
        Locale.ROOT, "Data tests and freshness (heap test), as of %s: %d pass, %d warn, %d fail%n",
        now, counts.getOrDefault(TestResult.Status.PASS, 0L), counts.getOrDefault(TestResult.Status.WARN, 0L),
        counts.getOrDefault(TestResult.Status.FAIL, 0L));
    List<TestResult> flagged = results.stream().filter(r -> r.status() != TestResult.Status.PASS).toList();
    if (!flagged.isEmpty()) {
      TestCommand.rows(o, flagged);
    }
    o.println();
  }

  /**
   * A funnel of the demo's funnel events, a position-based attribution, weekly retention and the paths
   * after the first funnel event, on the facts just built.
   */
  private void analyses(PrintWriter o, Database db, HeapConfig config) {
    AnalysisRunner analyses = new AnalysisRunner(db.warehouse(), config);
    Funnel.Builder funnel = Funnel.builder().steps(config.funnelEvents()).window(Duration.ofDays(7));
    o.println("Funnel: " + String.join(" -> ", config.funnelEvents()) + ", users, within 7 days");
    this.funnel = analyses.run(funnel.build(), db.connection());
    AnalysisReports.funnel(o, this.funnel);
    o.println();
    o.println("Attribution of " + String.join(", ", config.conversionEvents()) + ": position-based (40/20/40), 14-day lookback, by channel");
    attribution = analyses.run(Attribution.builder().model(AttributionModel.POSITION_BASED).build(), db.connection());
    AnalysisReports.attribution(o, attribution);
    o.println();
    retention = analyses.run(Retention.builder().period(Retention.Period.WEEK).periods(4).build(), db.connection());
    RetentionReport.table(o, retention);
    o.println();
    if (!config.funnelEvents().isEmpty()) {
      Paths after = Paths.builder().event(config.funnelEvents().get(0)).steps(3).top(5).exclude("pageviews").build();
      paths = analyses.run(after, db.connection());
      PathsReport.table(o, paths);
      o.println();
    }
  }

  private static void report(PrintWriter o, Connection c, SqlRenderer sql, HeapConfig config) throws SQLException {
    Warehouse w = sql.warehouse();
    List<Object[]> channels =
        rows(c, "SELECT * FROM " + sql.tableName(DemoModels.SESSIONS_PER_CHANNEL) + " ORDER BY " + w.quote("sessions") + " DESC, " + w.quote("channel"));
    long total = channels.stream().mapToLong(r -> ((Number) r[1]).longValue()).sum();
    o.println("Sessions per channel (model " + DemoModels.SESSIONS_PER_CHANNEL + ")");
    TextTable t = new TextTable("channel", "sessions", "share %", "converting");
    channels.forEach(r -> t.row(r[0], r[1], percent(r[1], total), r[2]));
    t.print(o);
    o.println();
    if (config.funnelEvents().isEmpty()) {
      return;
    }
    o.println("Sessions reaching each funnel step (model " + DemoModels.FUNNEL_STEP_SESSIONS + ")");
    TextTable f = new TextTable("step", "event", "sessions", "of all %");
    for (Object[] r : rows(c, "SELECT * FROM " + sql.tableName(DemoModels.FUNNEL_STEP_SESSIONS) + " ORDER BY " + w.quote("step"))) {
      f.row(r[0], r[1], r[2], percent(r[2], total));
    }
    f.print(o);
    o.println();
    if (!config.usersEnabled()) {
      return;
    }
    List<Object[]> initial =
        rows(c, "SELECT * FROM " + sql.tableName(DemoModels.USERS_PER_INITIAL_CHANNEL) + " ORDER BY " + w.quote("users") + " DESC, "
            + w.quote("initial_channel"));
    long users = initial.stream().mapToLong(r -> ((Number) r[1]).longValue()).sum();
    o.println("Users per channel of their first session (model " + DemoModels.USERS_PER_INITIAL_CHANNEL + ")");
    TextTable u = new TextTable("initial channel", "users", "share %", "converted", "converted %");
    initial.forEach(r -> u.row(r[0], r[1], percent(r[1], users), r[2], percent(r[2], ((Number) r[1]).longValue())));
    u.print(o);
    o.println();
  }

  private void writeSql(PrintWriter o, ProjectPlan plan) {
    long start = System.nanoTime();
    o.println(
        "Full-refresh SQL of " + plan.models().size() + " models, as " + out.resolve("<warehouse>").resolve("<model>.sql")
            + ", and the whole run as " + SqlFiles.RUN_FILE);
    for (Warehouse w : Warehouses.all()) {
      o.println("  " + out.resolve(w.name()) + "  (" + SqlFiles.write(plan, w, out).size() + " files)");
    }
    Path config = out.resolve("heap.yml");
    SqlFiles.writeText(config, CONFIG_YAML);
    o.printf(Locale.ROOT, "  %s  (the demo's config)%n", config);
    chart(o, "funnel.html", "the funnel", funnel == null ? null : AnalysisCharts.funnel(funnel));
    chart(o, "attribution.html", "the attribution", attribution == null ? null : AnalysisCharts.attribution(attribution));
    chart(o, "retention.html", "the retention", retention == null ? null : AnalysisCharts.retention(retention));
    chart(o, "paths.html", "the paths", paths == null ? null : AnalysisCharts.paths(paths));
    o.printf(Locale.ROOT, "written in %,d ms%n", millisSince(start));
  }

  private void chart(PrintWriter o, String name, String what, Report report) {
    if (report != null) {
      Path file = out.resolve(name);
      SqlFiles.writeText(file, report.html());
      o.println("  " + file + "  (" + what + " as charts: open it in a browser)");
    }
  }

  private static List<Object[]> rows(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      ResultSetMetaData md = rs.getMetaData();
      int n = md.getColumnCount();
      List<Object[]> rows = new ArrayList<>();
      while (rs.next()) {
        Object[] r = new Object[n];
        for (int i = 0; i < n; i++) {
          r[i] = JdbcValues.value(rs, md, i + 1);
        }
        rows.add(r);
      }
      return rows;
    }
  }

  private static Double percent(Object part, long total) {
    return total == 0 ? 0.0 : 100.0 * ((Number) part).longValue() / total;
  }

  private static long millisSince(long nanoStart) {
    return (System.nanoTime() - nanoStart) / 1_000_000;
  }
}
