package io.heapsdk.analysis;

import static io.heapsdk.testing.Rows.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.run.AnalysisRunner;
import io.heapsdk.run.JdbcRunner;
import io.heapsdk.run.SourceTables;
import io.heapsdk.testing.LocalEngines;
import io.heapsdk.warehouse.Warehouse;
import java.sql.Connection;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Analyses on another zone's calendar ({@code timeZone}, the CLI's {@code --time-zone}): date ranges,
 * trend periods and retention cohorts follow the days of Paris around the night its clocks go forward
 * (2024-03-31, 01:00 UTC: CET, UTC+1, becomes CEST, UTC+2), worked out by hand from the UTC times below,
 * on H2, DuckDB and PostgreSQL (each converts times its own way: an offset added on H2, {@code AT TIME
 * ZONE} on the other two). The same analyses in UTC, the default, count UTC days.
 */
class AnalysisTimeZoneTest {
  private static final HeapConfig CONFIG = HeapConfig.builder().funnelEvents(List.of("a", "b")).build();
  private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

  /**
   * Step a of each user, in UTC and in Paris:
   * <pre>
   *   user 1  03-30 22:30  → 03-30 23:30 (CET)    its b at 03-30 23:30 → 03-31 00:30
   *   user 5  03-30 23:00  → 03-31 00:00 (CET)    Paris's midnight exactly
   *   user 2  03-31 00:30  → 03-31 01:30 (CET)    its b at 03-31 02:00 → 03-31 04:00 (CEST)
   *   user 4  03-31 21:30  → 03-31 23:30 (CEST)
   *   user 3  03-31 22:30  → 04-01 00:30 (CEST)
   * </pre>
   */
  private static final Object[][] EVENTS = {
    event(1, 1, 1, "2024-03-30T22:30:00", "a"), event(2, 1, 1, "2024-03-30T23:30:00", "b"),
    event(3, 5, 5, "2024-03-30T23:00:00", "a"),
    event(4, 2, 2, "2024-03-31T00:30:00", "a"), event(5, 2, 2, "2024-03-31T02:00:00", "b"),
    event(6, 4, 4, "2024-03-31T21:30:00", "a"),
    event(7, 3, 3, "2024-03-31T22:30:00", "a"),
  };

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"h2", "duckdb", "postgres"})
  void daysAndRangesFollowTheZonesCalendar(String engine) throws Exception {
    Warehouse w = LocalEngines.warehouse(engine);
    try (Connection c = built(engine, "heap_time_zone")) {
      AnalysisRunner runner = new AnalysisRunner(w, CONFIG);
      Funnel.Builder ab = Funnel.builder().step("a").step("b");

      // March 31st in Paris: 03-30 23:00 to 03-31 22:00 UTC (23 hours): users 5, 2, 4; user 2 reaches b
      Funnel paris31 = ab.from(LocalDate.of(2024, 3, 31)).to(LocalDate.of(2024, 3, 31)).timeZone(PARIS).build();
      assertThat(runner.run(paris31, c).rows()).extracting(FunnelResult.Row::entered).containsExactly(3L, 1L);
      // in UTC: users 2, 4, 3
      Funnel utc31 = ab.timeZone(ZoneOffset.UTC).build();
      assertThat(runner.run(utc31, c).rows()).extracting(FunnelResult.Row::entered).containsExactly(3L, 1L);
      // user 1's attempt (03-30 in Paris) reaches b a day later there: to the range's end of the 30th it
      // does not, to the end of the 31st it does
      Funnel.Builder fromThe30th = Funnel.builder().step("a").step("b").from(LocalDate.of(2024, 3, 30)).timeZone(PARIS).windowToRangeEnd();
      assertThat(runner.run(fromThe30th.to(LocalDate.of(2024, 3, 30)).build(), c).rows())
          .extracting(FunnelResult.Row::entered).containsExactly(1L, 0L);
      assertThat(runner.run(fromThe30th.to(LocalDate.of(2024, 3, 31)).build(), c).rows())
          .extracting(FunnelResult.Row::entered).containsExactly(4L, 2L);

      // a daily trend, Paris's days: 03-30 user 1 (converts); 03-31 users 5, 2 (converts), 4; 04-01 user 3
      Funnel allDays = Funnel.builder().step("a").step("b").timeZone(PARIS).build();
      assertThat(trend(runner, c, allDays))
          .containsExactly(
              tuple(LocalDate.of(2024, 3, 30), 1L, 1L),
              tuple(LocalDate.of(2024, 3, 31), 3L, 1L),
              tuple(LocalDate.of(2024, 4, 1), 1L, 0L));
      // in UTC: 03-30 users 1 (converts), 5; 03-31 users 2 (converts), 4, 3
      assertThat(trend(runner, c, Funnel.builder().step("a").step("b").build()))
          .containsExactly(tuple(LocalDate.of(2024, 3, 30), 2L, 1L), tuple(LocalDate.of(2024, 3, 31), 3L, 1L));

      // daily retention of any event: user 1's a and b fall on two days in Paris (day 0 and day 1), on one
      // in UTC; user 2's on one day either way. A period after the day of the newest event (04-01 in
      // Paris, 03-31 in UTC) is not reported: it has not been seen whole
      Retention retention = Retention.builder().periods(1).timeZone(PARIS).build();
      assertThat(runner.run(retention, c).rows())
          .extracting(RetentionResult.Row::cohort, RetentionResult.Row::cohortSize, RetentionResult.Row::period, RetentionResult.Row::retained)
          .containsExactly(
              tuple(LocalDate.of(2024, 3, 30), 1L, 0, 1L), tuple(LocalDate.of(2024, 3, 30), 1L, 1, 1L),
              tuple(LocalDate.of(2024, 3, 31), 3L, 0, 3L), tuple(LocalDate.of(2024, 3, 31), 3L, 1, 0L),
              tuple(LocalDate.of(2024, 4, 1), 1L, 0, 1L));
      assertThat(runner.run(Retention.builder().periods(1).build(), c).rows())
          .extracting(RetentionResult.Row::cohort, RetentionResult.Row::cohortSize, RetentionResult.Row::period, RetentionResult.Row::retained)
          .containsExactly(
              tuple(LocalDate.of(2024, 3, 30), 2L, 0, 2L), tuple(LocalDate.of(2024, 3, 30), 2L, 1, 0L),
              tuple(LocalDate.of(2024, 3, 31), 3L, 0, 3L));
    }
  }

  /**
   * A fact whose time has a zone (built from a view that gives Heap's {@code time} as {@code timestamptz},
   * which a run allows in a UTC session): the same days. Before, PostgreSQL and DuckDB read it in UTC's
   * wall-clock time and shifted the days the other way, and H2 failed on its text.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"h2", "duckdb", "postgres"})
  void aFactWhoseTimeHasAZoneFallsOnTheSameDays(String engine) throws Exception {
    Warehouse w = LocalEngines.warehouse(engine);
    try (Connection c = built(engine, "heap_time_zone_tz")) {
      String fact = w.table(CONFIG.targetDatabase(), CONFIG.targetSchema(), "stg_heap_events_all_inc_fct").qualified();
      String column = w.quote("heap_event_time");
      try (java.sql.Statement s = c.createStatement()) {
        switch (engine) {
          case "h2" -> {
            s.execute("SET TIME ZONE 'UTC'");
            s.execute("ALTER TABLE " + fact + " ALTER COLUMN " + column + " TIMESTAMP WITH TIME ZONE");
          }
          case "duckdb" -> {
            s.execute("SET TimeZone = 'UTC'");
            s.execute("ALTER TABLE " + fact + " ALTER " + column + " TYPE TIMESTAMPTZ");
          }
          default -> {
            s.execute("SET TIME ZONE 'UTC'");
            s.execute("ALTER TABLE " + fact + " ALTER COLUMN " + column + " TYPE timestamptz");
          }
        }
      }
      AnalysisRunner runner = new AnalysisRunner(w, CONFIG);
      assertThat(trend(runner, c, Funnel.builder().step("a").step("b").timeZone(PARIS).build()))
          .containsExactly(
              tuple(LocalDate.of(2024, 3, 30), 1L, 1L),
              tuple(LocalDate.of(2024, 3, 31), 3L, 1L),
              tuple(LocalDate.of(2024, 4, 1), 1L, 0L));
      assertThat(runner.run(Retention.builder().periods(1).timeZone(PARIS).build(), c).rows())
          .extracting(RetentionResult.Row::cohort, RetentionResult.Row::period, RetentionResult.Row::retained)
          .containsExactly(
              tuple(LocalDate.of(2024, 3, 30), 0, 1L), tuple(LocalDate.of(2024, 3, 30), 1, 1L),
              tuple(LocalDate.of(2024, 3, 31), 0, 3L), tuple(LocalDate.of(2024, 3, 31), 1, 0L),
              tuple(LocalDate.of(2024, 4, 1), 0, 1L));
    }
  }

  /** A new database of {@code engine} holding {@link #EVENTS} and the facts built from them. */
  private static Connection built(String engine, String prefix) throws Exception {
    Warehouse w = LocalEngines.warehouse(engine);
    Connection c = LocalEngines.open(engine, prefix);
    SourceTables sources = new SourceTables(w, CONFIG);
    sources.create(c);
    sources.insert(c, "all_events", List.of(EVENTS));
    new JdbcRunner(w).run(HeapProject.standard(CONFIG).plan(), c);
    return c;
  }

  private static List<Tuple> trend(AnalysisRunner runner, Connection c, Funnel funnel) {
    return runner.run(funnel.trend(io.heapsdk.model.TimeGrain.DAY), c).rows().stream()
        .map(r -> tuple(r.period(), r.entered(), r.converted()))
        .toList();
  }

  /** A zone by its IANA name or UTC; a bare offset is refused, naming the setting and why. */
  @Test
  void aBareOffsetIsRefused() {
    assertThat(Funnel.builder().step("a").timeZone(ZoneId.of("UTC")).build().toString()).doesNotContain("time_zone");
    assertThat(Funnel.builder().step("a").timeZone(PARIS).build().toString()).endsWith(", time_zone=Europe/Paris}");
    assertThat(Retention.builder().timeZone(ZoneId.of("Etc/GMT-5")).build().timeZone()).isEqualTo(ZoneId.of("Etc/GMT-5"));
    // one UTC, however named
    assertThat(Funnel.builder().step("a").timeZone(ZoneId.of("Etc/UTC")).build().timeZone()).isEqualTo(ZoneOffset.UTC);
    assertThat(Retention.builder().timeZone(ZoneId.of("Etc/UTC")).build()).isEqualTo(Retention.builder().build());
    // names PostgreSQL reads as abbreviations (a fixed offset), and zones IANA dropped
    for (String name : List.of("CET", "MET", "WET", "EET")) {
      assertThatThrownBy(() -> Retention.builder().timeZone(ZoneId.of(name)))
          .isInstanceOf(HeapAnalysisException.class)
          .hasMessageContaining(name + " is also an abbreviation, which PostgreSQL reads as a fixed offset without summer time");
    }
    assertThatThrownBy(() -> Retention.builder().timeZone(ZoneId.of("SystemV/EST5EDT"))).hasMessageContaining("dropped from the IANA zone database");
    for (ZoneId offset : List.of(ZoneOffset.ofHours(5), ZoneId.of("UTC+05:00"), ZoneId.of("GMT-03:30"))) {
      assertThatThrownBy(() -> Funnel.builder().step("a").timeZone(offset))
          .as(offset.getId())
          .isInstanceOf(HeapAnalysisException.class)
          .hasMessageContaining("time_zone")
          .hasMessageContaining("expected the name of a time zone such as Europe/Paris or America/New_York (IANA), got " + offset.getId());
    }
    assertThatThrownBy(() -> Attribution.builder().timeZone(null)).isInstanceOf(HeapAnalysisException.class).hasMessageContaining("time_zone");
  }
}
