package io.heapsdk.warehouse;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.model.Model;
import io.heapsdk.quality.ColumnCheck;
import io.heapsdk.quality.DataTest;
import io.heapsdk.quality.TestTarget;
import io.heapsdk.source.Freshness;
import io.heapsdk.source.SourceTable;
import java.util.stream.Collectors;

/**
 * Renders data tests as SELECTs returning the failing rows (as dbt does) and freshness checks as the
 * newest time of a table, for one warehouse.
 *
 * <p>Every failing-rows query returns the row's key first, as {@code heap__key} (a source table's id
 * column, a model's unique key, or for {@code unique} the duplicated value), so a runner can show samples
 * without knowing the test. Identifiers go through {@link Warehouse#quote}; accepted values are data and
 * always become literals of the warehouse ({@link Warehouse#literal}), never text spliced into SQL.
 */
public final class DataTestSql {
  /** Column of every failing-rows query that identifies the failing row. */
  public static final String KEY = "heap__key";

  /** Column of accepted-values and relationship queries holding the offending value. */
  public static final String VALUE = "heap__value";

  private final Warehouse warehouse;
  private final HeapProject project;
  private final HeapConfig config;

  public DataTestSql(Warehouse warehouse, HeapProject project) {
    warehouse.checkNames(project.config());
    this.warehouse = warehouse;
    this.project = project;
    this.config = project.config();
  }

  /** The SELECT returning the rows that fail {@code test}; no rows means it passes. */
  public String failingRows(DataTest test) {
    ColumnCheck check = test.check();
    String table = tableName(test.target());
    String column = q(physicalColumn(test.target(), check.column()));
    String key = q(keyColumn(test.target(), check.column()));
    switch (check.kind()) {
      case NOT_NULL:
        return "SELECT " + key + " AS " + q(KEY) + "\nFROM " + table + "\nWHERE " + column + " IS NULL";
      case UNIQUE:
        // NULLs are not duplicates of each other (dbt's unique ignores them too; not_null catches them)
        return "SELECT " + column + " AS " + q(KEY) + ", COUNT(*) AS " + q("heap__rows")
            + "\nFROM " + table
            + "\nWHERE " + column + " IS NOT NULL"
            + "\nGROUP BY " + column
            + "\nHAVING COUNT(*) > 1";
      case ACCEPTED_VALUES:
        String values = check.acceptedValues().stream().map(this::literal).collect(Collectors.joining(", "));
        return "SELECT " + key + " AS " + q(KEY) + value(key, column, "")
            + "\nFROM " + table
            + "\nWHERE " + column + " IS NOT NULL AND " + column + " NOT IN (" + values + ")";
      case RELATIONSHIP:
        TestTarget parent = check.parent().orElseThrow();
        String child = q("child");
        String par = q("parent");
        String parentColumn = q(physicalColumn(parent, check.parentColumn().orElseThrow()));
        return "SELECT " + child + "." + key + " AS " + q(KEY) + value(key, column, child + ".")
            + "\nFROM " + table + " AS " + child
            + "\nWHERE " + child + "." + column + " IS NOT NULL"
            + "\nAND NOT EXISTS (SELECT 1 FROM " + tableName(parent) + " AS " + par
            + " WHERE " + par + "." + parentColumn + " = " + child + "." + column + ")";
      case CONTAINS_VALUES:
        // the failing rows are the values no row holds, each its own key. One scan of the table, filtered
        // to the values first: a NOT EXISTS per value was an anti-join that PostgreSQL ran as a full scan
        // of all_events for each missing name (a review, on 3 million rows). The listed values are typed
        // as the warehouse's text (Redshift leaves a bare literal "unknown" under DISTINCT and ORDER BY),
        // and stacked with UNION ALL rather than VALUES, which BigQuery has no table form of
        String wanted = q("wanted");
        String seen = q("seen");
        String list =
            check.acceptedValues().stream()
                .map(v -> "SELECT " + typedLiteral(v) + " AS " + q(KEY))
                .collect(Collectors.joining("\nUNION ALL\n"));
        String in = check.acceptedValues().stream().map(this::literal).collect(Collectors.joining(", "));
        return "SELECT " + wanted + "." + q(KEY) + " AS " + q(KEY)
            + "\nFROM (\n" + list + "\n) AS " + wanted
            + "\nLEFT JOIN (SELECT DISTINCT " + column + " AS " + q(KEY) + " FROM " + table + " WHERE " + column + " IN (" + in + ")) AS " + seen
            + "\nON " + seen + "." + q(KEY) + " = " + wanted + "." + q(KEY)
            + "\nWHERE " + seen + "." + q(KEY) + " IS NULL";
      default:
        throw new IllegalStateException("unknown test kind " + check.kind());
    }
  }

  /** How many rows {@code test} finds failing: the rows of {@link #failingRows}, counted on the warehouse. */
  public String failingCount(DataTest test) {
    return "SELECT COUNT(*) FROM (\n" + failingRows(test) + "\n) AS " + q("heap__failures");
  }

  /**
   * The failing rows ordered by their key, so a runner that reads the first few (JDBC's max rows) shows
   * the same samples on every run and engine.
   */
  public String failingSample(DataTest test) {
    // distinct: an accepted_values test of a column that is its own key (a channel) listed one value five times
    return "SELECT DISTINCT * FROM (\n" + failingRows(test) + "\n) AS " + q("heap__failures") + "\nORDER BY 1";
  }

  /** The newest time of a source table with a freshness rule, {@code heap__max_time}; NULL when it has no rows. */
  public String newestTime(SourceTable table, Freshness freshness) {
    return "SELECT MAX(" + q(table.column(freshness.timeColumn()).physicalName()) + ") AS " + q("heap__max_time")
        + "\nFROM " + tableName(TestTarget.source(table.name()));
  }

  /** The qualified name of a target, after the config's renames. */
  public String tableName(TestTarget target) {
    if (target.kind() == TestTarget.Kind.SOURCE) {
      SourceTable t = config.catalog().table(target.name());
      return warehouse.qualified(config.sourceDatabase(), config.sourceSchema(), t.physicalName());
    }
    return warehouse.qualified(config.targetDatabase(), config.targetSchema(), target.name());
  }

  private String physicalColumn(TestTarget target, String column) {
    if (target.kind() == TestTarget.Kind.SOURCE) {
      // tests name Heap's logical columns; the user's sync may call them otherwise
      return config.catalog().table(target.name()).column(column).physicalName();
    }
    return column;
  }

  /**
   * The column that identifies a failing row: a source table's first column is its id (user_id,
   * session_id, event_id, from_user_id), a model's is its unique key; the tested column otherwise.
   */
  private String keyColumn(TestTarget target, String column) {
    if (target.kind() == TestTarget.Kind.SOURCE) {
      return config.catalog().table(target.name()).columns().get(0).physicalName();
    }
    return project.find(target.name()).flatMap(Model::uniqueKey).orElse(column);
  }

  /** {@code , <column> AS heap__value}, unless the key already is the offending column. */
  private String value(String key, String column, String prefix) {
    return key.equals(column) ? "" : ", " + prefix + column + " AS " + q(VALUE);
  }

  /** A value as {@link #literal}, a string cast to the warehouse's text type. */
  private String typedLiteral(Object value) {
    return value instanceof String ? "CAST(" + literal(value) + " AS " + warehouse.typeName(io.heapsdk.source.ColumnType.VARCHAR) + ")" : literal(value);
  }

  private String literal(Object value) {
    if (value instanceof String s) {
      return warehouse.literal(s);
    }
    // whole numbers and booleans print the same on every warehouse (ColumnCheck admits nothing else)
    return value instanceof Boolean b ? (b ? "TRUE" : "FALSE") : String.valueOf(value);
  }

  private String q(String identifier) {
    return warehouse.quote(identifier);
  }
}
