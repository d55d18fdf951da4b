package io.heapsdk.analysis;

import static io.heapsdk.testing.Rows.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.run.AnalysisRunner;
import io.heapsdk.testing.H2Db;
import io.heapsdk.warehouse.Warehouses;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Exclusions as PostHog computes them: an attempt with an exclusion event between the named steps,
 * within the conversion window, leaves its unit out of the funnel altogether.
 *
 * <p>The first tests replay PostHog's own funnel tests, event for event, with the counts those tests
 * assert (PostHog numbers steps from 0: its {@code funnel_from_step: 0, funnel_to_step: 1} is steps 1
 * to 2 here). Source: https://github.com/PostHog/posthog/blob/master/posthog/hogql_queries/insights/funnels/test/test_funnel.py
 * (tests {@code test_funnel_exclusions_full_window}, {@code test_funnel_exclusion_no_end_event},
 * {@code test_funnel_exclusion_multiple_possible_no_end_event1} to {@code 3},
 * {@code test_advanced_funnel_exclusions_between_steps},
 * {@code test_advanced_funnel_multiple_exclusions_between_steps}). The rest pin down the edge rules,
 * worked out by hand from PostHog's funnel engine
 * (https://github.com/PostHog/posthog/blob/master/funnel-udf/src/steps.rs) as the README describes.
 * Every user has one session unless said otherwise.
 */
class FunnelExclusionTest {
  private static final HeapConfig CONFIG = HeapConfig.builder().ownDomain("example.com").build();

  private long nextId = 1;

  private Object[] e(long user, String time, String name) {
    return event(nextId++, user, user, time, name);
  }

  @Test
  void postHogFullWindow() {
    // test_funnel_exclusions_full_window: person 2 did the exclusion between sign-up and paying and
    // is counted nowhere; persons 1 and 3 convert
    List<Object[]> ev = new ArrayList<>();
    ev.add(e(1, "2021-05-01T01:00:00", "user signed up"));
    ev.add(e(1, "2021-05-01T02:00:00", "paid"));
    ev.add(e(2, "2021-05-01T03:00:00", "user signed up"));
    ev.add(e(2, "2021-05-01T03:30:00", "x 1 name with numbers 2"));
    ev.add(e(2, "2021-05-01T04:00:00", "paid"));
    ev.add(e(3, "2021-05-01T05:00:00", "user signed up"));
    ev.add(e(3, "2021-05-01T06:00:00", "paid"));
    Funnel f = Funnel.builder().step("user signed up").step("paid").window(Duration.ofDays(14)).exclude("x 1 name with numbers 2", 1, 2).build();
    assertThat(entered(ev, f)).containsExactly(2L, 2L);
  }

  @Test
  void postHogNoEndEvent() {
    // test_funnel_exclusion_no_end_event, a one-day window: person 3 is dropped although nothing came
    // after the exclusion; person 4's exclusion came 25 hours after sign-up, outside the window
    List<Object[]> ev = new ArrayList<>();
    ev.add(e(1, "2021-05-01T01:00:00", "user signed up"));
    ev.add(e(1, "2021-05-01T02:00:00", "paid"));
    ev.add(e(2, "2021-05-01T03:00:00", "user signed up"));
    ev.add(e(2, "2021-05-01T03:30:00", "x"));
    ev.add(e(2, "2021-05-01T04:00:00", "paid"));
    ev.add(e(3, "2021-05-01T05:00:00", "user signed up"));
    ev.add(e(3, "2021-05-01T06:00:00", "x"));
    ev.add(e(4, "2021-05-01T07:00:00", "user signed up"));
    ev.add(e(4, "2021-05-02T08:00:00", "x"));
    Funnel f = Funnel.builder().step("user signed up").step("paid").window(Duration.ofDays(1)).exclude("x", 1, 2).build();
    assertThat(entered(ev, f)).containsExactly(2L, 1L);
  }

  @Test
  void postHogSeveralAttemptsTheCleanOneCounts() {
    // a ten-second window throughout
    Funnel f = Funnel.builder().step("step one").step("step two").window(Duration.ofSeconds(10)).exclude("exclusion", 1, 2).build();
    // ..._no_end_event1: step one at 0 s, the exclusion at 1 s, step one again at 31 s: the second
    // attempt is clean, the user is counted at step 1
    List<Object[]> first = List.of(
        e(1, "2021-05-01T00:00:00", "step one"), e(1, "2021-05-01T00:00:01", "exclusion"), e(1, "2021-05-01T00:00:31", "step one"));
    assertThat(entered(first, f)).containsExactly(1L, 0L);
    // ..._no_end_event2: step one at 0 s and 31 s, the exclusion at 32 s: it spoils the second
    // attempt only (32 s is outside the first one's window), and the first one counts
    List<Object[]> second = List.of(
        e(1, "2021-05-01T00:00:00", "step one"), e(1, "2021-05-01T00:00:31", "step one"), e(1, "2021-05-01T00:00:32", "exclusion"));
    assertThat(entered(second, f)).containsExactly(1L, 0L);
    // ..._no_end_event3: step one at 0 s and 1 s, the exclusion at 2 s: both attempts are excluded,
    // nobody is in the funnel (PostHog answers with no results)
    List<Object[]> third = List.of(
        e(1, "2021-05-01T00:00:00", "step one"), e(1, "2021-05-01T00:00:01", "step one"), e(1, "2021-05-01T00:00:02", "exclusion"));
    assertThat(entered(third, f)).isEmpty();
  }

  /** test_advanced_funnel_exclusions_between_steps: three persons, five steps, the exclusion x in four places. */
  private List<Object[]> advanced() {
    List<Object[]> ev = new ArrayList<>();
    // person 1: x between steps 2-3, 3-4 and 4-5
    ev.add(e(1, "2021-05-01T01:00:00", "user signed up"));
    ev.add(e(1, "2021-05-01T02:00:00", "$pageview"));
    ev.add(e(1, "2021-05-01T03:00:00", "x"));
    ev.add(e(1, "2021-05-01T04:00:00", "insight viewed"));
    ev.add(e(1, "2021-05-01T04:30:00", "x"));
    ev.add(e(1, "2021-05-01T05:00:00", "invite teammate"));
    ev.add(e(1, "2021-05-01T05:30:00", "x"));
    ev.add(e(1, "2021-05-01T06:00:00", "pageview2"));
    // person 2: x between steps 3-4 and 4-5
    ev.add(e(2, "2021-05-01T01:00:00", "user signed up"));
    ev.add(e(2, "2021-05-01T02:00:00", "$pageview"));
    ev.add(e(2, "2021-05-01T04:00:00", "insight viewed"));
    ev.add(e(2, "2021-05-01T04:30:00", "x"));
    ev.add(e(2, "2021-05-01T05:00:00", "invite teammate"));
    ev.add(e(2, "2021-05-01T05:30:00", "x"));
    ev.add(e(2, "2021-05-01T06:00:00", "pageview2"));
    // person 3: x between steps 1-2 and 4-5
    ev.add(e(3, "2021-05-01T01:00:00", "user signed up"));
    ev.add(e(3, "2021-05-01T01:30:00", "x"));
    ev.add(e(3, "2021-05-01T02:00:00", "$pageview"));
    ev.add(e(3, "2021-05-01T04:00:00", "insight viewed"));
    ev.add(e(3, "2021-05-01T05:00:00", "invite teammate"));
    ev.add(e(3, "2021-05-01T05:30:00", "x"));
    ev.add(e(3, "2021-05-01T06:00:00", "pageview2"));
    return ev;
  }

  private static Funnel.Builder fiveSteps() {
    return Funnel.builder().step("user signed up").step("$pageview").step("insight viewed").step("invite teammate").step("pageview2");
  }

  @Test
  void postHogExclusionsBetweenSteps() {
    List<Object[]> ev = advanced();
    // PostHog 0-1: person 3 is out; persons 1 and 2 go through all five steps
    assertThat(entered(ev, fiveSteps().exclude("x", 1, 2).build())).containsExactly(2L, 2L, 2L, 2L, 2L);
    // 1-2: person 1 is out
    assertThat(entered(ev, fiveSteps().exclude("x", 2, 3).build())).containsExactly(2L, 2L, 2L, 2L, 2L);
    // 2-3: persons 1 and 2 are out
    assertThat(entered(ev, fiveSteps().exclude("x", 3, 4).build())).containsExactly(1L, 1L, 1L, 1L, 1L);
    // 3-4: everybody is out
    assertThat(entered(ev, fiveSteps().exclude("x", 4, 5).build())).isEmpty();
    // 1-3, a range over two gaps: persons 1 and 2 are out
    assertThat(entered(ev, fiveSteps().exclude("x", 2, 4).build())).containsExactly(1L, 1L, 1L, 1L, 1L);
  }

  @Test
  void postHogSeveralExclusionsBetweenSteps() {
    // test_advanced_funnel_multiple_exclusions_between_steps: x between steps 1-2 and y between 3-4
    List<Object[]> ev = new ArrayList<>();
    ev.add(e(1, "2021-05-01T01:00:00", "user signed up"));
    ev.add(e(1, "2021-05-01T02:00:00", "x"));
    ev.add(e(1, "2021-05-01T03:00:00", "$pageview"));
    ev.add(e(1, "2021-05-01T04:00:00", "insight viewed"));
    ev.add(e(1, "2021-05-01T04:30:00", "y"));
    ev.add(e(1, "2021-05-01T05:00:00", "invite teammate"));
    ev.add(e(1, "2021-05-01T06:00:00", "pageview2"));
    ev.add(e(2, "2021-05-01T01:00:00", "user signed up"));
    ev.add(e(2, "2021-05-01T01:30:00", "y"));
    ev.add(e(2, "2021-05-01T02:00:00", "$pageview"));
    ev.add(e(2, "2021-05-01T04:00:00", "insight viewed"));
    ev.add(e(2, "2021-05-01T04:30:00", "y"));
    ev.add(e(2, "2021-05-01T05:00:00", "invite teammate"));
    ev.add(e(2, "2021-05-01T05:30:00", "x"));
    ev.add(e(2, "2021-05-01T06:00:00", "pageview2"));
    ev.add(e(3, "2021-05-01T01:00:00", "user signed up"));
    ev.add(e(3, "2021-05-01T01:30:00", "x"));
    ev.add(e(3, "2021-05-01T02:00:00", "$pageview"));
    ev.add(e(3, "2021-05-01T04:00:00", "insight viewed"));
    ev.add(e(3, "2021-05-01T05:00:00", "invite teammate"));
    ev.add(e(3, "2021-05-01T05:30:00", "x"));
    ev.add(e(3, "2021-05-01T06:00:00", "pageview2"));
    ev.add(e(4, "2021-05-01T01:00:00", "user signed up"));
    ev.add(e(4, "2021-05-01T02:00:00", "$pageview"));
    ev.add(e(4, "2021-05-01T04:00:00", "insight viewed"));
    ev.add(e(4, "2021-05-01T05:00:00", "invite teammate"));
    ev.add(e(4, "2021-05-01T06:00:00", "pageview2"));
    // only person 4 remains, whichever way the exclusions are set
    assertThat(entered(ev, fiveSteps().exclude("x", 1, 2).exclude("y", 3, 4).build())).containsExactly(1L, 1L, 1L, 1L, 1L);
    assertThat(entered(ev, fiveSteps().exclude("x", 1, 2).exclude("y", 1, 2).build())).containsExactly(1L, 1L, 1L, 1L, 1L);
    assertThat(entered(ev, fiveSteps().exclude("x").exclude("y").build())).containsExactly(1L, 1L, 1L, 1L, 1L);
  }

  @Test
  void postHogRefusesRangesThatAreNotTwoStepsInOrder() {
    // test_funnel_exclusions_invalid_params, on a two-step funnel: 1-1, 2-2 (PostHog's 1-2), 3-2, 1-3
    Funnel two = Funnel.builder().step("user signed up").step("paid").build();
    for (int[] range : new int[][] {{1, 1}, {2, 2}, {3, 2}, {1, 3}}) {
      assertThatThrownBy(() -> two.toBuilder().exclude("x", range[0], range[1]).build())
          .isInstanceOf(HeapAnalysisException.class)
          .hasMessage("funnel: exclusions[0]: expected two steps from 1 to 2, the first before the second, got " + range[0] + "-" + range[1]);
    }
    assertThatThrownBy(() -> Funnel.builder().step("a").exclude("x").build())
        .hasMessage("funnel: exclusions[0]: an exclusion applies between two steps; this funnel has only one");
    assertThatThrownBy(() -> Funnel.builder().step("a").step("b").step("c").ordering(Funnel.Ordering.ANY_ORDER).exclude("x", 1, 2).build())
        .hasMessage("funnel: exclusions[0]: an any_order funnel excludes only between its first and last step (1-3), got 1-2");
  }

  // ------------------------------------------------------------------ the edge rules, by hand

  @Test
  void anExclusionAtTheTimeOfAStepDoesNotCount() {
    List<Object[]> ev = new ArrayList<>();
    // user 1: the exclusion at the very second of step 1: not after it
    ev.add(e(1, "2024-01-10T10:00:00", "a"));
    ev.add(e(1, "2024-01-10T10:00:00", "x"));
    ev.add(e(1, "2024-01-10T10:01:00", "b"));
    // user 2: the exclusion at the very second of step 2: not before it (even with a smaller event id)
    ev.add(e(2, "2024-01-10T10:00:00", "a"));
    ev.add(e(2, "2024-01-10T10:01:00", "x"));
    ev.add(e(2, "2024-01-10T10:01:00", "b"));
    // user 3: a millisecond after step 1: excluded
    ev.add(e(3, "2024-01-10T10:00:00", "a"));
    ev.add(e(3, "2024-01-10T10:00:00.001", "x"));
    ev.add(e(3, "2024-01-10T10:01:00", "b"));
    assertThat(entered(ev, Funnel.builder().step("a").step("b").exclude("x").build())).containsExactly(2L, 2L);
  }

  @Test
  void anExclusionBeforeTheStartAfterTheConversionOrAfterTheWindowDoesNotCount() {
    List<Object[]> ev = new ArrayList<>();
    // user 1: before step 1
    ev.add(e(1, "2024-01-10T09:00:00", "x"));
    ev.add(e(1, "2024-01-10T10:00:00", "a"));
    ev.add(e(1, "2024-01-10T10:10:00", "b"));
    ev.add(e(1, "2024-01-10T10:20:00", "c"));
    // user 2: after the last step
    ev.add(e(2, "2024-01-10T10:00:00", "a"));
    ev.add(e(2, "2024-01-10T10:10:00", "b"));
    ev.add(e(2, "2024-01-10T10:20:00", "c"));
    ev.add(e(2, "2024-01-10T10:21:00", "x"));
    // user 3: reached b, the exclusion one second past the one-hour window: counts at step 2
    ev.add(e(3, "2024-01-10T10:00:00", "a"));
    ev.add(e(3, "2024-01-10T10:10:00", "b"));
    ev.add(e(3, "2024-01-10T11:00:01", "x"));
    // user 4: reached b, the exclusion exactly at the window's end: out
    ev.add(e(4, "2024-01-10T10:00:00", "a"));
    ev.add(e(4, "2024-01-10T10:10:00", "b"));
    ev.add(e(4, "2024-01-10T11:00:00", "x"));
    Funnel f = Funnel.builder().step("a").step("b").step("c").window(Duration.ofHours(1)).exclude("x").build();
    assertThat(entered(ev, f)).containsExactly(3L, 3L, 2L);
  }

  @Test
  void aRangeCoversOnlyItsSteps() {
    List<Object[]> ev = new ArrayList<>();
    // user 1: x between a and b, outside the range 2-3: converts
    ev.add(e(1, "2024-01-10T10:00:00", "a"));
    ev.add(e(1, "2024-01-10T10:01:00", "x"));
    ev.add(e(1, "2024-01-10T10:02:00", "b"));
    ev.add(e(1, "2024-01-10T10:03:00", "c"));
    // user 2: x between b and c: out
    ev.add(e(2, "2024-01-10T10:00:00", "a"));
    ev.add(e(2, "2024-01-10T10:01:00", "b"));
    ev.add(e(2, "2024-01-10T10:02:00", "x"));
    ev.add(e(2, "2024-01-10T10:03:00", "c"));
    // user 3: stopped at a, then x: never reached step 2, so the range 2-3 has not begun: counts at 1
    ev.add(e(3, "2024-01-10T10:00:00", "a"));
    ev.add(e(3, "2024-01-10T10:01:00", "x"));
    // user 4: stopped at b, then x: out (no end event needed)
    ev.add(e(4, "2024-01-10T10:00:00", "a"));
    ev.add(e(4, "2024-01-10T10:01:00", "b"));
    ev.add(e(4, "2024-01-10T10:02:00", "x"));
    assertThat(entered(ev, Funnel.builder().step("a").step("b").step("c").exclude("x", 2, 3).build())).containsExactly(2L, 1L, 1L);
  }

  @Test
  void anExcludedAttemptCountsOneStepPastItsExclusionWhenAttemptsAreCompared() {
    // a one-hour window. User 1: a clean attempt reaches c (its d is past the window), a later one is
    // excluded between b and c and would reach d: it counts as reaching c only, so the clean attempt
    // (first of the two at c) counts, at step 3. User 2: the excluded attempt is the only one: out.
    // User 3: a clean attempt reaching b and a later excluded one reaching d: the excluded one counts
    // as reaching c, further than b, and user 3 is out.
    List<Object[]> ev = new ArrayList<>();
    ev.add(e(1, "2024-01-10T10:00:00", "a"));
    ev.add(e(1, "2024-01-10T10:10:00", "b"));
    ev.add(e(1, "2024-01-10T10:20:00", "c"));
    ev.add(e(1, "2024-01-10T12:00:00", "a"));
    ev.add(e(1, "2024-01-10T12:10:00", "b"));
    ev.add(e(1, "2024-01-10T12:15:00", "x"));
    ev.add(e(1, "2024-01-10T12:20:00", "c"));
    ev.add(e(1, "2024-01-10T12:30:00", "d"));
    ev.add(e(2, "2024-01-10T12:00:00", "a"));
    ev.add(e(2, "2024-01-10T12:10:00", "b"));
    ev.add(e(2, "2024-01-10T12:15:00", "x"));
    ev.add(e(2, "2024-01-10T12:20:00", "c"));
    ev.add(e(2, "2024-01-10T12:30:00", "d"));
    ev.add(e(3, "2024-01-10T10:00:00", "a"));
    ev.add(e(3, "2024-01-10T10:10:00", "b"));
    ev.add(e(3, "2024-01-10T12:00:00", "a"));
    ev.add(e(3, "2024-01-10T12:10:00", "b"));
    ev.add(e(3, "2024-01-10T12:15:00", "x"));
    ev.add(e(3, "2024-01-10T12:20:00", "c"));
    ev.add(e(3, "2024-01-10T12:30:00", "d"));
    Funnel f = Funnel.builder().step("a").step("b").step("c").step("d").window(Duration.ofHours(1)).exclude("x", 2, 3).build();
    assertThat(entered(ev, f)).containsExactly(1L, 1L, 1L, 0L);
  }

  @Test
  void strictAndAnyOrderFunnelsExcludeToo() {
    List<Object[]> ev = new ArrayList<>();
    // user 1: a, x, b: excluded in every ordering
    ev.add(e(1, "2024-01-10T10:00:00", "a"));
    ev.add(e(1, "2024-01-10T10:01:00", "x"));
    ev.add(e(1, "2024-01-10T10:02:00", "b"));
    // user 2: b, x, a: ordered and strict attempts start at a, after x: step 1, clean
    ev.add(e(2, "2024-01-10T10:00:00", "b"));
    ev.add(e(2, "2024-01-10T10:01:00", "x"));
    ev.add(e(2, "2024-01-10T10:02:00", "a"));
    // user 3: a, b, x: after the conversion, counts everywhere
    ev.add(e(3, "2024-01-10T10:00:00", "a"));
    ev.add(e(3, "2024-01-10T10:01:00", "b"));
    ev.add(e(3, "2024-01-10T10:02:00", "x"));
    Funnel.Builder ab = Funnel.builder().step("a").step("b").exclude("x");
    assertThat(entered(ev, ab.ordering(Funnel.Ordering.STRICT).build())).containsExactly(2L, 1L);
    // any order: user 1's attempts are excluded (the one from b reaches nothing). User 2's attempt from
    // b reaches both steps but is excluded with no step done by 10:01, so it counts as reaching step 1
    // only; the clean attempt from a reaches step 1 too and wins the tie: user 2 counts at step 1
    assertThat(entered(ev, ab.ordering(Funnel.Ordering.ANY_ORDER).build())).containsExactly(2L, 1L);
  }

  @Test
  void aSessionFunnelExcludesWithinTheSession() {
    // user 1: session 11 has a, x, b (out); session 12 has a, b (counts); the x of session 11 does not
    // touch session 12 even though it lies between the user's events
    List<Object[]> ev =
        List.of(
            event(1, 1, 11, "2024-01-10T10:00:00", "a"),
            event(2, 1, 12, "2024-01-10T10:00:30", "a"),
            event(3, 1, 11, "2024-01-10T10:01:00", "x"),
            event(4, 1, 11, "2024-01-10T10:02:00", "b"),
            event(5, 1, 12, "2024-01-10T10:03:00", "b"));
    Funnel ab = Funnel.builder().step("a").step("b").exclude("x").build();
    assertThat(entered(ev, ab.toBuilder().unit(Funnel.Unit.SESSION).build())).containsExactly(1L, 1L);
    // per user: the attempt from 10:00 is excluded, the one from 10:00:30 too (x at 10:01 before its b)
    assertThat(entered(ev, ab)).isEmpty();
  }

  /** The entered count per step, in order; empty when nobody is in the funnel. */
  private static List<Long> entered(List<Object[]> events, Funnel funnel) {
    try (H2Db db = H2Db.create(CONFIG)) {
      db.insert("all_events", events.toArray(Object[][]::new));
      db.buildStandard();
      return new AnalysisRunner(Warehouses.H2, CONFIG).run(funnel, db.connection()).rows().stream().map(FunnelResult.Row::entered).toList();
    }
  }
}
