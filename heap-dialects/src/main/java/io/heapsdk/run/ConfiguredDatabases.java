package io.heapsdk.run;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.config.HeapConfigException;
import io.heapsdk.warehouse.Warehouse;
import io.heapsdk.warehouse.Warehouses;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Refuses, before a run's first statement, a {@code target.database} or {@code source.database} the
 * connection's server does not have, naming the config key: the run used to fail at its first state
 * statement with the database's words (DuckDB's {@code Catalog Error: "otherdb" is not a catalog or
 * schema}, H2's {@code Invalid name}), exit 1, as if the database had failed rather than the config; and a
 * source database not there read as "no Heap tables in schema analytics.main_production", pointing at
 * {@code source.schema}.
 *
 * <p>Only where the driver's catalog list is every database the connection could write to (H2, DuckDB,
 * PostgreSQL, Redshift, Snowflake, Trino). Not on BigQuery, whose driver lists the projects it was
 * configured with, not every project a job may write to, nor on Spark, whose catalogs depend on the
 * session's configuration. A catalog that cannot be read, or lists nothing, is not second-guessed.
 */
public final class ConfiguredDatabases {
  private static final Set<Warehouse> UNLISTED = Set.of(Warehouses.BIGQUERY, Warehouses.SPARK);

  private ConfiguredDatabases() {}

  /** Checks {@code target.database}, then {@code source.database}, where set. */
  public static void check(Warehouse warehouse, Connection connection, HeapConfig config) {
    check(warehouse, connection, config, "target.database", config.targetDatabase());
    checkSource(warehouse, connection, config);
  }

  /**
   * Checks {@code source.database}, where set ({@code heap sample}, which writes Heap's tables only). Not
   * on Redshift: its driver lists the connected database alone (DatabaseMetadataCurrentDbOnly), and a
   * query may read another one (cross-database queries, a datashare's consumer database), where it cannot
   * write one.
   */
  public static void checkSource(Warehouse warehouse, Connection connection, HeapConfig config) {
    if (warehouse != Warehouses.REDSHIFT) {
      check(warehouse, connection, config, "source.database", config.sourceDatabase());
    }
  }

  private static void check(Warehouse warehouse, Connection connection, HeapConfig config, String key, Optional<String> database) {
    if (database.isEmpty() || UNLISTED.contains(warehouse)) {
      return;
    }
    String wanted = database.get();
    List<String> databases = new ArrayList<>();
    try {
      DatabaseMetaData md = connection.getMetaData();
      try (ResultSet rs = md.getCatalogs()) {
        while (rs.next()) {
          databases.add(rs.getString(1));
        }
      }
    } catch (SQLException | RuntimeException e) {
      return;
    }
    String stored = warehouse.storedName(wanted);
    if (databases.isEmpty() || databases.stream().anyMatch(d -> d.equals(stored) || d.equalsIgnoreCase(wanted))) {
      return;
    }
    throw new HeapConfigException(
        config.origin(),
        key,
        "no database " + wanted + " on " + warehouse.name() + " through this connection; its databases: "
            + String.join(", ", databases.subList(0, Math.min(databases.size(), 30))) + (databases.size() > 30 ? ", …" : ""));
  }
}
