package io.heapsdk.examples;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.sample.SampleData;
import io.heapsdk.source.SourceCatalog;
import io.heapsdk.warehouse.Warehouse;
import io.heapsdk.warehouse.Warehouses;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Times loading the same sample data ({@link SampleData#load}: create the source tables, insert every
 * row, commit) into fresh in-memory H2 and DuckDB databases, and into PostgreSQL when given a URL, in one
 * run, so the engines' load paths compare on the same rows. Generating the rows alone is timed too: what
 * is left is the engine's share.
 *
 * <p>The DuckDB and PostgreSQL drivers are optional: put their jars on the class path. Run after
 * {@code mvn -B package -DskipTests}:
 *
 * <pre>
 * java -Xmx4g -cp heap-examples/target/heap.jar:$HOME/.m2/repository/org/duckdb/duckdb_jdbc/2.0.0.1/duckdb_jdbc-2.0.0.1.jar \
 *     io.heapsdk.examples.LoadBenchmark [users] [--repeats N] [--postgres jdbc:postgresql://host/db?user=…]
 * </pre>
 *
 * <p>Defaults: 20,000 users (about 185k {@code all_events} rows), 3 timed runs per engine after one
 * uncounted warm-up run on each; medians reported. The PostgreSQL database must be empty and is left
 * with the sample's schema dropped.
 */
public final class LoadBenchmark {
  private static final long SEED = 42;
  private static final HeapConfig CONFIG = SampleData.demoConfig();

  private LoadBenchmark() {}

  public static void main(String[] args) throws SQLException {
    int users = 20_000;
    int repeats = 3;
    String postgres = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--repeats":
          repeats = Integer.parseInt(args[++i]);
          break;
        case "--postgres":
          postgres = args[++i];
          break;
        default:
          users = Integer.parseInt(args[i].replace("_", "").replace(",", ""));
      }
    }
    Map<String, String> engines = new LinkedHashMap<>();
    engines.put("h2", null);
    engines.put("duckdb", null);
    if (postgres != null) {
      engines.put("postgres", postgres);
    }
    SampleData sample = SampleData.of(users, SEED);
    long[] events = new long[1];
    List<Long> generate = new ArrayList<>();
    for (int r = 0; r <= repeats; r++) {
      long start = System.nanoTime();
      events[0] = 0;
      sample.generate(CONFIG, (table, row) -> {
        if (table.equals(SourceCatalog.ALL_EVENTS)) {
          events[0]++;
        }
      });
      if (r > 0) {
        generate.add(millis(start));
      }
    }
    System.out.printf(Locale.ROOT, "%,d users, %,d all_events rows; %d timed runs per engine, medians%n", users, events[0], repeats);
    System.out.printf(Locale.ROOT, "%-10s %12s %14s %12s%n", "engine", "load (ms)", "rows / s", "vs h2");
    System.out.printf(Locale.ROOT, "%-10s %12s%n", "(generate)", String.format(Locale.ROOT, "%,d", median(generate)));
    long h2 = -1;
    for (Map.Entry<String, String> e : engines.entrySet()) {
      List<Long> times = new ArrayList<>();
      long rows = 0;
      for (int r = 0; r <= repeats; r++) {
        try (Connection c = open(e.getKey(), e.getValue())) {
          long start = System.nanoTime();
          Map<String, Long> counts = sample.load(c, warehouse(e.getKey()), CONFIG);
          long ms = millis(start);
          rows = counts.values().stream().mapToLong(Long::longValue).sum();
          if (r > 0) {
            times.add(ms);
          }
          if (e.getValue() != null) {
            try (Statement s = c.createStatement()) {
              s.execute("DROP SCHEMA " + warehouse(e.getKey()).quote(CONFIG.sourceSchema()) + " CASCADE");
            }
          }
        }
      }
      long median = median(times);
      if (e.getKey().equals("h2")) {
        h2 = median;
      }
      System.out.printf(
          Locale.ROOT, "%-10s %,12d %,14d %12.2f   (%,d rows in all tables; runs %s)%n",
          e.getKey(), median, rows * 1000 / Math.max(1, median), (double) median / h2, rows, times);
    }
  }

  private static Connection open(String engine, String url) throws SQLException {
    switch (engine) {
      case "h2":
        // closes with the connection: every run starts empty
        return DriverManager.getConnection("jdbc:h2:mem:load-" + UUID.randomUUID());
      case "duckdb":
        return DriverManager.getConnection("jdbc:duckdb:");
      default:
        return DriverManager.getConnection(url);
    }
  }

  private static Warehouse warehouse(String engine) {
    switch (engine) {
      case "h2":
        return Warehouses.H2;
      case "duckdb":
        return Warehouses.DUCKDB;
      default:
        return Warehouses.POSTGRES;
    }
  }

  private static long millis(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  private static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    sorted.sort(null);
    return sorted.get(sorted.size() / 2);
  }
}
