package io.heapsdk.cli;

import io.heapsdk.analysis.Attribution;
import io.heapsdk.analysis.AttributionModel;
import io.heapsdk.analysis.AttributionResult;
import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.standard.StandardModels;
import io.heapsdk.run.AnalysisRunner;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code heap attribution}: conversions credited to channels (or campaigns, sources, media). */
@Command(
    name = "attribution",
    header = "Credit conversions to the channels, sources or campaigns of the sessions before them.",
    description = {
      "Attributes the conversion events of the config (conversion_events, or --conversion-events) to the converting user's"
          + " sessions that started at most the lookback before the conversion and not after it (both ends"
          + " inclusive: the conversion's own session counts when it started within the lookback), and prints"
          + " the conversions credited per value of --by."
          + " Each conversion's credit sums to 1; a conversion without such a session is credited to"
          + " (none)."
    })
final class AttributionCommand implements Callable<Integer> {
  @Mixin ConfigOption config;

  @Option(names = "--jdbc", required = true, paramLabel = "URL", description = "The database the models were built on, e.g. jdbc:h2:file:./heap-db.")
  String url;

  @Option(
      names = "--model",
      required = true,
      paramLabel = "MODEL",
      converter = AnalysisOptions.ModelConverter.class,
      description = "first_touch, last_touch, last_non_direct, linear, position_based or time_decay.")
  AttributionModel model;

  @Option(
      names = "--lookback",
      paramLabel = "DURATION",
      defaultValue = "14d",
      converter = AnalysisOptions.LookbackConverter.class,
      description = "How long before a conversion a session may start, e.g. 30d (default: ${DEFAULT-VALUE}); or all: every earlier session"
          + " of the user, so first_touch is the user's first session ever (Heap's \"initial\" session).")
  AnalysisOptions.Lookback lookback;

  @Option(
      names = "--by",
      paramLabel = "COLUMN",
      defaultValue = "channel",
      description = "channel, utm_source, utm_campaign or utm_medium (or any sessions fact column) (default: ${DEFAULT-VALUE}).")
  String by;

  @Option(
      names = "--conversion-events",
      paramLabel = "EVENT,...",
      description = "The conversion events, comma-separated, instead of the config's conversion_events.")
  List<String> conversionEvents = List.of();

  @Option(names = "--collapse-repeats", description = "Merge consecutive sessions with the same --by value into the first of them.")
  boolean collapseRepeats;

  @Option(
      names = "--half-life",
      paramLabel = "DURATION",
      defaultValue = "7d",
      converter = AnalysisOptions.DurationConverter.class,
      description = "time_decay: the age at which a session weighs half (default: ${DEFAULT-VALUE}).")
  Duration halfLife;

  @Option(
      names = "--position-weights",
      paramLabel = "F/M/L",
      defaultValue = "40/20/40",
      description = "position_based: percent to the first, the middle and the last sessions (default: ${DEFAULT-VALUE}).")
  String positionWeights;

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
    // an option of another model changed nothing, silently (funnel's --bins without --time-to-convert is refused alike)
    CommandLine.ParseResult given = spec.commandLine().getParseResult();
    if (given.hasMatchedOption("--half-life") && model != AttributionModel.TIME_DECAY) {
      throw new ParameterException(spec.commandLine(), "--half-life: goes with --model time_decay, not " + model.cliName());
    }
    if (given.hasMatchedOption("--position-weights") && model != AttributionModel.POSITION_BASED) {
      throw new ParameterException(spec.commandLine(), "--position-weights: goes with --model position_based, not " + model.cliName());
    }
    double[] weights = weights();
    Attribution attribution =
        lookback.applyTo(Attribution.builder().model(model))
            .by(by)
            .collapseRepeats(collapseRepeats)
            .halfLife(halfLife)
            .positionWeights(weights[0], weights[1], weights[2])
            .conversionEvents(OptionTypes.commaSeparated(conversionEvents).toArray(String[]::new))
            .build();
    OutputFile.check(spec.commandLine(), out, url, config.file);
    HeapConfig c = config.load();
    try (Database db = Database.openExisting(url, c)) {
      AnalysisRunner runner = new AnalysisRunner(db.warehouse(), c);
      // plan first: a bad --by column or a config without conversion events is a usage error
      runner.sql(attribution);
      db.requireHeapTables(c);
      AnalysisOptions.requireFacts(spec.commandLine(), db, c, List.of(StandardModels.EVENTS_FACT, StandardModels.SESSIONS_FACT));
      AttributionResult result = runner.run(attribution, db.connection());
      if (result.rows().stream().mapToDouble(AttributionResult.Row::conversions).sum() == 0) {
        sayConversionsNamingNoEvent(db, c, attribution);
      } else {
        AnalysisOptions.sayWhenEmpty(spec.commandLine(), db, c, StandardModels.SESSIONS_FACT,
            "no conversion has a session to credit, so every credit goes to (none)");
      }
      OutputFile.print(spec.commandLine(), out, w -> AnalysisReports.attribution(w, result, format));
    }
    return HeapCli.OK;
  }

  /**
   * No conversion at all: names the conversion events (the option's, else the config's) that no event
   * has, as {@code heap funnel} does for its steps. A predicate's conversions are the caller's own.
   */
  private void sayConversionsNamingNoEvent(Database db, HeapConfig c, Attribution attribution) {
    if (attribution.conversionPredicate().isPresent()) {
      return;
    }
    boolean fromOption = !attribution.conversionEvents().isEmpty();
    List<String> names = fromOption ? attribution.conversionEvents() : c.conversionEvents();
    Set<String> found = AnalysisOptions.eventNamesFound(db, c, names);
    if (found == null) {
      return;
    }
    List<String> missing = new ArrayList<>();
    for (String n : new LinkedHashSet<>(names)) {
      if (!found.contains(n)) {
        missing.add(AnalysisOptions.quoted(n, found));
      }
    }
    AnalysisOptions.sayNoEventNamed(
        spec.commandLine(), missing, fromOption ? "--conversion-events" : "the config's conversion_events");
  }

  /**
   * The three percentages as shares. Checked here, in percent, in decimal arithmetic: the model's own check
   * is of shares, and said 50/10/30 summed to "0.8999999999999999".
   */
  private double[] weights() {
    String[] parts = positionWeights.split("/", -1);
    if (parts.length == 3) {
      try {
        BigDecimal[] percent = {new BigDecimal(parts[0].strip()), new BigDecimal(parts[1].strip()), new BigDecimal(parts[2].strip())};
        String given = percent[0].toPlainString() + " + " + percent[1].toPlainString() + " + " + percent[2].toPlainString();
        if (Arrays.stream(percent).anyMatch(p -> p.signum() < 0)) {
          throw new ParameterException(spec.commandLine(), "--position-weights: percentages cannot be negative, got " + positionWeights);
        }
        BigDecimal sum = percent[0].add(percent[1]).add(percent[2]);
        if (sum.compareTo(BigDecimal.valueOf(100)) != 0) {
          throw new ParameterException(
              spec.commandLine(), "--position-weights: the three percentages must add up to 100, got " + given + " = " + sum.toPlainString());
        }
        return new double[] {percent[0].doubleValue() / 100, percent[1].doubleValue() / 100, percent[2].doubleValue() / 100};
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    throw new ParameterException(
        spec.commandLine(), "--position-weights: expected three percentages such as 40/20/40, got \"" + positionWeights + "\"");
  }

}
