package io.heapsdk.cli;

import io.heapsdk.model.PlannedModel;
import io.heapsdk.model.ProjectPlan;
import io.heapsdk.run.JdbcRunner;
import io.heapsdk.run.RunResult;
import io.heapsdk.sample.LaterBatch;
import io.heapsdk.source.SourceCatalog;
import io.heapsdk.warehouse.BuildPlan;
import io.heapsdk.warehouse.SourcePrints;
import io.heapsdk.warehouse.SqlRenderer;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

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

  /**
   * Rows and time per built model, then where the run's time went, step by step, and the run's wall
   * time: the steps add up to it; the models' own times are a part of it.
   */
  static void built(PrintWriter out, RunResult result, ProjectPlan plan, boolean fullRefreshAsked) {
    TextTable t = new TextTable("model", "rows", "ms");
    long models = 0;
    for (RunResult.ModelResult m : result.models()) {
      t.row(m.model(), m.rows(), m.elapsed().toMillis());
      models += m.elapsed().toMillis();
    }
    t.print(out);
    if (!result.steps().isEmpty()) {
      out.println();
      TextTable steps = new TextTable("step", "statements", "ms");
      Map<String, long[]> parts = new LinkedHashMap<>();
      for (RunResult.StepTiming s : result.steps()) {
        long[] part = parts.computeIfAbsent(stepLabel(s), k -> new long[2]);
        part[0] += s.statements();
        part[1] += s.elapsed().toNanos();
      }
      // the bookkeeping's statements are not counted; an empty cell rather than a misleading 0
      parts.forEach((label, part) -> steps.row(label, part[0] == 0 ? "" : part[0], part[1] / 1_000_000));
      steps.row("total", "", result.total().toMillis());
      steps.print(out);
    }
    // an incremental run says whom it recomputed: every user active within the late-arrival lookback,
    // which is what its time grows with, not the size of the newest batch
    String recomputed =
        result.recomputedUsers().isPresent()
            ? String.format(Locale.ROOT, "; %,d %s recomputed", result.recomputedUsers().getAsLong(),
                result.recomputedUsers().getAsLong() == 1 ? "user" : "users")
            : "";
    // an incremental run may rebuild some of its incremental facts in full (a changed definition, a
    // missing table): say which (tables are rebuilt on every run, and not named)
    String rebuilt = "";
    if (result.mode() == BuildPlan.Mode.INCREMENTAL && plan.incremental().isPresent()) {
      Set<String> facts = plan.incremental().get().facts().stream().map(PlannedModel::name).collect(Collectors.toSet());
      List<String> full =
          result.steps().stream()
              .filter(s -> s.phase().equals("build") && facts.contains(s.model()))
              .map(RunResult.StepTiming::model)
              .distinct()
              .toList();
      rebuilt = full.isEmpty() ? "" : "; built in full: " + String.join(", ", full);
    }
    out.printf(
        Locale.ROOT, "  %d models built in %,d ms (%s%s), %,d ms of it in the models' own statements%s%n",
        result.models().size(), result.total().toMillis(),
        result.mode() == BuildPlan.Mode.FULL_REFRESH && !fullRefreshAsked
            ? runLabel(result.mode(), false) + ", as each incremental fact needed one"
            : runLabel(result.mode(), fullRefreshAsked),
        rebuilt, models, recomputed);
  }

  /**
   * "incremental run", "full-refresh run" (asked for), or "full build" (not asked for: the first run, a
   * changed definition), as {@link JdbcRunner#runKind} names runs in the log and in {@code heap__runs}.
   */
  static String runLabel(BuildPlan.Mode mode, boolean fullRefreshAsked) {
    String kind = JdbcRunner.runKind(mode, fullRefreshAsked);
    return mode == BuildPlan.Mode.FULL_REFRESH && !fullRefreshAsked ? kind : kind + " run";
  }

  /**
   * A step's line in the breakdown: one per phase, except the working tables, one per table, since the
   * mark, the active users and each fact's changes cost very differently.
   */
  static String stepLabel(RunResult.StepTiming s) {
    return switch (s.phase()) {
      case RunResult.RUN_STATE -> "run state (lock, heartbeats, leftovers, recording the run)";
      case RunResult.PLAN -> "deciding the run (catalog, recorded state)";
      case RunResult.ROW_COUNTS -> "counting rows for this summary";
      case "work" -> "working table " + workTable(s.model());
      case "apply" -> "apply transaction";
      case "build" -> "full builds";
      case "swap" -> "swaps";
      case "analyze" -> "statistics after the apply";
      case "record" -> "recording source fingerprints";
      case "forget" -> "forgetting source fingerprints the run outdates";
      default -> s.phase();
    };
  }

  /** The working table a WORK step of {@code model} builds (without the run's suffix). */
  private static String workTable(String model) {
    if (model.equals(SourcePrints.TABLE)) {
      return SourcePrints.CURRENT;
    }
    // the run's own tables (mark, active users, reconciled users) carry the heap__ prefix; a fact's are its changes
    return model.startsWith("heap__") ? model : SqlRenderer.changesTableName(model);
  }
}
