package io.heapsdk.report;

import io.heapsdk.analysis.Attribution;
import io.heapsdk.analysis.AttributionResult;
import io.heapsdk.analysis.Durations;
import io.heapsdk.analysis.Funnel;
import io.heapsdk.analysis.FunnelResult;
import io.heapsdk.analysis.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
    String names = f.steps().stream().map(Step::label).collect(Collectors.joining(" \u2192 "));
    Report report =
        Report.titled("Funnel: " + names)
            .line(
                "Ordering " + f.ordering().cliName() + ", per " + f.unit().cliName() + ", window " + Durations.format(f.window())
                    + (f.exclusions().isEmpty() ? "" : ", excluding " + f.exclusions().stream().map(Step::label).collect(Collectors.joining(", "))))
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

  /** Attribution: credited conversions per value of {@code by}, largest first. */
  public static Report attribution(AttributionResult result) {
    Attribution a = result.attribution();
    Report report =
        Report.titled("Attribution by " + a.by() + " (" + a.model().cliName() + ")")
            .line(
                "Model " + a.model().cliName() + ", lookback " + Durations.format(a.lookback())
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

  private static String dates(Funnel f) {
    if (f.from().isEmpty() && f.to().isEmpty()) {
      return "Attempts starting on any day";
    }
    return String.format(
        Locale.ROOT, "Attempts starting from %s to %s (UTC days)", f.from().map(Object::toString).orElse("the first day"),
        f.to().map(Object::toString).orElse("the last day"));
  }
}
