package io.heapsdk.engines;

import static io.heapsdk.testing.Rows.session;
import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.Exprs;
import io.heapsdk.model.HeapProject;
import io.heapsdk.model.ProjectPlan;
import io.heapsdk.run.JdbcRunner;
import io.heapsdk.run.SourceTables;
import io.heapsdk.testing.Rows;
import io.heapsdk.warehouse.SqlRenderer;
import io.heapsdk.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.TreeMap;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.tools.RelBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Date arithmetic and epoch seconds on every engine we run, against values computed in Java: whole
 * seconds rounded down (before 1970 too, where truncating and rounding both differ from flooring),
 * microseconds kept, days added and subtracted by a literal and by an expression (the renderers'
 * two forms of interval arithmetic). The times include the hour a daylight-saving clock skips and the
 * one it repeats.
 */
class TimeArithmeticTest {
  private static final HeapConfig CONFIG = HeapConfig.defaults();

  private static final List<String> TIMES =
      List.of(
          "1969-12-31T23:59:59.750", "1969-12-31T23:59:59", "1900-01-01T00:00:00.000001", "2024-01-01T00:00:00",
          "2024-02-29T12:00:00.123456", "2024-03-10T01:59:59.999", "2024-03-10T02:30:00", "2024-11-03T01:30:00", "2024-10-27T00:30:00.5", "2037-12-31T23:59:59.999999");

  @ParameterizedTest
  @EnumSource(Engine.class)
  void matchesJavaTimeArithmetic(Engine engine) throws SQLException {
    try (Connection c = engine.open()) {
      check(engine, c);
    }
  }

  /**
   * A host JVM whose default zone is not UTC, here one with daylight saving time: Heap's times have no
   * zone, so the hour a US clock skips (2024-03-10 02:30) and the one it repeats (2024-11-03 01:30)
   * must come back as they went in, loaded, computed and read. A conversion through {@code
   * java.sql.Timestamp} and the default zone anywhere (loading, the drivers, reading) would move the
   * first by an hour. The zone is set before the connection opens: PostgreSQL's driver sends it as the
   * session's time zone then.
   */
  @ParameterizedTest
  @EnumSource(Engine.class)
  void aHostInAnotherTimeZoneChangesNoTime(Engine engine) throws SQLException {
    TimeZone host = TimeZone.getDefault();
    TimeZone.setDefault(TimeZone.getTimeZone("America/Los_Angeles"));
    try (Connection c = engine.open()) {
      check(engine, c);
    } finally {
      TimeZone.setDefault(host);
    }
  }

  /**
   * H2 counts epoch seconds with DATEDIFF from a TIMESTAMP literal: the same whole seconds in a
   * session whose time zone is not UTC (Heap's times have no zone; nothing may convert them).
   */
  @Test
  void h2EpochSecondsIgnoreTheSessionTimeZone() throws SQLException {
    try (Connection c = Engine.H2.open()) {
      try (Statement s = c.createStatement()) {
        s.execute("SET TIME ZONE 'America/Los_Angeles'");
      }
      check(Engine.H2, c);
    }
  }

  private static void check(Engine engine, Connection c) throws SQLException {
    Warehouse w = engine.warehouse();
    HeapProject project = HeapProject.empty(CONFIG);
    project
        .model("session_times")
        .plan(
            ctx -> {
              RelBuilder b = ctx.source("sessions");
              return b.project(
                      b.field("session_id"),
                      b.alias(Exprs.epochSeconds(b, b.field("time")), "epoch"),
                      b.alias(Exprs.addDays(b, b.field("time"), -14), "minus_14_days"),
                      b.alias(Exprs.addMinutes(b, b.field("time"), 30), "plus_30_minutes"),
                      b.alias(
                          b.call(
                              SqlStdOperatorTable.TIMESTAMP_ADD,
                              b.getRexBuilder().makeFlag(org.apache.calcite.avatica.util.TimeUnit.DAY),
                              b.call(SqlStdOperatorTable.CHAR_LENGTH, b.field("library")),
                              b.field("time")),
                          "plus_library_days"))
                  .build();
            });
    ProjectPlan plan = project.plan();
    List<Object[]> sessions = new ArrayList<>();
    for (int i = 0; i < TIMES.size(); i++) {
      sessions.add(session(i + 1, 100 + i, TIMES.get(i), null, null, null, null));
    }
    sessions.add(session(99, 199, null, null, null, null, null));
    SourceTables sources = new SourceTables(w, CONFIG);
    sources.create(c);
    sources.insert(c, "sessions", sessions);
    new JdbcRunner(w).run(plan, c);
    RowMultiset actual =
        RowMultiset.of(c, engine + " session_times", "SELECT * FROM " + new SqlRenderer(w, plan).tableName("session_times"));
    assertThat(actual.counts()).isEqualTo(expected());
  }

  /** The same columns computed with java.time, in {@link RowMultiset}'s text. */
  private static Map<String, Integer> expected() {
    Map<String, Integer> rows = new TreeMap<>();
    for (int i = 0; i < TIMES.size(); i++) {
      LocalDateTime t = Rows.at(TIMES.get(i));
      // "web" is the library Rows.session writes: three days
      rows.put(
          line(i + 1, t.toEpochSecond(ZoneOffset.UTC), t.minusDays(14), t.plusMinutes(30), t.plusDays(3)), 1);
    }
    rows.put(line(99, null, null, null, null), 1);
    return rows;
  }

  private static String line(long id, Long epoch, LocalDateTime minus14, LocalDateTime plus30, LocalDateTime plusLibrary) {
    return "session_id=" + id
        + " | epoch=" + RowMultiset.text(epoch)
        + " | minus_14_days=" + RowMultiset.text(minus14)
        + " | plus_30_minutes=" + RowMultiset.text(plus30)
        + " | plus_library_days=" + RowMultiset.text(plusLibrary);
  }
}
