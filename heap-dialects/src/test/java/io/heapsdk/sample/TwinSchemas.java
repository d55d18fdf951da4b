package io.heapsdk.sample;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.model.ProjectPlan;
import io.heapsdk.run.JdbcRunner;
import io.heapsdk.run.RunResult;
import io.heapsdk.warehouse.SqlRenderer;
import io.heapsdk.warehouse.Warehouses;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * One in-memory H2 database holding sample Heap tables and two target schemas built from them: one
 * kept up to date by the runner's own choice (incremental after the first run), one always rebuilt
 * with a full refresh, the independent oracle the other must equal (SPEC §3).
 */
final class TwinSchemas implements AutoCloseable {
  static final List<String> FACTS =
      List.of("stg_heap_events_all_inc_fct", "stg_heap_pageview_sessions_inc_fct", "stg_heap_sessions_inc_fct");

  final Connection connection;
  final HeapConfig config;
  private final ProjectPlan incremental;
  private final ProjectPlan full;

  TwinSchemas(HeapConfig config) throws SQLException {
    this.connection = DriverManager.getConnection("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    this.config = config;
    this.incremental = HeapProject.standard(HeapConfig.builder().from(config).targetSchema("kept").build()).plan();
    this.full = HeapProject.standard(HeapConfig.builder().from(config).targetSchema("rebuilt").build()).plan();
  }

  /** A run on the kept schema: full the first time, incremental afterwards (the runner decides). */
  RunResult runKept() {
    return new JdbcRunner(Warehouses.H2).run(incremental, connection);
  }

  /** A full refresh of the other schema. */
  RunResult rebuild() {
    return new JdbcRunner(Warehouses.H2).run(full, connection, true);
  }

  List<String> kept(String fact) {
    return rows(new SqlRenderer(Warehouses.H2, incremental).tableName(fact));
  }

  List<String> rebuilt(String fact) {
    return rows(new SqlRenderer(Warehouses.H2, full).tableName(fact));
  }

  /** Every row of a table as text, every column named, sorted: equal lists mean equal tables. */
  List<String> rows(String table) {
    List<String> lines = new ArrayList<>();
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
      ResultSetMetaData md = rs.getMetaData();
      while (rs.next()) {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          b.append(md.getColumnLabel(i)).append('=').append(Objects.toString(rs.getObject(i))).append(' ');
        }
        lines.add(b.toString());
      }
    } catch (SQLException e) {
      throw new IllegalStateException("reading " + table, e);
    }
    lines.sort(null);
    return lines;
  }

  long count(String sql) {
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
