package io.heapsdk.cli;

import io.heapsdk.model.HeapProject;
import io.heapsdk.model.ProjectPlan;
import io.heapsdk.run.JdbcRunner;
import io.heapsdk.run.RunResult;
import io.heapsdk.warehouse.BuildPlan;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code heap run}: every standard model built on a database, with rows and time per model. */
@Command(
    name = "run",
    header = "Build every model on a database.",
    description =
        "Builds every model on a database, in dependency order, from Heap's source tables in"
            + " source.schema into target.schema, and prints rows and time per model. The first run"
            + " builds every table in full; later runs are incremental: they recompute the facts of the"
            + " users active since the facts' newest time minus the late-arrival lookback, and merge"
            + " them in, in one transaction. Stops at the first model the database refuses (exit code 1).")
final class RunCommand implements Callable<Integer> {
  @Mixin ConfigOption config;

  @Option(names = "--jdbc", required = true, paramLabel = "URL", description = "The database, e.g. jdbc:h2:file:./heap-db (H2 only).")
  String url;

  @Option(names = "--full-refresh", description = "Rebuild every model from its full query, incremental facts too.")
  boolean fullRefresh;

  @Option(
      names = "--dry-run",
      description =
          "Print the statements of the run heap would do now (full-refresh or incremental) and change"
              + " nothing.")
  boolean dryRun;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    ProjectPlan plan = HeapProject.standard(config.load()).plan();
    PrintWriter out = spec.commandLine().getOut();
    try (Database db = Database.openExisting(url)) {
      db.requireHeapTables(plan.config());
      JdbcRunner runner = new JdbcRunner(db.warehouse());
      // deciding the mode reads the catalog only; the run itself is the one the plan describes
      BuildPlan build = runner.plan(plan, db.connection(), fullRefresh);
      if (dryRun) {
        out.println("-- heap run --dry-run: the " + SqlFiles.modeName(build.mode()) + " run heap would do now on " + db.url());
        out.println("-- nothing was executed\n");
        out.print(build.script());
        out.flush();
        return HeapCli.OK;
      }
      RunResult result = runner.execute(build, plan, db.connection());
      Reports.built(out, result);
    }
    return HeapCli.OK;
  }
}
