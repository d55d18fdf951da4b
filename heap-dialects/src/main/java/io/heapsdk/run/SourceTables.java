package io.heapsdk.run;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.source.ColumnType;
import io.heapsdk.source.SourceCatalog;
import io.heapsdk.source.SourceColumn;
import io.heapsdk.source.SourceTable;
import io.heapsdk.warehouse.TableName;
import io.heapsdk.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Creates Heap Connect's source tables (with the config's names) and loads rows into them: what the
 * sample-data generator and the tests use to stand in for a real Heap Connect sync.
 */
public final class SourceTables {
  /**
   * The ids an incremental run looks each Heap table's rows up by (logical names): the id each deduped
   * table keeps one version of, and the session ids of events, whose holders share a session with an
   * active user ({@code ActiveUsers.ID_SPACES}).
   */
  private static final Map<String, List<String>> LOOKED_UP_BY =
      Map.of(
          SourceCatalog.ALL_EVENTS, List.of("event_id", "session_id"),
          SourceCatalog.PAGEVIEWS, List.of("event_id"),
          SourceCatalog.SESSIONS, List.of("session_id"));

  private final Warehouse warehouse;
  private final HeapConfig config;
  /** Per Heap table: whether its columns are in catalog order (see {@link #inCatalogOrder}). */
  private final Map<String, Boolean> columnOrder = new HashMap<>();

  public SourceTables(Warehouse warehouse, HeapConfig config) {
    warehouse.checkNames(config);
    this.warehouse = warehouse;
    this.config = config;
  }

  /** {@code CREATE SCHEMA} for the source schema, then one {@code CREATE TABLE} per Heap table. */
  public List<String> createStatements() {
    List<String> result = new ArrayList<>();
    result.add(warehouse.createSchema(config.sourceDatabase(), config.sourceSchema()));
    for (SourceTable t : config.catalog().tables()) {
      String columns =
          t.columns().stream()
              .map(c -> "  " + warehouse.quote(c.physicalName()) + " " + warehouse.typeName(c.type()))
              .collect(Collectors.joining(",\n"));
      result.add("CREATE TABLE " + name(t) + " (\n" + columns + "\n)");
      // what the models look source rows up by: a user's rows, rows at or after a mark, and in an
      // incremental run every version of an id an active user holds (PlanContext#sourceVersions) and
      // the users who share a session with one
      List<String> lookups = new ArrayList<>();
      for (String c : List.of("user_id", "from_user_id", "to_user_id", "time")) {
        t.findColumn(c).ifPresent(col -> lookups.add(col.physicalName()));
      }
      for (String id : LOOKED_UP_BY.getOrDefault(t.name(), List.of())) {
        t.findColumn(id).ifPresent(col -> lookups.add(col.physicalName()));
      }
      result.addAll(
          warehouse.indexStatements(
              warehouse.table(config.sourceDatabase(), config.sourceSchema(), t.physicalName()), lookups));
    }
    return result;
  }

  /** Runs {@link #createStatements()}; not the {@code CREATE SCHEMA} of a schema that exists (see {@link TableLookup#schemaExists}). */
  public void create(Connection c) {
    create(c, table -> {});
  }

  /** As {@link #create(Connection)}, telling {@code created} each table whose {@code CREATE TABLE} succeeded. */
  public void create(Connection c, Consumer<TableName> created) {
    String createSchema = warehouse.createSchema(config.sourceDatabase(), config.sourceSchema());
    boolean schemaThere = TableLookup.schemaExists(warehouse, c, config.sourceDatabase(), config.sourceSchema());
    for (String sql : createStatements()) {
      if (schemaThere && sql.equals(createSchema)) {
        continue;
      }
      try (Statement s = c.createStatement()) {
        s.execute(sql);
      } catch (SQLException e) {
        throw new HeapRunException("(sources)", warehouse.name(), sql, e);
      }
      for (SourceTable t : config.catalog().tables()) {
        if (sql.startsWith("CREATE TABLE " + name(t) + " (")) {
          created.accept(warehouse.table(config.sourceDatabase(), config.sourceSchema(), t.physicalName()));
        }
      }
    }
  }

  /**
   * Inserts rows into a Heap table (logical name); each row holds one value per column of the table, in
   * catalog order (built-in columns, then pass-through properties). Timestamps may be
   * {@link LocalDateTime}s. Returns the number of rows inserted. On DuckDB the rows go in through its
   * appender, on PostgreSQL through {@code COPY}, elsewhere as one JDBC batch (see {@link BulkInsert});
   * either way inside the connection's current transaction.
   */
  public int insert(Connection c, String table, List<Object[]> rows) {
    SourceTable t = config.catalog().table(table);
    List<SourceColumn> cols = t.columns();
    BulkInsert.Path fast = BulkInsert.fits(cols, rows) ? BulkInsert.of(c) : null;
    if (fast != null && (!(fast instanceof BulkInsert.DuckDbAppender) || inCatalogOrder(c, t))) {
      BulkInsert.Target target =
          new BulkInsert.Target(
              config.sourceDatabase().map(warehouse::storedName).orElse(null), warehouse.storedName(config.sourceSchema()),
              warehouse.storedName(t.physicalName()), name(t),
              cols.stream().map(col -> warehouse.quote(col.physicalName())).collect(Collectors.toList()));
      try {
        fast.write(c, target, cols, rows);
        return rows.size();
      } catch (SQLException e) {
        throw new HeapRunException("(sources)", warehouse.name(), fast.describe(target), e);
      }
    }
    String sql =
        "INSERT INTO " + name(t) + " ("
            + cols.stream().map(col -> warehouse.quote(col.physicalName())).collect(Collectors.joining(", "))
            + ") VALUES ("
            + cols.stream().map(col -> "?").collect(Collectors.joining(", "))
            + ")";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (Object[] row : rows) {
        if (row.length != cols.size()) {
          throw new IllegalArgumentException(
              "a " + table + " row needs " + cols.size() + " values " + t.columnNames() + ", got " + row.length);
        }
        for (int i = 0; i < row.length; i++) {
          bind(ps, i + 1, cols.get(i).type(), row[i]);
        }
        ps.addBatch();
      }
      ps.executeBatch();
      return rows.size();
    } catch (SQLException e) {
      throw new HeapRunException("(sources)", warehouse.name(), sql, e);
    }
  }

  /**
   * Whether the table's columns are the catalog's, in its order: DuckDB's appender fills every column
   * in table order, so a table created otherwise goes the INSERT way. Asked once per table.
   */
  private boolean inCatalogOrder(Connection c, SourceTable t) {
    return columnOrder.computeIfAbsent(t.name(), k -> {
      List<String> expected = t.columns().stream().map(col -> warehouse.storedName(col.physicalName())).collect(Collectors.toList());
      List<String> actual = new ArrayList<>();
      String sql =
          "SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND table_name = ?"
              + (config.sourceDatabase().isPresent() ? " AND table_catalog = ?" : "")
              + " ORDER BY ordinal_position";
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        // as the catalog stores them (a plain name folded, a quoted one as written)
        ps.setString(1, warehouse.storedName(config.sourceSchema()));
        ps.setString(2, warehouse.storedName(t.physicalName()));
        if (config.sourceDatabase().isPresent()) {
          ps.setString(3, warehouse.storedName(config.sourceDatabase().get()));
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            actual.add(rs.getString(1));
          }
        }
      } catch (SQLException e) {
        return false;
      }
      return actual.equals(expected);
    });
  }

  private static void bind(PreparedStatement ps, int index, ColumnType type, Object value) throws SQLException {
    if (value == null) {
      ps.setNull(index, sqlType(type));
    } else if (value instanceof LocalDateTime ldt) {
      // JSR-310 binding: no trip through the JVM's time zone
      ps.setObject(index, ldt, Types.TIMESTAMP);
    } else {
      ps.setObject(index, value);
    }
  }

  private static int sqlType(ColumnType type) {
    switch (type) {
      case BIGINT:
        return Types.BIGINT;
      case DOUBLE:
        return Types.DOUBLE;
      case BOOLEAN:
        return Types.BOOLEAN;
      case TIMESTAMP:
        return Types.TIMESTAMP;
      case VARCHAR:
      default:
        return Types.VARCHAR;
    }
  }

  private String name(SourceTable t) {
    return warehouse.qualified(config.sourceDatabase(), config.sourceSchema(), t.physicalName());
  }
}
