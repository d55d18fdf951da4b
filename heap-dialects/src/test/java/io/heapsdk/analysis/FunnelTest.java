package io.heapsdk.analysis;

import static io.heapsdk.testing.Rows.event;
import static io.heapsdk.testing.Rows.session;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.run.AnalysisRunner;
import io.heapsdk.testing.H2Db;
import io.heapsdk.warehouse.Warehouses;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

/**
 * Funnels run on H2 over the facts built from hand-made events; every expected figure is worked out by
 * hand in the comments next to the data (times are minutes after 10:00 unless written out).
 */
class FunnelTest {
  private static final HeapConfig CONFIG = HeapConfig.builder().ownDomain("example.com").build();

  /** Users 1–6, one session each, events at 10:MM on 2024-01-10. */
  private static final Object[][] ORDERING_EVENTS = {
    // user 1: a, an unrelated event, b, c: every ordering reaches step 3; seconds 0 / 600 / 1200
    e(101, 1, "00", "a"), e(102, 1, "05", "other"), e(103, 1, "10", "b"), e(104, 1, "20", "c"),
    // user 2: a, c, b, c: ordered a→b(10)→c(15) = 3 (0/600/900); strict stops at c after a = 1;
    // any order: a 0, b 600, c 300 → done at 600 and 600
    e(201, 2, "00", "a"), e(202, 2, "05", "c"), e(203, 2, "10", "b"), e(204, 2, "15", "c"),
    // user 3: b, a, c: ordered and strict reach 1 (no b after a); any order from b: a 300, b 0, c 600
    // → 300 / 300 / 600
    e(301, 3, "00", "b"), e(302, 3, "05", "a"), e(303, 3, "10", "c"),
    // user 4: a, a, b, c: ordered from the first a: 0 / 120 / 180; strict fails from the first a (the
    // next funnel event is a) but the second a reaches 3: 0 / 60 / 120; any order: 0 / 120 / 180
    e(401, 4, "00", "a"), e(402, 4, "01", "a"), e(403, 4, "02", "b"), e(404, 4, "03", "c"),
    // user 5: a only
    e(501, 5, "00", "a"),
    // user 6: b, c but never a: not in the funnel in any ordering
    e(601, 6, "00", "b"), e(602, 6, "01", "c"),
  };

  private static Object[] e(long id, long user, String minute, String name) {
    return event(id, user, user * 10, "2024-01-10T10:" + minute + ":00", name);
  }

  private static Funnel.Builder abc() {
    return Funnel.builder().step("a").step("b").step("c");
  }

  @Test
  void orderedAllowsOtherEventsAndFunnelEventsInBetween() {
    // step 1: users 1-5; steps 2 and 3: users 1, 2, 4
    // seconds to step 2: 600, 600, 120 → median 600, avg 440; to step 3: 1200, 900, 180 → median 900, avg 760
    assertThat(run(ORDERING_EVENTS, abc().build()))
        .containsExactly(
            tuple(1, "a", 5L, 1.0, null, null, 0.0, 0.0),
            tuple(2, "b", 3L, 0.6, 0.6, 2L, 600.0, 440.0),
            tuple(3, "c", 3L, 0.6, 1.0, 0L, 900.0, 760.0));
  }

  @Test
  void strictAllowsNoOtherFunnelEventInBetween() {
    // steps 2 and 3: users 1 and 4 (user 4 from its second a); to step 2: 600, 60 → median and avg 330;
    // to step 3: 1200, 120 → 660
    assertThat(run(ORDERING_EVENTS, abc().ordering(Funnel.Ordering.STRICT).build()))
        .containsExactly(
            tuple(1, "a", 5L, 1.0, null, null, 0.0, 0.0),
            tuple(2, "b", 2L, 0.4, 0.4, 3L, 330.0, 330.0),
            tuple(3, "c", 2L, 0.4, 1.0, 0L, 660.0, 660.0));
  }

  @Test
  void anyOrderCountsAStepWhenItAndEveryEarlierStepAreDone() {
    // step 1: users 1-5 with 0, 0, 300, 0, 0 seconds → median 0, avg 60
    // step 2: users 1-4 with 600, 600, 300, 120 → median (300 + 600) / 2 = 450, avg 405
    // step 3: users 1-4 with 1200, 600, 600, 180 → median 600, avg 645
    assertThat(run(ORDERING_EVENTS, abc().ordering(Funnel.Ordering.ANY_ORDER).build()))
        .containsExactly(
            tuple(1, "a", 5L, 1.0, null, null, 0.0, 60.0),
            tuple(2, "b", 4L, 0.8, 0.8, 1L, 450.0, 405.0),
            tuple(3, "c", 4L, 0.8, 1.0, 0L, 600.0, 645.0));
  }

  @Test
  void sessionUnitNeedsEveryStepInOneSession() {
    Object[][] events = {
      // user 1: a in session 11, b in session 12: a user funnel reaches 2, a session funnel 1 (session 11)
      event(1, 1, 11, "2024-01-10T10:00:00", "a"),
      event(2, 1, 12, "2024-01-10T11:00:00", "b"),
      // user 2: a and b in session 21, a again in session 22: sessions 21 (2 steps) and 22 (1 step)
      event(3, 2, 21, "2024-01-10T10:00:00", "a"),
      event(4, 2, 21, "2024-01-10T10:01:00", "b"),
      event(5, 2, 22, "2024-01-10T12:00:00", "a"),
    };
    Funnel.Builder ab = Funnel.builder().step("a").step("b");
    assertThat(run(events, ab.build()))
        .extracting(r -> r.toList().get(2))
        .containsExactly(2L, 2L);
    // sessions 11, 21, 22 enter; only 21 reaches b, 60 seconds after its a
    assertThat(run(events, ab.unit(Funnel.Unit.SESSION).build()))
        .containsExactly(
            tuple(1, "a", 3L, 1.0, null, null, 0.0, 0.0),
            tuple(2, "b", 1L, round(1.0 / 3), round(1.0 / 3), 2L, 60.0, 60.0));
  }

  @Test
  void aStepExactlyAtTheWindowCountsAndOneSecondPastDoesNot() {
    Object[][] events = {
      event(1, 1, 1, "2024-01-10T10:00:00", "a"),
      event(2, 1, 1, "2024-01-10T11:00:00", "b"), // exactly one hour: counts
      event(3, 2, 2, "2024-01-10T10:00:00", "a"),
      event(4, 2, 2, "2024-01-10T11:00:01", "b"), // one second past: does not
      event(5, 3, 3, "2024-01-10T10:00:00.500", "a"),
      event(6, 3, 3, "2024-01-10T11:00:00.500", "b"), // exactly one hour, with fractions: counts
      event(7, 4, 4, "2024-01-10T10:00:00.500", "a"),
      event(8, 4, 4, "2024-01-10T11:00:00.600", "b"), // a tenth of a second past: does not
      event(9, 5, 5, "2024-01-01T10:00:00", "a"),
      event(10, 5, 5, "2024-01-15T10:00:00", "b"), // exactly 14 days (the default window): counts
      event(11, 6, 6, "2024-01-01T10:00:00", "a"),
      event(12, 6, 6, "2024-01-15T10:00:01", "b"), // 14 days and a second: does not
    };
    // one hour: users 1 and 3 reach b, both 3600 whole seconds after a
    assertThat(run(events, Funnel.builder().step("a").step("b").window(Duration.ofHours(1)).build()))
        .containsExactly(
            tuple(1, "a", 6L, 1.0, null, null, 0.0, 0.0),
            tuple(2, "b", 2L, round(2.0 / 6), round(2.0 / 6), 4L, 3600.0, 3600.0));
    // the default 14 days: users 1-5 reach b; seconds 3600, 3601, 3600, 3600 (whole seconds: 11:00:00
    // minus 10:00:00 for user 4) and 1209600 → sorted 3600, 3600, 3600, 3601, 1209600
    assertThat(run(events, Funnel.builder().step("a").step("b").build()))
        .containsExactly(
            tuple(1, "a", 6L, 1.0, null, null, 0.0, 0.0),
            tuple(2, "b", 5L, round(5.0 / 6), round(5.0 / 6), 1L, 3600.0, (3600.0 * 3 + 3601 + 1209600) / 5));
  }

  /**
   * {@code windowToRangeEnd()}: later steps count up to the end of the date range's last day, with no
   * window from the start, as Heap's funnel chart counts (steps "at any point within the date range").
   * The default window, for the same days, counts a step 14 days after the start, past the range too.
   */
  @Test
  void aWindowToTheRangesEndCountsStepsUpToItsLastDay() {
    Object[][] events = {
      // user 1: a, b 10 days later, c 26 days after a (in February)
      event(1, 1, 1, "2024-01-10T10:00:00", "a"), event(2, 1, 1, "2024-01-20T10:00:00", "b"), event(3, 1, 1, "2024-02-05T10:00:00", "c"),
      // user 2: a on the range's last evening, b two hours later, the next day
      event(4, 2, 2, "2024-01-31T23:00:00", "a"), event(5, 2, 2, "2024-02-01T01:00:00", "b"),
      // user 3: b 20 days after a; user 4: b 23 days after a, on the 28th
      event(6, 3, 3, "2024-01-05T10:00:00", "a"), event(7, 3, 3, "2024-01-25T10:00:00", "b"),
      event(8, 4, 4, "2024-01-05T10:00:00", "a"), event(9, 4, 4, "2024-01-28T10:00:00", "b"),
      // user 5: b exactly at the end of the range (February 1st, 00:00): after its last day
      event(10, 5, 5, "2024-01-20T10:00:00", "a"), event(11, 5, 5, "2024-02-01T00:00:00", "b"),
      // user 6: b 28 days after a, both in January
      event(12, 6, 6, "2024-01-02T10:00:00", "a"), event(13, 6, 6, "2024-01-30T10:00:00", "b"),
    };
    Funnel.Builder january = abc().from(LocalDate.of(2024, 1, 1)).to(LocalDate.of(2024, 1, 31));
    // 14 days from the start: b for users 1 (10 d), 2 (2 h, in February) and 5 (11 d 14 h); c nobody
    assertThat(run(events, january.build()).stream().map(t -> t.toList().get(2)).toList()).containsExactly(6L, 3L, 0L);
    // to the end of January 31st: b for users 1, 3, 4 and 6, not 2 (February) nor 5 (at February's
    // first instant); c nobody (user 1's is in February)
    Funnel toRangeEnd = january.windowToRangeEnd().build();
    assertThat(toRangeEnd.windowToRangeEnd()).isTrue();
    assertThat(toRangeEnd.toString()).contains("window=range");
    List<Tuple> january31 = run(events, toRangeEnd);
    assertThat(january31.stream().map(t -> t.toList().get(2)).toList()).containsExactly(6L, 4L, 0L);
    // seconds from a to b: users 1, 3, 4, 6: 864000, 1728000, 1987200, 2419200 → median 1857600
    assertThat(january31.get(1).toList().get(6)).isEqualTo(1857600.0);
    // to the end of February: every b, and user 1's c
    Funnel february = abc().from(LocalDate.of(2024, 1, 1)).to(LocalDate.of(2024, 2, 29)).windowToRangeEnd().build();
    assertThat(run(events, february).stream().map(t -> t.toList().get(2)).toList()).containsExactly(6L, 6L, 1L);
    // no last day: no bound at all
    assertThat(run(events, abc().windowToRangeEnd().build()).stream().map(t -> t.toList().get(2)).toList()).containsExactly(6L, 6L, 1L);
    // a window given after it wins again
    assertThat(abc().windowToRangeEnd().window(Duration.ofDays(3)).build().windowToRangeEnd()).isFalse();
  }

  @Test
  void anExcludedAttemptLeavesItsUnitOutOfTheFunnel() {
    Object[][] events = {
      // user 1: a, refund, b, c → out
      e(101, 1, "00", "a"), e(102, 1, "01", "refund"), e(103, 1, "02", "b"), e(104, 1, "03", "c"),
      // user 2: a, b, refund, c → out
      e(201, 2, "00", "a"), e(202, 2, "01", "b"), e(203, 2, "02", "refund"), e(204, 2, "03", "c"),
      // user 3: refund after the last step: converts
      e(301, 3, "00", "a"), e(302, 3, "01", "b"), e(303, 3, "02", "c"), e(304, 3, "03", "refund"),
      // user 4: refund before the start: converts
      e(401, 4, "00", "refund"), e(402, 4, "01", "a"), e(403, 4, "02", "b"), e(404, 4, "03", "c"),
      // user 5: a, refund (that attempt is excluded), then a new attempt a, b, c converts cleanly: the
      // clean one counts (the excluded one reaches no further than b, the step after the refund)
      e(501, 5, "00", "a"), e(502, 5, "01", "refund"), e(503, 5, "02", "a"), e(504, 5, "03", "b"), e(505, 5, "04", "c"),
      // user 6: refund at the same time as b: not before b, but before c, which never comes → out
      e(601, 6, "00", "a"), e(602, 6, "01", "refund"), e(603, 6, "01", "b"),
      // user 7: refund at the very time of a, numbered after it, and none later: not after a → converts
      e(701, 7, "00", "a"), e(702, 7, "00", "refund"), e(703, 7, "01", "b"), e(704, 7, "02", "c"),
    };
    // users 3, 4, 5, 7 remain and convert; seconds to b: 60 each (user 5 from its second a); to c: 120
    assertThat(run(events, abc().exclude("refund").build()))
        .containsExactly(
            tuple(1, "a", 4L, 1.0, null, null, 0.0, 0.0),
            tuple(2, "b", 4L, 1.0, 1.0, 0L, 60.0, 60.0),
            tuple(3, "c", 4L, 1.0, 1.0, 0L, 120.0, 120.0));
    // between b and c only: users 1 (refund before b) and 6 (refund not after b, which it ties) are back;
    // user 1 converts, user 6 reaches b
    assertThat(run(events, abc().exclude("refund", 2, 3).build())).extracting(r -> r.toList().get(2)).containsExactly(6L, 6L, 5L);
    // without the exclusion every user but 6 (who has no c) converts
    assertThat(run(events, abc().build())).extracting(r -> r.toList().get(2)).containsExactly(7L, 7L, 6L);
  }

  @Test
  void theDateRangeIsOnTheFirstStepAndLaterStepsMayFallAfterIt() {
    Object[][] events = {
      // user 1: a on the range's last second, b after the range: both count
      event(1, 1, 1, "2024-01-31T23:59:59", "a"),
      event(2, 1, 1, "2024-02-01T00:10:00", "b"),
      // user 2: a on the day after the range: out
      event(3, 2, 2, "2024-02-01T00:00:00", "a"),
      event(4, 2, 2, "2024-02-01T00:01:00", "b"),
      // user 3: a a second before the range: out
      event(5, 3, 3, "2023-12-31T23:59:59", "a"),
      // user 4: a at the range's first second: in
      event(6, 4, 4, "2024-01-01T00:00:00", "a"),
      // user 5: an a before the range and one inside; the attempt starts at the one inside
      event(7, 5, 5, "2023-12-30T10:00:00", "a"),
      event(8, 5, 5, "2024-01-05T10:00:00", "a"),
      event(9, 5, 5, "2024-01-05T10:30:00", "b"),
    };
    Funnel january = Funnel.builder().step("a").step("b").from(LocalDate.of(2024, 1, 1)).to(LocalDate.of(2024, 1, 31)).build();
    // step 1: users 1, 4, 5; step 2: users 1 (601 s) and 5 (1800 s) → median (601 + 1800) / 2
    assertThat(run(events, january))
        .containsExactly(
            tuple(1, "a", 3L, 1.0, null, null, 0.0, 0.0),
            tuple(2, "b", 2L, round(2.0 / 3), round(2.0 / 3), 1L, 1200.5, 1200.5));
  }

  @Test
  void aStepMayRepeatInOrderedAndStrictFunnels() {
    Object[][] events = {
      // user 1: a, a, b: reaches 3 either way
      e(101, 1, "00", "a"), e(102, 1, "01", "a"), e(103, 1, "02", "b"),
      // user 2: a, b, a: ordered reaches 2 (a, then the later a), strict 1 (b follows the first a)
      e(201, 2, "00", "a"), e(202, 2, "01", "b"), e(203, 2, "02", "a"),
    };
    Funnel.Builder aab = Funnel.builder().step("a").step("a").step("b");
    assertThat(run(events, aab.build())).extracting(r -> r.toList().get(2)).containsExactly(2L, 2L, 1L);
    assertThat(run(events, aab.ordering(Funnel.Ordering.STRICT).build())).extracting(r -> r.toList().get(2)).containsExactly(2L, 1L, 1L);
  }

  /** Sessions 11, 12 (user 1), 21 (user 2), 31 (user 3); user 4's events are in session 99, which Heap never synced. */
  private static final Object[][] BREAKDOWN_SESSIONS = {
    session(11, 1, "2024-01-10T09:00:00", null, null, null, null), // Direct
    session(12, 1, "2024-01-10T09:30:00", "https://duckduckgo.com/", null, null, null), // Organic Search
    session(21, 2, "2024-01-10T09:00:00", "https://www.bing.com/", null, null, null), // Organic Search
    session(31, 3, "2024-01-10T09:00:00", null, null, null, null), // Direct
  };

  private static final Object[][] BREAKDOWN_EVENTS = {
    // user 1 starts in session 12 (Organic Search) and finishes in session 11 (Direct)
    event(1, 1, 12, "2024-01-10T10:00:00", "a"),
    event(2, 1, 11, "2024-01-10T11:00:00", "b"),
    // user 2: a in session 21 (Organic Search) only
    event(3, 2, 21, "2024-01-10T10:00:00", "a"),
    // user 3: a and b in session 31 (Direct)
    event(4, 3, 31, "2024-01-10T10:00:00", "a"),
    event(5, 3, 31, "2024-01-10T10:05:00", "b"),
    // user 4: a session without a sessions row: no breakdown value
    event(6, 4, 99, "2024-01-10T10:00:00", "a"),
    event(7, 4, 99, "2024-01-10T10:01:00", "b"),
  };

  @Test
  void aUserFunnelIsBrokenDownByTheSessionOfItsFirstStep() {
    // Direct: user 3 (1 → 1, 300 s); Organic Search: users 1 and 2 (2 → 1, user 1 after 3600 s);
    // no value: user 4 (1 → 1, 60 s); values in order, NULL last
    List<Tuple> rows =
        List.of(
            tuple("Direct", 1, "a", 1L, 1.0, null, null, 0.0, 0.0),
            tuple("Direct", 2, "b", 1L, 1.0, 1.0, 0L, 300.0, 300.0),
            tuple("Organic Search", 1, "a", 2L, 1.0, null, null, 0.0, 0.0),
            tuple("Organic Search", 2, "b", 1L, 0.5, 0.5, 1L, 3600.0, 3600.0),
            tuple(null, 1, "a", 1L, 1.0, null, null, 0.0, 0.0),
            tuple(null, 2, "b", 1L, 1.0, 1.0, 0L, 60.0, 60.0));
    Funnel byChannel = Funnel.builder().step("a").step("b").breakdown("channel").build();
    try (H2Db db = H2Db.create(CONFIG)) {
      db.insert("sessions", BREAKDOWN_SESSIONS);
      db.insert("all_events", BREAKDOWN_EVENTS);
      db.buildStandard();
      AnalysisRunner runner = new AnalysisRunner(Warehouses.H2, CONFIG);
      FunnelResult result = runner.run(byChannel, db.connection());
      assertThat(result.breakdownColumn()).contains("channel");
      assertThat(result.rows()).extracting(FunnelTest::withBreakdown).containsExactlyElementsOf(rows);
      // the sessions fact's own column name works too
      Funnel byColumn = byChannel.toBuilder().breakdown("heap_session_defined_channel_attribution").build();
      assertThat(runner.run(byColumn, db.connection()).rows()).extracting(FunnelTest::withBreakdown).containsExactlyElementsOf(rows);
      assertThat(db.query(runner.sql(byColumn)).get(0)).containsKey("heap_session_defined_channel_attribution");
    }
  }

  @Test
  void aSessionFunnelIsBrokenDownByItsSession() {
    // sessions entering: 12 (a), 21 (a), 31 (a, b), 99 (a, b); session 11 has only b
    Funnel funnel = Funnel.builder().step("a").step("b").unit(Funnel.Unit.SESSION).breakdown("channel").build();
    try (H2Db db = H2Db.create(CONFIG)) {
      db.insert("sessions", BREAKDOWN_SESSIONS);
      db.insert("all_events", BREAKDOWN_EVENTS);
      db.buildStandard();
      assertThat(new AnalysisRunner(Warehouses.H2, CONFIG).run(funnel, db.connection()).rows())
          .extracting(r -> tuple(r.breakdownValue(), r.step(), r.entered()))
          .containsExactly(
              tuple("Direct", 1, 1L), tuple("Direct", 2, 1L),
              tuple("Organic Search", 1, 2L), tuple("Organic Search", 2, 0L),
              tuple(null, 1, 1L), tuple(null, 2, 1L));
    }
  }

  @Test
  void anUnknownBreakdownColumnIsNamedWhenTheFunnelIsBuilt() {
    assertThatThrownBy(() -> Funnel.builder().step("a").breakdown("utm_sauce").build())
        .isInstanceOf(HeapAnalysisException.class)
        .hasMessageStartingWith(
            "funnel: breakdown: \"utm_sauce\" is not a column of stg_heap_sessions_inc_fct; did you mean 'utm_source'? Expected one of [channel, ")
        .hasMessageContaining("utm_source")
        .hasMessageContaining("browser");
  }

  @Test
  void aBreakdownNamedInAnotherCaseCountsTheSame() {
    // the host application's probe: "UTM_SOURCE" was refused; it means utm_source
    Funnel upper = Funnel.builder().step("a").step("b").breakdown("Channel").build();
    assertThat(upper.breakdown()).contains("channel");
    assertThat(Funnel.builder().step("a").breakdown("HEAP_SESSION_UTM_SOURCE").build().breakdown()).contains("heap_session_utm_source");
    try (H2Db db = H2Db.create(CONFIG)) {
      db.insert("sessions", BREAKDOWN_SESSIONS);
      db.insert("all_events", BREAKDOWN_EVENTS);
      db.buildStandard();
      AnalysisRunner runner = new AnalysisRunner(Warehouses.H2, CONFIG);
      // the lower-case funnel's rows are checked by hand in aUserFunnelIsBrokenDownByTheSessionOfItsFirstStep
      assertThat(runner.run(upper, db.connection()).rows())
          .isEqualTo(runner.run(Funnel.builder().step("a").step("b").breakdown("channel").build(), db.connection()).rows());
    }
  }

  @Test
  void aStepMayBeAPredicateOnTheEventsFact() {
    Object[][] events = {
      e(101, 1, "00", "view_shoes"), e(102, 1, "01", "view_boots"), e(103, 1, "02", "buy"),
      e(201, 2, "00", "view_hats"), e(202, 2, "01", "buy"),
    };
    // "a view of footwear": view_shoes or view_boots, not view_hats
    EventPredicate footwear =
        b -> b.or(b.equals(b.field("heap_event_name"), b.literal("view_shoes")), b.equals(b.field("heap_event_name"), b.literal("view_boots")));
    Funnel funnel = Funnel.builder().step("footwear view", footwear).step("buy").build();
    // user 1 enters (at view_shoes) and buys 120 s later; user 2 never views footwear
    assertThat(run(events, funnel))
        .containsExactly(tuple(1, "footwear view", 1L, 1.0, null, null, 0.0, 0.0), tuple(2, "buy", 1L, 1.0, 1.0, 0L, 120.0, 120.0));
  }

  @Test
  void eventNamesWithQuotesBackslashesAndNewlinesAreData() {
    String a = "it's \\ a";
    String b = "new\nline -- \"b\"";
    Object[][] events = {e(101, 1, "00", a), e(102, 1, "01", b), e(201, 2, "00", a)};
    assertThat(run(events, Funnel.builder().step(a).step(b).build()))
        .containsExactly(tuple(1, a, 2L, 1.0, null, null, 0.0, 0.0), tuple(2, b, 1L, 0.5, 0.5, 1L, 60.0, 60.0));
  }

  @Test
  void aFunnelNobodyEnteredHasNoRows() {
    assertThat(run(new Object[][] {e(1, 1, "00", "b")}, abc().build())).isEmpty();
  }

  /** Runs {@code funnel} on the events and returns each row without its breakdown value. */
  @Test
  void stepsNamingNoEventAreNamedBeforeAZeroIsTrusted() {
    // the events are a, b, c, other: "B" differs in case, "it's" holds a quote (a literal, not SQL), the
    // predicate step is the caller's own and never listed
    Funnel funnel =
        Funnel.builder().step("a").step("B").step("it's").step("c").step("Is c", EventPredicate.named("c")).build();
    try (H2Db db = H2Db.create(CONFIG)) {
      db.insert("all_events", ORDERING_EVENTS);
      db.buildStandard();
      AnalysisRunner runner = new AnalysisRunner(Warehouses.H2, CONFIG);
      assertThat(runner.stepsNamingNoEvent(funnel, db.connection())).extracting(Step::label).containsExactly("B", "it's");
      assertThat(runner.eventNamesFound(List.of("a", "other", "x"), db.connection())).containsExactlyInAnyOrder("a", "other");
      // and the funnel itself: nobody past step 1, as if everybody dropped off at "B"
      assertThat(runner.run(funnel, db.connection()).rows().get(1).entered()).isZero();
    }
  }

  private static List<Tuple> run(Object[][] events, Funnel funnel) {
    try (H2Db db = H2Db.create(CONFIG)) {
      db.insert("all_events", events);
      db.buildStandard();
      FunnelResult result = new AnalysisRunner(Warehouses.H2, CONFIG).run(funnel, db.connection());
      return result.rows().stream().map(FunnelTest::withoutBreakdown).toList();
    }
  }

  private static Tuple withoutBreakdown(FunnelResult.Row r) {
    return tuple(
        r.step(), r.event(), r.entered(), round(r.conversionFromFirst()), round(r.conversionFromPrevious()), r.dropOff(),
        r.medianSecondsFromFirst(), r.avgSecondsFromFirst());
  }

  private static Tuple withBreakdown(FunnelResult.Row r) {
    return tuple(
        r.breakdownValue(), r.step(), r.event(), r.entered(), round(r.conversionFromFirst()), round(r.conversionFromPrevious()),
        r.dropOff(), r.medianSecondsFromFirst(), r.avgSecondsFromFirst());
  }

  /** Ratios are compared to 12 decimals: 1.0 / 3 computed in SQL and in Java may differ in the last bit. */
  private static Double round(Double v) {
    return v == null ? null : Math.round(v * 1e12) / 1e12;
  }
}
