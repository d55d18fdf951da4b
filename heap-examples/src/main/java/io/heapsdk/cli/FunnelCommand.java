package io.heapsdk.cli;

import io.heapsdk.analysis.BreakdownAttribution;
import io.heapsdk.analysis.Funnel;
import io.heapsdk.analysis.FunnelResult;
import io.heapsdk.analysis.FunnelTrend;
import io.heapsdk.analysis.FunnelTrendResult;
import io.heapsdk.analysis.HeapAnalysisException;
import io.heapsdk.analysis.TimeToConvert;
import io.heapsdk.analysis.TimeToConvertResult;
import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.TimeGrain;
import io.heapsdk.model.standard.StandardModels;
import io.heapsdk.run.AnalysisRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
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
          + " window (inclusive) from that start. Each user or session counts once, with its attempt"
          + " that got furthest. A user or session whose counting attempt has an exclusion event"
          + " between the exclusion's steps, within the window, is left out of the funnel altogether"
          + " (as PostHog does). A breakdown takes the value of the session of the attempt's first"
          + " event, or of another step (--breakdown-attribution).",
      "--trend prints the conversion from the first to the last step per day, week or month the"
          + " attempts started in; --time-to-convert a histogram of the seconds between two steps."
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
      converter = AnalysisOptions.FunnelWindowConverter.class,
      description = "Conversion window from step 1, e.g. 7d, 36h, 90m (default: ${DEFAULT-VALUE}); or range: later steps count up to the"
          + " end of --to's day, as Heap's funnel chart counts them.")
  AnalysisOptions.FunnelWindow window;

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

  @Option(
      names = "--exclude",
      paramLabel = "EVENT[:FROM-TO],...",
      description =
          "Exclusion events, comma-separated: between the first and the last step, or between steps FROM and TO"
              + " (refund:2-3). A user or session whose counting attempt has one in between is left out.")
  List<String> exclude = List.of();

  @Option(
      names = "--breakdown",
      paramLabel = "COLUMN",
      description = "A column of the sessions fact: channel, utm_source, utm_campaign, utm_medium, browser, country, … (or its full heap_session_ name).")
  String breakdown;

  @Option(
      names = "--breakdown-attribution",
      paramLabel = "WHICH",
      converter = AnalysisOptions.BreakdownAttributionConverter.class,
      description = "Which event's session gives the breakdown value: first (default), last (the last step reached) or step:N.")
  BreakdownAttribution breakdownAttribution;

  @Option(
      names = "--trend",
      paramLabel = "PERIOD",
      converter = AnalysisOptions.TrendConverter.class,
      description = "Conversion from the first to the last step per day, week (from Monday) or month of entry, instead of the steps.")
  TimeGrain trend;

  @Option(
      names = "--time-to-convert",
      paramLabel = "FROM-TO",
      description = "A histogram of the seconds from step FROM to step TO (e.g. 1-3) of the units that reached TO, instead of the steps.")
  String timeToConvert;

  @Option(
      names = "--bins",
      paramLabel = "N",
      description = "Bins of --time-to-convert, 1 to 100 (default: the cube root of the units, at most 60).")
  Integer bins;

  @Option(names = "--from", paramLabel = "DATE", description = "First day (inclusive, in --time-zone) an attempt may start on, e.g. 2024-01-01.")
  LocalDate from;

  @Option(names = "--to", paramLabel = "DATE", description = "Last day (inclusive, in --time-zone) an attempt may start on.")
  LocalDate to;

  @Option(
      names = "--time-zone",
      paramLabel = "ZONE",
      converter = AnalysisOptions.TimeZoneConverter.class,
      description = "The zone whose days --from, --to, --window range and the --trend's periods are, an IANA name such as America/New_York"
          + " (default: UTC, the zone of Heap's times; Heap's charts use the viewer's zone).")
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

  /** {@code EVENT:FROM-TO}: a colon, then only digits, dashes and blanks, is a range (well formed or not). */
  private static final Pattern RANGED = Pattern.compile("(?s)(.*):([0-9\\s-]+)");

  private static final Pattern RANGE = Pattern.compile("\\s*([0-9]{1,3})\\s*-\\s*([0-9]{1,3})\\s*");

  @Override
  public Integer call() {
    List<String> stepNames = OptionTypes.commaSeparated(steps);
    Funnel.Builder b = usage(() -> window.applyTo(Funnel.builder().steps(stepNames)).ordering(ordering).unit(unit));
    List<String> excludedNames = new ArrayList<>();
    for (String item : OptionTypes.commaSeparated(exclude)) {
      Matcher ranged = RANGED.matcher(item);
      if (ranged.matches()) {
        int[] r = range("--exclude", item, ranged.group(2), stepNames.size());
        usage(() -> b.exclude(ranged.group(1), r[0], r[1]));
        excludedNames.add(ranged.group(1));
      } else {
        usage(() -> b.exclude(item));
        excludedNames.add(item);
      }
    }
    if (breakdown != null) {
      b.breakdown(breakdown);
    }
    if (breakdownAttribution != null) {
      b.breakdownAttribution(breakdownAttribution);
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
    if (trend != null && timeToConvert != null) {
      throw new ParameterException(spec.commandLine(), "--trend and --time-to-convert: choose one");
    }
    if (bins != null && timeToConvert == null) {
      throw new ParameterException(spec.commandLine(), "--bins: goes with --time-to-convert");
    }
    Funnel funnel = usage(b::build);
    Object analysis = funnel;
    if (trend != null) {
      analysis = funnel.trend(trend);
    } else if (timeToConvert != null) {
      int[] r = range("--time-to-convert", timeToConvert, timeToConvert, stepNames.size());
      analysis = usage(() -> bins == null ? funnel.timeToConvert(r[0], r[1]) : funnel.timeToConvert(r[0], r[1], bins));
    }
    OutputFile.check(spec.commandLine(), out, url, config.file);
    HeapConfig c = config.load();
    try (Database db = Database.openExisting(url, c)) {
      AnalysisRunner runner = new AnalysisRunner(db.warehouse(), c);
      // plan first: a bad breakdown column is a usage error, whatever is on the database
      runner.sql(funnel);
      db.requireHeapTables(c);
      AnalysisOptions.requireFacts(
          spec.commandLine(),
          db,
          c,
          funnel.breakdown().isPresent()
              ? List.of(StandardModels.EVENTS_FACT, StandardModels.SESSIONS_FACT)
              : List.of(StandardModels.EVENTS_FACT));
      sayExclusionsNamingNoEvent(db, c, excludedNames);
      if (funnel.breakdown().isPresent()) {
        AnalysisOptions.sayWhenEmpty(spec.commandLine(), db, c, StandardModels.SESSIONS_FACT,
            "--breakdown " + funnel.breakdown().get() + " reads the sessions, so every attempt is in the (null) group");
      }
      if (analysis instanceof FunnelTrend t) {
        FunnelTrendResult result = runner.run(t, db.connection());
        if (result.rows().isEmpty()) {
          sayStepsNamingNoEvent(db, c, stepNames);
        }
        OutputFile.print(spec.commandLine(), out, w -> AnalysisReports.funnelTrend(w, result, format));
      } else if (analysis instanceof TimeToConvert t) {
        TimeToConvertResult result = runner.run(t, db.connection());
        OutputFile.print(spec.commandLine(), out, w -> AnalysisReports.timeToConvert(w, result, format));
      } else {
        FunnelResult result = runner.run(funnel, db.connection());
        // nobody entered, or nobody reached a step (a later step's name mistyped reads as a real drop-off)
        if (result.rows().isEmpty() || result.rows().stream().anyMatch(r -> r.entered() == 0)) {
          sayStepsNamingNoEvent(db, c, stepNames);
        }
        OutputFile.print(spec.commandLine(), out, w -> AnalysisReports.funnel(w, result, format));
      }
    }
    return HeapCli.OK;
  }

  /**
   * Nobody entered the funnel, or nobody reached some step: says on standard error (the output stays the
   * report) which steps name an event the events fact does not hold at all, since a mistyped or
   * differently cased name would otherwise read as a funnel nobody went through, or a step everybody
   * dropped off at. Names match exactly, as the funnel matches them.
   */
  private void sayStepsNamingNoEvent(Database db, HeapConfig c, List<String> stepNames) {
    Set<String> found = AnalysisOptions.eventNamesFound(db, c, stepNames);
    if (found == null) {
      return;
    }
    List<String> missing = new ArrayList<>();
    for (int i = 0; i < stepNames.size(); i++) {
      if (!found.contains(stepNames.get(i))) {
        missing.add(AnalysisOptions.quoted(stepNames.get(i), found) + " (step " + (i + 1) + ")");
      }
    }
    AnalysisOptions.sayNoEventNamed(spec.commandLine(), missing, "step names");
  }

  /**
   * An exclusion whose event no row has excludes nothing, whatever the result: said on standard error, as
   * for steps, since a mistyped exclusion reads as a funnel nobody was excluded from.
   */
  private void sayExclusionsNamingNoEvent(Database db, HeapConfig c, List<String> excluded) {
    if (excluded.isEmpty()) {
      return;
    }
    Set<String> found = AnalysisOptions.eventNamesFound(db, c, excluded);
    if (found == null) {
      return;
    }
    List<String> missing = excluded.stream().distinct().filter(n -> !found.contains(n)).map(n -> AnalysisOptions.quoted(n, found) + " (--exclude: it excludes nothing)").toList();
    AnalysisOptions.sayNoEventNamed(spec.commandLine(), missing, "exclusions");
  }

  /**
   * Two step numbers {@code FROM-TO} of a funnel of {@code steps} steps, the first before the second;
   * otherwise a usage error naming the option and the value.
   */
  private int[] range(String option, String value, String range, int steps) {
    Matcher m = RANGE.matcher(range);
    if (!m.matches()) {
      throw new ParameterException(
          spec.commandLine(), option + ": \"" + value + "\": expected two step numbers FROM-TO, e.g. " + (option.equals("--exclude") ? "refund:2-3" : "1-3"));
    }
    int from = Integer.parseInt(m.group(1));
    int to = Integer.parseInt(m.group(2));
    if (from < 1 || to > steps || from >= to) {
      throw new ParameterException(
          spec.commandLine(), option + ": \"" + value + "\": expected two of the " + steps + " steps, the first before the second, e.g. 1-" + steps);
    }
    return new int[] {from, to};
  }

  /**
   * What the funnel refuses about the new options, said with the option's name (the rest keeps the
   * funnel's own message, which names the setting).
   */
  private <T> T usage(Supplier<T> make) {
    try {
      return make.get();
    } catch (HeapAnalysisException e) {
      String option =
          e.setting().startsWith("exclusions[") ? "--exclude"
              : e.setting().startsWith("steps[") ? "--steps"
              : e.setting().equals("breakdownAttribution") ? "--breakdown-attribution"
              : e.setting().equals("timeToConvert") ? "--time-to-convert"
              : e.setting().equals("bins") ? "--bins"
              : null;
      if (option == null) {
        throw e;
      }
      String m = e.getMessage();
      String problem = m.substring(m.indexOf(": ", m.indexOf(": ") + 2) + 2);
      if (e.setting().startsWith("steps[")) {
        problem = "step " + stepNumber(e.setting()) + ": " + problem;
      }
      // the funnel's settings count its steps from 0 (a Java list); the command line, its ranges and its
      // reports from 1
      String oneBased = STEP_INDEX.matcher(problem).replaceAll(r -> "step " + (Integer.parseInt(r.group(1)) + 1));
      throw new ParameterException(spec.commandLine(), option + ": " + oneBased);
    }
  }

  private static final Pattern STEP_INDEX = Pattern.compile("steps\\[(\\d+)\\]");

  private static int stepNumber(String setting) {
    Matcher m = STEP_INDEX.matcher(setting);
    return m.find() ? Integer.parseInt(m.group(1)) + 1 : 0;
  }
}
