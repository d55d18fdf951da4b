package io.heapsdk.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * The {@code --out FILE} of the analysis commands: their output (any format) goes into the file instead
 * of standard output, and the command prints the file's path. Without {@code --out} everything goes to
 * standard output, HTML too, so {@code > funnel.html} works as well.
 */
final class OutputFile {
  private OutputFile() {}

  /**
   * Refuses, before the query runs, an {@code --out} that names a folder, or a file the command reads:
   * the database of {@code --jdbc} (an H2 or DuckDB file) or the {@code --config} file. Written over, the
   * report replaced the database the facts were in, or the config, and the command exited 0.
   */
  static void check(CommandLine command, Path file, String url, Path config) {
    if (file == null) {
      return;
    }
    if (file.toString().isBlank()) {
      throw new ParameterException(command, "--out: expected a file name, got an empty one");
    }
    if (Files.isDirectory(file)) {
      throw new ParameterException(command, "--out: " + file + " is a folder; expected a file (e.g. " + file.resolve("report.html") + ")");
    }
    for (Path read : Database.files(url)) {
      if (same(file, read)) {
        throw new ParameterException(
            command, "--out: " + file + " is a file of the database of --jdbc " + Database.shown(url) + "; the report would replace it: give another file");
      }
    }
    if (config != null && !config.toString().equals("-") && same(file, config)) {
      throw new ParameterException(command, "--out: " + file + " is the --config file; the report would replace it: give another file");
    }
  }

  /** Whether two paths name one file: the same path, or, both existing, one file through a link. */
  private static boolean same(Path a, Path b) {
    try {
      if (a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize())) {
        return true;
      }
      return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
    } catch (java.io.IOException | RuntimeException e) {
      return false;
    }
  }

  /** Writes what {@code print} prints to {@code file} (UTF-8), or to the command's output without one. */
  static void print(CommandLine command, Path file, Consumer<PrintWriter> print) {
    if (file == null) {
      print.accept(command.getOut());
      command.getOut().flush();
      return;
    }
    StringWriter text = new StringWriter();
    try (PrintWriter w = new PrintWriter(text)) {
      print.accept(w);
    }
    SqlFiles.writeText(file, text.toString());
    command.getOut().println("wrote " + file);
  }
}
