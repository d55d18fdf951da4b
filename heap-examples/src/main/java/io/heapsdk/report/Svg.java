package io.heapsdk.report;

import java.util.ArrayList;
import java.util.List;

/** What the charts share: an accessible {@code svg} element, a data table, axis ticks. */
final class Svg {
  private Svg() {}

  /** Opens an {@code svg} of this size, named by a {@code title} and described by a {@code desc}. */
  static void open(Markup m, double width, double height, String title, String description) {
    String t = m.newId("t");
    String d = m.newId("d");
    m.open(
        "svg",
        "width", Math.ceil(width),
        "height", Math.ceil(height),
        "viewBox", "0 0 " + Markup.coordinate(Math.ceil(width)) + " " + Markup.coordinate(Math.ceil(height)),
        "role", "img",
        "aria-labelledby", t + " " + d);
    m.element("title", title, "id", t);
    m.element("desc", description, "id", d);
  }

  /** Opens a {@code figure} with its caption. */
  static void figure(Markup m, String kind, String caption) {
    m.open("figure", "class", "chart " + kind);
    m.open("figcaption").text(caption).close("figcaption");
  }

  /** Opens the collapsed table of a chart's numbers, with its header row. */
  static void table(Markup m, List<String> headers, List<Boolean> numeric) {
    m.open("details", "class", "data").element("summary", "Data table").open("table").open("thead").open("tr");
    for (int i = 0; i < headers.size(); i++) {
      m.element("th", headers.get(i), "scope", "col", "class", numeric.get(i) ? "n" : null);
    }
    m.close("tr").close("thead").open("tbody");
  }

  /** A row of the table: text cells, the numeric ones right-aligned. */
  static void row(Markup m, List<String> cells, List<Boolean> numeric) {
    m.open("tr");
    for (int i = 0; i < cells.size(); i++) {
      m.open("td", "class", numeric.get(i) ? "n" : null).open("bdi").text(cells.get(i)).close("bdi").close("td");
    }
    m.close("tr");
  }

  static void endTable(Markup m) {
    m.close("tbody").close("table").close("details");
  }

  /** A label as text, cut to {@code maxPx}; the caller's {@code title} carries the whole label. */
  static void label(Markup m, String label, double x, double y, double maxPx, String anchor, String cssClass) {
    m.element("text", Labels.fit(label, maxPx), "x", x, "y", y, "text-anchor", anchor, "class", cssClass);
  }

  /**
   * Axis ticks from 0 to at least {@code max}: 1, 2 or 5 times a power of ten apart, about {@code n} of
   * them; whole numbers when {@code whole}.
   */
  static List<Double> ticks(double max, int n, boolean whole) {
    List<Double> ticks = new ArrayList<>();
    if (max <= 0) {
      ticks.add(0.0);
      ticks.add(1.0);
      return ticks;
    }
    double raw = max / n;
    double power = Math.pow(10, Math.floor(Math.log10(raw)));
    double step = power;
    for (double f : new double[] {1, 2, 5, 10}) {
      step = f * power;
      if (step >= raw) {
        break;
      }
    }
    if (whole) {
      step = Math.max(1, Math.ceil(step));
    }
    for (int i = 0; ; i++) {
      double t = i * step;
      ticks.add(t);
      if (t >= max) {
        break;
      }
    }
    return ticks;
  }

  /** The name shown for a NULL label. */
  static String shown(String label) {
    return label == null ? "(null)" : label;
  }

  /**
   * A label inside plain text (a tooltip's or the page's {@code title}, a chart's {@code desc}), where no
   * {@code bdi} can isolate it: between FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE, which end any
   * embedding or override the label opened. A right-to-left override in an event name reversed the
   * numbers after it in the tooltip.
   */
  static String inText(String label) {
    return "\u2068" + shown(label) + "\u2069";
  }

  /** {@code data-label} and, for a NULL label, {@code data-null}: the label as the JSON output has it (empty for NULL; the CSV puts a {@code '} before a formula-like one). */
  static Object[] labelData(String label) {
    return new Object[] {"data-label", label == null ? "" : label, "data-null", label == null ? "true" : null};
  }
}
