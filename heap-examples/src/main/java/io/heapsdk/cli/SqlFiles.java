package io.heapsdk.cli;

import io.heapsdk.HeapException;
import io.heapsdk.model.Materialization;
import io.heapsdk.model.PlannedModel;
import io.heapsdk.model.ProjectPlan;
import io.heapsdk.warehouse.BuildPlan;
import io.heapsdk.warehouse.SqlRenderer;
import io.heapsdk.warehouse.Warehouse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the SQL of every model of a project for one warehouse, one file per model at
 * {@code <dir>/<warehouse>/<model>.sql}: the full-refresh script of a materialized model, the SELECT of
 * an ephemeral one (which never runs on its own).
 */
final class SqlFiles {
  static final String EPHEMERAL_HEADER = "-- ephemeral model: inlined as CTEs into the models that read it\n";

  private SqlFiles() {}

  /** Writes the files and returns their paths, in the plan's dependency order. */
  static List<Path> write(ProjectPlan plan, Warehouse warehouse, Path dir) {
    BuildPlan build = BuildPlan.fullRefresh(warehouse, plan);
    SqlRenderer renderer = new SqlRenderer(warehouse, plan);
    Path folder = dir.resolve(warehouse.name());
    List<Path> written = new ArrayList<>();
    for (PlannedModel m : plan.models()) {
      String sql =
          m.model().materialization() == Materialization.EPHEMERAL
              ? EPHEMERAL_HEADER + renderer.select(m.name()) + "\n"
              : build.script(m.name());
      Path file = folder.resolve(m.name() + ".sql");
      writeText(file, sql);
      written.add(file);
    }
    return written;
  }

  /** Writes a file, creating its folder; an unwritable place is the user's to fix, hence a HeapException. */
  static void writeText(Path file, String text) {
    try {
      Path folder = file.toAbsolutePath().getParent();
      if (folder != null) {
        Files.createDirectories(folder);
      }
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new HeapException("cannot write " + file + ": " + e, e);
    }
  }
}
