package io.heapsdk.cli;

import io.heapsdk.analysis.HeapAnalysisException;
import io.heapsdk.analysis.Retention;
import io.heapsdk.analysis.RetentionResult;
import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.standard.StandardModels;
import io.heapsdk.run.AnalysisRunner;
import java.time.LocalDate;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code heap retention}: cohorts of users by their first start event, and how many came back in each later period. */
@Command(
    name = "retention",
    header = "Count how many users come back, per cohort of their first day, week or month.",
    description = {
      "Groups users by the day, week (from Monday) or month (UTC, or --time-zone) of their first start event ever"
          + " (--start-event, or any event), and prints per cohort and period how many did the return"
          + " event (--return-event, or any event) in that period (--mode on) or in it or any later one"
          + " (--mode on_or_after). Period 0 is the cohort's own and counts every user. Periods the data"
          + " has not reached yet have no row.",
      "--from and --to select the cohorts: every cohort whose period overlaps the range, in full."
    })
final class RetentionCommand implements Callable<Integer> {
  @Mixin ConfigOption config;

  @Option(names = "--jdbc", required = true, paramLabel = "URL", description = "The database the models were built on, e.g. jdbc:h2:file:./heap-db.")
  String url;

  @Option(names = "--start-event", paramLabel = "EVENT", description = "The event whose first occurrence puts a user in a cohort (default: any event).")
  String startEvent;

  @Option(names = "--return-event", paramLabel = "EVENT", description = "The event that counts as coming back (default: any event).")
  String returnEvent;

  @Option(
      names = "--period",
      paramLabel = "PERIOD",
      defaultValue = "day",
      converter = PeriodConverter.class,
      description = "day, week (Monday to Sunday) or month, UTC or --time-zone (default: ${DEFAULT-VALUE}).")
  Retention.Period period;

  @Option(
      names = "--periods",
      paramLabel = "N",
      defaultValue = "7",
      description = "How many periods after the cohort's own to show, 1 to 366 (default: ${DEFAULT-VALUE}).")
  int periods;

  @Option(
      names = "--mode",
      paramLabel = "MODE",
      defaultValue = "on",
      converter = ModeConverter.class,
      description = "on (came back in that period) or on_or_after (in it or any later one) (default: ${DEFAULT-VALUE}).")
  Retention.Mode mode;

  @Option(
      names = "--breakdown",
      paramLabel = "COLUMN",
      description = "A column of the sessions fact, from the session of each user's first start event: channel, utm_source, browser, country, …")
  String breakdown;

  @Option(names = "--from", paramLabel = "DATE", description = "First day (in --time-zone) of the cohorts shown, e.g. 2024-01-01.")
  LocalDate from;

  @Option(names = "--to", paramLabel = "DATE", description = "Last day (in --time-zone) of the cohorts shown.")
  LocalDate to;

  @Option(
      names = "--time-zone",
      paramLabel = "ZONE",
      converter = AnalysisOptions.TimeZoneConverter.class,
      description = "The zone whose days, weeks and months the cohorts and periods are, and --from and --to, an IANA name such as"
          + " America/New_York (default: UTC, the zone of Heap's times; Heap's charts use the viewer's zone).")
  java.time.ZoneId timeZone;

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
    Retention.Builder b = Retention.builder().period(period).periods(periods).mode(mode);
    if (startEvent != null) {
      b.startEvent(startEvent);
    }
    if (returnEvent != null) {
      b.returnEvent(returnEvent);
    }
    if (breakdown != null) {
      b.breakdown(breakdown);
    }
    if (from != null) {
      b.from(from);
    }
    if (to != null) {
      b.to(to);
    }
    if (timeZone != null) {
      b.timeZone(timeZone);
    }
    Retention retention = b.build();
    OutputFile.check(spec.commandLine(), out, url, config.file);
    HeapConfig c = config.load();
    try (Database db = Database.openExisting(url, c)) {
      AnalysisRunner runner = new AnalysisRunner(db.warehouse(), c);
      // plan first: a bad breakdown column is a usage error, whatever is on the database
      runner.sql(retention);
      db.requireHeapTables(c);
      AnalysisOptions.requireFacts(
          spec.commandLine(),
          db,
          c,
          retention.breakdown().isPresent()
              ? List.of(StandardModels.EVENTS_FACT, StandardModels.SESSIONS_FACT)
              : List.of(StandardModels.EVENTS_FACT));
      RetentionResult result = runner.run(retention, db.connection());
      sayEventsNamingNoEvent(db, c);
      OutputFile.print(spec.commandLine(), out, w -> RetentionReport.print(w, result, format));
    }
    return HeapCli.OK;
  }

  /**
   * On standard error: a --start-event or --return-event no event is named, which reads as cohorts
   * nobody entered or a table of zeros, nobody coming back (a typo gave 100% then 0% in every period).
   */
  private void sayEventsNamingNoEvent(Database db, HeapConfig c) {
    List<String> names = new ArrayList<>();
    if (startEvent != null) {
      names.add(startEvent);
    }
    if (returnEvent != null && !names.contains(returnEvent)) {
      names.add(returnEvent);
    }
    Set<String> found = names.isEmpty() ? null : AnalysisOptions.eventNamesFound(db, c, names);
    if (found == null) {
      return;
    }
    List<String> missing = new ArrayList<>();
    if (startEvent != null && !found.contains(startEvent)) {
      missing.add(AnalysisOptions.quoted(startEvent, found) + " (--start-event)");
    }
    if (returnEvent != null && !found.contains(returnEvent)) {
      missing.add(AnalysisOptions.quoted(returnEvent, found) + " (--return-event)");
    }
    AnalysisOptions.sayNoEventNamed(spec.commandLine(), missing, "--start-event and --return-event");
  }

  /** {@code day}, {@code week} or {@code month}. */
  static final class PeriodConverter implements ITypeConverter<Retention.Period> {
    @Override
    public Retention.Period convert(String value) {
      return convertWith(() -> Retention.Period.parse(value));
    }
  }

  /** {@code on} or {@code on_or_after}. */
  static final class ModeConverter implements ITypeConverter<Retention.Mode> {
    @Override
    public Retention.Mode convert(String value) {
      return convertWith(() -> Retention.Mode.parse(value));
    }
  }

  private static <T> T convertWith(Supplier<T> parse) {
    try {
      return parse.get();
    } catch (HeapAnalysisException e) {
      // picocli names the option; keep only what was wrong with the value (after "retention: period: ")
      String m = e.getMessage();
      throw new TypeConversionException(m.substring(m.indexOf(": ", m.indexOf(": ") + 2) + 2));
    }
  }
}
