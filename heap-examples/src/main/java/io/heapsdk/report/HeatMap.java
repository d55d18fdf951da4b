package io.heapsdk.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A heat map of rates: one row per cohort, one column per period, each cell shaded by its rate (darker
 * is higher) and showing it as a percentage. Retention: cohorts by their first day, week or month,
 * periods since.
 *
 * <p>Marks: {@code g.mark.cell} with {@code data-row} (the cohort), {@code data-col} (the period),
 * {@code data-value} (the rate), {@code data-count} (retained) and {@code data-size} (cohort size);
 * {@code g.mark.size} per row with {@code data-row} and {@code data-value} (the cohort size). A cell
 * without a rate (a period not yet over) is left blank and is no mark. With {@code seriesName} set (the
 * map is one breakdown value's), every mark carries {@code data-series}: the value, empty plus
 * {@code data-series-null} for NULL.
 */
public final class HeatMap implements Chart {
  private static final double CELL_W = 60;
  private static final double CELL_H = 28;
  private static final double SIZE_W = 78;

  /**
   * One cell.
   *
   * @param rate the rate from 0 to 1; NULL when there is none (the period has not ended)
   * @param count the units behind the rate (retained users)
   */
  public record Cell(Double rate, long count) {}

  /**
   * One row.
   *
   * @param label the cohort
   * @param size the cohort's size, the rate's denominator
   * @param cells one cell per column, in order (fewer when the last periods have none)
   */
  public record Row(String label, long size, List<Cell> cells) {
    public Row {
      Objects.requireNonNull(label, "label");
      cells = List.copyOf(cells);
    }
  }

  private final String title;
  private final String seriesName;
  private final String series;
  private final String rowName;
  private final String sizeName;
  private final String countName;
  private final String columnName;
  private final List<String> columns;
  private final List<Row> rows;

  /**
   * @param title the figure's caption
   * @param seriesName what the series is (the breakdown column); NULL when the map is of all units
   * @param series the breakdown value this map is for; NULL for the NULL value (or without {@code seriesName})
   * @param rowName what a row is: {@code cohort}
   * @param sizeName what the size counts: {@code users}
   * @param countName what a cell counts: {@code retained}
   * @param columnName what a column is: {@code period}
   * @param columns the column labels: {@code 0}, {@code 1}, …
   * @param rows the rows, top to bottom
   */
  public HeatMap(
      String title, String seriesName, String series, String rowName, String sizeName, String countName, String columnName, List<String> columns, List<Row> rows) {
    this.title = Objects.requireNonNull(title, "title");
    this.seriesName = seriesName;
    this.series = series;
    this.rowName = Objects.requireNonNull(rowName, "rowName");
    this.sizeName = Objects.requireNonNull(sizeName, "sizeName");
    this.countName = Objects.requireNonNull(countName, "countName");
    this.columnName = Objects.requireNonNull(columnName, "columnName");
    this.columns = List.copyOf(columns);
    this.rows = List.copyOf(rows);
  }

  @Override
  public void writeTo(Markup m) {
    Svg.figure(m, "heatmap", title);
    double labelWidth = Math.min(180, rows.stream().mapToDouble(r -> Labels.widthPx(r.label())).max().orElse(40)) + 14;
    labelWidth = Math.max(labelWidth, Labels.widthPx(rowName) + 14);
    double left = labelWidth + SIZE_W;
    double top = 44;
    double width = left + columns.size() * CELL_W + 4;
    double height = top + rows.size() * CELL_H + 4;
    Object[] seriesData =
        seriesName == null
            ? new Object[0]
            : new Object[] {"data-series", series == null ? "" : series, "data-series-null", series == null ? "true" : null};
    m.open("div", "class", "scroll");
    Svg.open(m, width, height, title, rows.size() + " " + rowName + "s by " + columns.size() + " " + columnName + "s; each cell is the share of the "
        + rowName + "'s " + sizeName + " that " + countName + (seriesName == null ? "" : " (" + Svg.inText(seriesName) + " " + Svg.inText(series) + ")") + ".");
    m.element("text", columnName, "x", left, "y", 14.0, "class", "muted");
    m.element("text", rowName, "x", 0.0, "y", top - 8, "class", "muted");
    m.element("text", sizeName, "x", left - 10, "y", top - 8, "text-anchor", "end", "class", "muted");
    for (int c = 0; c < columns.size(); c++) {
      Svg.label(m, columns.get(c), left + c * CELL_W + CELL_W / 2, top - 8, CELL_W - 4, "middle", "head");
    }
    for (int r = 0; r < rows.size(); r++) {
      Row row = rows.get(r);
      double y = top + r * CELL_H;
      m.open("g", Markup.join(new Object[] {"class", "mark size", "data-row", row.label(), "data-label", row.label(), "data-value", row.size()}, seriesData));
      m.element("title", rowName + " " + Svg.inText(row.label()) + ": " + Numbers.count(row.size()) + " " + sizeName);
      Svg.label(m, row.label(), 0, y + 18, labelWidth - 12, "start", null);
      m.element("text", Numbers.count(row.size()), "x", left - 10, "y", y + 18, "text-anchor", "end", "class", "num");
      m.close("g");
      for (int c = 0; c < Math.min(columns.size(), row.cells().size()); c++) {
        Cell cell = row.cells().get(c);
        if (cell.rate() == null) {
          continue;
        }
        String fill = Colors.sequential(cell.rate());
        double x = left + c * CELL_W;
        m.open(
            "g",
            Markup.join(
                new Object[] {
                  "class", "mark cell", "data-row", row.label(), "data-col", columns.get(c), "data-label", row.label() + " / " + columns.get(c),
                  "data-value", Numbers.exact(cell.rate()), "data-count", cell.count(), "data-size", row.size()
                },
                seriesData));
        m.element(
            "title",
            rowName + " " + Svg.inText(row.label()) + ", " + columnName + " " + Svg.inText(columns.get(c)) + ": " + Numbers.percent(cell.rate()) + " ("
                + Numbers.count(cell.count()) + " of " + Numbers.count(row.size()) + " " + sizeName + " " + countName + ")");
        m.empty("rect", "x", x + 1, "y", y + 1, "width", CELL_W - 2, "height", CELL_H - 2, "fill", fill);
        m.element("text", Numbers.percent(cell.rate()), "x", x + CELL_W / 2, "y", y + 18, "text-anchor", "middle", "class", "num",
            "style", "fill:" + Colors.textOn(fill));
        m.close("g");
      }
    }
    m.close("svg").close("div");
    table(m);
    m.close("figure");
  }

  private void table(Markup m) {
    List<String> headers = new ArrayList<>(List.of(rowName, sizeName));
    List<Boolean> numeric = new ArrayList<>(List.of(false, true));
    for (String c : columns) {
      headers.add(columnName + " " + c);
      numeric.add(true);
    }
    Svg.table(m, headers, numeric);
    for (Row r : rows) {
      List<String> cells = new ArrayList<>(List.of(r.label(), Numbers.count(r.size())));
      for (int c = 0; c < columns.size(); c++) {
        Cell cell = c < r.cells().size() ? r.cells().get(c) : null;
        cells.add(cell == null || cell.rate() == null ? "" : Numbers.percent(cell.rate()) + " (" + Numbers.count(cell.count()) + ")");
      }
      Svg.row(m, cells, numeric);
    }
    Svg.endTable(m);
  }
}
