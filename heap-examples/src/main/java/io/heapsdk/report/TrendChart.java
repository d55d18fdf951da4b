package io.heapsdk.report;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A line per series over periods (conversion per day, week or month of entry), a marker per point with
 * its value next to it where it clears the values already drawn (else only in its tooltip and the data
 * table). A period without a value (nobody entered) leaves a gap in the line. Where the periods are too
 * close for upright labels, the values turn vertical.
 *
 * <p>Marks: {@code g.mark.point} with {@code data-label} (the period), {@code data-value} and, when the
 * point has one, {@code data-count} (the units behind the value); {@code data-series} (empty plus
 * {@code data-series-null} for NULL) when there are named series.
 */
public final class TrendChart implements Chart {
  private static final double LEFT = 56;
  private static final double TOP = 40;
  private static final double PLOT = 220;
  private static final double BOTTOM = 70;

  /**
   * One point.
   *
   * @param period the period's label, one of the chart's periods
   * @param value the value; NULL for none
   * @param count the units behind the value (entrants); NULL when not known
   */
  public record Point(String period, Double value, Long count) {
    public Point {
      Objects.requireNonNull(period, "period");
    }
  }

  /**
   * One series.
   *
   * @param name its name (a breakdown value); NULL for the only series, or a NULL breakdown value
   * @param points its points, in any order; periods without a point are gaps
   */
  public record Line(String name, List<Point> points) {
    public Line {
      points = List.copyOf(points);
    }
  }

  private final String title;
  private final String valueName;
  private final boolean percent;
  private final String seriesName;
  private final List<String> periods;
  private final List<Line> lines;

  /**
   * @param title the figure's caption
   * @param valueName what the values are: {@code conversion}
   * @param percent whether values are fractions, shown as percentages on a 0–100% axis
   * @param seriesName what the series are (the breakdown column); NULL for a single unnamed series
   * @param periods the periods in order, left to right
   * @param lines the series
   */
  public TrendChart(String title, String valueName, boolean percent, String seriesName, List<String> periods, List<Line> lines) {
    this.title = Objects.requireNonNull(title, "title");
    this.valueName = Objects.requireNonNull(valueName, "valueName");
    this.percent = percent;
    this.seriesName = seriesName;
    this.periods = List.copyOf(periods);
    this.lines = List.copyOf(lines);
  }

  @Override
  public void writeTo(Markup m) {
    Svg.figure(m, "trend", title);
    double spacing = Math.max(18, Math.min(80, 900.0 / Math.max(1, periods.size())));
    double width = LEFT + periods.size() * spacing + 16;
    double height = TOP + PLOT + BOTTOM;
    double max = lines.stream().flatMap(l -> l.points().stream()).filter(p -> p.value() != null).mapToDouble(Point::value).max().orElse(0);
    List<Double> ticks = percent ? List.of(0.0, 0.25, 0.5, 0.75, 1.0) : Svg.ticks(max, 4, false);
    double top = percent ? Math.max(1.0, max) : ticks.get(ticks.size() - 1);
    Scale at = new Scale(spacing, top);
    Map<String, Integer> column = new HashMap<>();
    for (int i = 0; i < periods.size(); i++) {
      column.put(periods.get(i), i);
    }
    boolean vertical = spacing < 44;
    m.open("div", "class", "scroll");
    Svg.open(m, width, height, title, valueName + " per period over " + periods.size() + " periods" + (lines.size() > 1 ? ", " + lines.size() + " series" : "") + ".");
    for (double t : ticks) {
      double y = at.y(t);
      m.empty("line", "x1", LEFT - 4, "x2", width - 8, "y1", y, "y2", y, "class", t == 0 ? "axis" : "grid");
      m.element("text", percent ? Numbers.percent(t).replace(".0%", "%") : Numbers.amount(t), "x", LEFT - 8, "y", y + 4, "text-anchor", "end", "class", "muted small");
    }
    int every = (int) Math.ceil(Math.min(120, periods.stream().mapToDouble(Labels::widthPx).max().orElse(0) + 8) / spacing / 2.2);
    for (int i = 0; i < periods.size(); i++) {
      double x = at.x(i);
      if (i % Math.max(1, every) == 0) {
        m.open("g", "transform", "translate(" + Markup.coordinate(x) + " " + Markup.coordinate(TOP + PLOT + 14) + ") rotate(-35)");
        Svg.label(m, periods.get(i), 0, 0, 110, "end", "small muted");
        m.close("g");
      }
    }
    // the markers first: a value is not printed over another series' point either
    List<double[]> placed = new ArrayList<>();
    for (Line line : lines) {
      for (Point p : line.points()) {
        if (p.value() != null && column.containsKey(p.period())) {
          double x = at.x(column.get(p.period()));
          double y = at.y(p.value());
          placed.add(new double[] {x - 4, y - 4, x + 4, y + 4});
        }
      }
    }
    for (int s = 0; s < lines.size(); s++) {
      Line line = lines.get(s);
      String colour = Colors.series(s);
      StringBuilder path = new StringBuilder();
      boolean pen = false;
      List<Point> ordered = new ArrayList<>(line.points());
      ordered.removeIf(p -> !column.containsKey(p.period()));
      ordered.sort((a, b) -> Integer.compare(column.get(a.period()), column.get(b.period())));
      int previous = -2;
      for (Point p : ordered) {
        int i = column.get(p.period());
        if (p.value() == null) {
          pen = false;
          continue;
        }
        double x = at.x(i);
        double y = at.y(p.value());
        path.append(pen && i == previous + 1 ? " L" : " M").append(Markup.coordinate(x)).append(' ').append(Markup.coordinate(y));
        pen = true;
        previous = i;
      }
      if (path.length() > 0) {
        m.empty("path", "d", path.toString().strip(), "fill", "none", "stroke", colour, "stroke-width", 2.0);
      }
      for (Point p : ordered) {
        if (p.value() == null) {
          continue;
        }
        int i = column.get(p.period());
        double x = at.x(i);
        double y = at.y(p.value());
        String shown = percent ? Numbers.percent(p.value()) : Numbers.amount(p.value());
        m.open(
            "g",
            new Object[] {
              "class", "mark point", "data-label", p.period(), "data-value", Numbers.exact(p.value()), "data-count", p.count(),
              "data-series", seriesName == null ? null : line.name() == null ? "" : line.name(),
              "data-series-null", seriesName != null && line.name() == null ? "true" : null
            });
        m.element(
            "title",
            (seriesName == null ? "" : Svg.inText(seriesName) + " " + Svg.inText(line.name()) + ", ") + p.period() + ": " + valueName + " " + shown
                + (p.count() == null ? "" : " of " + Numbers.count(p.count())));
        m.empty("circle", "cx", x, "cy", y, "r", 4.0, "fill", colour, "stroke", "#ffffff", "stroke-width", 1.0);
        // the value above the point, else below it, wherever it clears the labels already drawn and stays
        // inside the plot (below a point at 0 it would run into the periods); else none: the value is in
        // the point's tooltip and the data table, and a number printed over another can be read as neither
        boolean below = lines.size() > 1 && s % 2 == 1;
        double[] box = null;
        for (boolean under : new boolean[] {below, !below}) {
          double[] candidate = labelBox(shown, x, y, under, vertical);
          if (candidate[1] >= TOP - 14 && candidate[3] <= TOP + PLOT - 1 && placed.stream().noneMatch(b -> intersects(b, candidate))) {
            box = candidate;
            below = under;
            break;
          }
        }
        if (box != null) {
          placed.add(box);
          if (vertical) {
            double ty = y + (below ? 10 : -8);
            m.element("text", shown, "x", x + 4, "y", ty, "class", "num small",
                "transform", "rotate(-90 " + Markup.coordinate(x + 4) + " " + Markup.coordinate(ty) + ")",
                "text-anchor", below ? "end" : "start");
          } else {
            m.element("text", shown, "x", x, "y", y + (below ? 16 : -9), "text-anchor", "middle", "class", "num small");
          }
        }
        m.close("g");
      }
    }
    m.close("svg").close("div");
    if (seriesName != null) {
      m.open("div", "class", "legend");
      for (int s = 0; s < lines.size(); s++) {
        m.open("span").open("span", "class", "swatch", "style", "background:" + Colors.series(s)).close("span").open("bdi").text(Svg.shown(lines.get(s).name())).close("bdi").close("span");
      }
      m.close("div");
    }
    table(m);
    m.close("figure");
  }

  /** Where a period's column and a value fall on the chart: the line, its markers and its labels agree. */
  private record Scale(double spacing, double top) {
    double x(int column) {
      return LEFT + column * spacing + spacing / 2;
    }

    double y(double value) {
      return TOP + PLOT * (1 - value / top);
    }
  }

  /**
   * The box {x1, y1, x2, y2} a point's value takes above or below the point (upright, or turned to run
   * up the page where the periods are close), with a pixel of margin: the small numbers are about
   * 0.85 of {@link Labels#widthPx}'s width and 11 px high.
   */
  private static double[] labelBox(String shown, double x, double y, boolean below, boolean vertical) {
    double length = Labels.widthPx(shown) * 0.85 + 2;
    if (vertical) {
      return below ? new double[] {x - 6, y + 10, x + 6, y + 10 + length} : new double[] {x - 6, y - 8 - length, x + 6, y - 8};
    }
    double baseline = y + (below ? 16 : -9);
    return new double[] {x - length / 2, baseline - 10, x + length / 2, baseline + 2};
  }

  private static boolean intersects(double[] a, double[] b) {
    return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
  }

  private void table(Markup m) {
    List<String> headers = new ArrayList<>();
    List<Boolean> numeric = new ArrayList<>();
    if (seriesName != null) {
      headers.add(seriesName);
      numeric.add(false);
    }
    headers.addAll(List.of("period", valueName, "of"));
    numeric.addAll(List.of(false, true, true));
    Svg.table(m, headers, numeric);
    for (Line l : lines) {
      for (Point p : l.points()) {
        List<String> cells = new ArrayList<>();
        if (seriesName != null) {
          cells.add(Svg.shown(l.name()));
        }
        cells.add(p.period());
        cells.add(p.value() == null ? "\u2013" : percent ? Numbers.percent(p.value()) : Numbers.amount(p.value()));
        cells.add(p.count() == null ? "" : Numbers.count(p.count()));
        Svg.row(m, cells, numeric);
      }
    }
    Svg.endTable(m);
  }
}
