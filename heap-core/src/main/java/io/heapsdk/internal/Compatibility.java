package io.heapsdk.internal;

import io.heapsdk.HeapException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
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
 *
 * <p>An older Calcite is the other: a host (or another Calcite-based library it uses) that declares
 * {@code calcite-core} itself gets that version, whatever heap's BOM says, and heap calls Calcite API of
 * the version it is built with. On 1.40 the models plan and build, and then every funnel fails with a
 * {@link NoSuchMethodError}; on 1.38 the first use of a warehouse fails with a {@link
 * NoClassDefFoundError}. Neither says which library or version is at fault.
 */
public final class Compatibility {
  /** Decided once: the classpath does not change under a running JVM. */
  private static final boolean GUAVA_JRE =
      java.util.function.Supplier.class.isAssignableFrom(com.google.common.base.Supplier.class);

  /**
   * The Calcite heap is built and tested with (the {@code calcite.version} of its pom): older releases
   * lack API heap calls. Newer ones are let through. {@code CompatibilityTest} checks this against the
   * Calcite on the build's classpath, so an upgrade of the pom moves it too.
   */
  static final String CALCITE_NEEDED = "1.42.0";

  /** Decided once, like Guava's flavour: an older Calcite's message, or none. */
  private static final Optional<String> CALCITE_TOO_OLD = calciteCheck();

  private Compatibility() {}

  /**
   * Throws if the Calcite on the classpath is older than the one heap is built with. A Calcite whose
   * jars do not say their version (repackaged into another jar) is let through.
   *
   * @throws HeapException naming the Calcite jars found, their versions, and what to depend on instead
   */
  public static void requireCalcite() {
    CALCITE_TOO_OLD.ifPresent(
        m -> {
          throw new HeapException(m);
        });
  }

  /**
   * The message for {@code calcite-core} and {@code calcite-linq4j} at these versions (empty when a jar
   * did not say), or none when neither is older than {@link #CALCITE_NEEDED}.
   */
  static Optional<String> calciteMessage(Optional<String> core, Optional<String> linq4j) {
    List<String> old = new ArrayList<>();
    core.filter(v -> older(v, CALCITE_NEEDED)).ifPresent(v -> old.add("calcite-core " + v));
    linq4j.filter(v -> older(v, CALCITE_NEEDED)).ifPresent(v -> old.add("calcite-linq4j " + v));
    if (old.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        String.join(" and ", old)
            + " (Apache Calcite) "
            + (old.size() == 1 ? "is" : "are")
            + " on the classpath, but heap plans and renders with Calcite "
            + CALCITE_NEEDED
            + " or later; your pom or another of its dependencies declares the older one nearer than heap:"
            + " remove that declaration, or declare org.apache.calcite:calcite-core:"
            + CALCITE_NEEDED
            + " and org.apache.calcite:calcite-linq4j:"
            + CALCITE_NEEDED
            + " yourself (importing io.heapsdk:heap-bom does not override a version a pom declares)");
  }

  /** By the jars' versions where calcite-core says its own, else by the API heap calls. */
  private static Optional<String> calciteCheck() {
    Optional<String> core = jarVersion(org.apache.calcite.rel.RelNode.class);
    return core.isPresent()
        ? calciteMessage(core, jarVersion(org.apache.calcite.linq4j.Enumerable.class))
        : missingCalciteApi();
  }

  /**
   * Where no jar says its version (Calcite repackaged into a host's own jar): the message when API heap
   * calls is missing, as in every release before 1.41.
   */
  static Optional<String> missingCalciteApi() {
    try {
      org.apache.calcite.sql.SqlDialect.class.getMethod("supportsOrderByLiteral");
      return Optional.empty();
    } catch (NoSuchMethodException e) {
      return Optional.of(
          "the Apache Calcite on the classpath (its jar does not say its version) lacks SqlDialect.supportsOrderByLiteral(),"
              + " which heap calls: it is older than 1.41, and heap plans and renders with Calcite "
              + CALCITE_NEEDED
              + " or later; depend on org.apache.calcite:calcite-core:"
              + CALCITE_NEEDED
              + " (or import io.heapsdk:heap-bom), and keep it out of what is repackaged");
    }
  }

  /**
   * Whether dotted version {@code v} is older than {@code than}, number by number ("1.40.0" &lt;
   * "1.42.0" &lt; "1.42.1" &lt; "1.100"); a part that is not a number (a qualifier such as "-SNAPSHOT")
   * ends the comparison there.
   */
  static boolean older(String v, String than) {
    String[] a = v.split("[.-]");
    String[] b = than.split("[.-]");
    for (int i = 0; i < Math.max(a.length, b.length); i++) {
      OptionalInt x = number(a, i);
      OptionalInt y = number(b, i);
      if (x.isEmpty() || y.isEmpty()) {
        return false;
      }
      if (x.getAsInt() != y.getAsInt()) {
        return x.getAsInt() < y.getAsInt();
      }
    }
    return false;
  }

  /** Part {@code i} as a number: 0 past the end, empty when it is not one. */
  private static OptionalInt number(String[] parts, int i) {
    if (i >= parts.length) {
      return OptionalInt.of(0);
    }
    try {
      return OptionalInt.of(Integer.parseInt(parts[i]));
    } catch (NumberFormatException e) {
      return OptionalInt.empty();
    }
  }

  /**
   * The version in the manifest of the Calcite jar that holds {@code c}. Calcite's jars carry no Maven
   * metadata, but their manifests name them; a jar into which Calcite was repackaged (heap's own
   * {@code heap.jar}) has another's manifest, so the title must say Calcite.
   */
  static Optional<String> jarVersion(Class<?> c) {
    Package p = c.getPackage();
    if (p != null && "Apache Calcite".equals(p.getImplementationTitle())) {
      return Optional.ofNullable(p.getImplementationVersion()).filter(v -> !v.isBlank());
    }
    // on the module path a package has no manifest attributes; an automatic module's version is the one
    // in its file's name (calcite-core-1.40.0.jar), and its name says it is Calcite's
    Module m = c.getModule();
    if (m.isNamed() && m.getDescriptor() != null && m.getName().startsWith("calcite.")) {
      return m.getDescriptor().rawVersion().filter(v -> !v.isBlank());
    }
    return Optional.empty();
  }

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
