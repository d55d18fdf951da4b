package io.heapsdk.sample;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.config.HeapConfigLoader;
import io.heapsdk.run.HeapRunException;
import io.heapsdk.run.RunCancel;
import io.heapsdk.source.SourceTable;
import io.heapsdk.warehouse.Warehouse;
import java.sql.Connection;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A deterministic generator of Heap Connect source rows for a made-up outdoor-gear shop on
 * {@code example.com}, realistic enough to exercise every standard model.
 *
 * <p>The same users, seed, start and days always give the same rows, whatever the clock, the JVM or
 * the config's table and column names: the config only decides the column order of each row and which
 * pass-through properties get filled. Users arrive over {@link #days()} days (30 unless {@link
 * #withDays} says otherwise); each has 1–5 sessions over a few days, with a mix of
 * traffic sources that hits every default channel rule (SPEC §3), pageview gaps of a few minutes and
 * some of exactly 30:00, 30:00.001 and hours, equal and NULL pageview times, funnel and conversion
 * events, about 1% duplicate rows and identity merges including a chain (a→b, b→c).
 *
 * <pre>{@code
 * HeapConfig config = SampleData.demoConfig();
 * Map<String, Long> counts = SampleData.of(2000, 42).load(connection, Warehouses.H2, config);
 * }</pre>
 *
 * <p>This is the first batch; {@link #nextBatch()} and {@link #batch(int)} give later ones to load on
 * top of it (new and returning users, late rows, duplicates, identity merges), as a daily Heap sync
 * would add them, to try incremental builds: see {@link LaterBatch}.
 *
 * <p>Immutable and thread-safe.
 */
public final class SampleData {
  /** Where generated time starts unless {@link #withStart} says otherwise: fixed, never "now". */
  public static final LocalDateTime DEFAULT_START = LocalDateTime.of(2024, 1, 1, 0, 0);

  /** The shop's own domain; sessions referred from it get this channel under the default rules. */
  public static final String OWN_DOMAIN = "example.com";

  /** The funnel the shop's events follow, in order; each step is rarer than the one before. */
  public static final List<String> FUNNEL_EVENTS =
      List.of("view_product", "add_to_cart", "begin_checkout", "purchase");

  /** The events that count as conversions: {@code sign_up} is deliberately not a funnel step. */
  public static final List<String> CONVERSION_EVENTS = List.of("purchase", "sign_up");

  /** The config the sample data is made for, as YAML a user can copy; {@link #demoConfig()} reads it. */
  public static final String DEMO_CONFIG_YAML =
      """
      # The config the heap sample data fits (io.heapsdk.sample.SampleData.DEMO_CONFIG_YAML).
      funnel_events: [view_product, add_to_cart, begin_checkout, purchase]
      # sign_up is a conversion but not a funnel step
      conversion_events: [purchase, sign_up]
      channels:
        own_domain: example.com
      source:
        # custom pageview properties, passed through to stg_heap_pageview_sessions_inc_fct
        pageview_properties: [page_category, ab_variant]
      """;

  /** Over how many days users arrive unless {@link #withDays} says otherwise. */
  public static final int DEFAULT_DAYS = 30;

  /** Rows per JDBC batch when loading: large enough to amortize round trips, small enough to stream. */
  static final int BATCH_ROWS = 5_000;

  private final int users;
  private final long seed;
  private final LocalDateTime start;
  private final int days;

  private SampleData(int users, long seed, LocalDateTime start, int days) {
    if (users < 0) {
      throw new IllegalArgumentException("users must be 0 or more, got " + users);
    }
    if (days < 1 || days > 3_650) {
      throw new IllegalArgumentException("days must be 1 to 3,650, got " + days);
    }
    this.users = users;
    this.seed = seed;
    this.start = Objects.requireNonNull(start, "start");
    this.days = days;
  }

  /** Sample data for {@code users} users (0 = empty tables), starting at {@link #DEFAULT_START}. */
  public static SampleData of(int users, long seed) {
    return new SampleData(users, seed, DEFAULT_START, DEFAULT_DAYS);
  }

  /** The same sample, shifted to begin at {@code newStart}. */
  public SampleData withStart(LocalDateTime newStart) {
    return new SampleData(users, seed, newStart, days);
  }

  /**
   * The same users arriving over {@code newDays} days instead: the same number of rows spread over a
   * longer (or shorter) history, as a warehouse synced for months holds it.
   */
  public SampleData withDays(int newDays) {
    return new SampleData(users, seed, start, newDays);
  }

  public int users() {
    return users;
  }

  public long seed() {
    return seed;
  }

  public LocalDateTime start() {
    return start;
  }

  public int days() {
    return days;
  }

  /** The config the data fits: {@link #DEMO_CONFIG_YAML}, parsed. */
  public static HeapConfig demoConfig() {
    return HeapConfigLoader.parse(DEMO_CONFIG_YAML, "SampleData.DEMO_CONFIG_YAML");
  }

  /** Receives generated rows one at a time; see {@link #generate(HeapConfig, RowSink)}. */
  @FunctionalInterface
  public interface RowSink {
    /**
     * One row of a Heap table (logical name, e.g. {@code pageviews}), one value per column of
     * {@code config.catalog().table(table).columns()}, in that order.
     */
    void accept(String table, Object[] row);
  }

  /**
   * Streams every row to {@code sink}, table by table interleaved, in a fixed order. Values are
   * {@link Long}, {@link String}, {@link LocalDateTime} (millisecond precision, UTC), {@link Double},
   * {@link Boolean} or null, as the column types ask.
   */
  public void generate(HeapConfig config, RowSink sink) {
    new SampleGenerator(config.catalog(), users, seed, start, days, sink).run();
  }

  /** Every row in memory, per Heap table in catalog order (empty lists included). */
  public Map<String, List<Object[]>> rows(HeapConfig config) {
    Map<String, List<Object[]>> rows = new LinkedHashMap<>();
    for (SourceTable t : config.catalog().tables()) {
      rows.put(t.name(), new ArrayList<>());
    }
    generate(config, (table, row) -> rows.get(table).add(row));
    return rows;
  }

  /**
   * Creates the source schema and Heap's five tables (with the config's names) on {@code connection},
   * then inserts the rows. The tables must not exist yet. All or nothing: the tables are created in the
   * transaction the rows go in with (PostgreSQL and DuckDB roll their creation back with the rows, so
   * not even a killed process leaves them), and a load that fails drops the tables it had created where
   * the database committed them on its own (H2 commits each {@code CREATE TABLE}): an empty table left
   * behind would look like Heap tables with no data, and refuse the next first batch.
   *
   * @return rows inserted per Heap table, in catalog order
   */
  public Map<String, Long> load(Connection connection, Warehouse warehouse, HeapConfig config) {
    return load(connection, warehouse, config, new RunCancel());
  }

  /**
   * As {@link #load(Connection, Warehouse, HeapConfig)}, stopped between two batches of rows once {@code
   * cancel} is cancelled (Ctrl-C): it then throws a {@link HeapRunException} whose {@code cancelled()}
   * is true, having rolled back and dropped what it created.
   */
  public Map<String, Long> load(Connection connection, Warehouse warehouse, HeapConfig config, RunCancel cancel) {
    try (BatchLoader loader = new BatchLoader(connection, warehouse, config, BATCH_ROWS, cancel)) {
      loader.createTables();
      generate(config, loader);
      return loader.finish();
    }
  }

  /**
   * Inserts the rows into existing source tables, in batches, in one transaction; the connection's
   * auto-commit mode is restored afterwards.
   *
   * @return rows inserted per Heap table, in catalog order
   */
  public Map<String, Long> insert(Connection connection, Warehouse warehouse, HeapConfig config) {
    try (BatchLoader loader = new BatchLoader(connection, warehouse, config, BATCH_ROWS, new RunCancel())) {
      generate(config, loader);
      return loader.finish();
    }
  }

  /** Batch 2: the first later batch, with {@link BatchShape#defaults()}; see {@link LaterBatch}. */
  public LaterBatch nextBatch() {
    return nextBatch(BatchShape.defaults());
  }

  /** Batch 2 with the given shape, e.g. {@code BatchShape.sized(0.01, 0.05)}; see {@link LaterBatch}. */
  public LaterBatch nextBatch(BatchShape shape) {
    return new LaterBatch(this, List.of(shape));
  }

  /**
   * Later batch {@code number} (2, 3, …), every later batch up to it with {@link BatchShape#defaults()}:
   * what {@code heap sample --batch N} loads. Batch 1 is this sample itself.
   */
  public LaterBatch batch(int number) {
    if (number < 2) {
      throw new IllegalArgumentException("later batches are numbered 2, 3, …; batch 1 is the SampleData itself, got " + number);
    }
    LaterBatch batch = nextBatch();
    for (int n = 3; n <= number; n++) {
      batch = batch.next();
    }
    return batch;
  }

  /** SplitMix64 over a seed and a salt: the seeds of later batches' random streams, far apart. */
  static long mix(long seed, long salt) {
    long z = seed + (salt + 1) * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  @Override
  public String toString() {
    return "SampleData{users=" + users + ", seed=" + seed + ", start=" + start + ", days=" + days + "}";
  }
}
