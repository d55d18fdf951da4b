package io.heapsdk.run;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.internal.JdbcValues;
import io.heapsdk.warehouse.StateSql;
import io.heapsdk.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and writes a target schema's run state ({@link StateSql}) on one connection. Not thread-safe:
 * the heartbeat thread has its own instance on its own connection.
 */
public final class RunState {
  /** One row of {@code heap__runs}. */
  public record Run(
      String runId,
      String owner,
      String mode,
      String status,
      Optional<LocalDateTime> startedAt,
      Optional<LocalDateTime> heartbeatAt,
      Optional<LocalDateTime> finishedAt,
      Optional<LocalDateTime> mark,
      Optional<LocalDateTime> nextMark,
      List<String> workTables,
      String detail) {}

  /** One row of {@code heap__model_state}. */
  public record ModelState(String model, String fingerprint, String runId, Optional<LocalDateTime> builtAt, long rows, String status) {
    /**
     * Whether run {@code runId} was replacing the model's table when it stopped: it recorded no
     * definition, so the table may hold either (see {@link JdbcRunner}).
     */
    public boolean beingReplaced() {
      return REPLACING.equals(status);
    }

    /** Whether statements run outside heap run (a compiled script) wrote the table since the run recorded it. */
    public boolean writtenOutsideRuns() {
      return StateSql.WRITTEN_OUTSIDE_RUNS.equals(status);
    }
  }

  /** The status of a model whose table a run is replacing, until it records the definition the table holds. */
  public static final String REPLACING = "being replaced";

  /** One row of {@code heap__run_settings}: a setting the run {@code runId} recorded its success with. */
  public record Setting(String name, String value, String runId) {}

  /**
   * The lock row: who holds it, if anyone, and the holder's newest heartbeat (of the lock row and, while
   * it is recorded as running, of its own {@code heap__runs} row).
   */
  public record Lock(Optional<String> runId, String owner, Optional<LocalDateTime> startedAt, Optional<LocalDateTime> heartbeatAt) {}

  private static final Logger LOG = LoggerFactory.getLogger(RunState.class);

  private final Warehouse warehouse;
  private final StateSql sql;
  private final Connection connection;

  public RunState(Warehouse warehouse, HeapConfig config, Connection connection) {
    this.warehouse = warehouse;
    this.sql = new StateSql(warehouse, config);
    this.connection = connection;
  }

  StateSql sql() {
    return sql;
  }

  /**
   * Creates the schema and the state tables unless they exist, and the lock row. Two runs starting
   * together can both try to create them, and PostgreSQL then refuses one {@code CREATE … IF NOT
   * EXISTS} (a unique violation in its catalog): tried again, the tables are there. Nothing more runs once
   * {@code cancelled}, asked before each statement: a cancelled statement tried again, or the next one
   * after a cancel that came between two, would wait for whatever the first was waiting for (a state
   * table another session locked), and no cancel would reach it. Throws the run's failure then, which
   * the runner says as the cancel it was.
   */
  void ensureTables(java.util.function.BooleanSupplier cancelled) {
    SQLException last = null;
    // a schema made for heap by an administrator is not created again: see TableLookup#schemaExists
    boolean schemaThere = TableLookup.schemaExists(warehouse, connection, sql.database(), sql.schema());
    if (!schemaThere) {
      for (String other : TableLookup.schemasDifferingInCase(warehouse, connection, sql.database(), sql.schema())) {
        // as stored, quoted as the config keeps a name written in double quotes (Warehouse#quote would fold
        // it), in YAML's single quotes (a quote inside doubled)
        String quoted = "\"" + other.replace("\"", "\"\"") + "\"";
        LOG.warn(
            "target.schema {} is stored as {} on {}, which creates it now; a schema {} exists, another one to the database, which the"
                + " models do not go to: to use that one, write target.schema: '{}' (in double quotes, kept as written)",
            sql.schema(), warehouse.storedName(sql.schema()), warehouse.name(), quoted, quoted.replace("'", "''"));
      }
    }
    for (int attempt = 0; attempt < 5; attempt++) {
      // whether the statement that failed created a table (else it wrote the lock row)
      boolean creating = true;
      try {
        for (String s : sql.createTables()) {
          if (cancelled.getAsBoolean()) {
            break;
          }
          if (s.equals(sql.createSchema())) {
            if (!schemaThere) {
              createSchema(s);
            }
          } else {
            execute(s);
          }
        }
        if (cancelled.getAsBoolean()) {
          break;
        }
        creating = false;
        execute(sql.ensureLockRow());
        return;
      } catch (SQLException e) {
        if (HeapRunException.privilegeRefused(e)) {
          // no try will do better, and the database's words name a privilege, not what heap's user may not
          // do ("permission denied for schema heap_models" read as the run state's fault)
          String said = cut(String.valueOf(e.getMessage()).strip().replaceAll("\\s+", " "));
          throw HeapRunException.ofRun(
              creating
                  ? "heap's database user may not create its tables in the target schema " + sql.schema() + " (" + said
                      + "): grant it USAGE and CREATE on that schema, or set target.schema to one it may use"
                  : "heap's database user may not write heap's run state in the target schema " + sql.schema() + " (" + said
                      + "): the tables heap__runs, heap__run_lock, heap__model_state and heap__run_settings there belong to another user; grant heap's"
                      + " user SELECT, INSERT, UPDATE and DELETE on them, or set target.schema to a schema of its own",
              e);
        }
        last = e;
        if (cancelled.getAsBoolean()) {
          break;
        }
        sleep(200L * (attempt + 1));
      }
    }
    if (last == null) {
      // cancelled between two statements: nothing failed
      throw new HeapRunException("(run state)", "cancelled while creating the run state tables");
    }
    throw new HeapRunException("(run state)", warehouse.name(), "(creating the run state tables)", last);
  }

  /**
   * Creates the target schema, which is not there. Refused for want of a privilege, the database's own
   * words name only the privilege (PostgreSQL: "permission denied for database analytics"): heap says
   * the schema is missing and what to do.
   */
  private void createSchema(String statement) throws SQLException {
    try {
      execute(statement);
    } catch (SQLException e) {
      if (HeapRunException.privilegeRefused(e)) {
        throw HeapRunException.ofRun(
            "the target schema " + sql.schema() + " does not exist, and heap's database user may not create it ("
                + HeapRunException.reason(e) + "): have it created, with USAGE and CREATE on it granted to heap's user, or set"
                + " target.schema to a schema that exists",
            e);
      }
      throw e;
    }
  }

  /** {@code text} cut to 300 characters, a driver's message being one line of a run's failure. */
  private static String cut(String text) {
    return text.length() > 300 ? text.substring(0, 299) + "…" : text;
  }

  /** Whether the state tables exist (a schema built before heap kept state has none). */
  public boolean exists() {
    try {
      return TableLookup.exists(warehouse, connection, sql.runs()) && TableLookup.exists(warehouse, connection, sql.modelState());
    } catch (SQLException e) {
      throw new HeapRunException("(run state)", warehouse.name(), "(looking up the run state tables)", e);
    }
  }

  /** The newest runs, newest first. */
  public List<Run> runs(int limit) {
    return queryRuns(sql.selectRuns(limit));
  }

  public Optional<Run> lastSuccess() {
    return queryRuns(sql.selectLastSuccess()).stream().findFirst();
  }

  /** The run {@code runId}, if {@code heap__runs} still holds it ({@code incremental.run_history_days}). */
  public Optional<Run> run(String runId) {
    return queryRuns(sql.selectRun(runId)).stream().findFirst();
  }

  List<Run> unfinished() {
    return queryRuns(sql.selectUnfinishedRuns());
  }

  public Map<String, ModelState> models() {
    Map<String, ModelState> states = new LinkedHashMap<>();
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery(sql.selectModelState())) {
      while (rs.next()) {
        states.put(rs.getString(1), new ModelState(rs.getString(1), rs.getString(2), rs.getString(3), time(rs, 4), rs.getLong(5), rs.getString(6)));
      }
    } catch (SQLException e) {
      throw failure("(reading " + sql.modelState() + ")", e);
    }
    return states;
  }

  /**
   * The settings the last successful run recorded, by name; none where it recorded none (a run from
   * before they were kept, or a schema without the table yet: {@code --dry-run} creates nothing).
   */
  public Map<String, Setting> settings() {
    Map<String, Setting> settings = new LinkedHashMap<>();
    try {
      if (!TableLookup.exists(warehouse, connection, sql.settings())) {
        return settings;
      }
      try (Statement s = connection.createStatement();
          ResultSet rs = s.executeQuery(sql.selectSettings())) {
        while (rs.next()) {
          settings.put(rs.getString(1), new Setting(rs.getString(1), rs.getString(2), rs.getString(3)));
        }
      }
    } catch (SQLException e) {
      throw failure("(reading " + sql.settings() + ")", e);
    }
    return settings;
  }

  /**
   * The late-arrival lookback {@code run} took its mark with, where it recorded one ({@code
   * heap__run_settings}; runs from before the table was kept did not).
   */
  public Optional<Integer> lookbackRecordedBy(Run run) {
    return lookbackRecordedBy(settings(), run, sql);
  }

  /** {@link #lookbackRecordedBy(Run)} from settings read already. */
  static Optional<Integer> lookbackRecordedBy(Map<String, Setting> settings, Run run, StateSql sql) {
    Setting s = settings.get(StateSql.LOOKBACK);
    if (s == null || !run.runId().equals(s.runId())) {
      return Optional.empty();
    }
    try {
      return Optional.of(Integer.parseInt(s.value().strip()));
    } catch (NumberFormatException e) {
      LOG.warn("{} holds {} = '{}', not a number of days: taken as unchanged", sql.settings().qualified(), s.name(), s.value());
      return Optional.empty();
    }
  }

  /** The lock row; a free lock has no run id. */
  public Lock lock() {
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery(sql.selectLock())) {
      Lock found = new Lock(Optional.empty(), "", Optional.empty(), Optional.empty());
      while (rs.next()) {
        String id = rs.getString(1);
        if (id != null) {
          found = new Lock(Optional.of(id), String.valueOf(rs.getString(2)), time(rs, 3), time(rs, 4));
        }
      }
      if (found.runId().isEmpty()) {
        return found;
      }
      // the holder's newest beat: its own row's, where the lock row waited behind its transaction
      Optional<LocalDateTime> own = runHeartbeat(found.runId().get());
      if (own.isPresent() && (found.heartbeatAt().isEmpty() || own.get().isAfter(found.heartbeatAt().get()))) {
        return new Lock(found.runId(), found.owner(), found.startedAt(), own);
      }
      return found;
    } catch (SQLException e) {
      throw failure("(reading " + sql.lock() + ")", e);
    }
  }

  private Optional<LocalDateTime> runHeartbeat(String runId) throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery(sql.selectRunHeartbeat(runId))) {
      return rs.next() ? time(rs, 1) : Optional.empty();
    }
  }

  /**
   * One attempt to take the lock; true when this run holds it afterwards. A statement the database
   * refuses because another run is taking the lock at the same moment (a row-lock timeout on H2, a
   * serialization failure on Redshift) counts as not taken.
   */
  LockAttempt tryLock(String runId, String owner, LocalDateTime now, LocalDateTime staleBefore) {
    return tryLock(runId, owner, now, staleBefore, staleBefore);
  }

  LockAttempt tryLock(String runId, String owner, LocalDateTime now, LocalDateTime staleBefore, LocalDateTime endedSessionBefore) {
    boolean sessionEnded = false;
    try {
      // free, or held by a run whose heartbeats (the lock row's and its own row's) are both stale, or
      // older than the shorter endedSessionBefore where its database session has ended (killed, or the
      // server restarted under it)
      Lock held = lock();
      LocalDateTime before = staleBefore;
      if (held.runId().isPresent() && held.heartbeatAt().filter(t -> !t.isBefore(staleBefore)).isPresent()) {
        if (held.heartbeatAt().get().isBefore(endedSessionBefore) && sessionEnded(held.owner())) {
          sessionEnded = true;
          // the UPDATE checks the heartbeat again: a live holder that beat meanwhile keeps its lock
          before = endedSessionBefore;
        } else {
          return new LockAttempt(false, Optional.empty(), false);
        }
      }
      execute(sql.acquireLock(runId, owner, now, before, held.runId()));
    } catch (SQLException e) {
      return new LockAttempt(false, Optional.of(e), false);
    } catch (HeapRunException e) {
      // the read of the lock refused (lock()): as a refused statement, with the database's own error
      return new LockAttempt(false, Optional.of(e.getCause() instanceof SQLException q ? q : new SQLException(e.getMessage(), e)), false);
    }
    // read back rather than trust the update count, which not every driver reports
    return new LockAttempt(lock().runId().filter(runId::equals).isPresent(), Optional.empty(), sessionEnded);
  }

  /**
   * One attempt at the lock: taken or not; the database's refusal of the statement if it refused it
   * (kept to say why when the lock looks free but could not be taken, e.g. a damaged database file); and
   * whether it was taken from a holder whose database session had ended, heartbeat fresh or not.
   */
  record LockAttempt(boolean taken, Optional<SQLException> refused, boolean fromEndedSession) {}

  /**
   * The server session of this state's connection, where the warehouse can name one ({@link
   * Warehouse#sessionSelect}): a run puts it in its lock's owner. Empty where it cannot, or the query
   * was refused (then the lock is taken over only once stale, as before sessions were recorded).
   */
  Optional<String> session() {
    Optional<String> query = warehouse.sessionSelect();
    if (query.isEmpty()) {
      return Optional.empty();
    }
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery(query.get())) {
      return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
    } catch (SQLException e) {
      LOG.debug("could not name this connection's session ({}): the lock is taken over only once its heartbeat is stale", e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * Whether the database session a lock's or a run's {@code owner} names has ended ({@link
   * Warehouse#sessionEndedSelect}): its run is dead, whatever its heartbeat says. False where the owner
   * names no session, or the question was refused: a run is taken for dead only on the database's word.
   */
  public boolean sessionEnded(String owner) {
    Optional<String> query = warehouse.sessionEndedSelect(owner);
    if (query.isEmpty()) {
      return false;
    }
    try {
      if (!connection.getAutoCommit()) {
        // a refused look-up (pg_stat_activity revoked) would abort the caller's open transaction
        return false;
      }
    } catch (SQLException e) {
      return false;
    }
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery(query.get())) {
      return rs.next() && rs.getBoolean(1);
    } catch (SQLException e) {
      LOG.debug("could not ask whether the session of {} has ended ({})", owner, e.getMessage());
      return false;
    }
  }

  /** Renews the heartbeat, on the lock row and the run's own row; false when another run has taken the lock over. */
  boolean heartbeat(String runId, LocalDateTime now) throws SQLException {
    int updated = update(sql.heartbeatLock(runId, now));
    execute(sql.heartbeatRun(runId, now));
    return updated != 0;
  }

  /**
   * Renews the heartbeat on the lock row alone; false when another run has taken the lock over. The first
   * statement of a run's transaction: it holds the lock row until COMMIT (a takeover waits for it, then
   * finds the heartbeat fresh), and leaves the run's own row to the heartbeat thread, which must not wait
   * behind the transaction.
   */
  boolean fence(String runId, LocalDateTime now) throws SQLException {
    return update(sql.heartbeatLock(runId, now)) != 0;
  }

  /** Renews the heartbeat on the run's own {@code heap__runs} row alone (the heartbeat thread, once the run is recorded). */
  void heartbeatRunRow(String runId, LocalDateTime now) throws SQLException {
    execute(sql.heartbeatRun(runId, now));
  }

  void release(String runId) throws SQLException {
    execute(sql.releaseLock(runId));
  }

  Connection connection() {
    return connection;
  }

  Statement connectionStatement() throws SQLException {
    return connection.createStatement();
  }

  /** Runs {@code statements} in one transaction where the warehouse has them, else one by one. */
  void inTransaction(List<String> statements, boolean transactions) throws SQLException {
    if (!transactions) {
      for (String s : statements) {
        execute(s);
      }
      return;
    }
    if (warehouse.applyAsOneScript()) {
      // one multi-statement query is BigQuery's transaction (see JdbcRunner)
      execute(warehouse.transactionScript(statements));
      return;
    }
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false);
    try {
      for (String s : statements) {
        execute(s);
      }
      connection.commit();
    } catch (SQLException | RuntimeException e) {
      try {
        connection.rollback();
      } catch (SQLException r) {
        e.addSuppressed(r);
      }
      throw e;
    } finally {
      connection.setAutoCommit(autoCommit);
    }
  }

  void execute(String statement) throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute(statement);
    }
  }

  int update(String statement) throws SQLException {
    try (Statement s = connection.createStatement()) {
      return s.executeUpdate(statement);
    }
  }

  private List<Run> queryRuns(String query) {
    List<Run> runs = new ArrayList<>();
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery(query)) {
      while (rs.next()) {
        String work = rs.getString(10);
        List<String> tables = new ArrayList<>();
        if (work != null) {
          work.lines().filter(l -> !l.isBlank()).forEach(tables::add);
        }
        runs.add(
            new Run(
                rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), time(rs, 5), time(rs, 6), time(rs, 7),
                time(rs, 8), time(rs, 9), tables, rs.getString(11) == null ? "" : rs.getString(11)));
      }
    } catch (SQLException e) {
      throw failure("(reading " + sql.runs() + ")", e);
    }
    return runs;
  }

  /**
   * A TIMESTAMP (no time zone) as its wall-clock value: JDBC 4.2's LocalDateTime where the driver has
   * it, else through a UTC calendar, which has no daylight-saving gaps to shift a time across.
   */
  static Optional<LocalDateTime> time(ResultSet rs, int column) throws SQLException {
    return JdbcValues.time(rs, column);
  }

  private HeapRunException failure(String what, SQLException e) {
    return new HeapRunException("(run state)", warehouse.name(), what, e);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
