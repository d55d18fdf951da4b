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
import org.apache.calcite.sql.SqlDialect;

/**
 * PostgreSQL 15 or later (for {@code MERGE}): transactional DDL, so a full refresh builds
 * {@code <table>__new} and swaps it in atomically; indexes on the columns facts are looked up by.
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
   * {@code ANALYZE} after an incremental apply: the apply deletes and re-inserts every active user's rows,
   * and autovacuum analyzes only once a share of the table changed, so the next run's joins would be
   * planned on stale row counts. PostgreSQL allows ANALYZE in a transaction block (unlike VACUUM,
   * https://www.postgresql.org/docs/current/sql-analyze.html); it runs after the commit anyway, so the
   * apply transaction holds no extra lock.
   */
  @Override
  public List<String> afterApplyStatements(TableName table) {
    return List.of("ANALYZE " + table.qualified());
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
