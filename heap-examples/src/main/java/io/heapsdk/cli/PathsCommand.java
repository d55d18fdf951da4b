package io.heapsdk.cli;

import io.heapsdk.analysis.Funnel;
import io.heapsdk.analysis.Paths;
import io.heapsdk.analysis.PathsResult;
import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.standard.StandardModels;
import io.heapsdk.run.AnalysisRunner;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code heap paths}: the most frequent sequences of events (or pages) after, or before, an event. */
@Command(
    name = "paths",
    header = "Show the most frequent paths of events (or pages) after, or before, an event.",
    description = {
      "Takes each user's (or session's) first occurrence of --from-event and the --steps events right after"
          + " it (--before: right before it), and prints the --top most frequent of those paths with the"
          + " users (or sessions) that took each and their share of all that did the event.",
      "Events are ordered by time, then id; consecutive repeats count once unless --keep-repeats. With"
          + " --pageviews the steps are page paths of the pageviews fact, and --from-event is a page path."
    })
final class PathsCommand implements Callable<Integer> {
  @Mixin ConfigOption config;

  @Option(names = "--jdbc", required = true, paramLabel = "URL", description = "The database the models were built on, e.g. jdbc:h2:file:./heap-db.")
  String url;

  @Option(names = "--from-event", required = true, paramLabel = "EVENT", description = "The event the paths start at (or end at, with --before); a page path with --pageviews.")
  String event;

  @Option(names = "--steps", paramLabel = "K", defaultValue = "3", description = "Events per path, 1 to 20 (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(names = "--top", paramLabel = "N", defaultValue = "10", description = "How many paths to show, 1 to 1000 (default: ${DEFAULT-VALUE}).")
  int top;

  @Option(names = "--before", description = "The events before --from-event instead of after it.")
  boolean before;

  @Option(
      names = "--unit",
      paramLabel = "UNIT",
      defaultValue = "user",
      converter = AnalysisOptions.UnitConverter.class,
      description = "user, or session (a path per session) (default: ${DEFAULT-VALUE}).")
  Funnel.Unit unit;

  @Option(names = "--pageviews", description = "Paths of pages (the pageviews fact's path) instead of event names.")
  boolean pageviews;

  @Option(names = "--keep-repeats", description = "Count an event repeated in a row (a page reloaded) as that many steps.")
  boolean keepRepeats;

  @Option(names = "--exclude", paramLabel = "EVENT,...", description = "Events (or pages) to leave out of every path, comma-separated, e.g. pageviews.")
  List<String> exclude = List.of();

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
    Paths paths =
        Paths.builder()
            .event(event)
            .steps(steps)
            .top(top)
            .direction(before ? Paths.Direction.BEFORE : Paths.Direction.AFTER)
            .unit(unit)
            .source(pageviews ? Paths.Source.PAGEVIEWS : Paths.Source.EVENTS)
            .collapseRepeats(!keepRepeats)
            .exclude(OptionTypes.commaSeparated(exclude).toArray(String[]::new))
            .build();
    OutputFile.check(spec.commandLine(), out, url, config.file);
    HeapConfig c = config.load();
    try (Database db = Database.openExisting(url, c)) {
      AnalysisRunner runner = new AnalysisRunner(db.warehouse(), c);
      runner.sql(paths);
      db.requireHeapTables(c);
      AnalysisOptions.requireFacts(spec.commandLine(), db, c, List.of(pageviews ? StandardModels.PAGEVIEW_SESSIONS_FACT : StandardModels.EVENTS_FACT));
      PathsResult result = runner.run(paths, db.connection());
      if (result.rows().isEmpty() && !pageviews) {
        // "nobody did X" for an X no event is named: a typo or another case, as funnel and retention say
        Set<String> found = AnalysisOptions.eventNamesFound(db, c, List.of(event));
        if (found != null && !found.contains(event)) {
          AnalysisOptions.sayNoEventNamed(spec.commandLine(), List.of(AnalysisOptions.quoted(event, found) + " (--from-event)"), "paths");
        }
      } else if (result.rows().isEmpty()) {
        // the same for a page: no pageviews at all (a mobile app's project), or none with that path
        boolean empty =
            AnalysisOptions.sayWhenEmpty(spec.commandLine(), db, c, StandardModels.PAGEVIEW_SESSIONS_FACT, "--pageviews paths have no page to start from");
        Set<String> pages = empty ? null : AnalysisOptions.pagePathsFound(db, c, List.of(event));
        if (pages != null && !pages.contains(event)) {
          spec.commandLine().getErr().println("heap: no pageview in " + StandardModels.PAGEVIEW_SESSIONS_FACT + " has the path \"" + event
              + "\" (--from-event); --pageviews paths match page paths (heap_pageview_path) exactly, case included");
          spec.commandLine().getErr().flush();
        }
      }
      OutputFile.print(spec.commandLine(), out, w -> PathsReport.print(w, result, format));
    }
    return HeapCli.OK;
  }
}
