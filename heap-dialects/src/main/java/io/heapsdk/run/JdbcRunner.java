package io.heapsdk.run;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.config.ModelSettings;
import io.heapsdk.model.PlannedModel;
import io.heapsdk.model.ProjectPlan;
import io.heapsdk.source.SourceTable;
import io.heapsdk.warehouse.BuildPlan;
import io.heapsdk.warehouse.SourcePrints;
import io.heapsdk.warehouse.SqlRenderer;
import io.heapsdk.warehouse.SourceRowsBehindMark;
import io.heapsdk.warehouse.SourcesWithRows;
import io.heapsdk.warehouse.StateSql;
import io.heapsdk.warehouse.TableName;
import io.heapsdk.warehouse.Warehouse;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the materialized models of a project on a JDBC connection, in dependency order, and logs each
 * model with its rows and time through SLF4J.
 *
 * <p>Every run keeps state in the target schema ({@link StateSql}): it takes the schema's run lock
 * (waiting up to {@link #waitingForLock}, taking over a lock whose heartbeat is older than {@link
 * #staleAfter}), records itself in {@code heap__runs} before creating anything, drops the working
 * tables of runs that crashed, and decides per model ({@link #prepare}): a fact is merged incrementally
 * only when its table exists and its definition's fingerprint ({@link Fingerprints}) is the one the
 * state recorded when it was last built; otherwise it is rebuilt in full, and so is everything
 * downstream of it. So a run never mixes two definitions in one table. A refused statement stops the
 * run with a {@link HeapRunException} naming the model and the statement; transactional steps are
 * rolled back.
 *
 * <p>The {@link RunResult} times every step of the run back to back, the run state's own statements and
 * the deciding included, so the steps add up to its total; a {@link #withProgress} listener is told
 * before each statement.
 *
 * <p>Not thread-safe: use one runner per connection at a time.
 */
public final class JdbcRunner {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcRunner.class);

  /**
   * The run setting that says whether the last successful run's config was every default ({@code true})
   * or set something ({@code false}).
   */
  public static final String CONFIG_IS_DEFAULTS = "config_is_defaults";

  /** The run setting holding the config's keys that shape the models ({@link ModelSettings}), as JSON. */
  static final String MODEL_SETTINGS = "model_settings";

  /** The run setting holding the version of heap that ran ({@link HeapVersion}). */
  static final String HEAP_VERSION = "heap_version";

  /** A lock whose heartbeat is older than this belongs to a run that died: another run takes it over. */
  public static final Duration DEFAULT_STALE_AFTER = Duration.ofMinutes(10);

  /**
   * How long each try of a swap waits for a reader's lock where the warehouse can bound it ({@link
   * Warehouse#swapLockTimeoutStatement}): a new reader of the table waits behind a waiting swap at most
   * this long (PostgreSQL's lock queue), where it waited for the oldest open reader to end.
   */
  static final Duration SWAP_LOCK_TIMEOUT = Duration.ofSeconds(2);

  /** The pause between two tries of a swap, growing to this: readers queued behind the last try go through meanwhile. */
  private static final Duration SWAP_RETRY_PAUSE = Duration.ofSeconds(8);

  /** How often a run's heartbeat thread beats: a fifth of the stale time, at least every 200 ms. */
  static Duration beatEvery(Duration staleAfter) {
    return Duration.ofMillis(Math.max(200, staleAfter.toMillis() / 5));
  }

  /**
   * How long a lock whose holder's database session has ended ({@link RunState#sessionEnded}) must have
   * gone without a heartbeat before another run takes it over: two of the holder's beats ({@link
   * #beatEvery}), at most the stale time. A live run keeps its lock though the backend it recorded ended:
   * behind a connection pooler in transaction mode, which closes its backends on its own (PgBouncer's
   * {@code server_lifetime}), a run's statements go through whichever backend is free, and its
   * heartbeat thread goes on beating. 4 minutes at the default stale time, where it was 10.
   */
  public static Duration endedSessionGrace(Duration staleAfter) {
    Duration twoBeats = beatEvery(staleAfter).multipliedBy(2);
    return twoBeats.compareTo(staleAfter) < 0 ? twoBeats : staleAfter;
  }

  private static final SecureRandom RANDOM = new SecureRandom();

  /** Opens a second connection to the same database, for the heartbeat thread. */
  @FunctionalInterface
  public interface ConnectionSource {
    Connection open() throws SQLException;
  }

  /** Why a model is built as it is in one run. */
  public record ModelDecision(String model, boolean full, String reason) {}

  /**
   * What a run will do: its id, its statements, the decision per materialized model, and, for an
   * incremental run, the mark it recomputes from and the run that recorded it; what it found of the Heap
   * tables its models read: those holding a row (empty where the database would not say), the widths of
   * their text columns (logical table name to column to length; empty where the catalog would not say),
   * and the kinds of their columns ({@code BIGINT}, {@code VARCHAR}, … of {@link io.heapsdk.source.ColumnType}).
   */
  public record RunPlan(
      String runId,
      BuildPlan build,
      List<ModelDecision> decisions,
      Optional<LocalDateTime> mark,
      Optional<String> markFromRun,
      Optional<Set<String>> sourcesWithRows,
      Map<String, Map<String, Integer>> sourceTextWidths,
      Map<String, Map<String, String>> sourceColumnKinds) {
    /** A plan whose sources were not looked at. */
    RunPlan(String runId, BuildPlan build, List<ModelDecision> decisions, Optional<LocalDateTime> mark, Optional<String> markFromRun) {
      this(runId, build, decisions, mark, markFromRun, Optional.empty(), Map.of(), Map.of());
    }

    /** A plan without the sources' column kinds, as before they were recorded. */
    public RunPlan(
        String runId, BuildPlan build, List<ModelDecision> decisions, Optional<LocalDateTime> mark, Optional<String> markFromRun,
        Optional<Set<String>> sourcesWithRows, Map<String, Map<String, Integer>> sourceTextWidths) {
      this(runId, build, decisions, mark, markFromRun, sourcesWithRows, sourceTextWidths, Map.of());
    }
  }

  private final Warehouse warehouse;
  private final Duration lockWait;
  private final Duration staleAfter;
  private final Optional<ConnectionSource> heartbeatConnections;
  private final Clock clock;
  private final RunProgress progress;
  private final RunCancel cancel;
  private final boolean keepTables;
  private final boolean countsBehindMark;
  private final boolean allowsEmptiedSources;

  public JdbcRunner(Warehouse warehouse) {
    this(Objects.requireNonNull(warehouse, "JdbcRunner: warehouse"), Duration.ZERO, DEFAULT_STALE_AFTER, Optional.empty(), Clock.systemUTC(), RunProgress.NONE, new RunCancel(), true, false, false);
  }

  private JdbcRunner(
      Warehouse warehouse,
      Duration lockWait,
      Duration staleAfter,
      Optional<ConnectionSource> heartbeatConnections,
      Clock clock,
      RunProgress progress,
      RunCancel cancel,
      boolean keepTables,
      boolean countsBehindMark,
      boolean allowsEmptiedSources) {
    this.warehouse = warehouse;
    this.lockWait = lockWait;
    this.staleAfter = staleAfter;
    this.heartbeatConnections = heartbeatConnections;
    this.clock = clock;
    this.progress = progress;
    this.cancel = cancel;
    this.keepTables = keepTables;
    this.countsBehindMark = countsBehindMark;
    this.allowsEmptiedSources = allowsEmptiedSources;
  }

  /** A runner that tells {@code listener} before each statement of a run (none by default). */
  public JdbcRunner withProgress(RunProgress listener) {
    return new JdbcRunner(warehouse, lockWait, staleAfter, heartbeatConnections, clock, listener, cancel, keepTables, countsBehindMark, allowsEmptiedSources);
  }

  /** A runner that waits up to {@code wait} for another run's lock to be released (none by default). */
  public JdbcRunner waitingForLock(Duration wait) {
    return new JdbcRunner(warehouse, atMostACentury(wait), staleAfter, heartbeatConnections, clock, progress, cancel, keepTables, countsBehindMark, allowsEmptiedSources);
  }

  /**
   * A runner that takes over a lock whose heartbeat is older than {@code stale} (default {@link #DEFAULT_STALE_AFTER}). Without {@link #heartbeatOn} the heartbeat is renewed between statements only, so
   * {@code stale} must then exceed the longest statement.
   */
  public JdbcRunner staleAfter(Duration stale) {
    return new JdbcRunner(warehouse, lockWait, atMostACentury(stale), heartbeatConnections, clock, progress, cancel, keepTables, countsBehindMark, allowsEmptiedSources);
  }

  /**
   * {@code d}, or a century where it is longer: "wait forever" written as a huge duration overflowed the
   * clock's arithmetic (nanoseconds in a long, a time minus the duration) and failed the run.
   */
  private static Duration atMostACentury(Duration d) {
    Duration century = Duration.ofDays(36_525);
    return d != null && d.compareTo(century) > 0 ? century : d;
  }

  /** A runner that renews its heartbeat from a thread of its own, on connections from {@code source}. */
  public JdbcRunner heartbeatOn(ConnectionSource source) {
    return new JdbcRunner(warehouse, lockWait, staleAfter, Optional.of(source), clock, progress, cancel, keepTables, countsBehindMark, allowsEmptiedSources);
  }

  /**
   * A runner whose runs stop when {@code cancel} is cancelled, from any thread: the running statement is
   * cancelled, the run rolls back, drops its working tables, records itself as failed and releases the
   * lock, then throws ({@link RunCancel}). Without it a run cannot be stopped but by closing its
   * connection, which leaves the lock to grow stale.
   */
  public JdbcRunner cancelledBy(RunCancel cancel) {
    return new JdbcRunner(warehouse, lockWait, staleAfter, heartbeatConnections, clock, progress, cancel, keepTables, countsBehindMark, allowsEmptiedSources);
  }

  /**
   * A runner whose full builds make a new table on Snowflake and BigQuery, never keep the one there
   * ({@link Warehouse#refillsInPlace}), and do not refuse a run that would give a table with row or
   * column security a new one ({@link Warehouse#attachedSecuritySelects}): for a table whose column
   * types or layout should follow the query again (a source column that changed type under the same
   * config, a column a team altered), or to go ahead after that refusal, at the price of what is
   * attached to the old table ({@link Warehouse#newTableLoses}). PostgreSQL's swap keeps a table whose
   * columns stay either way; H2 and DuckDB have nothing to keep.
   */
  public JdbcRunner newTables() {
    return new JdbcRunner(warehouse, lockWait, staleAfter, heartbeatConnections, clock, progress, cancel, false, countsBehindMark, allowsEmptiedSources);
  }

  /**
   * A runner whose runs count the source rows behind the mark ({@link SourceRowsBehindMark}) and warn of
   * those that arrived or went since the last run counted them ({@link RunResult#warnings()}). Off by
   * default: the count reads each source's ids behind the mark, the whole history, on every run (an
   * incremental run reads only what is newer), which costs 0.13 s on DuckDB and 14 s on H2 at 1.6M
   * events, and bytes billed on a warehouse; a reconciling run finds such rows anyway. The config's
   * {@code incremental.count_rows_behind_mark: true} turns it on too.
   */
  public JdbcRunner countingRowsBehindMark() {
    return new JdbcRunner(warehouse, lockWait, staleAfter, heartbeatConnections, clock, progress, cancel, keepTables, true, allowsEmptiedSources);
  }

  /**
   * A runner whose runs build from a Heap table that is empty although it had rows when the last
   * successful run was decided. Without it such a run is refused before its first statement ({@link
   * #prepare}): Heap Connect empties a table while it re-syncs it, and a run then deleted what the facts
   * built from it hold (an incremental run the active users' rows, leaving a mix; a full build all of
   * them). For a table that is meant to be empty from now on.
   */
  public JdbcRunner allowingEmptiedSources() {
    return new JdbcRunner(warehouse, lockWait, staleAfter, heartbeatConnections, clock, progress, cancel, keepTables, countsBehindMark, true);
  }

  /** Runs on a connection from {@code dataSource}, closed afterwards. */
  public RunResult run(ProjectPlan plan, DataSource dataSource) {
    return run(plan, dataSource, false);
  }

  /** Runs on a connection from {@code dataSource} (the heartbeat on another one), closed afterwards. */
  public RunResult run(ProjectPlan plan, DataSource dataSource, boolean fullRefresh) {
    JdbcRunner runner = heartbeatConnections.isPresent() ? this : heartbeatOn(dataSource::getConnection);
    try (Connection c = dataSource.getConnection()) {
      return runner.run(plan, c, fullRefresh);
    } catch (SQLException e) {
      throw new HeapRunException("(connect)", warehouse.name(), "(opening a connection)", e);
    }
  }

  /** Runs on {@code connection} (incremental where possible), which stays open. */
  public RunResult run(ProjectPlan plan, Connection connection) {
    return run(plan, connection, false);
  }

  /**
   * Runs on {@code connection}, which stays open; {@code fullRefresh} rebuilds every model. A connection
   * with auto-commit off (a pool configured so, a Spring transaction) is switched on for the run and
   * back off after it ({@link #autoCommitting}).
   */
  public RunResult run(ProjectPlan plan, Connection connection, boolean fullRefresh) {
    requirePlanFor(plan, connection, fullRefresh);
    // cancelled before it began: nothing to undo yet
    cancel.check("starting the run", warehouse.name());
    requireWritable(connection);
    boolean autoCommit = autoCommitting(connection, "the run's connection");
    Map<String, String> before = SessionSettings.set(warehouse, connection, warehouse.runSessionSettings());
    try {
      // every statement of the run stops with it, its bookkeeping's too (WatchedConnection)
      return runAutoCommitting(plan, WatchedConnection.of(connection, cancel), fullRefresh);
    } finally {
      SessionSettings.restore(warehouse, connection, before, "the run");
      restoreAutoCommit(connection, autoCommit);
    }
  }

  /**
   * A run writes its facts and its state tables: a connection the host marked read-only (a pool of a
   * read replica, a read-only transaction of a framework) is refused before the first statement. On
   * PostgreSQL the driver keeps read-only to explicit transactions, so such a run took its lock and wrote
   * its state, then failed at its first transaction with the server's "cannot execute DELETE in a
   * read-only transaction"; H2 ignores the flag and wrote on.
   */
  private void requireWritable(Connection connection) {
    boolean readOnly;
    try {
      readOnly = connection.isReadOnly();
    } catch (SQLException e) {
      // a driver that cannot say: the run finds out at its first write
      return;
    }
    if (readOnly) {
      throw HeapRunException.ofRun(
          "the run's connection is read-only (Connection.isReadOnly()), and a run on " + warehouse.name()
              + " writes its facts and its state tables: give it a connection that may write (setReadOnly(false), or a"
              + " pool of the primary rather than a replica's)");
    }
    readOnlySession(warehouse, connection).ifPresent(why -> {
      throw HeapRunException.ofRun(
          why + ", and a run on " + warehouse.name() + " writes its facts and its state tables: give heap a session that may write");
    });
  }

  /**
   * Why the session's transactions are read-only though the connection's flag is not ({@link
   * Warehouse#readOnlySessionSelect}), said for a user; empty where they may write, or the database would
   * not say (the first write then says it).
   */
  public static Optional<String> readOnlySession(Warehouse warehouse, Connection connection) {
    Optional<String> select = warehouse.readOnlySessionSelect();
    if (select.isEmpty()) {
      return Optional.empty();
    }
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery(select.get())) {
      if (rs.next() && rs.getBoolean(1)) {
        return Optional.of(
            "the session's transactions are read-only (transaction_read_only is on: default_transaction_read_only set for the"
                + " database or the role, or a standby server)");
      }
    } catch (SQLException e) {
      LOG.debug("could not ask whether the session is read-only: {}", e.getMessage());
    }
    return Optional.empty();
  }

  /**
   * Switches auto-commit on and returns whether it was. A run records its lock, its state and each fact
   * as it goes, each committed on its own: with auto-commit off none of that was committed, so the lock
   * stayed held after a run that "succeeded" (the next run was refused for ten minutes, until the lock
   * went stale), the heartbeat's second connection waited on the run's uncommitted lock row, and the host's
   * later rollback or a pool closing the connection undid the run's record of itself while its tables
   * stayed built. Turning it on commits what is pending on the connection (JDBC's rule): so does the
   * first table a run creates on most warehouses, whose DDL commits the transaction it runs in.
   */
  private boolean autoCommitting(Connection connection, String which) {
    try {
      if (connection.getAutoCommit()) {
        return true;
      }
      LOG.info("auto-commit is off on {}: on for the run, each of its steps committed on its own, off again after it", which);
      connection.setAutoCommit(true);
      return false;
    } catch (SQLException e) {
      throw new HeapRunException("(connect)", warehouse.name(), "(turning auto-commit on for the run)", e);
    }
  }

  private static void restoreAutoCommit(Connection connection, boolean autoCommit) {
    if (autoCommit) {
      return;
    }
    try {
      if (!connection.isClosed()) {
        connection.setAutoCommit(false);
      }
    } catch (SQLException e) {
      LOG.warn("could not turn auto-commit off again after the run: {}", e.getMessage());
    }
  }

  private RunResult runAutoCommitting(ProjectPlan plan, Connection connection, boolean fullRefresh) {
    Timer timer = new Timer(progress);
    RunState state = new RunState(warehouse, plan.config(), connection);
    String runId = newRunId();
    String owner;
    try {
      state.ensureTables(cancel::isCancelled);
      // the connection's server session too, where the warehouse can tell another session whether it
      // ended: a run killed with it, or cut off by a server restart, then leaves the lock to the next
      // run at once rather than after the stale time (PostgreSQL)
      owner = host() + "/" + ProcessHandle.current().pid() + "/" + state.session().map(s -> s + "/").orElse("") + runId;
    } catch (RuntimeException e) {
      throw cancelledIn(e, CREATING);
    }
    acquire(state, runId, owner);
    Heartbeat heartbeat = new Heartbeat(state, runId, timer);
    Optional<BackgroundHeartbeat> background =
        heartbeatConnections.map(source -> new BackgroundHeartbeat(source, plan.config(), runId, heartbeat));
    List<TableName> workTables = List.of();
    boolean released = false;
    CleanupState cleanup = new CleanupState(state, connection, plan.config());
    // what the run is doing, for a cancel that stops one of its own statements (cancelledIn)
    String[] doing = {DECIDING};
    try {
      dropLeftovers(state, runId);
      dropStrayBuildTables(state, plan);
      boolean afterCrash = crashedSinceLastSuccess(state);
      List<String> caseFolding = CaseFolding.warning(warehouse, plan.config(), connection).stream().toList();
      caseFolding.forEach(w -> LOG.warn("{}", w));
      warehouse.unusedLayout(plan.config()).forEach(w -> LOG.warn("{}", w));
      // the segments of run() are booked back to back, so that they and the steps add up to the total
      long planning = System.nanoTime();
      timer.runState(planning - timer.start);
      RunPlan run = prepare(plan, connection, fullRefresh, runId, afterCrash);
      doing[0] = BUILDING;
      long recording = System.nanoTime();
      timer.add(RunResult.PLAN, "(run)", 0, recording - planning);
      run.decisions().forEach(d -> LOG.info("{}: {} ({})", d.model(), d.full() ? "full build" : "incremental", d.reason()));
      workTables = leftoversOnCrash(run.build(), plan.config());
      state.execute(
          state.sql().insertRun(
              runId, owner, recordedMode(run.build().mode(), fullRefresh, plan.config().reconcile()), now(), run.mark(),
              workTables.stream().map(TableName::name).collect(Collectors.toList())));
      timer.runState(System.nanoTime() - recording);
      Map<String, LocalDateTime> newest = new HashMap<>();
      // once the facts are applied (the build's clean-up comes), a cancel lets the run wind up and record
      // itself first, for a while (RunCancel.recordingBegins): stopped, the run would be recorded as
      // failed with its facts applied, and the next run would do its work again
      Runnable applied = () -> {
        doing[0] = RECORDING;
        cancel.recordingBegins();
      };
      RunResult built;
      long finishing;
      List<String> warnings = new ArrayList<>(caseFolding);
      try {
        built =
            execute(
                run.build(), runKind(run.build().mode(), fullRefresh), plan, connection, heartbeat, timer, newest, workSuffix(runId),
                new Replacements(state, plan, runId, run.build().refilledInPlace()), applied);
        finishing = System.nanoTime();
        applied.run();
        // the beats end (one under way is waited for) just before the run records itself, after the reads
        // of its record (the facts' newest times, the rows behind the mark), which can take long: BigQuery
        // cancels a transaction that changes heap__runs while a beat's UPDATE of it runs ("Conflicting
        // transactions are cancelled"), which failed a run whose facts were applied; on Redshift a beat's
        // UPDATE beside the DELETE of pruneRuns is a serialization conflict
        warnings.addAll(succeed(state, plan, run, built, newest, () -> background.ifPresent(BackgroundHeartbeat::stop)));
      } finally {
        cancel.recordingEnds();
      }
      background.ifPresent(BackgroundHeartbeat::stop);
      released = true;
      // the run succeeded: a cancel now must not leave the lock held (nor the history unpruned)
      cancel.shielded(() -> {
        pruneRuns(state, plan.config(), runId);
        release(state, runId);
      });
      timer.runState(System.nanoTime() - finishing);
      return new RunResult(
          built.mode(), built.models(), timer.steps(), Duration.ofNanos(System.nanoTime() - timer.start),
          built.recomputedUsers(), warnings);
    } catch (SQLException e) {
      throw failShielded(cleanup, runId, workTables, cancelledIn(new HeapRunException("(run state)", warehouse.name(), "(recording the run)", e), doing[0]));
    } catch (RuntimeException e) {
      throw failShielded(cleanup, runId, workTables, cancelledIn(e, doing[0]));
    } finally {
      if (!released) {
        background.ifPresent(BackgroundHeartbeat::stop);
        cancel.shielded(() -> release(cleanup.state(), runId));
      }
      cleanup.close();
    }
  }

  /**
   * Keeps a table's recorded definition true while a run replaces it (an incremental fact's, which the
   * next run merges into, and a table model's, which decides whether a full build may keep the table:
   * {@link #keptInPlace}). A run's facts
   * are replaced one by one, each committed on its own, and the run records their definitions only when
   * all of it succeeded ({@link #succeed}). So a run that failed after replacing some facts left them
   * holding its definition while the state still named the previous one: once the config was changed
   * back, the next run found "definition unchanged", merged the recomputed users' rows into a table of
   * the other definition and exited 0 (a funnel step removed again stayed in every other user's rows).
   * Now, just before the statement that replaces a fact's table, its state says the table is being
   * replaced (no fingerprint), and just after, the definition it now holds. A run that stops between the
   * two (killed, cancelled, failed) leaves "being replaced", and the next run rebuilds that fact in full,
   * whatever its definition; one that stops after leaves the definition the table really holds.
   */
  private final class Replacements {
    private final RunState state;
    private final Fingerprints prints;
    private final HeapConfig config;
    private final String runId;
    private final List<String> facts;
    /** The rows each replaced fact was recorded with: the run's summary counts them once, not twice. */
    private final Map<String, Long> counted = new HashMap<>();
    /** Each fact's state before {@link #before}, where a failed swap is rolled back whole. */
    private final Map<String, Optional<RunState.ModelState>> previous = new HashMap<>();

    /**
     * The facts whose full build keeps their table ({@link BuildPlan#refilledInPlace}): the definition it
     * holds is the recorded one whether or not the refill committed, so no "being replaced" is recorded.
     */
    private final Set<String> refilled;

    Replacements(RunState state, ProjectPlan plan, String runId, Set<String> refilled) {
      this.state = state;
      this.refilled = refilled;
      this.prints = Fingerprints.of(warehouse, plan);
      this.config = plan.config();
      this.runId = runId;
      // every materialized model: BigQuery's facts were left out until its swap became a step of its own
      this.facts = plan.materialized().stream().map(PlannedModel::name).collect(Collectors.toList());
    }

    /** The step whose commit puts a fact's new table in place: its swap, or its build where that replaces the table. */
    boolean replaces(BuildPlan.Step step) {
      return facts.contains(step.model())
          && !refilled.contains(step.model())
          && (step.phase() == BuildPlan.Phase.SWAP || (step.phase() == BuildPlan.Phase.BUILD && !warehouse.buildsIntoNewTable()));
    }

    void before(String fact, Timer timer) {
      if (warehouse.rollsBackSwap()) {
        previous.put(fact, Optional.ofNullable(state.models().get(fact)));
      }
      record(state.sql().replaceModelState(fact, "", runId, now(), 0, RunState.REPLACING), fact, timer);
    }

    /**
     * The fact's swap failed before its COMMIT and was rolled back whole ({@code Warehouse.rollsBackSwap}:
     * PostgreSQL, Redshift), so the table holds what it held: its state goes back to what it was. A swap
     * refused by a view, or cancelled while it waited for a reader, no longer reads as "stopped at
     * replacing the table" (and no longer costs a full rebuild). A failed COMMIT is not known to have
     * been undone, and a failure that is not a statement's (a heartbeat that found the lock taken over)
     * may not be ours to record: those states stay "being replaced".
     */
    void rolledBack(String fact, Timer timer) {
      Optional<RunState.ModelState> was = previous.remove(fact);
      if (was == null) {
        return;
      }
      String delete = state.sql().replaceModelState(fact, "", runId, now(), 0, RunState.REPLACING).get(0);
      record(
          was.map(w -> state.sql().replaceModelState(fact, w.fingerprint(), w.runId(), w.builtAt().orElse(now()), w.rows(), w.status()))
              .orElse(List.of(delete)),
          fact,
          timer);
    }

    void after(Connection connection, String fact, Timer timer) {
      long rows = count(connection, fact, warehouse.table(config.targetDatabase(), config.targetSchema(), fact));
      counted.put(fact, rows);
      record(state.sql().replaceModelState(fact, prints.of(fact), runId, now(), rows, "built in full"), fact, timer);
    }

    private void record(List<String> statements, String fact, Timer timer) {
      long start = System.nanoTime();
      try {
        state.inTransaction(statements, warehouse.hasTransactions());
      } catch (SQLException e) {
        throw new HeapRunException(fact, warehouse.name(), "(recording the definition its table holds)", e);
      }
      timer.runState(System.nanoTime() - start);
    }
  }

  /**
   * Where a failed run cleans up: on its own connection, unless that one was closed under it and the
   * heartbeat's source ({@link #heartbeatOn}; a {@code DataSource} given to {@code run}) can give another.
   * A pool may close a connection whose statement failed: HikariCP takes H2's "Statement was canceled"
   * (SQLSTATE 57014, what a {@link RunCancel} causes) for a broken connection. Dropping the working
   * tables, recording the failure and releasing the lock then go through a new connection, where on the
   * closed one they failed and left the lock held until stale and the run recorded as running.
   */
  private final class CleanupState {
    private final RunState own;
    private final Connection connection;
    private final HeapConfig config;
    private RunState state;
    private Connection replacement;

    CleanupState(RunState own, Connection connection, HeapConfig config) {
      this.own = own;
      this.connection = connection;
      this.config = config;
    }

    RunState state() {
      if (state != null) {
        return state;
      }
      state = own;
      try {
        if (heartbeatConnections.isPresent() && connection.isClosed()) {
          replacement = heartbeatConnections.get().open();
          state = new RunState(warehouse, config, replacement);
          LOG.info("the run's connection was closed under it (by a pool, or the server ended its session): cleaning up on another one");
        }
      } catch (SQLException e) {
        LOG.warn(
            "no other connection to clean up on ({}); the next run takes the lock over once stale, or at once where the database"
                + " can tell this run's session ended (PostgreSQL)", e.getMessage());
      }
      return state;
    }

    void close() {
      if (replacement != null) {
        try {
          replacement.close();
        } catch (SQLException e) {
          LOG.debug("closing the clean-up connection: {}", e.getMessage());
        }
      }
    }
  }

  /**
   * Deletes the runs that finished more than {@code incremental.run_history_days} ago. The run has
   * succeeded by then: a refusal (a role that may not delete, say) leaves the rows and only warns.
   */
  private void pruneRuns(RunState state, HeapConfig c, String runId) {
    try {
      state.execute(state.sql().pruneRuns(runId, now().minusDays(c.runHistoryDays())));
    } catch (SQLException e) {
      LOG.warn("could not delete the runs older than {} days from {} (the next successful run tries again): {}", c.runHistoryDays(),
          state.sql().runs().qualified(), HeapRunException.reason(e));
    }
  }

  private static void release(RunState state, String runId) {
    try {
      state.release(runId);
    } catch (SQLException e) {
      LOG.warn(
          "could not release the run lock of run {} (the next run takes it over once stale, or at once where the database can"
              + " tell this run's session ended: PostgreSQL): {}", runId, e.getMessage());
    }
  }

  /**
   * The run heap would do now, without running or writing anything ({@code --dry-run}): the statements
   * and the reason for each model's mode.
   */
  public RunPlan prepare(ProjectPlan plan, Connection connection, boolean fullRefresh) {
    requirePlanFor(plan, connection, fullRefresh);
    RunState state = new RunState(warehouse, plan.config(), connection);
    return prepare(plan, connection, fullRefresh, newRunId(), crashedSinceLastSuccess(state) || diedUnrecorded(state));
  }

  /**
   * Refuses what a run cannot start from: no plan or connection, and a plan of {@link
   * io.heapsdk.model.HeapProject#planFull()} for a run that may be incremental. That plan has no incremental
   * queries, so every run rebuilt every incremental fact in full (on a warehouse, a billed scan of the
   * whole history each time), saying "the project has no incremental model".
   */
  private static void requirePlanFor(ProjectPlan plan, Connection connection, boolean fullRefresh) {
    Objects.requireNonNull(plan, "JdbcRunner: plan");
    Objects.requireNonNull(connection, "JdbcRunner: connection");
    if (fullRefresh) {
      return;
    }
    List<String> incremental = plan.incrementalModelsWithoutQueries();
    if (!incremental.isEmpty()) {
      throw new IllegalArgumentException(
          "JdbcRunner: the plan comes from HeapProject.planFull(), which plans no incremental queries, so this run would rebuild "
              + String.join(", ", incremental) + " in full, and so would every later one: give the runner HeapProject.plan(), or ask"
              + " for a full refresh");
    }
  }

  /**
   * Whether a run since the last successful one is still recorded as running but is dead as the next run
   * will find it: one that no longer holds the lock, or holds it with a heartbeat this runner takes over
   * ({@link #staleAfter}; zero where the caller knows no other process can run, an embedded file it has
   * open), or from a database session that has ended ({@link RunState#sessionEnded}) with a heartbeat
   * older than {@link #endedSessionGrace}. A run records it as crashed once it holds the lock ({@link #dropLeftovers}); {@link #prepare}
   * takes no lock, and after a kill -9 on H2 it said "incremental" where the run rebuilt in full.
   */
  private boolean diedUnrecorded(RunState state) {
    if (!state.exists()) {
      return false;
    }
    RunState.Lock lock = state.lock();
    LocalDateTime staleBefore = now().minus(staleAfter);
    LocalDateTime endedBefore = now().minus(endedSessionGrace(staleAfter));
    boolean lockStale =
        lock.heartbeatAt().map(t -> t.isBefore(staleBefore)).orElse(true)
            || lock.heartbeatAt().map(t -> t.isBefore(endedBefore)).orElse(false) && state.sessionEnded(lock.owner());
    for (RunState.Run r : state.runs(100)) {
      if ("succeeded".equals(r.status())) {
        return false;
      }
      if ("running".equals(r.status()) && (!lock.runId().equals(Optional.of(r.runId())) || lockStale)) {
        return true;
      }
    }
    return false;
  }

  /** The statements {@link #prepare} decides on. */
  public BuildPlan plan(ProjectPlan plan, Connection connection, boolean fullRefresh) {
    return prepare(plan, connection, fullRefresh).build();
  }

  private RunPlan prepare(ProjectPlan plan, Connection connection, boolean fullRefresh, String runId, boolean afterCrash) {
    // a target or source database that is not there: said before heap's own tables in it are looked for
    ConfiguredDatabases.check(warehouse, connection, plan.config());
    // what the last successful run recorded, read once: the checks and the decision below each ask it
    // something, and each read is a catalog look-up and a query, round trips on a warehouse; and each
    // table's columns, read once from the catalog. Nothing writes either while a run is decided.
    Map<String, RunState.Setting> settings = new RunState(warehouse, plan.config(), connection).settings();
    Map<TableName, Optional<List<String>>> catalog = new HashMap<>();
    Optional<TableName> prints =
        storedPrints(connection, plan.config(), settings, catalog) ? Optional.of(new SourcePrints(warehouse, plan.config()).stored()) : Optional.empty();
    // a configured column the sources lack: the config key, before any statement names it in its own words
    Map<String, List<TableLookup.Column>> sourceColumns = SourceColumns.check(warehouse, connection, plan, prints);
    // the last successful run, read at most once: the emptied-source check and the decision both ask it
    List<Optional<RunState.Run>> lastRead = new ArrayList<>(1);
    Supplier<Optional<RunState.Run>> lastSuccess = () -> {
      if (lastRead.isEmpty()) {
        lastRead.add(new RunState(warehouse, plan.config(), connection).lastSuccess());
      }
      return lastRead.get(0);
    };
    Map<String, String> emptied = new LinkedHashMap<>();
    Optional<Set<String>> withRows = checkEmptiedSources(plan, connection, emptied, settings, lastSuccess);
    Map<String, List<TableLookup.Column>> readColumns = SourceColumns.read(warehouse, plan.config(), sourceColumns);
    Map<String, Map<String, Integer>> widths = SourceWidths.of(readColumns);
    widenedSources(plan, widths, emptied, settings);
    Map<String, Map<String, String>> kinds = SourceKinds.of(readColumns);
    retypedSources(plan, kinds, emptied, settings);
    RunPlan run = decide(plan, connection, fullRefresh, runId, afterCrash, catalog, emptied, settings, lastSuccess);
    List<ModelDecision> reviewed = reviewFullBuilds(plan, connection, run.decisions(), run.build().refilledInPlace(), catalog);
    return new RunPlan(run.runId(), run.build(), reviewed, run.mark(), run.markFromRun(), withRows, widths, kinds);
  }

  /**
   * Puts in {@code rebuilt} each merged fact built from a Heap table with a text column wider than when the
   * last successful run was decided ({@link SourceWidths}), with the reason: the fact kept the narrower
   * type it was built with, and the merge of the longer values failed (SQLSTATE 22001) until a full refresh.
   */
  private void widenedSources(
      ProjectPlan plan, Map<String, Map<String, Integer>> widths, Map<String, String> rebuilt, Map<String, RunState.Setting> settings) {
    RunState.Setting before = settings.get(SourceWidths.SETTING);
    if (widths.isEmpty() || before == null) {
      return;
    }
    Map<String, List<String>> byTable = new LinkedHashMap<>();
    SourceWidths.widened(SourceWidths.parse(before.value()), widths)
        .forEach(w -> byTable.computeIfAbsent(w.table(), t -> new ArrayList<>()).add(w.column() + " " + w.before() + " -> " + w.now()));
    rebuildFromChanged(plan, byTable, before, "a text column", "text columns", "wider", "width", rebuilt);
  }

  /**
   * Puts in {@code rebuilt} each merged fact built from a Heap table with a column of another kind than
   * when the last successful run was decided ({@link SourceKinds}): a user id recast to text failed the
   * merge with the engine's words; a property recast where the engine casts on assignment merged into a
   * fact of the old type.
   */
  private void retypedSources(
      ProjectPlan plan, Map<String, Map<String, String>> kinds, Map<String, String> rebuilt, Map<String, RunState.Setting> settings) {
    RunState.Setting before = settings.get(SourceKinds.SETTING);
    if (kinds.isEmpty() || before == null) {
      return;
    }
    Map<String, List<String>> byTable = new LinkedHashMap<>();
    RunState.Setting bits = settings.get(SourceKinds.BITS_SETTING);
    // the sizes only where the same run recorded them with the kinds (an older heap's run keeps neither)
    String bitsThen = bits != null && bits.runId().equals(before.runId()) ? bits.value() : null;
    SourceKinds.changed(SourceKinds.parse(before.value(), bitsThen), kinds)
        .forEach(k -> byTable.computeIfAbsent(k.table(), t -> new ArrayList<>()).add(k.said()));
    rebuildFromChanged(plan, byTable, before, "a column", "columns", "of another kind", "types", rebuilt);
  }

  /** The reason and the rebuild of {@link #widenedSources} and {@link #retypedSources}, each changed table's columns said. */
  private void rebuildFromChanged(
      ProjectPlan plan, Map<String, List<String>> byTable, RunState.Setting before, String one, String many, String how, String kept,
      Map<String, String> rebuilt) {
    HeapConfig c = plan.config();
    byTable.forEach((table, columns) -> {
      String physical = c.catalog().findTable(table).map(SourceTable::physicalName).orElse(table);
      String why = warehouse.table(c.sourceDatabase(), c.sourceSchema(), physical).qualified() + " (source.tables." + table + ") has "
          + (columns.size() == 1 ? one : many) + " " + how + " than at run " + before.runId() + ": " + String.join(", ", columns)
          + "; rebuilt in full, since the fact keeps the " + kept + " it was built with";
      LOG.info("{}", why);
      builtFrom(plan, Set.of(table)).forEach(m -> rebuilt.putIfAbsent(m, why));
    });
  }

  /**
   * The Heap tables the models read that hold a row now, or empty where the database would not say
   * (logged). Refuses the run, before its first statement, when one of them is empty and had rows when
   * the last successful run was decided ({@link SourcesWithRows#SETTING}), unless {@link
   * #allowingEmptiedSources}: Heap Connect empties a table to re-sync it, and the probe that found this
   * saw a plain run delete the active users' sessions (4,100 left of 6,100) with exit 0. A table empty
   * at the last run too (a project without pageviews) is no change. Where allowed, each merged fact built
   * from an emptied table is put in {@code emptied}, with the reason it is rebuilt in full: merged, it
   * would keep the rows of the users not active, as if the table had lost only the others'.
   */
  private Optional<Set<String>> checkEmptiedSources(
      ProjectPlan plan, Connection connection, Map<String, String> emptiedFacts, Map<String, RunState.Setting> settings,
      Supplier<Optional<RunState.Run>> lastSuccess) {
    HeapConfig c = plan.config();
    Set<String> read = sourcesBuiltFrom(plan);
    List<SourceTable> tables = c.catalog().tables().stream().filter(t -> read.contains(t.name())).collect(Collectors.toList());
    if (tables.isEmpty()) {
      return Optional.empty();
    }
    String select = new SourcesWithRows(warehouse, c).select(tables);
    Set<String> withRows = new TreeSet<>();
    // the run's first read of the sources: where a sync holds a lock on one, the run waits here, cancellably
    String step = "(source check)";
    try (Statement s = connection.createStatement()) {
      cancel.starting(s, step, warehouse.name());
      try (ResultSet rs = s.executeQuery(select)) {
        while (rs.next()) {
          if (rs.getLong(2) > 0) {
            withRows.add(rs.getString(1));
          }
        }
      } finally {
        cancel.finished(s);
      }
    } catch (SQLException e) {
      if (cancel.isCancelled()) {
        throw HeapRunException.cancelled(step, warehouse.name(), cancel.reason().orElse(""), select, e);
      }
      // one source the database cannot read at all (a broken view): named now, by its key; the run's
      // statements over it would fail with the engine's words alone
      for (SourceTable t : tables) {
        TableName name = warehouse.table(c.sourceDatabase(), c.sourceSchema(), t.physicalName());
        String probe = "SELECT 1 AS " + warehouse.quote("one") + " FROM " + name.qualified() + " WHERE 1 = 0";
        try (Statement s = connection.createStatement();
            ResultSet rs = s.executeQuery(probe)) {
          rs.next();
        } catch (SQLException unreadable) {
          String key = "source.tables." + t.name() + (c.sourceTables().containsKey(t.name()) ? "" : " (not set: Heap's name)");
          throw HeapRunException.unreadableSource(key, name.qualified(), warehouse.name(), probe, unreadable);
        }
      }
      // the statement only at debug: a warning of many lines of SQL buried its one line of reason
      LOG.warn("could not see which sources hold rows ({}), so an emptied one is not looked for", HeapRunException.reason(e));
      LOG.debug("the source check that failed: {}", select);
      return Optional.empty();
    }
    RunState.Setting before = settings.get(SourcesWithRows.SETTING);
    if (before == null) {
      return Optional.of(withRows);
    }
    Optional<RunState.Run> last = lastSuccess.get();
    if (last.isPresent() && !last.get().runId().equals(before.runId())) {
      // a heap that records no such list (one from before it) succeeded since: its run may have built the
      // facts from a table the record says was empty. Trusted, the record let a Heap re-sync's emptied
      // pageviews wipe the pageview sessions fact, exit 0 (an upgrade probe alternating two heaps)
      checkEmptiedSincePlainRecord(plan, connection, tables, withRows, last.get().runId(), emptiedFacts);
      return Optional.of(withRows);
    }
    Set<String> hadRows = new HashSet<>(List.of(before.value().split(",")));
    // a table without rows at the last run that has rows now (refilled after an allowed emptying, or its
    // first rows): the rows it brings may be older than the mark, which the merge would not see (a refilled
    // user_migrations left the facts unresolved, exit 0; the first pageviews of a project that had none,
    // whose empty fact the mark left out); what is built from it is rebuilt in full, once
    tables.stream()
        .filter(t -> !hadRows.contains(t.name()) && withRows.contains(t.name()))
        .forEach(t -> {
          String why = "built from " + warehouse.table(c.sourceDatabase(), c.sourceSchema(), t.physicalName()).qualified() + " (source.tables."
              + t.name() + "), which had no rows at run " + before.runId() + " and has rows now: rebuilt in full from it";
          builtFrom(plan, Set.of(t.name())).forEach(m -> emptiedFacts.putIfAbsent(m, why));
        });
    List<SourceTable> emptied = tables.stream().filter(t -> hadRows.contains(t.name()) && !withRows.contains(t.name())).toList();
    if (emptied.isEmpty()) {
      return Optional.of(withRows);
    }
    String named =
        emptied.stream()
            .map(t -> warehouse.table(c.sourceDatabase(), c.sourceSchema(), t.physicalName()).qualified() + " (source.tables." + t.name() + ")")
            .collect(Collectors.joining(", "));
    List<String> factsOf = builtFrom(plan, emptied.stream().map(SourceTable::name).collect(Collectors.toSet()));
    String facts = String.join(", ", factsOf) + (factsOf.size() == 1 ? " holds" : " hold");
    if (allowsEmptiedSources) {
      LOG.warn("{} {} no rows, and had rows at run {}: built from as empty, as asked", named, emptied.size() == 1 ? "has" : "have", before.runId());
      String why = "built from " + named + ", emptied since run " + before.runId() + " (allowed): rebuilt in full from it";
      builtFrom(plan, emptied.stream().map(SourceTable::name).collect(Collectors.toSet())).forEach(m -> emptiedFacts.put(m, why));
      return Optional.of(withRows);
    }
    throw HeapRunException.ofRun(
        "nothing was changed: " + named + (emptied.size() == 1 ? " has" : " have") + " no rows, and had rows when run " + before.runId()
            + " succeeded. Heap Connect empties a table while it re-syncs it; a run now would delete what " + facts + " of it. Run"
            + " again once it is filled. If it is meant to be empty from now on, heap run --allow-emptied-sources, or"
            + " JdbcRunner.allowingEmptiedSources(), rebuilds them from it");
  }

  /**
   * {@link #checkEmptiedSources} when the last successful run, {@code lastRun}, recorded no list of the
   * tables with rows: an empty table a fact built from it holds rows of was emptied since that fact was
   * built (or the fact came from elsewhere), so the run is refused as for an emptied table; an empty
   * table whose facts are empty or missing too is no change. One look at each such fact, up to one row.
   */
  private void checkEmptiedSincePlainRecord(
      ProjectPlan plan, Connection connection, List<SourceTable> tables, Set<String> withRows, String lastRun, Map<String, String> emptiedFacts) {
    HeapConfig c = plan.config();
    List<String> named = new ArrayList<>();
    Set<String> factsWithRows = new TreeSet<>();
    for (SourceTable t : tables) {
      if (withRows.contains(t.name())) {
        continue;
      }
      List<String> holding = new ArrayList<>();
      for (String fact : builtFrom(plan, Set.of(t.name()))) {
        TableName table = warehouse.table(c.targetDatabase(), c.targetSchema(), fact);
        String select = "SELECT COUNT(*) AS " + warehouse.quote("has_rows") + SourcesWithRows.firstRow(warehouse, table.qualified());
        boolean there;
        try {
          there = TableLookup.exists(warehouse, connection, table);
        } catch (SQLException e) {
          throw new HeapRunException("(source check)", warehouse.name(), "(looking up " + table.qualified() + ")", e);
        }
        if (there && oneLong(connection, "(source check)", select) > 0) {
          holding.add(fact);
        }
      }
      if (!holding.isEmpty()) {
        named.add(warehouse.table(c.sourceDatabase(), c.sourceSchema(), t.physicalName()).qualified() + " (source.tables." + t.name() + ")");
        factsWithRows.addAll(holding);
        if (allowsEmptiedSources) {
          String why = "built from " + named.get(named.size() - 1) + ", which has no rows while " + String.join(", ", holding)
              + " holds rows of it (allowed): rebuilt in full from it";
          holding.forEach(f -> emptiedFacts.put(f, why));
        }
      }
    }
    if (named.isEmpty()) {
      return;
    }
    if (allowsEmptiedSources) {
      LOG.warn("{} {} no rows, while {} built from it {} rows: built from as empty, as asked", String.join(", ", named),
          named.size() == 1 ? "has" : "have", String.join(", ", factsWithRows), factsWithRows.size() == 1 ? "holds" : "hold");
      return;
    }
    throw HeapRunException.ofRun(
        "nothing was changed: " + String.join(", ", named) + (named.size() == 1 ? " has" : " have") + " no rows, while "
            + String.join(", ", factsWithRows) + (factsWithRows.size() == 1 ? " holds" : " hold") + " rows built from "
            + (named.size() == 1 ? "it" : "them") + " (the last successful run, " + lastRun + ", was by a heap that does not record"
            + " which tables had rows). Heap Connect empties a table while it re-syncs it; a run now would delete what the facts"
            + " hold of it. Run again once it is filled. If it is meant to be empty from now on, heap run --allow-emptied-sources,"
            + " or JdbcRunner.allowingEmptiedSources(), rebuilds them from it");
  }

  /**
   * The Heap tables the materialized models read, directly or through the models they reference: an
   * ephemeral model no materialized one uses (the identity map, without identity resolution) reads
   * nothing a run builds from, and its table emptied stopped the run.
   */
  private static Set<String> sourcesBuiltFrom(ProjectPlan plan) {
    Set<String> sources = new HashSet<>();
    Set<String> seen = new HashSet<>();
    java.util.ArrayDeque<String> todo = new java.util.ArrayDeque<>();
    plan.materialized().forEach(m -> todo.add(m.name()));
    while (!todo.isEmpty()) {
      String name = todo.pop();
      if (seen.add(name)) {
        PlannedModel m = plan.model(name);
        sources.addAll(m.sources());
        todo.addAll(m.refs());
      }
    }
    return sources;
  }

  /** The materialized models that read any of {@code sources}, through ephemeral models or other materialized ones. */
  private static List<String> builtFrom(ProjectPlan plan, Set<String> sources) {
    Set<String> reading = new HashSet<>();
    boolean grew = true;
    while (grew) {
      grew = false;
      for (PlannedModel m : plan.models()) {
        if (!reading.contains(m.name())
            && (m.sources().stream().anyMatch(sources::contains) || m.refs().stream().anyMatch(reading::contains))) {
          reading.add(m.name());
          grew = true;
        }
      }
    }
    return plan.materialized().stream().map(PlannedModel::name).filter(reading::contains).collect(Collectors.toList());
  }

  /**
   * Notes in each full build's decision how it changes its table's columns, and refuses, before the
   * run's first statement, a run that a view (or another table's foreign key) would stop part-way: each
   * table the run rebuilds is swapped in on its own, so a view on the third fact stopped the run after
   * the first two were replaced, and a team moving tables over found its views one run at a time (found
   * moving a dbt project's tables to heap on PostgreSQL). Every table the run rebuilds whose columns it
   * changes (by name or order, against the catalog) is asked; all that block are named at once. A change
   * of a column's type alone is still found by the swap itself (the types are known once the table is
   * built); where something depends on a table rebuilt with the same names, the decision says so.
   */
  private List<ModelDecision> reviewFullBuilds(
      ProjectPlan plan,
      Connection connection,
      List<ModelDecision> decisions,
      Set<String> refilled,
      Map<TableName, Optional<List<String>>> catalog) {
    HeapConfig c = plan.config();
    List<String> blocked = new ArrayList<>();
    List<String> secured = new ArrayList<>();
    List<ModelDecision> reviewed = new ArrayList<>();
    for (ModelDecision d : decisions) {
      if (!d.full()) {
        reviewed.add(d);
        continue;
      }
      PlannedModel m = plan.model(d.model());
      TableName table = warehouse.table(c.targetDatabase(), c.targetSchema(), m.name());
      Optional<List<String>> columns = columns(catalog, connection, m.name(), table);
      if (columns.isPresent() && !refilled.contains(m.name()) && warehouse.newTableLoses().isPresent()) {
        // said before it happens, in --dry-run too: what the team attached and must attach again
        d = new ModelDecision(d.model(), true, d.reason() + "; a new table replaces it, without " + warehouse.newTableLoses().get());
        if (keepTables) {
          List<String> unread = new ArrayList<>();
          List<String> attached = attachedSecurity(connection, m.name(), table, unread);
          if (!attached.isEmpty()) {
            secured.add(table.qualified() + " (" + String.join(", ", attached) + ")");
          }
          if (!unread.isEmpty()) {
            // where heap's user may not look, nobody would know it did not: said with the decision
            d = new ModelDecision(d.model(), true, d.reason() + "; its row and column security could not be checked (" + String.join("; ", unread) + ")");
          }
        }
      }
      boolean otherColumns = columns.isPresent() && !sameColumns(m, columns.get());
      if (otherColumns && !d.reason().startsWith("the table's columns ")) {
        // what the rebuild does to the table's columns, said before it happens (a column dropped takes its
        // values with it: an older project's extra columns, a removed funnel step's count)
        d = new ModelDecision(d.model(), true, d.reason() + "; the table's columns change: " + columnChange(m, columns.get()));
      }
      // a swap drops the table where it gets other columns (PostgreSQL), or always (Redshift): what
      // depends on it would stop the swap part-way through the run
      boolean dropped =
          otherColumns || (columns.isPresent() && !refilled.contains(m.name()) && warehouse.swapDropsTableWithSameColumns());
      // where the names stay (PostgreSQL refills the table in place, what depends on it kept), a column
      // whose type alone changes still makes the swap drop it, and only the swap knows the new types: what
      // would then stop it is said with the decision, in heap status and --dry-run too (found by a probe
      // of upgrades: a view on a fact whose column went from numeric to bigint stopped every run, and
      // nothing had said so before)
      boolean typesDecide = !dropped && columns.isPresent();
      Optional<String> select = dropped || typesDecide ? warehouse.swapBlockersSelect(table) : Optional.empty();
      if (select.isEmpty()) {
        reviewed.add(d);
        continue;
      }
      List<String> blockers = new ArrayList<>();
      try (Statement s = connection.createStatement();
          ResultSet rs = s.executeQuery(select.get())) {
        while (rs.next()) {
          blockers.add(rs.getString(1));
        }
      } catch (SQLException e) {
        // the swap's own DROP still refuses, with the database's words
        LOG.warn("{}: could not read what depends on {} ({}): {}", m.name(), table.qualified(), HeapRunException.reason(e), select.get());
      }
      if (typesDecide) {
        // another table's foreign key stops a refill in place too: PostgreSQL will not TRUNCATE a table
        // one references (and a DELETE would set off its ON DELETE), whatever the types
        List<String> keys = blockers.stream().filter(b -> b.contains(" (its foreign key ")).collect(Collectors.toList());
        if (!keys.isEmpty()) {
          blocked.add(
              table.qualified() + " is emptied and filled again, which another table's foreign key forbids, and " + String.join(", ", keys)
                  + (keys.size() == 1 ? " references" : " reference") + " it");
        }
        List<String> others = blockers.stream().filter(b -> !keys.contains(b)).collect(Collectors.toList());
        reviewed.add(
            others.isEmpty()
                ? d
                : new ModelDecision(
                    d.model(), true,
                    d.reason() + "; " + String.join(", ", others) + (others.size() == 1 ? " depends" : " depend") + " on it: kept if"
                        + " its columns keep their types, else the run stops at its swap, the table as it was"));
        continue;
      }
      reviewed.add(d);
      if (!blockers.isEmpty()) {
        blocked.add(
            table.qualified() + (otherColumns ? " gets other columns (" + columnChange(m, columns.get()) + ")" : " gets a new table") + ", and "
                + String.join(", ", blockers) + (blockers.size() == 1 ? " depends" : " depend") + " on it");
      }
    }
    if (!blocked.isEmpty()) {
      throw HeapRunException.ofRun(
          "nothing was changed: " + String.join("; ", blocked) + ". Drop them, run again, then create them again"
              + (blocked.stream().anyMatch(b -> b.contains(" gets other columns (")) ? " for the new columns" : "")
              + " (heap never drops them)" + warehouse.swapBlockersAdvice());
    }
    if (!secured.isEmpty()) {
      throw HeapRunException.ofRun(
          "nothing was changed: this run gives " + (secured.size() == 1 ? "a table" : "tables") + " with row or column security a new"
              + " table on " + warehouse.name() + ", which keeps the grants and not the security: " + String.join("; ", secured)
              + ". Readers would see what it hides. To go ahead, run with JdbcRunner.newTables(), then have the policies attached"
              + " to the new table again");
    }
    return reviewed;
  }

  /**
   * What {@link Warehouse#attachedSecuritySelects} find on {@code table}; a SELECT the database refuses
   * (policies are an administrator's to list on some warehouses) finds nothing: its reason goes to
   * {@code unread} and the log.
   */
  private List<String> attachedSecurity(Connection connection, String model, TableName table, List<String> unread) {
    List<String> found = new ArrayList<>();
    for (String select : warehouse.attachedSecuritySelects(table)) {
      try (Statement s = connection.createStatement();
          ResultSet rs = s.executeQuery(select)) {
        while (rs.next()) {
          found.add(rs.getString(1));
        }
      } catch (SQLException e) {
        unread.add(HeapRunException.reason(e));
        LOG.warn("{}: could not read the security attached to {} ({}): {}", model, table.qualified(), HeapRunException.reason(e), select);
      }
    }
    return found;
  }

  /** "adds a, b; drops c" (or "the same columns in another order"): how the model's columns differ from the table's. */
  private String columnChange(PlannedModel m, List<String> columns) {
    List<String> expected = m.columnNames().stream().map(n -> warehouse.storedName(n)).collect(Collectors.toList());
    Set<String> there = columns.stream().map(n -> n.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    Set<String> wanted = expected.stream().map(n -> n.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    List<String> added = expected.stream().filter(n -> !there.contains(n.toLowerCase(Locale.ROOT))).collect(Collectors.toList());
    List<String> dropped = columns.stream().filter(n -> !wanted.contains(n.toLowerCase(Locale.ROOT))).collect(Collectors.toList());
    List<String> parts = new ArrayList<>();
    if (!added.isEmpty()) {
      parts.add("adds " + firstNames(added));
    }
    if (!dropped.isEmpty()) {
      parts.add("drops " + firstNames(dropped));
    }
    return parts.isEmpty() ? "the same columns in another order" : String.join("; ", parts);
  }

  /** Up to 20 names, then how many more: a config of 5,000 funnel steps made a log line of 150 KB. */
  private static String firstNames(List<String> names) {
    int shown = 20;
    return names.size() <= shown
        ? String.join(", ", names)
        : String.join(", ", names.subList(0, shown)) + " and " + (names.size() - shown) + " more";
  }

  /** A fact's reason to be rebuilt where a script wrote it after the run it names (the run id follows). */
  private static final String WRITTEN_OUTSIDE_RUNS = "statements run outside heap run (heap compile's script) wrote the table since run ";

  private RunPlan decide(
      ProjectPlan plan,
      Connection connection,
      boolean fullRefresh,
      String runId,
      boolean afterCrash,
      Map<TableName, Optional<List<String>>> catalog,
      Map<String, String> emptied,
      Map<String, RunState.Setting> settings,
      Supplier<Optional<RunState.Run>> lastSuccess) {
    HeapConfig c = plan.config();
    Fingerprints prints = Fingerprints.of(warehouse, plan);
    List<ModelDecision> decisions = new ArrayList<>();
    if (fullRefresh || plan.incremental().isEmpty()) {
      String why = fullRefresh ? "full refresh asked for" : "the project has no incremental model";
      Set<String> kept = Set.of();
      if (warehouse.refillsInPlace() && keepTables) {
        RunState state = new RunState(warehouse, c, connection);
        kept =
            keptInPlace(
                plan, connection, state.exists() ? state.models() : Map.of(), prints,
                plan.materialized().stream().map(PlannedModel::name).collect(Collectors.toList()), catalog);
      }
      for (PlannedModel m : plan.materialized()) {
        decisions.add(new ModelDecision(m.name(), true, why + (kept.contains(m.name()) ? KEPT_IN_PLACE : "")));
      }
      return new RunPlan(
          runId, BuildPlan.fullRefresh(warehouse, plan, workSuffix(runId), kept, storedPrints(connection, c, settings, catalog)), decisions,
          Optional.empty(), Optional.empty());
    }
    RunState state = new RunState(warehouse, c, connection);
    boolean hasState = state.exists();
    Map<String, RunState.ModelState> recorded = hasState ? state.models() : Map.of();
    Optional<RunState.Run> last = hasState ? lastSuccess.get() : Optional.empty();
    boolean rebuildAfterCrash = afterCrash && warehouse.crashCanDamageTables();
    // the run log, read once if a changed definition asks who recorded the other one
    List<List<RunState.Run>> log = new ArrayList<>();
    Supplier<List<RunState.Run>> runs =
        () -> {
          if (log.isEmpty()) {
            log.add(state.runs(200));
          }
          return log.get(0);
        };
    Map<String, String> full = new LinkedHashMap<>();
    for (PlannedModel fact : plan.incremental().get().facts()) {
      TableName table = warehouse.table(c.targetDatabase(), c.targetSchema(), fact.name());
      Optional<List<String>> columns = columns(catalog, connection, fact.name(), table);
      RunState.ModelState s = recorded.get(fact.name());
      String print = prints.of(fact.name());
      if (columns.isEmpty()) {
        full.put(fact.name(), "table missing");
      } else if (s == null) {
        // built before heap kept run state (or by other means): nothing says which definition it holds
        full.put(fact.name(), "no state: the table was not built by a heap run that recorded its definition, so it is unknown");
      } else if (s.beingReplaced()) {
        full.put(
            fact.name(),
            "run " + s.runId() + " stopped at replacing the table (refused, cancelled or killed there), so the definition it holds is unknown");
      } else if (!s.fingerprint().equals(print)) {
        full.put(
            fact.name(),
            "definition changed: fingerprint " + abbrev(s.fingerprint()) + " (run " + s.runId() + recordedBy(runs, s.runId()) + ") -> "
                + abbrev(print) + whyChanged(settings, last, s.runId(), c)
                + (s.writtenOutsideRuns() ? "; and " + WRITTEN_OUTSIDE_RUNS + s.runId() : ""));
      } else if (s.writtenOutsideRuns()) {
        // after the fingerprint: the same definition recorded, and a script's of any config in the table
        full.put(fact.name(), WRITTEN_OUTSIDE_RUNS + s.runId() + ", so the definition it holds is unknown");
      } else if (!sameColumns(fact, columns.get())) {
        full.put(fact.name(), "the table's columns " + columns.get() + " differ from the model's " + fact.columnNames());
      } else if (last.isEmpty()) {
        full.put(fact.name(), "no successful run recorded to take the high-water mark from");
      } else if (rebuildAfterCrash) {
        full.put(
            fact.name(),
            "a run crashed since the last successful one, and a crash can leave " + warehouse.name()
                + "'s tables damaged: rebuilt in full until a run succeeds");
      }
    }
    Set<String> merged = plan.incremental().get().facts().stream().map(PlannedModel::name).collect(Collectors.toSet());
    emptied.forEach((model, why) -> {
      if (merged.contains(model)) {
        full.putIfAbsent(model, why);
      }
    });
    Map<String, RunState.Run> behind = last.isPresent() ? builtBehind(plan, state, recorded, last.get(), full) : Map.of();
    Fingerprints.downstream(plan, full.keySet())
        .forEach((model, upstream) -> full.putIfAbsent(model, "downstream of " + upstream + ", which is rebuilt in full"));
    List<String> facts = plan.incremental().get().facts().stream().map(PlannedModel::name).collect(Collectors.toList());
    boolean allFull = full.keySet().containsAll(facts);
    // what an incremental fact's decision adds: reconciling, a moved mark
    String notes = c.reconcile() && !allFull ? "; " + reconcileNote(connection, c, settings, catalog) : "";
    // the recorded mark has the lookback of the run that recorded it subtracted already
    Optional<LocalDateTime> mark = allFull ? Optional.empty() : last.get().nextMark();
    if (!allFull && mark.isEmpty()) {
      // said, since it costs what a full build does: a fact with no time (empty, while its table has rows)
      notes += "; run " + last.get().runId() + " recorded no high-water mark (a fact without any time): every user is recomputed";
    }
    Optional<Integer> lookbackThen = allFull ? Optional.empty() : RunState.lookbackRecordedBy(settings, last.get(), state.sql());
    if (mark.isPresent() && lookbackThen.isPresent() && lookbackThen.get() != c.lateArrivalLookbackDays()) {
      LocalDateTime recordedMark = mark.get();
      mark = Optional.of(recordedMark.plusDays(lookbackThen.get()).minusDays(c.lateArrivalLookbackDays()));
      notes +=
          "; incremental.late_arrival_lookback_days changed from " + lookbackThen.get() + " to " + c.lateArrivalLookbackDays()
              + " since run " + last.get().runId() + ": its mark " + recordedMark + " moves to " + mark.get();
    }
    // a merged fact last built by an earlier run than the last successful one takes its mark from that run:
    // the oldest mark is the run's (each fact then recomputes a superset of the users it needs)
    if (!allFull) {
      long shiftDays = lookbackThen.map(then -> (long) then - c.lateArrivalLookbackDays()).orElse(0L);
      for (Map.Entry<String, RunState.Run> e : behind.entrySet()) {
        // no mark: that run left the next one every user to recompute
        Optional<LocalDateTime> theirs = e.getValue().nextMark().map(m -> m.plusDays(shiftDays));
        if (mark.isPresent() && (theirs.isEmpty() || theirs.get().isBefore(mark.get()))) {
          mark = theirs;
        }
        notes += "; " + e.getKey() + " was last built by run " + e.getValue().runId() + ", and the runs since (run " + last.get().runId()
            + " the last) did not build it: the mark is no later than that run's, " + theirs.map(Object::toString).orElse("none (every user)");
      }
    }
    // a mark in the future, recorded before marks were capped at the clock (atMostTheClock)
    LocalDateTime clockMark = now().minusDays(c.lateArrivalLookbackDays());
    if (mark.isPresent() && mark.get().isAfter(clockMark)) {
      notes += "; the recorded mark " + mark.get() + " is after this run's clock: it recomputes from " + clockMark.withNano(0);
      mark = Optional.of(clockMark);
    }
    // a table that holds its model's definition keeps its grants and security where the warehouse can
    // refill it (not after a crash that may have damaged it)
    List<String> rebuilt =
        plan.materialized().stream()
            .map(PlannedModel::name)
            .filter(n -> full.containsKey(n) || !facts.contains(n))
            .collect(Collectors.toList());
    Set<String> kept = rebuildAfterCrash ? Set.of() : keptInPlace(plan, connection, recorded, prints, rebuilt, catalog);
    for (PlannedModel m : plan.materialized()) {
      String keeps = kept.contains(m.name()) ? KEPT_IN_PLACE : "";
      if (full.containsKey(m.name())) {
        decisions.add(new ModelDecision(m.name(), true, full.get(m.name()) + keeps));
      } else if (!facts.contains(m.name())) {
        decisions.add(new ModelDecision(m.name(), true, "a table: rebuilt in full on every run" + keeps));
      } else {
        decisions.add(
            new ModelDecision(
                m.name(), false,
                "definition unchanged since run " + recorded.get(m.name()).runId() + notes));
      }
    }
    boolean storedPrints = storedPrints(connection, c, settings, catalog);
    if (allFull) {
      return new RunPlan(
          runId, BuildPlan.fullRefresh(warehouse, plan, workSuffix(runId), kept, storedPrints), decisions, Optional.empty(),
          Optional.empty());
    }
    // The mark comes from the last SUCCESSFUL run, not from the facts' newest times (see succeed()).
    StateSql sql = state.sql();
    BuildPlan build =
        BuildPlan.incremental(
            warehouse, plan,
            new BuildPlan.RunShape(workSuffix(runId), full.keySet(), Optional.of(sql.markSelect(mark)), kept, storedPrints));
    for (TableName t : build.workTables()) {
      // a name the warehouse would cut short could be shared by two runs: refuse it
      warehouse.checkName(Warehouse.NameKind.TABLE, "a working table of run " + runId, t.name());
    }
    return new RunPlan(runId, build, decisions, mark, Optional.of(last.get().runId()));
  }

  /**
   * The merged facts that the last successful run did not build, by the run that last did: each holds its
   * rows as of that run, and a later run of another model set on this schema (a config, or an application
   * version, without the fact: a rolling deploy, a rollback) moved the mark past rows the fact never
   * merged. Taking the last run's mark lost them, silently. A fact whose last build was by a run that did
   * not succeed (a full refresh stopped after its swap: the facts after it were not rebuilt with it), or
   * by a run {@code heap__runs} no longer holds, is put in {@code full} instead, with its reason.
   */
  private static Map<String, RunState.Run> builtBehind(
      ProjectPlan plan, RunState state, Map<String, RunState.ModelState> recorded, RunState.Run last, Map<String, String> full) {
    Map<String, RunState.Run> behind = new LinkedHashMap<>();
    for (PlannedModel fact : plan.incremental().get().facts()) {
      RunState.ModelState s = recorded.get(fact.name());
      if (full.containsKey(fact.name()) || s == null || s.runId().equals(last.runId())) {
        continue;
      }
      Optional<RunState.Run> builtBy = state.run(s.runId());
      if (builtBy.isEmpty()) {
        full.put(
            fact.name(),
            "last built by run " + s.runId() + ", which heap__runs no longer holds (incremental.run_history_days), and the runs since did"
                + " not build it: the rows it has merged are unknown");
      } else if (!"succeeded".equals(builtBy.get().status())) {
        full.put(
            fact.name(),
            "last built by run " + s.runId() + ", which did not succeed (" + builtBy.get().status() + "): what that run left unbuilt"
                + " after it is built with it now");
      } else {
        behind.put(fact.name(), builtBy.get());
      }
    }
    return behind;
  }

  /**
   * Whether a reconciling run recorded source fingerprints in this schema (its setting is carried by
   * every run after it): then a run that does not reconcile keeps them true to the facts it builds
   * ({@link BuildPlan#fullRefresh(Warehouse, ProjectPlan, String, Set, boolean)}, {@link SourcePrints#forget}).
   */
  private boolean storedPrints(
      Connection connection, HeapConfig c, Map<String, RunState.Setting> settings, Map<TableName, Optional<List<String>>> catalog) {
    // the table dropped: no fingerprints kept any more (how a schema leaves reconcile for good)
    return settings.containsKey(SourcePrints.DEFINITION_SETTING)
        && columns(catalog, connection, SourcePrints.TABLE, new SourcePrints(warehouse, c).stored()).isPresent();
  }

  /** What reconciling adds to an incremental fact's decision: from which fingerprints. */
  private String reconcileNote(
      Connection connection, HeapConfig c, Map<String, RunState.Setting> settings, Map<TableName, Optional<List<String>>> catalog) {
    SourcePrints prints = new SourcePrints(warehouse, c);
    TableName stored = prints.stored();
    RunState.Setting then = settings.get(SourcePrints.DEFINITION_SETTING);
    // "<definition>@<run that recorded the fingerprints>"
    String[] recorded = then == null ? new String[0] : then.value().split("@", 2);
    if (recorded.length == 2 && !recorded[0].equals(prints.definition())) {
      // every user's fingerprint differs: a superset, never a miss, but as slow as a full refresh
      return "reconciling, and the source columns fingerprinted (source.pageview_properties, source.session_properties, source.columns,"
          + " source.tables) changed"
          + " since run " + recorded[1] + " recorded the fingerprints: every user is recomputed";
    }
    if (columns(catalog, connection, SourcePrints.TABLE, stored).isEmpty() || count(connection, SourcePrints.TABLE, stored) == 0) {
      return recorded.length == 2
          // the plain runs since forgot the fingerprints of the users they recomputed: every one of them
          ? "reconciling, with no source fingerprints left of those run " + recorded[1] + " recorded (runs since may have"
              + " recomputed every user, or rebuilt a fact in full, without reconciling: either forgets them): every user is recomputed"
          : "reconciling, with no source fingerprints recorded yet: every user is recomputed";
    }
    return "reconciling: users whose source rows changed since the last reconciling run (or recomputed since without it) are"
        + " recomputed too";
  }

  /** Runs the statements of {@code build}, which was made for {@code plan}, without run state or lock. */
  public RunResult execute(BuildPlan build, ProjectPlan plan, Connection connection) {
    requireWritable(connection);
    Timer timer = new Timer(progress);
    // a plan handed in was made for the mode it has: a full one is a full refresh asked for
    RunResult built = execute(build, runKind(build.mode(), true), plan, connection, null, timer, null, null, null, () -> {});
    return new RunResult(
        built.mode(), built.models(), timer.steps(), Duration.ofNanos(System.nanoTime() - timer.start),
        built.recomputedUsers());
  }

  /**
   * Runs the steps of {@code build}. {@code newest}, when given, receives each merged fact's newest time
   * among the rows the run recomputed for it, read from its changes table (named with the run's {@code
   * suffix}) after the apply and before the cleanup drops it (see {@link #succeed}). {@code applied} is
   * told when every step that changes a model has run, before the clean-up and the row counts.
   */
  private RunResult execute(
      BuildPlan build, String kind, ProjectPlan plan, Connection connection, Heartbeat heartbeat, Timer timer,
      Map<String, LocalDateTime> newest, String suffix, Replacements replacements, Runnable applied) {
    LOG.info("{} on {}", kind.equals("full build") ? kind : kind + " run", warehouse.name());
    timer.statements = build.steps().stream().mapToInt(s -> s.statements().size()).sum();
    Map<String, Long> nanos = new LinkedHashMap<>();
    List<BuildPlan.Step> apply = new ArrayList<>();
    List<String> merged = new ArrayList<>();
    OptionalLong activeUsers = OptionalLong.empty();
    long countingNanos = 0; // the active users' count, booked with the summary's row counts
    // the run state made the target schema already (or found it): see TableLookup#schemaExists
    HeapConfig target = plan.config();
    String createTarget = warehouse.createSchema(target.targetDatabase(), target.targetSchema(), target.targetLocation());
    boolean targetThere = TableLookup.schemaExists(warehouse, connection, target.targetDatabase(), target.targetSchema());
    for (BuildPlan.Step step : build.steps()) {
      if (step.phase() == BuildPlan.Phase.APPLY) {
        apply.add(step);
        merged.add(step.model());
        continue;
      }
      if (!apply.isEmpty()) {
        timed(nanos, timer, apply, () -> inTransaction(connection, apply, heartbeat, timer));
        apply.clear();
      }
      if (step.phase() == BuildPlan.Phase.CLEANUP) {
        applied.run();
      }
      if (step.phase() == BuildPlan.Phase.CLEANUP && newest != null) {
        long reading = System.nanoTime();
        newest.putAll(newestRecomputed(build, plan, connection, merged, suffix));
        timer.runState(System.nanoTime() - reading);
      }
      if (heartbeat != null) {
        heartbeat.beat(connection);
      }
      List<BuildPlan.Step> one = List.of(step);
      boolean replaces = replacements != null && replacements.replaces(step);
      if (replaces) {
        replacements.before(step.model(), timer);
      }
      if (step.phase() == BuildPlan.Phase.SWAP && !warehouse.rollsBackSwap()) {
        // a cancel during the swap takes effect after it, and says so (see executeStatement)
        cancel.swapping(step.model());
      }
      try {
        timed(nanos, timer, one, () -> {
          if (step.phase() == BuildPlan.Phase.SWAP && step.transactional() && warehouse.swapsInOneTransaction()
              && warehouse.swapLockTimeoutStatement(SWAP_LOCK_TIMEOUT).isPresent()) {
            swapWithLockTimeout(connection, step, heartbeat, timer, plan.config());
          } else if (step.transactional() && (step.phase() != BuildPlan.Phase.SWAP || warehouse.swapsInOneTransaction())) {
            inTransaction(connection, one, heartbeat, timer);
          } else {
            for (String s : step.statements()) {
              if (targetThere && step.phase() == BuildPlan.Phase.SETUP && s.equals(createTarget)) {
                timer.statement(step);
              } else {
                executeStatement(connection, step, s, timer);
              }
            }
          }
        });
      } catch (HeapRunException e) {
        if (replaces && step.phase() == BuildPlan.Phase.SWAP && warehouse.rollsBackSwap() && warehouse.hasTransactions()
            && !e.statement().isEmpty() && !e.statement().startsWith("(") && !"COMMIT".equals(e.statement())
            && e.getSuppressed().length == 0) {
          try {
            replacements.rolledBack(step.model(), timer);
          } catch (RuntimeException recording) {
            e.addSuppressed(recording);
          }
        }
        throw e;
      } finally {
        cancel.swapped();
      }
      if (replaces) {
        replacements.after(connection, step.model(), timer);
      }
      if (step.phase() == BuildPlan.Phase.WORK
          && plan.incremental().isPresent()
          && step.model().equals(plan.incremental().get().activeUsers().name())) {
        long counting = System.nanoTime();
        HeapConfig c = plan.config();
        String table = SqlRenderer.ACTIVE_USERS_TABLE + (suffix == null ? "" : suffix);
        activeUsers = OptionalLong.of(count(connection, step.model(), warehouse.table(c.targetDatabase(), c.targetSchema(), table)));
        countingNanos += System.nanoTime() - counting;
      }
    }
    if (!apply.isEmpty()) {
      timed(nanos, timer, apply, () -> inTransaction(connection, apply, heartbeat, timer));
    }
    applied.run();
    List<RunResult.ModelResult> results = new ArrayList<>();
    HeapConfig c = plan.config();
    long counting = System.nanoTime();
    for (PlannedModel m : plan.materialized()) {
      if (!nanos.containsKey(m.name())) {
        continue;
      }
      TableName table = warehouse.table(c.targetDatabase(), c.targetSchema(), m.name());
      // a fact replaced in full was counted as its state was recorded, after its swap: nothing since
      Long known = replacements == null ? null : replacements.counted.get(m.name());
      long rows = known != null ? known : count(connection, m.name(), table);
      Duration elapsed = Duration.ofNanos(nanos.get(m.name()));
      LOG.info("built {} ({} {}) in {} ms", m.name(), rows, rows == 1 ? "row" : "rows", elapsed.toMillis());
      results.add(new RunResult.ModelResult(m.name(), table.qualified(), rows, elapsed));
    }
    timer.add(RunResult.ROW_COUNTS, "(run)", results.size(), System.nanoTime() - counting + countingNanos);
    RunResult built = new RunResult(build.mode(), results);
    return new RunResult(built.mode(), built.models(), built.steps(), built.total(), activeUsers);
  }

  /**
   * Records a finished run: each model's fingerprint and rows, then the run as succeeded with the mark
   * the next run starts from.
   *
   * <p>Why the mark is recorded here rather than read from the facts at the start of the next run: the
   * mark must describe facts that are known to be complete. Read from the facts, it describes whatever
   * rows are visible at that moment, which after a crash need not be rows a successful run committed
   * as a whole: a fact rebuilt in full by a run that died before the others (each table is swapped on
   * its own), a database that recovers from a kill by rolling back after the next run already read the
   * facts (H2 replays its store when the file is next opened), or rows someone loaded by hand. A mark
   * taken from such rows is too new, the users with rows between the true mark and it are never
   * recomputed, and the run still ends with exit 0: that is the lost update seen once after a kill -9
   * during an incremental run. Recorded here, after every statement of the run committed, the mark only
   * ever lags the facts: a crash anywhere before this point leaves the previous successful run's mark
   * in force, the next run recomputes everything since then, and recomputing a user twice is harmless
   * (the apply deletes and merges on the unique key).
   */
  private List<String> succeed(
      RunState state, ProjectPlan plan, RunPlan run, RunResult result, Map<String, LocalDateTime> newest, Runnable beforeWriting)
      throws SQLException {
    Optional<LocalDateTime> nextMark = Optional.empty();
    LocalDateTime now = now();
    if (plan.incremental().isPresent()) {
      nextMark = newest.isEmpty() ? highWaterMark(state, plan) : highWaterMark(state, plan, newest, run.sourcesWithRows());
      nextMark = nextMark.map(mark -> atMostTheClock(mark, now, plan.config()));
    }
    Fingerprints prints = Fingerprints.of(warehouse, plan);
    List<String> statements = new ArrayList<>();
    Map<String, ModelDecision> decisions =
        run.decisions().stream().collect(Collectors.toMap(ModelDecision::model, d -> d, (a, b) -> a, LinkedHashMap::new));
    for (RunResult.ModelResult m : result.models()) {
      ModelDecision d = decisions.get(m.model());
      String status = d == null || d.full() ? "built in full" : "merged incrementally";
      statements.addAll(state.sql().replaceModelState(m.model(), prints.of(m.model()), run.runId(), now, m.rows(), status));
    }
    // the lookback nextMark was taken with, so that a changed one moves the mark at the next run; and
    // how many source rows lie behind nextMark, so that the next run sees rows that arrived behind it
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put(StateSql.LOOKBACK, String.valueOf(plan.config().lateArrivalLookbackDays()));
    // the Heap tables found with rows as this run was decided: an emptied one is refused by the next run
    run.sourcesWithRows().ifPresent(withRows -> settings.put(SourcesWithRows.SETTING, String.join(",", withRows)));
    // and the widths of their text columns: one widened since is rebuilt from in full by the next run
    if (!run.sourceTextWidths().isEmpty()) {
      putIfFits(settings, SourceWidths.SETTING, SourceWidths.format(run.sourceTextWidths()));
    }
    // and the kinds of their columns: one recast since is rebuilt from in full by the next run
    if (!run.sourceColumnKinds().isEmpty()) {
      putIfFits(settings, SourceKinds.SETTING, SourceKinds.format(run.sourceColumnKinds()));
      String bits = SourceKinds.formatBits(run.sourceColumnKinds());
      if (!bits.isEmpty()) {
        putIfFits(settings, SourceKinds.BITS_SETTING, bits);
      }
    }
    // whether the facts are the defaults' (no config, or an empty one): a later run without a config may
    // rebuild them after an upgrade, where it is refused on facts a config built (the CLI's guard)
    settings.put(CONFIG_IS_DEFAULTS, String.valueOf(plan.config().equals(HeapConfig.defaults())));
    // what the models were built with (the config's keys, heap's version): the next run names what changed
    // when a model's definition did, where the fingerprints alone say only that it did
    ModelSettings.write(ModelSettings.of(plan.config())).ifPresent(text -> settings.put(MODEL_SETTINGS, text));
    HeapVersion.get().ifPresent(v -> settings.put(HEAP_VERSION, v));
    // what the stored fingerprints hash: set by the runs that record them, kept by the others
    Map<String, RunState.Setting> recorded = state.settings();
    RunState.Setting printsThen = recorded.get(SourcePrints.DEFINITION_SETTING);
    boolean recordedPrints =
        run.build().steps().stream().anyMatch(st -> st.phase() == BuildPlan.Phase.RECORD && st.model().equals(SourcePrints.TABLE));
    if (recordedPrints) {
      settings.put(SourcePrints.DEFINITION_SETTING, new SourcePrints(warehouse, plan.config()).definition() + "@" + run.runId());
    } else if (printsThen != null) {
      settings.put(SourcePrints.DEFINITION_SETTING, printsThen.value());
    }
    // this run's mark, where the last run counted behind it, to compare (a reconciling run took such rows in)
    RunState.Setting countedAt = recorded.get(SourceRowsBehindMark.MARK_SETTING);
    Optional<LocalDateTime> compared =
        run.mark().filter(m -> !plan.config().reconcile() && countedAt != null && countedAt.value().equals(m.toString()));
    List<String> warnings = new ArrayList<>();
    // the config's incremental.count_rows_behind_mark turns it on as well, for runs started by the CLI
    if (nextMark.isPresent() && (countsBehindMark || plan.config().countRowsBehindMark())) {
      Optional<Map<String, long[]>> behind = countBehind(state, plan, compared, nextMark.get());
      if (behind.isPresent()) {
        settings.put(SourceRowsBehindMark.MARK_SETTING, nextMark.get().toString());
        behind.get().forEach((source, rows) -> settings.put(SourceRowsBehindMark.SETTING_PREFIX + source, String.valueOf(rows[1])));
        compared.ifPresent(mark -> warnings.addAll(rowsBehindMark(recorded, countedAt.runId(), mark, behind.get())));
      }
    }
    statements.addAll(state.sql().replaceSettings(run.runId(), settings));
    statements.add(
        state.sql().finishRun(run.runId(), "succeeded", now, nextMark, List.of(), result.models().size() + " models built"));
    beforeWriting.run();
    state.inTransaction(statements, warehouse.hasTransactions());
    return warnings;
  }

  /**
   * Puts a setting whose size grows with the config (the columns the models read) where it fits a
   * settings value ({@link ModelSettings#MAX_BYTES}); else leaves it out, logged, so the next run compares
   * nothing for it: an INSERT of a longer value would fail the finished run's record on Redshift.
   */
  private static void putIfFits(Map<String, String> settings, String name, String value) {
    int bytes = value.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    if (bytes <= ModelSettings.MAX_BYTES) {
      settings.put(name, value);
    } else {
      LOG.warn("{} not recorded: {} bytes, more than a setting holds ({}); the next run does not compare it", name, bytes, ModelSettings.MAX_BYTES);
    }
  }

  /**
   * Each source's rows before {@code mark} (-1 without one) and before {@code nextMark}
   * ({@link SourceRowsBehindMark}), or empty when the database refused the count (logged) or a cancel
   * came: the run's models are built by then, and a cancel lets the run's record finish ({@link
   * RunCancel#RECORDING_ALLOWANCE}) but stops the count at once ({@link RunCancel#startingOptional}), a
   * warning the run can do without that may take longer than the allowance (14 s on H2 at 1.6M events).
   * The run then records no counts, and the next one has none to compare with.
   */
  private Optional<Map<String, long[]>> countBehind(RunState state, ProjectPlan plan, Optional<LocalDateTime> mark, LocalDateTime nextMark) {
    if (cancel.isCancelled()) {
      return Optional.empty();
    }
    String select = new SourceRowsBehindMark(warehouse, plan.config()).countSelect(mark, nextMark);
    Map<String, long[]> counts = new LinkedHashMap<>();
    try (Statement s = state.connectionStatement()) {
      cancel.startingOptional(s, "(counting the source rows behind the mark)", warehouse.name());
      try (ResultSet rs = s.executeQuery(select)) {
        while (rs.next()) {
          long behindMark = rs.getLong(2);
          counts.put(rs.getString(1), new long[] {rs.wasNull() ? -1 : behindMark, rs.getLong(3)});
        }
      } finally {
        cancel.finished(s);
      }
      return Optional.of(counts);
    } catch (HeapRunException e) {
      // cancelled just as it started
      return Optional.empty();
    } catch (SQLException e) {
      if (!cancel.isCancelled()) {
        LOG.warn("could not count the source rows behind the marks ({}): {}", HeapRunException.reason(e), select);
      }
      return Optional.empty();
    }
  }

  /**
   * Warnings for the source rows that arrived (or went) before {@code mark}, this run's, since run
   * {@code countedBy} counted them there: an incremental run cannot see them, so its facts miss them
   * until a reconciling run or a full refresh, and nothing said so (a re-sync of old events, a backfill,
   * a batch later than the lookback).
   */
  private List<String> rowsBehindMark(Map<String, RunState.Setting> recorded, String countedBy, LocalDateTime mark, Map<String, long[]> now) {
    List<String> warnings = new ArrayList<>();
    now.forEach(
        (source, rows) -> {
          RunState.Setting then = recorded.get(SourceRowsBehindMark.SETTING_PREFIX + source);
          long before;
          try {
            before = then == null || rows[0] < 0 ? rows[0] : Long.parseLong(then.value().strip());
          } catch (NumberFormatException e) {
            before = rows[0];
          }
          long diff = rows[0] - before;
          if (diff != 0) {
            String warning =
                source + ": " + Math.abs(diff) + (Math.abs(diff) == 1 ? " row" : " rows") + " with a time before the mark " + mark
                    + (diff > 0 ? " arrived" : " went") + " since run " + countedBy + " counted them; an incremental run does not"
                    + " see " + (diff > 0 ? "them" : "that they went") + ", so the facts " + (diff > 0 ? "miss them" : "keep them")
                    + " until a reconciling run (heap run --reconcile, incremental.reconcile: true) or a full refresh";
            LOG.warn(warning);
            warnings.add(warning);
          }
        });
    return warnings;
  }

  /**
   * {@code mark}, or this run's clock minus the lookback where that is earlier. One row dated in the future
   * (a device whose clock is years ahead: Heap keeps the time it was sent) made a fact's newest time, and
   * so the mark, 2099: every later incremental run recomputed only users with rows after 2098, and new
   * rows of every other user never reached the facts, exit 0, until a full refresh (a probe; SPEC §3's
   * invariant, not its literal mark). Capped, the future row's user is recomputed by every run (its row
   * stays after the mark), and every user with new rows is too. Said once per run, naming the time.
   */
  private LocalDateTime atMostTheClock(LocalDateTime mark, LocalDateTime now, HeapConfig config) {
    LocalDateTime cap = now.minusDays(config.lateArrivalLookbackDays());
    if (!mark.isAfter(cap)) {
      return mark;
    }
    LOG.warn(
        "the facts' newest times are after this run's clock ({} UTC): some rows are dated in the future (a device's clock);"
            + " the next run recomputes from {} instead of {}, so new rows of every user are still seen",
        now.withNano(0), cap.withNano(0), mark);
    return cap;
  }

  /** The next run's mark from the facts as they stand: each fact's newest time, scanned (the compiled script's way). */
  private Optional<LocalDateTime> highWaterMark(RunState state, ProjectPlan plan) throws SQLException {
    String select = new SqlRenderer(warehouse, plan).highWaterMarkSelect();
    try (Statement s = state.connectionStatement();
        ResultSet rs = s.executeQuery(select)) {
      return rs.next() ? RunState.time(rs, 1) : Optional.empty();
    }
  }

  /**
   * The next run's mark after an incremental run, as {@link #highWaterMark(RunState, ProjectPlan)}
   * computes it (the oldest of the facts' newest times, minus the late-arrival lookback; none while a
   * fact has no time), but with a merged fact's newest time taken from the rows the run recomputed for
   * it ({@code newest}) rather than from a scan of the whole fact: on an engine without an index on the
   * time column (H2 here, most warehouses anyway) the scan read every fact in full on every run (3.7 s
   * of a 28 s incremental run on a 172,000-user H2 file).
   *
   * <p>It can only make the mark earlier, never later, so no user with new rows is ever skipped: the
   * recomputed rows are in the fact after the apply, so their newest time is at most the fact's. And for
   * the standard facts it is the fact's newest time whenever the run recomputed rows newer than its own
   * mark: a user who is not active has no source row at or after the mark, hence no fact row either, so
   * the newest row of the fact is an active user's, recomputed. (A user's own incremental model whose
   * time is not a source row's time may get an earlier mark: more users recomputed, nothing missed.) A
   * fact rebuilt in full, or one with no recomputed row with a time, is scanned as before.
   */
  private Optional<LocalDateTime> highWaterMark(
      RunState state, ProjectPlan plan, Map<String, LocalDateTime> newest, Optional<Set<String>> sourcesWithRows) throws SQLException {
    HeapConfig c = plan.config();
    LocalDateTime oldest = null;
    for (PlannedModel fact : plan.incremental().get().facts()) {
      LocalDateTime time = newest.get(fact.name());
      if (time == null) {
        time = newestTime(state.connectionStatement(), fact, warehouse.table(c.targetDatabase(), c.targetSchema(), fact.name()))
            .orElse(null);
      }
      Optional<String> rowSource = fact.model().rowSource();
      if (time == null && rowSource.isPresent() && sourcesWithRows.isPresent() && !sourcesWithRows.get().contains(rowSource.get())) {
        // empty, as its table was when this run began (a mobile-only project's pageviews): the mark is the
        // others'. Rows the table gets later, of any time, make the next run rebuild the fact in full
        // (checkEmptiedSources), since this mark would not see them
        continue;
      }
      if (time == null) {
        return Optional.empty(); // a fact without any time: the next run recomputes every user
      }
      oldest = oldest == null || time.isBefore(oldest) ? time : oldest;
    }
    return Optional.ofNullable(oldest).map(t -> t.minusDays(c.lateArrivalLookbackDays()));
  }

  /** Each merged fact's newest time among its recomputed rows (its changes table), where there is one. */
  private Map<String, LocalDateTime> newestRecomputed(
      BuildPlan build, ProjectPlan plan, Connection connection, List<String> merged, String suffix) {
    Map<String, LocalDateTime> newest = new HashMap<>();
    if (build.mode() != BuildPlan.Mode.INCREMENTAL || plan.incremental().isEmpty()) {
      return newest;
    }
    HeapConfig c = plan.config();
    for (PlannedModel fact : plan.incremental().get().facts()) {
      if (!merged.contains(fact.name())) {
        continue;
      }
      TableName changes = warehouse.table(c.targetDatabase(), c.targetSchema(), SqlRenderer.changesTableName(fact.name()) + suffix);
      try {
        newestTime(connection.createStatement(), fact, changes).ifPresent(t -> newest.put(fact.name(), t));
      } catch (SQLException e) {
        throw new HeapRunException(fact.name(), warehouse.name(), "(the newest time of " + changes.qualified() + ")", e);
      }
    }
    return newest;
  }

  /** The newest value of {@code fact}'s time column in {@code table} (the fact, or its changes), read with {@code statement}, which it closes. */
  private Optional<LocalDateTime> newestTime(Statement statement, PlannedModel fact, TableName table) throws SQLException {
    String sql = "SELECT MAX(" + warehouse.quote(fact.model().timeColumn().orElseThrow()) + ") FROM " + table.qualified();
    try (Statement s = statement;
        ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? RunState.time(rs, 1) : Optional.empty();
    }
  }

  private static final String CREATING = "creating its state tables, before taking the run lock";
  private static final String DECIDING = "deciding the run (reading its recorded state)";
  private static final String BUILDING = "keeping its state between the build's statements";
  private static final String RECORDING = "recording the run in its state tables (its changes were applied to the facts)";

  /**
   * A statement of the run's own reads or records that {@link RunCancel} stopped fails with the
   * database's words ("canceling statement due to user request"): said as the cancel it was, naming
   * what the run was {@code doing}. A failure that says so already is left as it is.
   */
  private RuntimeException cancelledIn(RuntimeException e, String doing) {
    if (!cancel.isCancelled() || (e instanceof HeapRunException h && h.cancelled())) {
      return e;
    }
    return HeapRunException.cancelledBefore(doing, warehouse.name(), cancel.reason().orElse(""), e.getCause() != null ? e.getCause() : e);
  }

  /** {@link #fail}, out of a cancel's reach: the record of the failure and the drops must run. */
  private RuntimeException failShielded(CleanupState cleanup, String runId, List<TableName> workTables, RuntimeException e) {
    RuntimeException[] failed = {e};
    cancel.shielded(() -> failed[0] = fail(cleanup.state(), runId, workTables, e));
    return failed[0];
  }

  /** Records a failed run and drops its working tables (a later run drops any left). */
  private RuntimeException fail(RunState state, String runId, List<TableName> workTables, RuntimeException e) {
    List<String> left = new ArrayList<>();
    for (TableName t : workTables) {
      try {
        if (isOnlyCopy(state, t)) {
          // a swap stopped between its DROP and its RENAME (DDL that commits on its own): the new table
          // is the only copy of the fact; the next run rebuilds the missing fact and drops it then
          LOG.warn("kept {}: the table it was to replace is gone; the next run rebuilds that table", t.qualified());
          left.add(t.name());
          continue;
        }
        state.execute(warehouse.dropTable(t));
      } catch (SQLException dropFailed) {
        left.add(t.name());
      }
    }
    try {
      String message = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
      state.execute(state.sql().finishRun(runId, "failed", now(), Optional.empty(), left, message));
    } catch (SQLException recordFailed) {
      e.addSuppressed(recordFailed);
    }
    return e;
  }

  /** Whether {@code t} is a {@code <table>__new} whose {@code <table>} does not exist. */
  private boolean isOnlyCopy(RunState state, TableName t) throws SQLException {
    String suffix = Warehouse.NEW_TABLE_SUFFIX;
    if (!t.name().endsWith(suffix)) {
      return false;
    }
    TableName replaced = warehouse.table(t.database(), t.schema(), t.name().substring(0, t.name().length() - suffix.length()));
    return !TableLookup.exists(warehouse, state.connection(), replaced) && TableLookup.exists(warehouse, state.connection(), t);
  }

  /**
   * The tables a run that dies part-way may leave: its working tables, and the {@code <table>__new} of
   * each table it builds in full (on warehouses that build it aside and swap it in).
   */
  private List<TableName> leftoversOnCrash(BuildPlan build, HeapConfig c) {
    List<TableName> tables = new ArrayList<>(build.workTables());
    for (BuildPlan.Step step : build.steps()) {
      if (step.phase() == BuildPlan.Phase.BUILD && warehouse.buildsIntoNewTable() && !build.refilledInPlace().contains(step.model())) {
        tables.add(warehouse.table(c.targetDatabase(), c.targetSchema(), step.model()).withSuffix(Warehouse.NEW_TABLE_SUFFIX));
      }
    }
    return tables;
  }

  /**
   * Every run in {@code heap__runs} still 'running' while this run holds the lock died without
   * finishing (a run that loses the lock stops before applying anything); any run, crashed or failed,
   * may have left working tables. They are dropped here, by their recorded names.
   */
  private void dropLeftovers(RunState state, String runId) {
    for (RunState.Run r : state.unfinished()) {
      if (r.runId().equals(runId)) {
        continue;
      }
      try {
        for (String t : r.workTables()) {
          state.execute(warehouse.dropTable(state.sql().target(t)));
        }
        if ("running".equals(r.status())) {
          LOG.warn(
              "run {} by {} (started {}, last heartbeat {}) did not finish; {};"
                  + " this run recomputes everything since the last successful run's mark",
              r.runId(), r.owner(), r.startedAt().map(Object::toString).orElse("?"),
              r.heartbeatAt().map(Object::toString).orElse("?"),
              r.workTables().isEmpty() ? "it had made no working tables" : "dropped its working tables " + r.workTables());
          state.execute(state.sql().markCrashed(r.runId(), now(), "did not finish; found by run " + runId));
        } else {
          state.execute(state.sql().clearWorkTables(r.runId()));
        }
      } catch (SQLException e) {
        throw new HeapRunException("(run state)", warehouse.name(), "(dropping the working tables of run " + r.runId() + ")", e);
      }
    }
  }

  /**
   * Drops the {@code <table>__new} of this run's models that no run has recorded: a run's process killed
   * while its {@code CREATE TABLE … __new AS} ran on the server, where the statement went on and
   * committed after the next run had already dropped that run's recorded tables (PostgreSQL runs a
   * statement to its end unless it notices the client gone; Snowflake too, unless {@code
   * ABORT_DETACHED_QUERY} is set). This run holds the lock, so no live run owns one; a full build would
   * drop it before building anyway, an incremental run would leave it there for good.
   */
  private void dropStrayBuildTables(RunState state, ProjectPlan plan) {
    if (!warehouse.buildsIntoNewTable()) {
      return;
    }
    HeapConfig c = plan.config();
    for (PlannedModel m : plan.materialized()) {
      TableName stray = warehouse.table(c.targetDatabase(), c.targetSchema(), m.name()).withSuffix(Warehouse.NEW_TABLE_SUFFIX);
      try {
        if (TableLookup.exists(warehouse, state.connection(), stray)) {
          LOG.warn(
              "dropped {}, which no run recorded: a run that died while building it (its statement finished on the server"
                  + " after the run's process had gone)", stray.qualified());
          state.execute(warehouse.dropTable(stray));
        }
      } catch (SQLException e) {
        throw new HeapRunException("(run state)", warehouse.name(), "(dropping " + stray.qualified() + ", left by a run that died)", e);
      }
    }
  }

  /**
   * Whether a run crashed (was found unfinished) after the last successful run: then, where a crash can
   * damage tables ({@link Warehouse#crashCanDamageTables}), the runs rebuild the facts in full until
   * one succeeds (a run that failed on the damage does not end the need).
   */
  private static boolean crashedSinceLastSuccess(RunState state) {
    if (!state.exists()) {
      return false;
    }
    for (RunState.Run r : state.runs(100)) {
      if ("succeeded".equals(r.status())) {
        return false;
      }
      if ("crashed".equals(r.status())) {
        return true;
      }
    }
    return false;
  }

  private void acquire(RunState state, String runId, String owner) {
    long deadline = System.nanoTime() + lockWait.toNanos();
    boolean logged = false;
    // who held it, to say so when this run takes it over: a run killed before it recorded itself in
    // heap__runs left no other trace, and the takeover said nothing
    RunState.Lock before = state.lock();
    while (true) {
      LocalDateTime now = now();
      RunState.LockAttempt attempt = state.tryLock(runId, owner, now, now.minus(staleAfter), now.minus(endedSessionGrace(staleAfter)));
      if (attempt.taken()) {
        RunState.Lock previous = before;
        previous.runId().filter(id -> !id.equals(runId)).ifPresent(id -> {
          Optional<RunState.Run> recorded = state.run(id);
          if (recorded.isPresent() && !"running".equals(recorded.get().status())) {
            // it finished and released the lock between this run's attempts (a --wait that waited): no takeover
            LOG.info("took the run lock once run {} had finished ({})", id, recorded.get().status());
            return;
          }
          LOG.warn(
              "took over the run lock from run {} by {} (lock taken {}, last heartbeat {}), which is taken to have died{}{}",
              id, previous.owner(), previous.startedAt().map(Object::toString).orElse("?"),
              previous.heartbeatAt().map(Object::toString).orElse("?"),
              attempt.fromEndedSession() ? ": its database session has ended" : "",
              recorded.isPresent() ? "" : "; heap__runs has no record of it: it stopped before recording itself, so it changed nothing");
        });
        return;
      }
      RunState.Lock held = state.lock();
      before = held;
      if (System.nanoTime() >= deadline && held.runId().isEmpty() && attempt.refused().isPresent()) {
        // no run holds it: the database refused the statement for a reason of its own, say which
        throw new HeapRunException("(run state)", warehouse.name(), "(taking the run lock)", attempt.refused().get());
      }
      if (System.nanoTime() >= deadline) {
        // a holder whose database session has ended (a run killed on PostgreSQL) is taken over sooner: said
        // so, as heap status says it; the message named only the longer wait (a probe of daily runs)
        boolean ended = state.sessionEnded(held.owner());
        throw HeapRunException.ofRun(
            "another run holds the lock: run " + held.runId().orElse("?") + " by " + held.owner() + ", started "
                + held.startedAt().map(Object::toString).orElse("?") + ", last heartbeat "
                + held.heartbeatAt().map(Object::toString).orElse("?")
                + (lockWait.isZero() ? " (wait for it with heap run --wait SECONDS, or JdbcRunner.waitingForLock in Java; " : " (waited " + lockWait.toSeconds() + " s for it; ")
                + (ended
                    ? "the database session it recorded has ended, so its lock is taken over once its heartbeat is older than "
                        + endedSessionGrace(staleAfter).toSeconds() + " s)"
                    : "a lock whose heartbeat is older than " + staleAfter.toSeconds() + " s is taken over)"));
      }
      if (!logged) {
        LOG.info("waiting for run {} by {} to release the lock", held.runId().orElse("?"), held.owner());
        logged = true;
      }
      cancel.check("waiting for the run lock", warehouse.name());
      try {
        Thread.sleep(Math.min(1000, Math.max(50, lockWait.toMillis() / 20)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw HeapRunException.ofRun("interrupted while waiting for the run lock");
      }
    }
  }

  /** A heartbeat update: whether the run still holds the lock afterwards. */
  private interface RenewedLock {
    boolean held() throws SQLException;
  }

  /** The heartbeat renewed on the run's own connection, between statements and inside each transaction. */
  private final class Heartbeat {
    private final RunState state;
    private final String runId;
    private final Timer timer;
    /**
     * Held by the run's thread from before a transaction's {@link #fence} to its COMMIT or ROLLBACK, while
     * the transaction holds the lock row. The heartbeat thread beats the lock row only when it gets this
     * at once; otherwise the run's own {@code heap__runs} row alone, so it never waits behind the
     * transaction (it did, and a live run looked dead), and the lock row still moves whenever no
     * transaction holds it (what a heap from before reads, and monitoring).
     */
    final java.util.concurrent.locks.ReentrantLock inTransaction = new java.util.concurrent.locks.ReentrantLock();

    Heartbeat(RunState state, String runId, Timer timer) {
      this.state = state;
      this.runId = runId;
      this.timer = timer;
    }

    /**
     * Renews the heartbeat, on the lock row and the run's own row, between statements; stops the run when
     * the lock was taken over. Where a warehouse runs a transaction as one script (BigQuery) or has none,
     * it goes just before it, and a run that lost its lock stops there, before any fact changes.
     */
    void beat(Connection unused) {
      renew(() -> state.heartbeat(runId, now()));
    }

    /**
     * The first statement of a transaction: renews the lock row alone and holds it until COMMIT, so a
     * takeover cannot slip in between this check and the changes that follow (on warehouses with row
     * locks); stops the run when the lock was taken over. The run's own row is left to the heartbeat
     * thread, which beats there meanwhile however long the transaction waits.
     */
    void fence(Connection unused) {
      renew(() -> state.fence(runId, now()));
    }

    private void renew(RenewedLock renewal) {
      boolean held;
      long start = System.nanoTime();
      try {
        held = renewal.held();
      } catch (SQLException e) {
        throw new HeapRunException("(run state)", warehouse.name(), "(renewing the heartbeat of run " + runId + ")", e);
      } finally {
        timer.heartbeat(System.nanoTime() - start);
      }
      if (!held) {
        throw lost();
      }
    }

    private HeapRunException lost() {
      return HeapRunException.ofRun(
          "run " + runId + " lost the run lock to another run (its heartbeat was older than " + staleAfter.toSeconds()
              + " s, or than " + endedSessionGrace(staleAfter).toSeconds() + " s with the database session it recorded ended);"
              + " it stops before changing anything more");
    }
  }

  /**
   * Renews the heartbeat every fifth of the stale timeout from a thread of its own, on its own connection.
   * It is stopped by a signal it waits on between beats, never by {@link Thread#interrupt}: the thread may be
   * inside the driver, and an interrupt there closes H2's file (a {@code FileChannel} closes when the thread
   * using it is interrupted), after which every connection to that database fails ("Reading from file …
   * failed", then "The database has been closed").
   */
  private final class BackgroundHeartbeat {
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** Whether the thread has its connection: until then no beat can be in progress to wait for. */
    private volatile boolean connected;

    BackgroundHeartbeat(ConnectionSource source, HeapConfig config, String runId, Heartbeat run) {
      long every = beatEvery(staleAfter).toMillis();
      thread =
          new Thread(
              () -> {
                Connection c = null;
                boolean autoCommit = true;
                int replaced = 0;
                try {
                  c = source.open();
                  connected = true;
                  // a beat left uncommitted would hold the lock row against the run's own updates of it
                  autoCommit = autoCommitting(c, "the heartbeat's connection");
                  RunState state = new RunState(warehouse, config, c);
                  while (!stopped.await(every, TimeUnit.MILLISECONDS)) {
                    try {
                      beat(state, run, runId);
                    } catch (SQLException e) {
                      if (!ended(c)) {
                        LOG.debug("heartbeat of run {} not renewed: {}", runId, e.getMessage());
                        continue;
                      }
                      // the server ended the session (PostgreSQL's idle_session_timeout between beats, a
                      // DBA's pg_terminate_backend, a pooler's restart): every later beat on it failed,
                      // the lock's heartbeat aged while the run went on, and another run took the lock
                      // over after --stale-after (a probe: idle_session_timeout = 60s). The beat is made
                      // again at once on a new connection: a server that ends sessions idle for less than
                      // the beats' interval ends each connection before the next beat
                      if (replaced++ == 0) {
                        LOG.warn(
                            "the heartbeat connection of run {} was ended by the server ({}); beating on a new one (said once: a"
                                + " server that ends idle sessions sooner than every {} s ends each one)",
                            runId, e.getMessage(), Math.max(1, every / 1000));
                      } else {
                        LOG.debug("the heartbeat connection of run {} was ended by the server again ({})", runId, e.getMessage());
                      }
                      closeQuietly(c);
                      c = source.open();
                      autoCommit = autoCommitting(c, "the heartbeat's new connection");
                      state = new RunState(warehouse, config, c);
                      try {
                        beat(state, run, runId);
                      } catch (SQLException again) {
                        LOG.debug("heartbeat of run {} not renewed on its new connection: {}", runId, again.getMessage());
                      }
                    }
                  }
                } catch (HeapRunException e) {
                  LOG.warn("no heartbeat on its own connection for run {} ({}); renewing it between statements only", runId, e.getMessage());
                } catch (SQLException e) {
                  LOG.warn("no heartbeat connection for run {} ({}); renewing it between statements only", runId, e.getMessage());
                } catch (InterruptedException e) {
                  // only the host's own interrupt gets here (stop() never interrupts): end the beats
                  Thread.currentThread().interrupt();
                } finally {
                  if (c != null) {
                    restoreAutoCommit(c, autoCommit);
                    closeQuietly(c);
                  }
                }
              },
              "heap-heartbeat-" + runId);
      thread.setDaemon(true);
      thread.start();
    }

    /** One beat: the lock row and the run's row, or only the run's row while a transaction of the run holds the lock row. */
    private void beat(RunState state, Heartbeat run, String runId) throws SQLException {
      if (run.inTransaction.tryLock()) {
        try {
          state.heartbeat(runId, now());
        } finally {
          run.inTransaction.unlock();
        }
      } else {
        state.heartbeatRunRow(runId, now());
      }
    }

    /**
     * Whether {@code c} can no longer be used: closed, or not valid (a session the server ended). A driver
     * that cannot tell ({@code isValid} unsupported) counts it as usable: the beat failed for another
     * reason, and the next one tries again.
     */
    private boolean ended(Connection c) {
      try {
        return c.isClosed() || !c.isValid(5);
      } catch (SQLException e) {
        return false;
      }
    }

    private void closeQuietly(Connection c) {
      try {
        c.close();
      } catch (SQLException e) {
        LOG.debug("closing a heartbeat connection: {}", e.getMessage());
      }
    }

    /**
     * Ends the beats and waits (a while) for one in progress to finish. A thread still waiting for its
     * connection (a pool of one, lent to the run) is not waited for: it ends as soon as it gets one.
     */
    void stop() {
      stopped.countDown();
      if (!connected) {
        return;
      }
      try {
        thread.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private LocalDateTime now() {
    return LocalDateTime.now(clock.withZone(ZoneOffset.UTC)).truncatedTo(ChronoUnit.MICROS);
  }

  /**
   * What a run is called in its log line, in {@code heap__runs} and in {@code heap run}'s summary:
   * {@code incremental}; {@code full-refresh} when one was asked for ({@code --full-refresh},
   * {@code run(…, true)}); {@code full build} when nobody asked and every incremental fact needed one (the
   * first run, a changed definition: each fact's decision says why). Calling the latter a full refresh
   * sent operators looking for who had asked for one.
   */
  public static String runKind(BuildPlan.Mode mode, boolean fullRefreshAsked) {
    if (mode == BuildPlan.Mode.INCREMENTAL) {
      return "incremental";
    }
    return fullRefreshAsked ? "full-refresh" : "full build";
  }

  /**
   * The mode {@code heap__runs} (and {@code heap status}) shows: a reconciling incremental run says so,
   * since it may recompute every user; operators could not tell when the last one ran.
   */
  static String recordedMode(BuildPlan.Mode mode, boolean fullRefreshAsked, boolean reconciling) {
    return runKind(mode, fullRefreshAsked) + (mode == BuildPlan.Mode.INCREMENTAL && reconciling ? ", reconciling" : "");
  }

  /** A short random id: 8 hex digits, enough for runs that overlap, short enough for 63-byte names. */
  private static String newRunId() {
    byte[] b = new byte[4];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** The suffix of a run's working tables. */
  static String workSuffix(String runId) {
    return "__r" + runId;
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      return "unknown-host";
    }
  }

  private static String abbrev(String fingerprint) {
    return fingerprint.length() > 12 ? fingerprint.substring(0, 12) : fingerprint;
  }

  /**
   * Why a model's fingerprint changed, from the settings the last successful run recorded: the config
   * keys that changed since, or else heap's version, or else the model's own definition (code of a
   * model of one's own). Said only where that run is the one that recorded the fingerprint: it built the
   * model with those settings, so they are what the fingerprint was taken under. Empty otherwise (the run
   * was before heap recorded its settings, or did not build this model).
   */
  static String whyChanged(Map<String, RunState.Setting> recorded, Optional<RunState.Run> last, String printedBy, HeapConfig now) {
    RunState.Setting then = recorded.get(MODEL_SETTINGS);
    if (then == null || last.isEmpty() || !last.get().runId().equals(printedBy) || !then.runId().equals(printedBy)) {
      return "";
    }
    Optional<Map<String, String>> before = ModelSettings.read(then.value());
    if (before.isEmpty()) {
      return "";
    }
    RunState.Setting version = recorded.get(HEAP_VERSION);
    Optional<String> builtBy = Optional.ofNullable(version).map(RunState.Setting::value);
    Optional<String> current = HeapVersion.get();
    boolean upgraded = builtBy.isPresent() && current.isPresent() && !builtBy.get().equals(current.get());
    String versions = upgraded ? "heap " + builtBy.get() + " built it, this is heap " + current.get() : "";
    List<String> changes = ModelSettings.changes(before.get(), ModelSettings.of(now));
    if (!changes.isEmpty()) {
      // a property new to the fact: Heap fills its old pageviews' (sessions') values by re-syncing them, with
      // their old times, which a plain run does not see (the 60-day probe's facts differed for weeks after it)
      boolean newProperty =
          changes.stream().anyMatch(x -> x.startsWith("source.pageview_properties ") || x.startsWith("source.session_properties "));
      return "; the config changed since run " + printedBy + ": " + String.join("; ", changes)
          + (newProperty
              ? " (where Heap fills a property's old values by re-syncing old pageviews or sessions, a plain run does not see them:"
                  + " run heap run --reconcile once it has)"
              : "")
          // both may be why: say both
          + (upgraded ? "; and " + versions : "");
    }
    if (upgraded) {
      return "; the config is as at run " + printedBy + ", built by heap " + builtBy.get() + ": heap " + current.get()
          + " renders the model otherwise";
    }
    if (builtBy.isEmpty() || current.isEmpty()) {
      // a build outside Maven (an IDE's) knows no version: an upgrade cannot be told from a model's change
      return "; the config is as at run " + printedBy + ", and heap's version " + (current.isEmpty() ? "now" : "then")
          + " is unknown: heap renders the model otherwise, or the model's own definition changed";
    }
    return "; the config and heap's version are as at run " + printedBy
        + ": the model's own definition changed (a model of your own, or heap built from other sources under the same version)";
  }

  /**
   * ", by host/pid" of the run that recorded a definition, where the run log still has it: two teammates'
   * configs on one schema rebuild each other's facts, and the decision named only a run id (found by a
   * probe of a team sharing a schema).
   */
  private static String recordedBy(Supplier<List<RunState.Run>> runs, String runId) {
    try {
      return runs.get().stream()
          .filter(r -> r.runId().equals(runId))
          .findFirst()
          .map(r -> ", by " + (r.owner().endsWith("/" + runId) ? r.owner().substring(0, r.owner().length() - runId.length() - 1) : r.owner()))
          .orElse("");
    } catch (RuntimeException e) {
      return ""; // only a hint
    }
  }

  /** What a full build's decision adds when it keeps the table ({@link #keptInPlace}). */
  static final String KEPT_IN_PLACE = "; its rows are replaced in place: the table keeps its grants, policies and tags";

  /**
   * Those of {@code rebuilt} whose full build can keep their table ({@link Warehouse#refillsInPlace}):
   * the table is there with exactly the model's columns (names as the warehouse stores them, in order),
   * and the run state recorded the model's current fingerprint for it, not "being replaced". The
   * fingerprint covers the query and the table options, so the table's column types, partitioning and
   * clustering are the model's. Anything else (a changed definition, a table heap did not record) gets a
   * new table. Found as the reason to keep tables: a full refresh on Snowflake, BigQuery and Redshift
   * gave the fact a new table that kept its grants but not the row and column security attached to the
   * old one, so readers saw rows and values it hid.
   */
  private Set<String> keptInPlace(
      ProjectPlan plan,
      Connection connection,
      Map<String, RunState.ModelState> recorded,
      Fingerprints prints,
      List<String> rebuilt,
      Map<TableName, Optional<List<String>>> catalog) {
    if (!warehouse.refillsInPlace() || !keepTables) {
      return Set.of();
    }
    HeapConfig c = plan.config();
    Set<String> kept = new HashSet<>();
    for (String name : rebuilt) {
      RunState.ModelState s = recorded.get(name);
      if (s == null || s.beingReplaced() || !s.fingerprint().equals(prints.of(name))) {
        continue;
      }
      PlannedModel m = plan.model(name);
      Optional<List<String>> columns = columns(catalog, connection, name, warehouse.table(c.targetDatabase(), c.targetSchema(), name));
      List<String> stored = m.columnNames().stream().map(warehouse::storedName).collect(Collectors.toList());
      if (columns.isPresent() && columns.get().equals(stored)) {
        kept.add(name);
      }
    }
    return kept;
  }

  private boolean sameColumns(PlannedModel fact, List<String> columns) {
    List<String> expected =
        fact.columnNames().stream().map(n -> warehouse.storedName(n).toLowerCase(Locale.ROOT)).collect(Collectors.toList());
    List<String> actual = columns.stream().map(n -> n.toLowerCase(Locale.ROOT)).collect(Collectors.toList());
    return actual.equals(expected);
  }

  /** The table's column names in order, or empty when it does not exist ({@link TableLookup}). */
  /** {@link #columns(Connection, String, TableName)}, read once per table into {@code catalog}. */
  private Optional<List<String>> columns(
      Map<TableName, Optional<List<String>>> catalog, Connection connection, String model, TableName table) {
    Optional<List<String>> known = catalog.get(table);
    if (known == null) {
      known = columns(connection, model, table);
      catalog.put(table, known);
    }
    return known;
  }

  private Optional<List<String>> columns(Connection connection, String model, TableName table) {
    try {
      return TableLookup.columns(warehouse, connection, table);
    } catch (SQLException e) {
      throw new HeapRunException(model, warehouse.name(), "(reading the columns of " + table + ")", e);
    }
  }

  /**
   * A swap in one transaction whose statements wait at most {@link #SWAP_LOCK_TIMEOUT} for a lock
   * ({@link Warehouse#swapLockTimeoutStatement}), tried again until it gets it: the first try that times
   * out says whom it waits for, and a line a minute after that says it still does. Each failed try rolls
   * back whole (the table as it was); between tries the heartbeat is renewed and a cancel stops the run.
   * Before, the swap waited on the lock for as long as the oldest open reader of the table lasted, and on
   * PostgreSQL every query of the table that came after it waited behind it. Where the session's own
   * settings bound a statement's wait ({@link Warehouse#sessionLockWaitLimitSelect}: a role's {@code
   * lock_timeout}), the tries together keep to that bound and then fail, as the one statement did.
   */
  private void swapWithLockTimeout(Connection c, BuildPlan.Step step, Heartbeat heartbeat, Timer timer, HeapConfig config) {
    TableName table = warehouse.table(config.targetDatabase(), config.targetSchema(), step.model());
    Optional<SessionLockWaitLimit> limit = sessionLockWaitLimit(c);
    long started = System.nanoTime();
    long lastSaid = 0;
    Duration pause = Duration.ofMillis(500);
    for (int attempt = 1; ; attempt++) {
      Duration bound = SWAP_LOCK_TIMEOUT;
      if (limit.isPresent()) {
        Duration left = limit.get().left(System.nanoTime() - started);
        bound = left.compareTo(bound) < 0 ? (left.toMillis() < 1 ? Duration.ofMillis(1) : left) : bound;
      }
      HeapRunException timedOut;
      try {
        inTransaction(c, List.of(step), heartbeat, timer, warehouse.swapLockTimeoutStatement(bound));
        if (attempt > 1) {
          LOG.info("swapped in model {} on try {}, {} s after the first", step.model(), attempt, (System.nanoTime() - started) / 1_000_000_000L);
        }
        return;
      } catch (HeapRunException e) {
        // a try whose rollback failed too (carried as suppressed) is the last: the connection's state is
        // unknown, and another try on it could run inside what is left of the failed transaction, or fail
        // on the broken connection with a message that hides this one
        if (!(e.getCause() instanceof SQLException q) || !warehouse.isLockTimeout(q) || cancel.isCancelled()
            || e.getSuppressed().length > 0) {
          throw e;
        }
        timedOut = e;
      }
      long now = System.nanoTime();
      if (limit.isPresent() && limit.get().left(now - started).toMillis() < 1) {
        throw carrying(
            HeapRunException.swapGaveUp(
                step.model(), warehouse.name(), table.qualified(), lockHolders(c, table), seconds(Duration.ofNanos(now - started)),
                limit.get().describe(), timedOut.statement(), timedOut.getCause()),
            timedOut);
      }
      if (lastSaid == 0 || now - lastSaid >= 60_000_000_000L) {
        lastSaid = now;
        LOG.warn(
            "the swap of model {} waits for other sessions' locks (on {}: {}); it tries again, each time waiting at most {} so that"
                + " the table's other readers do not queue behind it ({} so far{}; Ctrl-C stops the run, the table as it was)",
            step.model(), table.qualified(), lockHolders(c, table), seconds(bound), seconds(Duration.ofNanos(now - started)),
            limit.map(l -> ", " + l.describe() + " in all").orElse(""));
      }
      Duration wait = pause;
      if (limit.isPresent()) {
        // the last try comes at the bound, not a pause after it
        Duration left = limit.get().left(now - started);
        wait = left.compareTo(wait) < 0 ? left : wait;
      }
      try {
        cancel.awaitCancel(wait);
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
        throw HeapRunException.ofRun("interrupted while waiting to swap in model " + step.model());
      }
      if (cancel.isCancelled()) {
        // as a cancel during a try: the last try was rolled back, and the failure names its statement, so
        // the run records the table's definition as it was (not "being replaced")
        throw carrying(
            HeapRunException.cancelledSwap(step.model(), warehouse.name(), cancel.reason().orElse("cancelled"), timedOut.statement(), timedOut.getCause()),
            timedOut);
      }
      pause = pause.multipliedBy(2).compareTo(SWAP_RETRY_PAUSE) > 0 ? SWAP_RETRY_PAUSE : pause.multipliedBy(2);
      if (heartbeat != null) {
        heartbeat.beat(c);
      }
    }
  }

  /**
   * {@code e} with what the last try's failure carried besides its cause (a rollback that failed too): the
   * caller records the table as it was only for a failure with nothing suppressed.
   */
  private static HeapRunException carrying(HeapRunException e, HeapRunException lastTry) {
    for (Throwable t : lastTry.getSuppressed()) {
      e.addSuppressed(t);
    }
    return e;
  }

  /** {@code 2 s}, {@code 1.5 s}, {@code 80 ms}: a wait for a person, to a tenth of a second. */
  private static String seconds(Duration d) {
    if (d.toMillis() < 1000) {
      return d.toMillis() + " ms";
    }
    long tenths = (d.toMillis() + 50) / 100;
    return (tenths % 10 == 0 ? String.valueOf(tenths / 10) : tenths / 10 + "." + tenths % 10) + " s";
  }

  /**
   * A session setting that bounds a statement's wait for a lock: its name and bound ({@link
   * Warehouse#sessionLockWaitLimitSelect}). A {@code statement_timeout} also counts the time a try's
   * statement spends before it waits (PostgreSQL starts the swap's block, then asks for the lock), so the
   * tries keep a margin below it, a quarter of it up to half a second: with 1.5 s and a lock bound of all
   * of it, the statement timeout ended the swap first every time (a review, on PostgreSQL 15), with its
   * own error instead of this one's. The session's {@code lock_timeout} needs none: each try sets its own.
   */
  record SessionLockWaitLimit(String setting, Duration bound) {
    String describe() {
      return "the session's " + setting + " of " + seconds(bound);
    }

    /** What the tries may still wait, {@code elapsedNanos} after the first began. */
    Duration left(long elapsedNanos) {
      Duration margin = Duration.ZERO;
      if (setting.equals("statement_timeout")) {
        margin = bound.dividedBy(4).compareTo(Duration.ofMillis(500)) > 0 ? Duration.ofMillis(500) : bound.dividedBy(4);
      }
      return bound.minus(margin).minusNanos(elapsedNanos);
    }
  }

  /**
   * The smallest of the session's settings that bound a statement's wait for a lock, if any is set. A
   * look-up that fails counts as no bound, said once as a warning: the swap then waits as long as the
   * lock is held, as it did before the session's settings were read.
   */
  private Optional<SessionLockWaitLimit> sessionLockWaitLimit(Connection c) {
    Optional<String> query = warehouse.sessionLockWaitLimitSelect();
    if (query.isEmpty()) {
      return Optional.empty();
    }
    SessionLockWaitLimit least = null;
    try (Statement s = c.createStatement();
        java.sql.ResultSet rs = s.executeQuery(query.get())) {
      while (rs.next()) {
        long ms = rs.getLong(2);
        SessionLockWaitLimit one = new SessionLockWaitLimit(rs.getString(1), Duration.ofMillis(ms));
        // the one that leaves the tries the least, margin included: a lock_timeout of 1.5 s beside a
        // statement_timeout of 1.5 s is the statement timeout, which would end a try first
        if (ms > 0 && (least == null || one.left(0).compareTo(least.left(0)) < 0)) {
          least = one;
        }
      }
    } catch (SQLException e) {
      LOG.warn("could not read the session's lock_timeout and statement_timeout ({}); the swap waits for other sessions' locks as long as"
          + " they are held", e.getMessage());
      return Optional.empty();
    }
    return Optional.ofNullable(least);
  }

  /** Who holds a lock on {@code table}, as the warehouse says ({@link Warehouse#lockHoldersSelect}); a hint only. */
  private String lockHolders(Connection c, TableName table) {
    Optional<String> query = warehouse.lockHoldersSelect(table);
    if (query.isEmpty()) {
      return "sessions heap cannot name";
    }
    List<String> holders = new ArrayList<>();
    try (Statement s = c.createStatement();
        java.sql.ResultSet rs = s.executeQuery(query.get())) {
      while (rs.next()) {
        holders.add(rs.getString(1));
      }
    } catch (SQLException e) {
      return "(could not list them: " + e.getMessage() + ")";
    }
    return holders.isEmpty() ? "none left (the lock was freed meanwhile)" : String.join(", ", holders);
  }

  void inTransaction(Connection c, List<BuildPlan.Step> steps, Heartbeat heartbeat) {
    inTransaction(c, steps, heartbeat, new Timer(RunProgress.NONE));
  }

  private void inTransaction(Connection c, List<BuildPlan.Step> steps, Heartbeat heartbeat, Timer timer) {
    inTransaction(c, steps, heartbeat, timer, Optional.empty());
  }

  /** {@code setting}: a statement run first in the transaction, after the fence (a {@code SET LOCAL}). */
  private void inTransaction(Connection c, List<BuildPlan.Step> steps, Heartbeat heartbeat, Timer timer, Optional<String> setting) {
    if (!warehouse.hasTransactions()) {
      // each statement is atomic on its own there; the warehouse's statements are built for that
      if (heartbeat != null) {
        heartbeat.beat(c);
      }
      steps.forEach(step -> step.statements().forEach(s -> executeStatement(c, step, s, timer)));
      return;
    }
    String first = steps.get(0).model();
    if (warehouse.applyAsOneScript()) {
      // BigQuery: a transaction is one multi-statement query (or a session); statements sent one by one
      // with auto-commit off would each commit on their own. The heartbeat goes just before the script:
      // a run that lost its lock stops there, before any fact changes.
      if (heartbeat != null) {
        heartbeat.beat(c);
      }
      List<String> all = new ArrayList<>();
      steps.forEach(step -> all.addAll(step.statements()));
      // one script, but as many statements as it holds for the count
      for (int i = 1; i < all.size(); i++) {
        timer.statement(steps.get(0));
      }
      executeStatement(c, steps.get(0), warehouse.transactionScript(all), timer);
      return;
    }
    if (heartbeat != null) {
      // waits for a beat of the heartbeat thread under way, then keeps it off the lock row until the end
      heartbeat.inTransaction.lock();
    }
    try {
      inTransactionFenced(c, steps, heartbeat, timer, first, setting);
    } finally {
      if (heartbeat != null) {
        heartbeat.inTransaction.unlock();
      }
    }
  }

  private void inTransactionFenced(
      Connection c, List<BuildPlan.Step> steps, Heartbeat heartbeat, Timer timer, String first, Optional<String> setting) {
    boolean autoCommit;
    try {
      autoCommit = c.getAutoCommit();
      c.setAutoCommit(false);
    } catch (SQLException e) {
      throw new HeapRunException(first, warehouse.name(), "(starting a transaction)", e);
    }
    try {
      if (heartbeat != null) {
        heartbeat.fence(c);
      }
      if (setting.isPresent()) {
        try (Statement set = c.createStatement()) {
          set.execute(setting.get());
        }
      }
      for (BuildPlan.Step step : steps) {
        for (String s : step.statements()) {
          executeStatement(c, step, s, timer);
        }
      }
      c.commit();
    } catch (SQLException e) {
      HeapRunException failure = new HeapRunException(first, warehouse.name(), "COMMIT", e);
      rollback(c, failure);
      throw failure;
    } catch (RuntimeException e) {
      HeapRunException failure =
          e instanceof HeapRunException h ? h : new HeapRunException(first, warehouse.name(), "(in a transaction)", e);
      rollback(c, failure);
      throw failure;
    } finally {
      try {
        c.setAutoCommit(autoCommit);
      } catch (SQLException e) {
        LOG.warn("could not restore auto-commit: {}", e.getMessage());
      }
    }
  }

  private static void rollback(Connection c, HeapRunException cause) {
    try {
      c.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  /**
   * Runs {@code work}, the statements of {@code steps}, and books its time: to the models (an apply
   * transaction's time split evenly between its models) and, less the heartbeats renewed inside it, as
   * one step of the run.
   */
  private static void timed(Map<String, Long> nanos, Timer timer, List<BuildPlan.Step> steps, Runnable work) {
    long beats = timer.heartbeats;
    long start = System.nanoTime();
    work.run();
    long spent = System.nanoTime() - start - (timer.heartbeats - beats);
    long each = spent / steps.size();
    for (BuildPlan.Step s : steps) {
      nanos.merge(s.model(), each, Long::sum);
    }
    String models = steps.stream().map(BuildPlan.Step::model).distinct().collect(Collectors.joining(", "));
    timer.add(phaseName(steps.get(0).phase()), models, steps.stream().mapToInt(s -> s.statements().size()).sum(), spent);
  }

  static String phaseName(BuildPlan.Phase phase) {
    return phase.name().toLowerCase(Locale.ROOT);
  }

  /**
   * The time of one run, booked step by step, and its statements told to the progress listener. The
   * heartbeats are booked as run state, apart from the step they interrupt.
   */
  private static final class Timer {
    final long start = System.nanoTime();
    final RunProgress progress;
    final List<RunResult.StepTiming> steps = new ArrayList<>();
    long runState;
    long heartbeats;
    int statements;
    int done;

    Timer(RunProgress progress) {
      this.progress = progress;
    }

    void add(String phase, String model, int statements, long nanos) {
      steps.add(new RunResult.StepTiming(phase, model, statements, Duration.ofNanos(nanos)));
    }

    void runState(long nanos) {
      runState += nanos;
    }

    void heartbeat(long nanos) {
      heartbeats += nanos;
      runState += nanos;
    }

    void statement(BuildPlan.Step step) {
      done++;
      progress.statement(done, Math.max(done, statements), phaseName(step.phase()), step.model(), Duration.ofNanos(System.nanoTime() - start));
    }

    /** The steps in order, the run-state bookkeeping first as one step. */
    List<RunResult.StepTiming> steps() {
      List<RunResult.StepTiming> all = new ArrayList<>();
      if (runState > 0) {
        all.add(new RunResult.StepTiming(RunResult.RUN_STATE, "(run)", 0, Duration.ofNanos(runState)));
      }
      all.addAll(steps);
      return all;
    }
  }

  private void executeStatement(Connection c, BuildPlan.Step step, String sql, Timer timer) {
    timer.statement(step);
    // A swap is not stopped half-way where DDL commits statement by statement (H2): a cancel between
    // its DROP and its RENAME would leave neither the old fact nor, once the failed run drops its
    // working tables, the new one. The cancel takes effect at the next step. Where a rollback undoes
    // the swap (PostgreSQL, Redshift) it is cancelled like any statement: a swap waiting for a reader's
    // lock would otherwise outlast the CLI's grace period and leave the run lock held.
    boolean swap = step.phase() == BuildPlan.Phase.SWAP;
    try {
      executeStatement(c, step.model(), sql, !swap || warehouse.rollsBackSwap());
    } catch (HeapRunException e) {
      if (e.cancelled() && step.phase() == BuildPlan.Phase.APPLY) {
        // a SIGTERM during the DELETE of the apply said "while building model …", which the run had built
        throw HeapRunException.cancelledApply(step.model(), warehouse.name(), cancel.reason().orElse(""), e.statement(), e.getCause());
      }
      if (e.cancelled() && step.phase() == BuildPlan.Phase.RECORD) {
        throw HeapRunException.cancelledRecord(step.model(), warehouse.name(), cancel.reason().orElse(""), e.statement(), e.getCause());
      }
      if (e.cancelled() && step.phase() == BuildPlan.Phase.FORGET) {
        // it said "while building the source fingerprints", which this step does not build
        throw HeapRunException.cancelledForget(step.model(), warehouse.name(), cancel.reason().orElse(""), e.statement(), e.getCause());
      }
      throw e.cancelled() && swap
          ? HeapRunException.cancelledSwap(step.model(), warehouse.name(), cancel.reason().orElse(""), e.statement(), e.getCause())
          : e;
    }
  }

  private void executeStatement(Connection c, String model, String sql) {
    executeStatement(c, model, sql, true);
  }

  private void executeStatement(Connection c, String model, String sql, boolean cancellable) {
    LOG.debug("{}: {}", model, sql);
    try (Statement s = c.createStatement()) {
      if (cancellable) {
        cancel.starting(s, model, warehouse.name());
      }
      try {
        s.execute(sql);
        logWarnings(s, model);
      } finally {
        cancel.finished(s);
      }
    } catch (SQLException e) {
      // a cancelled statement fails with the engine's own words ("canceling statement due to user request")
      throw cancel.isCancelled()
          ? HeapRunException.cancelled(model, warehouse.name(), cancel.reason().orElse(""), sql, e)
          : new HeapRunException(model, warehouse.name(), sql, e);
    }
  }

  /**
   * Logs what the database warned of while running a statement (SQLSTATE class 01), e.g. PostgreSQL's
   * swap naming the columns a changed definition drops or an index that could not follow them. Notices
   * (class 00, such as "table does not exist, skipping") are not warnings.
   */
  private void logWarnings(Statement s, String model) {
    try {
      for (SQLWarning w = s.getWarnings(); w != null; w = w.getNextWarning()) {
        if (w.getSQLState() != null && w.getSQLState().startsWith("01")) {
          LOG.warn("{} on {}: {}", model, warehouse.name(), w.getMessage());
        }
      }
    } catch (SQLException e) {
      // the statement succeeded; a driver that cannot list its warnings does not fail it
      LOG.debug("{} on {}: could not read the statement's warnings: {}", model, warehouse.name(), e.getMessage());
    }
  }

  private long count(Connection c, String model, TableName table) {
    return oneLong(c, model, "SELECT COUNT(*) FROM " + table.qualified());
  }

  /** The one number {@code sql} selects, run for {@code model} (named in a failure). */
  private long oneLong(Connection c, String model, String sql) {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new HeapRunException(model, warehouse.name(), sql, e);
    }
  }
}
