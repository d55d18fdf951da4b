package io.heapsdk.cli;

import io.heapsdk.analysis.Retention;
import io.heapsdk.analysis.RetentionResult;
import io.heapsdk.analysis.Step;
import io.heapsdk.report.AnalysisCharts;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prints a retention result: for the terminal, a table of cohorts by period (the percentage of each
 * cohort retained, blank where the data has not reached the period yet); CSV and JSON carry one row per
 * cohort and period, exactly; HTML is a page with a heat map per breakdown value.
 */
public final class RetentionReport {
  private RetentionReport() {}

  /** The retention as a table, one line per cohort (and breakdown value), under a one-line title. */
  public static void table(PrintWriter out, RetentionResult result) {
    Retention r = result.retention();
    String unit = r.period().cliName();
    out.println(
        "Retention: users by the " + unit + " of their first " + r.startEvent().map(s -> TextTable.visible(s.label())).orElse("event")
            + ", back with " + label(r.returnEvent()) + " (" + r.mode().cliName() + "), % of each cohort");
    List<String> headers = new ArrayList<>();
    result.breakdownColumn().ifPresent(headers::add);
    headers.add("cohort");
    headers.add("users");
    int first = headers.size();
    for (int k = 0; k <= r.periods(); k++) {
      headers.add(unit + " " + k);
    }
    TextTable t = new TextTable(headers.toArray(String[]::new));
    for (int i = first - 1; i < headers.size(); i++) {
      t.alignRight(i);
    }
    Map<List<Object>, String[]> lines = new LinkedHashMap<>();
    for (RetentionResult.Row row : result.rows()) {
      List<Object> key = new ArrayList<>();
      key.add(row.breakdownValue());
      key.add(row.cohort());
      String[] cells =
          lines.computeIfAbsent(
              key,
              k -> {
                String[] c = new String[headers.size()];
                java.util.Arrays.fill(c, "");
                int i = 0;
                if (result.breakdownColumn().isPresent()) {
                  c[i++] = row.breakdownValue() == null ? "(null)" : row.breakdownValue();
                }
                c[i++] = row.cohort().toString();
                c[i] = String.format(Locale.ROOT, "%,d", row.cohortSize());
                return c;
              });
      cells[first + row.period()] = String.format(Locale.ROOT, "%.1f", 100 * row.rate());
    }
    lines.values().forEach(c -> t.cells(List.of(c)));
    t.print(out);
    if (result.rows().isEmpty()) {
      out.println("  (no cohort: nobody did " + label(r.startEvent()) + " in the date range)");
    }
  }

  static void print(PrintWriter out, RetentionResult result, AnalysisOptions.Format format) {
    switch (format) {
      case CSV -> {
        AnalysisReports.csvLine(out, new ArrayList<>(result.retention().outputColumns()));
        for (Map<String, Object> row : rows(result)) {
          AnalysisReports.csvLine(out, new ArrayList<>(row.values()));
        }
      }
      case JSON -> AnalysisReports.json(out, rows(result));
      case HTML -> out.print(AnalysisCharts.retention(result).html());
      default -> table(out, result);
    }
  }

  /** The rows keyed by the output columns, in order; the cohort as an ISO date. */
  private static List<Map<String, Object>> rows(RetentionResult result) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (RetentionResult.Row r : result.rows()) {
      Map<String, Object> m = new LinkedHashMap<>();
      result.breakdownColumn().ifPresent(c -> m.put(c, r.breakdownValue()));
      m.put("cohort", r.cohort().toString());
      m.put("cohort_size", r.cohortSize());
      m.put("period", r.period());
      m.put("retained", r.retained());
      m.put("rate", r.rate());
      rows.add(m);
    }
    return rows;
  }

  private static String label(java.util.Optional<Step> event) {
    return event.map(s -> TextTable.visible(s.label())).orElse("any event");
  }
}
