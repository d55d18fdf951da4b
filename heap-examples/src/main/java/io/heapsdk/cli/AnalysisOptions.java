package io.heapsdk.cli;

import io.heapsdk.HeapException;
import io.heapsdk.analysis.AttributionModel;
import io.heapsdk.analysis.BreakdownAttribution;
import io.heapsdk.analysis.Durations;
import io.heapsdk.analysis.Funnel;
import io.heapsdk.analysis.HeapAnalysisException;
import io.heapsdk.config.HeapConfig;
import io.heapsdk.config.UserText;
import io.heapsdk.model.HeapProject;
import io.heapsdk.model.ProjectPlan;
import io.heapsdk.run.AnalysisRunner;
import io.heapsdk.run.Fingerprints;
import io.heapsdk.run.HeapRunException;
import io.heapsdk.run.RunState;
import io.heapsdk.model.TimeGrain;
import io.heapsdk.warehouse.TableName;
import io.heapsdk.model.standard.StandardModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** The option types {@code heap funnel} and {@code heap attribution} share, and their converters. */
final class AnalysisOptions {
  private AnalysisOptions() {}

  /** How the commands print their rows; {@code HTML} is a page of charts (io.heapsdk.report). */
  enum Format {
    TABLE,
    CSV,
    JSON,
    HTML
  }

  /** {@code table}, {@code csv}, {@code json} or {@code html}, any case. */
  static final class FormatConverter implements ITypeConverter<Format> {
    @Override
    public Format convert(String value) {
      for (Format f : Format.values()) {
        if (f.name().equalsIgnoreCase(value.strip())) {
          return f;
        }
      }
      throw new TypeConversionException("expected table, csv, json or html, got \"" + value + "\"");
    }
  }

  /** A duration such as {@code 7d}, {@code 36h}, {@code 1d12h}, {@code 90m}, {@code 45s} or {@code P7D}; a sign is refused. */
  static final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return Durations.parse(value)
          .orElseThrow(() -> new TypeConversionException("expected a duration such as 7d, 12h, 1d12h, 90m or 45s, got \"" + value + "\""));
    }
  }

  /** {@code --window}: a duration, or empty for {@code range} (to the end of the date range). */
  record FunnelWindow(Optional<Duration> duration) {
    /** Sets it on {@code funnel}. */
    Funnel.Builder applyTo(Funnel.Builder funnel) {
      return duration.map(funnel::window).orElseGet(funnel::windowToRangeEnd);
    }
  }

  /** A duration ({@link DurationConverter}), or {@code range}. */
  static final class FunnelWindowConverter implements ITypeConverter<FunnelWindow> {
    @Override
    public FunnelWindow convert(String value) {
      return new FunnelWindow(durationOr(value, "range", "range (to the end of --to)"));
    }
  }

  /** {@code --lookback}: a duration, or empty for {@code all} (every earlier session). */
  record Lookback(Optional<Duration> duration) {
    /** Sets it on {@code attribution}. */
    io.heapsdk.analysis.Attribution.Builder applyTo(io.heapsdk.analysis.Attribution.Builder attribution) {
      return duration.map(attribution::lookback).orElseGet(attribution::lookbackUnbounded);
    }
  }

  /** A duration ({@link DurationConverter}), or {@code all}. */
  static final class LookbackConverter implements ITypeConverter<Lookback> {
    @Override
    public Lookback convert(String value) {
      return new Lookback(durationOr(value, "all", "all (every earlier session)"));
    }
  }

  /** A duration, or empty for {@code word} (any case); else the error a duration gets, naming {@code word} too. */
  private static Optional<Duration> durationOr(String value, String word, String wordMeaning) {
    if (value.strip().equalsIgnoreCase(word)) {
      return Optional.empty();
    }
    return Optional.of(Durations.parse(value).orElseThrow(() -> new TypeConversionException(
        "expected a duration such as 7d, 12h, 1d12h, 90m or 45s, or " + wordMeaning + ", got \"" + value + "\"")));
  }

  /**
   * A time zone by its IANA name ({@code America/New_York}), or UTC; a bare offset is refused with the
   * analyses' own reason ({@link io.heapsdk.analysis.Funnel.Builder#timeZone}).
   */
  static final class TimeZoneConverter implements ITypeConverter<java.time.ZoneId> {
    @Override
    public java.time.ZoneId convert(String value) {
      java.time.ZoneId zone;
      try {
        zone = java.time.ZoneId.of(value.strip());
      } catch (java.time.DateTimeException e) {
        throw new TypeConversionException(
            "expected the name of a time zone such as Europe/Paris or America/New_York (IANA), got \"" + value + "\"");
      }
      try {
        Funnel.builder().timeZone(zone);
      } catch (io.heapsdk.analysis.HeapAnalysisException e) {
        // the message after "funnel: time_zone: "
        throw new TypeConversionException(e.getMessage().substring(e.analysis().length() + e.setting().length() + 4));
      }
      return zone;
    }
  }

  /** {@code ordered}, {@code strict} or {@code any_order}. */
  static final class OrderingConverter implements ITypeConverter<Funnel.Ordering> {
    @Override
    public Funnel.Ordering convert(String value) {
      return convertWith(() -> Funnel.Ordering.parse(value));
    }
  }

  /** {@code user} or {@code session}. */
  static final class UnitConverter implements ITypeConverter<Funnel.Unit> {
    @Override
    public Funnel.Unit convert(String value) {
      return convertWith(() -> Funnel.Unit.parse(value));
    }
  }

  /** {@code first}, {@code last} or {@code step:N}. */
  static final class BreakdownAttributionConverter implements ITypeConverter<BreakdownAttribution> {
    @Override
    public BreakdownAttribution convert(String value) {
      return convertWith(() -> BreakdownAttribution.parse(value));
    }
  }

  /** {@code day}, {@code week} or {@code month}, any case. */
  static final class TrendConverter implements ITypeConverter<TimeGrain> {
    @Override
    public TimeGrain convert(String value) {
      for (TimeGrain g : List.of(TimeGrain.DAY, TimeGrain.WEEK, TimeGrain.MONTH)) {
        if (g.name().equalsIgnoreCase(value.strip())) {
          return g;
        }
      }
      throw new TypeConversionException("expected day, week or month, got \"" + value + "\"");
    }
  }

  /** {@code first_touch}, {@code last_touch}, {@code last_non_direct}, {@code linear}, {@code position_based}, {@code time_decay}. */
  static final class ModelConverter implements ITypeConverter<AttributionModel> {
    @Override
    public AttributionModel convert(String value) {
      return convertWith(() -> AttributionModel.parse(value));
    }
  }

  private static <T> T convertWith(Supplier<T> parse) {
    try {
      return parse.get();
    } catch (HeapAnalysisException e) {
      // the option name is added by picocli; keep only what was wrong with the value
      String m = e.getMessage();
      throw new TypeConversionException(m.substring(m.indexOf(": ", m.indexOf(": ") + 2) + 2));
    }
  }

  /**
   * Stops with a one-line message when the facts an analysis reads are not on the database: they are
   * built by {@code heap run}.
   */
  static void requireFacts(CommandLine cli, Database db, HeapConfig config, List<String> facts) {
    if (facts.isEmpty()) {
      // nothing of the models read (heap test --select 'freshness_*'): no word about their tables
      return;
    }
    for (String fact : facts) {
      TableName table = db.warehouse().table(config.targetDatabase(), config.targetSchema(), fact);
      if (!db.exists(table)) {
        throw new HeapException(
            "table " + table + " not found on " + db.url() + "; build the models first: heap run " + configArgument(config) + "--jdbc "
                + shellWord(writable(db.url())));
      }
    }
    // facts there but no run state beside them: tables of the same names built some other way (an older
    // dbt project's, with its own channel logic and defects), whose numbers would read as heap's
    RunState state = new RunState(db.warehouse(), config, db.connection());
    if (!state.exists()) {
      cli.getErr().println(
          "heap: no heap run has built the tables in " + config.targetDatabase().map(d -> d + ".").orElse("") + config.targetSchema()
              + " (there is no run state there): these numbers come from tables of the same names built some other way;"
              + " heap run " + configArgument(config) + "--jdbc " + shellWord(writable(db.url())) + " builds them");
      cli.getErr().flush();
      return;
    }
    List<String> stale = builtWithOtherDefinition(db, config, facts, state);
    if (!stale.isEmpty() && configArgument(config).isEmpty()) {
      // no --config: the heap run and heap status it would name refuse to run with the defaults on facts a
      // config built (DefaultsGuard); the config left out is what to give, here as there
      boolean here = Files.isRegularFile(Path.of("heap.yml"));
      cli.getErr().println(
          "heap: no --config given, so every default applies, and " + String.join(", ", stale) + (stale.size() == 1 ? " was" : " were")
              + " built with another definition (a config's, it seems): give the config " + (stale.size() == 1 ? "it was" : "they were")
              + " built with" + (here ? " (there is a heap.yml here: --config heap.yml)" : " (--config FILE)")
              + "; these numbers mix the defaults with what the tables hold");
      cli.getErr().flush();
    } else if (!stale.isEmpty()) {
      cli.getErr().println(
          "heap: " + String.join(", ", stale) + (stale.size() == 1 ? " was" : " were") + " built with another definition than this"
              + " config's (conversion events, channels, funnel steps, …; heap status " + configArgument(config) + "--jdbc " + shellWord(db.url())
              + " names what the next run rebuilds): these numbers are the old definition's until heap run " + configArgument(config)
              + "--jdbc " + shellWord(writable(db.url())) + " rebuilds them");
      cli.getErr().flush();
    }
  }

  /**
   * {@code url} without the setting that opens it read-only (DuckDB's {@code access_mode=READ_ONLY},
   * H2's {@code ACCESS_MODE_DATA=r}): for a {@code heap run} the user is told to run, which refuses such a
   * URL. An analysis read through one said to rebuild with it.
   */
  static String writable(String url) {
    return url.replaceAll("(?i);\\s*(access_mode\\s*=\\s*'?read_only'?|access_mode_data\\s*=\\s*r)(?=;|$)", "");
  }

  /**
   * The {@code --config} of a command the user is told to run, as this one was given it: the file's path
   * (quoted for a POSIX shell where it needs to be), or nothing when the defaults apply. It said
   * {@code --config <file>}, which a user had to fill in.
   */
  static String configArgument(HeapConfig config) {
    String origin = config.origin();
    if (origin.equals(HeapConfig.BUILDER_ORIGIN) || origin.equals(ConfigOption.DEFAULTS)) {
      return "";
    }
    if (origin.equals(ConfigOption.STDIN)) {
      // read from standard input: the next command needs it there again
      return "--config - ";
    }
    return "--config " + shellWord(origin) + " ";
  }

  /** {@code text} as one word of a POSIX shell command line: as it is, or in single quotes. */
  static String shellWord(String text) {
    boolean plain = !text.isEmpty() && text.chars().allMatch(ch -> Character.isLetterOrDigit(ch) || "/._-+,:@%=".indexOf(ch) >= 0);
    return plain ? text : "'" + text.replace("'", "'\\''") + "'";
  }

  /**
   * The facts whose table holds another definition than {@code config} gives them (the fingerprint the
   * run state recorded differs from this config's, or a run stopped while replacing the table): a config
   * edited since the last run (a conversion event removed), or the wrong {@code --config}. Before, an
   * analysis then counted by the old definition, silently. Only a hint: a look-up that fails says nothing.
   */
  private static List<String> builtWithOtherDefinition(Database db, HeapConfig config, List<String> facts, RunState state) {
    try {
      Map<String, RunState.ModelState> recorded = state.models();
      ProjectPlan plan = HeapProject.standard(config).planFull();
      Fingerprints prints = Fingerprints.of(db.warehouse(), plan);
      Set<String> changed = recorded.keySet().stream()
          .filter(m -> prints.all().containsKey(m))
          .filter(m -> recorded.get(m).beingReplaced() || !recorded.get(m).fingerprint().equals(prints.of(m)))
          .collect(Collectors.toCollection(LinkedHashSet::new));
      // a fact built from one whose definition changed holds the old definition's values too (the sessions
      // fact's conversion counts follow the events fact's conversion events), and the next run rebuilds it
      Map<String, String> downstream = Fingerprints.downstream(plan, changed);
      return facts.stream()
          .filter(f -> changed.contains(f) || downstream.containsKey(f))
          .map(f -> changed.contains(f) ? f : f + " (downstream of " + downstream.get(f) + ")")
          .toList();
    } catch (RuntimeException e) {
      return List.of();
    }
  }

  /**
   * Which of {@code names} the events fact holds as an event name ({@link AnalysisRunner#eventNamesFound}),
   * or null when that cannot be told: only for a hint, so a failing look-up is no error.
   */
  static Set<String> eventNamesFound(Database db, HeapConfig c, List<String> names) {
    // each name without its outer spaces too, for the hint of {@link #quoted}
    List<String> asked = new java.util.ArrayList<>(names);
    names.stream().map(String::strip).filter(n -> !n.isEmpty() && !names.contains(n)).distinct().forEach(asked::add);
    try {
      return new AnalysisRunner(db.warehouse(), c).eventNamesFound(asked, db.connection());
    } catch (HeapRunException e) {
      return null;
    }
  }

  /** Which of {@code paths} some pageview has as its path, or null when that cannot be told (only for a hint). */
  static Set<String> pagePathsFound(Database db, HeapConfig c, List<String> paths) {
    try {
      return new AnalysisRunner(db.warehouse(), c).pagePathsFound(paths, db.connection());
    } catch (HeapRunException e) {
      return null;
    }
  }

  /**
   * On standard error (the output stays the report): {@code fact} has no rows, and what that makes of the
   * result ({@code consequence}); where the Heap table its rows come from is empty, that table is named
   * (a mobile app's pageviews, a server-side project's sessions). An attribution whose every credit went
   * to "(none)", a breakdown of one "(null)" group, or "(nobody did /)" said nothing of why. Returns
   * whether it said so.
   */
  static boolean sayWhenEmpty(CommandLine cli, Database db, HeapConfig c, String fact, String consequence) {
    TableName table = db.warehouse().table(c.targetDatabase(), c.targetSchema(), fact);
    if (!isEmpty(db, table.qualified())) {
      return false;
    }
    String why = "";
    java.util.Optional<String> source = HeapProject.standard(c).plan().model(fact).model().rowSource();
    if (source.isPresent()) {
      String qualified = db.warehouse().table(c.sourceDatabase(), c.sourceSchema(), c.catalog().table(source.get()).physicalName()).qualified();
      if (isEmpty(db, qualified)) {
        why = ", as " + qualified + " (source.tables." + source.get() + ") has none";
      }
    }
    cli.getErr().println("heap: " + fact + " has no rows" + why + ": " + consequence);
    cli.getErr().flush();
    return true;
  }

  /** Whether {@code qualified} (a table) holds no row; false when that cannot be told (only for a hint). */
  private static boolean isEmpty(Database db, String qualified) {
    String sql = "SELECT COUNT(*)" + io.heapsdk.warehouse.SourcesWithRows.firstRow(db.warehouse(), qualified);
    try (java.sql.Statement s = db.connection().createStatement();
        java.sql.ResultSet rs = s.executeQuery(sql)) {
      return rs.next() && rs.getLong(1) == 0;
    } catch (java.sql.SQLException e) {
      return false;
    }
  }

  /**
   * On standard error (the output stays the report): which names no event has, so that a mistyped or
   * differently cased name does not read as a result with nobody in it.
   */
  /**
   * {@code name} in quotes as {@link #sayNoEventNamed} lists it, control characters escaped; where the name
   * without its outer spaces is an event ({@code found} from {@link #eventNamesFound}), that too: a list
   * option is split at its commas only, so {@code --steps 'a, b'} asked for " b".
   */
  static String quoted(String name, Set<String> found) {
    String stripped = name.strip();
    String shown = "\"" + UserText.visible(name) + "\"";
    if (stripped.equals(name) || stripped.isEmpty() || !found.contains(stripped)) {
      return shown;
    }
    return shown + " (\"" + UserText.visible(stripped) + "\" is an event: a list is split at its commas only, its spaces kept)";
  }

  static void sayNoEventNamed(CommandLine cli, List<String> missing, String what) {
    if (!missing.isEmpty()) {
      cli.getErr().println(
          "heap: no event in " + StandardModels.EVENTS_FACT + " is named " + String.join(", ", missing) + "; " + what
              + " match event names exactly, case included");
      cli.getErr().flush();
    }
  }
}
