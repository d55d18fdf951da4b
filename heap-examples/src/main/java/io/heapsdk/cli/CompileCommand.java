package io.heapsdk.cli;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.model.ProjectPlan;
import io.heapsdk.warehouse.Warehouse;
import io.heapsdk.warehouse.Warehouses;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code heap compile}: the SQL of every standard model for one warehouse, one file per model. */
@Command(
    name = "compile",
    header = "Write the SQL of every model for one warehouse.",
    description =
        "Writes the SQL of every model for one warehouse to DIR/<warehouse>/<model>.sql: the"
            + " full-refresh script of each table, and the SELECT of each ephemeral model (inlined as"
            + " CTEs into the models that read it).")
final class CompileCommand implements Callable<Integer> {
  @Mixin ConfigOption config;

  @Option(
      names = {"-w", "--warehouse"},
      required = true,
      paramLabel = "W",
      description = "snowflake, bigquery, redshift, h2, postgres, duckdb, spark or trino.")
  String warehouse;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where the SQL goes.")
  Path out;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    Warehouse w = Warehouses.byName(warehouse);
    HeapConfig c = config.load();
    ProjectPlan plan = HeapProject.standard(c).plan();
    List<Path> files = SqlFiles.write(plan, w, out);
    spec.commandLine().getOut().println("wrote " + files.size() + " models' SQL for " + w.name() + " to " + out.resolve(w.name()));
    return HeapCli.OK;
  }
}
