package io.heapsdk.engines;

import static io.heapsdk.testing.Rows.event;
import static io.heapsdk.testing.Rows.session;
import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.ProjectPlan;
import io.heapsdk.run.JdbcRunner;
import io.heapsdk.run.SourceTables;
import io.heapsdk.testing.ActivityModels;
import io.heapsdk.testing.Rows;
import io.heapsdk.warehouse.SqlRenderer;
import io.heapsdk.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.DayOfWeek;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The portable expressions custom models use ({@code Exprs.truncate}, {@code date}, {@code isIn},
 * {@code coalesce}, {@code safeDivide}, {@code countDistinct}) give, on every engine we run, the values
 * java.time and a hand count give: weeks start on Monday (a Sunday just before midnight stays in the
 * week before), quarters, a leap day, the turn of a year, microseconds, before 1970, and NULL times.
 */
class PortableExprsTest {
  private static final HeapConfig CONFIG =
      HeapConfig.builder().funnelEvents(List.of("view", "purchase")).conversionEvents(List.of("purchase")).build();

  /** Session id → start time (UTC); 9 has none. */
  private static final Map<Long, String> STARTS =
      Map.of(
          1L, "2024-01-07T23:59:59.999999", // a Sunday
          2L, "2024-01-07T10:00:00",
          3L, "2024-01-07T12:00:00",
          4L, "2024-01-08T00:00:00", // the Monday after
          5L, "2024-01-08T05:30:00",
          6L, "2023-12-31T23:00:00", // a Sunday, last day of a quarter and a year
          7L, "2024-02-29T12:34:56.5",
          8L, "1969-12-29T06:00:00"); // a Monday before 1970

  @ParameterizedTest
  @EnumSource(Engine.class)
  void customModelExpressionsMatchHandValues(Engine engine) throws SQLException {
    Warehouse w = engine.warehouse();
    ProjectPlan plan = ActivityModels.project(CONFIG).plan();
    try (Connection c = engine.open()) {
      SourceTables sources = new SourceTables(w, CONFIG);
      sources.create(c);
      sources.insert(c, "sessions", sessions());
      sources.insert(
          c,
          "all_events",
          List.of(
              event(101, 1, 1, "2024-01-07T23:59:59.999999", "view"),
              event(102, 1, 1, "2024-01-07T23:59:59.999999", "view"),
              event(103, 1, 1, "2024-01-07T23:59:59.999999", "purchase"),
              event(104, 2, 3, "2024-01-07T12:00:01", "view"),
              event(105, 2, 3, "2024-01-07T12:00:02", "purchase"),
              event(106, 2, 3, "2024-01-07T12:00:03", "purchase"),
              event(107, 4, 6, "2023-12-31T23:00:01", "purchase")));
      new JdbcRunner(w).run(plan, c);
      SqlRenderer r = new SqlRenderer(w, plan);
      assertThat(RowMultiset.of(c, engine + " session_periods", "SELECT * FROM " + r.tableName("session_periods")).counts())
          .isEqualTo(expectedPeriods());
      assertThat(RowMultiset.of(c, engine + " daily_active_users", "SELECT * FROM " + r.tableName("daily_active_users")).counts())
          .isEqualTo(expectedDailyActiveUsers());
    }
  }

  private static List<Object[]> sessions() {
    String google = "https://www.google.com/";
    List<Object[]> rows = new ArrayList<>();
    rows.add(session(1, 1, STARTS.get(1L), null, null, null, null)); // Direct
    rows.add(session(2, 1, STARTS.get(2L), null, null, null, null));
    rows.add(session(3, 2, STARTS.get(3L), google, null, "google", "cpc")); // Paid Google Search
    rows.add(session(4, 3, STARTS.get(4L), null, null, null, null));
    rows.add(session(5, 2, STARTS.get(5L), null, null, null, null));
    rows.add(session(6, 4, STARTS.get(6L), null, null, null, null));
    rows.add(session(7, 5, STARTS.get(7L), google, null, "google", "cpc"));
    rows.add(session(8, 6, STARTS.get(8L), null, null, null, null));
    rows.add(session(9, 7, null, null, null, null, null));
    return rows;
  }

  /** session_periods: truncations by java.time; paid and utm_source from the rows above. */
  private static Map<String, Integer> expectedPeriods() {
    Map<String, Integer> rows = new TreeMap<>();
    for (long id = 1; id <= 9; id++) {
      String start = STARTS.get(id);
      boolean paid = id == 3 || id == 7;
      StringBuilder line = new StringBuilder("heap_session_id=" + id);
      if (start == null) {
        for (String c : List.of("hour", "day", "week", "month", "quarter", "year")) {
          line.append(" | start_").append(c).append("=NULL");
        }
        line.append(" | start_date=NULL");
      } else {
        LocalDateTime t = Rows.at(start);
        LocalDateTime day = t.truncatedTo(ChronoUnit.DAYS);
        LocalDateTime month = day.withDayOfMonth(1);
        line.append(" | start_hour=").append(RowMultiset.text(t.truncatedTo(ChronoUnit.HOURS)))
            .append(" | start_day=").append(RowMultiset.text(day))
            .append(" | start_week=").append(RowMultiset.text(day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY))))
            .append(" | start_month=").append(RowMultiset.text(month))
            .append(" | start_quarter=").append(RowMultiset.text(month.withMonth((month.getMonthValue() - 1) / 3 * 3 + 1)))
            .append(" | start_year=").append(RowMultiset.text(day.withDayOfYear(1)))
            .append(" | start_date=").append(t.toLocalDate());
      }
      // views per purchase, by hand from the events: session 1 2/1, 3 1/2, 6 0/1; no purchase: NULL
      String perConversion = id == 1 ? "2" : id == 3 ? "0.5" : id == 6 ? "0" : "NULL";
      line.append(" | is_paid=").append(paid)
          .append(" | utm_source=").append(paid ? "'google'" : "'(none)'")
          .append(" | first_steps_per_conversion=").append(perConversion);
      rows.put(line.toString(), 1);
    }
    return rows;
  }

  /**
   * By hand: 2024-01-07 Direct has user 1's sessions 1 (a purchase) and 2: 1 user, 2 sessions, 1/2
   * converting; Paid Google Search has user 2's session 3 (purchases): 1, 1, 1. 2024-01-08 Direct: users
   * 3 and 2, 2 sessions, none converting. 2023-12-31: user 4's converting session. 2024-02-29 and
   * 1969-12-29: one session each, not converting. Session 9 has no time: its own NULL day.
   */
  private static Map<String, Integer> expectedDailyActiveUsers() {
    Map<String, Integer> rows = new TreeMap<>();
    rows.put(dau("2024-01-07", "Direct", 1, 2, "0.5"), 1);
    rows.put(dau("2024-01-07", "Paid Google Search", 1, 1, "1"), 1);
    rows.put(dau("2024-01-08", "Direct", 2, 2, "0"), 1);
    rows.put(dau("2023-12-31", "Direct", 1, 1, "1"), 1);
    rows.put(dau("2024-02-29", "Paid Google Search", 1, 1, "0"), 1);
    rows.put(dau("1969-12-29", "Direct", 1, 1, "0"), 1);
    rows.put(dau(null, "Direct", 1, 1, "0"), 1);
    return rows;
  }

  private static String dau(String date, String channel, int users, int sessions, String rate) {
    return "activity_date=" + (date == null ? "NULL" : date)
        + " | channel='" + channel + "'"
        + " | active_users=" + users
        + " | sessions=" + sessions
        + " | conversion_rate=" + rate;
  }
}
