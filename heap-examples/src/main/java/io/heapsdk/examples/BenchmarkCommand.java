package io.heapsdk.examples;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/** The command line a benchmark program was started with, printed next to its figures to reproduce them. */
final class BenchmarkCommand {
  private BenchmarkCommand() {}

  static String of(Class<?> program, String[] args) {
    List<String> parts = new ArrayList<>();
    parts.add("java");
    parts.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    parts.add("-cp");
    parts.add(System.getProperty("java.class.path"));
    parts.add(program.getName());
    parts.addAll(List.of(args));
    return String.join(" ", parts);
  }
}
