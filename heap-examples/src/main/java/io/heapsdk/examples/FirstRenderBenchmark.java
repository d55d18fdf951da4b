package io.heapsdk.examples;

import io.heapsdk.analysis.Funnel;
import io.heapsdk.config.HeapConfig;
import io.heapsdk.run.AnalysisRunner;
import io.heapsdk.warehouse.Warehouses;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Times the first use of the library in a fresh JVM, as a host application's first request pays it:
 * build a config, then plan and render one funnel (3 steps, broken down by channel) for BigQuery and
 * then Snowflake with {@link AnalysisRunner#sql(Funnel)}; then the steady state, the median of further
 * BigQuery + Snowflake pairs in the same JVM.
 *
 * <p>Every run is a child JVM started with this JVM's {@code java} and class path and no options of its
 * own (add some after {@code --}), so nothing is loaded or compiled before the first call. The parent
 * prints each run and the median, min and max over the runs.
 *
 * <pre>
 * mvn -B -q -pl heap-examples -am package -DskipTests
 * java -cp heap-examples/target/heap.jar io.heapsdk.examples.FirstRenderBenchmark [runs] [pairs] [-- child JVM options]
 * </pre>
 *
 * <p>Timed, in each child: <em>launch to main</em> (from the parent starting the process to the child's
 * {@code main}: JVM start-up), <em>config</em> ({@code HeapConfig.builder()…build()}), <em>first
 * BigQuery</em> and <em>first Snowflake</em> (funnel built, runner created, SQL rendered), <em>first
 * use</em> (from {@code main} to the end of both renders: what the first request pays), the CPU time
 * used by then by the main thread and by the whole JVM (<em>cpu_main</em>, <em>cpu_process</em>, JVM
 * start-up included: a shared machine stretches the wall-clock times, not these), <em>second pair</em>,
 * and <em>steady pair</em> (median of {@code pairs} further pairs).
 */
public final class FirstRenderBenchmark {
  private static final int DEFAULT_RUNS = 7;
  private static final int DEFAULT_PAIRS = 50;
  private static final String CHILD = "--child";
  private static final String RESULT = "first-render-result ";

  /** The measures a child reports, in the order printed. */
  private static final List<String> MEASURES =
      List.of(
          "launch_to_main", "config", "first_bigquery", "first_snowflake", "first_use", "cpu_main", "cpu_process",
          "second_pair", "steady_pair");

  private FirstRenderBenchmark() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    if (args.length > 0 && args[0].equals(CHILD)) {
      child(Long.parseLong(args[1]), Integer.parseInt(args[2]));
      return;
    }
    int dashes = Arrays.asList(args).indexOf("--");
    List<String> own = Arrays.asList(args).subList(0, dashes < 0 ? args.length : dashes);
    List<String> jvmOptions = dashes < 0 ? List.of() : Arrays.asList(args).subList(dashes + 1, args.length);
    int runs = own.size() > 0 ? Integer.parseInt(own.get(0)) : DEFAULT_RUNS;
    int pairs = own.size() > 1 ? Integer.parseInt(own.get(1)) : DEFAULT_PAIRS;
    parent(new PrintWriter(System.out, true), runs, pairs, jvmOptions, args);
  }

  private static void parent(PrintWriter out, int runs, int pairs, List<String> jvmOptions, String[] args)
      throws IOException, InterruptedException {
    out.printf(
        Locale.ROOT,
        "heap first-render benchmark: %d fresh JVMs, each the first funnel (3 steps, by channel) for BigQuery then Snowflake, then %d more pairs%n",
        runs, pairs);
    out.printf(
        Locale.ROOT,
        "JVM %s, %d CPUs; child JVM options: %s%n",
        System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), jvmOptions.isEmpty() ? "(none)" : String.join(" ", jvmOptions));
    out.println("command: " + command(args));
    out.println();
    Map<String, List<Double>> all = new LinkedHashMap<>();
    MEASURES.forEach(m -> all.put(m, new ArrayList<>()));
    List<Double> classes = new ArrayList<>();
    out.printf(Locale.ROOT, "%-4s %s %8s%n", "run", header(), "classes");
    for (int run = 1; run <= runs; run++) {
      Map<String, Double> r = runChild(jvmOptions, pairs);
      MEASURES.forEach(m -> all.get(m).add(r.get(m)));
      classes.add(r.get("classes"));
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-4d", run));
      MEASURES.forEach(m -> line.append(String.format(Locale.ROOT, " %14.1f", r.get(m))));
      out.printf(Locale.ROOT, "%s %8.0f%n", line, r.get("classes"));
    }
    out.println();
    out.printf(Locale.ROOT, "%-6s %s %8s%n", "ms", header(), "classes");
    out.println(summary("median", all, classes, FirstRenderBenchmark::median));
    out.println(summary("min", all, classes, l -> l.stream().mapToDouble(Double::doubleValue).min().orElseThrow()));
    out.println(summary("max", all, classes, l -> l.stream().mapToDouble(Double::doubleValue).max().orElseThrow()));
  }

  private static String header() {
    StringBuilder b = new StringBuilder();
    MEASURES.forEach(m -> b.append(String.format(Locale.ROOT, " %14s", m)));
    return b.substring(1);
  }

  private static String summary(
      String what, Map<String, List<Double>> all, List<Double> classes, java.util.function.ToDoubleFunction<List<Double>> f) {
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-6s", what));
    all.values().forEach(l -> b.append(String.format(Locale.ROOT, " %14.1f", f.applyAsDouble(l))));
    return b.append(String.format(Locale.ROOT, " %8.0f", f.applyAsDouble(classes))).toString();
  }

  /** Starts one child JVM and reads the line of measures it prints. */
  private static Map<String, Double> runChild(List<String> jvmOptions, int pairs) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOptions);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(FirstRenderBenchmark.class.getName());
    cmd.add(CHILD);
    cmd.add(Integer.toString(pairs));
    cmd.add(cmd.size() - 1, Long.toString(System.currentTimeMillis())); // the launch time
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

  /** One fresh JVM's measures, printed as one line for the parent. */
  private static void child(long launchedMillis, int pairs) {
    long mainNanos = System.nanoTime();
    double launchToMain = System.currentTimeMillis() - launchedMillis;

    long t = System.nanoTime();
    HeapConfig config =
        HeapConfig.builder()
            .funnelEvents(List.of("view_product", "add_to_cart", "begin_checkout", "purchase"))
            .conversionEvents(List.of("purchase", "sign_up"))
            .ownDomain("example.com")
            .build();
    double configMs = millis(System.nanoTime() - t);

    t = System.nanoTime();
    String bigQuery = render(config, Warehouses.BIGQUERY);
    double firstBigQuery = millis(System.nanoTime() - t);
    t = System.nanoTime();
    String snowflake = render(config, Warehouses.SNOWFLAKE);
    double firstSnowflake = millis(System.nanoTime() - t);
    double firstUse = millis(System.nanoTime() - mainNanos);
    double cpuMain = cpuMillis("/proc/thread-self/stat");
    double cpuProcess = cpuMillis("/proc/self/stat");
    long classes = ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount();

    t = System.nanoTime();
    renderPair(config, bigQuery, snowflake);
    double second = millis(System.nanoTime() - t);

    double[] steady = new double[pairs];
    for (int i = 0; i < pairs; i++) {
      t = System.nanoTime();
      renderPair(config, bigQuery, snowflake);
      steady[i] = millis(System.nanoTime() - t);
    }
    Arrays.sort(steady);
    double steadyMedian = pairs == 0 ? Double.NaN : median(Arrays.stream(steady).boxed().toList());
    System.out.printf(
        Locale.ROOT,
        RESULT
            + "launch_to_main=%.1f config=%.1f first_bigquery=%.1f first_snowflake=%.1f first_use=%.1f cpu_main=%.0f"
            + " cpu_process=%.0f second_pair=%.1f steady_pair=%.2f classes=%d%n",
        launchToMain, configMs, firstBigQuery, firstSnowflake, firstUse, cpuMain, cpuProcess, second, steadyMedian, classes);
  }

  /** What a host's request does: build the funnel, make a runner, render. */
  private static String render(HeapConfig config, io.heapsdk.warehouse.Warehouse warehouse) {
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
   * CPU time used so far (user + system) by the main thread or by the whole JVM (JIT compilers and
   * garbage collector included), read from Linux's {@code /proc} so that nothing is loaded for it; NaN
   * elsewhere. In 10 ms clock ticks. On a busy machine the wall-clock times grow, these do not.
   */
  private static double cpuMillis(String statFile) {
    try {
      String stat = java.nio.file.Files.readString(Path.of(statFile));
      // the fields after the command name, which is in parentheses and may hold spaces
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10.0; // utime, stime (fields 14, 15)
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  private static double millis(long nanos) {
    return nanos / 1e6;
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static String command(String[] args) {
    List<String> parts = new ArrayList<>();
    parts.add("java");
    parts.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    parts.add("-cp");
    parts.add(System.getProperty("java.class.path"));
    parts.add(FirstRenderBenchmark.class.getName());
    parts.addAll(List.of(args));
    return String.join(" ", parts);
  }
}
