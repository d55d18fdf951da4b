package io.heapsdk.sample;

import io.heapsdk.run.RunCancel;
import static io.heapsdk.source.SourceCatalog.ALL_EVENTS;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.source.SourceCatalog;
import io.heapsdk.source.SourceTable;
import io.heapsdk.warehouse.Warehouse;
import java.sql.Connection;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A later batch of sample data (batch 2, 3, …), to load on top of a first batch ({@link SampleData})
 * and the batches between them, the way a Heap Connect sync adds a day of data: new users, returning
 * users with visits after the loaded data ends, late rows a day or two older than the facts'
 * high-water mark (inside the default 3-day lookback), re-synced duplicates, and identity merges done as
 * Heap does them in Snowflake, BigQuery and Redshift: a {@code user_migrations} row, and every
 * {@code sessions}, {@code pageviews} and {@code all_events} row of the anonymous user rewritten to the
 * identified one ({@link #mergeStatements}). {@code users} rows are left as they are (no standard model
 * reads them).
 *
 * <p>The rows depend only on the first batch (users, seed, start) and the shapes of this batch and the
 * ones before it; ids continue where the earlier batches stopped, so they never collide. Generating a
 * batch replays the earlier ones in memory (no database is read), which takes about as long as
 * generating them did.
 *
 * <pre>{@code
 * SampleData first = SampleData.of(2000, 42);
 * first.load(connection, Warehouses.H2, config);
 * runner.run(plan, connection);                                  // full build
 * LaterBatch.Summary second = first.nextBatch().insert(connection, Warehouses.H2, config);
 * runner.run(plan, connection);                                  // incremental
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class LaterBatch {
  /** Merges per UPDATE statement: one scan of each table per statement, statements of sane length. */
  private static final int MERGES_PER_STATEMENT = 500;

  private final SampleData first;
  private final List<BatchShape> shapes;

  LaterBatch(SampleData first, List<BatchShape> shapes) {
    this.first = Objects.requireNonNull(first, "first");
    this.shapes = List.copyOf(shapes);
    if (shapes.isEmpty()) {
      throw new IllegalArgumentException("a later batch needs its shape");
    }
  }

  /** One identity merge: {@code from} was anonymous and is now {@code to}, at {@code time}. */
  public record Merge(long fromUserId, long toUserId, LocalDateTime time) {}

  /**
   * What a batch held.
   *
   * @param batch the batch's number (2, 3, …)
   * @param rows rows generated per Heap table, in catalog order (inserted ones, after {@link #insert})
   * @param newUsers users seen for the first time
   * @param returningUsers existing users with a visit after the loaded data's end
   * @param lateRows rows dated one to two days before {@code mark}
   * @param identicalResyncs identical copies of loaded rows
   * @param laterResyncs copies of recent rows with a time 1 to 120 seconds later
   * @param merges the identity merges, in order
   * @param touchedUsers distinct users with a row in the batch or in one of its merges
   * @param usersBefore live users (not merged away) before the batch
   * @param eventsBefore {@code all_events} rows before the batch
   * @param dataEnd the newest time loaded before the batch: its new visits start after it
   * @param mark the facts' high-water mark on the data before the batch (null when there is none)
   * @param rewrittenRows rows whose {@code user_id} the merges rewrote; 0 until {@link #insert}ed
   */
  public record Summary(
      int batch,
      Map<String, Long> rows,
      int newUsers,
      int returningUsers,
      long lateRows,
      int identicalResyncs,
      int laterResyncs,
      List<Merge> merges,
      int touchedUsers,
      int usersBefore,
      long eventsBefore,
      LocalDateTime dataEnd,
      LocalDateTime mark,
      long rewrittenRows) {
    public Summary {
      rows = Collections.unmodifiableMap(new LinkedHashMap<>(rows));
      merges = List.copyOf(merges);
    }

    /** New {@code all_events} rows as a share of those loaded before (0 when there were none). */
    public double newEventShare() {
      return eventsBefore == 0 ? 0 : (double) rows.get(ALL_EVENTS) / eventsBefore;
    }

    /** Users touched as a share of the live users before (0 when there were none). */
    public double touchedShare() {
      return usersBefore == 0 ? 0 : (double) touchedUsers / usersBefore;
    }

    Summary withRewrittenRows(long rewritten) {
      return new Summary(
          batch, rows, newUsers, returningUsers, lateRows, identicalResyncs, laterResyncs, merges, touchedUsers,
          usersBefore, eventsBefore, dataEnd, mark, rewritten);
    }
  }

  /** This batch's number: 2 for the first later batch. */
  public int number() {
    return shapes.size() + 1;
  }

  public BatchShape shape() {
    return shapes.get(shapes.size() - 1);
  }

  /** The first batch this one builds on. */
  public SampleData first() {
    return first;
  }

  /** The batch after this one, with {@link BatchShape#defaults()}. */
  public LaterBatch next() {
    return next(BatchShape.defaults());
  }

  /** The batch after this one. */
  public LaterBatch next(BatchShape shape) {
    List<BatchShape> more = new ArrayList<>(shapes);
    more.add(Objects.requireNonNull(shape, "shape"));
    return new LaterBatch(first, more);
  }

  /**
   * Streams the batch's rows to {@code sink} as {@link SampleData#generate} does, and returns what it
   * held. The identity merges' rewrites are not rows: see {@link #mergeStatements}.
   */
  public Summary generate(HeapConfig config, SampleData.RowSink sink) {
    SampleHistory history = before(config);
    return LaterBatchGenerator.generate(
        history, shape(), number(), first.seed(), first.start(), config.catalog(), sink);
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

  /** What the batch holds, without keeping its rows. */
  public Summary summary(HeapConfig config) {
    return generate(config, (table, row) -> {});
  }

  /**
   * Rows per Heap table once the first batch and every batch before this one are loaded, in catalog
   * order: what a database must hold for this batch to follow on it.
   */
  public Map<String, Long> rowsBefore(HeapConfig config) {
    return before(config).counts();
  }

  /** The statements rewriting user ids for this batch's merges; see {@link #mergeStatements(Warehouse, HeapConfig, List)}. */
  public List<String> mergeStatements(Warehouse warehouse, HeapConfig config) {
    return mergeStatements(warehouse, config, summary(config).merges());
  }

  /**
   * What Heap does in the warehouse when it merges users: one {@code UPDATE} per table of
   * {@code sessions}, {@code pageviews} and {@code all_events} (per 500 merges), setting each merged
   * {@code user_id} to the id it became, with the config's names, quoted for {@code warehouse}.
   */
  public static List<String> mergeStatements(Warehouse warehouse, HeapConfig config, List<Merge> merges) {
    List<String> statements = new ArrayList<>();
    SourceCatalog catalog = config.catalog();
    for (int from = 0; from < merges.size(); from += MERGES_PER_STATEMENT) {
      List<Merge> chunk = merges.subList(from, Math.min(merges.size(), from + MERGES_PER_STATEMENT));
      for (String table : SampleHistory.EVENT_TABLES) {
        SourceTable t = catalog.table(table);
        String user = warehouse.quote(t.column("user_id").physicalName());
        StringBuilder sql =
            new StringBuilder("UPDATE ")
                .append(warehouse.qualified(config.sourceDatabase(), config.sourceSchema(), t.physicalName()))
                .append("\nSET ").append(user).append(" = CASE ").append(user);
        StringBuilder in = new StringBuilder();
        for (Merge m : chunk) {
          sql.append(" WHEN ").append(m.fromUserId()).append(" THEN ").append(m.toUserId());
          in.append(in.length() == 0 ? "" : ", ").append(m.fromUserId());
        }
        sql.append(" END\nWHERE ").append(user).append(" IN (").append(in).append(')');
        statements.add(sql.toString());
      }
    }
    return statements;
  }

  /**
   * Inserts the batch's rows into the existing source tables and then rewrites the merged users' ids,
   * all in one transaction; the connection's auto-commit mode is restored afterwards. The tables must
   * hold the first batch and every batch before this one ({@link #rowsBefore}); this is not checked.
   */
  public Summary insert(Connection connection, Warehouse warehouse, HeapConfig config) {
    return insert(connection, warehouse, config, new RunCancel());
  }

  /**
   * As {@link #insert(Connection, Warehouse, HeapConfig)}, stopped between two batches of rows once
   * {@code cancel} is cancelled: the transaction is rolled back, and the {@code HeapRunException} thrown
   * says it was cancelled.
   */
  public Summary insert(Connection connection, Warehouse warehouse, HeapConfig config, RunCancel cancel) {
    try (BatchLoader loader = new BatchLoader(connection, warehouse, config, SampleData.BATCH_ROWS, cancel)) {
      Summary summary = generate(config, loader);
      // after the inserts, as Heap rewrites ids after syncing: this batch's own rows are rewritten too
      long rewritten = loader.execute(mergeStatements(warehouse, config, summary.merges()));
      loader.finish();
      return summary.withRewrittenRows(rewritten);
    }
  }

  /** What the tables hold before this batch: the first batch and the later ones before this one, replayed. */
  private SampleHistory before(HeapConfig config) {
    SampleHistory history = new SampleHistory(config.catalog(), first.seed());
    first.generate(config, history);
    for (int i = 0; i < shapes.size() - 1; i++) {
      LaterBatchGenerator.generate(
          history, shapes.get(i), i + 2, first.seed(), first.start(), config.catalog(), (table, row) -> {});
    }
    return history;
  }

  @Override
  public String toString() {
    return "LaterBatch{number=" + number() + ", first=" + first + ", shapes=" + shapes + "}";
  }
}
