package io.heapsdk.cli;

import io.heapsdk.run.RunResult;
import io.heapsdk.sample.LaterBatch;
import io.heapsdk.source.SourceCatalog;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;

/** The summaries the commands print: rows loaded per Heap table, a later batch, rows and time per built model. */
final class Reports {
  private Reports() {}

  static void loaded(PrintWriter out, Map<String, Long> counts) {
    TextTable t = new TextTable("table", "rows");
    counts.forEach(t::row);
    t.print(out);
  }

  /** What a later batch brought, in one line. */
  static void batch(PrintWriter out, LaterBatch.Summary s) {
    out.printf(
        Locale.ROOT,
        "  %,d new users, %,d returning users, %,d late rows, %,d re-synced duplicates, %,d identity"
            + " merge%s (%,d rows' user_id rewritten); %,d users touched (%.1f%%), %,d new all_events"
            + " rows (%.1f%%)%n",
        s.newUsers(), s.returningUsers(), s.lateRows(), s.identicalResyncs() + s.laterResyncs(), s.merges().size(),
        s.merges().size() == 1 ? "" : "s", s.rewrittenRows(), s.touchedUsers(), 100 * s.touchedShare(),
        s.rows().get(SourceCatalog.ALL_EVENTS), 100 * s.newEventShare());
  }

  static void built(PrintWriter out, RunResult result) {
    TextTable t = new TextTable("model", "rows", "ms");
    long total = 0;
    for (RunResult.ModelResult m : result.models()) {
      t.row(m.model(), m.rows(), m.elapsed().toMillis());
      total += m.elapsed().toMillis();
    }
    t.print(out);
    out.printf(Locale.ROOT, "  %d models built in %,d ms (%s run)%n", result.models().size(), total, SqlFiles.modeName(result.mode()));
  }
}
