package io.heapsdk.cli;

import io.heapsdk.HeapException;
import io.heapsdk.warehouse.Warehouse;
import io.heapsdk.warehouse.Warehouses;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

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

  static Database open(String url) {
    Warehouse warehouse = warehouseOf(url);
    try {
      return new Database(warehouse, DriverManager.getConnection(url), url);
    } catch (SQLException e) {
      throw new HeapException("cannot open " + url + ": " + e.getMessage().lines().findFirst().orElse(""), e);
    }
  }

  static Warehouse warehouseOf(String url) {
    if (url.startsWith("jdbc:h2:")) {
      return Warehouses.H2;
    }
    throw new HeapException(
        "unsupported JDBC URL " + url + ": this build of heap bundles only the H2 driver (jdbc:h2:...);"
            + " for other warehouses, write the SQL with `heap compile` and run it there");
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
      throw new HeapException("cannot close the connection: " + e.getMessage(), e);
    }
  }
}
