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

  /** Refuses an {@code --out} that names a folder, before the query runs. */
  static void check(CommandLine command, Path file) {
    if (file != null && Files.isDirectory(file)) {
      throw new ParameterException(command, "--out: " + file + " is a folder; expected a file (e.g. " + file.resolve("report.html") + ")");
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
