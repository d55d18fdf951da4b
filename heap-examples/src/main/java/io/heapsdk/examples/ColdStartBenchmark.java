package io.heapsdk.examples;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Times {@code heap} from the shell's point of view: the wall-clock time of whole processes, start to
 * exit, for {@code heap compile --warehouse snowflake,bigquery,redshift} and for {@code heap --help}, run
 * as {@code java -jar heap.jar} and through the launcher {@code heap-examples/bin/heap} (its
 * class-data-sharing archive and its options for short commands), and one warehouse with {@code java
 * -jar}, what three separate runs each cost before.
 *
 * <pre>
 * mvn -B -q -pl heap-examples -am package -DskipTests
 * java -cp heap-examples/target/heap.jar io.heapsdk.examples.ColdStartBenchmark [runs] [--launcher PATH]
 * </pre>
 *
 * <p>The launcher's archive ({@code heap.jsa} next to the jar) is deleted first, so the first launcher
 * run makes it and is timed on its own ({@code first use}). Then {@code runs} rounds (default 7), each
 * running every variant once, interleaved, so that a change in the machine's load touches all of them
 * alike; the median, min and max per variant follow, and the ratios of the medians. The launcher's and
 * {@code java -jar}'s SQL are compared file by file. The load average is printed at start and end: the
 * machine is shared, compare runs at a similar one.
 */
public final class ColdStartBenchmark {
  private static final int DEFAULT_RUNS = 7;
  private static final String THREE = "snowflake,bigquery,redshift";

  private ColdStartBenchmark() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    List<String> own = new ArrayList<>(Arrays.asList(args));
    Path jar = Path.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator)[0]).toAbsolutePath();
    Path launcher = jar.getParent().resolve("../bin/heap").normalize();
    int at = own.indexOf("--launcher");
    if (at >= 0) {
      launcher = Path.of(own.get(at + 1)).toAbsolutePath();
      own.subList(at, at + 2).clear();
    }
    int runs = own.isEmpty() ? DEFAULT_RUNS : Integer.parseInt(own.get(0));
    if (!jar.toString().endsWith(".jar") || !Files.isExecutable(launcher)) {
      throw new IllegalArgumentException(
          "run with -cp heap-examples/target/heap.jar (got " + jar + ") and the launcher at " + launcher
              + " (or name it with --launcher PATH)");
    }
    run(new PrintWriter(System.out, true), jar, launcher, runs, args);
  }

  private static void run(PrintWriter out, Path jar, Path launcher, int runs, String[] args)
      throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path work = Files.createTempDirectory("heap-cold-start");
    Path plainOut = work.resolve("java-jar");
    Path launcherOut = work.resolve("launcher");
    Map<String, List<String>> variants = new LinkedHashMap<>();
    variants.put("java -jar: compile 3 warehouses", List.of(java, "-jar", jar.toString(), "compile", "--warehouse", THREE, "--out", plainOut.toString()));
    variants.put("launcher: compile 3 warehouses", List.of(launcher.toString(), "compile", "--warehouse", THREE, "--out", launcherOut.toString()));
    variants.put("java -jar: compile snowflake", List.of(java, "-jar", jar.toString(), "compile", "--warehouse", "snowflake", "--out", work.resolve("one").toString()));
    variants.put("java -jar: --help", List.of(java, "-jar", jar.toString(), "--help"));
    variants.put("launcher: --help", List.of(launcher.toString(), "--help"));

    out.printf(Locale.ROOT, "heap cold-start benchmark: %d interleaved rounds of %d commands, each a fresh process%n", runs, variants.size());
    out.printf(
        Locale.ROOT, "JVM %s (%s), %d CPUs; load average at start: %s%n", System.getProperty("java.version"), java,
        Runtime.getRuntime().availableProcessors(), loadAverage());
    out.println("jar: " + jar + "; launcher: " + launcher);
    out.println("command: " + BenchmarkCommand.of(ColdStartBenchmark.class, args));
    out.println();

    // the first use of the launcher: the training run that makes the archive, then the command
    Path archive = jar.resolveSibling(jar.getFileName().toString().replaceFirst("\\.jar$", ".jsa"));
    Files.deleteIfExists(archive);
    Files.deleteIfExists(archive.resolveSibling(archive.getFileName() + ".stamp"));
    double firstUse = time(variants.get("launcher: compile 3 warehouses"));
    out.printf(
        Locale.ROOT, "launcher's first use (makes %s, %s): %.0f ms%n%n", archive.getFileName(),
        Files.exists(archive) ? String.format(Locale.ROOT, "%.1f MB", Files.size(archive) / 1e6) : "NOT MADE", firstUse);

    Map<String, List<Double>> times = new LinkedHashMap<>();
    variants.keySet().forEach(v -> times.put(v, new ArrayList<>()));
    out.println(String.format(Locale.ROOT, "%-6s", "round") + header(variants.keySet()));
    for (int round = 1; round <= runs; round++) {
      StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-6d", round));
      for (Map.Entry<String, List<String>> v : variants.entrySet()) {
        double ms = time(v.getValue());
        times.get(v.getKey()).add(ms);
        row.append(String.format(Locale.ROOT, " %8.0f", ms));
      }
      out.println(row + "   load " + loadAverage());
    }
    out.println();
    out.printf(Locale.ROOT, "%-34s %8s %8s %8s%n", "ms", "median", "min", "max");
    Map<String, Double> medians = new LinkedHashMap<>();
    times.forEach(
        (v, l) -> {
          medians.put(v, median(l));
          out.printf(
              Locale.ROOT, "%-34s %8.0f %8.0f %8.0f%n", v, median(l), l.stream().min(Comparator.naturalOrder()).orElseThrow(),
              l.stream().max(Comparator.naturalOrder()).orElseThrow());
        });
    out.println();
    double plain = medians.get("java -jar: compile 3 warehouses");
    double fast = medians.get("launcher: compile 3 warehouses");
    out.printf(Locale.ROOT, "launcher / java -jar, compile 3 warehouses: %.2f%n", fast / plain);
    out.printf(
        Locale.ROOT, "compile 3 warehouses in one run / 3 runs of one warehouse (java -jar): %.2f%n",
        plain / (3 * medians.get("java -jar: compile snowflake")));
    out.printf(
        Locale.ROOT, "launcher / java -jar, --help: %.2f%n", medians.get("launcher: --help") / medians.get("java -jar: --help"));
    out.printf(Locale.ROOT, "target: compile 3 warehouses through the launcher <= 1000 ms: %s (median %.0f ms)%n", fast <= 1000 ? "met" : "NOT met", fast);
    boolean same = texts(plainOut).equals(texts(launcherOut)) && !texts(plainOut).isEmpty();
    out.println("the launcher's SQL files equal java -jar's: " + (same ? "yes" : "NO"));
    out.println("load average at end: " + loadAverage());
    delete(work);
    if (!same) {
      System.exit(1);
    }
  }

  private static String header(Iterable<String> variants) {
    StringBuilder b = new StringBuilder();
    int i = 1;
    for (String v : variants) {
      b.append(String.format(Locale.ROOT, " %8s", "(" + i++ + ")"));
    }
    i = 1;
    StringBuilder legend = new StringBuilder();
    for (String v : variants) {
      legend.append(String.format(Locale.ROOT, "%n  (%d) %s", i++, v));
    }
    return b + "   ms" + legend;
  }

  /** Runs a command to its end; its wall-clock time in milliseconds. Output is discarded, failure is fatal. */
  private static double time(List<String> command) throws IOException, InterruptedException {
    Path log = Files.createTempFile("heap-cold-start", ".log");
    try {
      long t = System.nanoTime();
      Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      int exit = p.waitFor();
      double ms = (System.nanoTime() - t) / 1e6;
      if (exit != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed (exit " + exit + "):\n" + Files.readString(log));
      }
      return ms;
    } finally {
      Files.deleteIfExists(log);
    }
  }

  /** Every file below a folder, by relative path, with its text. */
  private static Map<String, String> texts(Path dir) {
    Map<String, String> texts = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        texts.put(dir.relativize(p).toString(), Files.readString(p, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return texts;
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
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

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
