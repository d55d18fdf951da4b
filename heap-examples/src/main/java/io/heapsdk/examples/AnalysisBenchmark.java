package io.heapsdk.examples;

import io.heapsdk.analysis.Attribution;
import io.heapsdk.analysis.AttributionModel;
import io.heapsdk.analysis.AttributionResult;
import io.heapsdk.analysis.Funnel;
import io.heapsdk.analysis.FunnelResult;
import io.heapsdk.analysis.Paths;
import io.heapsdk.analysis.PathsResult;
import io.heapsdk.analysis.Retention;
import io.heapsdk.analysis.RetentionResult;
import io.heapsdk.cli.AnalysisReports;
import io.heapsdk.cli.PathsReport;
import io.heapsdk.cli.RetentionReport;
import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.model.TimeGrain;
import io.heapsdk.run.AnalysisRunner;
import io.heapsdk.run.JdbcRunner;
import io.heapsdk.run.RunResult;
import io.heapsdk.sample.SampleData;
import io.heapsdk.warehouse.Warehouses;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Times funnels (plain, with exclusions, as a weekly trend and as a time-to-convert histogram), an
 * attribution, retentions and paths on H2 over the facts built from generated sample data: about 1.6
 * million {@code all_events} rows with the default 173,000 users. Each analysis runs three times; the
 * median is reported with every run, after one untimed warm-up run. A third argument picks the
 * analyses, comma-separated ({@code funnel,attribution,retention,paths}; default all). A fourth is the
 * number of full builds of the facts before the analyses (default 1), all in this JVM, as a host
 * application that rebuilds its models between analyses runs them: whether the builds' leftovers in the
 * JVM slow the analyses down (BENCHMARKS.md, "Funnel and attribution": they did not, measured).
 *
 * <pre>
 * mvn -B -q package -DskipTests
 * java -Xmx12g -cp heap-examples/target/heap.jar io.heapsdk.examples.AnalysisBenchmark [users] [seed] [analyses] [builds]
 * </pre>
 */
public final class AnalysisBenchmark {
  /** About 9.3 all_events rows per sample user: 173,000 users give about 1.6 million rows. */
  static final int DEFAULT_USERS = 173_000;

  private static final int RUNS = 3;

  private AnalysisBenchmark() {}

  public static void main(String[] args) throws SQLException {
    int users = args.length > 0 ? Integer.parseInt(args[0]) : DEFAULT_USERS;
    long seed = args.length > 1 ? Long.parseLong(args[1]) : 42;
    run(new PrintWriter(System.out, true), users, seed, args);
  }

  static void run(PrintWriter out, int users, long seed, String[] args) throws SQLException {
    out.printf(
        Locale.ROOT,
        "heap analysis benchmark: %,d sample users (seed %d) on H2 in memory; JVM %s, max heap %,d MB, %d CPUs%n",
        users, seed, System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20,
        Runtime.getRuntime().availableProcessors());
    out.println("command: " + BenchmarkCommand.of(AnalysisBenchmark.class, args));
    HeapConfig config = SampleData.demoConfig();
    try (Connection db = DriverManager.getConnection("jdbc:h2:mem:analysis-benchmark;DB_CLOSE_DELAY=-1")) {
      long start = System.nanoTime();
      Map<String, Long> rows = SampleData.of(users, seed).load(db, Warehouses.H2, config);
      out.printf(Locale.ROOT, "sample data loaded in %s: %s%n", seconds(System.nanoTime() - start), rows);
      int builds = args.length > 3 ? Integer.parseInt(args[3]) : 1;
      for (int b = 0; b < builds; b++) {
        start = System.nanoTime();
        // the first build creates the facts, every later one is a full refresh of them
        RunResult built = new JdbcRunner(Warehouses.H2).run(HeapProject.standard(config).plan(), db, b > 0);
        out.printf(Locale.ROOT, "facts built in %s%s:", seconds(System.nanoTime() - start), builds > 1 ? " (build " + (b + 1) + " of " + builds + ")" : "");
        built.models().forEach(m -> out.printf(Locale.ROOT, " %s %,d rows (%s);", m.model(), m.rows(), seconds(m.elapsed().toNanos())));
        out.println();
      }

      AnalysisRunner runner = new AnalysisRunner(Warehouses.H2, config);
      List<String> analyses = List.of((args.length > 2 ? args[2] : "funnel,attribution,retention,paths").split(","));
      List<Runnable> reports = new ArrayList<>();
      if (analyses.contains("funnel")) {
        Funnel funnel =
            Funnel.builder()
                .steps(SampleData.FUNNEL_EVENTS)
                .breakdown("channel")
                .build();
        FunnelResult funnelResult = time(out, "funnel " + funnel, () -> runner.run(funnel, db));
        Funnel excluding = funnel.toBuilder().exclude("sign_up").exclude("search", 1, 2).build();
        FunnelResult excludingResult = time(out, "funnel " + excluding, () -> runner.run(excluding, db));
        var trend = excluding.toBuilder().breakdown("channel").build().trend(TimeGrain.WEEK);
        var trendResult = time(out, "trend " + trend, () -> runner.run(trend, db));
        var timeToConvert =
            Funnel.builder().steps(SampleData.FUNNEL_EVENTS).exclude("sign_up").exclude("search", 1, 2).build().timeToConvert(1, 4);
        var timeToConvertResult = time(out, "time to convert " + timeToConvert, () -> runner.run(timeToConvert, db));
        reports.add(() -> AnalysisReports.funnel(out, funnelResult));
        reports.add(() -> AnalysisReports.funnel(out, excludingResult));
        reports.add(
            () -> out.printf(Locale.ROOT, "trend: %d rows (breakdown value and week); time to convert: %,d units in %d bins%n",
                trendResult.rows().size(), timeToConvertResult.units(), timeToConvertResult.rows().size()));
      }
      if (analyses.contains("attribution")) {
        Attribution attribution = Attribution.builder().model(AttributionModel.POSITION_BASED).lookback(Duration.ofDays(30)).build();
        AttributionResult attributionResult = time(out, "attribution " + attribution, () -> runner.run(attribution, db));
        reports.add(() -> AnalysisReports.attribution(out, attributionResult));
      }
      if (analyses.contains("retention")) {
        for (Retention retention :
            List.of(
                Retention.builder().period(Retention.Period.WEEK).periods(4).breakdown("channel").build(),
                Retention.builder().startEvent("sign_up").returnEvent("view_product").periods(7).mode(Retention.Mode.ON_OR_AFTER).build())) {
          RetentionResult result = time(out, "retention " + retention, () -> runner.run(retention, db));
          reports.add(() -> RetentionReport.table(out, result));
        }
      }
      if (analyses.contains("paths")) {
        for (Paths paths :
            List.of(
                Paths.builder().event("view_product").steps(3).exclude("pageviews").build(),
                Paths.builder().event("/").steps(3).unit(Funnel.Unit.SESSION).source(Paths.Source.PAGEVIEWS).build())) {
          PathsResult result = time(out, "paths " + paths, () -> runner.run(paths, db));
          reports.add(() -> PathsReport.table(out, result));
        }
      }
      for (Runnable report : reports) {
        out.println();
        report.run();
      }
      try (Statement s = db.createStatement()) {
        s.execute("SHUTDOWN");
      }
    }
  }

  /** Runs {@code task} once untimed (JIT, H2's caches), then {@link #RUNS} times; prints every time and the median. */
  private static <T> T time(PrintWriter out, String what, Supplier<T> task) {
    task.get();
    List<Long> nanos = new ArrayList<>();
    List<String> runs = new ArrayList<>();
    T result = null;
    for (int i = 0; i < RUNS; i++) {
      long gc = BuildSpeedBenchmark.gcMillis();
      long start = System.nanoTime();
      result = task.get();
      nanos.add(System.nanoTime() - start);
      // the collector's share of the run: a full collection of the in-memory database takes seconds
      runs.add(seconds(nanos.get(i)) + String.format(Locale.ROOT, " (GC %.2f s)", (BuildSpeedBenchmark.gcMillis() - gc) / 1e3));
    }
    List<Long> sorted = new ArrayList<>(nanos);
    sorted.sort(null);
    out.printf(Locale.ROOT, "%s%n  runs %s, median %s%n", what, String.join(", ", runs), seconds(sorted.get(RUNS / 2)));
    return result;
  }

  private static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
  }

}
