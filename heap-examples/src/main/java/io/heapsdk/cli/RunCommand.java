package io.heapsdk.cli;

import io.heapsdk.model.HeapProject;
import io.heapsdk.model.ProjectPlan;
import io.heapsdk.run.JdbcRunner;
import io.heapsdk.run.RunResult;
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
            + " builds every table in full; later runs update the incremental facts for recently active"
            + " users only. Stops at the first model the database refuses (exit code 1).")
final class RunCommand implements Callable<Integer> {
  @Mixin ConfigOption config;

  @Option(names = "--jdbc", required = true, paramLabel = "URL", description = "The database, e.g. jdbc:h2:file:./heap-db (H2 only).")
  String url;

  @Option(names = "--full-refresh", description = "Rebuild every model from its full query, incremental facts too.")
  boolean fullRefresh;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    ProjectPlan plan = HeapProject.standard(config.load()).plan();
    try (Database db = Database.open(url)) {
      RunResult result = new JdbcRunner(db.warehouse()).run(plan, db.connection(), fullRefresh);
      Reports.built(spec.commandLine().getOut(), result);
    }
    return HeapCli.OK;
  }
}
