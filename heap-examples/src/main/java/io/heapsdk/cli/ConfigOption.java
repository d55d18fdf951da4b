package io.heapsdk.cli;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.config.HeapConfigLoader;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/** The {@code --config} option the commands share. */
final class ConfigOption {
  /** The origin of a config read from standard input ({@code --config -}), as its messages name it. */
  static final String STDIN = "(stdin)";

  /**
   * The origin of the defaults, when no {@code --config} is given, as its messages name it: they said
   * {@code HeapConfig.builder(): source.columns…}, a Java name to a user who wrote no config.
   */
  static final String DEFAULTS = "(no --config: the defaults)";

  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description = {
        "The project's heap.yml: source tables and columns, funnel and conversion events, channels.",
        "Without it, every default applies (Heap's tables in main_production, models in heap_models,"
            + " no funnel or conversion events). '-' reads it from standard input."
      })
  Path file;

  HeapConfig load() {
    HeapConfig config =
        file == null
            ? HeapConfig.builder().from(HeapConfig.defaults()).origin(DEFAULTS).build()
            : file.toString().equals("-") ? HeapConfigLoader.read(System.in, STDIN) : HeapConfigLoader.load(file);
    // a key that changes nothing would otherwise go unnoticed: a changed own_domain showed "unchanged"
    config.ignoredSettings().forEach(s -> LOG.warn("{}: {}", config.origin(), s));
    // a name with a stray space or newline matches nothing, silently
    config.textWarnings().forEach(s -> LOG.warn("{}: {}", config.origin(), s));
    return config;
  }

  private static final Logger LOG = LoggerFactory.getLogger(ConfigOption.class);
}
