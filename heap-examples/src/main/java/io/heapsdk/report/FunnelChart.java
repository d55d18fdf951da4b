package io.heapsdk.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A funnel: per step a bar of the units that entered it, as a share of step 1 (the axis), with the count
 * above it and the conversion from step 1 on it; between steps, the drop-off as a pale band from the
 * previous level and as text under the step. A breakdown gives one panel per value (small multiples on
 * the same percentage axis, so conversion compares at a glance).
 *
 * <p>Marks: {@code g.mark.step} with {@code data-value} (entered), {@code data-step},
 * {@code data-label} (the step's event), {@code data-conversion-from-first},
 * {@code data-conversion-from-previous}, {@code data-drop-off}, {@code data-median-seconds}; and
 * {@code g.mark.drop} with {@code data-value} (drop-off). With a breakdown both carry
 * {@code data-series} (the value; empty plus {@code data-null} for NULL).
 */
public final class FunnelChart implements Chart {
  private static final double COLUMN = 132;
  private static final double BAR = 72;
  private static final double LEFT = 46;
  private static final double TOP = 66;
  private static final double PLOT = 170;
  private static final double BOTTOM = 44;

  /**
   * One step of one panel.
   *
   * @param label the step's event (or label)
   * @param entered units that reached the step
   * @param conversionFromFirst entered / entered at step 1
   * @param conversionFromPrevious entered / entered at the previous step; NULL at step 1
   * @param dropOff entered at the previous step minus entered here; NULL at step 1
   * @param medianSecondsFromFirst median seconds from the start; NULL when nobody reached the step
   */
  public record Step(
      String label, long entered, Double conversionFromFirst, Double conversionFromPrevious, Long dropOff, Double medianSecondsFromFirst) {
    public Step {
      Objects.requireNonNull(label, "label");
    }
  }

  /**
   * The steps of one breakdown value.
   *
   * @param value the breakdown value; NULL for units without one (or when there is no breakdown)
   * @param steps the steps in order
   */
  public record Panel(String value, List<Step> steps) {
    public Panel {
      steps = List.copyOf(steps);
    }
  }

  private final String title;
  private final String unit;
  private final String breakdown;
  private final List<Panel> panels;

  /**
   * @param title the figure's caption
   * @param unit what is counted, plural: {@code users}, {@code sessions}
   * @param breakdown the breakdown column; NULL without a breakdown (then one panel)
   * @param panels the panels, in order
   */
  public FunnelChart(String title, String unit, String breakdown, List<Panel> panels) {
    this.title = Objects.requireNonNull(title, "title");
    this.unit = Objects.requireNonNull(unit, "unit");
    this.breakdown = breakdown;
    this.panels = List.copyOf(panels);
  }

  @Override
  public void writeTo(Markup m) {
    Svg.figure(m, "funnel", title);
    if (panels.isEmpty()) {
      m.element("p", "Nobody entered the funnel.");
    }
    m.open("div", "class", "panels");
    for (Panel p : panels) {
      panel(m, p);
    }
    m.close("div");
    table(m);
    m.close("figure");
  }

  private void panel(Markup m, Panel p) {
    List<Step> steps = p.steps();
    double width = LEFT + steps.size() * COLUMN + 8;
    double height = TOP + PLOT + BOTTOM;
    long first = steps.isEmpty() ? 0 : steps.get(0).entered();
    String heading = breakdown == null ? "All " + unit : Svg.inText(breakdown) + ": " + Svg.inText(p.value());
    Svg.open(m, width, height, heading, description(p, first));
    Object[] series = breakdown == null ? new Object[0] : Markup.join(new Object[] {"data-series", p.value() == null ? "" : p.value()}, new Object[] {"data-series-null", p.value() == null ? "true" : null});
    m.element("text", Labels.fit(heading, width - 8), "x", 0.0, "y", 16.0, "class", "head");
    m.element("text", Numbers.count(first) + " entered step 1", "x", 0.0, "y", 34.0, "class", "muted");
    // the axis: share of step 1
    for (int pct = 0; pct <= 100; pct += 25) {
      double y = TOP + PLOT * (1 - pct / 100.0);
      m.empty("line", "x1", LEFT - 4, "x2", width - 8, "y1", y, "y2", y, "class", pct == 0 ? "axis" : "grid");
      m.element("text", pct + "%", "x", LEFT - 8, "y", y + 4, "text-anchor", "end", "class", "muted small");
    }
    // the grey tracks (100 %) first: each step's drop-off band and count text go over them
    for (int i = 0; i < steps.size(); i++) {
      m.empty("rect", "x", LEFT + i * COLUMN + (COLUMN - BAR) / 2, "y", TOP, "width", BAR, "height", PLOT, "fill", "#eef1f4");
    }
    double previousFraction = 1;
    for (int i = 0; i < steps.size(); i++) {
      Step s = steps.get(i);
      double fraction = first == 0 ? 0 : (double) s.entered() / first;
      double x = LEFT + i * COLUMN + (COLUMN - BAR) / 2;
      double barTop = TOP + PLOT * (1 - fraction);
      double barHeight = PLOT * fraction;
      double centre = x + BAR / 2;
      if (i > 0) {
        drop(m, series, s, i, x, previousFraction, fraction, steps.get(i - 1).label());
      }
      m.open(
          "g",
          Markup.join(
              new Object[] {"class", "mark step", "data-step", i + 1},
              series,
              Svg.labelData(s.label()),
              new Object[] {
                "data-value", s.entered(),
                "data-conversion-from-first", Numbers.exact(s.conversionFromFirst()),
                "data-conversion-from-previous", Numbers.exact(s.conversionFromPrevious()),
                "data-drop-off", s.dropOff(),
                "data-median-seconds", Numbers.exact(s.medianSecondsFromFirst())
              }));
      m.element("title", stepTitle(s, i));
      m.empty("rect", "class", "bar", "x", x, "y", barTop, "width", BAR, "height", barHeight, "fill", Colors.BAR);
      m.element("text", Numbers.count(s.entered()), "x", centre, "y", barTop - 6, "text-anchor", "middle", "class", "num");
      String pct = Numbers.percent(s.conversionFromFirst());
      if (barHeight >= 22) {
        m.element("text", pct, "x", centre, "y", barTop + 16, "text-anchor", "middle", "class", "on-bar small");
      } else {
        m.element("text", pct, "x", centre, "y", barTop - 21, "text-anchor", "middle", "class", "muted small");
      }
      Svg.label(m, (i + 1) + ". " + s.label(), centre, TOP + PLOT + 17, COLUMN - 6, "middle", null);
      m.close("g");
      previousFraction = fraction;
    }
    m.close("svg");
  }

  private void drop(Markup m, Object[] series, Step s, int i, double x, double previousFraction, double fraction, String previousLabel) {
    long dropped = s.dropOff() == null ? 0 : s.dropOff();
    Double share = s.conversionFromPrevious() == null ? null : 1 - s.conversionFromPrevious();
    m.open(
        "g",
        Markup.join(
            new Object[] {"class", "mark drop", "data-step", i + 1},
            series,
            Svg.labelData(s.label()),
            new Object[] {"data-value", s.dropOff()}));
    m.element(
        "title",
        Numbers.count(dropped) + " " + unit + " dropped off between step " + i + " (" + previousLabel + ") and step " + (i + 1)
            + " (" + s.label() + ")" + (share == null ? "" : ": " + Numbers.percent(share) + " of step " + i));
    if (previousFraction > fraction) {
      m.empty(
          "rect", "class", "band", "x", x, "y", TOP + PLOT * (1 - previousFraction), "width", BAR,
          "height", PLOT * (previousFraction - fraction), "fill", "#f7d9c7");
    }
    double y = TOP + PLOT + 33;
    double centre = x + BAR / 2;
    m.open("text", "x", centre, "y", y, "text-anchor", "middle", "class", "drop small");
    m.text(dropped > 0 ? "\u2212" : "").element("tspan", Numbers.count(dropped), "class", "num");
    if (share != null) {
      m.text(" \u00b7 " + Numbers.percent(share));
    }
    m.close("text");
    m.close("g");
  }

  private String stepTitle(Step s, int i) {
    StringBuilder t = new StringBuilder();
    t.append("Step ").append(i + 1).append(", ").append(Svg.inText(s.label())).append(": ").append(Numbers.count(s.entered())).append(' ').append(unit);
    t.append(", ").append(Numbers.percent(s.conversionFromFirst())).append(" of step 1");
    // step 2's previous step is step 1, already said
    if (i > 1) {
      t.append(", ").append(Numbers.percent(s.conversionFromPrevious())).append(" of step ").append(i);
    }
    if (s.medianSecondsFromFirst() != null && i > 0) {
      t.append(", median ").append(Numbers.duration(s.medianSecondsFromFirst())).append(" from step 1");
    }
    return t.toString();
  }

  private String description(Panel p, long first) {
    List<Step> steps = p.steps();
    if (steps.isEmpty()) {
      return "No steps.";
    }
    Step last = steps.get(steps.size() - 1);
    return "Funnel of " + steps.size() + " steps" + (breakdown == null ? "" : " for " + Svg.inText(breakdown) + " " + Svg.inText(p.value()))
        + ": " + Numbers.count(first) + " " + unit + " entered step 1 (" + Svg.inText(steps.get(0).label()) + "), "
        + Numbers.count(last.entered()) + " (" + Numbers.percent(last.conversionFromFirst()) + ") reached step " + steps.size()
        + " (" + last.label() + ").";
  }

  private void table(Markup m) {
    List<String> headers = new ArrayList<>();
    List<Boolean> numeric = new ArrayList<>();
    if (breakdown != null) {
      headers.add(breakdown);
      numeric.add(false);
    }
    headers.addAll(List.of("step", "event", unit, "% of step 1", "% of previous", "drop-off", "median time from step 1"));
    numeric.addAll(List.of(true, false, true, true, true, true, true));
    Svg.table(m, headers, numeric);
    for (Panel p : panels) {
      for (int i = 0; i < p.steps().size(); i++) {
        Step s = p.steps().get(i);
        List<String> cells = new ArrayList<>();
        if (breakdown != null) {
          cells.add(Svg.shown(p.value()));
        }
        cells.addAll(
            List.of(
                String.valueOf(i + 1), s.label(), Numbers.count(s.entered()), Numbers.percent(s.conversionFromFirst()),
                Numbers.percent(s.conversionFromPrevious()), s.dropOff() == null ? "\u2013" : Numbers.count(s.dropOff()),
                Numbers.duration(s.medianSecondsFromFirst())));
        Svg.row(m, cells, numeric);
      }
    }
    Svg.endTable(m);
  }
}
