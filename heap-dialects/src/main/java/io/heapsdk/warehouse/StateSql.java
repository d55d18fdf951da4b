package io.heapsdk.warehouse;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.source.ColumnType;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The statements of a target schema's run state, for one warehouse: {@value #RUNS} (one row per run:
 * id, owner, mode, status, times, the high-water mark it used and the one it leaves for the next run,
 * its working tables), {@value #MODEL_STATE} (per materialized model: the fingerprint of the definition
 * its table was built with, the run that last built it, its rows) and {@value #LOCK} (one row: the run
 * holding the target schema, with its heartbeat).
 *
 * <p>Text only, built from the warehouse's quoting and literals: run ids, owners, model names and
 * messages are data and are never pasted into SQL unquoted. Times are UTC wall-clock {@code TIMESTAMP}s
 * written as {@code CAST('yyyy-MM-dd HH:mm:ss.SSSSSS' AS <timestamp type>)}, which every warehouse reads.
 * Only standard statements ({@code CREATE TABLE IF NOT EXISTS}, {@code INSERT … SELECT}, {@code UPDATE
 * … WHERE}, {@code DELETE … WHERE}, {@code SELECT … LIMIT}) are used, so the state works on every
 * warehouse; no constraint is relied on, since Snowflake, BigQuery and Redshift do not enforce them.
 */
public final class StateSql {
  public static final String RUNS = "heap__runs";
  public static final String MODEL_STATE = "heap__model_state";
  public static final String LOCK = "heap__run_lock";
  public static final String SETTINGS = "heap__run_settings";
  /** The setting of {@link #settings()} that the next run's mark depends on. */
  public static final String LOOKBACK = "late_arrival_lookback_days";

  /** The name of the one lock row (a schema could one day hold other locks). */
  static final String LOCK_NAME = "run";

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS", Locale.ROOT);

  /** Columns of {@value #RUNS}, in the order {@link #selectRuns} returns them. */
  public static final List<String> RUN_COLUMNS =
      List.of(
          "run_id", "owner", "mode", "status", "started_at", "heartbeat_at", "finished_at", "mark", "next_mark",
          "work_tables", "detail");

  private final Warehouse w;
  private final Optional<String> database;
  private final String schema;
  private final Optional<String> location;

  public StateSql(Warehouse warehouse, HeapConfig config) {
    this.w = warehouse;
    this.database = config.targetDatabase();
    this.schema = config.targetSchema();
    this.location = config.targetLocation();
  }

  public TableName runs() {
    return w.table(database, schema, RUNS);
  }

  public TableName modelState() {
    return w.table(database, schema, MODEL_STATE);
  }

  public TableName lock() {
    return w.table(database, schema, LOCK);
  }

  /**
   * The settings the last successful run recorded its mark with, one row per setting (name, value,
   * run_id): the late-arrival lookback, which that mark has subtracted already. A table of its own, so a
   * schema whose state tables predate it needs no {@code ALTER TABLE}.
   */
  public TableName settings() {
    return w.table(database, schema, SETTINGS);
  }

  /** A table of the target schema by its unqualified name (a crashed run's working table). */
  public TableName target(String name) {
    return w.table(database, schema, name);
  }

  /**
   * The statement that creates the state's schema (the target schema) unless it exists, in {@code
   * target.location} where the warehouse places schemas (BigQuery). A run's first statement creates it:
   * without the location a new BigQuery dataset landed in the job's default one, the build's own
   * statement (which has it) was skipped as the schema was there, and the first query reading EU sources
   * into it failed; a dataset's location cannot be changed once it is created.
   */
  public String createSchema() {
    return w.createSchema(database, schema, location);
  }

  public Optional<String> database() {
    return database;
  }

  public String schema() {
    return schema;
  }

  /** The schema, then the four state tables, each only when it does not exist. */
  public List<String> createTables() {
    Map<String, ColumnType> runs = new LinkedHashMap<>();
    for (String c : RUN_COLUMNS) {
      runs.put(c, c.endsWith("_at") || c.endsWith("mark") ? ColumnType.TIMESTAMP : ColumnType.VARCHAR);
    }
    Map<String, ColumnType> lock = new LinkedHashMap<>();
    lock.put("lock_name", ColumnType.VARCHAR);
    lock.put("run_id", ColumnType.VARCHAR);
    lock.put("owner", ColumnType.VARCHAR);
    lock.put("started_at", ColumnType.TIMESTAMP);
    lock.put("heartbeat_at", ColumnType.TIMESTAMP);
    Map<String, ColumnType> settings = new LinkedHashMap<>();
    settings.put("name", ColumnType.VARCHAR);
    settings.put("value", ColumnType.VARCHAR);
    settings.put("run_id", ColumnType.VARCHAR);
    return List.of(
        createSchema(), create(runs(), runs), createModelState(), create(lock(), lock), create(settings(), settings));
  }

  /** {@value #MODEL_STATE} unless it exists (the schema must). */
  public String createModelState() {
    Map<String, ColumnType> models = new LinkedHashMap<>();
    models.put("model", ColumnType.VARCHAR);
    models.put("fingerprint", ColumnType.VARCHAR);
    models.put("run_id", ColumnType.VARCHAR);
    models.put("built_at", ColumnType.TIMESTAMP);
    models.put("row_count", ColumnType.BIGINT);
    models.put("status", ColumnType.VARCHAR);
    return create(modelState(), models);
  }

  /**
   * The status of a model whose table statements run outside {@code heap run} wrote since a run recorded
   * it: {@code heap compile}'s script, or a host running a {@link BuildPlan}'s statements itself.
   */
  public static final String WRITTEN_OUTSIDE_RUNS = "written outside heap run";

  /**
   * Marks what a run recorded of {@code models} ({@link #WRITTEN_OUTSIDE_RUNS}), so the next {@code heap
   * run} rebuilds them in full rather than trust a definition the tables may no longer hold. The
   * fingerprint stays: it is still the definition that run built, which a run without its config is
   * refused against ({@code DefaultsGuard}). A model no run recorded has no row to mark, and is rebuilt for that.
   */
  public String markWrittenOutsideRuns(List<String> models) {
    List<String> names = new ArrayList<>();
    models.forEach(m -> names.add(w.literal(m)));
    return "UPDATE " + modelState().qualified()
        + "\nSET " + q("status") + " = " + w.literal(WRITTEN_OUTSIDE_RUNS)
        + "\nWHERE " + q("model") + " IN (" + String.join(", ", names) + ")";
  }

  private String create(TableName table, Map<String, ColumnType> columns) {
    List<String> defs = new ArrayList<>();
    columns.forEach((name, type) -> defs.add(w.quote(name) + " " + w.typeName(type)));
    String clause = w.stateTableClause();
    return "CREATE TABLE IF NOT EXISTS " + table.qualified() + " (" + String.join(", ", defs) + ")"
        + (clause.isEmpty() ? "" : " " + clause);
  }

  /** Puts the (free) lock row in place unless there is one. */
  public String ensureLockRow() {
    return "INSERT INTO " + lock().qualified() + " (" + cols("lock_name", "run_id", "owner", "started_at", "heartbeat_at") + ")"
        + "\nSELECT " + w.literal(LOCK_NAME) + ", " + nullOf(ColumnType.VARCHAR) + ", " + nullOf(ColumnType.VARCHAR) + ", "
        + nullOf(ColumnType.TIMESTAMP) + ", " + nullOf(ColumnType.TIMESTAMP)
        + "\nWHERE NOT EXISTS (SELECT 1 FROM " + lock().qualified() + " WHERE " + isLockRow() + ")";
  }

  /**
   * Takes the lock from {@code holder} as read just before (empty: the lock was free): one conditional
   * {@code UPDATE}, so two runs racing for it are ordered by the row lock (or, on Redshift, one of them
   * fails serialization) and at most one sees its id in the row afterwards. The row must still be as read:
   * free, or held by {@code holder} with a lock-row heartbeat older than {@code staleBefore}.
   *
   * <p>A holder beats in two places: the lock row, and, once the run is recorded, its {@code heap__runs}
   * row ({@link #heartbeatRun}), where its heartbeat thread goes on beating while a transaction of the run
   * holds the lock row. The caller ({@code RunState.tryLock}) reads both and asks for the lock only when
   * both are stale: a subquery here would say the same in one statement, but Delta Lake refuses every
   * subquery in an {@code UPDATE}'s condition.
   */
  public String acquireLock(String runId, String owner, LocalDateTime now, LocalDateTime staleBefore, Optional<String> holder) {
    return "UPDATE " + lock().qualified()
        + "\nSET " + q("run_id") + " = " + w.literal(runId) + ", " + q("owner") + " = " + w.literal(owner) + ", "
        + q("started_at") + " = " + time(now) + ", " + q("heartbeat_at") + " = " + time(now)
        + "\nWHERE " + isLockRow() + " AND "
        + holder
            .map(h -> q("run_id") + " = " + w.literal(h) + " AND (" + q("heartbeat_at") + " IS NULL OR " + q("heartbeat_at") + " < "
                + time(staleBefore) + ")")
            .orElse(q("run_id") + " IS NULL");
  }

  /** The status of a run in {@code heap__runs} from its record until it ends. */
  public static final String RUNNING = "running";

  /** Renews the heartbeat, only while {@code runId} still holds the lock (0 rows: it was taken over). */
  public String heartbeatLock(String runId, LocalDateTime now) {
    return "UPDATE " + lock().qualified() + " SET " + q("heartbeat_at") + " = " + time(now)
        + " WHERE " + isLockRow() + " AND " + q("run_id") + " = " + w.literal(runId);
  }

  public String releaseLock(String runId) {
    return "UPDATE " + lock().qualified()
        + " SET " + q("run_id") + " = " + nullOf(ColumnType.VARCHAR) + ", " + q("owner") + " = " + nullOf(ColumnType.VARCHAR)
        + ", " + q("started_at") + " = " + nullOf(ColumnType.TIMESTAMP) + ", " + q("heartbeat_at") + " = "
        + nullOf(ColumnType.TIMESTAMP)
        + " WHERE " + isLockRow() + " AND " + q("run_id") + " = " + w.literal(runId);
  }

  /** run_id, owner, started_at, heartbeat_at of the lock row(s). */
  public String selectLock() {
    return "SELECT " + cols("run_id", "owner", "started_at", "heartbeat_at") + " FROM " + lock().qualified()
        + " WHERE " + isLockRow();
  }

  /** A run's row, written before it creates anything, so that a crash leaves a trace. */
  public String insertRun(String runId, String owner, String mode, LocalDateTime now, Optional<LocalDateTime> mark, List<String> workTables) {
    return "INSERT INTO " + runs().qualified() + " (" + cols(RUN_COLUMNS.toArray(String[]::new)) + ")"
        + "\nVALUES (" + w.literal(runId) + ", " + w.literal(owner) + ", " + w.literal(mode) + ", " + w.literal(RUNNING)
        + ", " + time(now) + ", " + time(now) + ", " + nullOf(ColumnType.TIMESTAMP) + ", " + time(mark) + ", "
        + nullOf(ColumnType.TIMESTAMP) + ", " + w.literal(String.join("\n", workTables)) + ", " + w.literal("") + ")";
  }

  public String heartbeatRun(String runId, LocalDateTime now) {
    // only while it runs: a run another one recorded as crashed (it took the lock over) beats no more
    return "UPDATE " + runs().qualified() + " SET " + q("heartbeat_at") + " = " + time(now) + " WHERE " + q("run_id")
        + " = " + w.literal(runId) + " AND " + q("status") + " = " + w.literal(RUNNING);
  }

  /** The {@code heap__runs} heartbeat of a run while it is recorded as running (no row otherwise). */
  public String selectRunHeartbeat(String runId) {
    return "SELECT " + q("heartbeat_at") + " FROM " + runs().qualified() + " WHERE " + q("run_id") + " = " + w.literal(runId)
        + " AND " + q("status") + " = " + w.literal(RUNNING);
  }

  /**
   * Ends a run: {@code succeeded} with the mark the next run starts from, or {@code failed}; its working
   * tables are gone then ({@code workTables} lists any it could not drop).
   */
  public String finishRun(String runId, String status, LocalDateTime now, Optional<LocalDateTime> nextMark, List<String> workTables, String detail) {
    return "UPDATE " + runs().qualified()
        + "\nSET " + q("status") + " = " + w.literal(status) + ", " + q("finished_at") + " = " + time(now) + ", "
        + q("heartbeat_at") + " = " + time(now) + ", " + q("next_mark") + " = " + time(nextMark) + ", "
        + q("work_tables") + " = " + w.literal(String.join("\n", workTables)) + ", " + q("detail") + " = " + w.literal(detail)
        + "\nWHERE " + q("run_id") + " = " + w.literal(runId);
  }

  /** A run that died without finishing, found by the next one, its working tables dropped. */
  public String markCrashed(String runId, LocalDateTime now, String detail) {
    return "UPDATE " + runs().qualified()
        + "\nSET " + q("status") + " = " + w.literal("crashed") + ", " + q("finished_at") + " = " + time(now) + ", "
        + q("work_tables") + " = " + w.literal("") + ", " + q("detail") + " = " + w.literal(detail)
        + "\nWHERE " + q("run_id") + " = " + w.literal(runId) + " AND " + q("status") + " = " + w.literal(RUNNING);
  }

  /**
   * Forgets the finished runs (succeeded, failed, crashed) that ended before {@code before}, except
   * {@code keep} (the run recording its success, whose mark the next run reads) and any run whose working
   * tables are still listed (a later run drops them).
   */
  public String pruneRuns(String keep, LocalDateTime before) {
    return "DELETE FROM " + runs().qualified()
        + "\nWHERE " + q("status") + " IN (" + w.literal("succeeded") + ", " + w.literal("failed") + ", " + w.literal("crashed") + ")"
        + " AND " + q("finished_at") + " < " + time(before) + " AND " + q("run_id") + " <> " + w.literal(keep)
        + " AND (" + q("work_tables") + " IS NULL OR " + q("work_tables") + " = " + w.literal("") + ")";
  }

  /** A failed run's working tables, dropped by a later run. */
  public String clearWorkTables(String runId) {
    return "UPDATE " + runs().qualified() + " SET " + q("work_tables") + " = " + w.literal("") + " WHERE " + q("run_id")
        + " = " + w.literal(runId);
  }

  /** The newest {@code limit} runs, newest first, columns as {@link #RUN_COLUMNS}. */
  public String selectRuns(int limit) {
    return "SELECT " + cols(RUN_COLUMNS.toArray(String[]::new)) + " FROM " + runs().qualified()
        + " ORDER BY " + q("started_at") + " DESC LIMIT " + limit;
  }

  /** Runs that may have left working tables or never finished, columns as {@link #RUN_COLUMNS}. */
  public String selectUnfinishedRuns() {
    return "SELECT " + cols(RUN_COLUMNS.toArray(String[]::new)) + " FROM " + runs().qualified()
        + " WHERE " + q("status") + " = " + w.literal(RUNNING) + " OR (" + q("work_tables") + " IS NOT NULL AND "
        + q("work_tables") + " <> " + w.literal("") + ")";
  }

  /** The run {@code runId}, if {@value #RUNS} still holds it, columns as {@link #RUN_COLUMNS}. */
  public String selectRun(String runId) {
    return "SELECT " + cols(RUN_COLUMNS.toArray(String[]::new)) + " FROM " + runs().qualified()
        + " WHERE " + q("run_id") + " = " + w.literal(runId);
  }

  /** The newest successful run, columns as {@link #RUN_COLUMNS}. */
  public String selectLastSuccess() {
    return "SELECT " + cols(RUN_COLUMNS.toArray(String[]::new)) + " FROM " + runs().qualified()
        + " WHERE " + q("status") + " = " + w.literal("succeeded") + " ORDER BY " + q("finished_at") + " DESC LIMIT 1";
  }

  /**
   * The settings a successful run recorded, replacing the previous run's (in its success transaction):
   * one {@code DELETE} and one {@code INSERT} of every row, whatever their number (on BigQuery each DML
   * statement is a job of its own, with its latency and its quota).
   */
  public List<String> replaceSettings(String runId, Map<String, String> values) {
    List<String> statements = new ArrayList<>();
    statements.add("DELETE FROM " + settings().qualified() + " WHERE " + q("name") + " IS NOT NULL");
    if (!values.isEmpty()) {
      List<String> rows = new ArrayList<>();
      values.forEach((name, value) -> rows.add("(" + w.literal(name) + ", " + w.literal(value) + ", " + w.literal(runId) + ")"));
      statements.add("INSERT INTO " + settings().qualified() + " (" + cols("name", "value", "run_id") + ")\nVALUES " + String.join(",\n  ", rows));
    }
    return statements;
  }

  /** name, value, run_id of every recorded setting. */
  public String selectSettings() {
    return "SELECT " + cols("name", "value", "run_id") + " FROM " + settings().qualified();
  }

  /** model, fingerprint, run_id, built_at, row_count, status of every model. */
  public String selectModelState() {
    return "SELECT " + cols("model", "fingerprint", "run_id", "built_at", "row_count", "status") + " FROM "
        + modelState().qualified();
  }

  /** A model's state after a run: the old row removed, the new one inserted (one transaction). */
  public List<String> replaceModelState(String model, String fingerprint, String runId, LocalDateTime now, long rows, String status) {
    return List.of(
        "DELETE FROM " + modelState().qualified() + " WHERE " + q("model") + " = " + w.literal(model),
        "INSERT INTO " + modelState().qualified() + " (" + cols("model", "fingerprint", "run_id", "built_at", "row_count", "status")
            + ")\nVALUES (" + w.literal(model) + ", " + w.literal(fingerprint) + ", " + w.literal(runId) + ", " + time(now)
            + ", " + rows + ", " + w.literal(status) + ")");
  }

  /**
   * The one-row SELECT of an incremental run's high-water mark taken from the state: column {@code
   * since}, NULL when every user is to be recomputed.
   */
  public String markSelect(Optional<LocalDateTime> mark) {
    return "SELECT " + time(mark) + " AS " + q("since");
  }

  /** A UTC wall-clock time as a literal of the warehouse's timestamp type. */
  public String time(LocalDateTime t) {
    return w.timestampLiteral(TIME.format(t));
  }

  private String time(Optional<LocalDateTime> t) {
    return t.map(this::time).orElseGet(() -> nullOf(ColumnType.TIMESTAMP));
  }

  private String nullOf(ColumnType type) {
    return "CAST(NULL AS " + w.typeName(type) + ")";
  }

  private String isLockRow() {
    return q("lock_name") + " = " + w.literal(LOCK_NAME);
  }

  private String q(String column) {
    return w.quote(column);
  }

  private String cols(String... columns) {
    List<String> quoted = new ArrayList<>();
    for (String c : columns) {
      quoted.add(w.quote(c));
    }
    return String.join(", ", quoted);
  }
}
