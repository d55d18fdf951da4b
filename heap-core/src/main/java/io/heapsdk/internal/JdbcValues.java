package io.heapsdk.internal;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Calendar;
import java.util.Optional;
import java.util.TimeZone;

/** Reading values of rows heap shows or compares. Not part of the API: the library calls it itself. */
public final class JdbcValues {
  private static final Calendar UTC = Calendar.getInstance(TimeZone.getTimeZone(ZoneOffset.UTC));

  private JdbcValues() {}

  /**
   * Column {@code column} of {@code rs}'s current row, described by {@code md}: a {@code TIMESTAMP}
   * (without a zone, as every Heap time is) as the {@link LocalDateTime} stored ({@link #time}).
   * {@code getObject} gives a {@link java.sql.Timestamp}, an instant the driver makes in the JVM's time
   * zone: in a zone with daylight saving a time of the skipped hour (02:30 on a March Sunday in New
   * York) came back an hour later, and a failing test's sample showed a time no row has.
   */
  public static Object value(ResultSet rs, ResultSetMetaData md, int column) throws SQLException {
    return md.getColumnType(column) == Types.TIMESTAMP ? time(rs, column).orElse(null) : rs.getObject(column);
  }

  /**
   * A time column as the UTC wall-clock time it holds. A driver that cannot give a {@link LocalDateTime}
   * (PostgreSQL's for a {@code timestamptz}, which it reports as {@code TIMESTAMP}; Snowflake's, whose
   * {@code getObject(int, Class)} is not supported) gives it through a UTC calendar: the instant's time
   * in UTC, Heap's wall clock.
   */
  public static Optional<LocalDateTime> time(ResultSet rs, int column) throws SQLException {
    try {
      return Optional.ofNullable(rs.getObject(column, LocalDateTime.class));
    } catch (SQLException | RuntimeException e) {
      Timestamp t = rs.getTimestamp(column, (Calendar) UTC.clone());
      return Optional.ofNullable(t).map(v -> LocalDateTime.ofInstant(v.toInstant(), ZoneOffset.UTC));
    }
  }
}
