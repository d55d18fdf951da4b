package io.heapsdk.examples;

import io.heapsdk.analysis.Attribution;
import io.heapsdk.analysis.Funnel;
import io.heapsdk.config.HeapConfig;
import io.heapsdk.run.AnalysisRunner;
import io.heapsdk.warehouse.Warehouse;
import io.heapsdk.warehouse.Warehouses;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Times the first use of the library in a fresh JVM, as a host application's first request pays it:
 * build a config, then plan and render one funnel (3 steps, broken down by channel) for BigQuery and
 * then Snowflake with {@link AnalysisRunner#sql(Funnel)}; then the steady state, the median of further
 * BigQuery + Snowflake pairs in the same JVM.
 *
 * <p>Every run is a child JVM started with this JVM's {@code java} and class path and no options of its
 * own (add some after {@code --}), so nothing is loaded or compiled before the first call. The parent
 * prints each run, then the median, min and max over the runs.
 *
 * <pre>
 * mvn -B -q -pl heap-examples -am package -DskipTests
 * java -cp heap-examples/target/heap.jar io.heapsdk.examples.FirstRenderBenchmark [runs] [pairs] [--warm-up] [-- child JVM options]
 * </pre>
 *
 * <p>Timed in each child, in milliseconds: {@code launch} (from the parent starting the process to the
 * child's {@code main}: JVM start-up), {@code config} ({@code HeapConfig.builder()…build()}), {@code
 * first_bq} and {@code first_sf} (funnel built, runner created, SQL rendered), {@code first_use} (config
 * and the first pair: what a host pays from its first call into the library), the CPU time used by then
 * by the main thread and by the whole JVM ({@code cpu_main}, {@code cpu_jvm}; JVM start-up, JIT
 * compilers and garbage collector included: a busy machine stretches the wall-clock times, not these),
 * {@code second} (the second pair) and {@code steady} (median of {@code pairs} further pairs).
 *
 * <p>With {@code --warm-up}, each child first renders something else, an attribution for H2, timed as
 * {@code warm_up}: what a host gains by rendering once at start-up, before its first request.
 *
 * <p>The jar is one class path; to measure as a host sees the library, from the separate dependency
 * jars, run this class with that class path instead (e.g. from {@code mvn dependency:build-classpath}).
 */
public final class FirstRenderBenchmark {
  private static final int DEFAULT_RUNS = 7;
  private static final int DEFAULT_PAIRS = 50;
  private static final String CHILD = "--child";
  private static final String WARM_UP = "--warm-up";
  private static final String RESULT = "first-render-result ";

  /** The measures a child reports, in the order printed. */
  private static final List<String> MEASURES =
      List.of(
          "launch", "config", "warm_up", "first_bq", "first_sf", "first_use", "cpu_main", "cpu_jvm", "second", "steady",
          "classes");

  private FirstRenderBenchmark() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    if (args.length > 0 && args[0].equals(CHILD)) {
      child(Long.parseLong(args[1]), Integer.parseInt(args[2]), Boolean.parseBoolean(args[3]));
      return;
    }
    int dashes = Arrays.asList(args).indexOf("--");
    List<String> own = new ArrayList<>(Arrays.asList(args).subList(0, dashes < 0 ? args.length : dashes));
    List<String> jvmOptions = dashes < 0 ? List.of() : Arrays.asList(args).subList(dashes + 1, args.length);
    boolean warmUp = own.remove(WARM_UP);
    int runs = own.size() > 0 ? Integer.parseInt(own.get(0)) : DEFAULT_RUNS;
    int pairs = own.size() > 1 ? Integer.parseInt(own.get(1)) : DEFAULT_PAIRS;
    parent(new PrintWriter(System.out, true), runs, pairs, warmUp, jvmOptions, args);
  }

  private static void parent(
      PrintWriter out, int runs, int pairs, boolean warmUp, List<String> jvmOptions, String[] args)
      throws IOException, InterruptedException {
    out.printf(
        Locale.ROOT,
        "heap first-render benchmark: %d fresh JVMs, each %sthe first funnel (3 steps, by channel) for BigQuery then Snowflake, then %d more pairs%n",
        runs, warmUp ? "a warm-up (an attribution for H2), then " : "", pairs);
    out.printf(
        Locale.ROOT,
        "JVM %s, %d CPUs; child JVM options: %s; load average at start: %s%n",
        System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
        jvmOptions.isEmpty() ? "(none)" : String.join(" ", jvmOptions), loadAverage());
    out.println("command: " + BenchmarkCommand.of(FirstRenderBenchmark.class, args));
    out.println();
    Map<String, List<Double>> all = new LinkedHashMap<>();
    MEASURES.forEach(m -> all.put(m, new ArrayList<>()));
    out.println(row("run", MEASURES));
    for (int run = 1; run <= runs; run++) {
      Map<String, Double> r = runChild(jvmOptions, pairs, warmUp);
      List<String> cells = new ArrayList<>();
      for (String m : MEASURES) {
        all.get(m).add(r.get(m));
        cells.add(number(r.get(m)));
      }
      out.println(row(Integer.toString(run), cells));
    }
    out.println();
    out.println(row("ms", MEASURES));
    out.println(summary("median", all, FirstRenderBenchmark::median));
    out.println(summary("min", all, l -> l.stream().mapToDouble(Double::doubleValue).min().orElseThrow()));
    out.println(summary("max", all, l -> l.stream().mapToDouble(Double::doubleValue).max().orElseThrow()));
    out.println();
    out.println("load average at end: " + loadAverage());
  }

  private static String row(String first, List<String> cells) {
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-6s", first));
    cells.forEach(c -> b.append(String.format(Locale.ROOT, " %9s", c)));
    return b.toString();
  }

  private static String summary(String what, Map<String, List<Double>> all, ToDoubleFunction<List<Double>> f) {
    List<String> cells = new ArrayList<>();
    all.values().forEach(l -> cells.add(number(f.applyAsDouble(l))));
    return row(what, cells);
  }

  private static String number(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, v < 100 ? "%.1f" : "%.0f", v);
  }

  /** Starts one child JVM and reads the line of measures it prints. */
  private static Map<String, Double> runChild(List<String> jvmOptions, int pairs, boolean warmUp)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOptions);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(FirstRenderBenchmark.class.getName());
    cmd.add(CHILD);
    cmd.add(Long.toString(System.currentTimeMillis())); // when it was launched
    cmd.add(Integer.toString(pairs));
    cmd.add(Boolean.toString(warmUp));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    Map<String, Double> result = null;
    List<String> other = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (line.startsWith(RESULT)) {
          result = new LinkedHashMap<>();
          for (String kv : line.substring(RESULT.length()).trim().split(" ")) {
            String[] parts = kv.split("=");
            result.put(parts[0], Double.parseDouble(parts[1]));
          }
        } else {
          other.add(line);
        }
      }
    }
    int exit = p.waitFor();
    if (exit != 0 || result == null) {
      throw new IllegalStateException("child JVM failed (exit " + exit + "):\n" + String.join("\n", other));
    }
    return result;
  }

  /**
   * One fresh JVM's measures, printed as one line for the parent. Nothing is printed or formatted
   * before the first pair is done: formatting would load classes the library does not need.
   */
  private static void child(long launchedMillis, int pairs, boolean warmUp) {
    double launch = System.currentTimeMillis() - launchedMillis;

    long t = System.nanoTime();
    HeapConfig config =
        HeapConfig.builder()
            .funnelEvents(List.of("view_product", "add_to_cart", "begin_checkout", "purchase"))
            .conversionEvents(List.of("purchase", "sign_up"))
            .ownDomain("example.com")
            .build();
    double configMs = millis(System.nanoTime() - t);

    double warmUpMs = Double.NaN;
    if (warmUp) {
      t = System.nanoTime();
      new AnalysisRunner(Warehouses.H2, config).sql(Attribution.builder().build());
      warmUpMs = millis(System.nanoTime() - t);
    }

    t = System.nanoTime();
    String bigQuery = render(config, Warehouses.BIGQUERY);
    double firstBigQuery = millis(System.nanoTime() - t);
    t = System.nanoTime();
    String snowflake = render(config, Warehouses.SNOWFLAKE);
    double firstSnowflake = millis(System.nanoTime() - t);
    double cpuMain = cpuMillis("/proc/thread-self/stat");
    double cpuJvm = cpuMillis("/proc/self/stat");
    long classes = ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount();

    t = System.nanoTime();
    renderPair(config, bigQuery, snowflake);
    double second = millis(System.nanoTime() - t);

    List<Double> steady = new ArrayList<>();
    for (int i = 0; i < pairs; i++) {
      t = System.nanoTime();
      renderPair(config, bigQuery, snowflake);
      steady.add(millis(System.nanoTime() - t));
    }
    System.out.printf(
        Locale.ROOT,
        RESULT
            + "launch=%.1f config=%.2f warm_up=%.2f first_bq=%.2f first_sf=%.2f first_use=%.2f cpu_main=%.0f"
            + " cpu_jvm=%.0f second=%.2f steady=%.2f classes=%d%n",
        launch, configMs, warmUpMs, firstBigQuery, firstSnowflake, configMs + firstBigQuery + firstSnowflake,
        cpuMain, cpuJvm, second, pairs == 0 ? Double.NaN : median(steady), classes);
  }

  /** What a host's request does: build the funnel, make a runner, render. */
  private static String render(HeapConfig config, Warehouse warehouse) {
    Funnel funnel =
        Funnel.builder()
            .steps(List.of("view_product", "add_to_cart", "purchase"))
            .breakdown("channel")
            .build();
    return new AnalysisRunner(warehouse, config).sql(funnel);
  }

  private static void renderPair(HeapConfig config, String bigQuery, String snowflake) {
    // compared, so the work cannot be skipped and a render that changes between calls is caught
    if (!render(config, Warehouses.BIGQUERY).equals(bigQuery) || !render(config, Warehouses.SNOWFLAKE).equals(snowflake)) {
      throw new IllegalStateException("a later render differs from the first");
    }
  }

  /**
   * CPU time used so far (user + system) by the calling thread or by the whole JVM, read from Linux's
   * {@code /proc} so that nothing is loaded for it; NaN elsewhere. In 10 ms clock ticks.
   */
  private static double cpuMillis(String statFile) {
    try {
      String stat = Files.readString(Path.of(statFile));
      // the fields after the command name, which is in parentheses and may hold spaces
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10.0; // utime, stime (fields 14, 15)
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /** The 1-, 5- and 15-minute load averages (Linux), to judge how busy the machine was. */
  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  private static double millis(long nanos) {
    return nanos / 1e6;
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.removeIf(v -> Double.isNaN(v));
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    sorted.sort(null);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

}
