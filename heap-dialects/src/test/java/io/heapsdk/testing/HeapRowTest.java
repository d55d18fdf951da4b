package io.heapsdk.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.source.ColumnType;
import io.heapsdk.source.PassThroughColumn;
import io.heapsdk.source.SourceCatalog;
import io.heapsdk.warehouse.Warehouses;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** HeapRow's conversions to the column types, and its one-line errors naming the table and column. */
class HeapRowTest {
  private static final SourceCatalog CATALOG = SourceCatalog.heapConnect();
  private static final String TIMESTAMP_EXPECTED =
      "expected a timestamp (ISO-8601 like 2024-01-10T10:00:00 or 2024-01-10T10:00:00Z,"
          + " or Instant/OffsetDateTime/ZonedDateTime/LocalDateTime/java.sql.Timestamp)";

  /** A pageview with its NOT NULL columns set and {@code time} as given; position 3 is time. */
  private static Object storedTime(Object time) {
    return pageview().set("time", time).toArray(CATALOG)[3];
  }

  private static HeapRow pageview() {
    return HeapRow.of("pageviews").set("event_id", 1).set("user_id", 10).set("session_id", 100);
  }

  @Test
  void timesWithAZoneAreStoredInUtc() {
    LocalDateTime ten = LocalDateTime.of(2024, 1, 10, 10, 0);
    assertThat(storedTime("2024-01-10T10:00:00Z")).isEqualTo(ten);
    assertThat(storedTime("2024-01-10T12:00:00+02:00")).isEqualTo(ten);
    // 22:00 at UTC-5 is 03:00 the next day in UTC
    assertThat(storedTime("2024-01-09T22:00:00-05:00")).isEqualTo(LocalDateTime.of(2024, 1, 10, 3, 0));
    // Paris is UTC+1 in January
    assertThat(storedTime("2024-01-10T11:00:00+01:00[Europe/Paris]")).isEqualTo(ten);
    assertThat(storedTime(Instant.parse("2024-01-10T10:00:00Z"))).isEqualTo(ten);
    assertThat(storedTime(OffsetDateTime.of(2024, 1, 10, 19, 0, 0, 0, ZoneOffset.ofHours(9)))).isEqualTo(ten);
    // Berlin is UTC+2 in July (summer time)
    assertThat(storedTime(ZonedDateTime.of(2024, 7, 10, 12, 0, 0, 0, ZoneId.of("Europe/Berlin"))))
        .isEqualTo(LocalDateTime.of(2024, 7, 10, 10, 0));
    assertThat(storedTime("2024-01-10T10:00:00.123456Z")).isEqualTo(LocalDateTime.of(2024, 1, 10, 10, 0, 0, 123_456_000));
  }

  @Test
  void timesWithoutAZoneAreTakenAsUtcAlready() {
    LocalDateTime ten = LocalDateTime.of(2024, 1, 10, 10, 0);
    assertThat(storedTime("2024-01-10T10:00:00")).isEqualTo(ten);
    assertThat(storedTime("2024-01-10T10:00")).isEqualTo(ten);
    assertThat(storedTime("2024-01-10 10:00:00")).isEqualTo(ten);
    assertThat(storedTime(ten)).isEqualTo(ten);
    // by its wall-clock fields, whatever the JVM's zone: what JDBC stores in a column without a zone
    assertThat(storedTime(Timestamp.valueOf("2024-01-10 10:00:00"))).isEqualTo(ten);
  }

  @Test
  void wholeNumbersOfAnyIntegralTypeAreBigints() {
    Object[] row =
        HeapRow.of("sessions")
            .set("session_id", BigInteger.valueOf(9_007_199_254_740_993L)) // 2^53 + 1: no trip through double
            .set("user_id", new BigDecimal("12.000"))
            .set("time", "2024-01-10T10:00:00")
            .toArray(CATALOG);
    assertThat(row[0]).isEqualTo(9_007_199_254_740_993L);
    assertThat(row[1]).isEqualTo(12L);
    assertThat(HeapRow.of("users").set("user_id", (short) 7).toArray(CATALOG)[0]).isEqualTo(7L);
    assertThat(HeapRow.of("users").set("user_id", (byte) 7).toArray(CATALOG)[0]).isEqualTo(7L);
    assertThat(HeapRow.of("users").set("user_id", 7).toArray(CATALOG)[0]).isEqualTo(7L);
    assertThat(HeapRow.of("users").set("user_id", 7L).toArray(CATALOG)[0]).isEqualTo(7L);
  }

  @Test
  void passThroughPropertiesTakeTheirOwnTypes() {
    HeapConfig config =
        HeapConfig.builder()
            .addPageviewProperties(new PassThroughColumn("score", ColumnType.DOUBLE))
            .addPageviewProperties(new PassThroughColumn("is_test", ColumnType.BOOLEAN))
            .addPageviewProperties(new PassThroughColumn("seen_at", ColumnType.TIMESTAMP))
            .build();
    Object[] row = pageview().set("score", 3).set("is_test", true).set("seen_at", "2024-01-10T10:00:00Z").toArray(config.catalog());
    // ten built-in pageview columns, then the properties in config order
    assertThat(row).hasSize(13);
    assertThat(row[10]).isEqualTo(3.0);
    assertThat(row[11]).isEqualTo(true);
    assertThat(row[12]).isEqualTo(LocalDateTime.of(2024, 1, 10, 10, 0));
    assertThatThrownBy(() -> pageview().set("is_test", "yes").toArray(config.catalog()))
        .hasMessage("pageviews.is_test: expected a boolean, got the text \"yes\"");
    assertThatThrownBy(() -> pageview().set("score", "3.5").toArray(config.catalog()))
        .hasMessage("pageviews.score: expected a number (double, float, int or long), got the text \"3.5\"");
  }

  @ParameterizedTest
  @ValueSource(strings = {"yesterday", "2024-01-10", "2024-02-30T10:00:00", "2024-01-10T25:00:00Z", "10:00", ""})
  void textThatIsNotATimestampNamesTheColumn(String text) {
    assertThatThrownBy(() -> storedTime(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("pageviews.time: " + TIMESTAMP_EXPECTED + ", got the text \"" + text + "\"")
        .hasNoCause();
  }

  @Test
  void otherBadValuesSayWhatWasExpected() {
    assertThatThrownBy(() -> storedTime(LocalDate.of(2024, 1, 10)))
        .hasMessage("pageviews.time: " + TIMESTAMP_EXPECTED + ", got the LocalDate 2024-01-10");
    assertThatThrownBy(() -> HeapRow.of("sessions").set("session_id", "abc").toArray(CATALOG))
        .hasMessage("sessions.session_id: expected a whole number (int or long), got the text \"abc\"");
    assertThatThrownBy(() -> HeapRow.of("users").set("user_id", 1.5).toArray(CATALOG))
        .hasMessage("users.user_id: expected a whole number (int or long), got the Double 1.5");
    assertThatThrownBy(() -> HeapRow.of("users").set("user_id", new BigDecimal("1.5")).toArray(CATALOG))
        .hasMessage("users.user_id: expected a whole number (int or long), got the BigDecimal 1.5");
    assertThatThrownBy(() -> HeapRow.of("users").set("user_id", BigInteger.TWO.pow(63)).toArray(CATALOG))
        .hasMessage("users.user_id: expected a whole number (int or long), got the BigInteger 9223372036854775808");
    assertThatThrownBy(() -> pageview().set("path", 5).toArray(CATALOG))
        .hasMessage("pageviews.path: expected text (a String), got the Integer 5");
    // one line, quotes escaped, long text shortened
    assertThatThrownBy(() -> storedTime("next\n\"monday\""))
        .hasMessage("pageviews.time: " + TIMESTAMP_EXPECTED + ", got the text \"next\\n\\\"monday\\\"\"");
    assertThatThrownBy(() -> storedTime("x".repeat(100)))
        .hasMessage("pageviews.time: " + TIMESTAMP_EXPECTED + ", got the text \"" + "x".repeat(60) + "…\"");
  }

  @Test
  void unknownTablesAndColumnsListTheValidNames() {
    assertThatThrownBy(() -> HeapRow.of("pageview").set("event_id", 1).toArray(CATALOG))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no Heap table \"pageview\"; tables are users, sessions, pageviews, all_events, user_migrations");
    assertThatThrownBy(() -> HeapRow.of("users").set("user_id", 1).set("join_date", "2024-01-10T10:00:00").toArray(CATALOG))
        .hasMessage("users.join_date: no such column; the columns of users are user_id, joindate, last_modified, identity");
    assertThatThrownBy(() -> HeapRow.of("user_migrations").set("from", 1).set("to", 2).toArray(CATALOG))
        .hasMessage("user_migrations: no columns from, to; the columns of user_migrations are from_user_id, to_user_id, time");
  }

  @Test
  void aRowWithoutANotNullColumnIsRefusedNamingIt() {
    // sessions: session_id, user_id and time are NOT NULL in the catalog
    assertThatThrownBy(() -> HeapRow.of("sessions").set("session_id", 100).toArray(CATALOG))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("sessions: user_id, time are NOT NULL in Heap Connect but the row leaves them unset; set them with HeapRow.set");
    // set to null explicitly is the same
    assertThatThrownBy(() -> pageview().set("user_id", null).toArray(CATALOG))
        .hasMessage("pageviews: user_id is NOT NULL in Heap Connect but the row leaves it unset; set it with HeapRow.set");
    assertThatThrownBy(() -> HeapRow.of("all_events").set("event_id", 1).set("user_id", 10).set("session_id", 100).set("time", "2024-01-10T10:00:00").toArray(CATALOG))
        .hasMessage("all_events: event_table_name is NOT NULL in Heap Connect but the row leaves it unset; set it with HeapRow.set");
    assertThatThrownBy(() -> HeapRow.of("user_migrations").toArray(CATALOG))
        .hasMessage("user_migrations: from_user_id, to_user_id are NOT NULL in Heap Connect but the row leaves them unset; set them with HeapRow.set");
    // a pageview's time may be NULL in Heap Connect: accepted
    assertThat(pageview().toArray(CATALOG)[3]).isNull();
  }

  @Test
  void insertStoresTheConvertedValuesAndRefusesABadRowWhole() throws SQLException {
    try (HeapTestDatabase db = HeapTestDatabase.create(HeapConfig.builder().build())) {
      db.insert(
          pageview().set("event_id", 1).set("time", "2024-01-10T12:30:00+02:00"),
          pageview().set("event_id", 2).set("time", Instant.parse("2024-01-10T23:59:59Z")));
      assertThat(times(db)).containsExactly(LocalDateTime.of(2024, 1, 10, 10, 30), LocalDateTime.of(2024, 1, 10, 23, 59, 59));

      // the second row lacks session_id: neither row goes in
      assertThatThrownBy(
              () ->
                  db.insert(
                      pageview().set("event_id", 3).set("time", "2024-01-11T10:00:00Z"),
                      HeapRow.of("pageviews").set("event_id", 4).set("user_id", 10)))
          .hasMessage("pageviews: session_id is NOT NULL in Heap Connect but the row leaves it unset; set it with HeapRow.set");
      assertThat(times(db)).hasSize(2);
    }
  }

  private static List<LocalDateTime> times(HeapTestDatabase db) throws SQLException {
    HeapConfig c = db.config();
    String sql =
        "SELECT " + Warehouses.H2.quote("time") + " FROM "
            + Warehouses.H2.qualified(c.sourceDatabase(), c.sourceSchema(), "pageviews") + " ORDER BY 1";
    List<LocalDateTime> times = new ArrayList<>();
    try (Statement s = db.connection().createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        times.add(rs.getObject(1, LocalDateTime.class));
      }
    }
    return times;
  }
}
