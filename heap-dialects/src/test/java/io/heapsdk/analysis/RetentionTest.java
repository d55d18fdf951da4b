package io.heapsdk.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.run.AnalysisRunner;
import io.heapsdk.testing.HeapRow;
import io.heapsdk.testing.HeapTestDatabase;
import io.heapsdk.warehouse.Warehouses;
import java.time.LocalDate;
import java.util.List;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

/**
 * Retention on H2 over the facts built from hand-made events with the {@link HeapTestDatabase} kit;
 * every expected figure is worked out by hand in the comments next to the data. Rows are (cohort,
 * cohort size, period, retained, rate), with the breakdown value first where there is one.
 */
class RetentionTest {
  private static final HeapConfig CONFIG = HeapConfig.builder().ownDomain("example.com").build();

  /**
   * Days of January 2024. Newest event: 01-05, so a cohort of 01-04 has reached periods 0 and 1 only.
   */
  private static final HeapRow[] DAILY = {
    // u1: cohort 01-01; uses on 01-02 (twice: one return) and 01-04 → periods 1 and 3
    event(101, 1, "2024-01-01T10:00:00", "signup"), event(102, 1, "2024-01-02T09:00:00", "use"),
    event(103, 1, "2024-01-02T18:00:00", "use"), event(104, 1, "2024-01-04T10:00:00", "use"),
    // u2: cohort 01-01 at its last second; a use one second later is on the next day → period 1
    event(201, 2, "2024-01-01T23:59:59", "signup"), event(202, 2, "2024-01-02T00:00:00", "use"),
    // u3: cohort 01-01; a use the same day (period 0 counts everyone anyway) and on 01-05 (period 4)
    event(301, 3, "2024-01-01T12:00:00", "signup"), event(302, 3, "2024-01-01T13:00:00", "use"),
    event(303, 3, "2024-01-05T08:00:00", "use"),
    // u4: cohort 01-02 (its second signup is no new cohort); use on 01-03 → period 1
    event(401, 4, "2024-01-02T08:00:00", "signup"), event(402, 4, "2024-01-03T08:00:00", "signup"),
    event(403, 4, "2024-01-03T09:00:00", "use"),
    // u5: a use before signing up (no return), cohort 01-02, never back
    event(501, 5, "2024-01-01T09:00:00", "use"), event(502, 5, "2024-01-02T10:00:00", "signup"),
    // u6: never signs up: in no cohort
    event(601, 6, "2024-01-03T10:00:00", "use"), event(602, 6, "2024-01-04T10:00:00", "use"),
    // u7: cohort 01-04, back on 01-05 → period 1
    event(701, 7, "2024-01-04T10:00:00", "signup"), event(702, 7, "2024-01-05T10:00:00", "use"),
  };

  @Test
  void returnedOnEachDay() {
    Retention daily = Retention.builder().startEvent("signup").returnEvent("use").period(Retention.Period.DAY).periods(3).build();
    // 01-01: u1, u2, u3; period 1: u1, u2; period 2: nobody; period 3: u1 (u3's 01-05 is period 4)
    // 01-02: u4, u5; period 1: u4
    // 01-04: u7; period 1: u7; periods 2 and 3 (01-06, 01-07) are after the newest event: no rows
    assertThat(run(DAILY, daily))
        .containsExactly(
            row("2024-01-01", 3, 0, 3), row("2024-01-01", 3, 1, 2), row("2024-01-01", 3, 2, 0), row("2024-01-01", 3, 3, 1),
            row("2024-01-02", 2, 0, 2), row("2024-01-02", 2, 1, 1), row("2024-01-02", 2, 2, 0), row("2024-01-02", 2, 3, 0),
            row("2024-01-04", 1, 0, 1), row("2024-01-04", 1, 1, 1));
  }

  @Test
  void returnedOnOrAfterEachDay() {
    Retention unbounded =
        Retention.builder().startEvent("signup").returnEvent("use").periods(3).mode(Retention.Mode.ON_OR_AFTER).build();
    // last return: u1 period 3, u2 period 1, u3 period 4 (after the last period reported: counts in
    // every one), u4 period 1, u5 none, u7 period 1
    // 01-01: period 1: u1, u2, u3; periods 2 and 3: u1, u3
    assertThat(run(DAILY, unbounded))
        .containsExactly(
            row("2024-01-01", 3, 0, 3), row("2024-01-01", 3, 1, 3), row("2024-01-01", 3, 2, 2), row("2024-01-01", 3, 3, 2),
            row("2024-01-02", 2, 0, 2), row("2024-01-02", 2, 1, 1), row("2024-01-02", 2, 2, 0), row("2024-01-02", 2, 3, 0),
            row("2024-01-04", 1, 0, 1), row("2024-01-04", 1, 1, 1));
  }

  @Test
  void anyEventStartsACohortAndCountsAsAReturn() {
    Retention any = Retention.builder().periods(3).build();
    // first events: u1, u2, u3 and u5 (its use) on 01-01, u4 on 01-02, u6 on 01-03, u7 on 01-04
    // 01-01: period 1 (01-02): u1, u2, u5 (its signup); period 3 (01-04): u1
    // 01-02: u4 back on 01-03; 01-03: u6 back on 01-04, period 3 (01-06) not reached; 01-04: u7
    assertThat(run(DAILY, any))
        .containsExactly(
            row("2024-01-01", 4, 0, 4), row("2024-01-01", 4, 1, 3), row("2024-01-01", 4, 2, 0), row("2024-01-01", 4, 3, 1),
            row("2024-01-02", 1, 0, 1), row("2024-01-02", 1, 1, 1), row("2024-01-02", 1, 2, 0), row("2024-01-02", 1, 3, 0),
            row("2024-01-03", 1, 0, 1), row("2024-01-03", 1, 1, 1), row("2024-01-03", 1, 2, 0),
            row("2024-01-04", 1, 0, 1), row("2024-01-04", 1, 1, 1));
  }

  @Test
  void weeksStartOnMonday() {
    HeapRow[] events = {
      // w1: signs up on Sunday 2024-01-07 (week of Monday 01-01), back 90 minutes later on Monday → period 1
      event(1, 1, "2024-01-07T23:00:00", "signup"), event(2, 1, "2024-01-08T00:30:00", "use"),
      // w2: signs up at Monday 01-08 00:00 (week 01-08); the Sunday after is the same week; 01-22 is period 2
      event(3, 2, "2024-01-08T00:00:00", "signup"), event(4, 2, "2024-01-14T23:59:59", "use"), event(5, 2, "2024-01-22T10:00:00", "use"),
      // w3: Wednesday 01-03 (week 01-01); back the Friday (period 0) and on 01-15 (period 2)
      event(6, 3, "2024-01-03T10:00:00", "signup"), event(7, 3, "2024-01-05T10:00:00", "use"), event(8, 3, "2024-01-15T10:00:00", "use"),
    };
    // newest event in the week of 01-22: week 01-01 reaches period 3, week 01-08 period 2
    // 01-01: w1, w3; period 1: w1; period 2: w3. 01-08: w2; period 2: w2
    assertThat(run(events, Retention.builder().startEvent("signup").returnEvent("use").period(Retention.Period.WEEK).periods(3).build()))
        .containsExactly(
            row("2024-01-01", 2, 0, 2), row("2024-01-01", 2, 1, 1), row("2024-01-01", 2, 2, 1), row("2024-01-01", 2, 3, 0),
            row("2024-01-08", 1, 0, 1), row("2024-01-08", 1, 1, 0), row("2024-01-08", 1, 2, 1));
  }

  @Test
  void monthsCrossTheYearAndLeapDay() {
    HeapRow[] events = {
      // m1: the last second of 2023 (cohort December); back at the first second of 2024 (period 1) and
      // on the leap day (period 2)
      event(1, 1, "2023-12-31T23:59:59", "signup"), event(2, 1, "2024-01-01T00:00:00", "use"), event(3, 1, "2024-02-29T12:00:00", "use"),
      // m2: January; back on March 1st (period 2)
      event(4, 2, "2024-01-15T10:00:00", "signup"), event(5, 2, "2024-03-01T00:00:00", "use"),
    };
    Retention monthly = Retention.builder().startEvent("signup").returnEvent("use").period(Retention.Period.MONTH).periods(3).build();
    // newest event in March: December reaches period 3, January period 2
    assertThat(run(events, monthly))
        .containsExactly(
            row("2023-12-01", 1, 0, 1), row("2023-12-01", 1, 1, 1), row("2023-12-01", 1, 2, 1), row("2023-12-01", 1, 3, 0),
            row("2024-01-01", 1, 0, 1), row("2024-01-01", 1, 1, 0), row("2024-01-01", 1, 2, 1));
    // on or after: m1's last return is period 2, m2's too
    assertThat(run(events, monthly.toBuilder().mode(Retention.Mode.ON_OR_AFTER).build()))
        .containsExactly(
            row("2023-12-01", 1, 0, 1), row("2023-12-01", 1, 1, 1), row("2023-12-01", 1, 2, 1), row("2023-12-01", 1, 3, 0),
            row("2024-01-01", 1, 0, 1), row("2024-01-01", 1, 1, 1), row("2024-01-01", 1, 2, 1));
  }

  @Test
  void theDateRangeTakesWholeCohortsOfFirstTimeUsers() {
    HeapRow[] events = {
      event(1, 1, "2024-01-08T00:00:00", "signup"), event(2, 1, "2024-01-15T10:00:00", "use"), // week 01-08, back in period 1
      event(3, 2, "2024-01-03T10:00:00", "signup"), // week 01-01: outside
      event(4, 3, "2024-01-02T10:00:00", "signup"), event(5, 3, "2024-01-09T10:00:00", "signup"), // first ever in week 01-01: outside
      event(6, 4, "2024-01-14T23:59:59", "signup"), // Sunday: week 01-08
      event(7, 5, "2024-01-15T00:00:00", "signup"), // week 01-15: outside
    };
    // a range of one Wednesday selects the whole week of Monday 01-08: users 1 and 4
    Retention week = Retention.builder().startEvent("signup").returnEvent("use").period(Retention.Period.WEEK).periods(1)
        .from(LocalDate.of(2024, 1, 10)).to(LocalDate.of(2024, 1, 10)).build();
    assertThat(run(events, week)).containsExactly(row("2024-01-08", 2, 0, 2), row("2024-01-08", 2, 1, 1));
  }

  @Test
  void aBreakdownTakesTheSessionOfTheFirstStartEvent() {
    HeapRow[] rows = {
      session(11, 1, null), session(12, 1, "https://duckduckgo.com/"), // Direct, Organic Search
      session(21, 2, "https://duckduckgo.com/"),
      session(31, 3, null), session(32, 3, "https://www.bing.com/"),
      // b1: signs up in a Direct session, returns in an Organic one: Direct
      event(1, 1, 11, "2024-01-01T10:00:00", "signup"), event(2, 1, 12, "2024-01-02T10:00:00", "use"),
      // b2: Organic Search, never back
      event(3, 2, 21, "2024-01-01T10:00:00", "signup"),
      // b3: first signup in the Organic session 32, again in the Direct session 31: Organic Search
      event(4, 3, 32, "2024-01-01T11:00:00", "signup"), event(5, 3, 31, "2024-01-02T11:00:00", "signup"),
      // b4: signs up in session 99, which Heap never synced: the NULL group; back on 01-02
      event(6, 4, 99, "2024-01-01T12:00:00", "signup"), event(7, 4, 99, "2024-01-02T12:00:00", "use"),
    };
    Retention byChannel = Retention.builder().startEvent("signup").returnEvent("use").periods(1).breakdown("channel").build();
    try (HeapTestDatabase db = HeapTestDatabase.create(CONFIG)) {
      db.insert(rows);
      db.build(HeapProject.standard(CONFIG));
      RetentionResult result = new AnalysisRunner(Warehouses.H2, CONFIG).run(byChannel, db.connection());
      assertThat(result.breakdownColumn()).contains("channel");
      assertThat(result.rows())
          .extracting(r -> tuple(r.breakdownValue(), r.cohort(), r.cohortSize(), r.period(), r.retained(), round(r.rate())))
          .containsExactly(
              tuple("Direct", LocalDate.of(2024, 1, 1), 1L, 0, 1L, 1.0), tuple("Direct", LocalDate.of(2024, 1, 1), 1L, 1, 1L, 1.0),
              tuple("Organic Search", LocalDate.of(2024, 1, 1), 2L, 0, 2L, 1.0), tuple("Organic Search", LocalDate.of(2024, 1, 1), 2L, 1, 0L, 0.0),
              tuple(null, LocalDate.of(2024, 1, 1), 1L, 0, 1L, 1.0), tuple(null, LocalDate.of(2024, 1, 1), 1L, 1, 1L, 1.0));
    }
  }

  @Test
  void eventsMayBePredicatesAndNobodyStartingGivesNoRows() {
    // "a sign-up of any kind": signup or signup_sso, a predicate on the events fact
    EventPredicate anySignup =
        b -> b.or(b.equals(b.field("heap_event_name"), b.literal("signup")), b.equals(b.field("heap_event_name"), b.literal("signup_sso")));
    HeapRow[] events = {
      event(1, 1, "2024-01-01T10:00:00", "signup_sso"), event(2, 1, "2024-01-02T10:00:00", "use"),
      event(3, 2, "2024-01-01T10:00:00", "signup"),
      event(4, 3, "2024-01-01T10:00:00", "signin"), // no sign-up
    };
    Retention r = Retention.builder().startEvent("sign-up", anySignup).returnEvent("use").periods(1).build();
    assertThat(run(events, r)).containsExactly(row("2024-01-01", 2, 0, 2), row("2024-01-01", 2, 1, 1));
    assertThat(run(events, r.toBuilder().startEvent("purchase").build())).isEmpty();
  }

  // ---------------------------------------------------------------- helpers

  private static List<Tuple> run(HeapRow[] rows, Retention retention) {
    try (HeapTestDatabase db = HeapTestDatabase.create(CONFIG)) {
      db.insert(rows);
      db.build(HeapProject.standard(CONFIG));
      RetentionResult result = new AnalysisRunner(Warehouses.H2, CONFIG).run(retention, db.connection());
      assertThat(result.rows()).allMatch(r -> r.breakdownValue() == null);
      return result.rows().stream().map(r -> tuple(r.cohort(), r.cohortSize(), r.period(), r.retained(), round(r.rate()))).toList();
    }
  }

  /** A row of the result: the rate is {@code retained / size}, worked out here. */
  private static Tuple row(String cohort, long size, int period, long retained) {
    return tuple(LocalDate.parse(cohort), size, period, retained, round((double) retained / size));
  }

  /** An event in the user's own session (the user id times ten). */
  private static HeapRow event(long id, long user, String time, String name) {
    return event(id, user, user * 10, time, name);
  }

  private static HeapRow event(long id, long user, long session, String time, String name) {
    return HeapRow.of("all_events").set("event_id", id).set("user_id", user).set("session_id", session).set("time", time).set("event_table_name", name);
  }

  private static HeapRow session(long id, long user, String referrer) {
    return HeapRow.of("sessions").set("session_id", id).set("user_id", user).set("time", "2024-01-01T09:00:00").set("referrer", referrer);
  }

  /** Rates are compared to 12 decimals: 2.0 / 3 computed in SQL and in Java may differ in the last bit. */
  private static double round(double v) {
    return Math.round(v * 1e12) / 1e12;
  }
}
