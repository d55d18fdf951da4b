package io.heapsdk.testing;

import io.heapsdk.source.ColumnTest;
import io.heapsdk.source.ColumnType;
import io.heapsdk.source.SourceCatalog;
import io.heapsdk.source.SourceColumn;
import io.heapsdk.source.SourceTable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Timestamp;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One row of a Heap source table for a host application's tests, built by column name: unset columns
 * are NULL, so a test names only what it is about.
 *
 * <pre>{@code
 * HeapRow.of("pageviews").set("event_id", 1).set("user_id", 10).set("session_id", 100)
 *     .set("time", "2024-01-10T10:00:00Z").set("path", "/pricing")
 * }</pre>
 *
 * <p>Tables and columns are the logical names of {@link SourceCatalog} (pass-through properties
 * included). Values are converted to the column's type where that is unambiguous:
 *
 * <ul>
 *   <li>{@code BIGINT}: {@code int}, {@code long}, {@code short}, {@code byte}, or a {@link BigInteger}
 *       or {@link BigDecimal} holding a whole number that fits in 64 bits;
 *   <li>{@code DOUBLE}: any of those, {@code float} or {@code double};
 *   <li>{@code TIMESTAMP}: Heap's times are UTC timestamps without a zone, so a value that names an
 *       instant is converted to UTC: {@link Instant}, {@link OffsetDateTime}, {@link ZonedDateTime}, and
 *       ISO-8601 text with an offset or zone ({@code 2024-01-10T12:00:00+02:00} and
 *       {@code 2024-01-10T10:00:00Z} are both stored as 10:00). A value without a zone is taken as UTC
 *       already: {@link LocalDateTime}, ISO text without an offset ({@code 2024-01-10T10:00:00}, a space
 *       instead of the {@code T} works too), and a {@link Timestamp}, read by its wall-clock fields
 *       ({@link Timestamp#toLocalDateTime()}) as JDBC stores it in a column without a zone;
 *   <li>{@code VARCHAR}: a {@link String}; {@code BOOLEAN}: a {@link Boolean}.
 * </ul>
 *
 * <p>The row is checked when it is inserted ({@link HeapTestDatabase#insert}): an unknown table or
 * column, a value of the wrong type, or a column that Heap Connect never leaves empty (NOT NULL in the
 * catalog, e.g. {@code user_id}) left unset fails with an {@link IllegalArgumentException} naming the table
 * and column, e.g. {@code pageviews.time: expected a timestamp (…), got the text "yesterday"}. To store a
 * row Heap would never send (to see a data test catch it), insert it with SQL on
 * {@link HeapTestDatabase#connection()}. Not thread-safe.
 */
public final class HeapRow {
  private static final String TIMESTAMP_EXPECTED =
      "a timestamp (ISO-8601 like 2024-01-10T10:00:00 or 2024-01-10T10:00:00Z,"
          + " or Instant/OffsetDateTime/ZonedDateTime/LocalDateTime/java.sql.Timestamp)";

  private final String table;
  private final Map<String, Object> values = new LinkedHashMap<>();

  private HeapRow(String table) {
    this.table = table;
  }

  /**
   * A row of the Heap table with this logical name.
   *
   * @param table {@code users}, {@code sessions}, {@code pageviews}, {@code all_events} or
   *     {@code user_migrations}
   * @return an empty row: every column NULL
   */
  public static HeapRow of(String table) {
    if (table == null) {
      throw new IllegalArgumentException("HeapRow.of: the table name is null; tables are " + tableList());
    }
    return new HeapRow(table);
  }

  /**
   * The logical name of the row's table.
   *
   * @return the name given to {@link #of}
   */
  public String table() {
    return table;
  }

  /**
   * Sets a column; the name and the value are checked against the catalog when the row is inserted.
   * Setting a column twice keeps the last value.
   *
   * @param column the column's logical name
   * @param value the value, of a type the column accepts (see the class comment), or null
   * @return this row
   */
  public HeapRow set(String column, Object value) {
    if (column == null) {
      throw new IllegalArgumentException(table + ": HeapRow.set: the column name is null");
    }
    values.put(column, value);
    return this;
  }

  /**
   * The row as {@link io.heapsdk.run.SourceTables#insert} takes it: one value per column of the table,
   * in catalog order. Fails on an unknown table or column, a value of the wrong type or an unset NOT NULL
   * column, naming the table and column.
   */
  Object[] toArray(SourceCatalog catalog) {
    SourceTable t =
        catalog
            .findTable(table)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "no Heap table \"" + table + "\"; tables are " + String.join(", ", catalog.tableNames())));
    List<String> unknown = new ArrayList<>();
    for (String column : values.keySet()) {
      if (t.findColumn(column).isEmpty()) {
        unknown.add(column);
      }
    }
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          (unknown.size() == 1 ? table + "." + unknown.get(0) + ": no such column" : table + ": no columns " + String.join(", ", unknown))
              + "; the columns of " + table + " are " + String.join(", ", t.columnNames()));
    }
    List<SourceColumn> columns = t.columns();
    Object[] row = new Object[columns.size()];
    List<String> missing = new ArrayList<>();
    for (int i = 0; i < row.length; i++) {
      SourceColumn c = columns.get(i);
      row[i] = convert(c, values.get(c.name()));
      if (row[i] == null && c.tests().contains(ColumnTest.NOT_NULL)) {
        missing.add(c.name());
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(
          table + ": " + String.join(", ", missing) + (missing.size() == 1 ? " is" : " are")
              + " NOT NULL in Heap Connect but the row leaves " + (missing.size() == 1 ? "it" : "them")
              + " unset; set " + (missing.size() == 1 ? "it" : "them") + " with HeapRow.set");
    }
    return row;
  }

  private Object convert(SourceColumn c, Object v) {
    if (v == null) {
      return null;
    }
    Optional<Object> converted =
        switch (c.type()) {
          case BIGINT -> wholeNumber(v);
          case DOUBLE -> number(v);
          case BOOLEAN -> v instanceof Boolean ? Optional.of(v) : Optional.empty();
          case VARCHAR -> v instanceof String ? Optional.of(v) : Optional.empty();
          case TIMESTAMP -> timestamp(v);
        };
    return converted.orElseThrow(
        () -> new IllegalArgumentException(table + "." + c.name() + ": expected " + expected(c.type()) + ", got " + describe(v)));
  }

  private static Optional<Object> wholeNumber(Object v) {
    if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return Optional.of(((Number) v).longValue());
    }
    try {
      if (v instanceof BigInteger b) {
        return Optional.of(b.longValueExact());
      }
      if (v instanceof BigDecimal d) {
        return Optional.of(d.longValueExact());
      }
    } catch (ArithmeticException e) {
      // a fraction, or beyond 64 bits: not a BIGINT
    }
    return Optional.empty();
  }

  private static Optional<Object> number(Object v) {
    if (v instanceof Double || v instanceof Float || v instanceof Long || v instanceof Integer
        || v instanceof Short || v instanceof Byte || v instanceof BigInteger || v instanceof BigDecimal) {
      return Optional.of(((Number) v).doubleValue());
    }
    return Optional.empty();
  }

  private static Optional<Object> timestamp(Object v) {
    try {
      return toUtc(v);
    } catch (DateTimeException e) {
      // e.g. an Instant beyond LocalDateTime's years; the caller's message says what is expected
      return Optional.empty();
    }
  }

  private static Optional<Object> toUtc(Object v) {
    if (v instanceof LocalDateTime l) {
      return Optional.of(l);
    }
    if (v instanceof Instant i) {
      return Optional.of(LocalDateTime.ofInstant(i, ZoneOffset.UTC));
    }
    if (v instanceof OffsetDateTime o) {
      return Optional.of(o.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime());
    }
    if (v instanceof ZonedDateTime z) {
      return Optional.of(z.withZoneSameInstant(ZoneOffset.UTC).toLocalDateTime());
    }
    if (v instanceof Timestamp t) {
      return Optional.of(t.toLocalDateTime());
    }
    if (v instanceof String s) {
      return parseTimestamp(s);
    }
    return Optional.empty();
  }

  /** ISO-8601 date and time, with or without an offset or zone; an offset or zone is converted to UTC. */
  private static Optional<Object> parseTimestamp(String text) {
    String iso = text;
    if (iso.length() > 11 && iso.charAt(10) == ' ') {
      iso = iso.substring(0, 10) + 'T' + iso.substring(11);
    }
    try {
      TemporalAccessor t = DateTimeFormatter.ISO_DATE_TIME.parseBest(iso, ZonedDateTime::from, LocalDateTime::from);
      if (t instanceof ZonedDateTime z) {
        return Optional.of(z.withZoneSameInstant(ZoneOffset.UTC).toLocalDateTime());
      }
      return Optional.of((LocalDateTime) t);
    } catch (DateTimeException e) {
      // the caller's message says what is expected; the parser's own text names character indexes
      return Optional.empty();
    }
  }

  private static String expected(ColumnType type) {
    return switch (type) {
      case BIGINT -> "a whole number (int or long)";
      case DOUBLE -> "a number (double, float, int or long)";
      case BOOLEAN -> "a boolean";
      case VARCHAR -> "text (a String)";
      case TIMESTAMP -> TIMESTAMP_EXPECTED;
    };
  }

  /** The value for a one-line message: text quoted, anything else with its type; long values shortened. */
  private static String describe(Object v) {
    if (v instanceof String s) {
      return "the text \"" + oneLine(s).replace("\"", "\\\"") + "\"";
    }
    return "the " + v.getClass().getSimpleName() + " " + oneLine(String.valueOf(v));
  }

  private static String oneLine(String s) {
    String shown = s.length() > 60 ? s.substring(0, 60) + "…" : s;
    return shown.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
  }

  private static String tableList() {
    return String.join(", ", SourceCatalog.heapConnect().tableNames());
  }
}
