package io.heapsdk.testing;

import io.heapsdk.warehouse.Warehouse;
import io.heapsdk.warehouse.Warehouses;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;

/**
 * The three engines the tests run SQL on for real, each as a fresh empty database: in-memory H2,
 * in-memory DuckDB, and a new database on the throwaway PostgreSQL server. Tests parameterised by
 * engine name ({@code "h2"}, {@code "duckdb"}, {@code "postgres"}) open their databases here, so every
 * such test means the same thing by an engine.
 */
public final class LocalEngines {
  private LocalEngines() {}

  /** A new empty database; on PostgreSQL its name starts with {@code prefix}. */
  public static Connection open(String engine, String prefix) throws SQLException {
    switch (engine) {
      case "h2":
        return DriverManager.getConnection("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
      case "duckdb":
        return DriverManager.getConnection("jdbc:duckdb:");
      case "postgres":
        return PostgresServer.get().newDatabase(prefix);
      default:
        throw new IllegalArgumentException("no local engine " + engine + "; expected h2, duckdb or postgres");
    }
  }

  /** The warehouse whose SQL runs on that engine. */
  public static Warehouse warehouse(String engine) {
    switch (engine) {
      case "h2":
        return Warehouses.H2;
      case "duckdb":
        return Warehouses.DUCKDB;
      case "postgres":
        return Warehouses.POSTGRES;
      default:
        throw new IllegalArgumentException("no local engine " + engine + "; expected h2, duckdb or postgres");
    }
  }
}
