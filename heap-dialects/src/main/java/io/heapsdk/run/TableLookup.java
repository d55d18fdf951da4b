package io.heapsdk.run;

import io.heapsdk.warehouse.TableName;
import io.heapsdk.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether a table is there, and its columns, from the driver's catalog ({@link DatabaseMetaData}), not
 * by querying it: a query on a missing table is an error the database logs (PostgreSQL's server log, an
 * H2 file's {@code .trace.db} with a stack trace), and heap asks before every run and analysis.
 */
public final class TableLookup {
  private TableLookup() {}

  /**
   * The table's column names in order, or empty when it does not exist. Without a database in {@code
   * table} the search is narrowed to the connection's current catalog: a null catalog means "any" in
   * JDBC, and a DEV and a PROD database with the same schema would otherwise both answer.
   */
  public static Optional<List<String>> columns(Warehouse warehouse, Connection connection, TableName table) throws SQLException {
    return described(warehouse, connection, table).map(cs -> cs.stream().map(Column::name).toList());
  }

  /**
   * A column as the driver's catalog describes it: its {@link java.sql.Types} code, its scale (digits
   * after the point) and its size ({@code COLUMN_SIZE}: a text column's length, a number's precision).
   */
  public record Column(String name, int jdbcType, int scale, int size, String typeName) {
    /** A column whose type name the caller does not need. */
    public Column(String name, int jdbcType, int scale, int size) {
      this(name, jdbcType, scale, size, "");
    }
  }

  /** The table's columns with their types, in order, or empty when it does not exist (as {@link #columns}). */
  public static Optional<List<Column>> described(Warehouse warehouse, Connection connection, TableName table) throws SQLException {
    DatabaseMetaData md = connection.getMetaData();
    String escape = md.getSearchStringEscape();
    String catalog = table.database().map(warehouse::storedName).orElse(null);
    if (catalog == null) {
      catalog = currentCatalog(connection);
    }
    List<Column> columns = new ArrayList<>();
    try (ResultSet rs =
        md.getColumns(
            catalog, pattern(warehouse.storedName(table.schema()), escape), pattern(warehouse.storedName(table.name()), escape), null)) {
      while (rs.next()) {
        columns.add(
            new Column(
                rs.getString("COLUMN_NAME"), rs.getInt("DATA_TYPE"), rs.getInt("DECIMAL_DIGITS"), rs.getInt("COLUMN_SIZE"),
                String.valueOf(rs.getString("TYPE_NAME"))));
      }
    }
    return columns.isEmpty() ? Optional.empty() : Optional.of(columns);
  }

  /** Whether {@code table} exists (as {@link #columns}). */
  public static boolean exists(Warehouse warehouse, Connection connection, TableName table) throws SQLException {
    return columns(warehouse, connection, table).isPresent();
  }

  /**
   * Whether the schema (BigQuery: dataset) exists, from the driver's catalog; false where the driver
   * cannot say, so that the caller creates it as before. Asked before {@code CREATE SCHEMA IF NOT
   * EXISTS}, which PostgreSQL (and Redshift) refuse with "permission denied for database" to a user
   * without CREATE on the database even when the schema is there: the usual grant to an analytics
   * user is a schema of its own, made by an administrator, with CREATE on that schema only.
   */
  public static boolean schemaExists(Warehouse warehouse, Connection connection, Optional<String> database, String schema) {
    try {
      DatabaseMetaData md = connection.getMetaData();
      String catalog = database.map(warehouse::storedName).orElse(null);
      if (catalog == null) {
        catalog = currentCatalog(connection);
      }
      try (ResultSet rs = md.getSchemas(catalog, pattern(warehouse.storedName(schema), md.getSearchStringEscape()))) {
        return rs.next();
      }
    } catch (SQLException | RuntimeException e) {
      return false;
    }
  }

  /**
   * The schemas of the database whose names differ from {@code schema} as the warehouse stores it in case
   * only: {@code target.schema: Analytics} is stored {@code analytics} on PostgreSQL (a plain name folds),
   * and a schema {@code "Analytics"} made quoted (in a GUI) is another one, which a run left empty and made
   * {@code analytics} beside it, silently. Empty where the catalog cannot say (only for a warning).
   */
  public static List<String> schemasDifferingInCase(Warehouse warehouse, Connection connection, Optional<String> database, String schema) {
    List<String> found = new ArrayList<>();
    if (SourceColumns.matchesIgnoringCase(warehouse)) {
      // the engine finds the schema in any case: the models go to the one there (DuckDB)
      return found;
    }
    String stored = warehouse.storedName(schema);
    try {
      DatabaseMetaData md = connection.getMetaData();
      String catalog = database.map(warehouse::storedName).orElse(null);
      if (catalog == null) {
        catalog = currentCatalog(connection);
      }
      try (ResultSet rs = md.getSchemas(catalog, null)) {
        while (rs.next()) {
          String name = rs.getString("TABLE_SCHEM");
          if (name != null && !name.equals(stored) && name.toLowerCase(Locale.ROOT).equals(stored.toLowerCase(Locale.ROOT))) {
            found.add(name);
          }
        }
      }
    } catch (SQLException | RuntimeException e) {
      return List.of();
    }
    return found;
  }

  /** The connection's catalog, or null (no narrowing) where the driver has none or refuses to say. */
  private static String currentCatalog(Connection connection) {
    try {
      String catalog = connection.getCatalog();
      return catalog == null || catalog.isEmpty() ? null : catalog;
    } catch (SQLException | RuntimeException e) {
      return null;
    }
  }

  /** A metadata search pattern matching exactly {@code name}: {@code _} and {@code %} are wildcards there. */
  private static String pattern(String name, String escape) {
    if (escape == null || escape.isEmpty()) {
      return name;
    }
    return name.replace(escape, escape + escape).replace("_", escape + "_").replace("%", escape + "%");
  }
}
