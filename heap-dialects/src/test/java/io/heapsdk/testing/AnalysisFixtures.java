package io.heapsdk.testing;

import io.heapsdk.analysis.Attribution;
import io.heapsdk.analysis.AttributionModel;
import io.heapsdk.analysis.Funnel;
import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The funnels and attributions whose SQL the golden files hold and the warehouse validators check:
 * every ordering and unit, exclusions, breakdowns, a date range; every attribution model, collapsed
 * repeats.
 */
public final class AnalysisFixtures {
  private AnalysisFixtures() {}

  /** Funnels by model name. */
  public static Map<String, Funnel> funnels() {
    Map<String, Funnel> f = new LinkedHashMap<>();
    Funnel.Builder checkout = Funnel.builder().step("view_product").step("add_to_cart").step("purchase");
    f.put("funnel_ordered_users", checkout.build());
    f.put(
        "funnel_strict_sessions_by_channel",
        Funnel.builder()
            .step("view_product").step("add_to_cart").step("begin_checkout").step("purchase")
            .ordering(Funnel.Ordering.STRICT)
            .unit(Funnel.Unit.SESSION)
            .window(Duration.ofHours(2))
            .exclude("refund")
            .breakdown("channel")
            .from(LocalDate.of(2024, 1, 1))
            .to(LocalDate.of(2024, 1, 31))
            .build());
    f.put("funnel_any_order_by_utm_source", checkout.ordering(Funnel.Ordering.ANY_ORDER).window(Duration.ofDays(7)).breakdown("utm_source").build());
    return f;
  }

  /** Attributions by model name. */
  public static Map<String, Attribution> attributions() {
    Map<String, Attribution> a = new LinkedHashMap<>();
    for (AttributionModel m : AttributionModel.values()) {
      a.put("attribution_" + m.cliName(), Attribution.builder().model(m).build());
    }
    a.put(
        "attribution_time_decay_collapsed_by_campaign",
        Attribution.builder()
            .model(AttributionModel.TIME_DECAY)
            .halfLife(Duration.ofDays(3))
            .lookback(Duration.ofDays(30))
            .by("utm_campaign")
            .collapseRepeats(true)
            .from(LocalDate.of(2024, 1, 1))
            .build());
    return a;
  }

  /** The standard models of {@code config} plus every fixture, each a table model of its name. */
  public static HeapProject project(HeapConfig config) {
    HeapProject project = HeapProject.standard(config);
    funnels().forEach((name, f) -> f.addTo(project, name));
    attributions().forEach((name, a) -> a.addTo(project, name));
    return project;
  }
}
