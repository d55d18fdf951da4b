package io.heapsdk.run;

import io.heapsdk.HeapException;
import java.sql.SQLException;

/**
 * A run cannot go on: the database refused a statement, or a target table no longer fits its model.
 *
 * <p>The message is one line: {@code model <name> failed on <warehouse>: <the database's reason>}, the
 * reason cut to its first line and at most {@value #MAX_REASON} characters (H2, for one, appends the
 * whole statement to its messages). The statement itself is in {@link #statement()}, the database's
 * full error in {@link #getCause()}.
 */
public final class HeapRunException extends HeapException {
  private static final long serialVersionUID = 1L;

  /** The longest database reason a message quotes; the rest is in the cause. */
  static final int MAX_REASON = 300;

  private final String model;
  private final String statement;
  private final boolean cancelled;

  /** The database refused {@code statement} while building {@code model}. */
  public HeapRunException(String model, String warehouse, String statement, Throwable cause) {
    this(subject(model) + " failed on " + warehouse + ": " + reason(cause), cause, model, statement);
  }

  /**
   * What {@code model} names, for a person: "model stg_…", "working table heap__active_users" (a run's own
   * tables, named {@code heap__…}), "the source fingerprints" for the steps that keep them, or "the run
   * state" for the run's own steps, named in parentheses.
   */
  static String subject(String model) {
    if (model.startsWith("(") && model.endsWith(")")) {
      return "the " + model.substring(1, model.length() - 1);
    }
    if (model.equals(io.heapsdk.warehouse.SourcePrints.TABLE)) {
      // the steps that take, forget and record the fingerprints: heap's kept state, not a working table
      return "the source fingerprints (" + model + ")";
    }
    return (model.startsWith("heap__") ? "working table " : "model ") + model;
  }

  private HeapRunException(String message, Throwable cause, String model, String statement) {
    this(message, cause, model, statement, false);
  }

  private HeapRunException(String message, Throwable cause, String model, String statement, boolean cancelled) {
    super(message, cause);
    this.model = model;
    this.statement = statement;
    this.cancelled = cancelled;
  }

  /**
   * The run was stopped by {@link RunCancel#cancel} for {@code why} while at {@code model}; {@code
   * statement} and {@code cause} are the statement it cancelled and the database's error for it, if one
   * was running (else empty and null).
   */
  static HeapRunException cancelled(String model, String warehouse, String why, String statement, Throwable cause) {
    // the steps of the run's own, "(setup)" and "(cleanup)", are not models
    String at =
        model.startsWith("(") && model.endsWith(")")
            ? "in its " + model.substring(1, model.length() - 1) + " step"
            : "while building " + subject(model);
    return new HeapRunException("run cancelled (" + why + ") " + at + " on " + warehouse, cause, model, statement, true);
  }

  /**
   * The run was stopped by {@link RunCancel#cancel} for {@code why} while it recorded the source
   * fingerprints, after its apply: the facts hold its changes, and the users it rebuilt have no stored
   * fingerprint (forgotten before the apply), so the next reconciling run recomputes them.
   */
  static HeapRunException cancelledRecord(String model, String warehouse, String why, String statement, Throwable cause) {
    return new HeapRunException(
        "run cancelled (" + why + ") while recording " + subject(model) + " on " + warehouse + ", after its changes were applied to the"
            + " facts; the next reconciling run recomputes the users it rebuilt",
        cause, model, statement, true);
  }

  /**
   * The run was stopped by {@link RunCancel#cancel} for {@code why} while it forgot the stored source
   * fingerprints it is about to outdate, before its apply: nothing of the facts changed, and the users
   * whose fingerprints went are recomputed by the next reconciling run.
   */
  static HeapRunException cancelledForget(String model, String warehouse, String why, String statement, Throwable cause) {
    return new HeapRunException(
        "run cancelled (" + why + ") while forgetting " + subject(model) + " the run outdates, before its apply, on " + warehouse,
        cause, model, statement, true);
  }

  /**
   * The run was stopped by {@link RunCancel#cancel} for {@code why} while it merged its changes into
   * {@code model} (the apply: the delete and insert or merge of the recomputed users' rows).
   */
  static HeapRunException cancelledApply(String model, String warehouse, String why, String statement, Throwable cause) {
    return new HeapRunException(
        "run cancelled (" + why + ") while merging its changes into " + subject(model) + " on " + warehouse, cause, model, statement, true);
  }

  /**
   * The run was stopped by {@link RunCancel#cancel} for {@code why} while {@code model}'s table was being
   * swapped in, which runs to its end: the run stopped right after it.
   */
  static HeapRunException cancelledAfterSwap(String model, String warehouse, String why) {
    return new HeapRunException(
        "run cancelled (" + why + ") while swapping in model " + model + " on " + warehouse
            + " (a swap is not stopped half-way: the run stopped right after it)",
        null, model, "", true);
  }

  /**
   * The run was stopped by {@link RunCancel#cancel} for {@code why} while {@code model}'s table was being
   * swapped in on a warehouse whose rollback undoes the swap ({@code Warehouse.rollsBackSwap}): the swap
   * was cancelled too, and the table is as it was.
   */
  static HeapRunException cancelledSwap(String model, String warehouse, String why, String statement, Throwable cause) {
    return new HeapRunException(
        "run cancelled (" + why + ") while swapping in model " + model + " on " + warehouse
            + " (the swap was rolled back: the table is as it was)",
        cause, model, statement, true);
  }

  /**
   * {@code model}'s swap waited {@code waited} for other sessions' locks on {@code table} (held by {@code
   * holders}) in tries that were each rolled back, and gave up at the bound the session set for a
   * statement's wait ({@code limit}, as {@code JdbcRunner.SessionLockWaitLimit} describes it): the table is
   * as it was. {@code statement} and {@code cause}: the last try's statement and its lock timeout.
   */
  static HeapRunException swapGaveUp(
      String model, String warehouse, String table, String holders, String waited, String limit, String statement, Throwable cause) {
    return new HeapRunException(
        "model " + model + " could not be swapped in on " + warehouse + ": other sessions held locks on " + table + " for "
            + waited + ", " + limit + ", which heap keeps to (" + holders + "); the swap was rolled back: the table is"
            + " as it was. Run again when they are done, or raise that setting for heap's connection",
        cause, model, statement, false);
  }

  /** The run was stopped by {@link RunCancel#cancel} for {@code why} before it started ({@code doing}). */
  static HeapRunException cancelledBefore(String doing, String warehouse, String why) {
    return cancelledBefore(doing, warehouse, why, null);
  }

  /** As {@link #cancelledBefore(String, String, String)}, where a statement the cancel stopped failed with {@code cause}. */
  static HeapRunException cancelledBefore(String doing, String warehouse, String why, Throwable cause) {
    return new HeapRunException("run cancelled (" + why + ") while " + doing + " on " + warehouse, cause, "(run)", "", true);
  }

  /**
   * A Heap table the models read that the database cannot read at all (a view whose query fails: a table
   * it reads renamed by a re-sync, a file behind it gone), named by its config key before the run's first
   * statement over it fails with the engine's words and no table of the config's.
   */
  static HeapRunException unreadableSource(String key, String table, String warehouse, String statement, Throwable cause) {
    return new HeapRunException(
        key + ": " + table + " cannot be read on " + warehouse + ": " + reason(cause)
            + "; where it is a view, its query fails (a table it reads renamed or dropped, say)",
        cause, "(source check)", statement);
  }

  /**
   * The database refused a data test's or freshness check's {@code statement} (e.g. the model's table
   * was never built); {@link #model()} is then the test's name.
   */
  public static HeapRunException test(String test, String warehouse, String statement, Throwable cause) {
    return new HeapRunException("test " + test + " failed on " + warehouse + ": " + reason(cause), cause, test, statement);
  }

  /**
   * The database refused an analysis's {@code statement} (a funnel, an attribution: not a model, so not
   * worded as one); {@link #model()} is then the analysis's name.
   */
  public static HeapRunException analysis(String analysis, String warehouse, String statement, Throwable cause) {
    return new HeapRunException("analysis " + analysis + " failed on " + warehouse + ": " + reason(cause), cause, analysis, statement);
  }

  /** The run cannot start or go on for a reason of the run itself (e.g. another run holds the lock). */
  public static HeapRunException ofRun(String message) {
    return new HeapRunException(message, null, "(run)", "");
  }

  /**
   * A problem of the whole run that the database's refusal {@code cause} shows (a privilege heap's user
   * lacks), said in heap's words: the cause is kept for {@link #lacksPrivilege} and {@code --verbose}.
   */
  public static HeapRunException ofRun(String message, SQLException cause) {
    return new HeapRunException(message, cause, "(run)", "");
  }

  /**
   * Whether the database refused for want of a privilege somewhere in this failure's causes: no retry
   * helps until someone grants it (the CLI exits 2, as for a refused login, not 1).
   */
  public boolean lacksPrivilege() {
    Throwable t = getCause();
    for (int depth = 0; t != null && depth < 16; depth++, t = t.getCause()) {
      if (t instanceof SQLException e && privilegeRefused(e)) {
        return true;
      }
    }
    return false;
  }

  /** A problem found before any statement ran (e.g. a table whose columns no longer match). */
  public HeapRunException(String model, String message) {
    super("model " + model + ": " + message);
    this.model = model;
    this.statement = "";
    this.cancelled = false;
  }

  /** Whether the run stopped because it was cancelled ({@link RunCancel}) rather than refused. */
  public boolean cancelled() {
    return cancelled;
  }

  /** The model being built ("(setup)" for the schema creation). */
  public String model() {
    return model;
  }

  /** The statement the database refused; empty when none ran. */
  public String statement() {
    return statement;
  }

  /** What the database said, as {@link #reason(Throwable)} words it; heap's own message where it did not refuse. */
  String reason() {
    return getCause() == null ? getMessage() : reason(getCause());
  }

  /**
   * What the database said, as one short line: its first line, without the statement H2 appends after
   * "; SQL statement:", cut to {@value #MAX_REASON} characters.
   */
  static String reason(Throwable cause) {
    String text = cause.getMessage();
    if (text == null || text.isBlank()) {
      text = cause instanceof SQLException sql && sql.getSQLState() != null ? "SQLSTATE " + sql.getSQLState() : "no reason given";
    }
    String line = text.strip().lines().findFirst().orElse("").strip();
    int sql = line.indexOf("; SQL statement:");
    if (sql >= 0) {
      line = line.substring(0, sql);
    }
    line = cut(line);
    // a driver's own failure underneath (H2's "The database has been closed" over the file error that
    // closed it, PostgreSQL's "An I/O error occurred" over "Connection reset"): the reason is that one
    String under = underlying(cause);
    if (!under.isEmpty() && !line.contains(under)) {
      line += " (" + cut(under) + ")";
    }
    if (cause instanceof SQLException sqlError && privilegeRefused(sqlError)) {
      // a Heap table exposed as a view reads its tables with the view owner's privileges (PostgreSQL, unless
      // security_invoker): the refused table may be one the view reads, not one heap names
      line += " (heap's database user lacks a privilege, or, where Heap's tables are views, a view's owner lacks one on what it"
          + " reads: see \"Privileges heap needs\" in the README)";
    }
    if (cause instanceof SQLException sqlError && "22003".equals(sqlError.getSQLState())) {
      // the same for numbers: a fact built from an INTEGER kept it, and a value past 2^31 does not fit (a
      // run records sizes since, and rebuilds; a record from before them cannot tell)
      line += " (a source column may hold larger numbers now than the fact's type, which it kept from its build: heap run"
          + " --full-refresh, or JdbcRunner.run(…, true), rebuilds the facts with the sources' types)";
    }
    if (cause instanceof SQLException sqlError && "22001".equals(sqlError.getSQLState())) {
      // a fact keeps the column types of the sources it was built from (varchar(255)); a source column
      // widened since (Heap syncing longer values) then refuses an incremental run's longer rows
      line += " (a source column is wider now than the fact's, which kept the type it was built with: heap run --full-refresh,"
          + " or JdbcRunner.run(…, true), rebuilds the facts with the sources' types)";
    }
    return line;
  }

  /**
   * Whether the database refused for want of a privilege: a SQLSTATE of {@link #PRIVILEGE_STATES}, or,
   * from drivers that give none for it, the server's own words ({@link #PRIVILEGE_WORDS}).
   */
  static boolean privilegeRefused(SQLException e) {
    if (PRIVILEGE_STATES.contains(String.valueOf(e.getSQLState()))) {
      return true;
    }
    // the words only where the driver gave no SQLSTATE of its own (Trino: none; Simba's BigQuery: the
    // generic HY000), and only in the message's first line: a value quoted in another refusal (a text too
    // long, a failed cast, H2's statement appended after the message) may read "Access Denied: …" too
    String state = e.getSQLState();
    boolean stateless = state == null || state.isBlank() || state.equals("HY000");
    return stateless && e.getMessage() != null && PRIVILEGE_WORDS.matcher(e.getMessage().lines().findFirst().orElse("")).find();
  }

  /**
   * A refused privilege in the words of servers whose JDBC drivers give no SQLSTATE for it, so that a run
   * refused there exits 2 too, not 1 (which a scheduler retries):
   * <ul>
   *   <li>Trino: its driver's {@code SQLException} is {@code Query failed (#<query id>): <message>} with
   *       the server's error code (PERMISSION_DENIED, 4) and no SQLSTATE, and every access refusal's
   *       message begins {@code Access Denied: } (Trino's {@code AccessDeniedException.PREFIX}: {@code
   *       Access Denied: Cannot select from table …}, {@code … Cannot create table …});
   *   <li>BigQuery: an {@code accessDenied} error (HTTP 403) says {@code Access Denied: Table p:d.t: User
   *       does not have permission to query table …} or {@code Access Denied: Dataset …}; a missing IAM
   *       permission says {@code Permission bigquery.tables.create denied on dataset …} or {@code User
   *       does not have bigquery.jobs.create permission in project …}, inside whatever the driver wraps
   *       round it (Simba's {@code [Simba][BigQueryJDBCDriver](100032) Error executing query job. Message:
   *       …}).
   * </ul>
   * Case-sensitive, as the servers write them. Neither driver is run here (README, "Not yet").
   */
  private static final java.util.regex.Pattern PRIVILEGE_WORDS =
      java.util.regex.Pattern.compile("Access Denied: |\\bPermission [a-z]+\\.[a-zA-Z.]+ denied on |\\bdoes not have [a-z]+\\.[a-zA-Z.]+ permission\\b");

  private static String cut(String line) {
    return line.codePointCount(0, line.length()) > MAX_REASON ? line.substring(0, line.offsetByCodePoints(0, MAX_REASON - 1)) + "…" : line;
  }

  /** The first line of the innermost cause of {@code e} that is not itself an SQL error, or "". */
  private static String underlying(Throwable e) {
    Throwable root = null;
    // a few levels deep at most: a cause chain may loop
    Throwable t = e.getCause();
    for (int depth = 0; t != null && depth < 16; depth++, t = t.getCause()) {
      root = t;
    }
    if (root == null || root instanceof SQLException || root.getMessage() == null || root.getMessage().isBlank()) {
      return "";
    }
    return root.getMessage().strip().lines().findFirst().orElse("").strip();
  }

  /**
   * SQLSTATEs of a missing privilege: 42501 insufficient_privilege (PostgreSQL, Redshift, Snowflake),
   * 90096 H2's "Not enough rights for object", 90040 H2's "Admin rights are required for this operation"
   * (what H2 answers a user who is not an admin creating a schema).
   */
  private static final java.util.Set<String> PRIVILEGE_STATES = java.util.Set.of("42501", "90096", "90040");
}
