package io.heapsdk.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Horizontal bars, one per label, longest for the largest value: attribution credit by channel,
 * campaign or source. Each bar shows its value and its share of the total.
 *
 * <p>Marks: {@code g.mark.bar} with {@code data-label}, {@code data-value}, {@code data-share} and, when
 * the bars have one, {@code data-secondary} (the conversion value credited, say).
 */
public final class BarChart implements Chart {
  private static final double ROW = 28;
  private static final double PLOT = 420;
  private static final double MAX_LABEL = 240;

  /**
   * One bar.
   *
   * @param label the label; NULL shows as {@code (null)}
   * @param value the bar's length, 0 or more
   * @param secondary a second number shown in the table and tooltip (a conversion value); NULL for none
   */
  public record Bar(String label, double value, Double secondary) {}

  private final String title;
  private final String labelName;
  private final String valueName;
  private final String secondaryName;
  private final List<Bar> bars;

  /**
   * @param title the figure's caption
   * @param labelName what the labels are: {@code channel}
   * @param valueName what the values are: {@code conversions}
   * @param secondaryName what the secondary numbers are ({@code value}); NULL when the bars have none
   * @param bars the bars, top to bottom
   */
  public BarChart(String title, String labelName, String valueName, String secondaryName, List<Bar> bars) {
    this.title = Objects.requireNonNull(title, "title");
    this.labelName = Objects.requireNonNull(labelName, "labelName");
    this.valueName = Objects.requireNonNull(valueName, "valueName");
    this.secondaryName = secondaryName;
    this.bars = List.copyOf(bars);
  }

  @Override
  public void writeTo(Markup m) {
    Svg.figure(m, "bars", title);
    double total = bars.stream().mapToDouble(Bar::value).sum();
    double max = bars.stream().mapToDouble(Bar::value).max().orElse(0);
    double labels = Math.min(MAX_LABEL, bars.stream().mapToDouble(b -> Labels.widthPx(Svg.shown(b.label()))).max().orElse(40));
    double labelWidth = labels + 14;
    double width = labelWidth + PLOT + 130;
    double height = 24 + bars.size() * ROW + 8;
    m.open("div", "class", "scroll");
    Svg.open(
        m, width, height, title,
        bars.isEmpty()
            ? "No " + valueName + "."
            : bars.size() + " bars of " + valueName + " by " + labelName + ", " + Numbers.amount(total) + " in all; the largest is "
                + Svg.inText(bars.get(0).label()) + " with " + Numbers.amount(bars.get(0).value()) + ".");
    m.element("text", labelName, "x", labelWidth - 10, "y", 14.0, "text-anchor", "end", "class", "muted");
    m.element("text", valueName + " (share of " + Numbers.amount(total) + ")", "x", labelWidth, "y", 14.0, "class", "muted");
    for (int i = 0; i < bars.size(); i++) {
      Bar b = bars.get(i);
      double y = 24 + i * ROW;
      double length = max <= 0 ? 0 : PLOT * b.value() / max;
      Double share = total <= 0 ? null : b.value() / total;
      m.open(
          "g",
          Markup.join(
              new Object[] {"class", "mark bar"},
              Svg.labelData(b.label()),
              new Object[] {"data-value", Numbers.exact(b.value()), "data-share", Numbers.exact(share), "data-secondary", Numbers.exact(b.secondary())}));
      m.element(
          "title",
          Svg.inText(b.label()) + ": " + Numbers.amount(b.value()) + " " + valueName + (share == null ? "" : " (" + Numbers.percent(share) + ")")
              + (b.secondary() == null ? "" : ", " + secondaryName + " " + Numbers.amount(b.secondary())));
      Svg.label(m, Svg.shown(b.label()), labelWidth - 10, y + 18, labels, "end", null);
      m.empty("rect", "class", "bar", "x", labelWidth, "y", y + 4, "width", Math.max(length, b.value() > 0 ? 1 : 0), "height", ROW - 8, "fill", Colors.BAR);
      m.open("text", "x", labelWidth + length + 6, "y", y + 18);
      m.element("tspan", Numbers.amount(b.value()), "class", "num");
      if (share != null) {
        m.element("tspan", " (" + Numbers.percent(share) + ")", "class", "muted");
      }
      m.close("text");
      m.close("g");
    }
    m.close("svg").close("div");
    table(m, total);
    m.close("figure");
  }

  private void table(Markup m, double total) {
    List<String> headers = new ArrayList<>(List.of(labelName, valueName, "share"));
    List<Boolean> numeric = new ArrayList<>(List.of(false, true, true));
    if (secondaryName != null) {
      headers.add(secondaryName);
      numeric.add(true);
    }
    Svg.table(m, headers, numeric);
    for (Bar b : bars) {
      List<String> cells = new ArrayList<>(List.of(Svg.shown(b.label()), Numbers.amount(b.value()), total <= 0 ? "\u2013" : Numbers.percent(b.value() / total)));
      if (secondaryName != null) {
        cells.add(b.secondary() == null ? "\u2013" : Numbers.amount(b.secondary()));
      }
      Svg.row(m, cells, numeric);
    }
    Svg.endTable(m);
  }
}
