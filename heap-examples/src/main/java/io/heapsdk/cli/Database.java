package io.heapsdk.cli;

import io.heapsdk.HeapException;
import io.heapsdk.config.HeapConfig;
import io.heapsdk.source.SourceTable;
import io.heapsdk.warehouse.Warehouse;
import io.heapsdk.warehouse.Warehouses;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.h2.api.ErrorCode;

/**
 * A database the CLI runs on, named by a JDBC URL; its warehouse is inferred from the URL. Only H2's
 * driver ships with the CLI, so only {@code jdbc:h2:} URLs are accepted.
 */
final class Database implements AutoCloseable {
  private final Warehouse warehouse;
  private final Connection connection;
  private final String url;

  private Database(Warehouse warehouse, Connection connection, String url) {
    this.warehouse = warehouse;
    this.connection = connection;
    this.url = url;
  }

  /** Opens the database, creating it when it does not exist: for {@code heap sample} and the demo. */
  static Database open(String url) {
    return open(url, false);
  }

  /**
   * Opens a database that must exist already: {@code run}, {@code funnel}, {@code attribution},
   * {@code test} and later sample batches read Heap's tables from it (run writes its models next to
   * them), so a mistyped path is an error, not a new empty database file. H2 creates a file database
   * on first connection unless told {@code IFEXISTS=TRUE}; an in-memory one is always new, and is
   * caught by {@link #requireHeapTables} instead.
   */
  static Database openExisting(String url) {
    return open(url, true);
  }

  private static Database open(String url, boolean mustExist) {
    Warehouse warehouse = warehouseOf(url);
    Properties settings = new Properties();
    String lower = url.toLowerCase(Locale.ROOT);
    // a setting in the URL too would make H2 refuse the duplicate: the user's own IFEXISTS wins
    if (mustExist && !lower.startsWith("jdbc:h2:mem:") && !lower.contains(";ifexists=")) {
      settings.setProperty("IFEXISTS", "TRUE");
    }
    try {
      return new Database(warehouse, DriverManager.getConnection(url, settings), url);
    } catch (SQLException e) {
      if (e.getErrorCode() == ErrorCode.DATABASE_NOT_FOUND_WITH_IF_EXISTS_1) {
        throw new HeapException(
            "no database at " + url + " (" + missingFile(e) + "); check the path, or create it with Heap's tables: heap sample --jdbc "
                + url + " --users N",
            e);
      }
      throw new HeapException("cannot open " + url + ": " + firstLine(e.getMessage()), e);
    }
  }

  /** "H2 file /abs/path.mv.db does not exist", from H2's message naming the database's path. */
  private static String missingFile(SQLException e) {
    Matcher m = Pattern.compile("Database \"([^\"]+)\" not found").matcher(String.valueOf(e.getMessage()));
    return m.find() ? "H2 file " + m.group(1) + ".mv.db does not exist" : "H2 found no database file there";
  }

  private static String firstLine(String text) {
    return text == null ? "no reason given" : text.lines().findFirst().orElse("").strip();
  }

  static Warehouse warehouseOf(String url) {
    if (url.startsWith("jdbc:h2:")) {
      return Warehouses.H2;
    }
    throw new HeapException(
        "unsupported JDBC URL " + url + ": this build of heap bundles only the H2 driver (jdbc:h2:...);"
            + " for other warehouses, write the SQL with `heap compile` and run it there");
  }

  /**
   * Stops with a one-line message when none of Heap's source tables is in the config's source schema:
   * a new or wrong database, or a source.schema that names another schema. The tables are looked up as
   * the models read them, with the warehouse's own quoting, so the check works on any database.
   */
  void requireHeapTables(HeapConfig config) {
    for (SourceTable t : config.catalog().tables()) {
      if (exists(warehouse.qualified(config.sourceDatabase(), config.sourceSchema(), t.physicalName()))) {
        return;
      }
    }
    String schema = config.sourceDatabase().map(d -> d + ".").orElse("") + config.sourceSchema();
    throw new HeapException(
        "no Heap tables in schema " + schema + " of " + url + "; load them (heap sample --jdbc " + url + " --users N) or set source.schema");
  }

  /** Whether {@code table} (a qualified name) can be read: a probe that works on any database. */
  boolean exists(String table) {
    try (Statement s = connection.createStatement()) {
      s.executeQuery("SELECT 1 FROM " + table + " WHERE 1 = 0").close();
      return true;
    } catch (SQLException e) {
      return false;
    }
  }

  String url() {
    return url;
  }

  /** A second connection to the same database (the run's heartbeat); the caller closes it. */
  Connection openAnother() throws SQLException {
    return DriverManager.getConnection(url);
  }

  Warehouse warehouse() {
    return warehouse;
  }

  Connection connection() {
    return connection;
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      throw new HeapException("cannot close the connection: " + firstLine(e.getMessage()), e);
    }
  }
}
