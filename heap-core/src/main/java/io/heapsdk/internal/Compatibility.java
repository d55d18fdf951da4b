package io.heapsdk.internal;

import io.heapsdk.HeapException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.Properties;

/**
 * Checks, before the library first uses Calcite, that the host's classpath holds libraries Calcite can
 * run on. Not part of the API: the library calls it itself.
 *
 * <p>Guava's {@code -android} flavour is the known case. Calcite is compiled against the {@code -jre}
 * flavour, where {@code com.google.common.base.Supplier} extends {@code java.util.function.Supplier};
 * on {@code -android} it does not, and the first plan dies deep inside Calcite with an {@link
 * IncompatibleClassChangeError} that names neither Guava's version nor the fix. A host gets
 * {@code -android} without asking when another of its dependencies (gRPC, Google client libraries)
 * declares it nearer than Calcite does.
 */
public final class Compatibility {
  /** Decided once: the classpath does not change under a running JVM. */
  private static final boolean GUAVA_JRE =
      java.util.function.Supplier.class.isAssignableFrom(com.google.common.base.Supplier.class);

  private Compatibility() {}

  /**
   * Throws unless the Guava on the classpath is the {@code -jre} flavour Calcite needs.
   *
   * @throws HeapException naming the Guava version found and the one to depend on instead
   */
  public static void requireGuavaJre() {
    if (!GUAVA_JRE) {
      throw new HeapException(guavaMessage(guavaVersion()));
    }
  }

  /** The message for a Guava that is not the {@code -jre} flavour; {@code version} may be empty. */
  static String guavaMessage(Optional<String> version) {
    String found = version.map(v -> "Guava " + v).orElse("a Guava of the -android flavour");
    String instead =
        version
            .filter(v -> v.endsWith("-android"))
            .map(v -> "com.google.guava:guava:" + v.substring(0, v.length() - "-android".length()) + "-jre")
            .orElse("the -jre flavour of com.google.guava:guava");
    return found
        + " is on the classpath, but Apache Calcite, which plans every model, needs the -jre flavour;"
        + " depend on "
        + instead
        + " (or import io.heapsdk:heap-bom)";
  }

  /** The version in the Guava jar's Maven metadata, when the jar still carries it. */
  static Optional<String> guavaVersion() {
    try (InputStream in =
        com.google.common.base.Supplier.class.getResourceAsStream(
            "/META-INF/maven/com.google.guava/guava/pom.properties")) {
      if (in == null) {
        return Optional.empty();
      }
      Properties p = new Properties();
      p.load(in);
      return Optional.ofNullable(p.getProperty("version")).filter(v -> !v.isBlank());
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
