package io.heapsdk.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.warehouse.Warehouses;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * On H2, a user who is not an admin and whose target schema is missing gets heap's sentence naming the
 * schema and what to do, as on PostgreSQL, instead of H2's bare "Admin rights are required for this
 * operation" (SQLSTATE 90040; found by a host application's probe); with the schema made for it and
 * the rights granted, the run builds.
 */
class LeastPrivilegeOnH2Test {
  @Test
  void aMissingTargetSchemaIsNamedForAUserWhoMayNotCreateIt() throws Exception {
    HeapConfig config = HeapConfig.defaults();
    String url = "jdbc:h2:mem:" + UUID.randomUUID();
    // the admin's connection keeps the in-memory database open (DB_CLOSE_DELAY is an admin's setting)
    try (Connection admin = DriverManager.getConnection(url, "sa", "");
        Statement s = admin.createStatement()) {
      new SourceTables(Warehouses.H2, config).create(admin);
      s.execute("CREATE USER ANALYST PASSWORD 'pw'");
      s.execute("GRANT SELECT ON SCHEMA MAIN_PRODUCTION TO ANALYST");
      try (Connection analyst = DriverManager.getConnection(url, "ANALYST", "pw")) {
        assertThatThrownBy(() -> new JdbcRunner(Warehouses.H2).run(HeapProject.standard(config).plan(), analyst))
            .isInstanceOf(HeapRunException.class)
            .hasMessageStartingWith("the target schema heap_models does not exist, and heap's database user may not create it (")
            .hasMessageContaining("Admin rights are required")
            .hasMessageEndingWith("have it created, with USAGE and CREATE on it granted to heap's user, or set target.schema to a schema that exists");
      }
      s.execute("CREATE SCHEMA HEAP_MODELS AUTHORIZATION ANALYST");
      try (Connection analyst = DriverManager.getConnection(url, "ANALYST", "pw")) {
        assertThat(new JdbcRunner(Warehouses.H2).run(HeapProject.standard(config).plan(), analyst).models()).isNotEmpty();
      }
    }
  }
}
