package io.heapsdk.incremental;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.run.JdbcRunner;
import io.heapsdk.run.RunResult;
import io.heapsdk.run.SourceTables;
import io.heapsdk.warehouse.Warehouse;
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
 * One H2 database with Heap's source tables and two target schemas built from them: {@code INC} kept
 * up to date by incremental runs, {@code FULL} rebuilt from scratch. After each batch of source rows the
 * facts of both must hold the same rows: the invariant of SPEC §3.
 */
final class TwinTargets implements AutoCloseable, RandomHistory.Sink {
  static final List<String> FACTS =
      List.of("stg_heap_events_all_inc_fct", "stg_heap_pageview_sessions_inc_fct", "stg_heap_sessions_inc_fct");

  final Connection connection;
  final Warehouse warehouse;
  final HeapConfig incremental;
  final HeapConfig full;
  final SourceTables sources;

  TwinTargets(HeapConfig base) throws SQLException {
    this(base, Warehouses.H2, DriverManager.getConnection("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1"));
  }

  /** The same on {@code connection}, a new empty database of {@code warehouse}. */
  TwinTargets(HeapConfig base, Warehouse warehouse, Connection connection) {
    this.connection = connection;
    this.warehouse = warehouse;
    incremental = HeapConfig.builder().from(base).targetSchema("inc").build();
    full = HeapConfig.builder().from(base).targetSchema("full").build();
    sources = new SourceTables(warehouse, base);
    sources.create(connection);
  }

  @Override
  public void insert(String table, List<Object[]> rows) {
    if (!rows.isEmpty()) {
      sources.insert(connection, table, rows);
    }
  }

  void insert(String table, Object[]... rows) {
    insert(table, List.of(rows));
  }

  @Override
  public void execute(String sql) {
    try (Statement s = connection.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  RunResult runIncremental() {
    return runIncremental(incremental);
  }

  /**
   * A run (incremental where it can be) of {@code config} on schema INC: a changed config's. It builds
   * from emptied sources too: the histories here take the sources through every state, a table emptied
   * among them, and compare the facts with a full refresh's; the refusal a run makes by default is
   * {@code EmptiedSourceTest}'s.
   */
  RunResult runIncremental(HeapConfig config) {
    return new JdbcRunner(warehouse).allowingEmptiedSources().run(HeapProject.standard(inc(config)).plan(), connection);
  }

  RunResult runFull() {
    return runFull(full);
  }

  /** A full refresh of {@code config} on schema FULL, from emptied sources too (see {@link #runIncremental(HeapConfig)}). */
  RunResult runFull(HeapConfig config) {
    return new JdbcRunner(warehouse).allowingEmptiedSources().run(HeapProject.standard(HeapConfig.builder().from(config).targetSchema("full").build()).plan(), connection, true);
  }

  /** {@code config} targeting schema INC. */
  static HeapConfig inc(HeapConfig config) {
    return HeapConfig.builder().from(config).targetSchema("inc").build();
  }

  /** Every row of a fact in a schema, as sorted text lines (order-independent comparison). */
  List<String> rows(String schema, String fact) {
    List<String> lines = new ArrayList<>();
    String sql = "SELECT * FROM " + warehouse.qualified(java.util.Optional.empty(), schema, fact);
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      ResultSetMetaData md = rs.getMetaData();
      while (rs.next()) {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          b.append(md.getColumnLabel(i)).append('=').append(Objects.toString(rs.getObject(i))).append(' ');
        }
        lines.add(b.toString());
      }
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
    lines.sort(null);
    return lines;
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
