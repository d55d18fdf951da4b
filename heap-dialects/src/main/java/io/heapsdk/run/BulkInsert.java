package io.heapsdk.run;

import io.heapsdk.source.ColumnType;
import io.heapsdk.source.SourceColumn;
import java.io.StringReader;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.List;

/**
 * The engines' own bulk paths for {@link SourceTables#insert}: DuckDB's appender and PostgreSQL's
 * {@code COPY}. JDBC batches run one statement per row on DuckDB (185k rows took minutes), and COPY is
 * several times faster than batched inserts on PostgreSQL.
 *
 * <p>Both drivers are optional at run time, so their classes are reached by reflection, found through
 * the connection's own class loader; a connection of another driver, or values these paths do not take
 * as they are (e.g. a {@code String} for a BIGINT column), go the JDBC batch way instead.
 */
final class BulkInsert {
  private BulkInsert() {}

  /** The fast path for {@code connection}, or null when it has none. */
  static Path of(Connection connection) {
    if (isWrapperFor(connection, "org.duckdb.DuckDBConnection")) {
      return new DuckDbAppender();
    }
    if (isWrapperFor(connection, "org.postgresql.PGConnection")) {
      return new PostgresCopy();
    }
    return null;
  }

  /** Whether every value is one the fast paths write exactly: the Java type of its column's type. */
  static boolean fits(List<SourceColumn> cols, List<Object[]> rows) {
    for (Object[] row : rows) {
      if (row.length != cols.size()) {
        return false;
      }
      for (int i = 0; i < row.length; i++) {
        Object v = row[i];
        if (v == null) {
          continue;
        }
        boolean ok;
        switch (cols.get(i).type()) {
          case BIGINT:
            ok = v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte;
            break;
          case DOUBLE:
            ok = v instanceof Double || v instanceof Float;
            break;
          case BOOLEAN:
            ok = v instanceof Boolean;
            break;
          case TIMESTAMP:
            // years 1–9999 only: LocalDateTime prints others with a sign, which COPY does not read
            ok = (v instanceof LocalDateTime || v instanceof Timestamp) && ordinaryYear(timestamp(v));
            break;
          case VARCHAR:
          default:
            ok = v instanceof String;
        }
        if (!ok) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean ordinaryYear(LocalDateTime t) {
    return t.getYear() >= 1 && t.getYear() <= 9999;
  }

  private static boolean isWrapperFor(Connection connection, String className) {
    try {
      Class<?> type = Class.forName(className, false, connection.getClass().getClassLoader());
      return connection.isWrapperFor(type);
    } catch (ClassNotFoundException | SQLException | LinkageError e) {
      return false;
    }
  }

  private static LocalDateTime timestamp(Object v) {
    return v instanceof Timestamp ts ? ts.toLocalDateTime() : (LocalDateTime) v;
  }

  private static SQLException unwrap(ReflectiveOperationException e) {
    Throwable cause = e instanceof InvocationTargetException ite ? ite.getCause() : e;
    return cause instanceof SQLException sql ? sql : new SQLException(String.valueOf(cause.getMessage()), cause);
  }

  /** Writes rows that {@link #fits} accepted into a table, all or nothing within the caller's transaction. */
  interface Path {
    /** What an error message shows as the statement. */
    String describe(Target target);

    void write(Connection connection, Target target, List<SourceColumn> cols, List<Object[]> rows)
        throws SQLException;
  }

  /**
   * A source table: its unquoted parts for DuckDB's appender, its quoted name and columns for SQL.
   *
   * @param catalog the database, or null when the config names none
   */
  record Target(String catalog, String schema, String table, String qualified, List<String> quotedColumns) {}

  /**
   * DuckDB's appender: rows go straight into the table's column vectors. It fills the table's columns in
   * table order, which {@link SourceTables#create} made the catalog order; the caller checks that.
   */
  static final class DuckDbAppender implements Path {
    @Override
    public String describe(Target target) {
      return "(DuckDB appender into " + target.qualified() + ")";
    }

    @Override
    public void write(Connection connection, Target target, List<SourceColumn> cols, List<Object[]> rows)
        throws SQLException {
      String catalog = target.catalog();
      try {
        ClassLoader loader = connection.getClass().getClassLoader();
        Class<?> connType = Class.forName("org.duckdb.DuckDBConnection", false, loader);
        Object duck = connection.unwrap(connType);
        Object appender =
            catalog == null
                ? connType.getMethod("createAppender", String.class, String.class).invoke(duck, target.schema(), target.table())
                : connType
                    .getMethod("createAppender", String.class, String.class, String.class)
                    .invoke(duck, catalog, target.schema(), target.table());
        Class<?> a = appender.getClass();
        Method beginRow = a.getMethod("beginRow");
        Method endRow = a.getMethod("endRow");
        Method appendNull = a.getMethod("appendNull");
        Method appendLong = a.getMethod("append", long.class);
        Method appendDouble = a.getMethod("append", double.class);
        Method appendBoolean = a.getMethod("append", boolean.class);
        Method appendString = a.getMethod("append", String.class);
        Method appendTimestamp = a.getMethod("append", LocalDateTime.class);
        Method close = a.getMethod("close");
        boolean closed = false;
        try {
          ColumnType[] types = new ColumnType[cols.size()];
          for (int i = 0; i < types.length; i++) {
            types[i] = cols.get(i).type();
          }
          for (Object[] row : rows) {
            beginRow.invoke(appender);
            for (int i = 0; i < row.length; i++) {
              Object v = row[i];
              if (v == null) {
                appendNull.invoke(appender);
                continue;
              }
              switch (types[i]) {
                case BIGINT:
                  appendLong.invoke(appender, ((Number) v).longValue());
                  break;
                case DOUBLE:
                  appendDouble.invoke(appender, ((Number) v).doubleValue());
                  break;
                case BOOLEAN:
                  appendBoolean.invoke(appender, v);
                  break;
                case TIMESTAMP:
                  appendTimestamp.invoke(appender, timestamp(v));
                  break;
                case VARCHAR:
                default:
                  appendString.invoke(appender, v);
              }
            }
            endRow.invoke(appender);
          }
          // close flushes what is left; a failure there is the load's failure
          closed = true;
          close.invoke(appender);
        } finally {
          if (!closed) {
            try {
              close.invoke(appender);
            } catch (ReflectiveOperationException | RuntimeException e) {
              // the first failure is the one worth reporting
            }
          }
        }
      } catch (ReflectiveOperationException e) {
        throw unwrap(e);
      }
    }
  }

  /** PostgreSQL's {@code COPY … FROM STDIN} in CSV, through the driver's CopyManager. */
  static final class PostgresCopy implements Path {
    @Override
    public String describe(Target target) {
      return "COPY " + target.qualified() + " (" + String.join(", ", target.quotedColumns()) + ") FROM STDIN (FORMAT csv)";
    }

    @Override
    public void write(Connection connection, Target target, List<SourceColumn> cols, List<Object[]> rows)
        throws SQLException {
      StringBuilder csv = new StringBuilder(rows.size() * 64);
      for (Object[] row : rows) {
        for (int i = 0; i < row.length; i++) {
          if (i > 0) {
            csv.append(',');
          }
          Object v = row[i];
          if (v == null) {
            continue; // an unquoted empty field is NULL in CSV; an empty string is written quoted
          }
          switch (cols.get(i).type()) {
            case TIMESTAMP:
              // ISO 8601 with every fractional digit; PostgreSQL reads the 'T' form as it does a space
              csv.append(timestamp(v));
              break;
            case VARCHAR:
              quote(csv, (String) v);
              break;
            case DOUBLE:
              // Java's shortest round-trip form (1.0E-5, NaN, Infinity): float8in reads each exactly
              csv.append(((Number) v).doubleValue());
              break;
            default:
              csv.append(v);
          }
        }
        csv.append('\n');
      }
      try {
        ClassLoader loader = connection.getClass().getClassLoader();
        Class<?> pgType = Class.forName("org.postgresql.PGConnection", false, loader);
        Object pg = connection.unwrap(pgType);
        Object copy = pgType.getMethod("getCopyAPI").invoke(pg);
        copy.getClass()
            .getMethod("copyIn", String.class, java.io.Reader.class)
            .invoke(copy, describe(target), new StringReader(csv.toString()));
      } catch (ReflectiveOperationException e) {
        throw unwrap(e);
      }
    }

    private static void quote(StringBuilder csv, String s) {
      csv.append('"');
      for (int i = 0; i < s.length(); i++) {
        char ch = s.charAt(i);
        if (ch == '"') {
          csv.append('"');
        }
        csv.append(ch);
      }
      csv.append('"');
    }
  }
}
