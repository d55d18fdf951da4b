package io.heapsdk.warehouse;

import io.heapsdk.HeapException;
import io.heapsdk.config.HeapConfig;
import io.heapsdk.config.PhysicalOptions;
import io.heapsdk.model.Materialization;
import io.heapsdk.model.PlannedModel;
import io.heapsdk.model.ProjectPlan;
import io.heapsdk.source.ColumnType;
import io.heapsdk.source.SourceCatalog;
import io.heapsdk.source.SourceColumn;
import io.heapsdk.source.SourceTable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntPredicate;
import java.util.function.Supplier;
import org.apache.calcite.sql.SqlDialect;

/**
 * Everything the library knows about one warehouse: the Calcite dialect that prints its SELECTs, how it
 * quotes identifiers and string literals, and the statements that create schemas and tables.
 *
 * <p>One subclass per warehouse, each in its own package. Immutable and thread-safe.
 */
public abstract class Warehouse {
  /** The warehouse's name as used on the command line and in golden file folders, e.g. {@code snowflake}. */
  public abstract String name();

  /** The dialect that prints SELECT statements for this warehouse. */
  protected abstract SqlDialect dialect();

  public abstract Identifiers identifiers();

  public abstract StringLiterals literals();

  /** The warehouse's name for a column type, used when creating Heap source tables (samples, tests). */
  public String typeName(ColumnType type) {
    switch (type) {
      case BIGINT:
        return "BIGINT";
      case DOUBLE:
        return "DOUBLE PRECISION";
      case BOOLEAN:
        return "BOOLEAN";
      case TIMESTAMP:
        return "TIMESTAMP";
      case VARCHAR:
      default:
        return "VARCHAR(65535)";
    }
  }

  /**
   * Whether the warehouse has {@code CREATE OR REPLACE TABLE … AS}, one atomic statement; otherwise
   * tables are built then swapped in a transaction.
   */
  protected abstract boolean hasCreateOrReplace();

  /**
   * Whether several statements (DDL included) can run in one transaction. Where they cannot (Spark on
   * Delta, Trino on Iceberg), scripts have no {@code BEGIN … COMMIT}, the runner runs each statement on
   * its own, and each fact's {@link #applyStatements} must be a single atomic statement.
   */
  public boolean hasTransactions() {
    return true;
  }

  /**
   * Whether the engine evaluates a CTE again for every reference to it (H2 does), so that a query
   * reading one CTE several times pays for it several times: {@link io.heapsdk.run.AnalysisRunner}
   * then stores such a CTE in a temporary table first, and a build in a working table ({@link
   * BuildPlan}).
   */
  public boolean evaluatesCtePerReference() {
    return false;
  }

  /**
   * Whether an analysis may store its shared CTEs ({@link #evaluatesCtePerReference}) in tables of the
   * session ({@code CREATE LOCAL TEMPORARY TABLE}, H2's): where not (Spark has temporary views only,
   * which it inlines again), an analysis runs as the one query it renders.
   */
  public boolean hasLocalTemporaryTables() {
    return false;
  }

  /**
   * Whether a source's dedup ranks only the rows of keys that occur more than once ({@link
   * RepeatedKeyDedup}): the source is read three times, the wide sort of every row is saved. Worth it
   * where scans are cheap and joins hash (DuckDB); not where a CTE or sub-query is evaluated per row
   * (H2), nor where each scan of a source is billed (BigQuery on demand bills the bytes of each column
   * read).
   */
  public boolean ranksRepeatedKeysOnly() {
    return false;
  }

  /**
   * Whether a dedup ranked only where its key repeats ({@link #ranksRepeatedKeysOnly}) is written as a
   * CTE {@code AS NOT MATERIALIZED}: computed again by each query part that reads it rather than
   * buffered once. Its input is a source's wide rows; its work is two columnar scans and a hash join (the
   * window sorts only the repeated keys' rows). Buffering it copies every row and column of the source,
   * while each reader needs only some columns of it: the pageview sessionization reads three, and only
   * the final join all of them. So is a CTE that only keeps the dedup's rank-1 rows (an ephemeral source
   * model, with an incremental run's active users): buffered, it would copy the same wide rows. For
   * engines that buffer a CTE with more than one reader and accept the PostgreSQL 12 keyword (DuckDB).
   */
  public boolean inlinesRepeatedKeyDedups() {
    return false;
  }

  /**
   * Whether a window over a deduped source's wide rows runs over the key and the columns it reads, the
   * other columns joined back by the key ({@link NarrowWindow}). Worth it where a window sorts whole rows
   * and joins hash (DuckDB); the dedup stage is then read twice, so only together with {@link
   * #inlinesRepeatedKeyDedups} (or an engine that never buffers a CTE).
   */
  public boolean windowsOverKeyColumns() {
    return false;
  }

  /**
   * Whether a source's dedup numbers its rows in one sort of all rows, by key and then the window's
   * order, instead of a window partitioned by the key ({@link KeyOrderDedup}). Worth it where a window's
   * partitions cost per row and partition (H2 keeps them in a tree map: a key per row makes it as large as
   * the table); elsewhere a window partitioned by the key is that same sort, or a hash partitioning.
   */
  public boolean dedupsInOneSort() {
    return false;
  }

  /**
   * Whether a dedup keeps its rank-1 rows by {@code rank <= 1} instead of {@code rank = 1} ({@link
   * RankOneAsRange}): the same rows, for a planner that estimates an equality on a computed column at a
   * fraction of a percent of the rows (PostgreSQL), which made it join by nested loops over windows.
   */
  public boolean ranksOneAsRange() {
    return false;
  }

  /**
   * Whether the calls that read a TIMESTAMP's calendar fields (its day, a truncation, a field) name UTC,
   * and its literals carry a zero offset ({@link UtcTimes}): for a warehouse whose time functions take
   * the zone a project or session may set instead of UTC. Heap's times are UTC.
   */
  public boolean namesUtcInTimeFunctions() {
    return false;
  }

  /**
   * A UTC wall-clock time, written {@code 2024-03-28 00:00:00.000000}, as a literal of {@link
   * #typeName}{@code (TIMESTAMP)} that no session setting can move or refuse.
   */
  public String timestampLiteral(String text) {
    return "CAST(" + literal(text) + " AS " + typeName(ColumnType.TIMESTAMP) + ")";
  }

  /**
   * Whether the active users compare a source's time with the high-water mark in two branches, one
   * that an index on the time column serves and one for a run without a mark ({@link
   * MarkComparisonSplit}). Worth it where the sources have indexes (H2, PostgreSQL); elsewhere the
   * single comparison is one scan and the split a second.
   */
  public boolean splitsMarkComparison() {
    return false;
  }

  /**
   * Whether a fact's time column gets an index where the warehouse has indexes ({@link
   * #indexStatements}): the compiled incremental script reads {@code MAX(time)} of every fact, and
   * queries of a time range find their rows by it.
   */
  public boolean indexesTimeColumn() {
    return true;
  }

  /**
   * Whether a run's APPLY statements must reach the warehouse as ONE multi-statement script
   * ({@link #transactionScript}) rather than one JDBC statement at a time: on BigQuery a transaction
   * must be contained in a single query unless the connection is in session mode
   * (https://cloud.google.com/bigquery/docs/transactions). For runners; {@link io.heapsdk.run.JdbcRunner}
   * does not read it yet.
   */
  public boolean applyAsOneScript() {
    return false;
  }

  /** The quoted form of one identifier. */
  public final String quote(String identifier) {
    return identifiers().quote(identifier);
  }

  /** A safe string literal holding {@code value}. */
  public final String literal(String value) {
    return literals().quote(value);
  }

  /**
   * A SELECT of one boolean row: whether the session's transactions are read-only whatever the
   * connection's own flag says, so that a run is refused before it writes. Empty where heap does not ask
   * (the default); PostgreSQL's {@code transaction_read_only}.
   */
  public Optional<String> readOnlySessionSelect() {
    return Optional.empty();
  }

  /**
   * What a whole script begins with, before its first statement, for the warehouse's own client to run
   * it as written; empty by default. PostgreSQL's: the script's encoding (see there).
   */
  public String scriptPrologue() {
    return "";
  }

  /**
   * Where a table named without a database resolves, said for a user who runs a compiled script by hand
   * ("the session's current database (USE DATABASE …)"), on warehouses where that is the session's
   * choice rather than the connection's: there the same script reads and writes elsewhere in another
   * session. Empty by default (PostgreSQL, Redshift, DuckDB, H2: the database connected to).
   */
  public Optional<String> unqualifiedNamesResolveIn() {
    return Optional.empty();
  }

  /** {@code database.schema.table}, each part quoted; the database is optional. */
  public final String qualified(Optional<String> database, String schema, String table) {
    List<String> parts = new ArrayList<>();
    database.ifPresent(parts::add);
    parts.add(schema);
    parts.add(table);
    return qualified(parts);
  }

  public final String qualified(List<String> parts) {
    StringBuilder b = new StringBuilder();
    for (String p : parts) {
      if (b.length() > 0) {
        b.append('.');
      }
      b.append(quote(p));
    }
    return b.toString();
  }

  /**
   * A SELECT of one boolean row: whether heap's database user may create tables in {@code schema} (of the
   * connection's database), or, where {@code exists} is false, create that schema. Empty where heap
   * cannot ask (the default): {@code heap status} then says what a run needs without knowing.
   */
  public Optional<String> mayCreateSelect(String schema, boolean exists) {
    return Optional.empty();
  }

  /**
   * A SELECT of one text value naming the server session of the connection it runs on, for a run to put
   * in its lock ({@code heap__run_lock.owner}); empty where heap cannot ask another session whether that
   * one still exists (the default). A run whose process was killed, or whose server restarted, keeps
   * the lock until its heartbeat is older than the stale time; where the session can be asked about
   * ({@link #sessionEndedSelect}), the next run takes the lock over at once.
   */
  public Optional<String> sessionSelect() {
    return Optional.empty();
  }

  /**
   * A SELECT of one boolean row: true when the session that {@code owner} names (a lock's owner, holding
   * what {@link #sessionSelect} gave) has ended. Empty where {@code owner} names no session of this
   * warehouse's form (a run of another warehouse, or of a heap from before sessions were recorded):
   * then only the heartbeat's age says the run died.
   */
  public Optional<String> sessionEndedSelect(String owner) {
    return Optional.empty();
  }

  /** Creates the schema (BigQuery: dataset) unless it exists. */
  public String createSchema(Optional<String> database, String schema) {
    List<String> parts = new ArrayList<>();
    database.ifPresent(parts::add);
    parts.add(schema);
    return "CREATE SCHEMA IF NOT EXISTS " + qualified(parts);
  }

  /**
   * Creates the target schema (BigQuery: dataset) unless it exists, in {@code location} where the
   * warehouse gives schemas one ({@code target.location}, BigQuery); the others ignore it.
   */
  public String createSchema(Optional<String> database, String schema, Optional<String> location) {
    return createSchema(database, schema);
  }

  /**
   * The table options of a materialized model, placed between the table name and {@code AS} (BigQuery
   * {@code PARTITION BY … CLUSTER BY …}, Snowflake {@code CLUSTER BY (…)}, Redshift {@code DISTKEY(…)
   * SORTKEY(…)}); empty where the warehouse has none. {@code options} are resolved (defaults applied).
   */
  public String tableOptions(PhysicalOptions options) {
    return "";
  }

  /** The {@code models.<name>} keys {@link #tableOptions} lays a table out by here; none by default. */
  public java.util.Set<String> layoutKeys() {
    return java.util.Set.of();
  }

  /**
   * A sentence per model whose configured layout keys this warehouse does not read ({@code cluster_by}
   * on PostgreSQL, {@code sort_key} on Snowflake): they change neither its tables nor its definitions, and
   * nothing said so, where a user expected the table clustered (a probe of months of runs).
   */
  public List<String> unusedLayout(HeapConfig config) {
    List<String> unused = new ArrayList<>();
    config.physicalOptions().forEach((model, options) -> {
      List<String> keys = options.setKeys().stream().filter(k -> !layoutKeys().contains(k)).map(k -> "models." + model + "." + k).toList();
      if (!keys.isEmpty()) {
        unused.add(String.join(", ", keys) + (keys.size() == 1 ? " is" : " are") + " not used on " + name()
            + (layoutKeys().isEmpty() ? ", which has no table layout options" : ", which lays tables out by " + String.join(", ", new java.util.TreeSet<>(layoutKeys())) + " only")
            + " (BigQuery reads partition_by, partition_granularity and cluster_by; Snowflake and Databricks cluster_by; Redshift"
            + " dist_key and sort_key)");
      }
    });
    return unused;
  }

  /**
   * The statements of a first build or full refresh of {@code table} from {@code select}. Where the
   * warehouse has {@code CREATE OR REPLACE TABLE}, one atomic statement; otherwise build-then-swap: the
   * rows go into {@code table__new} first, so a failing query leaves the old table as it was, and
   * {@link #swapStatements} then replaces it.
   */
  public List<String> buildStatements(TableName table, String select, PhysicalOptions options) {
    String opts = tableOptions(options);
    String clause = opts.isEmpty() ? "" : opts + "\n";
    if (hasCreateOrReplace()) {
      return List.of("CREATE OR REPLACE TABLE " + table.qualified() + "\n" + clause + "AS\n" + select);
    }
    TableName fresh = table.withSuffix(NEW_TABLE_SUFFIX);
    return List.of(
        "DROP TABLE IF EXISTS " + fresh.qualified(),
        "CREATE TABLE " + fresh.qualified() + "\n" + clause + "AS\n" + select);
  }

  /**
   * After {@link #buildStatements}: the statements that put the new table in place (one transaction),
   * ending with the {@link #indexStatements} on {@code indexedColumns}; none where the build replaced the
   * table itself. By default the old table is dropped and {@code __new} renamed into its place (H2,
   * Redshift; PostgreSQL replaces the rows in place where it can, see there).
   */
  public List<String> swapStatements(TableName table, List<String> indexedColumns) {
    if (hasCreateOrReplace()) {
      return List.of();
    }
    List<String> swap = new ArrayList<>();
    swap.add("DROP TABLE IF EXISTS " + table.qualified());
    swap.add("ALTER TABLE " + table.withSuffix(NEW_TABLE_SUFFIX).qualified() + " RENAME TO " + quote(table.name()));
    // indexes go on the table in place: a built-then-swapped table's indexes would keep its __new name
    swap.addAll(indexStatements(table, indexedColumns));
    return swap;
  }

  /**
   * Whether a full build can keep the table ({@link #refillStatements}). The runner does it for a table
   * that holds the model's definition already (the fingerprint its run state recorded, the model's
   * columns): a forced full refresh, a fact rebuilt because one upstream of it was. No by default: where
   * a full build's new table loses nothing a team attaches (H2, DuckDB), where the swap itself keeps the
   * table when its columns stay (PostgreSQL's), or where a reader would see an empty or half-filled table
   * on the way (Redshift's TRUNCATE commits at once).
   */
  public boolean refillsInPlace() {
    return false;
  }

  /**
   * The statements of a full build that keeps the table, where {@link #refillsInPlace}: every row of
   * {@code table} replaced by the rows of {@code select} in one atomic step, the table itself (its
   * grants, row and column security, tags, comments, the streams and views on it) left as it is; used
   * instead of {@link #buildStatements} and {@link #swapStatements}. {@code columns} are the model's, in
   * the table's order.
   */
  public List<String> refillStatements(TableName table, List<String> columns, String select) {
    throw new UnsupportedOperationException(name() + " replaces a table to rebuild it in full");
  }

  /**
   * What a team attaches to a table that a full build's new table does not keep ({@link
   * #buildStatements}, {@link #swapStatements}), for the run's decision ("a new table, without …"); empty
   * where it keeps it all, or the engine has none of it (the default).
   */
  public Optional<String> newTableLoses() {
    return Optional.empty();
  }

  /**
   * SELECTs (one text column, a row per item) naming the row and column security attached to {@code
   * table} that a full build's new table would not have ({@link #newTableLoses}), each asked on its own
   * by heap's user before a run that gives the table a new one: the runner refuses that run (nothing
   * changed) unless told to make new tables ({@code JdbcRunner.newTables()}). A SELECT the catalog
   * refuses heap's user (policies are an administrator's to see on some warehouses) says nothing, and
   * the run goes on as it did before the check. None by default (no such security, or a swap that keeps
   * it: PostgreSQL's).
   */
  public List<String> attachedSecuritySelects(TableName table) {
    return List.of();
  }

  /**
   * Whether the statements of a {@link #swapStatements swap} run in one transaction (a script wraps them
   * in {@link #beginTransaction} … {@link #commitTransaction}). Yes by default; no on BigQuery, which
   * runs DDL on permanent tables outside transactions only: there the DROP and the RENAME run one after
   * the other, and a reader between them finds no table.
   */
  public boolean swapsInOneTransaction() {
    return true;
  }

  /**
   * Indexes on a freshly built table (and, where the planner needs them at once, its statistics), for
   * warehouses that have them; none by default (Snowflake, BigQuery and Redshift have no user-defined
   * indexes).
   */
  public List<String> indexStatements(TableName table, List<String> columns) {
    return List.of();
  }

  /**
   * The {@link #indexStatements} of an incremental fact, run again at the start of each incremental
   * run, on warehouses where a full refresh's swap commits statement by statement (so an interrupted one
   * can leave the renamed table without some of its indexes) and those statements change nothing when
   * the indexes are there; none by default (PostgreSQL swaps in one transaction; the others have no
   * indexes).
   */
  public List<String> restoreIndexStatements(TableName table, List<String> columns) {
    return List.of();
  }

  /**
   * A SELECT (one text column) of what would stop {@link #swapStatements a swap} of {@code table}: the
   * views on it, and other tables' foreign keys to it, which heap never drops. Empty where nothing stops
   * a swap, or the catalog cannot be asked (the default). The runner asks it before a run's first
   * statement, for every existing table the run gives a new table (with other columns only, where the
   * swap keeps a table whose columns stay: {@link #swapDropsTableWithSameColumns}), so that a run refuses
   * whole instead of stopping part-way with some tables replaced; a SELECT the database refuses is
   * logged, and the swap's own DROP refuses as before.
   */
  public Optional<String> swapBlockersSelect(TableName table) {
    return Optional.empty();
  }

  /**
   * Whether a {@link #swapStatements swap} drops the old table even when the columns stay, so that the
   * runner asks {@link #swapBlockersSelect} before every full build of an existing table, not only one
   * that changes its columns: yes by default; PostgreSQL's swap keeps a table whose columns stay.
   */
  public boolean swapDropsTableWithSameColumns() {
    return true;
  }

  /** What the refusal of a run that {@link #swapBlockersSelect} stopped adds after its advice; nothing by default. */
  public String swapBlockersAdvice() {
    return "";
  }

  /**
   * The name a CTE called {@code name} (a stage, an ephemeral model) gets in a statement; the same by
   * default. Where the engine resolves a name to a table before a CTE of that name (H2), a prefix no
   * host table has keeps a host's own table from standing in for the CTE.
   */
  public String cteName(String name) {
    return name;
  }

  /**
   * The statement that bounds how long each statement of a swap's transaction waits for a lock, where a
   * waiting swap would hold up every reader that comes after it and a runner may try the swap again
   * instead (PostgreSQL: {@code SET LOCAL lock_timeout}, whose lock queue puts a new reader behind the
   * swap's waiting {@code ACCESS EXCLUSIVE} request); empty where the swap just waits (the default).
   * Not part of the swap's statements: a script run by hand waits as before.
   */
  public Optional<String> swapLockTimeoutStatement(java.time.Duration timeout) {
    return Optional.empty();
  }

  /**
   * Session settings a run sets for its own statements and puts back after it: each a name and the value
   * the run wants. None by default; PostgreSQL's {@code jit = off} (see there).
   */
  public Map<String, String> runSessionSettings() {
    return Map.of();
  }

  /**
   * Session settings an analysis sets for its query and puts back after it, as {@link #runSessionSettings}
   * for a run. None by default; PostgreSQL's {@code extra_float_digits} (see there).
   */
  public Map<String, String> analysisSessionSettings() {
    return Map.of();
  }

  /** A SELECT of one row, one column: a session setting's value ({@link #runSessionSettings}); empty where there are none. */
  public Optional<String> sessionSettingSelect(String name) {
    return Optional.empty();
  }

  /** The statement that sets a session setting ({@link #runSessionSettings}) to {@code value}. */
  public Optional<String> sessionSettingStatement(String name, String value) {
    return Optional.empty();
  }

  /**
   * A SELECT of the session's settings that bound how long a statement may wait for a lock, one row each
   * that is set: its name (text) and its bound in milliseconds (a number). Read before a swap whose tries
   * {@link #swapLockTimeoutStatement} bounds, so that the tries together wait no longer than one
   * statement of the session would have; empty where there is no such setting or no bounded swap (the
   * default).
   */
  public Optional<String> sessionLockWaitLimitSelect() {
    return Optional.empty();
  }

  /** Whether {@code e} is the refusal of {@link #swapLockTimeoutStatement}'s bound: the lock was not free in time. */
  public boolean isLockTimeout(java.sql.SQLException e) {
    return false;
  }

  /**
   * A SELECT listing the other sessions that hold a lock on {@code table}, one row each of text: who and
   * since when, for a swap's warning while it waits for them; empty where heap cannot ask (the default).
   */
  public Optional<String> lockHoldersSelect(TableName table) {
    return Optional.empty();
  }

  /**
   * Whether a rollback undoes a {@link #swapStatements swap} run in one transaction whole, DDL included
   * (PostgreSQL and Redshift run DDL inside transactions), so that cancelling it half-way leaves the old
   * table as it was. No by default: H2 commits each DDL statement on its own, and the others have no
   * swap. Where it is no, a cancel lets the swap finish and stops the run at its next step.
   */
  public boolean rollsBackSwap() {
    return false;
  }

  /**
   * Whether a process killed as it writes can leave a table or an index of this database damaged or out
   * of step with its committed rows; then the runs after a crash rebuild the facts in full until one
   * succeeds. No by default: the server warehouses and DuckDB recover to their last commit.
   */
  public boolean crashCanDamageTables() {
    return false;
  }

  /**
   * Statements run on an incremental fact after the apply transaction committed, each on its own
   * (Phase {@code ANALYZE}); none by default. PostgreSQL and Redshift refresh the planner's statistics
   * here.
   */
  public List<String> afterApplyStatements(TableName table) {
    return List.of();
  }

  /** Creates (or replaces) a working table of an incremental run. */
  public List<String> workTableStatements(TableName table, String select) {
    if (hasCreateOrReplace()) {
      return List.of("CREATE OR REPLACE TABLE " + table.qualified() + " AS\n" + select);
    }
    return List.of("DROP TABLE IF EXISTS " + table.qualified(), "CREATE TABLE " + table.qualified() + " AS\n" + select);
  }

  /**
   * What follows the column list of a run-state table ({@link StateSql}): empty by default; Spark needs
   * {@code USING DELTA} for the state's {@code UPDATE} and {@code DELETE}.
   */
  public String stateTableClause() {
    return "";
  }

  public String dropTable(TableName table) {
    return "DROP TABLE IF EXISTS " + table.qualified();
  }

  /**
   * The statements that apply an incremental run's recomputed rows to a fact, run in one transaction
   * with those of the other facts: the active users' rows that are no longer produced are deleted, then
   * the recomputed rows are merged on the unique key ({@link #mergeStatement}). DuckDB and Redshift
   * override this with {@link #applyDifferingRows}, PostgreSQL with its own DELETE; warehouses without
   * transactions with {@link #applyAsOneMerge}.
   */
  public List<String> applyStatements(IncrementalTarget t) {
    String key = quote(t.uniqueKey());
    String delete =
        "DELETE FROM " + t.table().qualified()
            + "\nWHERE " + quote(t.userColumn()) + " IN (SELECT " + quote(t.activeUserColumn()) + " FROM "
            + t.activeUsers().qualified() + ")"
            + "\nAND " + key + " NOT IN (SELECT " + key + " FROM " + t.changes().qualified()
            + " WHERE " + key + " IS NOT NULL)";
    return List.of(delete, mergeStatement(t));
  }

  /**
   * The standard {@code MERGE} of the recomputed rows on the unique key: update the matched rows whose
   * values differ ({@code WHEN MATCHED AND (… IS DISTINCT FROM …)}), insert the rest. An incremental run
   * recomputes every row of its active users and most come out as they were (over 60 daily runs of a
   * 3,000-user sample on PostgreSQL, one run recomputed 14,309 rows of the events fact, of which 40 had
   * changed); an UPDATE rewrites a matched row whatever its values, and each warehouse pays for that
   * rewrite: PostgreSQL writes a new row version and index entries ({@code UnchangedRowsOnPostgresTest}),
   * H2 the row and each of its index entries, Snowflake rewrites every micro-partition holding an updated
   * row and bills the replaced ones as Time Travel and Fail-safe storage, BigQuery bills a MERGE by the
   * size of the partitions it updates and a partition modified within 90 days loses long-term storage
   * pricing. The table ends up the same either way.
   */
  protected final String mergeStatement(IncrementalTarget t) {
    String target = quote("target");
    String changes = quote("changes");
    String key = quote(t.uniqueKey());
    return "MERGE INTO " + t.table().qualified() + " AS " + target
        + "\nUSING " + t.changes().qualified() + " AS " + changes
        + "\nON " + target + "." + key + " = " + changes + "." + key
        + "\nWHEN MATCHED AND (" + changedCondition(t, target, changes) + ") THEN UPDATE SET " + updateList(t, changes)
        + "\nWHEN NOT MATCHED THEN INSERT (" + columnList(t.columns(), "") + ")"
        + "\nVALUES (" + columnList(t.columns(), changes + ".") + ")";
  }

  /** {@code target.c IS DISTINCT FROM changes.c OR …} over every column but the unique key. */
  private String changedCondition(IncrementalTarget t, String target, String changes) {
    StringBuilder b = new StringBuilder();
    for (String c : t.columns()) {
      if (!c.equals(t.uniqueKey())) {
        b.append(b.length() == 0 ? "" : " OR ")
            .append(target).append('.').append(quote(c)).append(" IS DISTINCT FROM ").append(changes).append('.').append(quote(c));
      }
    }
    return b.toString();
  }

  /** {@code col = source.col, …} for every column but the unique key (unqualified targets, as MERGE requires). */
  private String updateList(IncrementalTarget t, String source) {
    StringBuilder b = new StringBuilder();
    for (String c : t.columns()) {
      if (!c.equals(t.uniqueKey())) {
        b.append(b.length() == 0 ? "" : ", ").append(quote(c)).append(" = ").append(source).append('.').append(quote(c));
      }
    }
    return b.toString();
  }

  /**
   * The apply as a {@code DELETE} and an {@code INSERT} of the rows that differ, for warehouses where an
   * updated row costs a deleted one plus an inserted one anyway, or a MERGE more than that (DuckDB,
   * Redshift): the recomputed rows minus (set {@code EXCEPT}, which compares NULLs as equal) the active
   * users' rows as they stand go into a temporary table of the session, made by {@code createTemporary}
   * (it lives in the connection's session only, so two runs cannot meet in it, and a killed run leaves
   * nothing behind). The DELETE removes the active users' rows that are no longer produced (as the
   * standard apply does) and every row whose key has a differing recomputed row, whoever its user was (a
   * row that moved to another user); the INSERT then adds the differing rows. Most of an active user's
   * rows come out as they were and are left where they are. All of it runs in the apply's transaction,
   * with the other facts', so a reader sees the facts before or after, never in between.
   */
  protected final List<String> applyDifferingRows(IncrementalTarget t, String createTemporary) {
    String fact = t.table().qualified();
    String key = quote(t.uniqueKey());
    String user = quote(t.userColumn());
    String columns = columnList(t.columns(), "");
    String differing = quote(DIFFERING_ROWS);
    String activeUsers = "SELECT " + quote(t.activeUserColumn()) + " FROM " + t.activeUsers().qualified();
    return List.of(
        createTemporary + " " + differing + " AS"
            + "\nSELECT " + columns + " FROM " + t.changes().qualified()
            + "\nEXCEPT"
            + "\nSELECT " + columns + " FROM " + fact + " WHERE " + user + " IN (" + activeUsers + ")",
        "DELETE FROM " + fact
            + "\nWHERE (" + user + " IN (" + activeUsers + ")"
            + "\nAND " + key + " NOT IN (SELECT " + key + " FROM " + t.changes().qualified() + " WHERE " + key + " IS NOT NULL))"
            + "\nOR " + key + " IN (SELECT " + key + " FROM " + differing + ")",
        "INSERT INTO " + fact + " (" + columns + ")\nSELECT " + columns + " FROM " + differing,
        "DROP TABLE " + differing);
  }

  /** The session's temporary table of {@link #applyDifferingRows}: one fact's rows that differ. */
  private static final String DIFFERING_ROWS = "heap__differing_rows";

  /**
   * The apply of {@link #applyStatements} as ONE {@code MERGE}, for warehouses whose transactions cannot
   * span statements: the source is the recomputed rows plus, flagged {@code heap__vanished}, the active
   * users' rows that are no longer produced; matched flagged rows are deleted, other matches updated
   * where a value differs (as in {@link #mergeStatement}: Delta's history then counts only those rows
   * as updated, {@code SparkCrossEngineTest}), the rest inserted. Each key occurs once in that source
   * (the vanished rows' keys are exactly those missing from the changes), as MERGE requires. The fact and its changes table have the same columns
   * (the runner checks), so the two halves line up by the explicit column list.
   */
  protected final List<String> applyAsOneMerge(IncrementalTarget t) {
    String target = quote("target");
    String changes = quote("changes");
    String vanished = quote("vanished");
    String flag = quote("heap__vanished");
    String key = quote(t.uniqueKey());
    StringBuilder merge =
        new StringBuilder("MERGE INTO ")
            .append(t.table().qualified()).append(" AS ").append(target)
            .append("\nUSING (")
            .append("\n  SELECT ").append(columnList(t.columns(), "")).append(", FALSE AS ").append(flag)
            .append("\n  FROM ").append(t.changes().qualified())
            .append("\n  UNION ALL")
            .append("\n  SELECT ").append(columnList(t.columns(), vanished + ".")).append(", TRUE AS ").append(flag)
            .append("\n  FROM ").append(t.table().qualified()).append(" AS ").append(vanished)
            .append("\n  WHERE ").append(vanished).append('.').append(quote(t.userColumn()))
            .append(" IN (SELECT ").append(quote(t.activeUserColumn())).append(" FROM ").append(t.activeUsers().qualified()).append(")")
            .append("\n  AND ").append(vanished).append('.').append(key)
            .append(" NOT IN (SELECT ").append(key).append(" FROM ").append(t.changes().qualified())
            .append(" WHERE ").append(key).append(" IS NOT NULL)")
            .append("\n) AS ").append(changes)
            .append("\nON ").append(target).append('.').append(key).append(" = ").append(changes).append('.').append(key)
            .append("\nWHEN MATCHED AND ").append(changes).append('.').append(flag).append(" THEN DELETE")
            // the other matches only where a value differs, as in mergeStatement
            .append("\nWHEN MATCHED AND (").append(changedCondition(t, target, changes)).append(") THEN UPDATE SET ")
            .append(updateList(t, changes))
            .append("\nWHEN NOT MATCHED AND NOT ").append(changes).append('.').append(flag)
            .append(" THEN INSERT (").append(columnList(t.columns(), "")).append(")")
            .append("\nVALUES (").append(columnList(t.columns(), changes + ".")).append(")");
    return List.of(merge.toString());
  }

  protected final String columnList(List<String> columns, String prefix) {
    StringBuilder b = new StringBuilder();
    for (String c : columns) {
      b.append(b.length() == 0 ? "" : ", ").append(prefix).append(quote(c));
    }
    return b.toString();
  }

  /**
   * Starts a transaction in a script (the runner uses JDBC transactions instead); unused where
   * {@link #hasTransactions()} is false.
   */
  public String beginTransaction() {
    return "BEGIN";
  }

  /** Commits a script's transaction. */
  public String commitTransaction() {
    return "COMMIT";
  }

  /**
   * The text of a script ({@link BuildPlan#script()}) for statements that must run in one transaction,
   * each statement ended by {@code ;} and a blank line: by default {@link #beginTransaction()}, the
   * statements, {@link #commitTransaction()}. A warehouse where a failing statement does not end the
   * transaction (Snowflake) wraps it so that a client that carries on after an error cannot commit half.
   * The runner does not use this: it runs the statements in a JDBC transaction.
   */
  public String transactionScript(List<String> statements) {
    StringBuilder b = new StringBuilder(beginTransaction()).append(";\n\n");
    for (String statement : statements) {
      b.append(statement).append(";\n\n");
    }
    return b.append(commitTransaction()).append(";\n\n").toString();
  }

  /**
   * An integer hash of one source row, for the per-user fingerprints of a reconciling run ({@link
   * SourcePrints}): it changes when any of {@code columns} (SQL expressions of the given types) changes,
   * NULL included. Hashes are only ever compared with hashes the same warehouse computed, so each uses
   * its own function. By default the values become one text, each as its length, a colon and its text
   * (or {@code -} for NULL), so no two rows make the same text, hashed by {@link #textHash}.
   */
  public String rowHash(List<String> columns, List<ColumnType> types) {
    String text = typeName(ColumnType.VARCHAR);
    List<String> pieces = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      String value = hashText(columns.get(i), types.get(i));
      pieces.add("COALESCE(CAST(LENGTH(" + value + ") AS " + text + ") || ':' || " + value + ", '-')");
    }
    return textHash(concat(pieces));
  }

  /**
   * Texts joined with commas, for {@link #rowHash}; none is NULL. One flat {@code CONCAT} call by
   * default: a chain of {@code ||} nests one level per column.
   */
  protected String concat(List<String> texts) {
    List<String> withCommas = new ArrayList<>();
    for (String t : texts) {
      if (!withCommas.isEmpty()) {
        withCommas.add("','");
      }
      withCommas.add(t);
    }
    return "CONCAT(" + String.join(", ", withCommas) + ")";
  }

  /**
   * A value as text for {@link #rowHash}; it must not depend on a session setting (date styles, time
   * zones), or a changed setting would make every row look changed.
   */
  protected String hashText(String column, ColumnType type) {
    return "CAST(" + column + " AS " + typeName(ColumnType.VARCHAR) + ")";
  }

  /** An integer hash of a text, for {@link #rowHash}; every warehouse names its own function. */
  protected abstract String textHash(String text);

  /**
   * Deletes the rows of {@code table} whose {@code column} is among the {@code keyColumn} values of
   * {@code keys}: {@code DELETE … WHERE column IN (SELECT …)}.
   */
  public String deleteWhereIn(TableName table, String column, TableName keys, String keyColumn) {
    return "DELETE FROM " + table.qualified() + " WHERE " + quote(column) + " IN (SELECT " + quote(keyColumn) + " FROM " + keys.qualified() + ")";
  }

  /**
   * How heap asks the session's time zone, in which a timestamp with a zone compares with heap's zoneless
   * ones. Empty where heap does not ask: BigQuery, whose TIMESTAMP is an instant compared with literals
   * that carry their offset; Spark, whose every TIMESTAMP is read in {@code spark.sql.session.timeZone}
   * (README, "Times and time zones"); Trino.
   */
  public Optional<SessionTimeZone> sessionTimeZone() {
    return Optional.empty();
  }

  /**
   * A query that reads the session's time zone, found in {@code column} (from 1) of its first row, and
   * what the error that refuses another zone tells the user to do: give the column without a zone, or
   * give heap a session in UTC.
   */
  public record SessionTimeZone(String sql, int column, String remedy) {
    /** The remedy where a view can give the column as {@code time AT TIME ZONE 'UTC'}. */
    public static String atTimeZoneUtcOr(String session) {
      return "give the column without a zone (in a view: time AT TIME ZONE 'UTC'), or " + session;
    }
  }

  /** The name a plain identifier is stored under in the catalog (for metadata look-ups). */
  public String storedName(String identifier) {
    return identifiers().stored(identifier);
  }

  /** A table of this warehouse: optional database, schema and name; {@link TableName#qualified()} quotes it. */
  public TableName table(Optional<String> database, String schema, String name) {
    return new TableName(this, database, schema, name);
  }

  /** What a name names, for {@link #nameProblem}: the rules differ (BigQuery's datasets, tables and columns). */
  public enum NameKind {
    /** {@code source.database}, {@code target.database} (BigQuery: the project). */
    DATABASE,
    /** {@code source.schema}, {@code target.schema} (BigQuery: the dataset). */
    SCHEMA,
    TABLE,
    COLUMN
  }

  /**
   * Why this warehouse cannot store {@code name} as a {@code kind} of name, from its documentation, or
   * empty when it can. Every name is quoted, so only what quoting cannot help is refused: characters the
   * warehouse does not allow in a name at all, and lengths beyond its limit. Where the rules depend on a
   * catalog the SQL does not know (Spark's, Trino's), nothing is refused.
   */
  protected Optional<String> nameProblem(NameKind kind, String name) {
    return Optional.empty();
  }

  /**
   * Refuses a name this warehouse cannot store, naming the warehouse, where the name comes from (a config
   * key, or a model) and the name: {@code bigquery cannot use source.schema "ヒープ" as a dataset name: …}.
   */
  public final void checkName(NameKind kind, String where, String name) {
    checkName(kind, () -> where, name);
  }

  /**
   * {@link #checkName(NameKind, String, String)} with the place worked out only for the message: every
   * renderer checks every name, and building each column's config key was a twentieth of a warm render.
   */
  private void checkName(NameKind kind, Supplier<String> where, String name) {
    // a name in double quotes is stored without them (Identifiers#isExact)
    Optional<String> problem = nameProblem(kind, Identifiers.bare(name));
    if (problem.isPresent()) {
      throw new HeapException(
          name() + " cannot use " + where.get() + " \"" + io.heapsdk.config.UserText.controlsEscaped(name) + "\" as a " + kindName(kind) + " name: " + problem.get());
    }
  }

  /** The word for a kind of name on this warehouse (BigQuery calls a schema a dataset). */
  protected String kindName(NameKind kind) {
    return kind.name().toLowerCase(Locale.ROOT);
  }

  /**
   * Refuses, before any SQL is written, a name of the config this warehouse cannot store: databases,
   * schemas, the source tables' and columns' physical names and the pass-through properties, each
   * named by its config key.
   */
  public final void checkNames(HeapConfig config) {
    config.sourceDatabase().ifPresent(d -> checkName(NameKind.DATABASE, "source.database", d));
    checkName(NameKind.SCHEMA, "source.schema", config.sourceSchema());
    config.targetDatabase().ifPresent(d -> checkName(NameKind.DATABASE, "target.database", d));
    checkName(NameKind.SCHEMA, "target.schema", config.targetSchema());
    Map<String, String> renamedColumns = config.sourceColumns();
    for (SourceTable t : config.catalog().tables()) {
      String tableKey = config.sourceTables().containsKey(t.name()) ? "source.tables." + t.name() : "Heap's table";
      checkName(NameKind.TABLE, tableKey, t.physicalName());
      for (SourceColumn c : t.columns()) {
        checkName(
            NameKind.COLUMN,
            () -> columnKey(config, t, c, renamedColumns.containsKey(t.name() + "." + c.name())),
            c.physicalName());
      }
    }
  }

  private static String columnKey(HeapConfig config, SourceTable t, SourceColumn c, boolean renamed) {
    if (renamed) {
      return "source.columns." + t.name() + "." + c.name();
    }
    return config.propertyKey(t.name(), c.name()).orElse("Heap's column " + t.name() + "." + c.name());
  }

  /**
   * {@link #checkNames(HeapConfig)}, then the names the plan's models give tables and columns: each
   * materialized model's table (with the working tables derived from it) and every model's columns.
   */
  final void checkNames(ProjectPlan plan) {
    checkNames(plan.config());
    requireModelsOutsideHeapsSchema(plan.config());
    for (PlannedModel m : plan.models()) {
      Materialization kind = m.model().materialization();
      if (kind != Materialization.EPHEMERAL) {
        checkName(NameKind.TABLE, "model", m.name());
        if (kind == Materialization.INCREMENTAL) {
          checkName(NameKind.TABLE, () -> "model " + m.name() + "'s working table", SqlRenderer.changesTableName(m.name()));
        }
        if (buildsIntoNewTable()) {
          checkName(NameKind.TABLE, () -> "model " + m.name() + "'s build table", m.name() + NEW_TABLE_SUFFIX);
        }
      }
      for (String column : m.columnNames()) {
        checkName(NameKind.COLUMN, () -> "model " + m.name() + "'s column", column);
      }
    }
  }

  /**
   * Whether Heap Connect syncs Heap's tables into this warehouse (Snowflake, BigQuery, Redshift): there
   * the schema of Heap's tables is Heap's, and tables or views made in it "will break the sync process"
   * (https://help.heap.io/heap-connect/heap-connect-faqs/can-i-create-views-within-the-heap-schema/).
   */
  protected boolean heapSyncsInto() {
    return false;
  }

  /**
   * Whether two names of the config name one schema or database here: as stored ({@link #storedName}),
   * a plain name folded as the warehouse folds it, an exact one ({@code "Name"}) as written.
   */
  protected boolean sameStoredName(String a, String b) {
    return storedName(a).equals(storedName(b));
  }

  /**
   * Refuses, where Heap syncs into this warehouse, a {@code target.schema} that is {@code source.schema}
   * in the same database: a run would create its facts, its state tables ({@code heap__…}) and its
   * working tables among Heap's tables, which breaks Heap's sync. Only where the names show it is the
   * same schema: both databases unset, or both set to one name (a database set on one side alone may be
   * another than the connection's).
   */
  private void requireModelsOutsideHeapsSchema(HeapConfig config) {
    if (!heapSyncsInto() || !sameStoredName(config.sourceSchema(), config.targetSchema())) {
      return;
    }
    boolean sameDatabase =
        config.sourceDatabase().isEmpty() && config.targetDatabase().isEmpty()
            || config.sourceDatabase().isPresent() && config.targetDatabase().isPresent()
                && sameStoredName(config.sourceDatabase().get(), config.targetDatabase().get());
    if (sameDatabase) {
      throw new io.heapsdk.config.HeapConfigException(
          config.origin(),
          "target.schema",
          "the models would go into " + config.targetSchema() + ", the schema of Heap's tables"
              + " (source.schema), where Heap Connect says tables and views made by others break its sync"
              + " (https://help.heap.io/heap-connect/heap-connect-faqs/can-i-create-views-within-the-heap-schema/): give the models a"
              + " schema of their own on " + name() + " (the default is heap_models)");
    }
  }

  /** The length of {@code name} in UTF-8 bytes, the unit of PostgreSQL's, Redshift's and BigQuery's table limits. */
  protected static int utf8Bytes(String name) {
    return name.getBytes(StandardCharsets.UTF_8).length;
  }

  /**
   * The first code point of {@code name} that {@code allowed} refuses, or -1. A loop rather than a
   * stream of code points: every renderer checks every name of the config and the plan.
   */
  protected static int firstRefused(String name, IntPredicate allowed) {
    for (int i = 0; i < name.length(); ) {
      int cp = name.codePointAt(i);
      if (!allowed.test(cp)) {
        return cp;
      }
      i += Character.charCount(cp);
    }
    return -1;
  }

  /** A character for an error message: {@code "é" (U+00E9)}, or only the code for an invisible one. */
  protected static String describe(int codePoint) {
    String code = String.format(Locale.ROOT, "U+%04X", codePoint);
    int type = Character.getType(codePoint);
    boolean invisible =
        type == Character.CONTROL || type == Character.FORMAT || type == Character.SPACE_SEPARATOR
            || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
            || type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK || type == Character.SURROGATE
            || type == Character.UNASSIGNED || type == Character.PRIVATE_USE;
    return invisible ? code : "\"" + new String(Character.toChars(codePoint)) + "\" (" + code + ")";
  }

  /** Where a warehouse without {@code CREATE OR REPLACE} builds a table before swapping it in. */
  public static final String NEW_TABLE_SUFFIX = "__new";

  /**
   * Whether a full refresh builds {@code <table>__new} first (so that name must be storable too, and a
   * run that dies part-way can leave that table behind).
   */
  public boolean buildsIntoNewTable() {
    return !hasCreateOrReplace();
  }

  @Override
  public String toString() {
    return name();
  }
}
