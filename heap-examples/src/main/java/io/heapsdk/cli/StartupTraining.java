package io.heapsdk.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The training run of the {@code heap} launcher ({@code heap-examples/bin/heap}): runs, in one JVM, the
 * commands whose start-up a class-data-sharing archive should speed up, so that the JVM's {@code
 * -XX:ArchiveClassesAtExit} archives the classes they load. The launcher runs it once, when the archive
 * is missing or was made for another JVM or another {@code heap.jar}; the commands write into a
 * temporary folder that is deleted afterwards, and print nothing.
 *
 * <p>The archive holds the classes, not their state: it cannot go stale with the config or the models,
 * only with the JVM and the jar, which the JVM checks when it maps the archive (and ignores it when they
 * differ).
 */
public final class StartupTraining {
  /** The command lines trained; {@code --out} is appended to those that write. */
  private static final List<List<String>> COMMANDS =
      List.of(
          List.of("--help"),
          List.of("compile", "--help"),
          List.of("compile", "--warehouse", CompileCommand.ALL, "--mode", "full"),
          List.of("compile", "--warehouse", CompileCommand.ALL, "--mode", "incremental"),
          List.of("docs", "--warehouse", "snowflake"));

  private StartupTraining() {}

  public static void main(String[] args) throws IOException {
    Path dir = Files.createTempDirectory("heap-startup-training");
    PrintStream none = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
    int failed = 0;
    try {
      int n = 0;
      for (List<String> command : COMMANDS) {
        String[] line = command.toArray(String[]::new);
        if (!command.contains("--help")) {
          line = Stream.concat(command.stream(), Stream.of("--out", dir.resolve(Integer.toString(n++)).toString()))
              .toArray(String[]::new);
        }
        if (HeapCli.run(none, none, line) != HeapCli.OK) {
          failed++;
        }
      }
    } finally {
      delete(dir);
    }
    // an archive of a run that failed part-way would still work, only cover less: say so by the exit code
    System.exit(failed == 0 ? 0 : 1);
  }

  private static void delete(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
