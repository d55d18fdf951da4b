package io.heapsdk.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heapsdk.config.HeapConfig;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** The retention and paths specs: defaults, copies, and a clear error for every bad setting (no SQL here). */
class RetentionAndPathsSpecTest {
  @Test
  void retentionDefaults() {
    Retention r = Retention.builder().build();
    assertThat(r.startEvent()).isEmpty();
    assertThat(r.returnEvent()).isEmpty();
    assertThat(r.period()).isEqualTo(Retention.Period.DAY);
    assertThat(r.periods()).isEqualTo(7);
    assertThat(r.mode()).isEqualTo(Retention.Mode.ON);
    assertThat(r.breakdown()).isEmpty();
    assertThat(r.outputColumns()).containsExactly("cohort", "cohort_size", "period", "retained", "rate");
    assertThat(r.toString()).contains("start=any event", "return=any event", "period=day");
  }

  @Test
  void aRetentionCopyIsEqualAndChangesLeaveTheOriginalAlone() {
    Retention r = Retention.builder().startEvent("sign_up").returnEvent("purchase").period(Retention.Period.WEEK).periods(8).breakdown("UTM_Source").build();
    assertThat(r.toBuilder().build()).isEqualTo(r).hasSameHashCodeAs(r);
    assertThat(r.breakdown()).contains("utm_source");
    assertThat(r.outputColumns()).containsExactly("utm_source", "cohort", "cohort_size", "period", "retained", "rate");
    Retention any = r.toBuilder().anyStartEvent().anyReturnEvent().mode(Retention.Mode.ON_OR_AFTER).build();
    assertThat(any).isNotEqualTo(r);
    assertThat(any.startEvent()).isEmpty();
    assertThat(r.startEvent()).map(Step::label).contains("sign_up");
    assertThat(r.mode()).isEqualTo(Retention.Mode.ON);
  }

  @Test
  void periodsStartOnTheFirstDayOfTheirDayWeekOrMonth() {
    LocalDate sunday = LocalDate.of(2024, 1, 14);
    assertThat(Retention.Period.DAY.start(sunday)).isEqualTo(sunday);
    assertThat(Retention.Period.WEEK.start(sunday)).isEqualTo(LocalDate.of(2024, 1, 8));
    assertThat(Retention.Period.WEEK.start(LocalDate.of(2024, 1, 8))).isEqualTo(LocalDate.of(2024, 1, 8));
    assertThat(Retention.Period.MONTH.start(sunday)).isEqualTo(LocalDate.of(2024, 1, 1));
    assertThat(Retention.Period.parse(" Week ")).isEqualTo(Retention.Period.WEEK);
    assertThat(Retention.Mode.parse("on-or-after")).isEqualTo(Retention.Mode.ON_OR_AFTER);
  }

  @Test
  void badRetentionSettingsAreNamed() {
    assertError(Retention.builder().periods(0), "retention: periods: expected 1 to 366 periods, got 0");
    assertError(Retention.builder().periods(367), "retention: periods: expected 1 to 366 periods, got 367");
    assertError(
        Retention.builder().from(LocalDate.of(2024, 2, 1)).to(LocalDate.of(2024, 1, 31)),
        "retention: to: the date range ends (2024-01-31) before it starts (2024-02-01)");
    assertError(Retention.builder().breakdown("utm_mediun"), "retention: breakdown: \"utm_mediun\" is not a column of stg_heap_sessions_inc_fct; did you mean 'utm_medium'");
    assertError(Retention.builder().startEvent(" ", b -> b.literal(true)), "retention: start_event: expected a non-empty name, got \" \"");
    assertThatThrownBy(() -> Retention.builder().returnEvent("")).hasMessage("retention: return_event: expected a non-empty name, got \"\"");
    assertThatThrownBy(() -> Retention.builder().startEvent("a\u0000b")).hasMessageStartingWith("retention: start_event: contains a NUL character");
    assertThatThrownBy(() -> Retention.builder().period(null)).hasMessage("retention: period: expected day, week or month, got null");
    assertThatThrownBy(() -> Retention.Period.parse("year")).hasMessage("retention: period: unknown period \"year\"; expected day, week or month");
    assertThatThrownBy(() -> Retention.Mode.parse("after")).hasMessage("retention: mode: unknown mode \"after\"; expected on or on_or_after");
    // a funnel step's count column exists only for the config's funnel events
    Retention byStep = Retention.builder().breakdown("heap_session_funnel_step_3_cnt").build();
    assertThatThrownBy(() -> byStep.validate(HeapConfig.builder().build()))
        .isInstanceOf(HeapAnalysisException.class)
        .hasMessageStartingWith("retention: breakdown: \"heap_session_funnel_step_3_cnt\" is not a column of stg_heap_sessions_inc_fct with this config");
  }

  @Test
  void pathsDefaultsAndCopies() {
    Paths p = Paths.builder().event("view_product").build();
    assertThat(p.steps()).isEqualTo(3);
    assertThat(p.top()).isEqualTo(10);
    assertThat(p.direction()).isEqualTo(Paths.Direction.AFTER);
    assertThat(p.unit()).isEqualTo(Funnel.Unit.USER);
    assertThat(p.source()).isEqualTo(Paths.Source.EVENTS);
    assertThat(p.collapseRepeats()).isTrue();
    assertThat(p.exclusions()).isEmpty();
    assertThat(p.outputColumns()).containsExactly("rank", "step_1", "step_2", "step_3", "count", "share");
    Paths before = p.toBuilder().direction(Paths.Direction.BEFORE).exclude("pageviews").build();
    assertThat(before.toBuilder().build()).isEqualTo(before).hasSameHashCodeAs(before);
    assertThat(before).isNotEqualTo(p);
    assertThat(p.exclusions()).isEmpty();
    assertThat(before.toString()).contains("event=view_product", "direction=before", "exclusions=[pageviews]");
  }

  @Test
  void badPathsSettingsAreNamed() {
    assertError(Paths.builder(), "paths: event: expected the event the paths start (or end) at, got none");
    assertError(Paths.builder().event("a").steps(0), "paths: steps: expected 1 to 20 steps, got 0");
    assertError(Paths.builder().event("a").steps(21), "paths: steps: expected 1 to 20 steps, got 21");
    assertError(Paths.builder().event("a").top(0), "paths: top: expected 1 to 1000 paths, got 0");
    assertError(Paths.builder().event("a").exclude("b", "a"), "paths: exclusions[1]: \"a\" is the event the paths start (or end) at");
    assertThatThrownBy(() -> Paths.builder().event(" ")).hasMessage("paths: event: expected a non-empty name, got \" \"");
    assertThatThrownBy(() -> Paths.builder().event("a").unit(null)).hasMessage("paths: unit: expected user or session, got null");
  }

  private static void assertError(Retention.Builder b, String message) {
    assertThatThrownBy(b::build).isInstanceOf(HeapAnalysisException.class).hasMessageStartingWith(message);
  }

  private static void assertError(Paths.Builder b, String message) {
    assertThatThrownBy(b::build).isInstanceOf(HeapAnalysisException.class).hasMessageStartingWith(message);
  }
}
