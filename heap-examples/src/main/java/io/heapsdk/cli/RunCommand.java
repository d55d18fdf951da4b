package io.heapsdk.cli;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.model.ProjectPlan;
import io.heapsdk.run.JdbcRunner;
import io.heapsdk.run.RunCancel;
import io.heapsdk.run.RunResult;
import io.heapsdk.run.RunState;
import io.heapsdk.warehouse.BuildPlan;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code heap run}: every standard model built on a database, with rows and time per model. */
@Command(
    name = "run",
    header = "Build every model on a database.",
    description =
        "Builds every model on a database, in dependency order, from Heap's source tables in"
            + " source.schema into target.schema, and prints rows and time per model, then the time of every step of the run (run state,"
            + " working tables, apply, builds, cleanup...) and its total. The first run"
            + " builds every table in full; later runs are incremental: they recompute the facts of the"
            + " users active since the last successful run's high-water mark (the facts' newest time minus the"
            + " late-arrival lookback, as that run recorded it), and merge"
            + " them in, in one transaction. A fact whose definition changed since it was built (conversion"
            + " events, channel rules, timeout, columns...) is rebuilt in full, with everything downstream of it."
            + " One run at a time per target schema: a second one waits (--wait) or exits 1 naming the first."
            + " Stops at the first model the database refuses (exit code 1).")
final class RunCommand implements Callable<Integer> {
  @Mixin ConfigOption config;

  @Option(names = "--jdbc", required = true, paramLabel = "URL", description = "The database, e.g. jdbc:h2:file:./heap-db, jdbc:duckdb:heap.duckdb or jdbc:postgresql://host/db.")
  String url;

  @Option(names = "--full-refresh", description = "Rebuild every model from its full query, incremental facts too.")
  boolean fullRefresh;

  @Option(
      names = "--reconcile",
      description =
          "Also recompute the users whose source rows changed in ways the time mark cannot see (rows"
              + " inserted or deleted with old times, re-synced or relabelled events, emptied tables), found by"
              + " per-user fingerprints of the sources; as incremental.reconcile: true in the config, for this run.")
  boolean reconcile;

  @Option(
      names = "--allow-emptied-sources",
      description =
          "Build from a Heap table that has no rows although it had rows at the last successful run. Without"
              + " it such a run is refused (exit 1), changing nothing: Heap Connect empties a table while it re-syncs it,"
              + " and a run then would delete what the facts hold of it. For a table meant to be empty from now on.")
  boolean allowEmptiedSources;

  @Option(
      names = "--dry-run",
      description =
          "Print the statements of the run heap would do now (incremental, a full build, or the full refresh asked for) and change"
              + " nothing.")
  boolean dryRun;

  @Option(
      names = "--wait",
      paramLabel = "SECONDS",
      description =
          "When another run holds the target schema's run lock, wait up to SECONDS for it (default 0: exit 1"
              + " at once, naming the running one).")
  long waitSeconds;

  @Option(
      names = "--stale-after",
      paramLabel = "SECONDS",
      description =
          "Take over a run lock whose heartbeat is older than SECONDS: its run died (default 600; on a DuckDB file"
              + " or an embedded H2 file, which one process at a time may open, a lock found held is taken over at once,"
              + " unless this option is given).")
  // null for the default: reading JdbcRunner's constant here would initialise JdbcRunner (its logger,
  // its SecureRandom) whenever picocli instantiates the commands, whichever command runs
  Long staleAfterSeconds;

  @Option(
      names = "--progress",
      negatable = true,
      description =
          "Show the run's progress on standard error as one updating line: statement n of m, the step,"
              + " the time so far. Default: shown when heap runs on a terminal, not when its output is"
              + " redirected or piped.")
  Boolean progress;

  @Spec CommandSpec spec;

  /** The longest --wait and --stale-after: a longer one overflowed the clock's arithmetic. */
  private static final long A_YEAR = 365L * 24 * 3600;

  @Override
  public Integer call() {
    long started = System.nanoTime();
    HeapConfig loaded = config.load();
    ProjectPlan plan =
        HeapProject.standard(reconcile ? HeapConfig.builder().from(loaded).reconcile(true).build() : loaded).plan();
    PrintWriter out = spec.commandLine().getOut();
    // at most a year: a longer wait overflowed the clock's arithmetic, said as an internal error
    if (waitSeconds < 0 || waitSeconds > A_YEAR) {
      throw new ParameterException(spec.commandLine(), "--wait: expected 0 to " + A_YEAR + " seconds (a year), got " + waitSeconds);
    }
    if (staleAfterSeconds != null && (staleAfterSeconds <= 0 || staleAfterSeconds > A_YEAR)) {
      throw new ParameterException(
          spec.commandLine(), "--stale-after: expected more than 0 seconds, at most " + A_YEAR + " (a year), got " + staleAfterSeconds);
    }
    // on DuckDB a second process waits for the file, not for the run lock
    try (Database db = Database.openExisting(url, Duration.ofSeconds(waitSeconds), plan.config())) {
      db.requireHeapTables(plan.config());
      JdbcRunner runner = new JdbcRunner(db.warehouse()).waitingForLock(Duration.ofSeconds(waitSeconds));
      if (staleAfterSeconds != null) {
        runner = runner.staleAfter(Duration.ofSeconds(staleAfterSeconds));
      }
      if (db.exclusive()) {
        // no other process has this database open: a lock found held was left by a run that died, and no
        // other process reads this run's heartbeat
        if (staleAfterSeconds == null) {
          runner = runner.staleAfter(Duration.ZERO);
        }
      } else {
        runner = runner.heartbeatOn(db::openAnother);
      }
      if (allowEmptiedSources) {
        runner = runner.allowingEmptiedSources();
      }
      if (!fullRefresh) {
        DefaultsGuard.check(runner, plan, db, config);
      }
      if (!dryRun) {
        db.requireWritable("heap run", "the facts and its run state");
      }
      if (dryRun) {
        // deciding the mode reads the catalog and the run state only
        JdbcRunner.RunPlan run = runner.prepare(plan, db.connection(), fullRefresh);
        BuildPlan build = run.build();
        out.println("-- heap run --dry-run: the " + Reports.runLabel(build.mode(), fullRefresh) + " heap would do now on " + db.url());
        out.println("-- nothing was executed");
        // a lock held (by a live run, or one left by a dead run) decides whether a run now goes ahead at all
        RunState state = new RunState(db.warehouse(), plan.config(), db.connection());
        if (state.exists() && state.lock().runId().isPresent()) {
          out.println("-- " + StatusCommand.lockLine(state, db.exclusive(), LocalDateTime.now(ZoneOffset.UTC)));
        }
        for (JdbcRunner.ModelDecision d : run.decisions()) {
          out.println("-- " + d.model() + ": " + (d.full() ? "full" : "incremental") + " (" + d.reason() + ")");
        }
        run.markFromRun()
            .ifPresent(id -> out.println("-- high-water mark " + run.mark().map(Object::toString).orElse("none (every user)")
                // from that run's record; a changed lookback moves it, as the decisions above say. The
                // lookback is taken off already: a reader who took it off again thought late rows missed
                + run.mark().map(m -> " (the facts' newest time minus the " + plan.config().lateArrivalLookbackDays()
                    + "-day late-arrival lookback: users with a row at or after it are recomputed)").orElse("")
                + ", which run " + id + " recorded for the run after it (heap status lists the mark each run started from)"));
        out.println();
        out.print(build.script());
        out.flush();
        return HeapCli.OK;
      }
      long before = System.nanoTime() - started;
      RunResult result;
      RunCancel cancel = new RunCancel();
      runner = runner.cancelledBy(cancel);
      try (Interrupts.Registration stoppable = Interrupts.during(cancel)) {
        if (progress != null ? progress : System.console() != null) {
          try (ProgressLine line = new ProgressLine(spec.commandLine().getErr())) {
            result = runner.withProgress(line).run(plan, db.connection(), fullRefresh);
          }
        } else {
          result = runner.run(plan, db.connection(), fullRefresh);
        }
      }
      Reports.built(out, result, plan, fullRefresh);
      // the command's own time beyond the run: planning the models, opening the database (not the JVM's start)
      out.printf(
          Locale.ROOT, "  heap run: %,d ms in all, %,d ms of it before the run (planning the models, opening the database)%n",
          (System.nanoTime() - started) / 1_000_000, before / 1_000_000);
    }
    return HeapCli.OK;
  }
}
