package io.heapsdk.warehouse.h2;

import io.heapsdk.source.ColumnType;
import io.heapsdk.warehouse.Identifiers;
import io.heapsdk.warehouse.StringLiterals;
import io.heapsdk.warehouse.TableName;
import io.heapsdk.warehouse.Warehouse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.calcite.sql.SqlDialect;

/**
 * H2 2.x, where the tests and the demo run every model for real. Not final: tests extend it to run the
 * runner's paths for hooks H2 leaves empty (a full build that keeps the table, {@link #refillStatements}).
 */
public class H2Warehouse extends Warehouse {
  @Override
  public String name() {
    return "h2";
  }

  @Override
  protected SqlDialect dialect() {
    return H2Dialect.INSTANCE;
  }

  @Override
  public Identifiers identifiers() {
    return H2Dialect.IDENTIFIERS;
  }

  @Override
  public StringLiterals literals() {
    return H2Dialect.LITERALS;
  }

  @Override
  protected boolean hasCreateOrReplace() {
    return false;
  }

  /**
   * The views that read the table, which make the swap's {@code DROP TABLE} fail ("Cannot drop … because
   * … depends on it") after the run's earlier facts were swapped. H2 keeps no dependency table a user can
   * read; it stores each view's definition with every table it reads as a quoted, schema-qualified name,
   * so a view depends on the table where its definition holds that name (a string literal spelling the
   * quoted name would too: a refusal to spare, never a swap stopped part-way). The name is searched as
   * H2 writes it there ({@link #storedIdentifier}), which is not always as heap quotes it.
   */
  @Override
  public Optional<String> swapBlockersSelect(TableName table) {
    return Optional.of(
        "SELECT \"TABLE_SCHEMA\" || '.' || \"TABLE_NAME\" || ' (a view)' FROM \"INFORMATION_SCHEMA\".\"VIEWS\""
            + " WHERE POSITION(" + literal(storedIdentifier(storedName(table.schema())) + "." + storedIdentifier(storedName(table.name())))
            + " IN \"VIEW_DEFINITION\") > 0");
  }

  /**
   * A name as H2 2.5 writes it into a view's stored definition: quoted, and, where it holds a character
   * below U+0020 or above U+007F, as a Unicode escape literal ({@code U&"\5206\6790"}, {@code \+01f6d2}
   * beyond the BMP, the backslash doubled). The views of a schema named {@code 分析_モデル} were not found
   * by searching for {@code "分析_モデル"."T"}, and the run stopped at the first fact a view read
   * ({@code H2StoredIdentifierTest} compares this with what H2 stores).
   */
  static String storedIdentifier(String name) {
    boolean escaped = name.codePoints().anyMatch(c -> c < 0x20 || c > 0x7f);
    StringBuilder b = new StringBuilder(escaped ? "U&\"" : "\"");
    name.codePoints().forEach(c -> {
      if (c == '"') {
        b.append("\"\"");
      } else if (escaped && c == '\\') {
        b.append("\\\\");
      } else if (escaped && (c < 0x20 || c > 0x7f)) {
        b.append(c > 0xffff ? String.format(Locale.ROOT, "\\+%06x", c) : String.format(Locale.ROOT, "\\%04x", c));
      } else {
        b.appendCodePoint(c);
      }
    });
    return b.append('"').toString();
  }

  /**
   * H2 expands a CTE like a view at each reference: a funnel's one row per unit and step, which reads
   * the units' entries once per step, evaluated every window over the events again per step.
   */
  @Override
  public boolean evaluatesCtePerReference() {
    return true;
  }

  @Override
  public boolean hasLocalTemporaryTables() {
    return true;
  }

  /** Yes: H2 scans a whole source for {@code since IS NULL OR time >= since}, and seeks its time index without the OR. */
  @Override
  public boolean splitsMarkComparison() {
    return true;
  }

  /**
   * Yes: H2 looks a window's partition up in a tree map for every row, and a dedup partitioned by an id
   * has nearly as many partitions as rows; one sort by id numbers them in less than half the time.
   */
  @Override
  public boolean dedupsInOneSort() {
    return true;
  }

  /**
   * No: H2 serves tests and the demo, whose runs take the mark from the run state, not from {@code
   * MAX(time)} of the facts (the compiled script's scan of it is a fraction of a second); the index
   * cost a quarter of the indexing of a full build (its values arrive in random order) and an entry
   * more to rewrite for every row an apply changes.
   */
  @Override
  public boolean indexesTimeColumn() {
    return false;
  }

  /** H2 2.x refuses longer names ("The name … is too long. The maximum length is 256"), counted in UTF-16 units. */
  private static final int MAX_NAME_LENGTH = 256;

  @Override
  protected Optional<String> nameProblem(NameKind kind, String name) {
    return name.length() > MAX_NAME_LENGTH
        ? Optional.of("H2 names are at most " + MAX_NAME_LENGTH + " UTF-16 code units; this one has " + name.length())
        : Optional.empty();
  }

  @Override
  public Optional<SessionTimeZone> sessionTimeZone() {
    return Optional.of(
        new SessionTimeZone(
            "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'TIME ZONE'", 1,
            SessionTimeZone.atTimeZoneUtcOr("run heap in UTC (H2's session zone is the JVM's unless set: java -Duser.timezone=UTC, or SET TIME ZONE 'UTC')")));
  }

  @Override
  public String typeName(ColumnType type) {
    // microseconds, as Heap syncs them
    return type == ColumnType.TIMESTAMP ? "TIMESTAMP(6)" : type == ColumnType.VARCHAR ? "VARCHAR" : super.typeName(type);
  }

  /**
   * H2 joins by nested loops over indexes: without them, the sessions fact's join to per-session event
   * counts and the incremental MERGE on the unique key grow quadratically with the data.
   */
  @Override
  public List<String> indexStatements(TableName table, List<String> columns) {
    List<String> result = new ArrayList<>();
    for (String c : columns) {
      String index = table.name() + "__" + c;
      TableName indexName = table.warehouse().table(table.database(), table.schema(), index);
      result.add("CREATE INDEX IF NOT EXISTS " + indexName.qualified() + " ON " + table.qualified() + " (" + quote(c) + ")");
    }
    return result;
  }

  /**
   * {@code heap_cte__} before each CTE's name. H2 2.5 resolves a name to a table of the connection's
   * current schema before a CTE of the same name: {@code WITH t AS (SELECT 2 AS x) SELECT * FROM t}
   * returns the rows of table {@code t} when there is one. A host's own table named like one of heap's
   * CTEs ({@code FUNNEL_STEP_COUNTS}, {@code SESSION_EVENT_COUNTS}) replaced it without an error: a
   * funnel showed the host table's numbers (found by a host application's probe). Every CTE reference
   * keeps its old name as an alias, so the rest of the statement is unchanged.
   */
  @Override
  public String cteName(String name) {
    return "heap_cte__" + name;
  }

  /**
   * Yes: H2 commits each DDL statement of a swap on its own, whatever transaction surrounds it; Ctrl-C
   * after the rename (H2 closes the database on the way out, writing the rename) left the events fact
   * without its indexes, and every incremental run after it 17 times slower. {@code IF NOT EXISTS}
   * makes them a catalog look-up when the indexes are there.
   */
  @Override
  public List<String> restoreIndexStatements(TableName table, List<String> columns) {
    return indexStatements(table, columns);
  }

  /**
   * Yes: a process killed as an incremental run ends (dropping its working tables, H2 writing the store
   * out) left, in trials on a 50,000-user sample, a fact whose index no longer matched its rows (every
   * later apply failed with "Timeout trying to lock table", caused by "Row not found in primary index"),
   * pages H2 could not read ("Unable to read the page"), and, after H2 had recovered, a sessions fact
   * with 383 rows a full refresh does not have. (H2 knows the kind of damage: h2database issues 995, 4388.)
   */
  @Override
  public boolean crashCanDamageTables() {
    return true;
  }

  @Override
  protected String textHash(String text) {
    // the first 64 bits of the SHA-256, as a signed BIGINT (ORA_HASH has 32 bits only)
    return "CAST(SUBSTRING(HASH('SHA-256', " + text + "), 1, 8) AS BIGINT)";
  }
}
