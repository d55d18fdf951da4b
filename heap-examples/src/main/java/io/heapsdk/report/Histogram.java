package io.heapsdk.report;

import java.util.List;
import java.util.Objects;

/**
 * A histogram: one column per bin, in order, as tall as the bin's count, the count above it. Bins are
 * drawn side by side at equal widths whatever their spans (time to convert uses bins that widen, and
 * says so in their labels).
 *
 * <p>Marks: {@code g.mark.bin} with {@code data-label}, {@code data-from}, {@code data-to} (the bin is
 * {@code [from, to)}) and {@code data-value} (the count); {@code data-series} when set.
 */
public final class Histogram implements Chart {
  private static final double LEFT = 56;
  private static final double TOP = 24;
  private static final double PLOT = 200;
  private static final double BOTTOM = 64;
  /**
   * The longest a bin's label is drawn before it is cut with an ellipsis: the first bin's runs left to
   * about the chart's edge at this length (cos 35° × 84 px from the middle of the first bar).
   */
  private static final double LABEL_PX = 84;

  /**
   * One bin, {@code [from, to)}.
   *
   * @param label what the bin is called on the axis: {@code 1–5m}
   * @param from its lower bound, inclusive
   * @param to its upper bound, exclusive
   * @param count the units in it
   */
  public record Bin(String label, double from, double to, long count) {
    public Bin {
      Objects.requireNonNull(label, "label");
    }
  }

  private final String title;
  private final String series;
  private final String axis;
  private final String unit;
  private final List<Bin> bins;

  /**
   * @param title the figure's caption
   * @param series the breakdown value this histogram is for; NULL for none
   * @param axis what the bins measure: {@code time from step 1 to step 3}
   * @param unit what is counted, plural: {@code users}
   * @param bins the bins, in order
   */
  public Histogram(String title, String series, String axis, String unit, List<Bin> bins) {
    this.title = Objects.requireNonNull(title, "title");
    this.series = series;
    this.axis = Objects.requireNonNull(axis, "axis");
    this.unit = Objects.requireNonNull(unit, "unit");
    this.bins = List.copyOf(bins);
  }

  @Override
  public void writeTo(Markup m) {
    Svg.figure(m, "histogram", title);
    long max = bins.stream().mapToLong(Bin::count).max().orElse(0);
    long total = bins.stream().mapToLong(Bin::count).sum();
    double column = Math.max(44, Math.min(80, 720.0 / Math.max(1, bins.size())));
    double width = LEFT + bins.size() * column + 12;
    // the bins' labels run down-left at 35 degrees from under each bar: the axis title goes below the
    // longest of them (it was drawn across them), and the chart is as tall as that needs
    double longest = bins.stream().mapToDouble(b -> Labels.widthPx(Labels.fit(b.label(), LABEL_PX))).max().orElse(0);
    double titleY = TOP + PLOT + 14 + Math.sin(Math.toRadians(35)) * longest + 24;
    double height = Math.max(TOP + PLOT + BOTTOM, titleY + 6);
    List<Double> ticks = Svg.ticks(max, 4, true);
    double top = ticks.get(ticks.size() - 1);
    m.open("div", "class", "scroll");
    Svg.open(m, width, height, title, "Histogram of " + axis + " over " + bins.size() + " bins: " + Numbers.count(total) + " " + unit
        + (series == null ? "" : " (" + series + ")") + ".");
    for (double t : ticks) {
      double y = TOP + PLOT * (1 - t / top);
      m.empty("line", "x1", LEFT - 4, "x2", width - 8, "y1", y, "y2", y, "class", t == 0 ? "axis" : "grid");
      m.element("text", Numbers.count((long) t), "x", LEFT - 8, "y", y + 4, "text-anchor", "end", "class", "muted small");
    }
    for (int i = 0; i < bins.size(); i++) {
      Bin b = bins.get(i);
      double x = LEFT + i * column;
      double h = top <= 0 ? 0 : PLOT * b.count() / top;
      double centre = x + column / 2;
      m.open(
          "g",
          new Object[] {
            "class", "mark bin", "data-label", b.label(), "data-from", Numbers.exact(b.from()), "data-to", Numbers.exact(b.to()),
            "data-value", b.count(), "data-series", series
          });
      m.element("title", b.label() + ": " + Numbers.count(b.count()) + " " + unit + (total == 0 ? "" : " (" + Numbers.percent((double) b.count() / total) + ")"));
      m.empty("rect", "class", "bar", "x", x + 2, "y", TOP + PLOT - h, "width", column - 4, "height", h, "fill", Colors.BAR);
      m.element("text", Numbers.count(b.count()), "x", centre, "y", TOP + PLOT - h - 5, "text-anchor", "middle", "class", "num small");
      m.open("g", "transform", "translate(" + Markup.coordinate(centre) + " " + Markup.coordinate(TOP + PLOT + 14) + ") rotate(-35)");
      Svg.label(m, b.label(), 0, 0, LABEL_PX, "end", "small");
      m.close("g");
      m.close("g");
    }
    m.element("text", axis, "x", LEFT, "y", titleY, "class", "muted");
    m.close("svg").close("div");
    List<Boolean> numeric = List.of(false, true, true);
    Svg.table(m, List.of(axis, unit, "share"), numeric);
    for (Bin b : bins) {
      Svg.row(m, List.of(b.label(), Numbers.count(b.count()), total == 0 ? "\u2013" : Numbers.percent((double) b.count() / total)), numeric);
    }
    Svg.endTable(m);
    m.close("figure");
  }
}
