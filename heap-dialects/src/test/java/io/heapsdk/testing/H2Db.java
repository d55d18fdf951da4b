package io.heapsdk.testing;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.model.ProjectPlan;
import io.heapsdk.run.JdbcRunner;
import io.heapsdk.run.RunResult;
import io.heapsdk.run.SourceTables;
import io.heapsdk.warehouse.SqlRenderer;
import io.heapsdk.warehouse.Warehouses;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/** A private in-memory H2 database with Heap's source tables, for tests that run the models for real. */
public final class H2Db implements AutoCloseable {
  private final HeapConfig config;
  private final Connection connection;
  private final SourceTables sources;

  private H2Db(HeapConfig config) throws SQLException {
    this.config = config;
    this.connection = DriverManager.getConnection("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    this.sources = new SourceTables(Warehouses.H2, config);
    sources.create(connection);
  }

  public static H2Db create(HeapConfig config) {
    try {
      return new H2Db(config);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  public Connection connection() {
    return connection;
  }

  public HeapConfig config() {
    return config;
  }

  public H2Db insert(String table, Object[]... rows) {
    sources.insert(connection, table, List.of(rows));
    return this;
  }

  /** Builds every model of the project. */
  public RunResult build(HeapProject project) {
    return new JdbcRunner(Warehouses.H2).run(project.plan(), connection);
  }

  /** Builds the standard models. */
  public RunResult buildStandard() {
    return build(HeapProject.standard(config));
  }

  /** Every row of a model's table, ordered by {@code orderBy} (column names, lower case). */
  public List<Map<String, Object>> table(String model, String... orderBy) {
    ProjectPlan plan = HeapProject.empty(config).plan();
    String name = new SqlRenderer(Warehouses.H2, plan).tableName(model);
    StringBuilder sql = new StringBuilder("SELECT * FROM ").append(name);
    for (int i = 0; i < orderBy.length; i++) {
      sql.append(i == 0 ? " ORDER BY " : ", ").append(Warehouses.H2.quote(orderBy[i]));
    }
    return query(sql.toString());
  }

  /** Rows of a query, column names in lower case, timestamps as {@link LocalDateTime}. */
  public List<Map<String, Object>> query(String sql) {
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      ResultSetMetaData md = rs.getMetaData();
      List<Map<String, Object>> rows = new ArrayList<>();
      while (rs.next()) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          Object v =
              md.getColumnType(i) == java.sql.Types.TIMESTAMP
                  ? rs.getObject(i, LocalDateTime.class)
                  : rs.getObject(i);
          row.put(md.getColumnLabel(i).toLowerCase(Locale.ROOT), v);
        }
        rows.add(row);
      }
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
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
