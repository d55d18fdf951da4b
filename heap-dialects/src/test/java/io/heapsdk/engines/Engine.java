package io.heapsdk.engines;

import io.heapsdk.testing.PostgresServer;
import io.heapsdk.warehouse.Warehouse;
import io.heapsdk.warehouse.Warehouses;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;

/** An engine the cross-engine tests build the models on, each call a fresh, empty database. */
enum Engine {
  H2(Warehouses.H2) {
    @Override
    Connection open() throws SQLException {
      return DriverManager.getConnection("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    }
  },
  DUCKDB(Warehouses.DUCKDB) {
    @Override
    Connection open() throws SQLException {
      // an in-memory database of its own per connection
      return DriverManager.getConnection("jdbc:duckdb:");
    }
  },
  POSTGRES(Warehouses.POSTGRES) {
    @Override
    Connection open() {
      return PostgresServer.get().newDatabase("heap_cross_engine");
    }
  };

  private final Warehouse warehouse;

  Engine(Warehouse warehouse) {
    this.warehouse = warehouse;
  }

  Warehouse warehouse() {
    return warehouse;
  }

  abstract Connection open() throws SQLException;
}
