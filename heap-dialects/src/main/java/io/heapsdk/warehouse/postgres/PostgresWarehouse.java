package io.heapsdk.warehouse.postgres;

import java.util.Optional;
import io.heapsdk.HeapException;
import io.heapsdk.config.PhysicalOptions;
import io.heapsdk.source.ColumnType;
import io.heapsdk.warehouse.Identifiers;
import io.heapsdk.warehouse.IncrementalTarget;
import io.heapsdk.warehouse.StringLiterals;
import io.heapsdk.warehouse.TableName;
import io.heapsdk.warehouse.Warehouse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.calcite.sql.SqlDialect;

/**
 * PostgreSQL 15 or later (for {@code MERGE}): transactional DDL, so a full refresh builds
 * {@code <table>__new} and swaps it in atomically, replacing the rows in place where the columns are
 * unchanged (see {@link #swapStatements}); indexes on the columns facts are looked up by.
 */
public final class PostgresWarehouse extends Warehouse {
  /** PostgreSQL silently keeps only the first 63 bytes of a longer name (NAMEDATALEN - 1). */
  private static final int MAX_NAME_BYTES = 63;

  @Override
  public String name() {
    return "postgres";
  }

  @Override
  protected SqlDialect dialect() {
    return PostgresDialect.INSTANCE;
  }

  @Override
  public Identifiers identifiers() {
    return PostgresDialect.IDENTIFIERS;
  }

  @Override
  public StringLiterals literals() {
    return PostgresDialect.LITERALS;
  }

  @Override
  protected boolean hasCreateOrReplace() {
    return false;
  }

  /**
   * PostgreSQL would silently cut a longer name to its first 63 bytes (with a notice), so two names could
   * become one and a column or table would not be found under the name the models use.
   */
  @Override
  protected Optional<String> nameProblem(NameKind kind, String name) {
    int bytes = utf8Bytes(name);
    return bytes > MAX_NAME_BYTES
        ? Optional.of("PostgreSQL keeps only the first " + MAX_NAME_BYTES + " bytes of a name; this one is " + bytes + " bytes of UTF-8")
        : Optional.empty();
  }

  /**
   * {@code transaction_read_only}: on where the database or the role defaults to read-only transactions
   * ({@code ALTER DATABASE … SET default_transaction_read_only = on}, a warehouse frozen for a migration)
   * or the server is a standby. The driver's {@code isReadOnly()} says false there, and a run took its
   * lock and then failed at its first {@code CREATE TABLE}, exit 1, which a scheduler retries in vain (a
   * probe).
   */
  @Override
  public Optional<String> readOnlySessionSelect() {
    return Optional.of("SELECT current_setting('transaction_read_only') = 'on'");
  }

  /**
   * The encoding the script is written in (UTF-8), set first, as pg_dump's output does. psql sends a
   * file's bytes as they are, and the server reads them in the session's {@code client_encoding}, which
   * a database or role may default to another (LATIN1): a funnel event {@code Käufe} then reached the
   * server as {@code KÃ¤ufe}, matched no event, and the facts came out without it, psql exiting 0 (a
   * probe; {@code ScriptSessionOnPostgresTest}). The runner's driver speaks UTF-8 whatever the default.
   */
  @Override
  public String scriptPrologue() {
    return "-- the script is UTF-8, whatever this database's sessions default to\nSET client_encoding = 'UTF8';\n"
        // as the runner's session (runSessionSettings): psql's session has JIT on, and with identity
        // resolution every statement's estimated cost passes its threshold (1.5 to 2.3 s of compiling
        // for a 0.1 s query at 300 merges, EXPLAIN ANALYZE on PostgreSQL 15)
        + "-- no JIT compiling: the identity map's estimates would make every statement pay it\nSET jit = off;\n\n";
  }

  @Override
  public Optional<SessionTimeZone> sessionTimeZone() {
    return Optional.of(
        new SessionTimeZone(
            "SELECT current_setting('TimeZone')", 1,
            SessionTimeZone.atTimeZoneUtcOr("run heap in UTC (PostgreSQL's driver gives the session the JVM's zone: java -Duser.timezone=UTC)")));
  }

  @Override
  public String typeName(ColumnType type) {
    // unbounded text; TIMESTAMP is without time zone, microseconds
    return type == ColumnType.VARCHAR ? "VARCHAR" : super.typeName(type);
  }

  @Override
  public List<String> buildStatements(TableName table, String select, PhysicalOptions options) {
    checkLength(table.withSuffix("__new"));
    return super.buildStatements(table, select, options);
  }

  @Override
  public List<String> workTableStatements(TableName table, String select) {
    checkLength(table);
    return super.workTableStatements(table, select);
  }

  /**
   * The swap of a full refresh, as one PL/pgSQL {@code DO} block (then {@code ANALYZE}), so that a
   * compiled script decides like the runner, from the catalog, inside the swap transaction:
   *
   * <ul>
   *   <li>When the table exists with exactly the columns of {@code <table>__new} (names, order, types),
   *       its rows are replaced in place: {@code TRUNCATE}, {@code INSERT … SELECT *} from {@code __new},
   *       {@code DROP} {@code __new}. A user that may write the table but not truncate it (it does not
   *       own it) deletes its rows instead, with a warning, unless row security applies to that user
   *       there (a DELETE would leave the rows its policies hide): then the swap stops and says so. The table stays the same object, so it keeps its grants, owner,
   *       comments, indexes and the views that read it. TRUNCATE is transactional on PostgreSQL (a
   *       rollback restores the rows, https://www.postgresql.org/docs/current/sql-truncate.html); it
   *       holds an ACCESS EXCLUSIVE lock until COMMIT, so readers wait for the copy.
   *   <li>Otherwise (no table yet, or the definition changed its columns) {@code __new} replaces the
   *       table by drop and rename, taking over what a team attaches to a table: grants (table and
   *       column), owner, comments, storage parameters (its TOAST table's too), row security and its
   *       policies, and, created again once the new table has the name, its indexes, constraints, NOT
   *       NULLs, column defaults and statistics targets, extended statistics, the CLUSTER index,
   *       triggers, replica identity and publications. Not carried over: a tablespace other than the
   *       default (a warning). One of those that cannot follow the new columns (an
   *       index on a column no longer built) is a {@code WARNING} naming its statement, except a
   *       policy: a table with its grants and without its policies would show its readers every row,
   *       so the swap stops. Columns no longer built, and columns whose type changes, are warnings too.
   *       A view or another table's foreign key cannot follow its table to new columns, so they stop
   *       the swap with an error naming them; the run never drops them ({@code DROP … CASCADE} is not
   *       used).
   * </ul>
   *
   * Then an index on each of {@code indexedColumns} the table has none on (a table kept in place
   * already has them).
   */
  @Override
  public List<String> swapStatements(TableName table, List<String> indexedColumns) {
    TableName fresh = table.withSuffix(NEW_TABLE_SUFFIX);
    Map<String, String> names =
        Map.of(
            "table", table.qualified(),
            "table_literal", literal(table.qualified()),
            "new", fresh.qualified(),
            "new_literal", literal(fresh.qualified()),
            "name", quote(table.name()));
    StringBuilder body = new StringBuilder(fill(SWAP_BLOCK, names));
    if (!indexedColumns.isEmpty()) {
      StringBuilder array = new StringBuilder();
      for (String c : indexedColumns) {
        array.append(array.length() == 0 ? "" : ", ").append(literal(c));
      }
      body.append(fill(INDEX_BLOCK, Map.of("table_literal", names.get("table_literal"), "columns", array.toString())));
    }
    body.append("END\n");
    String text = body.toString();
    // a dollar quote ends at its tag: pick one no name in the body holds
    String tag = "$heap$";
    for (int i = 1; text.contains(tag); i++) {
      tag = "$heap" + i + "$";
    }
    return List.of("DO " + tag + "\n" + text + tag, "ANALYZE " + table.qualified());
  }

  /** Yes: PostgreSQL estimates {@code rank = 1} at 0.5% of the rows, and chose nested loops over windows for it. */
  @Override
  public boolean ranksOneAsRange() {
    return true;
  }

  /**
   * PostgreSQL's privilege functions: USAGE and CREATE on the schema (its name as stored, not parsed), or
   * CREATE on the database for a schema to be made
   * (https://www.postgresql.org/docs/current/functions-info.html).
   */
  @Override
  public Optional<String> mayCreateSelect(String schema, boolean exists) {
    String name = literal(storedName(schema));
    return Optional.of(
        exists
            ? "SELECT has_schema_privilege(" + name + ", 'USAGE') AND has_schema_privilege(" + name + ", 'CREATE')"
            : "SELECT has_database_privilege(current_database(), 'CREATE')");
  }

  /**
   * The backend's pid and start time in UTC to the microsecond ({@code pg:4242@20261206215247550613}):
   * the pid alone may be reused by a later backend, after a restart most of all. The time as text of
   * fixed digits, not {@code extract(epoch …)}: a float before PostgreSQL 14, whose text a session's
   * {@code extra_float_digits} may round, and the recorded time would then match no backend.
   */
  @Override
  public Optional<String> sessionSelect() {
    return Optional.of("SELECT 'pg:' || pid || '@' || " + BACKEND_START + " FROM pg_stat_activity WHERE pid = pg_backend_pid()");
  }

  private static final String BACKEND_START = "to_char(backend_start AT TIME ZONE 'UTC', 'YYYYMMDDHH24MISSUS')";

  private static final Pattern SESSION = Pattern.compile("(?:^|/)pg:(\\d{1,10})@(\\d{20})(?:/|$)");

  /**
   * Whether {@code pg_stat_activity} no longer lists that backend. Every role sees every backend's pid
   * there; another role's start time reads NULL (https://www.postgresql.org/docs/current/monitoring-stats.html),
   * and then the pid alone is asked about, which can only make a dead run look alive (a reused pid). A hot
   * standby lists its own backends only, not the primary's: there the answer is always no. The two
   * numbers are matched digit by digit before they are written into the query.
   */
  @Override
  public Optional<String> sessionEndedSelect(String owner) {
    Matcher m = SESSION.matcher(owner);
    if (!m.find()) {
      return Optional.empty();
    }
    return Optional.of(
        "SELECT NOT pg_is_in_recovery() AND NOT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = " + m.group(1)
            + " AND (backend_start IS NULL OR " + BACKEND_START + " = '" + m.group(2) + "'))");
  }

  /**
   * {@code SET LOCAL lock_timeout}: a swap waiting for a reader's lock heads PostgreSQL's lock queue, and
   * every later query of the table waits behind it (a probe measured a dashboard's plain count waiting
   * 10.8 s behind a swap that waited for another dashboard's open transaction).
   */
  @Override
  public Optional<String> swapLockTimeoutStatement(java.time.Duration timeout) {
    return Optional.of("SET LOCAL lock_timeout = '" + timeout.toMillis() + "ms'");
  }

  /**
   * Just-in-time compilation off for the run's statements. With identity resolution the identity map is
   * six levels of CTEs over {@code user_migrations}, which PostgreSQL has no statistics for: it assumes
   * 200 distinct values per column, so each level's row estimate is about the square of the one before
   * over 200 (300 merges: 300, 450, 1,012, 5,121, 131,123, 86 million at five levels; at six, 332 merges
   * gave the map an estimate of 5 × 10^35 rows and a cost of 7.6 × 10^33), and PostgreSQL compiles it first: about a second of JIT per statement, for a map that takes
   * milliseconds to compute (a probe, EXPLAIN ANALYZE on PostgreSQL 15: the active users 1,520 ms, 1,493
   * of them JIT, 11 ms without; 1.1 to 4 s per model against 36 to 150 ms). Put back after the run.
   */
  @Override
  public java.util.Map<String, String> runSessionSettings() {
    return java.util.Map.of("jit", "off");
  }

  /**
   * Every digit of an analysis's ratios and averages. A database or role left at {@code
   * extra_float_digits = 0} (PostgreSQL's default before 12, kept by old configurations) sends a double
   * rounded to 15 significant digits as text, and the driver reads what it is sent: JSON and CSV, which
   * carry exact values, said 0.433333333333333 for 0.43333333333333335 (a probe). Any value above 0 gives
   * the shortest text that reads back exactly (PostgreSQL 12 and later).
   */
  @Override
  public java.util.Map<String, String> analysisSessionSettings() {
    return java.util.Map.of("extra_float_digits", "3");
  }

  @Override
  public Optional<String> sessionSettingSelect(String name) {
    // missing_ok: NULL where the server has no such setting (jit before PostgreSQL 11)
    return Optional.of("SELECT current_setting(" + literal(name) + ", true)");
  }

  @Override
  public Optional<String> sessionSettingStatement(String name, String value) {
    return Optional.of("SELECT set_config(" + literal(name) + ", " + literal(value) + ", false)");
  }

  /**
   * The session's {@code lock_timeout} and {@code statement_timeout} where set, in milliseconds ({@code
   * pg_settings} gives both in ms): a role, database or connection ({@code options=-c lock_timeout=…})
   * that bounds its statements' waits bounds the swap's tries together, as it bounded the one waiting
   * statement of a swap before.
   */
  @Override
  public Optional<String> sessionLockWaitLimitSelect() {
    return Optional.of(
        "SELECT name, setting::bigint FROM pg_settings WHERE name IN ('lock_timeout', 'statement_timeout') AND setting::bigint > 0");
  }

  /** SQLSTATE 55P03, lock_not_available: what a statement stopped by {@code lock_timeout} fails with. */
  @Override
  public boolean isLockTimeout(java.sql.SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.sql.SQLException q && "55P03".equals(q.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  /** The sessions holding a granted lock on the table ({@code pg_locks}), with their application, user, state and transaction's age. */
  @Override
  public Optional<String> lockHoldersSelect(TableName table) {
    // once per session, whatever modes it holds
    return Optional.of(
        "SELECT holder FROM (SELECT DISTINCT a.pid, a.xact_start, 'pid ' || a.pid || ' (' || coalesce(nullif(a.application_name, ''), '?')"
            + " || ', user ' || coalesce(a.usename::text, '?') || ', ' || coalesce(a.state, '?')"
            + " || coalesce(', transaction open ' || floor(extract(epoch FROM now() - a.xact_start)) || ' s', '') || ')' AS holder"
            + " FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.granted AND l.locktype = 'relation'"
            + " AND l.relation = to_regclass(" + literal(table.qualified()) + ") AND a.pid <> pg_backend_pid()) holders ORDER BY xact_start, pid");
  }

  /** No: the swap's DO block replaces the rows in place where the columns stay (see {@link #swapStatements}). */
  @Override
  public boolean swapDropsTableWithSameColumns() {
    return false;
  }

  /**
   * Yes: the swap's DO block and ANALYZE run in one transaction, and PostgreSQL's DDL and TRUNCATE are
   * transactional, so a swap cancelled while it waits for a reader's lock leaves the table as it was.
   */
  @Override
  public boolean rollsBackSwap() {
    return true;
  }

  /**
   * The views on the table, and other tables' foreign keys and policies that read it, as the swap's own
   * checks find them, each named with its schema: {@code regclass} text leaves out a schema on the
   * search path, and "daily_sessions (a view)" did not say which one to drop.
   */
  @Override
  public Optional<String> swapBlockersSelect(TableName table) {
    String t = literal(table.qualified());
    return Optional.of(
        "SELECT DISTINCT quote_ident(n.nspname) || '.' || quote_ident(v.relname) || ' (a view)'\n"
            + "FROM pg_depend AS d JOIN pg_rewrite AS r ON r.oid = d.objid JOIN pg_class AS v ON v.oid = r.ev_class"
            + " JOIN pg_namespace AS n ON n.oid = v.relnamespace\n"
            + "WHERE d.classid = 'pg_rewrite'::regclass AND d.refobjid = to_regclass(" + t + ") AND v.oid <> d.refobjid\n"
            + "UNION\n"
            + "SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) || ' (its foreign key ' || quote_ident(k.conname) || ')'\n"
            + "FROM pg_constraint AS k JOIN pg_class AS c ON c.oid = k.conrelid JOIN pg_namespace AS n ON n.oid = c.relnamespace\n"
            + "WHERE k.confrelid = to_regclass(" + t + ") AND k.contype = 'f' AND k.conrelid <> k.confrelid\n"
            + "UNION\n"
            + "SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) || ' (its row security policy ' || quote_ident(p.polname) || ')'\n"
            + "FROM pg_depend AS d JOIN pg_policy AS p ON p.oid = d.objid JOIN pg_class AS c ON c.oid = p.polrelid"
            + " JOIN pg_namespace AS n ON n.oid = c.relnamespace\n"
            + "WHERE d.classid = 'pg_policy'::regclass AND d.refobjid = to_regclass(" + t + ") AND p.polrelid <> d.refobjid\n"
            + "ORDER BY 1");
  }

  /** The swap of {@link #swapStatements}; each {@code {key}} is filled in by {@link #fill}. */
  private static final String SWAP_BLOCK =
      """
      DECLARE
        old_columns text[];
        new_columns text[];
        dependent_views text;
        referencing text;
        gone text;
        retyped text;
        old_owner oid;
        granted record;
        commented record;
        options text[];
        row_security boolean;
        forced_security boolean;
        policy record;
        attachments text[];
        attached text;
        indexed text;
      BEGIN
        -- a script run without ON_ERROR_STOP comes here after the statement building the new table
        -- failed: say so, where the swap would warn of every column as dropped and then fail on the rename
        IF to_regclass({new_literal}) IS NULL THEN
          RAISE EXCEPTION 'table % was not built (its statement failed before this one): % is left as it was',
            {new_literal}, {table_literal} USING ERRCODE = 'undefined_table';
        END IF;
        -- the columns of the table and of the one just built, in order, with their types
        SELECT array_agg(quote_ident(attname) || ' ' || format_type(atttypid, atttypmod) ORDER BY attnum) INTO old_columns
        FROM pg_attribute WHERE attrelid = to_regclass({table_literal}) AND attnum > 0 AND NOT attisdropped;
        SELECT array_agg(quote_ident(attname) || ' ' || format_type(atttypid, atttypmod) ORDER BY attnum) INTO new_columns
        FROM pg_attribute WHERE attrelid = to_regclass({new_literal}) AND attnum > 0 AND NOT attisdropped;
        IF old_columns = new_columns THEN
          -- the same columns: the rows are replaced in place, and the table keeps its grants, owner,
          -- comments, indexes and the views on it
          IF has_table_privilege({table_literal}, 'TRUNCATE') THEN
            TRUNCATE {table};
          ELSIF row_security_active({table_literal}) THEN
            -- a DELETE would remove only the rows its policies show to the user of heap, and the copy
            -- would then repeat the others
            RAISE EXCEPTION 'table %: heap''s user may not TRUNCATE it, and row security applies to that user there, so deleting its rows could leave some behind: grant TRUNCATE on it to heap''s user, or make that user its owner',
              {table_literal} USING ERRCODE = 'insufficient_privilege';
          ELSIF EXISTS (SELECT 1 FROM pg_constraint WHERE confrelid = to_regclass({table_literal}) AND contype = 'f')
              OR EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = to_regclass({table_literal}) AND NOT tgisinternal AND (tgtype & 8) <> 0)
              OR EXISTS (SELECT 1 FROM pg_rewrite WHERE ev_class = to_regclass({table_literal}) AND ev_type = '4') THEN
            -- what a DELETE sets off and a TRUNCATE does not: the foreign key of another table (its ON
            -- DELETE action would empty or change that table, where TRUNCATE refuses), a DELETE trigger
            -- or rule of the team
            RAISE EXCEPTION 'table %: heap''s user may not TRUNCATE it, and deleting its rows instead would set off another table''s foreign key, or a DELETE trigger or rule on it: grant TRUNCATE on it to heap''s user, or make that user its owner',
              {table_literal} USING ERRCODE = 'insufficient_privilege';
          ELSE
            -- a user granted SELECT, INSERT, UPDATE and DELETE on a fact it does not own (all an
            -- incremental run needs) but not TRUNCATE: the same rows go, in the same transaction,
            -- leaving dead rows for VACUUM
            DELETE FROM {table};
            RAISE WARNING 'table %: heap''s user may not TRUNCATE it, so its rows were deleted instead, which is slower and leaves dead rows for VACUUM: grant TRUNCATE on it to heap''s user',
              {table_literal};
          END IF;
          INSERT INTO {table} SELECT * FROM {new};
          DROP TABLE {new};
        ELSE
          -- no table yet, or other columns: the new table takes its place, with its grants, owner and
          -- comments; a view cannot follow a table to other columns, and none is ever dropped here.
          -- The columns whose type alone changes first: the refusals below name them (the check the
          -- runner makes before the run compares the names only)
          SELECT string_agg(format('%I %s -> %s', o.attname, format_type(o.atttypid, o.atttypmod), format_type(n.atttypid, n.atttypmod)), ', ' ORDER BY o.attnum) INTO retyped
          FROM pg_attribute AS o JOIN pg_attribute AS n ON n.attrelid = to_regclass({new_literal}) AND n.attname = o.attname AND NOT n.attisdropped
          WHERE o.attrelid = to_regclass({table_literal}) AND o.attnum > 0 AND NOT o.attisdropped
          AND (o.atttypid, o.atttypmod) <> (n.atttypid, n.atttypmod);
          SELECT string_agg(DISTINCT v.oid::regclass::text, ', ') INTO dependent_views
          FROM pg_depend AS d JOIN pg_rewrite AS r ON r.oid = d.objid JOIN pg_class AS v ON v.oid = r.ev_class
          WHERE d.classid = 'pg_rewrite'::regclass AND d.refobjid = to_regclass({table_literal}) AND v.oid <> d.refobjid;
          IF dependent_views IS NOT NULL THEN
            RAISE EXCEPTION 'table % gets other columns%, and views depend on it: drop them, run again, then create them again (heap never drops a view): %',
              {table_literal}, COALESCE(' (of another type: ' || retyped || ')', ''), dependent_views;
          END IF;
          -- nor can another table's foreign key or row security policy: DROP would refuse, and heap drops
          -- nothing it did not build
          SELECT string_agg(x, ', ') INTO referencing FROM (
            SELECT format('foreign key %I on %s', conname, conrelid::regclass) AS x
            FROM pg_constraint WHERE confrelid = to_regclass({table_literal}) AND contype = 'f' AND conrelid <> confrelid
            UNION ALL
            SELECT format('policy %I on %s', p.polname, p.polrelid::regclass)
            FROM pg_depend AS d JOIN pg_policy AS p ON p.oid = d.objid
            WHERE d.classid = 'pg_policy'::regclass AND d.refobjid = to_regclass({table_literal}) AND p.polrelid <> d.refobjid) AS blockers;
          IF referencing IS NOT NULL THEN
            RAISE EXCEPTION 'table % gets other columns%, and other tables'' foreign keys or policies reference it: drop them, run again, then create them again: %',
              {table_literal}, COALESCE(' (of another type: ' || retyped || ')', ''), referencing;
          END IF;
          -- what does not follow, said as warnings (psql prints them, the runner logs them)
          SELECT string_agg(quote_ident(o.attname), ', ' ORDER BY o.attnum) INTO gone
          FROM pg_attribute AS o
          WHERE o.attrelid = to_regclass({table_literal}) AND o.attnum > 0 AND NOT o.attisdropped
          AND NOT EXISTS (SELECT 1 FROM pg_attribute AS n WHERE n.attrelid = to_regclass({new_literal}) AND n.attname = o.attname AND NOT n.attisdropped);
          IF gone IS NOT NULL THEN
            RAISE WARNING 'table %: columns no longer built, dropped with their values: %', {table_literal}, gone;
          END IF;
          IF retyped IS NOT NULL THEN
            RAISE WARNING 'table %: columns of another type now: %', {table_literal}, retyped;
          END IF;
          FOR granted IN
            SELECT a.privilege_type, a.is_grantable, CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END AS grantee
            FROM pg_class AS c, aclexplode(c.relacl) AS a
            WHERE c.oid = to_regclass({table_literal}) AND a.grantee <> c.relowner
          LOOP
            EXECUTE format('GRANT %s ON TABLE %s TO %s', granted.privilege_type, {new_literal}, granted.grantee)
              || CASE WHEN granted.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END;
          END LOOP;
          FOR commented IN
            SELECT a.attname, d.description
            FROM pg_description AS d LEFT JOIN pg_attribute AS a ON a.attrelid = d.objoid AND a.attnum = d.objsubid
            WHERE d.classoid = 'pg_class'::regclass AND d.objoid = to_regclass({table_literal})
          LOOP
            IF commented.attname IS NULL THEN
              EXECUTE format('COMMENT ON TABLE %s IS %L', {new_literal}, commented.description);
            ELSIF EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass({new_literal}) AND attname = commented.attname AND NOT attisdropped) THEN
              EXECUTE format('COMMENT ON COLUMN %s.%I IS %L', {new_literal}, commented.attname, commented.description);
            END IF;
          END LOOP;
          -- column grants, on the columns still built
          FOR granted IN
            SELECT a.attname, x.privilege_type, x.is_grantable, CASE WHEN x.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(x.grantee)) END AS grantee
            FROM pg_class AS c JOIN pg_attribute AS a ON a.attrelid = c.oid, aclexplode(a.attacl) AS x
            WHERE c.oid = to_regclass({table_literal}) AND a.attnum > 0 AND NOT a.attisdropped AND x.grantee <> c.relowner
          LOOP
            IF EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass({new_literal}) AND attname = granted.attname AND NOT attisdropped) THEN
              EXECUTE format('GRANT %s (%I) ON TABLE %s TO %s', granted.privilege_type, granted.attname, {new_literal}, granted.grantee)
                || CASE WHEN granted.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END;
            ELSE
              RAISE WARNING 'table %: the grant of % on column % to % is not carried over: the column is no longer built',
                {table_literal}, granted.privilege_type, quote_ident(granted.attname), granted.grantee;
            END IF;
          END LOOP;
          -- storage parameters (fillfactor, autovacuum_*), and those of its TOAST table (toast.*)
          SELECT c.reloptions || ARRAY(SELECT 'toast.' || o FROM pg_class AS t, unnest(t.reloptions) AS o WHERE t.oid = c.reltoastrelid),
            c.relrowsecurity, c.relforcerowsecurity
          INTO options, row_security, forced_security
          FROM pg_class AS c WHERE c.oid = to_regclass({table_literal});
          IF options IS NOT NULL AND cardinality(options) > 0 THEN
            EXECUTE format('ALTER TABLE %s SET (%s)', {new_literal}, array_to_string(options, ', '));
          END IF;
          IF EXISTS (SELECT 1 FROM pg_class WHERE oid = to_regclass({table_literal}) AND reltablespace <> 0) THEN
            RAISE WARNING 'table %: the new table is in the database''s default tablespace, not in the old one''s', {table_literal};
          END IF;
          -- row security: the grants above came over, so the policies must too, or the swap stops (a
          -- table with its grants and without its policies would show every row to its readers)
          IF row_security THEN
            EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', {new_literal});
          END IF;
          IF forced_security THEN
            EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', {new_literal});
          END IF;
          FOR policy IN
            SELECT p.polname, p.polpermissive, p.polcmd, pg_get_expr(p.polqual, p.polrelid) AS qual, pg_get_expr(p.polwithcheck, p.polrelid) AS checked,
              (SELECT string_agg(CASE WHEN r = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(r)) END, ', ') FROM unnest(p.polroles) AS r) AS roles
            FROM pg_policy AS p WHERE p.polrelid = to_regclass({table_literal})
          LOOP
            BEGIN
              EXECUTE format('CREATE POLICY %I ON %s AS %s FOR %s TO %s', policy.polname, {new_literal},
                  CASE WHEN policy.polpermissive THEN 'PERMISSIVE' ELSE 'RESTRICTIVE' END,
                  CASE policy.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE' WHEN 'd' THEN 'DELETE' ELSE 'ALL' END,
                  policy.roles)
                || CASE WHEN policy.qual IS NULL THEN '' ELSE ' USING (' || policy.qual || ')' END
                || CASE WHEN policy.checked IS NULL THEN '' ELSE ' WITH CHECK (' || policy.checked || ')' END;
            EXCEPTION WHEN lock_not_available THEN
              -- the runner bounds the swap with lock_timeout and tries it again: not a policy problem
              RAISE;
            WHEN OTHERS THEN
              RAISE EXCEPTION 'table % gets other columns, and its row security policy % cannot follow them (%): change or drop the policy, run again, then create it again',
                {table_literal}, quote_ident(policy.polname), SQLERRM;
            END;
          END LOOP;
          -- a policy whose expression reads the table itself now reads the old one, which cannot be dropped
          SELECT string_agg(quote_ident(p.polname), ', ') INTO referencing
          FROM pg_depend AS d JOIN pg_policy AS p ON p.oid = d.objid
          WHERE d.classid = 'pg_policy'::regclass AND d.refobjid = to_regclass({table_literal}) AND p.polrelid = to_regclass({new_literal});
          IF referencing IS NOT NULL THEN
            RAISE EXCEPTION 'table % gets other columns, and its row security policies % read the table itself: drop them, run again, then create them again',
              {table_literal}, referencing;
          END IF;
          -- what is created again once the new table has the name: the team's indexes, constraints,
          -- NOT NULLs, statistics, triggers and publications (each on its own: one that cannot follow
          -- the new columns is a warning with its statement)
          SELECT coalesce(array_agg(pg_get_indexdef(i.indexrelid) ORDER BY i.indexrelid), '{}') INTO attachments
          FROM pg_index AS i WHERE i.indrelid = to_regclass({table_literal})
          AND NOT EXISTS (SELECT 1 FROM pg_constraint AS k WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid AND k.contype IN ('p', 'u', 'x'));
          attachments := attachments || ARRAY(
            SELECT format('ALTER TABLE %s ADD CONSTRAINT %I %s', {table_literal}, conname, pg_get_constraintdef(oid))
            FROM pg_constraint WHERE conrelid = to_regclass({table_literal}) AND contype IN ('p', 'u', 'c', 'x', 'f')
            ORDER BY contype <> 'p', oid);
          attachments := attachments || ARRAY(
            SELECT format('ALTER TABLE %s ALTER COLUMN %I SET NOT NULL', {table_literal}, attname)
            FROM pg_attribute WHERE attrelid = to_regclass({table_literal}) AND attnum > 0 AND NOT attisdropped AND attnotnull ORDER BY attnum);
          attachments := attachments || ARRAY(
            SELECT pg_get_statisticsobjdef(oid) FROM pg_statistic_ext WHERE stxrelid = to_regclass({table_literal}) ORDER BY oid);
          attachments := attachments || ARRAY(
            SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgrelid = to_regclass({table_literal}) AND NOT tgisinternal ORDER BY oid);
          attachments := attachments || ARRAY(
            SELECT format('ALTER TABLE %s ALTER COLUMN %I SET DEFAULT %s', {table_literal}, a.attname, pg_get_expr(d.adbin, d.adrelid))
            FROM pg_attrdef AS d JOIN pg_attribute AS a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
            WHERE d.adrelid = to_regclass({table_literal}) AND NOT a.attisdropped AND a.attgenerated = '' ORDER BY a.attnum);
          attachments := attachments || ARRAY(
            SELECT format('ALTER TABLE %s ALTER COLUMN %I SET STATISTICS %s', {table_literal}, attname, attstattarget)
            FROM pg_attribute WHERE attrelid = to_regclass({table_literal}) AND attnum > 0 AND NOT attisdropped AND attstattarget >= 0 ORDER BY attnum);
          attachments := attachments || ARRAY(
            SELECT format('ALTER TABLE %s CLUSTER ON %I', {table_literal}, c.relname)
            FROM pg_index AS i JOIN pg_class AS c ON c.oid = i.indexrelid WHERE i.indrelid = to_regclass({table_literal}) AND i.indisclustered);
          -- replica identity before the publications: a published table without one refuses DELETE and UPDATE
          attachments := attachments || ARRAY(
            SELECT format('ALTER TABLE %s REPLICA IDENTITY %s', {table_literal},
                CASE c.relreplident WHEN 'f' THEN 'FULL' WHEN 'n' THEN 'NOTHING'
                  ELSE 'USING INDEX ' || quote_ident((SELECT x.relname FROM pg_index AS i JOIN pg_class AS x ON x.oid = i.indexrelid
                                                     WHERE i.indrelid = c.oid AND i.indisreplident)) END)
            FROM pg_class AS c WHERE c.oid = to_regclass({table_literal}) AND c.relreplident IN ('f', 'n', 'i'));
          attachments := attachments || ARRAY(
            SELECT format('ALTER PUBLICATION %I ADD TABLE %s', p.pubname, {table_literal})
              || CASE WHEN r.prattrs IS NULL THEN '' ELSE ' (' || (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum)
                   FROM pg_attribute AS a WHERE a.attrelid = r.prrelid AND a.attnum = ANY (r.prattrs)) || ')' END
              || CASE WHEN r.prqual IS NULL THEN '' ELSE ' WHERE (' || pg_get_expr(r.prqual, r.prrelid) || ')' END
            FROM pg_publication_rel AS r JOIN pg_publication AS p ON p.oid = r.prpubid
            WHERE r.prrelid = to_regclass({table_literal}) ORDER BY p.pubname);
          SELECT relowner INTO old_owner FROM pg_class WHERE oid = to_regclass({table_literal});
          IF old_owner IS NOT NULL AND pg_get_userbyid(old_owner) <> current_user THEN
            EXECUTE format('ALTER TABLE %s OWNER TO %I', {new_literal}, pg_get_userbyid(old_owner));
          END IF;
          DROP TABLE IF EXISTS {table};
          ALTER TABLE {new} RENAME TO {name};
          FOREACH attached IN ARRAY attachments LOOP
            BEGIN
              EXECUTE attached;
            EXCEPTION WHEN lock_not_available THEN
              -- a lock another session holds (the lock_timeout the runner sets): the whole swap is tried again, not
              -- committed without this
              RAISE;
            WHEN OTHERS THEN
              RAISE WARNING 'table %: not carried over to the new columns (%): %', {table_literal}, SQLERRM, attached;
            END;
          END LOOP;
        END IF;
      """;

  /** The indexes of {@link #swapStatements}: one per column the table has no single-column index on. */
  private static final String INDEX_BLOCK =
      """
        FOREACH indexed IN ARRAY ARRAY[{columns}]::text[] LOOP
          IF NOT EXISTS (
            SELECT 1 FROM pg_index AS i JOIN pg_attribute AS a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
            WHERE i.indrelid = to_regclass({table_literal}) AND i.indnatts = 1 AND i.indexprs IS NULL
            AND i.indpred IS NULL AND a.attname = indexed
          ) THEN
            EXECUTE format('CREATE INDEX ON %s (%I)', {table_literal}, indexed);
          END IF;
        END LOOP;
      """;

  /** {@code template} with each {@code {key}} replaced by its value, in one pass (values are never read again). */
  private static String fill(String template, Map<String, String> values) {
    Matcher m = Pattern.compile("\\{(\\w+)\\}").matcher(template);
    StringBuilder b = new StringBuilder();
    while (m.find()) {
      String value = values.get(m.group(1));
      if (value == null) {
        throw new IllegalStateException("no value for {" + m.group(1) + "}");
      }
      m.appendReplacement(b, Matcher.quoteReplacement(value));
    }
    return m.appendTail(b).toString();
  }

  /**
   * {@code ANALYZE} after an incremental apply: the apply adds, changes and deletes rows, and autovacuum
   * analyzes only once a share of the table changed, so the next run's joins would be planned on stale
   * row counts. PostgreSQL allows ANALYZE in a transaction block (unlike VACUUM,
   * https://www.postgresql.org/docs/current/sql-analyze.html); it runs after the commit anyway, so the
   * apply transaction holds no extra lock.
   */
  @Override
  public List<String> afterApplyStatements(TableName table) {
    return List.of("ANALYZE " + table.qualified());
  }

  /** Yes: PostgreSQL runs {@code since IS NULL OR time >= since} as a filter over the whole source, and seeks the time index without the OR. */
  @Override
  public boolean splitsMarkComparison() {
    return true;
  }

  /**
   * One index per lookup column (unnamed: PostgreSQL picks a unique name, which a long model name could
   * not guarantee), then {@code ANALYZE}: a table made by {@code CREATE TABLE AS} has no statistics
   * until autovacuum gets to it, and the incremental run's joins would be planned blind.
   */
  @Override
  public List<String> indexStatements(TableName table, List<String> columns) {
    List<String> result = new ArrayList<>();
    for (String c : columns) {
      result.add("CREATE INDEX ON " + table.qualified() + " (" + quote(c) + ")");
    }
    result.add("ANALYZE " + table.qualified());
    return result;
  }

  /**
   * {@code DELETE … USING} the active users with {@code NOT EXISTS} (an anti-join; PostgreSQL runs
   * {@code NOT IN (subquery)} as a per-row scan once the keys outgrow {@code work_mem}), then the
   * standard {@code MERGE}, which PostgreSQL has since version 15.
   */
  @Override
  public List<String> applyStatements(IncrementalTarget t) {
    String target = quote("target");
    String active = quote("active");
    String changes = quote("changes");
    String key = quote(t.uniqueKey());
    String delete =
        "DELETE FROM " + t.table().qualified() + " AS " + target
            + "\nUSING " + t.activeUsers().qualified() + " AS " + active
            + "\nWHERE " + target + "." + quote(t.userColumn()) + " = " + active + "." + quote(t.activeUserColumn())
            + "\nAND NOT EXISTS (SELECT 1 FROM " + t.changes().qualified() + " AS " + changes
            + " WHERE " + changes + "." + key + " = " + target + "." + key + ")";
    return List.of(delete, mergeStatement(t));
  }

  private static void checkLength(TableName table) {
    int bytes = table.name().getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_NAME_BYTES) {
      throw new HeapException(
          "table name \"" + table.name() + "\" is " + bytes + " bytes; PostgreSQL keeps only the first "
              + MAX_NAME_BYTES + ", so it could clash with another table: shorten the model name");
    }
  }

  @Override
  protected String textHash(String text) {
    // the first 64 bits of the MD5, as a signed BIGINT
    return "('x' || SUBSTR(MD5(" + text + "), 1, 16))::BIT(64)::BIGINT";
  }

  @Override
  protected String hashText(String column, ColumnType type) {
    // a timestamp's text follows the session's DateStyle; TO_CHAR does not
    return type == ColumnType.TIMESTAMP ? "TO_CHAR(" + column + ", 'YYYY-MM-DD HH24:MI:SS.US')" : super.hashText(column, type);
  }
}
