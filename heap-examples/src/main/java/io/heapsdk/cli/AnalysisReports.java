package io.heapsdk.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.heapsdk.analysis.AttributionResult;
import io.heapsdk.analysis.Funnel;
import io.heapsdk.analysis.FunnelResult;
import io.heapsdk.report.AnalysisCharts;
import io.heapsdk.analysis.FunnelTrendResult;
import io.heapsdk.analysis.TimeToConvertResult;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Prints funnel and attribution results as a terminal table, CSV, JSON or a page of charts (HTML). {@link #funnel} and
 * {@link #attribution} print the table, for {@code heap demo} and the commands alike.
 *
 * <p>CSV and JSON carry the rows exactly (ratios as fractions, seconds as numbers, NULL as an empty
 * field or {@code null}); the table rounds for reading (percentages, durations).
 */
public final class AnalysisReports {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private AnalysisReports() {}

  // ------------------------------------------------------------------ funnel

  /** A funnel as a table: one line per step (and breakdown value), under a one-line title. */
  public static void funnel(PrintWriter out, FunnelResult result) {
    Funnel f = result.funnel();
    out.println("Funnel " + funnelTitle(f));
    List<String> headers = new ArrayList<>();
    result.breakdownColumn().ifPresent(headers::add);
    headers.addAll(List.of("step", "event", "entered", "% of first", "% of previous", "drop-off", "median time", "avg time"));
    // left-aligned: the breakdown value and the event name; the rest are numbers
    int first = result.breakdownColumn().isPresent() ? 1 : 0;
    TextTable t = new TextTable(headers.toArray(String[]::new));
    t.alignRight(first);
    for (int i = first + 2; i < headers.size(); i++) {
      t.alignRight(i);
    }
    for (FunnelResult.Row r : result.rows()) {
      List<String> cells = new ArrayList<>();
      result.breakdownColumn().ifPresent(c -> cells.add(r.breakdownValue() == null ? "(null)" : r.breakdownValue()));
      cells.add(String.valueOf(r.step()));
      cells.add(r.event());
      cells.add(String.format(Locale.ROOT, "%,d", r.entered()));
      cells.add(percent(r.conversionFromFirst()));
      cells.add(percent(r.conversionFromPrevious()));
      cells.add(r.dropOff() == null ? "-" : String.format(Locale.ROOT, "%,d", r.dropOff()));
      cells.add(duration(r.medianSecondsFromFirst()));
      cells.add(duration(r.avgSecondsFromFirst()));
      t.cells(cells);
    }
    t.print(out);
    if (result.rows().isEmpty()) {
      out.println("  (nobody entered the funnel)");
    }
  }

  static void funnel(PrintWriter out, FunnelResult result, AnalysisOptions.Format format) {
    switch (format) {
      case CSV -> funnelCsv(out, result);
      case JSON -> json(out, funnelRows(result));
      case HTML -> out.print(AnalysisCharts.funnel(result).html());
      default -> funnel(out, result);
    }
  }

  private static void funnelCsv(PrintWriter out, FunnelResult result) {
    List<Map<String, Object>> rows = funnelRows(result);
    csvLine(out, new ArrayList<>(result.funnel().outputColumns()));
    for (Map<String, Object> r : rows) {
      csvLine(out, new ArrayList<>(r.values()));
    }
  }

  /** The rows keyed by the output columns, in order. */
  private static List<Map<String, Object>> funnelRows(FunnelResult result) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (FunnelResult.Row r : result.rows()) {
      Map<String, Object> m = new LinkedHashMap<>();
      result.breakdownColumn().ifPresent(c -> m.put(c, r.breakdownValue()));
      m.put("step", r.step());
      m.put("event", r.event());
      m.put("entered", r.entered());
      m.put("conversion_from_first", r.conversionFromFirst());
      m.put("conversion_from_previous", r.conversionFromPrevious());
      m.put("drop_off", r.dropOff());
      m.put("median_seconds_from_first", r.medianSecondsFromFirst());
      m.put("avg_seconds_from_first", r.avgSecondsFromFirst());
      rows.add(m);
    }
    return rows;
  }

  /** A funnel's title: its steps and settings. */
  private static String funnelTitle(Funnel f) {
    return f.steps().stream().map(s -> TextTable.visible(s.label())).collect(Collectors.joining(" > ")) + " ("
        + f.ordering().cliName() + ", per " + f.unit().cliName() + ", window " + f.windowLabel()
        + (f.exclusions().isEmpty() ? "" : ", excluding "
            + f.exclusions().stream().map(e -> TextTable.visible(e.step().label()) + " " + e.range()).collect(Collectors.joining(", ")))
        + ")";
  }

  /** A funnel trend: one line per period (and breakdown value); CSV and JSON columns as {@code FunnelTrend.outputColumns()}. */
  static void funnelTrend(PrintWriter out, FunnelTrendResult result, AnalysisOptions.Format format) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (FunnelTrendResult.Row r : result.rows()) {
      Map<String, Object> m = new LinkedHashMap<>();
      result.breakdownColumn().ifPresent(c -> m.put(c, r.breakdownValue()));
      m.put("period", r.period().toString());
      m.put("entered", r.entered());
      m.put("converted", r.converted());
      m.put("conversion", r.conversion());
      rows.add(m);
    }
    if (format == AnalysisOptions.Format.HTML) {
      out.print(AnalysisCharts.trend(result).html());
      return;
    }
    if (format != AnalysisOptions.Format.TABLE) {
      rowsAs(out, format, result.trend().outputColumns(), rows);
      return;
    }
    out.println("Funnel " + funnelTitle(result.trend().funnel()) + " per " + result.trend().grain().name().toLowerCase(Locale.ROOT) + " of entry");
    List<String> headers = new ArrayList<>(result.trend().outputColumns());
    headers.set(headers.size() - 1, "conversion %");
    TextTable t = new TextTable(headers.toArray(String[]::new));
    int first = result.breakdownColumn().isPresent() ? 1 : 0;
    t.alignRight(first + 1, first + 2, first + 3);
    for (FunnelTrendResult.Row r : result.rows()) {
      List<String> cells = new ArrayList<>();
      result.breakdownColumn().ifPresent(c -> cells.add(r.breakdownValue() == null ? "(null)" : r.breakdownValue()));
      cells.add(r.period().toString());
      cells.add(String.format(Locale.ROOT, "%,d", r.entered()));
      cells.add(String.format(Locale.ROOT, "%,d", r.converted()));
      cells.add(percent(r.conversion()));
      t.cells(cells);
    }
    t.print(out);
    if (result.rows().isEmpty()) {
      out.println("  (nobody entered the funnel)");
    }
  }

  /** A time-to-convert histogram: one line per bin; CSV and JSON columns as {@code TimeToConvert.outputColumns()}. */
  static void timeToConvert(PrintWriter out, TimeToConvertResult result, AnalysisOptions.Format format) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (TimeToConvertResult.Row r : result.rows()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("bin", r.bin());
      m.put("from_seconds", r.fromSeconds());
      m.put("to_seconds", r.toSeconds());
      m.put("units", r.units());
      m.put("share", r.share());
      rows.add(m);
    }
    var ttc = result.timeToConvert();
    if (format == AnalysisOptions.Format.HTML) {
      out.print(AnalysisCharts.timeToConvert(result).html());
      return;
    }
    if (format != AnalysisOptions.Format.TABLE) {
      rowsAs(out, format, ttc.outputColumns(), rows);
      return;
    }
    Funnel f = ttc.funnel();
    out.println(
        "Time to convert from " + TextTable.visible(f.steps().get(ttc.fromStep() - 1).label()) + " to "
            + TextTable.visible(f.steps().get(ttc.toStep() - 1).label()) + " in funnel " + funnelTitle(f));
    TextTable t = new TextTable("bin", "from", "to", "units", "share %").alignRight(0, 1, 2, 3, 4);
    for (int i = 0; i < result.rows().size(); i++) {
      TimeToConvertResult.Row r = result.rows().get(i);
      // [from, to), the last bin [from, to]
      t.cells(
          List.of(
              String.valueOf(r.bin()), duration((double) r.fromSeconds()),
              (i == result.rows().size() - 1 ? "<= " : "< ") + duration((double) r.toSeconds()),
              String.format(Locale.ROOT, "%,d", r.units()), percent(r.share())));
    }
    t.print(out);
    out.println(result.rows().isEmpty() ? "  (nobody reached the later step)" : String.format(Locale.ROOT, "  %,d units", result.units()));
  }

  private static void rowsAs(PrintWriter out, AnalysisOptions.Format format, List<String> columns, List<Map<String, Object>> rows) {
    if (format == AnalysisOptions.Format.JSON) {
      json(out, rows);
      return;
    }
    csvLine(out, new ArrayList<>(columns));
    for (Map<String, Object> r : rows) {
      csvLine(out, new ArrayList<>(r.values()));
    }
  }

  // ------------------------------------------------------------------ attribution

  /** An attribution as a table: one line per credited value, with its share of all conversions. */
  public static void attribution(PrintWriter out, AttributionResult result) {
    var a = result.attribution();
    out.println(
        "Attribution (" + a.model().cliName() + ", by " + a.by() + ", lookback " + a.lookbackLabel()
            + (a.collapseRepeats() ? ", repeats collapsed" : "") + ")");
    double total = result.rows().stream().mapToDouble(AttributionResult.Row::conversions).sum();
    // the value column only where the attribution credits a value (a column of dashes said nothing)
    boolean values = a.value().isPresent();
    TextTable t =
        values
            ? new TextTable(a.by(), "conversions", "share %", "value").alignRight(1, 2, 3)
            : new TextTable(a.by(), "conversions", "share %").alignRight(1, 2);
    for (AttributionResult.Row r : result.rows()) {
      List<String> cells = new ArrayList<>(List.of(
          r.label() == null ? "(null)" : r.label(),
          String.format(Locale.ROOT, "%,.2f", r.conversions()),
          total == 0 ? "-" : String.format(Locale.ROOT, "%.1f", 100 * r.conversions() / total)));
      if (values) {
        cells.add(r.value() == null ? "-" : String.format(Locale.ROOT, "%,.2f", r.value()));
      }
      t.cells(cells);
    }
    t.print(out);
    out.printf(Locale.ROOT, "  %,.0f conversions%n", total);
  }

  static void attribution(PrintWriter out, AttributionResult result, AnalysisOptions.Format format) {
    switch (format) {
      case CSV -> {
        csvLine(out, new ArrayList<>(result.attribution().outputColumns()));
        for (Map<String, Object> r : attributionRows(result)) {
          csvLine(out, new ArrayList<>(r.values()));
        }
      }
      case JSON -> json(out, attributionRows(result));
      case HTML -> out.print(AnalysisCharts.attribution(result).html());
      default -> attribution(out, result);
    }
  }

  private static List<Map<String, Object>> attributionRows(AttributionResult result) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (AttributionResult.Row r : result.rows()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put(result.attribution().by(), r.label());
      m.put("conversions", r.conversions());
      m.put("value", r.value());
      rows.add(m);
    }
    return rows;
  }

  // ------------------------------------------------------------------ formats

  static void json(PrintWriter out, List<Map<String, Object>> rows) {
    try {
      out.println(JSON.writeValueAsString(rows));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("rows of plain values always serialize", e);
    }
  }

  /**
   * One CSV record (RFC 4180): a field with a comma, quote or line break is quoted; NULL is an empty
   * field and an empty text a quoted one ({@code ""}), as PostgreSQL's and DuckDB's CSV readers take
   * them: Heap's data has both (a UTM value never set, and one synced empty), and they are two rows.
   *
   * <p>A text that a spreadsheet would take for a formula ({@link #looksLikeAFormula}) is written with a
   * {@code '} before it. Breakdown values and paths come from visitors' URLs and referrers: anyone may
   * send {@code ?utm_source==HYPERLINK("https://…","click")} to a site, and a product team opens the CSV in
   * Excel or Google Sheets, which would run it (OWASP's "CSV Injection"). Numbers are not text and keep
   * their sign; JSON carries every text exactly.
   */
  static void csvLine(PrintWriter out, List<Object> values) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        b.append(',');
      }
      Object v = values.get(i);
      String text = v == null ? "" : v instanceof Double d ? plain(d) : v.toString();
      if (v instanceof CharSequence && looksLikeAFormula(text)) {
        text = "'" + text;
      }
      if ((v != null && text.isEmpty()) || text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")) {
        text = "\"" + text.replace("\"", "\"\"") + "\"";
      }
      b.append(text);
    }
    // CRLF is what RFC 4180 asks for, but a plain newline is what every tool here reads and writes
    out.print(b.append('\n'));
    out.flush();
  }

  /**
   * Whether a spreadsheet opening the CSV would read {@code text} as a formula: it begins with {@code =},
   * {@code +}, {@code -} or {@code @} (Excel, LibreOffice and Google Sheets each take these), or with a tab
   * or carriage return, behind which Excel looks for them too (OWASP's list).
   */
  static boolean looksLikeAFormula(String text) {
    return !text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0;
  }

  /** A double without exponent or a trailing {@code .0}: 0.8333333333333334, 3600, 0.00001. */
  private static String plain(double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      return String.valueOf(d);
    }
    String s = BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    return s.equals("-0") ? "0" : s;
  }

  private static String percent(Double fraction) {
    return fraction == null ? "-" : String.format(Locale.ROOT, "%.1f", 100 * fraction);
  }

  /** Seconds for reading: {@code 45s}, {@code 12m 30s}, {@code 3h 05m}, {@code 2d 04h}. */
  static String duration(Double seconds) {
    if (seconds == null) {
      return "-";
    }
    long s = Math.round(seconds);
    if (s < 60) {
      return s + "s";
    }
    if (s < 3_600) {
      return String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60);
    }
    if (s < 86_400) {
      return String.format(Locale.ROOT, "%dh %02dm", s / 3_600, (s % 3_600) / 60);
    }
    return String.format(Locale.ROOT, "%dd %02dh", s / 86_400, (s % 86_400) / 3_600);
  }
}
