package io.heapsdk.cli;

import io.heapsdk.HeapException;
import io.heapsdk.config.HeapConfig;
import io.heapsdk.docs.DocsSite;
import io.heapsdk.model.HeapProject;
import io.heapsdk.warehouse.Warehouse;
import io.heapsdk.warehouse.Warehouses;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code heap docs}: a static site documenting every model, the source catalog and the lineage. */
@Command(
    name = "docs",
    header = "Write a static site documenting the models, Heap's tables and their lineage.",
    description =
        "Writes DIR/index.html (the lineage graph from Heap's tables to the facts and the models built on"
            + " them, every model and every table), DIR/sources.html (Heap's tables: columns, tests,"
            + " freshness) and DIR/models/<model>.html (description, columns, tests, materialization, keys,"
            + " what it reads and what reads it, and its SQL for each warehouse as heap compile writes it)."
            + " Plain HTML with inline SVG: open index.html in any browser, offline, JavaScript off.")
final class DocsCommand implements Callable<Integer> {
  @Mixin ConfigOption config;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where the site goes (created when missing).")
  Path out;

  @Option(
      names = {"-w", "--warehouse"},
      paramLabel = "W",
      split = ",",
      description = "The warehouses whose SQL the pages show, comma-separated, or all (the default: every warehouse that can store the config's names).")
  List<String> warehouse = List.of();

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    SqlFiles.requireFolder(spec.commandLine(), "--out", out);
    // the same names compile takes, `all` among them (which, as no --warehouse, leaves out the warehouses
    // that cannot store the config's names, saying why)
    boolean all = warehouse.isEmpty() || warehouse.stream().anyMatch(w -> w.strip().equalsIgnoreCase(CompileCommand.ALL));
    List<Warehouse> ws = all ? new ArrayList<>() : new ArrayList<>(CompileCommand.warehouses(warehouse));
    HeapConfig c = config.load();
    if (all) {
      ws = storingTheNames(c);
    }
    Map<String, String> pages = write(HeapProject.standard(c), ws, out);
    spec.commandLine().getOut().println("wrote " + pages.size() + " pages to " + out + "; open " + out.resolve(DocsSite.INDEX));
    return HeapCli.OK;
  }

  /**
   * Without {@code --warehouse}, the warehouses that can store the config's names: a project on
   * PostgreSQL whose schema is {@code Heap Prod} (no BigQuery dataset name) still gets its site, and
   * each warehouse left out is said on standard error, with why. Named ones are refused as compile
   * refuses them.
   */
  private List<Warehouse> storingTheNames(HeapConfig c) {
    List<Warehouse> able = new ArrayList<>();
    for (Warehouse w : Warehouses.all()) {
      try {
        w.checkNames(c);
        able.add(w);
      } catch (HeapException e) {
        spec.commandLine().getErr().println("heap docs: leaving out " + w.name() + ": " + e.getMessage() + " (--warehouse names the warehouses to show)");
      }
    }
    if (able.isEmpty()) {
      throw new HeapException("no warehouse can store the config's names; see the messages above");
    }
    return able;
  }

  /** Writes the site of {@code project} into {@code dir}; returns its pages by relative path. */
  static Map<String, String> write(HeapProject project, List<Warehouse> warehouses, Path dir) {
    Map<String, String> pages = new DocsSite(project, warehouses, SqlFiles::texts).pages();
    pages.forEach((path, html) -> SqlFiles.writeText(dir.resolve(path), html));
    return pages;
  }
}
