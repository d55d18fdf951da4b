package io.heapsdk.report;

import io.heapsdk.analysis.Attribution;
import io.heapsdk.analysis.AttributionResult;
import io.heapsdk.analysis.Durations;
import io.heapsdk.analysis.Funnel;
import io.heapsdk.analysis.FunnelResult;
import io.heapsdk.analysis.FunnelTrend;
import io.heapsdk.analysis.FunnelTrendResult;
import io.heapsdk.analysis.TimeToConvert;
import io.heapsdk.analysis.TimeToConvertResult;
import io.heapsdk.analysis.Paths;
import io.heapsdk.analysis.PathsResult;
import io.heapsdk.analysis.Retention;
import io.heapsdk.analysis.RetentionResult;
import io.heapsdk.analysis.Step;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The charts of the analyses' results, each as a whole {@link Report}: what {@code --format html}
 * writes. The numbers in the charts' {@code data-*} attributes are the CSV output's, digit for digit.
 */
public final class AnalysisCharts {
  private AnalysisCharts() {}

  /** A funnel: one panel of bars per breakdown value (or one), with conversion and drop-off. */
  public static Report funnel(FunnelResult result) {
    Funnel f = result.funnel();
    String unit = f.unit().cliName() + "s";
    String names = f.steps().stream().map(st -> Svg.inText(st.label())).collect(Collectors.joining(" \u2192 "));
    Report report =
        Report.titled("Funnel: " + names)
            .line(
                "Ordering " + f.ordering().cliName() + ", per " + f.unit().cliName() + ", window " + f.windowLabel()
                    + (f.exclusions().isEmpty() ? "" : ", excluding " + f.exclusions().stream().map(e -> e.step().label() + " (steps " + e.range() + ")").collect(Collectors.joining(", "))))
            .line(dates(f));
    // rows come per breakdown value, steps in order: a new panel at every step 1
    List<String> values = new ArrayList<>();
    List<List<FunnelChart.Step>> steps = new ArrayList<>();
    for (FunnelResult.Row r : result.rows()) {
      if (r.step() == 1 || steps.isEmpty()) {
        values.add(r.breakdownValue());
        steps.add(new ArrayList<>());
      }
      steps.get(steps.size() - 1)
          .add(new FunnelChart.Step(r.event(), r.entered(), r.conversionFromFirst(), r.conversionFromPrevious(), r.dropOff(), r.medianSecondsFromFirst()));
    }
    List<FunnelChart.Panel> list = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      list.add(new FunnelChart.Panel(values.get(i), steps.get(i)));
    }
    String breakdown = result.breakdownColumn().orElse(null);
    report.add(
        new FunnelChart(
            breakdown == null ? "Conversion through the steps" : "Conversion through the steps, by " + breakdown, unit, breakdown, list));
    return report;
  }

  /**
   * A funnel's conversion trend: conversion from the first to the last step per period of entry, one
   * line per breakdown value (or one). Points carry the CSV's {@code conversion} and {@code entered}.
   */
  public static Report trend(FunnelTrendResult result) {
    FunnelTrend t = result.trend();
    Funnel f = t.funnel();
    String grain = t.grain().name().toLowerCase(Locale.ROOT);
    String names = f.steps().stream().map(st -> Svg.inText(st.label())).collect(Collectors.joining(" \u2192 "));
    Report report =
        Report.titled("Conversion per " + grain + " of entry: " + names)
            .line("Ordering " + f.ordering().cliName() + ", per " + f.unit().cliName() + ", window " + f.windowLabel())
            .line(dates(f));
    java.util.TreeSet<String> periods = new java.util.TreeSet<>();
    java.util.Map<String, List<TrendChart.Point>> byValue = new java.util.LinkedHashMap<>();
    java.util.Map<String, Boolean> isNull = new java.util.LinkedHashMap<>();
    for (FunnelTrendResult.Row r : result.rows()) {
      String period = r.period().toString();
      periods.add(period);
      String key = r.breakdownValue() == null ? "\u0000null" : r.breakdownValue();
      isNull.put(key, r.breakdownValue() == null);
      byValue.computeIfAbsent(key, k -> new ArrayList<>()).add(new TrendChart.Point(period, r.conversion(), r.entered()));
    }
    List<TrendChart.Line> lines = new ArrayList<>();
    byValue.forEach((k, points) -> lines.add(new TrendChart.Line(isNull.get(k) ? null : k, points)));
    String breakdown = result.breakdownColumn().orElse(null);
    report.add(
        new TrendChart(
            "Conversion from " + f.steps().get(0).label() + " to " + f.steps().get(f.steps().size() - 1).label() + " per " + grain
                + (breakdown == null ? "" : ", by " + breakdown),
            "conversion", true, breakdown, new ArrayList<>(periods), lines));
    return report;
  }

  /** A time-to-convert histogram; bins carry the CSV's {@code from_seconds}, {@code to_seconds} and {@code units}. */
  public static Report timeToConvert(TimeToConvertResult result) {
    TimeToConvert t = result.timeToConvert();
    Funnel f = t.funnel();
    String from = Svg.inText(f.steps().get(t.fromStep() - 1).label());
    String to = Svg.inText(f.steps().get(t.toStep() - 1).label());
    Report report =
        Report.titled("Time to convert from " + from + " to " + to)
            .line(
                String.format(Locale.ROOT, "%,d %ss reached %s; ordering %s, window %s", result.units(), f.unit().cliName(), to,
                    f.ordering().cliName(), f.windowLabel()))
            .line(dates(f));
    List<Histogram.Bin> bins = new ArrayList<>();
    for (TimeToConvertResult.Row r : result.rows()) {
      bins.add(
          new Histogram.Bin(
              Durations.format(java.time.Duration.ofSeconds(r.fromSeconds())) + "\u2013" + Durations.format(java.time.Duration.ofSeconds(r.toSeconds())),
              r.fromSeconds(), r.toSeconds(), r.units()));
    }
    report.add(
        new Histogram(
            "Seconds from step " + t.fromStep() + " to step " + t.toStep(), null,
            "time from step " + t.fromStep() + " to step " + t.toStep(), f.unit().cliName() + "s", bins));
    return report;
  }

  /** Attribution: credited conversions per value of {@code by}, largest first. */
  public static Report attribution(AttributionResult result) {
    Attribution a = result.attribution();
    Report report =
        Report.titled("Attribution by " + a.by() + " (" + a.model().cliName() + ")")
            .line(
                "Model " + a.model().cliName() + ", lookback " + a.lookbackLabel()
                    + (a.collapseRepeats() ? ", repeats collapsed" : "")
                    + (a.conversionEvents().isEmpty() ? "" : ", conversions: " + String.join(", ", a.conversionEvents())));
    boolean hasValue = a.value().isPresent();
    List<BarChart.Bar> bars = new ArrayList<>();
    for (AttributionResult.Row r : result.rows()) {
      bars.add(new BarChart.Bar(r.label(), r.conversions(), hasValue ? r.value() : null));
    }
    report.add(new BarChart("Conversions credited per " + a.by(), a.by(), "conversions", hasValue ? "value" : null, bars));
    return report;
  }

  /**
   * Retention: a heat map per breakdown value (or one), a row per cohort, a column per period from 0;
   * periods the data has not reached are left blank.
   */
  public static Report retention(RetentionResult result) {
    Retention r = result.retention();
    String period = r.period().cliName();
    String first = r.startEvent().map(st -> Svg.inText(st.label())).orElse("event");
    Report report =
        Report.titled("Retention: users by the " + period + " of their first " + first + ", back with " + event(r.returnEvent()))
            .line(
                "Cohorts by the " + period + " (" + zone(r.timeZone()) + ") of each user's first " + first + "; retained: did " + event(r.returnEvent()) + " "
                    + (r.mode() == Retention.Mode.ON ? "in" : "in or after") + " each " + period + " (" + r.mode().cliName() + "), "
                    + r.periods() + " " + period + "s after the cohort's own")
            .line(cohorts(r));
    List<String> columns = new ArrayList<>();
    for (int k = 0; k <= r.periods(); k++) {
      columns.add(String.valueOf(k));
    }
    // rows come per breakdown value, then cohort, then period: a map per value, a row per cohort
    Map<Optional<String>, Map<String, List<RetentionResult.Row>>> maps = new LinkedHashMap<>();
    for (RetentionResult.Row row : result.rows()) {
      maps.computeIfAbsent(Optional.ofNullable(row.breakdownValue()), v -> new LinkedHashMap<>())
          .computeIfAbsent(row.cohort().toString(), c -> new ArrayList<>())
          .add(row);
    }
    String breakdown = result.breakdownColumn().orElse(null);
    if (maps.isEmpty()) {
      report.line("No cohort: nobody did " + event(r.startEvent()) + " in the date range.");
    }
    maps.forEach(
        (value, cohorts) -> {
          List<HeatMap.Row> rows = new ArrayList<>();
          cohorts.forEach(
              (cohort, periods) -> {
                HeatMap.Cell[] cells = new HeatMap.Cell[r.periods() + 1];
                for (RetentionResult.Row p : periods) {
                  cells[p.period()] = new HeatMap.Cell(p.rate(), p.retained());
                }
                // the result has no row for a period not reached yet: a blank cell, no mark
                List<HeatMap.Cell> list = new ArrayList<>();
                for (HeatMap.Cell c : cells) {
                  list.add(Objects.requireNonNullElse(c, new HeatMap.Cell(null, 0)));
                }
                rows.add(new HeatMap.Row(cohort, periods.get(0).cohortSize(), list));
              });
          String title =
              "Share of each cohort retained, per " + period + " since the first " + first
                  + (breakdown == null ? "" : ", " + breakdown + ": " + Svg.shown(value.orElse(null)));
          report.add(new HeatMap(title, breakdown, value.orElse(null), "cohort", "users", "retained", period, columns, rows));
        });
    return report;
  }

  /** Paths: the most frequent paths after (or before) the event as a tree, each with its units and share. */
  public static Report paths(PathsResult result) {
    Paths p = result.paths();
    String things = p.source() == Paths.Source.EVENTS ? "events" : "pages";
    String unit = p.unit().cliName() + "s";
    Report report =
        Report.titled("Paths " + p.direction().cliName() + " " + Svg.inText(p.event()))
            .line(
                "The most frequent paths (top " + p.top() + ") of " + p.steps() + " " + things + " " + p.direction().cliName() + " each " + p.unit().cliName()
                    + "'s first " + p.event() + (p.collapseRepeats() ? ", repeats collapsed" : ", repeats kept")
                    + (p.exclusions().isEmpty() ? "" : ", without " + String.join(", ", p.exclusions())));
    List<PathTree.Path> paths = new ArrayList<>();
    for (PathsResult.Row r : result.rows()) {
      // a NULL step is where the unit's items ran out: the path is shorter
      paths.add(new PathTree.Path(r.steps().stream().filter(Objects::nonNull).toList(), r.count(), r.share()));
    }
    if (paths.isEmpty()) {
      report.line("Nobody did " + p.event() + ".");
    }
    report.add(
        new PathTree(
            "Most frequent paths " + p.direction().cliName() + " " + p.event() + ", " + unit + " and share of all that did it",
            p.event(), p.direction() == Paths.Direction.BEFORE, unit, paths));
    return report;
  }

  private static String event(Optional<Step> step) {
    return step.map(st -> Svg.inText(st.label())).orElse("any event");
  }

  private static String cohorts(Retention r) {
    if (r.from().isEmpty() && r.to().isEmpty()) {
      return "Cohorts of any date";
    }
    return String.format(
        Locale.ROOT, "Cohorts overlapping %s to %s (%s)", r.from().map(Object::toString).orElse("the first day"),
        r.to().map(Object::toString).orElse("the last day"), days(r.timeZone()));
  }

  private static String dates(Funnel f) {
    if (f.from().isEmpty() && f.to().isEmpty()) {
      return "Attempts starting on any day";
    }
    return String.format(
        Locale.ROOT, "Attempts starting from %s to %s (%s)", f.from().map(Object::toString).orElse("the first day"),
        f.to().map(Object::toString).orElse("the last day"), days(f.timeZone()));
  }

  /** {@code UTC days}, or {@code days of Europe/Paris}. */
  private static String days(java.time.ZoneId zone) {
    String name = zone(zone);
    return name.equals("UTC") ? "UTC days" : "days of " + name;
  }

  /** UTC, or the zone's IANA name. */
  private static String zone(java.time.ZoneId zone) {
    return zone.normalized().equals(java.time.ZoneOffset.UTC) ? "UTC" : Svg.inText(zone.getId());
  }
}
