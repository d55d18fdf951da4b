package io.heapsdk.cli;

import io.heapsdk.HeapException;
import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.model.ProjectPlan;
import io.heapsdk.warehouse.BuildPlan;
import io.heapsdk.warehouse.Warehouse;
import io.heapsdk.warehouse.Warehouses;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code heap compile}: the SQL of every standard model for one or more warehouses, one file per model,
 * one folder per warehouse. The models are planned once and rendered for each warehouse, so several
 * warehouses cost one JVM start and one planning.
 */
@Command(
    name = "compile",
    header = "Write the SQL of every model for one or more warehouses.",
    description =
        "Writes the SQL of every model for each warehouse named to DIR/<warehouse>/<model>.sql, and the"
            + " whole run, statements in order, to DIR/<warehouse>/_run.sql: one folder per warehouse, the"
            + " same layout for one warehouse as for several. --mode full (the default): the"
            + " full-refresh statements of each table. --mode incremental: what a later run does instead:"
            + " the active users go into the working table heap__active_users (its own file), each fact's"
            + " rows for them are recomputed and merged into it: a MERGE that updates only the rows that"
            + " differ, or on Redshift and DuckDB a DELETE and INSERT of those rows, all facts in one"
            + " transaction (on Spark and Trino, one MERGE per fact and no transaction across facts)."
            + " Ephemeral models get their SELECT, inlined as CTEs into the models that read them.")
final class CompileCommand implements Callable<Integer> {
  @Mixin ConfigOption config;

  @Option(
      names = {"-w", "--warehouse"},
      required = true,
      paramLabel = "W",
      split = ",",
      description =
          "snowflake, bigquery, redshift, h2, postgres, duckdb, spark or trino; several comma-separated"
              + " (e.g. snowflake,bigquery,redshift), or all for the eight.")
  List<String> warehouses;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where the SQL goes.")
  Path out;

  @Option(
      names = "--mode",
      paramLabel = "MODE",
      defaultValue = "full",
      description = "full or incremental: the kind of run to write (default: ${DEFAULT-VALUE}).")
  String mode;

  @Spec CommandSpec spec;

  /** The {@code --warehouse} value that names every warehouse. */
  static final String ALL = "all";

  @Override
  public Integer call() {
    BuildPlan.Mode m = mode();
    SqlFiles.requireFolder(spec.commandLine(), "--out", out);
    // every name checked before any work: a typo in the third name writes nothing
    List<Warehouse> ws = warehouses(warehouses);
    HeapConfig c = config.load();
    HeapProject project = HeapProject.standard(c);
    // a full run needs the full queries only; planning an incremental run's too would double the work
    ProjectPlan plan = m == BuildPlan.Mode.FULL_REFRESH ? project.planFull() : project.plan();
    // every warehouse rendered before any file is written: a name one of them refuses (a BigQuery dataset
    // name beyond ASCII) used to stop the command after the warehouses before it were written
    Map<Warehouse, Map<String, String>> rendered = new LinkedHashMap<>();
    for (Warehouse w : ws) {
      try {
        rendered.put(w, SqlFiles.files(plan, w, m));
      } catch (HeapException e) {
        if (ws.size() == 1) {
          throw e;
        }
        // which others would go through: the list to give instead
        List<String> others = new ArrayList<>();
        for (Warehouse o : ws) {
          try {
            o.checkNames(c);
            others.add(o.name());
          } catch (HeapException refused) {
            // left out too
          }
        }
        // only where some warehouse would go through: a config error every warehouse shares (an unknown
        // model under models:) named the same failing list back
        boolean some = !others.isEmpty() && others.size() < ws.size();
        throw new HeapException(
            e.getMessage() + "; nothing was written" + (some ? " (--warehouse " + String.join(",", others) + " writes the others)" : ""), e);
      }
    }
    for (Warehouse w : ws) {
      List<Path> files = SqlFiles.write(w, out, rendered.get(w));
      // an incremental run's working tables (heap__active_users) have files too, and are no models
      long working = files.stream().filter(f -> f.getFileName().toString().startsWith("heap__")).count();
      long models = files.size() - 1 - working;
      spec.commandLine()
          .getOut()
          .println(
              "wrote the " + SqlFiles.modeName(m) + " SQL of " + models + " models"
                  + (working == 0 ? "" : ", " + working + (working == 1 ? " working table" : " working tables"))
                  + " and the whole run (" + SqlFiles.RUN_FILE + ") for " + w.name() + " to " + out.resolve(w.name()));
    }
    return HeapCli.OK;
  }

  /**
   * The warehouses of {@code --warehouse}, in the order given, each once; {@code all} stands for every
   * warehouse. An unknown or empty name is a {@link HeapException} naming it and the valid ones.
   */
  static List<Warehouse> warehouses(List<String> names) {
    Set<Warehouse> ws = new LinkedHashSet<>();
    for (String name : names) {
      String n = name.strip();
      if (n.equalsIgnoreCase(ALL)) {
        ws.addAll(Warehouses.all());
      } else if (n.isEmpty()) {
        throw new HeapException(
            "--warehouse: an empty name in \"" + String.join(",", names) + "\"; expected " + validNames());
      } else {
        ws.add(byName(n));
      }
    }
    return List.copyOf(ws);
  }

  private static Warehouse byName(String name) {
    for (Warehouse w : Warehouses.all()) {
      if (w.name().equals(name.toLowerCase(Locale.ROOT))) {
        return w;
      }
    }
    throw new HeapException(
        "--warehouse: unknown warehouse \"" + name + "\"" + Warehouses.productHint(name).orElse("")
            + io.heapsdk.internal.NearestNames.didYouMean(name, Warehouses.all().stream().map(Warehouse::name).toList(), "expected", validNames()));
  }

  private static String validNames() {
    return Warehouses.all().stream().map(Warehouse::name).collect(Collectors.joining(", ")) + " (comma-separated), or " + ALL;
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
