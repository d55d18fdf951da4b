package io.heapsdk.warehouse.snowflake;

import java.util.List;
import java.util.Optional;
import io.heapsdk.source.ColumnType;
import io.heapsdk.config.PhysicalOptions;
import io.heapsdk.warehouse.Identifiers;
import io.heapsdk.warehouse.StringLiterals;
import io.heapsdk.warehouse.TableName;
import io.heapsdk.warehouse.Warehouse;
import org.apache.calcite.sql.SqlDialect;

/**
 * Snowflake: {@code CREATE OR REPLACE TABLE … COPY GRANTS COPY TAGS} (or, for a table that holds its
 * model's definition, {@code INSERT OVERWRITE}), transient working tables, upper-case
 * identifiers, backslash-escaping literals, and scripts whose apply block rolls back on any error.
 */
public final class SnowflakeWarehouse extends Warehouse {
  @Override
  public String name() {
    return "snowflake";
  }

  @Override
  protected SqlDialect dialect() {
    return SnowflakeDialect.INSTANCE;
  }

  /** Yes: Heap Connect syncs into it, and its schema is Heap's. */
  @Override
  protected boolean heapSyncsInto() {
    return true;
  }

  @Override
  public Identifiers identifiers() {
    return SnowflakeDialect.IDENTIFIERS;
  }

  @Override
  public StringLiterals literals() {
    return SnowflakeDialect.LITERALS;
  }

  @Override
  protected boolean hasCreateOrReplace() {
    return true;
  }

  private static final int MAX_NAME_CHARACTERS = 255;

  /** Snowflake: a quoted name may hold any character, at most 255 of them. */
  @Override
  protected Optional<String> nameProblem(NameKind kind, String name) {
    int characters = name.codePointCount(0, name.length());
    return characters > MAX_NAME_CHARACTERS
        ? Optional.of("Snowflake names are at most " + MAX_NAME_CHARACTERS + " characters; this one has " + characters)
        : Optional.empty();
  }

  /**
   * The session's {@code TIMEZONE} (America/Los_Angeles unless an account, user or session sets it), in
   * which a {@code TIMESTAMP_LTZ} column, and a zoneless literal compared with a {@code TIMESTAMP_TZ} one,
   * are read. Snowflake has no function that returns a parameter: {@code SHOW PARAMETERS} gives one row
   * per parameter, its columns key, value, default, level, description and type
   * (https://docs.snowflake.com/sql-reference/sql/show-parameters).
   */
  @Override
  public Optional<SessionTimeZone> sessionTimeZone() {
    return Optional.of(
        new SessionTimeZone(
            "SHOW PARAMETERS LIKE 'TIMEZONE' IN SESSION", 2,
            "give the column without a zone (in a view: TO_TIMESTAMP_NTZ(CONVERT_TIMEZONE('UTC', time))), or give heap's user"
                + " sessions in UTC (ALTER USER … SET TIMEZONE = 'UTC'; Snowflake's default is America/Los_Angeles)"));
  }

  @Override
  public String typeName(ColumnType type) {
    // Heap Connect's times are UTC without zone
    return type == ColumnType.TIMESTAMP ? "TIMESTAMP_NTZ" : type == ColumnType.VARCHAR ? "VARCHAR" : super.typeName(type);
  }
  /**
   * {@code TO_TIMESTAMP_NTZ('…', 'YYYY-MM-DD HH24:MI:SS.FF6')}: a string cast to a timestamp is read
   * with {@code TIMESTAMP_INPUT_FORMAT}, which an account or user may set to a format of its own (the
   * default, AUTO, reads this one), and a run would fail at its first write to the run state.
   */
  @Override
  public String timestampLiteral(String text) {
    return SnowflakeDialect.timestamp(literal(text), text);
  }

  @Override
  public java.util.Set<String> layoutKeys() {
    return java.util.Set.of("cluster_by");
  }

  /**
   * {@code CLUSTER BY ([TO_DATE(date column),] columns)}: the default key leads with the time column's
   * date, lower cardinality first (see {@link PhysicalOptions#resolve}).
   */
  @Override
  public String tableOptions(PhysicalOptions options) {
    if (options.clusterBy().isEmpty()) {
      return "";
    }
    String date = options.clusterDate().map(t -> "TO_DATE(" + quote(t) + "), ").orElse("");
    return "CLUSTER BY (" + date + columnList(options.clusterBy(), "") + ")";
  }

  /**
   * {@code CREATE OR REPLACE TABLE … [CLUSTER BY (…)] COPY GRANTS COPY TAGS AS …}: without COPY GRANTS the
   * replaced table loses every privilege granted on it, so BI roles could no longer read a fact after
   * each full refresh; without COPY TAGS (generally available since 2026-04-02,
   * https://docs.snowflake.com/en/release-notes/2026/other/2026-04-02-create-table-copy-tags-ga) it loses
   * the table's and its columns' tags, and with them the masking policies a team assigns through tags.
   * Tags follow a column by name; a column whose type changes loses its tags. The CTAS form documents
   * {@code [ CLUSTER BY ( … ) ] [ COPY GRANTS ] [ COPY TAGS ] … AS <query>} in that order
   * (https://docs.snowflake.com/en/sql-reference/sql/create-table, "CREATE TABLE … AS SELECT"), with the
   * example {@code CREATE OR REPLACE TABLE dst1 COPY TAGS AS SELECT …}. On a first build there is nothing
   * to copy and the clauses do nothing. Policies attached to the table or its columns directly are not
   * copied ({@link #newTableLoses}); the runner keeps the table where it can ({@link #refillStatements}).
   */
  @Override
  public List<String> buildStatements(TableName table, String select, PhysicalOptions options) {
    String opts = tableOptions(options);
    return List.of(
        "CREATE OR REPLACE TABLE " + table.qualified() + "\n" + (opts.isEmpty() ? "" : opts + "\n") + "COPY GRANTS\nCOPY TAGS\nAS\n"
            + select);
  }

  /**
   * {@code INSERT OVERWRITE INTO … SELECT}: the table is truncated and filled in one statement, inside
   * one transaction, and stays the same object, so the row access, masking, projection and aggregation
   * policies attached to it, its grants, tags, comments, clustering key and the streams on it stay
   * (https://docs.snowflake.com/en/sql-reference/sql/insert: OVERWRITE "does not affect the access
   * control privileges on the table" and "can be processed within the scope of the current
   * transaction"). heap's role needs DELETE on the table, which its owner has. A row access policy
   * filters what heap's role sees of its own fact (owners are not exempt), but not what OVERWRITE
   * truncates.
   */
  @Override
  public boolean refillsInPlace() {
    return true;
  }

  @Override
  public List<String> refillStatements(TableName table, List<String> columns, String select) {
    return List.of("INSERT OVERWRITE INTO " + table.qualified() + " (" + columnList(columns, "") + ")\n" + select);
  }

  /**
   * The policies attached to the table or its columns directly, from {@code
   * INFORMATION_SCHEMA.POLICY_REFERENCES} of the table's database (the session's where the target names
   * none); those assigned through tags ({@code TAG_NAME} set) follow the tags ({@code COPY TAGS}). The
   * table's name goes in as its quoted identifiers inside a literal, as the function takes a
   * case-sensitive name (https://docs.snowflake.com/en/sql-reference/functions/policy_references). A
   * role without policy privileges gets an error even as the table's owner ("If the role does not have
   * any policy permissions but has the OWNERSHIP privilege on the table, Snowflake returns an error
   * message"), and the check says nothing.
   */
  @Override
  public List<String> attachedSecuritySelects(TableName table) {
    String schema = table.database().map(d -> quote(d) + ".").orElse("") + "INFORMATION_SCHEMA";
    return List.of(
        "SELECT LOWER(REPLACE(POLICY_KIND, '_', ' ')) || ' ' || POLICY_DB || '.' || POLICY_SCHEMA || '.' || POLICY_NAME"
            + " || COALESCE(' on column ' || REF_COLUMN_NAME, '')"
            + "\nFROM TABLE(" + schema + ".POLICY_REFERENCES(REF_ENTITY_NAME => " + literal(table.qualified())
            + ", REF_ENTITY_DOMAIN => 'table'))"
            + "\nWHERE TAG_NAME IS NULL");
  }

  /**
   * {@code CREATE OR REPLACE} is "the equivalent of using DROP TABLE on the existing table and then
   * creating a new table" and copies grants and tags only; the documentation does not name policies, so
   * that policies attached to the table or its columns directly go with the dropped table is inferred,
   * not documented. Streams on it go stale ("Recreating a table … drops its history, which makes any
   * stream on the table stale"); comments are not copied.
   */
  @Override
  public Optional<String> newTableLoses() {
    return Optional.of(
        "the row access, masking, projection and aggregation policies attached to it directly (inferred: the documentation copies"
            + " grants and tags only), its comments, and the streams on it (stale)");
  }

  /**
   * Working tables are TRANSIENT: they live for one run, so Time Travel beyond a day and the seven
   * days of Fail-safe a permanent table keeps after every CREATE OR REPLACE and DROP would only be
   * billed storage (https://docs.snowflake.com/en/user-guide/tables-temp-transient,
   * https://docs.snowflake.com/user-guide/data-cdp-storage-costs). Not TEMPORARY: a script run in
   * pieces, or a runner that reconnects, must still see them.
   */
  @Override
  public List<String> workTableStatements(TableName table, String select) {
    return List.of("CREATE OR REPLACE TRANSIENT TABLE " + table.qualified() + " AS\n" + select);
  }

  /** {@code BEGIN TRANSACTION}: inside a Snowflake Scripting block a bare BEGIN would open a nested block. */
  @Override
  public String beginTransaction() {
    return "BEGIN TRANSACTION";
  }

  /**
   * The statements in a Snowflake Scripting block whose handler rolls back and re-raises:
   * {@code BEGIN BEGIN TRANSACTION; …; COMMIT; EXCEPTION WHEN OTHER THEN ROLLBACK; RAISE; END;}.
   * On Snowflake a failing statement does not end an explicit transaction, and SnowSQL (by default)
   * or a worksheet's "run all" carries on to the COMMIT, committing, say, the vanished-row DELETE
   * without its MERGE (https://docs.snowflake.com/en/sql-reference/transactions, "Failed statements
   * within a transaction"). In the block, the first error jumps to the handler
   * (https://docs.snowflake.com/en/sql-reference/snowflake-scripting/exception), which undoes the
   * transaction and raises the same error again (RAISE without a name), so the client still fails.
   * The block is passed to {@code EXECUTE IMMEDIATE $$ … $$}, the form SnowSQL, the Classic Console
   * and the Python connector's execute_string need and the others accept
   * (https://docs.snowflake.com/en/developer-guide/snowflake-scripting/running-examples); the
   * statements are kept verbatim (no indentation, which would change a quoted name holding a line
   * break). A {@code $$} inside a quoted name would end that string, so then the block goes in a
   * single-quoted literal instead.
   */
  @Override
  public String transactionScript(List<String> statements) {
    StringBuilder block = new StringBuilder("BEGIN\n").append(beginTransaction()).append(";\n");
    for (String statement : statements) {
      block.append(statement).append(";\n");
    }
    block
        .append(commitTransaction()).append(";\n")
        .append("EXCEPTION\n  WHEN OTHER THEN\n    ROLLBACK;\n    RAISE;\nEND;");
    String body = block.toString();
    String quoted = body.contains("$$") ? literal(body) : "$$\n" + body + "\n$$";
    return "EXECUTE IMMEDIATE " + quoted + ";\n\n";
  }

  /** Snowflake's HASH takes the columns themselves (NULLs included) and no session format applies. */
  @Override
  public String rowHash(List<String> columns, List<ColumnType> types) {
    return "HASH(" + String.join(", ", columns) + ")";
  }

  @Override
  protected String textHash(String text) {
    return "HASH(" + text + ")";
  }

  @Override
  public Optional<String> unqualifiedNamesResolveIn() {
    return Optional.of("the session's current database (USE DATABASE, SnowSQL's -d, the connection's database parameter)");
  }
}
