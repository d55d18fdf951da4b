package io.heapsdk.cli;

import io.heapsdk.analysis.Funnel;
import io.heapsdk.analysis.FunnelResult;
import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.standard.StandardModels;
import io.heapsdk.run.AnalysisRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code heap funnel}: a funnel over the built facts, per step (and breakdown value). */
@Command(
    name = "funnel",
    header = "Count how far users (or sessions) get through a funnel of events.",
    description = {
      "Runs a funnel over the events fact that `heap run` built on a database and prints, per step:"
          + " units entered, conversion from step 1 and from the previous step, drop-off, and median"
          + " and average time from step 1.",
      "An attempt starts at a step-1 event in the date range; each later step must come within the"
          + " window (inclusive) from that start; the first exclusion event after the start ends the"
          + " attempt. Each user or session counts once, with its attempt that got furthest. A"
          + " breakdown takes the value of the session the attempt started in."
    })
final class FunnelCommand implements Callable<Integer> {
  @Mixin ConfigOption config;

  @Option(names = "--jdbc", required = true, paramLabel = "URL", description = "The database the models were built on, e.g. jdbc:h2:file:./heap-db.")
  String url;

  @Option(
      names = "--steps",
      required = true,
      paramLabel = "EVENT,...",
      description = "The steps' event names, in order, comma-separated (a name may hold quotes, not a comma).")
  List<String> steps;

  @Option(
      names = "--window",
      paramLabel = "DURATION",
      defaultValue = "14d",
      converter = AnalysisOptions.DurationConverter.class,
      description = "Conversion window from step 1, e.g. 7d, 36h, 90m (default: ${DEFAULT-VALUE}).")
  Duration window;

  @Option(
      names = "--ordering",
      paramLabel = "MODE",
      defaultValue = "ordered",
      converter = AnalysisOptions.OrderingConverter.class,
      description = "ordered (other events may come between steps), strict (no other funnel event between steps) or any_order (default: ${DEFAULT-VALUE}).")
  Funnel.Ordering ordering;

  @Option(
      names = "--unit",
      paramLabel = "UNIT",
      defaultValue = "user",
      converter = AnalysisOptions.UnitConverter.class,
      description = "user, or session (every step in one session) (default: ${DEFAULT-VALUE}).")
  Funnel.Unit unit;

  @Option(names = "--exclude", paramLabel = "EVENT,...", description = "Events that end an attempt when they come after its start, comma-separated.")
  List<String> exclude = List.of();

  @Option(
      names = "--breakdown",
      paramLabel = "COLUMN",
      description = "A column of the sessions fact: channel, utm_source, utm_campaign, utm_medium, browser, country, … (or its full heap_session_ name).")
  String breakdown;

  @Option(names = "--from", paramLabel = "DATE", description = "First day (UTC, inclusive) an attempt may start on, e.g. 2024-01-01.")
  LocalDate from;

  @Option(names = "--to", paramLabel = "DATE", description = "Last day (UTC, inclusive) an attempt may start on.")
  LocalDate to;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "table",
      converter = AnalysisOptions.FormatConverter.class,
      description = "table, csv, json or html (a page of charts; with --out, or redirect it) (default: ${DEFAULT-VALUE}).")
  AnalysisOptions.Format format;

  @Option(names = "--out", paramLabel = "FILE", description = "Write the output to FILE (UTF-8) instead of standard output.")
  Path out;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    Funnel.Builder b =
        Funnel.builder().steps(OptionTypes.commaSeparated(steps)).window(window).ordering(ordering).unit(unit);
    OptionTypes.commaSeparated(exclude).forEach(b::exclude);
    if (breakdown != null) {
      b.breakdown(breakdown);
    }
    if (from != null) {
      b.from(from);
    }
    if (to != null) {
      b.to(to);
    }
    Funnel funnel = b.build();
    OutputFile.check(spec.commandLine(), out);
    HeapConfig c = config.load();
    try (Database db = Database.openExisting(url)) {
      AnalysisRunner runner = new AnalysisRunner(db.warehouse(), c);
      // plan first: a bad breakdown column is a usage error, whatever is on the database
      runner.sql(funnel);
      db.requireHeapTables(c);
      AnalysisOptions.requireFacts(
          db,
          c,
          funnel.breakdown().isPresent()
              ? List.of(StandardModels.EVENTS_FACT, StandardModels.SESSIONS_FACT)
              : List.of(StandardModels.EVENTS_FACT));
      FunnelResult result = runner.run(funnel, db.connection());
      OutputFile.print(spec.commandLine(), out, w -> AnalysisReports.funnel(w, result, format));
    }
    return HeapCli.OK;
  }
}
