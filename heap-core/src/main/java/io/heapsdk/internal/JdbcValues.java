package io.heapsdk.internal;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDateTime;

/** Reading values of rows heap shows or compares. Not part of the API: the library calls it itself. */
public final class JdbcValues {
  private JdbcValues() {}

  /**
   * Column {@code column} of {@code rs}'s current row, described by {@code md}: a {@code TIMESTAMP}
   * (without a zone, as every Heap time is) as the {@link LocalDateTime} stored. {@code getObject} gives
   * a {@link java.sql.Timestamp}, an instant the driver makes in the JVM's time zone: in a zone with
   * daylight saving a time of the skipped hour (02:30 on a March Sunday in New York) came back an hour
   * later, and a failing test's sample showed a time no row has.
   */
  public static Object value(ResultSet rs, ResultSetMetaData md, int column) throws SQLException {
    return md.getColumnType(column) == Types.TIMESTAMP ? rs.getObject(column, LocalDateTime.class) : rs.getObject(column);
  }
}
