package io.heapsdk.testing;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.run.DataTestRunner;
import io.heapsdk.run.JdbcRunner;
import io.heapsdk.run.RunResult;
import io.heapsdk.run.SourceTables;
import io.heapsdk.run.TestResult;
import io.heapsdk.warehouse.Warehouses;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * A private in-memory H2 database holding Heap Connect's tables (with the config's names), for a host
 * application's tests: insert a few {@link HeapRow}s, build the models, read a model's rows and run the
 * data tests.
 *
 * <pre>{@code
 * try (HeapTestDatabase db = HeapTestDatabase.create(config)) {
 *   db.insert(HeapRow.of("sessions").set("session_id", 100).set("user_id", 10).set("time", "2024-01-10T10:00:00"));
 *   db.build(project);
 *   List<Map<String, Object>> rows = db.rows("stg_heap_sessions_inc_fct", "heap_session_id");
 * }
 * }</pre>
 *
 * <p>Each instance is its own database, so tests can run in parallel; not thread-safe itself.
 */
public final class HeapTestDatabase implements AutoCloseable {
  private final HeapConfig config;
  private final Connection connection;
  private final SourceTables sources;

  private HeapTestDatabase(HeapConfig config, Connection connection) {
    this.config = config;
    this.connection = connection;
    this.sources = new SourceTables(Warehouses.H2, config);
    sources.create(connection);
  }

  /** A new empty database with Heap's five tables as {@code config} names them. */
  public static HeapTestDatabase create(HeapConfig config) {
    try {
      // a random name: two databases of one JVM never share tables
      return new HeapTestDatabase(
          config, DriverManager.getConnection("jdbc:h2:mem:heap-test-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1"));
    } catch (SQLException e) {
      throw new IllegalStateException("cannot open an in-memory H2 database", e);
    }
  }

  public HeapConfig config() {
    return config;
  }

  /** The JDBC connection, for queries of your own. */
  public Connection connection() {
    return connection;
  }

  /** Inserts rows, each into its own table. */
  public HeapTestDatabase insert(HeapRow... rows) {
    for (HeapRow row : rows) {
      sources.insert(connection, row.table(), List.<Object[]>of(row.toArray(config.catalog())));
    }
    return this;
  }

  /** Builds every materialized model of {@code project} (incrementally when they exist already). */
  public RunResult build(HeapProject project) {
    return new JdbcRunner(Warehouses.H2).run(project.plan(), connection);
  }

  /** Runs the project's freshness checks and data tests as of {@code clock}. */
  public List<TestResult> test(HeapProject project, Clock clock) {
    return new DataTestRunner(Warehouses.H2, clock).run(project, connection);
  }

  /** Every row of a built model, ordered by {@code orderBy}; column names in lower case, timestamps as LocalDateTime. */
  public List<Map<String, Object>> rows(String model, String... orderBy) {
    StringBuilder sql =
        new StringBuilder("SELECT * FROM ")
            .append(Warehouses.H2.qualified(config.targetDatabase(), config.targetSchema(), model));
    for (int i = 0; i < orderBy.length; i++) {
      sql.append(i == 0 ? " ORDER BY " : ", ").append(Warehouses.H2.quote(orderBy[i]));
    }
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery(sql.toString())) {
      ResultSetMetaData md = rs.getMetaData();
      List<Map<String, Object>> rows = new ArrayList<>();
      while (rs.next()) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          Object v = md.getColumnType(i) == Types.TIMESTAMP ? rs.getObject(i, LocalDateTime.class) : rs.getObject(i);
          row.put(md.getColumnLabel(i).toLowerCase(Locale.ROOT), v);
        }
        rows.add(row);
      }
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read model " + model + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
