package io.heapsdk.run;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.Properties;

/**
 * heap's version, as Maven builds it into {@code version.properties} (the project's version, not a copy
 * kept in the code); a SNAPSHOT's with the commit it was built from, {@code 0.1.0-SNAPSHOT (60b2876114)}
 * ({@code -dirty} after it when the working tree had changes). A run records it, so that a later run can tell an upgrade of heap that renders a
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
    if (v.isBlank() || v.startsWith("${")) {
      return Optional.empty();
    }
    // every build of a branch is the same SNAPSHOT: the commit tells two of them apart (two heaps from
    // different commits on one schema each rebuilt the facts, and the reason said the version was the same)
    String commit = p.getProperty("commit", "");
    if (v.endsWith("-SNAPSHOT") && !commit.isBlank() && !commit.startsWith("${")) {
      return Optional.of(v + " (" + commit + ("true".equals(p.getProperty("dirty")) ? "-dirty" : "") + ")");
    }
    return Optional.of(v);
  }
}
