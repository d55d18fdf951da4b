package io.heapsdk.run;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.Properties;

/**
 * heap's version, as Maven builds it into {@code version.properties} (the project's version, not a copy
 * kept in the code). A run records it, so that a later run can tell an upgrade of heap that renders a
 * model differently from a change of the config.
 */
public final class HeapVersion {
  private static final String RESOURCE = "version.properties";

  private HeapVersion() {}

  /** The version; empty when these classes were not built by Maven (an IDE's build leaves the file unfiltered). */
  public static Optional<String> get() {
    Properties p = new Properties();
    try (InputStream in = HeapVersion.class.getResourceAsStream(RESOURCE)) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      return Optional.empty(); // an unknown version, as below
    }
    String v = p.getProperty("version", "");
    return v.isBlank() || v.startsWith("${") ? Optional.empty() : Optional.of(v);
  }
}
