package io.heapsdk.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code heap} in a JVM of its own, as a user starts it: what an in-process {@link HeapCli#run} cannot
 * show (the locale's decoding of arguments, signals and shutdown hooks, a second process on a file).
 */
final class HeapProcess {
  private HeapProcess() {}

  /**
   * {@code java} with the test's class path, ready for a main class: the JVM of this test, allowed native
   * access as heap.jar's manifest allows it (else Java 24 and later print four warning lines as DuckDB's
   * driver loads its library; Java 17 accepts the option and needs none).
   */
  static List<String> java() {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("--enable-native-access=ALL-UNNAMED");
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
