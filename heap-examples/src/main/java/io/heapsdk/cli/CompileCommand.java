package io.heapsdk.cli;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.model.ProjectPlan;
import io.heapsdk.warehouse.BuildPlan;
import io.heapsdk.warehouse.Warehouse;
import io.heapsdk.warehouse.Warehouses;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code heap compile}: the SQL of every standard model for one warehouse, one file per model. */
@Command(
    name = "compile",
    header = "Write the SQL of every model for one warehouse.",
    description =
        "Writes the SQL of every model for one warehouse to DIR/<warehouse>/<model>.sql, and the whole"
            + " run, statements in order, to DIR/<warehouse>/_run.sql. --mode full (the default): the"
            + " full-refresh statements of each table. --mode incremental: what a later run does instead:"
            + " the active users go into the working table heap__active_users (its own file), each fact's"
            + " rows for them are recomputed and merged into it (MERGE; DELETE ... USING and INSERT on"
            + " Redshift) in one transaction. Ephemeral models get their SELECT, inlined as CTEs into the"
            + " models that read them.")
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

  @Option(
      names = "--mode",
      paramLabel = "MODE",
      defaultValue = "full",
      description = "full or incremental: the kind of run to write (default: ${DEFAULT-VALUE}).")
  String mode;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    BuildPlan.Mode m = mode();
    SqlFiles.requireFolder(spec.commandLine(), "--out", out);
    Warehouse w = Warehouses.byName(warehouse);
    HeapConfig c = config.load();
    ProjectPlan plan = HeapProject.standard(c).plan();
    List<Path> files = SqlFiles.write(plan, w, out, m);
    spec.commandLine()
        .getOut()
        .println(
            "wrote the " + SqlFiles.modeName(m) + " SQL of " + (files.size() - 1) + " models and the whole run ("
                + SqlFiles.RUN_FILE + ") for " + w.name() + " to " + out.resolve(w.name()));
    return HeapCli.OK;
  }

  private BuildPlan.Mode mode() {
    switch (mode.toLowerCase(Locale.ROOT)) {
      case "full":
        return BuildPlan.Mode.FULL_REFRESH;
      case "incremental":
        return BuildPlan.Mode.INCREMENTAL;
      default:
        throw new ParameterException(spec.commandLine(), "--mode must be full or incremental, got " + mode);
    }
  }
}
