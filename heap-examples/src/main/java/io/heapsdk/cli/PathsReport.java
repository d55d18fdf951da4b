package io.heapsdk.cli;

import io.heapsdk.analysis.Paths;
import io.heapsdk.analysis.PathsResult;
import io.heapsdk.report.AnalysisCharts;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Prints a paths result: for the terminal, each path as {@code a > b > c} with its count and share; CSV
 * and JSON carry the steps as columns, exactly (NULL where a path is shorter); HTML is a page with the
 * paths as a tree.
 */
public final class PathsReport {
  private PathsReport() {}

  /** The paths as a table, most frequent first, under a one-line title. */
  public static void table(PrintWriter out, PathsResult result) {
    Paths p = result.paths();
    String units = p.unit().cliName() + "s";
    List<String> excluded = p.exclusions().stream().map(TextTable::visible).toList();
    out.println(
        "Paths: " + p.steps() + " " + (p.source() == Paths.Source.EVENTS ? "events" : "pages") + " " + p.direction().cliName() + " "
            + TextTable.visible(p.event()) + ", per " + p.unit().cliName() + (p.collapseRepeats() ? ", repeats collapsed" : "")
            + (excluded.isEmpty() ? "" : ", without " + String.join(", ", excluded)));
    TextTable t = new TextTable("rank", "path", units, "share %").alignRight(0, 2, 3);
    for (PathsResult.Row r : result.rows()) {
      t.cells(
          List.of(
              String.valueOf(r.rank()),
              path(r.steps(), p.direction()),
              String.format(Locale.ROOT, "%,d", r.count()),
              String.format(Locale.ROOT, "%.1f", 100 * r.share())));
    }
    t.print(out);
    if (result.rows().isEmpty()) {
      out.println("  (nobody did " + TextTable.visible(p.event()) + ")");
    } else {
      PathsResult.Row top = result.rows().get(0);
      out.printf(Locale.ROOT, "  %,d %s did %s%n", Math.round(top.count() / top.share()), units, TextTable.visible(p.event()));
    }
  }

  /** {@code a > b > (end)}: the steps in order, where the unit's items ran out marked once. */
  static String path(List<String> steps, Paths.Direction direction) {
    List<String> present = steps.stream().filter(Objects::nonNull).toList();
    boolean shorter = present.size() < steps.size();
    List<String> parts = new ArrayList<>();
    if (shorter && direction == Paths.Direction.BEFORE) {
      parts.add("(start)");
    }
    parts.addAll(present);
    if (shorter && direction == Paths.Direction.AFTER) {
      parts.add("(end)");
    }
    return String.join(" > ", parts);
  }

  static void print(PrintWriter out, PathsResult result, AnalysisOptions.Format format) {
    switch (format) {
      case CSV -> {
        AnalysisReports.csvLine(out, new ArrayList<>(result.paths().outputColumns()));
        for (Map<String, Object> row : rows(result)) {
          AnalysisReports.csvLine(out, new ArrayList<>(row.values()));
        }
      }
      case JSON -> AnalysisReports.json(out, rows(result));
      case HTML -> out.print(AnalysisCharts.paths(result).html());
      default -> table(out, result);
    }
  }

  /** The rows keyed by the output columns, in order. */
  private static List<Map<String, Object>> rows(PathsResult result) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (PathsResult.Row r : result.rows()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("rank", r.rank());
      for (int j = 0; j < r.steps().size(); j++) {
        m.put("step_" + (j + 1), r.steps().get(j));
      }
      m.put("count", r.count());
      m.put("share", r.share());
      rows.add(m);
    }
    return rows;
  }
}
