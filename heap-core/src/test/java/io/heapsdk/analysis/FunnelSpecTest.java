package io.heapsdk.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.model.PlannedModel;
import java.time.Duration;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** The funnel spec: defaults, copies, and a clear error for every bad setting (no SQL here). */
class FunnelSpecTest {
  @Test
  void defaults() {
    Funnel f = Funnel.builder().step("a").step("b").build();
    assertThat(f.window()).isEqualTo(Duration.ofDays(14));
    assertThat(f.ordering()).isEqualTo(Funnel.Ordering.ORDERED);
    assertThat(f.unit()).isEqualTo(Funnel.Unit.USER);
    assertThat(f.exclusions()).isEmpty();
    assertThat(f.breakdown()).isEmpty();
    assertThat(f.from()).isEmpty();
    assertThat(f.to()).isEmpty();
    assertThat(f.steps()).extracting(Step::label).containsExactly("a", "b");
    assertThat(f.outputColumns())
        .containsExactly(
            "step", "event", "entered", "conversion_from_first", "conversion_from_previous", "drop_off",
            "median_seconds_from_first", "avg_seconds_from_first");
  }

  @Test
  void aCopyIsEqualAndChangesLeaveTheOriginalAlone() {
    Funnel f = Funnel.builder().step("a").step("b").window(Duration.ofDays(7)).exclude("x").breakdown("channel").from(LocalDate.of(2024, 1, 1)).build();
    assertThat(f.toBuilder().build()).isEqualTo(f).hasSameHashCodeAs(f);
    Funnel strict = f.toBuilder().ordering(Funnel.Ordering.STRICT).build();
    assertThat(strict).isNotEqualTo(f);
    assertThat(f.ordering()).isEqualTo(Funnel.Ordering.ORDERED);
    assertThat(strict.outputColumns().get(0)).isEqualTo("channel");
    assertThat(f.toString()).contains("steps=[a, b]", "window=7d", "breakdown=channel");
  }

  @Test
  void badSettingsAreNamed() {
    assertError(Funnel.builder(), "funnel: steps: expected at least one step, got none");
    assertError(Funnel.builder().step("a").window(Duration.ofHours(-1)), "funnel: window: expected a positive duration, got -1h");
    assertError(Funnel.builder().step("a").window(Duration.ZERO), "funnel: window: expected a positive duration, got 0s");
    assertError(Funnel.builder().step("a").window(Duration.ofMillis(1500)), "funnel: window: expected a whole number of seconds, got 1.5s");
    assertError(Funnel.builder().step("a").window(Duration.ofDays(3651)), "funnel: window: expected at most 3650d, got 3651d");
    assertError(Funnel.builder().step("a").exclude("a"), "funnel: exclusions[0]: \"a\" is also a step (steps[0])");
    assertError(
        Funnel.builder().step("a").step("a").ordering(Funnel.Ordering.ANY_ORDER),
        "funnel: steps[1]: \"a\" is also steps[0]; a step may repeat only in ordered or strict funnels");
    assertError(
        Funnel.builder().step("a").from(LocalDate.of(2024, 2, 1)).to(LocalDate.of(2024, 1, 31)),
        "funnel: to: the date range ends (2024-01-31) before it starts (2024-02-01)");
    assertError(Funnel.builder().step("a").breakdown(" "), "funnel: breakdown: expected a non-empty name, got \" \"");
    assertError(Funnel.builder().step("a").step("ok", b -> b.literal(true)).step(" ", b -> b.literal(true)), "funnel: steps[2]: expected a non-empty name, got \" \"");
    Funnel.Builder many = Funnel.builder();
    for (int i = 0; i <= Funnel.MAX_STEPS; i++) {
      many.step("e" + i);
    }
    assertError(many, "funnel: steps: expected at most 20 steps, got 21");
    assertThatThrownBy(() -> Funnel.builder().step(""))
        .isInstanceOf(HeapAnalysisException.class)
        .hasMessage("funnel: steps[0]: expected a non-empty name, got \"\"");
  }

  @Test
  void durationsReadAndPrintTheShortWay() {
    assertThat(Durations.parse("7d")).contains(Duration.ofDays(7));
    assertThat(Durations.parse("1D12H")).contains(Duration.ofHours(36));
    assertThat(Durations.parse("90m")).contains(Duration.ofMinutes(90));
    assertThat(Durations.parse("45s")).contains(Duration.ofSeconds(45));
    assertThat(Durations.parse("P2DT3H")).contains(Duration.ofHours(51));
    assertThat(Durations.parse("-1d")).isEmpty();
    assertThat(Durations.parse("7 days")).isEmpty();
    assertThat(Durations.parse("")).isEmpty();
    assertThat(Durations.parse("99999999999999999999d")).isEmpty();
    assertThat(Durations.format(Duration.ofHours(36))).isEqualTo("1d12h");
    assertThat(Durations.format(Duration.ofSeconds(-3600))).isEqualTo("-1h");
    assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
    assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1.5s");
  }

  @Test
  void orderingsAndUnitsParseTheirCommandLineNames() {
    assertThat(Funnel.Ordering.parse("any_order")).isEqualTo(Funnel.Ordering.ANY_ORDER);
    assertThat(Funnel.Ordering.parse("Any-Order")).isEqualTo(Funnel.Ordering.ANY_ORDER);
    assertThat(Funnel.Ordering.parse("strict")).isEqualTo(Funnel.Ordering.STRICT);
    assertThat(Funnel.Unit.parse("session")).isEqualTo(Funnel.Unit.SESSION);
    assertThatThrownBy(() -> Funnel.Ordering.parse("loose"))
        .isInstanceOf(HeapAnalysisException.class)
        .hasMessage("funnel: ordering: unknown ordering \"loose\"; expected ordered, strict or any_order");
    assertThatThrownBy(() -> Funnel.Unit.parse("account")).hasMessage("funnel: unit: unknown unit \"account\"; expected user or session");
  }

  @Test
  void aFunnelPlansAsAModelWithStagesNamedAfterIt() {
    HeapProject project = HeapProject.standard(HeapConfig.defaults());
    Funnel.builder().step("a").step("b").exclude("x").breakdown("browser").build().addTo(project, "signup_funnel");
    PlannedModel m = project.plan().model("signup_funnel");
    assertThat(m.columnNames()).containsExactly(
        "browser", "step", "event", "entered", "conversion_from_first", "conversion_from_previous", "drop_off",
        "median_seconds_from_first", "avg_seconds_from_first");
    assertThat(m.refs()).containsExactlyInAnyOrder("stg_heap_events_all_inc_fct", "stg_heap_sessions_inc_fct");
    assertThat(m.stages()).extracting(s -> s.name()).allMatch(n -> n.startsWith("signup_funnel_"))
        .contains("signup_funnel_events", "signup_funnel_chain_1", "signup_funnel_attempts", "signup_funnel_entries", "signup_funnel_ranked");
    assertThat(m.model().columnDescriptions()).containsKeys("browser", "entered", "median_seconds_from_first");
  }

  @Test
  void twoFunnelsLiveInOneProject() {
    HeapProject project = HeapProject.standard(HeapConfig.defaults());
    Funnel.builder().step("a").build().addTo(project, "one");
    Funnel.builder().step("a").ordering(Funnel.Ordering.STRICT).build().addTo(project, "two");
    assertThat(project.plan().models()).extracting(PlannedModel::name).contains("one", "two");
  }

  private static void assertError(Funnel.Builder builder, String message) {
    assertThatThrownBy(builder::build).isInstanceOf(HeapAnalysisException.class).hasMessage(message);
  }

}
