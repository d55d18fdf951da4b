package io.heapsdk.analysis;

import static io.heapsdk.testing.Rows.event;
import static io.heapsdk.testing.Rows.session;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.TimeGrain;
import io.heapsdk.run.AnalysisRunner;
import io.heapsdk.testing.H2Db;
import io.heapsdk.warehouse.Warehouses;
import java.time.LocalDate;
import java.util.List;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

/**
 * A funnel's trends, times to convert and breakdown attributions on H2, from hand-made events; every
 * expected figure is worked out by hand in the comments next to the data.
 */
class FunnelViewsTest {
  private static final HeapConfig CONFIG = HeapConfig.builder().ownDomain("example.com").build();

  // ------------------------------------------------------------------ trends

  /** Five users; one session each. 2024-01-08, 15, 22 and 29 are Mondays. */
  private static final Object[][] TREND_EVENTS = {
    // user 1: converts on Monday 8 January; starts again on Tuesday 16 January and stops
    event(11, 1, 1, "2024-01-08T10:00:00", "a"), event(12, 1, 1, "2024-01-08T11:00:00", "b"),
    event(13, 1, 1, "2024-01-16T10:00:00", "a"),
    // user 2: starts on the last second of Sunday 14 January, converts the next week: the week it started counts
    event(21, 2, 2, "2024-01-14T23:59:59", "a"), event(22, 2, 2, "2024-01-15T00:00:30", "b"),
    // user 3: starts at midnight on Monday 15 January, converts on the 20th
    event(31, 3, 3, "2024-01-15T00:00:00", "a"), event(32, 3, 3, "2024-01-20T12:00:00", "b"),
    // user 4: starts on Wednesday 31 January and again on Thursday 1 February, converts on the 2nd
    event(41, 4, 4, "2024-01-31T10:00:00", "a"), event(42, 4, 4, "2024-02-01T10:00:00", "a"), event(43, 4, 4, "2024-02-02T10:00:00", "b"),
    // user 5: starts on Tuesday 9 January, does x, converts the next day; starts again on the 22nd and converts
    event(51, 5, 5, "2024-01-09T10:00:00", "a"), event(52, 5, 5, "2024-01-09T11:00:00", "x"), event(53, 5, 5, "2024-01-10T10:00:00", "b"),
    event(54, 5, 5, "2024-01-22T10:00:00", "a"), event(55, 5, 5, "2024-01-23T10:00:00", "b"),
  };

  @Test
  void aTrendCountsEachUnitOncePerPeriodOfEntry() {
    Funnel ab = Funnel.builder().step("a").step("b").build();
    // week of 8 January: users 1, 2, 5, all converted; of the 15th: users 1 (no b after the 16th) and
    // 3; of the 22nd: user 5; of the 29th: user 4, once although both of its starts are in that week
    assertThat(trend(ab.trend(TimeGrain.WEEK)))
        .containsExactly(
            tuple(null, LocalDate.of(2024, 1, 8), 3L, 3L, 1.0),
            tuple(null, LocalDate.of(2024, 1, 15), 2L, 1L, 0.5),
            tuple(null, LocalDate.of(2024, 1, 22), 1L, 1L, 1.0),
            tuple(null, LocalDate.of(2024, 1, 29), 1L, 1L, 1.0));
  }

  @Test
  void aTrendAppliesTheExclusionsToEachPeriodsAttempt() {
    Funnel excluding = Funnel.builder().step("a").step("b").exclude("x").build();
    // user 5's attempt of the week of 8 January is excluded: it is out of that week, not of the 22nd's
    assertThat(trend(excluding.trend(TimeGrain.WEEK)))
        .containsExactly(
            tuple(null, LocalDate.of(2024, 1, 8), 2L, 2L, 1.0),
            tuple(null, LocalDate.of(2024, 1, 15), 2L, 1L, 0.5),
            tuple(null, LocalDate.of(2024, 1, 22), 1L, 1L, 1.0),
            tuple(null, LocalDate.of(2024, 1, 29), 1L, 1L, 1.0));
    // by month: in January user 5's clean attempt of the 22nd ties the excluded one (both reach b, the
    // excluded one counting up to the step after x) and wins, user 1's best converts, user 4's of the
    // 31st converts on 2 February; in February user 4 again
    assertThat(trend(excluding.trend(TimeGrain.MONTH)))
        .containsExactly(tuple(null, LocalDate.of(2024, 1, 1), 5L, 5L, 1.0), tuple(null, LocalDate.of(2024, 2, 1), 1L, 1L, 1.0));
    // by day: the 9th has no row (user 5 excluded), the 16th is user 1's unconverted start
    assertThat(trend(excluding.trend(TimeGrain.DAY)))
        .extracting(t -> t.toList().get(1) + " " + t.toList().get(2) + "/" + t.toList().get(3))
        .containsExactly(
            "2024-01-08 1/1", "2024-01-14 1/1", "2024-01-15 1/1", "2024-01-16 1/0", "2024-01-22 1/1", "2024-01-31 1/1", "2024-02-01 1/1");
  }

  private static List<Tuple> trend(FunnelTrend trend) {
    try (H2Db db = H2Db.create(CONFIG)) {
      db.insert("all_events", TREND_EVENTS);
      db.buildStandard();
      return new AnalysisRunner(Warehouses.H2, CONFIG).run(trend, db.connection()).rows().stream()
          .map(r -> tuple(r.breakdownValue(), r.period(), r.entered(), r.converted(), r.conversion()))
          .toList();
    }
  }

  // ------------------------------------------------------------------ times to convert

  /** Times are minutes:seconds after 10:00 on 10 January 2024. */
  private static final Object[][] TTC_EVENTS = {
    // user 1: a 0 s, b 60 s, c 300 s
    e(11, 1, "00:00", "a"), e(12, 1, "01:00", "b"), e(13, 1, "05:00", "c"),
    // user 2: a 0 s, b 120 s, c 150 s
    e(21, 2, "00:00", "a"), e(22, 2, "02:00", "b"), e(23, 2, "02:30", "c"),
    // user 3: a 0 s, b 600 s, c 1200 s
    e(31, 3, "00:00", "a"), e(32, 3, "10:00", "b"), e(33, 3, "20:00", "c"),
    // user 4: a 0 s, b 60 s, no c
    e(41, 4, "00:00", "a"), e(42, 4, "01:00", "b"),
    // user 5: a 0 s, c 180 s, b 240 s: in order it reaches b only; in any order c is done at 240 s
    e(51, 5, "00:00", "a"), e(52, 5, "03:00", "c"), e(53, 5, "04:00", "b"),
  };

  private static Object[] e(long id, long user, String minuteSecond, String name) {
    return event(id, user, user, "2024-01-10T10:" + minuteSecond, name);
  }

  @Test
  void timesToConvertFallInEqualWidthBinsFromTheShortestToTheLongest() {
    Funnel abc = Funnel.builder().step("a").step("b").step("c").build();
    // a → c: users 1, 2, 3 with 300, 150, 1200 s. Three units: ⌈∛3⌉ = 2 bins, width ⌈1050 / 2⌉ = 525:
    // [150, 675) holds 150 and 300, [675, 1200] holds 1200
    assertThat(histogram(abc.timeToConvert(1, 3)))
        .containsExactly(row(1, 150, 675, 2, 2.0 / 3), row(2, 675, 1200, 1, 1.0 / 3));
    // four bins: width ⌈1050 / 4⌉ = 263; 1200 is in the fourth, the two between are empty and listed
    assertThat(histogram(abc.timeToConvert(1, 3, 4)))
        .containsExactly(
            row(1, 150, 413, 2, 2.0 / 3),
            row(2, 413, 676, 0, 0.0),
            row(3, 676, 939, 0, 0.0),
            row(4, 939, 1202, 1, 1.0 / 3));
    // a → b in three bins: 60, 120, 600, 60, 240 s; width 180: [60, 240) 3, [240, 420) 1, [420, 600] 1
    assertThat(histogram(abc.timeToConvert(1, 2, 3)))
        .containsExactly(
            row(1, 60, 240, 3, 0.6),
            row(2, 240, 420, 1, 0.2),
            row(3, 420, 600, 1, 0.2));
    // b → c: users 1, 2, 3 with 240, 30, 600 s; two bins of ⌈570 / 2⌉ = 285 from 30
    assertThat(histogram(abc.timeToConvert(2, 3)))
        .containsExactly(row(1, 30, 315, 2, 2.0 / 3), row(2, 315, 600, 1, 1.0 / 3));
  }

  @Test
  void anyOrderMeasuresFromTheTimesTheStepsWereDone() {
    // any order, b → c: step 2 is done when a and b are, step 3 when all three are. User 1: 60 → 300
    // (240 s); user 2: 120 → 150 (30 s); user 3: 600 → 1200 (600 s); user 5: b at 240 s, c done at
    // 240 s too (0 s). Four units: 2 bins of ⌈600 / 2⌉ = 300 from 0: [0, 300) holds 240, 30, 0
    Funnel any = Funnel.builder().step("a").step("b").step("c").ordering(Funnel.Ordering.ANY_ORDER).build();
    assertThat(histogram(any.timeToConvert(2, 3)))
        .containsExactly(row(1, 0, 300, 3, 0.75), row(2, 300, 600, 1, 0.25));
  }

  @Test
  void oneTimeMakesOneBinOfOneSecondAndNobodyMakesNoRows() {
    Funnel abc = Funnel.builder().step("a").step("b").step("c").build();
    // a → c within 150 s: user 2 only (c at 150 s, the window's very end): one bin [150, 151)
    Funnel quick = abc.toBuilder().window(java.time.Duration.ofSeconds(150)).build();
    assertThat(histogram(quick.timeToConvert(1, 3))).containsExactly(row(1, 150, 151, 1, 1.0));
    // nobody reaches c within a minute: no rows
    assertThat(histogram(abc.toBuilder().window(java.time.Duration.ofMinutes(1)).build().timeToConvert(1, 3))).isEmpty();
  }

  private static List<TimeToConvertResult.Row> histogram(TimeToConvert t) {
    try (H2Db db = H2Db.create(CONFIG)) {
      db.insert("all_events", TTC_EVENTS);
      db.buildStandard();
      TimeToConvertResult result = new AnalysisRunner(Warehouses.H2, CONFIG).run(t, db.connection());
      return result.rows().stream()
          // shares computed in SQL and in Java may differ in the last bit
          .map(r -> row(r.bin(), r.fromSeconds(), r.toSeconds(), r.units(), r.share()))
          .toList();
    }
  }

  /** A bin with its share rounded to 12 decimals: computed in SQL and in Java, it may differ in the last bit. */
  private static TimeToConvertResult.Row row(int bin, long from, long to, long units, double share) {
    return new TimeToConvertResult.Row(bin, from, to, units, Math.round(share * 1e12) / 1e12);
  }

  // ------------------------------------------------------------------ breakdown attribution

  /** Sessions 11, 12 (user 1), 21 (user 2), 31 (user 3); user 4's events are in session 99, which Heap never synced. */
  private static final Object[][] SESSIONS = {
    session(11, 1, "2024-01-10T09:00:00", null, null, null, null), // Direct
    session(12, 1, "2024-01-10T09:30:00", "https://duckduckgo.com/", null, null, null), // Organic Search
    session(21, 2, "2024-01-10T09:00:00", "https://www.bing.com/", null, null, null), // Organic Search
    session(31, 3, "2024-01-10T09:00:00", null, null, null, null), // Direct
  };

  private static final Object[][] EVENTS = {
    // user 1 starts in session 12 (Organic Search) and finishes in session 11 (Direct), an hour later
    event(1, 1, 12, "2024-01-10T10:00:00", "a"),
    event(2, 1, 11, "2024-01-10T11:00:00", "b"),
    // user 2: a in session 21 (Organic Search) only
    event(3, 2, 21, "2024-01-10T10:00:00", "a"),
    // user 3: a and b in session 31 (Direct), 300 s apart
    event(4, 3, 31, "2024-01-10T10:00:00", "a"),
    event(5, 3, 31, "2024-01-10T10:05:00", "b"),
    // user 4: a session without a sessions row, 60 s apart
    event(6, 4, 99, "2024-01-10T10:00:00", "a"),
    event(7, 4, 99, "2024-01-10T10:01:00", "b"),
  };

  @Test
  void theLastStepReachedGivesTheValue() {
    // user 1's last step is b, in Direct session 11; user 2's is a (Organic Search); user 3 Direct;
    // user 4 none. Direct: users 1 and 3 (3600 and 300 s to b); Organic Search: user 2; NULL: user 4
    assertThat(broken(Funnel.Unit.USER, BreakdownAttribution.last()))
        .containsExactly(
            tuple("Direct", 1, 2L, null, null),
            tuple("Direct", 2, 2L, 1950.0, 1950.0),
            tuple("Organic Search", 1, 1L, null, null),
            tuple("Organic Search", 2, 0L, null, null),
            tuple(null, 1, 1L, null, null),
            tuple(null, 2, 1L, 60.0, 60.0));
  }

  @Test
  void aGivenStepGivesTheValueAndUnitsThatMissedItHaveNone() {
    // step 2: user 1's b (Direct), user 3's b (Direct); user 2 never reached b and user 4's session has
    // no row: both NULL, so the rows still add up to the funnel without a breakdown (4 users, 3 at b)
    assertThat(broken(Funnel.Unit.USER, BreakdownAttribution.step(2)))
        .containsExactly(
            tuple("Direct", 1, 2L, null, null),
            tuple("Direct", 2, 2L, 1950.0, 1950.0),
            tuple(null, 1, 2L, null, null),
            tuple(null, 2, 1L, 60.0, 60.0));
    // step 1 is the default
    assertThat(broken(Funnel.Unit.USER, BreakdownAttribution.step(1))).isEqualTo(broken(Funnel.Unit.USER, BreakdownAttribution.first()));
  }

  @Test
  void inASessionFunnelOnlyAGivenStepChangesAnything() {
    // sessions 12 (a), 21 (a), 31 (a, b), 99 (a, b). By the first or last step: Direct 31; Organic
    // Search 12 and 21; NULL 99. By step 2: Direct 31; NULL 12 and 21 (no b) and 99 (no row)
    List<Tuple> first = broken(Funnel.Unit.SESSION, BreakdownAttribution.first());
    assertThat(first)
        .extracting(t -> t.toList().subList(0, 3))
        .containsExactly(
            List.of("Direct", 1, 1L), List.of("Direct", 2, 1L),
            List.of("Organic Search", 1, 2L), List.of("Organic Search", 2, 0L),
            nullFirst(1, 1L), nullFirst(2, 1L));
    assertThat(broken(Funnel.Unit.SESSION, BreakdownAttribution.last())).isEqualTo(first);
    assertThat(broken(Funnel.Unit.SESSION, BreakdownAttribution.step(2)))
        .extracting(t -> t.toList().subList(0, 3))
        .containsExactly(List.of("Direct", 1, 1L), List.of("Direct", 2, 1L), nullFirst(1, 3L), nullFirst(2, 1L));
  }

  private static List<Object> nullFirst(int step, long entered) {
    return java.util.Arrays.asList(null, step, entered);
  }

  @Test
  void aTrendTakesTheAttributedValueToo() {
    // one week; by the last step: Direct users 1 and 3 both converted, Organic Search user 2 did not
    Funnel f = Funnel.builder().step("a").step("b").breakdown("channel").breakdownAttribution(BreakdownAttribution.last()).build();
    try (H2Db db = H2Db.create(CONFIG)) {
      db.insert("sessions", SESSIONS);
      db.insert("all_events", EVENTS);
      db.buildStandard();
      assertThat(new AnalysisRunner(Warehouses.H2, CONFIG).run(f.trend(TimeGrain.WEEK), db.connection()).rows())
          .containsExactly(
              new FunnelTrendResult.Row("Direct", LocalDate.of(2024, 1, 8), 2, 2, 1.0),
              new FunnelTrendResult.Row("Organic Search", LocalDate.of(2024, 1, 8), 1, 0, 0.0),
              new FunnelTrendResult.Row(null, LocalDate.of(2024, 1, 8), 1, 1, 1.0));
    }
  }

  /** Breakdown by channel: value, step, entered, median and average seconds (NULL at step 1 to keep it short). */
  private static List<Tuple> broken(Funnel.Unit unit, BreakdownAttribution attribution) {
    Funnel f = Funnel.builder().step("a").step("b").unit(unit).breakdown("channel").breakdownAttribution(attribution).build();
    try (H2Db db = H2Db.create(CONFIG)) {
      db.insert("sessions", SESSIONS);
      db.insert("all_events", EVENTS);
      db.buildStandard();
      return new AnalysisRunner(Warehouses.H2, CONFIG).run(f, db.connection()).rows().stream()
          .map(r -> tuple(r.breakdownValue(), r.step(), r.entered(), r.step() == 1 ? null : r.medianSecondsFromFirst(), r.step() == 1 ? null : r.avgSecondsFromFirst()))
          .toList();
    }
  }
}
