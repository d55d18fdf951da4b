package io.heapsdk.testing;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.config.HeapConfigLoader;
import io.heapsdk.warehouse.Warehouse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The configs under {@code golden-configs/}: {@code standard}, {@code hostile} and {@code unicode}.
 * A warehouse that cannot store some name of a config (BigQuery: no dataset outside ASCII letters,
 * digits and underscores, no emoji in a table or column name) has its own
 * {@code <config>.<warehouse>.yml}, the same config with only those names replaced, so its golden SQL
 * and validators still see every value of the config.
 */
public final class GoldenConfigs {
  private GoldenConfigs() {}

  /** {@code golden-configs/<name>.yml}. */
  public static HeapConfig load(String name) {
    return parse("golden-configs/" + name + ".yml").orElseThrow(() -> new IllegalStateException("no golden config " + name));
  }

  /** The config {@code name} as rendered for {@code w}: its warehouse variant when there is one. */
  public static HeapConfig forWarehouse(String name, Warehouse w) {
    return parse("golden-configs/" + name + "." + w.name() + ".yml").orElseGet(() -> load(name));
  }

  /** Whether {@code w} renders {@code name} from a variant of its own. */
  public static boolean hasVariant(String name, Warehouse w) {
    return GoldenConfigs.class.getClassLoader().getResource("golden-configs/" + name + "." + w.name() + ".yml") != null;
  }

  private static Optional<HeapConfig> parse(String resource) {
    try (InputStream in = GoldenConfigs.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        return Optional.empty();
      }
      return Optional.of(HeapConfigLoader.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), resource));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
