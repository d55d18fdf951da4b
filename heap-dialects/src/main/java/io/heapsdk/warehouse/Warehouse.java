package io.heapsdk.warehouse;

import io.heapsdk.source.ColumnType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
  public abstract SqlDialect dialect();

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

  /** Whether {@link #replaceTable} is one atomic statement; otherwise the runner uses a transaction. */
  protected abstract boolean hasCreateOrReplace();

  /** The quoted form of one identifier. */
  public final String quote(String identifier) {
    return identifiers().quote(identifier);
  }

  /** A safe string literal holding {@code value}. */
  public final String literal(String value) {
    return literals().quote(value);
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

  /** Creates the schema (BigQuery: dataset) unless it exists. */
  public String createSchema(Optional<String> database, String schema) {
    List<String> parts = new ArrayList<>();
    database.ifPresent(parts::add);
    parts.add(schema);
    return "CREATE SCHEMA IF NOT EXISTS " + qualified(parts);
  }

  /**
   * The statements that replace {@code table} with the rows of {@code select}: one
   * {@code CREATE OR REPLACE TABLE … AS} where the warehouse has it, otherwise a drop and a create to
   * run in one transaction.
   */
  public List<String> replaceTable(String table, String select) {
    if (hasCreateOrReplace()) {
      return List.of("CREATE OR REPLACE TABLE " + table + " AS\n" + select);
    }
    return List.of("DROP TABLE IF EXISTS " + table, "CREATE TABLE " + table + " AS\n" + select);
  }

  /** Whether the statements of {@link #replaceTable} must run in one transaction. */
  public boolean replaceNeedsTransaction() {
    return !hasCreateOrReplace();
  }

  @Override
  public String toString() {
    return name();
  }
}
