package io.heapsdk.examples;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.model.ProjectPlan;
import io.heapsdk.run.JdbcRunner;
import io.heapsdk.run.RunResult;
import io.heapsdk.sample.BatchShape;
import io.heapsdk.sample.LaterBatch;
import io.heapsdk.sample.SampleData;
import io.heapsdk.source.SourceCatalog;
import io.heapsdk.warehouse.BuildPlan;
import io.heapsdk.warehouse.SourcePrints;
import io.heapsdk.warehouse.SqlRenderer;
import io.heapsdk.warehouse.Warehouses;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Times a full build against an incremental run of the standard models on in-memory H2, for sample
 * data of growing size, to show that an incremental run costs a fraction of a full one and how both
 * grow with the data.
 *
 * <p>Per size (about 100k, 400k and 1.6M {@code all_events} rows by default), on a fresh database each
 * time: load the first batch of {@link SampleData}, time a full build ({@code JdbcRunner}, full
 * refresh), load a later batch of about 1% new events touching about 5% of the users
 * ({@link BatchShape#sized sized(0.01, 0.05)}), and time the incremental run. Each size is measured up
 * to three times and the medians are reported, fewer times when the time budget (10 minutes for the
 * whole program) would not allow it; a small warm-up run comes first, uncounted, so that JIT
 * compilation does not land in the first size's numbers. Per model, the table after the summary shows
 * where the time goes.
 *
 * <p>The cost of {@code incremental.reconcile}: before the later batch, the sources' per-user
 * fingerprints are recorded (timed on their own: the scan a reconciling run adds), and after the plain
 * incremental run a reconciling one is timed. The fingerprints find exactly the batch's users again, so
 * it recomputes the same users as the plain run did, plus the fingerprint scan and comparison. Run
 * after {@code mvn -B package -DskipTests}:
 *
 * <pre>
 * java -Xmx8g -cp heap-examples/target/heap.jar io.heapsdk.examples.IncrementalBenchmark
 * java -Xmx8g -cp heap-examples/target/heap.jar io.heapsdk.examples.IncrementalBenchmark 50k 200k --repeats 1
 * </pre>
 *
 * <p>Arguments: sizes in {@code all_events} rows ({@code 100000}, {@code 100k}, {@code 1.6M});
 * {@code --repeats N} (default 3); {@code --budget-minutes M} (default 10). The largest default size
 * needs a few GB of heap: H2 keeps the database in memory.
 */
public final class IncrementalBenchmark {
  private static final List<Long> DEFAULT_SIZES = List.of(100_000L, 400_000L, 1_600_000L);
  private static final long SEED = 42;
  private static final long WARM_UP_EVENTS = 50_000;
  private static final int WARM_UP_RUNS = 2;
  private static final double LATER_BATCH_USERS = 0.05;
  private static final BatchShape LATER_BATCH = BatchShape.sized(0.01, LATER_BATCH_USERS);
  private static final HeapConfig CONFIG = SampleData.demoConfig();
  private static final ProjectPlan RECONCILING =
      HeapProject.standard(HeapConfig.builder().from(CONFIG).reconcile(true).build()).plan();

  private IncrementalBenchmark() {}

  /** One measurement on a fresh database; {@code activeUsers} is -1 when not counted. */
  record Run(
      long events,
      int users,
      long loadMillis,
      long fullMillis,
      long fullGcMillis,
      long incrementalMillis,
      long incrementalGcMillis,
      long activeUsers,
      LaterBatch.Summary batch,
      RunResult full,
      RunResult incremental,
      long printsMillis,
      long reconcileMillis) {}

  public static void main(String[] args) throws SQLException {
    // the runner's per-model progress lines would bury the table; the program prints its own
    if (System.getProperty("org.slf4j.simpleLogger.log.io.heapsdk") == null) {
      System.setProperty("org.slf4j.simpleLogger.log.io.heapsdk", "warn");
    }
    List<Long> sizes = new ArrayList<>();
    int repeats = 3;
    Duration budget = Duration.ofMinutes(10);
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--repeats" -> repeats = Integer.parseInt(args[++i]);
        case "--budget-minutes" -> budget = Duration.ofMinutes(Long.parseLong(args[++i]));
        default -> sizes.add(size(args[i]));
      }
    }
    run(System.out, sizes.isEmpty() ? DEFAULT_SIZES : sizes, repeats, budget);
  }

  static void run(PrintStream out, List<Long> sizes, int repeats, Duration budget) throws SQLException {
    long started = System.nanoTime();
    Runtime rt = Runtime.getRuntime();
    out.printf(
        Locale.ROOT, "Incremental vs full build, standard models on in-memory H2 %s%n",
        org.h2.engine.Constants.FULL_VERSION);
    out.printf(
        Locale.ROOT, "JVM %s %s (%s), %d cores, max heap %,d MB%n", System.getProperty("java.vm.name"),
        Runtime.version(), System.getProperty("os.arch"), rt.availableProcessors(), rt.maxMemory() / (1024 * 1024));
    double eventsPerUser = eventsPerUser();
    out.printf(
        Locale.ROOT,
        "later batch: about %.0f%% new all_events rows touching about %.0f%% of the users; %.2f all_events rows per"
            + " sample user%n%n",
        100 * LATER_BATCH.newEvents().orElseThrow(), 100 * LATER_BATCH_USERS, eventsPerUser);

    // JIT compilation of Calcite, H2 and the runner would otherwise land in the first size's numbers
    for (int i = 0; i < WARM_UP_RUNS; i++) {
      Run warmUp = measure((int) Math.round(WARM_UP_EVENTS / eventsPerUser), false);
      out.printf(
          Locale.ROOT, "  warm-up on %,d events: full %,d ms, incremental %,d ms (not counted)%n",
          warmUp.events(), warmUp.fullMillis(), warmUp.incrementalMillis());
    }

    Map<Long, List<Run>> results = new LinkedHashMap<>();
    for (int s = 0; s < sizes.size(); s++) {
      long size = sizes.get(s);
      int users = (int) Math.round(size / eventsPerUser);
      List<Run> runs = new ArrayList<>();
      for (int r = 0; r < repeats; r++) {
        Run run = measure(users, r == 0);
        runs.add(run);
        out.printf(
            Locale.ROOT,
            "  %,d events, run %d: load %,d ms, full %,d ms, incremental %,d ms, reconciling %,d ms (batch: %,d new"
                + " events, %,d users touched%s)%n",
            run.events(), r + 1, run.loadMillis(), run.fullMillis(), run.incrementalMillis(), run.reconcileMillis(),
            run.batch().rows().get(SourceCatalog.ALL_EVENTS), run.batch().touchedUsers(),
            run.activeUsers() < 0 ? "" : String.format(Locale.ROOT, ", %,d active users", run.activeUsers()));
        // a repeat of this size must fit the budget after leaving room for one run of each size left
        long spent = System.nanoTime() - started;
        long oneRun = runs.get(0).loadMillis() + run.fullMillis() + run.incrementalMillis() + run.reconcileMillis();
        long stillNeeded = estimateRest(sizes, s, size, oneRun);
        if (Duration.ofNanos(spent).plusMillis(oneRun + stillNeeded).compareTo(budget) > 0) {
          break;
        }
      }
      results.put(size, runs);
    }
    out.println();
    table(out, results);
    out.println();
    breakdown(out, results);
    out.printf(Locale.ROOT, "%nwhole program: %,d s%n", Duration.ofNanos(System.nanoTime() - started).toSeconds());
  }

  /** One fresh database: first batch, full build, later batch, incremental run. */
  private static Run measure(int users, boolean countActive) throws SQLException {
    String url = "jdbc:h2:mem:heap-bench-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1";
    ProjectPlan plan = HeapProject.standard(CONFIG).plan();
    JdbcRunner runner = new JdbcRunner(Warehouses.H2);
    SampleData first = SampleData.of(users, SEED);
    try (Connection c = DriverManager.getConnection(url)) {
      try {
        long t = System.nanoTime();
        Map<String, Long> loaded = first.load(c, Warehouses.H2, CONFIG);
        long load = millisSince(t);
        long gc = gcMillis();
        t = System.nanoTime();
        RunResult full = runner.run(plan, c, true);
        long fullMillis = millisSince(t);
        long fullGc = gcMillis() - gc;
        long printsMillis = recordFingerprints(c);
        LaterBatch.Summary batch = first.nextBatch(LATER_BATCH).insert(c, Warehouses.H2, CONFIG);
        // outside the timing: how many users the incremental run is about to recompute
        long active = countActive ? countActiveUsers(c, plan) : -1;
        gc = gcMillis();
        t = System.nanoTime();
        RunResult incremental = runner.run(plan, c, false);
        long incMillis = millisSince(t);
        long incGc = gcMillis() - gc;
        if (incremental.mode() != BuildPlan.Mode.INCREMENTAL) {
          throw new IllegalStateException("the second run was not incremental: " + incremental.mode());
        }
        t = System.nanoTime();
        RunResult reconciled = runner.run(RECONCILING, c, false);
        long reconcileMillis = millisSince(t);
        if (reconciled.mode() != BuildPlan.Mode.INCREMENTAL) {
          throw new IllegalStateException("the reconciling run was not incremental: " + reconciled.mode());
        }
        return new Run(
            loaded.get(SourceCatalog.ALL_EVENTS), users, load, fullMillis, fullGc, incMillis, incGc, active, batch, full,
            incremental, printsMillis, reconcileMillis);
      } finally {
        try (Statement s = c.createStatement()) {
          // frees the in-memory database now, not when the JVM ends
          s.execute("SHUTDOWN");
        }
      }
    }
  }

  private static void table(PrintStream out, Map<Long, List<Run>> results) {
    out.println(
        "size (all_events rows)     users  runs  full build ms (median)  incremental ms (median)  ratio  full ms per 1k events"
            + "  fingerprints ms  reconciling ms  reconciling / incremental  reconciling / full");
    for (List<Run> runs : results.values()) {
      Run r = runs.get(0);
      long full = median(runs.stream().map(Run::fullMillis).toList());
      long inc = median(runs.stream().map(Run::incrementalMillis).toList());
      long prints = median(runs.stream().map(Run::printsMillis).toList());
      long rec = median(runs.stream().map(Run::reconcileMillis).toList());
      out.printf(
          Locale.ROOT, "%22s  %8s  %4d  %22s  %23s  %5.3f  %21.1f  %15s  %14s  %25.2f  %18.3f%n",
          String.format(Locale.ROOT, "%,d", r.events()),
          String.format(Locale.ROOT, "%,d", r.users()), runs.size(), String.format(Locale.ROOT, "%,d", full),
          String.format(Locale.ROOT, "%,d", inc), (double) inc / full, full / (r.events() / 1000.0),
          String.format(Locale.ROOT, "%,d", prints), String.format(Locale.ROOT, "%,d", rec), (double) rec / inc,
          (double) rec / full);
    }
  }

  /** Where the time goes, per model, in the median run (by incremental time) of each size. */
  private static void breakdown(PrintStream out, Map<Long, List<Run>> results) {
    out.println(
        "where the time goes (ms, in the run with the median incremental time; \"other\": outside the facts' own steps,"
            + " i.e. the heap__active_users working table, schema setup, cleanup and row counts)");
    for (List<Run> runs : results.values()) {
      List<Run> sorted = new ArrayList<>(runs);
      sorted.sort((a, b) -> Long.compare(a.incrementalMillis(), b.incrementalMillis()));
      Run r = sorted.get(sorted.size() / 2);
      out.printf(
          Locale.ROOT, "  %,d events: batch %,d new all_events rows (%.2f%%), %,d users touched (%.1f%%), %,d active users%n",
          r.events(), r.batch().rows().get(SourceCatalog.ALL_EVENTS), 100 * r.batch().newEventShare(),
          r.batch().touchedUsers(), 100 * r.batch().touchedShare(), runs.get(0).activeUsers());
      out.printf(Locale.ROOT, "    %-36s %12s %12s%n", "model", "full", "incremental");
      long fullModels = 0;
      long incModels = 0;
      for (RunResult.ModelResult m : r.full().models()) {
        long inc = r.incremental().model(m.model()).elapsed().toMillis();
        out.printf(Locale.ROOT, "    %-36s %,12d %,12d%n", m.model(), m.elapsed().toMillis(), inc);
        fullModels += m.elapsed().toMillis();
        incModels += inc;
      }
      out.printf(Locale.ROOT, "    %-36s %,12d %,12d%n", "other", r.fullMillis() - fullModels, r.incrementalMillis() - incModels);
      out.printf(Locale.ROOT, "    %-36s %,12d %,12d%n", "total", r.fullMillis(), r.incrementalMillis());
      // the database lives on the Java heap: its rows are what the collector copies
      out.printf(Locale.ROOT, "    %-36s %,12d %,12d%n", "of the total, garbage collection", r.fullGcMillis(), r.incrementalGcMillis());
    }
  }

  /**
   * Records the sources' fingerprints as a reconciling full build would; returns the milliseconds of
   * computing them (the part every reconciling run repeats).
   */
  private static long recordFingerprints(Connection c) throws SQLException {
    SourcePrints prints = new SourcePrints(Warehouses.H2, CONFIG);
    try (Statement s = c.createStatement()) {
      s.execute(Warehouses.H2.createSchema(CONFIG.targetDatabase(), CONFIG.targetSchema()));
      s.execute(prints.createStored());
      long t = System.nanoTime();
      s.execute("INSERT INTO " + prints.stored().qualified() + " " + prints.currentSelect());
      return millisSince(t);
    }
  }

  /** Milliseconds every collector of this JVM has spent so far. */
  private static long gcMillis() {
    long total = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      total += Math.max(0, gc.getCollectionTime());
    }
    return total;
  }

  /**
   * All_events rows per user of the demo config's sample (seed 42), from 10,000 users: the benchmarks
   * meet an events size by choosing the number of users.
   */
  static double eventsPerUser() {
    long[] events = {0};
    int users = 10_000;
    SampleData.of(users, SEED).generate(CONFIG, (table, row) -> {
      if (table.equals(SourceCatalog.ALL_EVENTS)) {
        events[0]++;
      }
    });
    return (double) events[0] / users;
  }

  /** One run of each size after {@code index}, guessed from this one's time growing with the size. */
  private static long estimateRest(List<Long> sizes, int index, long size, long oneRunMillis) {
    long rest = 0;
    for (int i = index + 1; i < sizes.size(); i++) {
      rest += oneRunMillis * sizes.get(i) / size;
    }
    return rest;
  }

  private static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    sorted.sort(null);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  /** Builds the run's high-water mark table, counts the active users against it, drops it again. */
  private static long countActiveUsers(Connection c, ProjectPlan plan) throws SQLException {
    SqlRenderer sql = new SqlRenderer(Warehouses.H2, plan);
    String mark = sql.workTable(plan.incremental().orElseThrow().highWaterMark().name());
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE " + mark + " AS " + sql.highWaterMarkSelect());
      return count(c, "SELECT COUNT(*) FROM (" + sql.activeUsersSelect() + ") AS a");
    } finally {
      try (Statement s = c.createStatement()) {
        s.execute("DROP TABLE IF EXISTS " + mark);
      }
    }
  }

  private static long count(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** {@code 100000}, {@code 100k}, {@code 1.6M}. */
  static long size(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT).replace("_", "").replace(",", "");
    double factor = 1;
    if (t.endsWith("k")) {
      factor = 1_000;
      t = t.substring(0, t.length() - 1);
    } else if (t.endsWith("m")) {
      factor = 1_000_000;
      t = t.substring(0, t.length() - 1);
    }
    try {
      long size = Math.round(Double.parseDouble(t) * factor);
      if (size < 1_000) {
        throw new IllegalArgumentException("a size is at least 1,000 all_events rows, got " + text);
      }
      return size;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a size (all_events rows, e.g. 100000, 100k, 1.6M): " + text, e);
    }
  }

  private static long millisSince(long nanoStart) {
    return (System.nanoTime() - nanoStart) / 1_000_000;
  }
}
