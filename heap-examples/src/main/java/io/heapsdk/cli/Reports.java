package io.heapsdk.cli;

import io.heapsdk.run.RunResult;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;

/** The summaries the commands print: rows loaded per Heap table, and rows and time per built model. */
final class Reports {
  private Reports() {}

  static void loaded(PrintWriter out, Map<String, Long> counts) {
    TextTable t = new TextTable("table", "rows");
    counts.forEach(t::row);
    t.print(out);
  }

  static void built(PrintWriter out, RunResult result) {
    TextTable t = new TextTable("model", "rows", "ms");
    long total = 0;
    for (RunResult.ModelResult m : result.models()) {
      t.row(m.model(), m.rows(), m.elapsed().toMillis());
      total += m.elapsed().toMillis();
    }
    t.print(out);
    String mode = result.mode().name().toLowerCase(Locale.ROOT).replace('_', '-');
    out.printf(Locale.ROOT, "  %d models built in %,d ms (%s run)%n", result.models().size(), total, mode);
  }
}
