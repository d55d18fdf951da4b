package io.heapsdk.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * {@code heap} in a JVM of its own, as a user starts it: what an in-process {@link HeapCli#run} cannot
 * show (the locale's decoding of arguments, signals and shutdown hooks, a second process on a file).
 */
final class HeapProcess {
  private HeapProcess() {}

  /**
   * The child JVMs' temporary directory, deleted with what is left in it when this JVM ends. DuckDB's
   * driver copies its 68 MB native library into the temporary directory on every start and deletes it
   * only when the JVM exits normally: each child a test kills ({@code destroyForcibly}) left one in
   * /tmp, and runs of the build filled a disk with them.
   */
  private static final Path CHILD_TMP = childTmp();

  private static Path childTmp() {
    try {
      Path dir = Files.createTempDirectory("heap-test-children");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir), "heap-test-children-tmp"));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // a temporary directory: left to the system
    }
  }

  /**
   * {@code java} with the test's class path, ready for a main class: the JVM of this test, allowed native
   * access as heap.jar's manifest allows it (else Java 24 and later print four warning lines as DuckDB's
   * driver loads its library; Java 17 accepts the option and needs none).
   */
  static List<String> java() {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("--enable-native-access=ALL-UNNAMED");
    command.add("-Djava.io.tmpdir=" + CHILD_TMP);
    command.add("-cp");
    command.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
    return command;
  }

  /** Starts {@code heap args} with the test's class path; {@code environment} may change its variables. */
  static ProcessBuilder builder(Consumer<Map<String, String>> environment, String... args) {
    List<String> command = java();
    command.add(HeapCli.class.getName());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    // options a developer's shell may set for every JVM would print a line of their own
    pb.environment().remove("JAVA_TOOL_OPTIONS");
    environment.accept(pb.environment());
    return pb;
  }

  static Process start(Consumer<Map<String, String>> environment, String... args) throws IOException {
    return builder(environment, args).start();
  }
}
