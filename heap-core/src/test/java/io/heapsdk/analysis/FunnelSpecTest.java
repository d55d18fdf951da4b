package io.heapsdk.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.model.PlannedModel;
import io.heapsdk.model.TimeGrain;
import java.time.Duration;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** The funnel spec: defaults, copies, and a clear error for every bad setting (no SQL here). */
class FunnelSpecTest {
  /** A step prints the same text in every JVM: the record's own printed its predicate's lambda class. */
  @Test
  void aStepPrintsWithoutItsPredicatesLambda() {
    assertThat(Step.event("Покупка")).hasToString("Step[event=Покупка]");
    assertThat(new Step("Buy", EventPredicate.named("purchase"), java.util.Optional.of("purchase"))).hasToString("Step[label=Buy, event=purchase]");
    assertThat(Step.matching("Checkout", EventPredicate.named("x"))).hasToString("Step[label=Checkout, matching a predicate]");
  }

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

  @Test
  void exclusionsSpanTheWholeFunnelUnlessGivenTwoSteps() {
    Funnel f = Funnel.builder().step("a").step("b").step("c").exclude("x").exclude("y", 2, 3).build();
    assertThat(f.exclusions()).extracting(e -> e.step().label() + ":" + e.range()).containsExactly("x:1-3", "y:2-3");
    // a whole-funnel exclusion stays whole when a copy gets another step; a range stays as it was
    Funnel longer = f.toBuilder().step("d").build();
    assertThat(longer.exclusions()).extracting(e -> e.step().label() + ":" + e.range()).containsExactly("x:1-4", "y:2-3");
    assertThat(f.toString()).contains("exclusions=[x:1-3, y:2-3]");
    assertError(Funnel.builder().step("a").step("b").exclude("x", 0, 2), "funnel: exclusions[0]: expected two steps from 1 to 2, the first before the second, got 0-2");
    assertError(Funnel.builder().step("a").step("b").exclude("x", 2, 1), "funnel: exclusions[0]: expected two steps from 1 to 2, the first before the second, got 2-1");
    assertError(Funnel.builder().step("a").exclude("x"), "funnel: exclusions[0]: an exclusion applies between two steps; this funnel has only one");
  }

  @Test
  void breakdownAttributionsParseAndNeedABreakdown() {
    assertThat(BreakdownAttribution.parse("FIRST")).isEqualTo(BreakdownAttribution.first());
    assertThat(BreakdownAttribution.parse("last")).isEqualTo(BreakdownAttribution.last());
    assertThat(BreakdownAttribution.parse(" step:2 ")).isEqualTo(BreakdownAttribution.step(2));
    assertThat(BreakdownAttribution.step(2).cliName()).isEqualTo("step:2");
    assertThat(BreakdownAttribution.step(2).stepNumber()).hasValue(2);
    for (String bad : new String[] {"step:", "step:0", "step:x", "middle", "step:-1"}) {
      assertThatThrownBy(() -> BreakdownAttribution.parse(bad)).isInstanceOf(HeapAnalysisException.class).hasMessageStartingWith("funnel: breakdownAttribution: ");
    }
    assertError(
        Funnel.builder().step("a").breakdownAttribution(BreakdownAttribution.last()),
        "funnel: breakdownAttribution: is last but the funnel has no breakdown");
    assertError(
        Funnel.builder().step("a").step("b").breakdown("channel").breakdownAttribution(BreakdownAttribution.step(3)),
        "funnel: breakdownAttribution: step 3 of a funnel of 2 steps");
    Funnel f = Funnel.builder().step("a").step("b").breakdown("channel").breakdownAttribution(BreakdownAttribution.step(2)).build();
    assertThat(f.toBuilder().build()).isEqualTo(f);
    assertThat(f).isNotEqualTo(f.toBuilder().breakdownAttribution(BreakdownAttribution.first()).build());
  }

  @Test
  void trendsAndTimesToConvertCheckTheirSettings() {
    Funnel f = Funnel.builder().step("a").step("b").step("c").build();
    assertThat(f.trend(TimeGrain.WEEK).outputColumns()).containsExactly("period", "entered", "converted", "conversion");
    assertThat(f.toBuilder().breakdown("channel").build().trend(TimeGrain.DAY).outputColumns())
        .containsExactly("channel", "period", "entered", "converted", "conversion");
    assertThat(f.timeToConvert(1, 3).outputColumns()).containsExactly("bin", "from_seconds", "to_seconds", "units", "share");
    assertThat(f.timeToConvert(1, 3).bins()).isEmpty();
    assertThat(f.timeToConvert(2, 3, 12).bins()).hasValue(12);
    assertThat(f.timeToConvert(1, 3)).isEqualTo(f.timeToConvert(1, 3)).isNotEqualTo(f.timeToConvert(1, 2));
    assertThatThrownBy(() -> f.trend(null)).hasMessage("funnel: trend: expected a time grain (day, week or month), got null");
    assertThatThrownBy(() -> f.timeToConvert(3, 3)).hasMessage("funnel: timeToConvert: expected two steps from 1 to 3, the first before the second, got 3-3");
    assertThatThrownBy(() -> f.timeToConvert(1, 4)).hasMessage("funnel: timeToConvert: expected two steps from 1 to 3, the first before the second, got 1-4");
    assertThatThrownBy(() -> f.timeToConvert(1, 2, 0)).hasMessage("funnel: bins: expected 1 to 100 bins, got 0");
    assertThatThrownBy(() -> f.timeToConvert(1, 2, 101)).hasMessage("funnel: bins: expected 1 to 100 bins, got 101");
    assertThatThrownBy(() -> f.toBuilder().breakdown("channel").build().timeToConvert(1, 2))
        .hasMessage("funnel: timeToConvert: gives one histogram for all units; remove the breakdown (channel)");
  }

  @Test
  void trendsAndTimesToConvertPlanAsModels() {
    HeapProject project = HeapProject.standard(HeapConfig.defaults());
    Funnel f = Funnel.builder().step("a").step("b").exclude("x").build();
    f.trend(TimeGrain.MONTH).addTo(project, "signups_per_month");
    f.timeToConvert(1, 2).addTo(project, "time_to_sign_up");
    assertThat(project.plan().model("signups_per_month").columnNames()).containsExactly("period", "entered", "converted", "conversion");
    assertThat(project.plan().model("time_to_sign_up").columnNames()).containsExactly("bin", "from_seconds", "to_seconds", "units", "share");
    assertThat(project.plan().model("time_to_sign_up").stages()).extracting(s -> s.name())
        .contains("time_to_sign_up_exclusion_times", "time_to_sign_up_screened_attempts", "time_to_sign_up_unit_bins");
  }

  private static void assertError(Funnel.Builder builder, String message) {
    assertThatThrownBy(builder::build).isInstanceOf(HeapAnalysisException.class).hasMessage(message);
  }

}
