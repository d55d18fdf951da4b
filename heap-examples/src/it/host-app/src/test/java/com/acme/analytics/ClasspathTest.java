package com.acme.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heapsdk.HeapException;
import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.warehouse.Warehouses;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** What the host's classpath holds: the versions Maven resolved, and the SDK's jars as modules. */
class ClasspathTest {
  @Test
  void jacksonModulesAreOfOneVersion() {
    String expected = System.getProperty("expected.jackson.version");
    assertEquals(expected, com.fasterxml.jackson.core.json.PackageVersion.VERSION.toString(), "jackson-core");
    assertEquals(expected, com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION.toString(), "jackson-databind");
    assertEquals(
        expected, com.fasterxml.jackson.dataformat.yaml.PackageVersion.VERSION.toString(), "jackson-dataformat-yaml");
    // since 2.20 jackson-annotations is versioned by minor release only ("2.21")
    String annotations = mavenVersion(com.fasterxml.jackson.annotation.JsonProperty.class, "com.fasterxml.jackson.core", "jackson-annotations");
    String minor = expected.substring(0, expected.lastIndexOf('.'));
    assertTrue(annotations.equals(minor) || annotations.startsWith(minor + "."), "jackson-annotations " + annotations);
  }

  @Test
  void guavaIsTheExpectedOne() {
    assertEquals(
        System.getProperty("expected.guava.version"),
        mavenVersion(com.google.common.base.Supplier.class, "com.google.guava", "guava"));
  }

  /**
   * commons-lang3 is the SDK's, or the one the host's own BOM manages (Spring Boot's). Without heap-core
   * declaring it, Maven picked the 3.1 of 2011 that calcite-core's uzaygezen-core brings nearest, on which
   * Calcite's commons-text fails at run time and which scanners flag (CVE-2025-48924).
   */
  @Test
  void commonsLang3IsTheSdksOrTheHostsAndCommonsTextRunsOnIt() throws URISyntaxException {
    // from the jar the classes are loaded from (surefire's own jar carries a pom.properties of commons-lang3)
    Path jar = Path.of(org.apache.commons.lang3.StringUtils.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    String lang3 = System.getProperty("expected.commons-lang3.version");
    assertEquals("commons-lang3-" + lang3 + ".jar", jar.getFileName().toString());
    String[] parts = lang3.split("\\.");
    if (Integer.parseInt(parts[0]) > 3 || Integer.parseInt(parts[1]) >= 13) {
      // what commons-text needs (Boot 2.7 pins 3.12: the host's choice)
      assertEquals("a\\\"b", org.apache.commons.text.StringEscapeUtils.escapeJava("a\"b"));
      assertEquals("&lt;b&gt;", org.apache.commons.text.StringEscapeUtils.escapeHtml4("<b>"));
    }
  }

  /**
   * The SDK brings no commons-logging jar: in a Spring host it duplicates spring-jcl's classes and Spring
   * warns at start-up (the host's own dependencies here bring none either).
   */
  @Test
  void noCommonsLoggingJar() {
    String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    for (String entry : classPath.split(java.io.File.pathSeparator)) {
      assertTrue(!Path.of(entry).getFileName().toString().startsWith("commons-logging-"), "on the class path: " + entry);
    }
  }

  @Test
  void theSdkComesFromThisBuildsLocalRepository() throws URISyntaxException {
    Path repository = Path.of(System.getProperty("host.localRepository")).toAbsolutePath().normalize();
    for (Class<?> c : new Class<?>[] {HeapProject.class, Warehouses.class}) {
      Path jar = jar(c);
      assertTrue(jar.startsWith(repository), c.getName() + " comes from " + jar + ", not from " + repository);
    }
  }

  @Test
  void theSdkJarsAreModulesWithoutSplitPackages() throws URISyntaxException {
    ModuleFinder finder = ModuleFinder.of(jar(HeapProject.class), jar(Warehouses.class));
    Set<String> names = new TreeSet<>();
    for (ModuleReference m : finder.findAll()) {
      names.add(m.descriptor().name());
    }
    assertEquals(Set.of("io.heapsdk.core", "io.heapsdk.dialects"), names);
    // resolving both fails when a package is in both (automatic modules read each other)
    Configuration resolved =
        ModuleLayer.boot()
            .configuration()
            .resolve(finder, ModuleFinder.of(), Set.of("io.heapsdk.core", "io.heapsdk.dialects"));
    Set<String> core = resolved.findModule("io.heapsdk.core").orElseThrow().reference().descriptor().packages();
    Set<String> dialects =
        resolved.findModule("io.heapsdk.dialects").orElseThrow().reference().descriptor().packages();
    Set<String> both = new TreeSet<>(core);
    both.retainAll(dialects);
    assertEquals(Set.of(), both, "packages in both jars");
  }

  /**
   * The protobuf-4 profile: the host's protobuf-java 4 is the one on the classpath (Maven's nearest
   * wins over the 3.25 of avatica-core), and the other tests, which plan, render and run the models on
   * H2, run with it (Avatica uses protobuf for its remote JDBC protocol, which heap does not use).
   */
  @Test
  @Tag("protobuf-4")
  void protobufIsTheHostsVersion4() throws URISyntaxException {
    String expected = System.getProperty("expected.protobuf.version");
    assertTrue(expected.startsWith("4."), expected);
    // protobuf's jar has no Maven metadata: its file name in the repository says the version
    assertEquals("protobuf-java-" + expected + ".jar", jar(com.google.protobuf.Message.class).getFileName().toString());
  }

  /** The guava-android profile: the first plan names the Guava found and the one to use. */
  @Test
  @Tag("guava-android")
  void guavaAndroidIsRefusedWithOneClearLine() {
    String found = System.getProperty("expected.guava.version");
    assertTrue(found.endsWith("-android"), found);
    HeapProject project = HeapProject.standard(HeapConfig.builder().build());
    HeapException e = assertThrows(HeapException.class, project::plan);
    String jre = found.substring(0, found.length() - "-android".length()) + "-jre";
    assertTrue(e.getMessage().startsWith("Guava " + found + " is on the classpath"), e.getMessage());
    assertTrue(e.getMessage().contains("depend on com.google.guava:guava:" + jre), e.getMessage());
    assertTrue(!e.getMessage().contains("\n"), e.getMessage());
  }

  /**
   * The calcite-older profile: the host declares an older calcite-core. Without heap's check its models
   * planned and built, and every funnel then failed with a NoSuchMethodError; now the first plan, and
   * the first use of a warehouse, name the jar and the fix.
   */
  @Test
  @Tag("calcite-older")
  void anOlderCalciteIsRefusedWithOneClearLine() throws URISyntaxException {
    String found = System.getProperty("expected.calcite.version");
    assertEquals("calcite-core-" + found + ".jar", jar(org.apache.calcite.rel.RelNode.class).getFileName().toString());
    // calcite-linq4j follows calcite-core here (and is named with it), unless the host imports heap-bom
    String start = "calcite-core " + found;
    String says = "on the classpath, but heap plans and renders with Calcite";
    HeapException plan = assertThrows(HeapException.class, HeapProject.standard(HeapConfig.builder().build())::plan);
    assertTrue(plan.getMessage().startsWith(start) && plan.getMessage().contains(says), plan.getMessage());
    assertTrue(!plan.getMessage().contains("\n"), plan.getMessage());
    // the warehouses are constants: their class's initializer refuses, the message its cause's
    ExceptionInInitializerError init = assertThrows(ExceptionInInitializerError.class, () -> Warehouses.byName("snowflake"));
    assertTrue(init.getCause() instanceof HeapException, String.valueOf(init.getCause()));
    assertEquals(plan.getMessage(), init.getCause().getMessage());
  }

  private static Path jar(Class<?> c) throws URISyntaxException {
    return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath().normalize();
  }

  /** The version in a jar's Maven metadata. */
  static String mavenVersion(Class<?> inJar, String groupId, String artifactId) {
    String resource = "/META-INF/maven/" + groupId + "/" + artifactId + "/pom.properties";
    try (InputStream in = inJar.getResourceAsStream(resource)) {
      assertTrue(in != null, resource + " not found");
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version");
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
