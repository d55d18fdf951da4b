package io.heapsdk.sample;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.run.HeapRunException;
import io.heapsdk.run.RunCancel;
import io.heapsdk.run.SourceTables;
import io.heapsdk.run.TableLookup;
import io.heapsdk.source.SourceTable;
import io.heapsdk.warehouse.TableName;
import io.heapsdk.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Inserts streamed rows in per-table batches inside one transaction, so loading millions of rows
 * needs memory for one batch per table, not for the whole sample. Not thread-safe; one per load.
 */
final class BatchLoader implements SampleData.RowSink, AutoCloseable {
  private static final String MODEL = "(sample data)";

  private final Connection connection;
  private final Warehouse warehouse;
  private final SourceTables tables;
  private final int batchRows;
  private final Map<String, List<Object[]>> pending = new LinkedHashMap<>();
  private final Map<String, Long> counts = new LinkedHashMap<>();
  private final boolean autoCommit;
  private final HeapConfig config;
  private final RunCancel cancel;
  /** The tables {@link #createTables} made, dropped again if the load fails. */
  private final List<TableName> created = new ArrayList<>();
  private boolean committed;

  BatchLoader(Connection connection, Warehouse warehouse, HeapConfig config, int batchRows, RunCancel cancel) {
    this.connection = connection;
    this.warehouse = warehouse;
    this.config = config;
    this.cancel = cancel;
    this.tables = new SourceTables(warehouse, config);
    this.batchRows = batchRows;
    for (SourceTable t : config.catalog().tables()) {
      pending.put(t.name(), new ArrayList<>(batchRows));
      counts.put(t.name(), 0L);
    }
    try {
      this.autoCommit = connection.getAutoCommit();
      // one commit at the end: per-statement commits make large loads several times slower
      connection.setAutoCommit(false);
    } catch (SQLException e) {
      throw new HeapRunException(MODEL, warehouse.name(), "(starting a transaction)", e);
    }
  }

  /**
   * Creates the source schema and tables inside the load's transaction; the ones created are dropped
   * again by {@link #close} if the load does not commit.
   */
  void createTables() {
    // cancelled before it began: create nothing (H2 would commit the tables at once)
    cancel.check("loading the sample data", warehouse.name());
    // only the tables whose CREATE succeeded are ours to drop: a table missing when looked up may be
    // another load's, uncommitted then (two first batches at once on PostgreSQL: the one whose CREATE
    // failed dropped the other's tables, committed meanwhile, while that one said it had loaded them)
    tables.create(connection, created::add);
  }

  @Override
  public void accept(String table, Object[] row) {
    List<Object[]> batch = pending.get(table);
    batch.add(row);
    if (batch.size() >= batchRows) {
      flush(table, batch);
    }
  }

  /**
   * Inserts what is pending, then runs {@code statements} in the same transaction; returns the rows
   * they changed.
   */
  long execute(List<String> statements) {
    pending.forEach(this::flush);
    long changed = 0;
    for (String sql : statements) {
      try (Statement s = connection.createStatement()) {
        changed += s.executeUpdate(sql);
      } catch (SQLException e) {
        throw new HeapRunException(MODEL, warehouse.name(), sql, e);
      }
    }
    return changed;
  }

  /** Inserts what is left, commits, and returns the rows inserted per table. */
  Map<String, Long> finish() {
    pending.forEach(this::flush);
    try {
      connection.commit();
    } catch (SQLException e) {
      throw new HeapRunException(MODEL, warehouse.name(), "COMMIT", e);
    }
    committed = true;
    return new LinkedHashMap<>(counts);
  }

  private void flush(String table, List<Object[]> batch) {
    if (!batch.isEmpty()) {
      cancel.check("loading the sample data", warehouse.name());
      counts.merge(table, (long) tables.insert(connection, table, batch), Long::sum);
      batch.clear();
    }
  }

  @Override
  public void close() {
    try {
      if (!committed) {
        connection.rollback();
        dropCreated();
      }
      connection.setAutoCommit(autoCommit);
    } catch (SQLException e) {
      // the load's own failure, if any, is the error worth reporting; this one only follows from it
      if (committed) {
        throw new HeapRunException(MODEL, warehouse.name(), "(restoring auto-commit)", e);
      }
    }
  }

  /**
   * After a rollback, drops the tables this load created that are still there (H2 commits a {@code
   * CREATE TABLE} on its own; PostgreSQL and DuckDB rolled them back). Only ours: those whose {@code
   * CREATE} succeeded in {@link #createTables}.
   */
  private void dropCreated() throws SQLException {
    if (warehouse.rollsBackSwap()) {
      // its rollback undid our CREATEs (PostgreSQL, Redshift): a table of that name now is another's
      return;
    }
    for (TableName t : created) {
      if (TableLookup.exists(warehouse, connection, t)) {
        try (Statement s = connection.createStatement()) {
          s.execute(warehouse.dropTable(t));
        }
      }
    }
    connection.commit();
  }
}
