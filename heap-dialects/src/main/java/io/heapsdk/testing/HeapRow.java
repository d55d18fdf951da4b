package io.heapsdk.testing;

import io.heapsdk.source.ColumnType;
import io.heapsdk.source.SourceCatalog;
import io.heapsdk.source.SourceColumn;
import io.heapsdk.source.SourceTable;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One row of a Heap source table for a host application's tests, built by column name: unset columns
 * are NULL, so a test names only what it is about.
 *
 * <pre>{@code
 * HeapRow.of("pageviews").set("event_id", 1).set("user_id", 10).set("session_id", 100)
 *     .set("time", "2024-01-10T10:00:00").set("path", "/pricing")
 * }</pre>
 *
 * <p>Columns are the logical names of {@link SourceCatalog} (pass-through properties included); values
 * are converted to the column's type where it is unambiguous: an {@code int} to a {@code BIGINT}, ISO
 * text ({@code 2024-01-10T10:00:00}) to a {@code TIMESTAMP}. Not thread-safe.
 */
public final class HeapRow {
  private final String table;
  private final Map<String, Object> values = new LinkedHashMap<>();

  private HeapRow(String table) {
    this.table = Objects.requireNonNull(table, "table");
  }

  /** A row of the Heap table with this logical name ({@code users}, {@code sessions}, …). */
  public static HeapRow of(String table) {
    return new HeapRow(table);
  }

  public String table() {
    return table;
  }

  /** Sets a column; checked against the catalog when the row is inserted. */
  public HeapRow set(String column, Object value) {
    values.put(column, value);
    return this;
  }

  /**
   * The row as {@link io.heapsdk.run.SourceTables#insert} takes it: one value per column of the table,
   * in catalog order. An unknown column or a value of the wrong type fails here, naming the column.
   */
  Object[] toArray(SourceCatalog catalog) {
    SourceTable t = catalog.table(table);
    for (String column : values.keySet()) {
      t.column(column); // an IllegalArgumentException listing the columns when unknown
    }
    List<SourceColumn> columns = t.columns();
    Object[] row = new Object[columns.size()];
    for (int i = 0; i < row.length; i++) {
      SourceColumn c = columns.get(i);
      row[i] = convert(c, values.get(c.name()));
    }
    return row;
  }

  private Object convert(SourceColumn c, Object v) {
    if (v == null) {
      return null;
    }
    if (c.type() == ColumnType.BIGINT && v instanceof Integer i) {
      return i.longValue();
    }
    if (c.type() == ColumnType.TIMESTAMP && v instanceof String s) {
      return LocalDateTime.parse(s);
    }
    boolean fits =
        switch (c.type()) {
          case BIGINT -> v instanceof Long;
          case DOUBLE -> v instanceof Double;
          case BOOLEAN -> v instanceof Boolean;
          case TIMESTAMP -> v instanceof LocalDateTime;
          case VARCHAR -> v instanceof String;
        };
    if (!fits) {
      throw new IllegalArgumentException(
          table + "." + c.name() + " is " + c.type() + "; got " + v.getClass().getSimpleName() + " " + v);
    }
    return v;
  }
}
