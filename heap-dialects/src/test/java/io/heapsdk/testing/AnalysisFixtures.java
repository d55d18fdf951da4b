package io.heapsdk.testing;

import io.heapsdk.analysis.Attribution;
import io.heapsdk.analysis.AttributionModel;
import io.heapsdk.analysis.BreakdownAttribution;
import io.heapsdk.analysis.Funnel;
import io.heapsdk.analysis.Paths;
import io.heapsdk.analysis.Retention;
import io.heapsdk.analysis.FunnelTrend;
import io.heapsdk.analysis.TimeToConvert;
import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.model.TimeGrain;
import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The funnels and attributions whose SQL the golden files hold and the warehouse validators check:
 * every ordering and unit, exclusions (whole funnel and between steps), breakdowns and their
 * attributions, a date range, trends and times to convert; every attribution model, collapsed repeats;
 * retentions of every period and mode, with a breakdown and a date range; paths after and before an
 * event, per user and session, of events and of pages.
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
    f.put("funnel_excluded_between_steps_by_last_channel", excludingCheckout().breakdown("channel").breakdownAttribution(BreakdownAttribution.last()).build());
    f.put(
        "funnel_strict_by_utm_source_of_step_2",
        Funnel.builder()
            .step("view_product").step("add_to_cart").step("purchase")
            .ordering(Funnel.Ordering.STRICT)
            .exclude("remove_from_cart", 2, 3)
            .breakdown("utm_source")
            .breakdownAttribution(BreakdownAttribution.step(2))
            .build());
    f.put(
        "funnel_any_order_sessions_excluded",
        Funnel.builder().step("view_product").step("add_to_cart").ordering(Funnel.Ordering.ANY_ORDER).unit(Funnel.Unit.SESSION).exclude("refund").build());
    return f;
  }

  /** A checkout funnel excluding refunds throughout and coupon removals between the cart and the checkout. */
  private static Funnel.Builder excludingCheckout() {
    return Funnel.builder()
        .step("view_product").step("add_to_cart").step("begin_checkout").step("purchase")
        .window(Duration.ofDays(3))
        .exclude("refund")
        .exclude("coupon_removed", 2, 3);
  }

  /** Trends and times to convert (table models of their name), by model name. */
  public static Map<String, Object> funnelViews() {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("funnel_trend_weekly_by_channel", excludingCheckout().breakdown("channel").build().trend(TimeGrain.WEEK));
    v.put(
        "funnel_trend_daily_any_order",
        Funnel.builder().step("view_product").step("purchase").ordering(Funnel.Ordering.ANY_ORDER).from(LocalDate.of(2024, 1, 1)).build().trend(TimeGrain.DAY));
    v.put(
        "funnel_trend_daily_in_new_york",
        Funnel.builder().step("view_product").step("purchase").from(LocalDate.of(2024, 3, 1)).to(LocalDate.of(2024, 3, 31))
            .timeZone(java.time.ZoneId.of("America/New_York")).build().trend(TimeGrain.DAY));
    v.put("funnel_time_to_convert_auto_bins", excludingCheckout().build().timeToConvert(1, 4));
    v.put(
        "funnel_time_to_convert_12_bins_any_order",
        Funnel.builder().step("view_product").step("add_to_cart").step("purchase").ordering(Funnel.Ordering.ANY_ORDER).unit(Funnel.Unit.SESSION)
            .build().timeToConvert(2, 3, 12));
    return v;
  }

  /** Adds a trend or a time to convert to {@code project} as a table model called {@code name}. */
  public static void addView(HeapProject project, String name, Object view) {
    if (view instanceof FunnelTrend t) {
      t.addTo(project, name);
    } else {
      ((TimeToConvert) view).addTo(project, name);
    }
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
    a.put("attribution_first_touch_initial", Attribution.builder().model(AttributionModel.FIRST_TOUCH).lookbackUnbounded().build());
    a.put(
        "attribution_last_touch_march_in_paris",
        Attribution.builder().model(AttributionModel.LAST_TOUCH).from(LocalDate.of(2024, 3, 1)).to(LocalDate.of(2024, 3, 31))
            .timeZone(java.time.ZoneId.of("Europe/Paris")).build());
    return a;
  }

  /** Retentions by model name. */
  public static Map<String, Retention> retentions() {
    Map<String, Retention> r = new LinkedHashMap<>();
    r.put("retention_daily_sign_up_to_purchase", Retention.builder().startEvent("sign_up").returnEvent("purchase").build());
    r.put(
        "retention_weekly_on_or_after_by_channel",
        Retention.builder()
            .returnEvent("view_product")
            .period(Retention.Period.WEEK)
            .periods(8)
            .mode(Retention.Mode.ON_OR_AFTER)
            .breakdown("channel")
            .from(LocalDate.of(2024, 1, 3))
            .to(LocalDate.of(2024, 3, 31))
            .build());
    r.put("retention_monthly_any_event", Retention.builder().period(Retention.Period.MONTH).periods(6).build());
    r.put(
        "retention_weekly_in_kolkata",
        Retention.builder().period(Retention.Period.WEEK).periods(4).from(LocalDate.of(2024, 1, 1)).to(LocalDate.of(2024, 1, 31))
            .timeZone(java.time.ZoneId.of("Asia/Kolkata")).build());
    return r;
  }

  /** Paths analyses by model name. */
  public static Map<String, Paths> paths() {
    Map<String, Paths> p = new LinkedHashMap<>();
    p.put("paths_after_view_product", Paths.builder().event("view_product").exclude("pageviews", "search").build());
    p.put(
        "paths_before_purchase_per_session_with_repeats",
        Paths.builder()
            .event("purchase")
            .steps(4)
            .top(20)
            .direction(Paths.Direction.BEFORE)
            .unit(Funnel.Unit.SESSION)
            .collapseRepeats(false)
            .build());
    p.put("paths_pages_after_home", Paths.builder().event("/").steps(2).source(Paths.Source.PAGEVIEWS).build());
    return p;
  }

  /**
   * Analyses whose every user string is outside Latin-1, for the {@code unicode} golden config: funnel
   * steps and an exclusion in CJK, emoji (a joiner sequence and a flag) and a right-to-left override,
   * the two spellings of "café" (combining and precomposed: different steps), conversion events in
   * Arabic and with a character outside the Basic Multilingual Plane, and a Cyrillic direct channel.
   */
  public static Map<String, Object> unicode() {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put(
        "funnel_unicode_sessions_by_channel",
        Funnel.builder()
            .step("閲覧").step("购买🛒").step("👩\u200D💻 sign-up 🇯🇵")
            .unit(Funnel.Unit.SESSION)
            .exclude("\u202Egnp.exe")
            .breakdown("channel")
            .build());
    a.put(
        "funnel_unicode_any_order_by_utm_medium",
        Funnel.builder().step("cafe\u0301").step("caf\u00e9").ordering(Funnel.Ordering.ANY_ORDER).breakdown("utm_medium").build());
    a.put(
        "attribution_unicode_last_non_direct",
        Attribution.builder()
            .model(AttributionModel.LAST_NON_DIRECT)
            .conversionEvents("購入する", "شراء", "𠮷野家で購入")
            .directChannel("Без канала 🤷")
            .build());
    a.put(
        "retention_unicode_by_utm_medium",
        Retention.builder().startEvent("閲覧").returnEvent("购买🛒").period(Retention.Period.WEEK).periods(4).breakdown("utm_medium").build());
    a.put("paths_unicode_before", Paths.builder().event("👩\u200D💻 sign-up 🇯🇵").direction(Paths.Direction.BEFORE).build());
    return a;
  }

  /** The standard models of {@code config} plus the {@link #unicode()} analyses, each a table model of its name. */
  public static HeapProject unicodeProject(HeapConfig config) {
    HeapProject project = HeapProject.standard(config);
    unicode().forEach((name, analysis) -> {
      if (analysis instanceof Funnel f) {
        f.addTo(project, name);
      } else if (analysis instanceof Retention r) {
        r.addTo(project, name);
      } else if (analysis instanceof Paths p) {
        p.addTo(project, name);
      } else {
        ((Attribution) analysis).addTo(project, name);
      }
    });
    return project;
  }

  /** The standard models of {@code config} plus every fixture, each a table model of its name. */
  public static HeapProject project(HeapConfig config) {
    HeapProject project = HeapProject.standard(config);
    funnels().forEach((name, f) -> f.addTo(project, name));
    funnelViews().forEach((name, v) -> addView(project, name, v));
    attributions().forEach((name, a) -> a.addTo(project, name));
    retentions().forEach((name, r) -> r.addTo(project, name));
    paths().forEach((name, p) -> p.addTo(project, name));
    return project;
  }
}
