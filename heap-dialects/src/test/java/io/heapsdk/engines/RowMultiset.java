package io.heapsdk.engines;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The rows of a query as a multiset of engine-neutral text lines, so results from different engines
 * compare equal exactly when they hold the same values: column names in lower case, timestamps as ISO
 * text with microseconds, numbers in one canonical decimal form whatever their SQL type (DuckDB sums
 * into HUGEINT, PostgreSQL into BIGINT or NUMERIC), booleans as {@code true}/{@code false}, text
 * quoted, NULL as {@code NULL}.
 */
record RowMultiset(String what, Map<String, Integer> counts) {
  private static final DateTimeFormatter MICROS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS");

  static RowMultiset of(Connection c, String what, String sql) {
    Map<String, Integer> counts = new TreeMap<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      ResultSetMetaData md = rs.getMetaData();
      List<String> labels = new ArrayList<>();
      for (int i = 1; i <= md.getColumnCount(); i++) {
        labels.add(md.getColumnLabel(i));
      }
      while (rs.next()) {
        Object[] values = new Object[labels.size()];
        for (int i = 1; i <= values.length; i++) {
          values[i - 1] =
              md.getColumnType(i) == Types.TIMESTAMP
                  ? rs.getObject(i, LocalDateTime.class)
                  : md.getColumnType(i) == Types.DATE ? rs.getObject(i, LocalDate.class) : rs.getObject(i);
        }
        counts.merge(line(labels, values), 1, Integer::sum);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(what + ": " + sql, e);
    }
    return new RowMultiset(what, counts);
  }

  /** Rows read by other means than JDBC (Spark): timestamps as {@link LocalDateTime}, dates as {@link LocalDate}. */
  static RowMultiset of(String what, List<String> labels, List<Object[]> rows) {
    Map<String, Integer> counts = new TreeMap<>();
    rows.forEach(values -> counts.merge(line(labels, values), 1, Integer::sum));
    return new RowMultiset(what, counts);
  }

  private static String line(List<String> labels, Object[] values) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < values.length; i++) {
      line.append(i == 0 ? "" : " | ").append(labels.get(i).toLowerCase(Locale.ROOT)).append('=').append(text(values[i]));
    }
    return line.toString();
  }

  static String text(Object v) {
    if (v == null) {
      return "NULL";
    } else if (v instanceof LocalDateTime t) {
      return MICROS.format(t);
    } else if (v instanceof LocalDate d) {
      return d.toString();
    } else if (v instanceof Boolean b) {
      return b.toString();
    } else if (v instanceof Number n) {
      String s = n.toString();
      return s.equals("NaN") || s.contains("Infinity") ? s : new BigDecimal(s).stripTrailingZeros().toPlainString();
    } else if (v instanceof String s) {
      return "'" + s + "'";
    }
    throw new IllegalStateException("no canonical text for a " + v.getClass().getName() + ": " + v);
  }

  int size() {
    return counts.values().stream().mapToInt(Integer::intValue).sum();
  }

  /** The rows of this multiset that {@code other} lacks (counting duplicates), at most {@code limit}. */
  List<String> missingFrom(RowMultiset other, int limit) {
    List<String> missing = new ArrayList<>();
    for (Map.Entry<String, Integer> e : counts.entrySet()) {
      int extra = e.getValue() - other.counts.getOrDefault(e.getKey(), 0);
      for (int k = 0; k < extra && missing.size() < limit; k++) {
        missing.add(e.getKey());
      }
    }
    return missing;
  }

  /** How many of this multiset's rows {@code other} lacks, counting duplicates. */
  int countMissingFrom(RowMultiset other) {
    int n = 0;
    for (Map.Entry<String, Integer> e : counts.entrySet()) {
      n += Math.max(0, e.getValue() - other.counts.getOrDefault(e.getKey(), 0));
    }
    return n;
  }
}
