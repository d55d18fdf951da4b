package io.heapsdk.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.model.PlannedModel;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The attribution spec: defaults, copies, and a clear error for every bad setting (no SQL here). */
class AttributionSpecTest {
  @Test
  void defaults() {
    Attribution a = Attribution.builder().build();
    assertThat(a.model()).isEqualTo(AttributionModel.LAST_TOUCH);
    assertThat(a.lookback()).isEqualTo(Duration.ofDays(14));
    assertThat(a.halfLife()).isEqualTo(Duration.ofDays(7));
    assertThat(a.by()).isEqualTo("channel");
    assertThat(a.collapseRepeats()).isFalse();
    assertThat(a.positionWeights()).isEqualTo(new Attribution.PositionWeights(0.4, 0.2, 0.4));
    assertThat(a.conversionsFrom()).isEqualTo("stg_heap_events_all_inc_fct");
    assertThat(a.value()).isEmpty();
    assertThat(a.directChannel()).isEqualTo("Direct");
    assertThat(a.outputColumns()).containsExactly("channel", "conversions", "value");
    assertThat(a.toBuilder().build()).isEqualTo(a).hasSameHashCodeAs(a);
    assertThat(a.toBuilder().by("utm_source").build()).isNotEqualTo(a);
  }

  @Test
  void badSettingsAreNamed() {
    assertError(Attribution.builder().lookback(Duration.ofDays(-3)), "attribution: lookback: expected a positive duration, got -3d");
    assertError(Attribution.builder().halfLife(Duration.ZERO), "attribution: half_life: expected a positive duration, got 0s");
    assertError(Attribution.builder().by(""), "attribution: by: expected a non-empty name, got \"\"");
    // an output column's name is no sessions fact column, so it cannot clash
    assertThatThrownBy(() -> Attribution.builder().by("value").build().validate(io.heapsdk.config.HeapConfig.defaults()))
        .hasMessageStartingWith("attribution: by: \"value\" is not a column of stg_heap_sessions_inc_fct with this config; expected one of [channel, utm_source, ");
    assertError(
        Attribution.builder().conversionEvents("purchase").conversions(b -> b.literal(true)),
        "attribution: conversions: give conversion events or a predicate, not both");
    assertThatThrownBy(() -> Attribution.builder().positionWeights(0.5, 0.2, 0.4))
        .isInstanceOf(HeapAnalysisException.class)
        .hasMessageStartingWith("attribution: position_weights: expected shares summing to 1, got 0.5 + 0.2 + 0.4");
    assertThatThrownBy(() -> Attribution.builder().positionWeights(-0.1, 0.6, 0.5))
        .hasMessage("attribution: position_weights: expected shares between 0 and 1, got -0.1/0.6/0.5");
  }

  @Test
  void modelsParseTheirCommandLineNames() {
    for (AttributionModel m : AttributionModel.values()) {
      assertThat(AttributionModel.parse(m.cliName())).isEqualTo(m);
    }
    assertThat(AttributionModel.parse("Last-Non-Direct")).isEqualTo(AttributionModel.LAST_NON_DIRECT);
    assertThatThrownBy(() -> AttributionModel.parse("shapley"))
        .isInstanceOf(HeapAnalysisException.class)
        .hasMessage(
            "attribution: model: unknown model \"shapley\"; expected one of first_touch, last_touch, last_non_direct, linear,"
                + " position_based, time_decay");
  }

  @Test
  void anAttributionPlansAsAModelWithStagesNamedAfterIt() {
    HeapProject project = HeapProject.standard(HeapConfig.builder().conversionEvents(List.of("purchase")).build());
    Attribution.builder().model(AttributionModel.TIME_DECAY).by("utm_campaign").collapseRepeats(true).build().addTo(project, "campaign_credit");
    PlannedModel m = project.plan().model("campaign_credit");
    assertThat(m.columnNames()).containsExactly("utm_campaign", "conversions", "value");
    assertThat(m.stages()).extracting(s -> s.name())
        .containsExactly("campaign_credit_conversions", "campaign_credit_touches", "campaign_credit_touch_runs", "campaign_credit_weights");
  }

  private static void assertError(Attribution.Builder builder, String message) {
    assertThatThrownBy(builder::build).isInstanceOf(HeapAnalysisException.class).hasMessage(message);
  }
}
