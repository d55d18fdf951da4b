package io.heapsdk.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.model.HeapProject;
import io.heapsdk.warehouse.SqlRenderer;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What a host sees of the library: the public (and, on classes a host may extend, protected) members of
 * both jars. Calcite types appear only where the model API is Calcite's RelBuilder on purpose, and in
 * the packages named {@code internal}; each warehouse package shows only its {@code Warehouse}. A new
 * public member naming Calcite fails here, so an internal never leaks by accident.
 */
class PublicApiTest {
  /**
   * Members allowed to name Calcite types: custom models are written with RelBuilder and RexNode,
   * renderers read a planned model's relation, and a warehouse subclass supplies its dialect.
   */
  private static final Set<String> CALCITE_ON_PURPOSE =
      Set.of(
          "io.heapsdk.model.Exprs",
          "io.heapsdk.model.PlanContext",
          "io.heapsdk.model.ModelPlanner",
          "io.heapsdk.analysis.EventPredicate",
          "io.heapsdk.model.PlannedModel#root",
          "io.heapsdk.model.PlannedModel#rowType",
          "io.heapsdk.model.Stage#rel",
          "io.heapsdk.analysis.Funnel#plan",
          "io.heapsdk.analysis.Attribution#plan",
          "io.heapsdk.analysis.Retention#plan",
          "io.heapsdk.analysis.Paths#plan",
          "io.heapsdk.warehouse.Warehouse#dialect",
          // H2's warehouse may be extended (tests run hooks H2 leaves empty through it): it supplies its dialect too
          "io.heapsdk.warehouse.h2.H2Warehouse#dialect");

  @Test
  void calciteTypesAppearOnlyWhereTheModelApiNeedsThem() throws Exception {
    List<String> leaks = new ArrayList<>();
    for (Class<?> c : publicClasses()) {
      if (c.getPackageName().endsWith(".internal") || CALCITE_ON_PURPOSE.contains(c.getName())) {
        continue;
      }
      if (names(c.getGenericSuperclass()) || Stream.of(c.getGenericInterfaces()).anyMatch(PublicApiTest::names)) {
        leaks.add(c.getName() + " extends a Calcite type");
      }
      for (Executable e : members(c)) {
        String signature = e.toGenericString();
        if (signature.contains("org.apache.calcite") && !CALCITE_ON_PURPOSE.contains(c.getName() + "#" + e.getName())) {
          leaks.add(signature);
        }
      }
      for (Field f : c.getDeclaredFields()) {
        if (visible(c, f.getModifiers()) && f.toGenericString().contains("org.apache.calcite")) {
          leaks.add(f.toGenericString());
        }
      }
    }
    assertThat(leaks).as("public members naming Calcite types").isEmpty();
  }

  @Test
  void eachWarehousePackageShowsOnlyItsWarehouse() throws Exception {
    List<String> shown = new ArrayList<>();
    for (Class<?> c : publicClasses()) {
      String pkg = c.getPackageName();
      if (pkg.startsWith("io.heapsdk.warehouse.") && !pkg.endsWith(".internal") && !c.getSimpleName().endsWith("Warehouse")) {
        shown.add(c.getName());
      }
    }
    assertThat(shown).isEmpty();
  }

  @Test
  void seesBothJarsClasses() throws Exception {
    // guards the two tests above against scanning nothing
    assertThat(publicClasses()).extracting(Class::getName).contains("io.heapsdk.model.Exprs", "io.heapsdk.warehouse.SqlRenderer");
  }

  private static boolean names(java.lang.reflect.Type t) {
    return t != null && t.getTypeName().contains("org.apache.calcite");
  }

  private static List<Executable> members(Class<?> c) {
    List<Executable> all = new ArrayList<>();
    for (Method m : c.getDeclaredMethods()) {
      if (visible(c, m.getModifiers()) && !m.isSynthetic() && !m.isBridge()) {
        all.add(m);
      }
    }
    for (Constructor<?> k : c.getDeclaredConstructors()) {
      if (visible(c, k.getModifiers()) && !k.isSynthetic()) {
        all.add(k);
      }
    }
    return all;
  }

  /** Public, or protected on a class a host can extend (not final, with a constructor it can call). */
  private static boolean visible(Class<?> c, int modifiers) {
    if (Modifier.isPublic(modifiers)) {
      return true;
    }
    return Modifier.isProtected(modifiers) && !Modifier.isFinal(c.getModifiers());
  }

  /** Every public top-level and nested class of heap-core and heap-dialects. */
  private static List<Class<?>> publicClasses() throws IOException, URISyntaxException, ClassNotFoundException {
    Set<String> names = new TreeSet<>();
    for (Class<?> anchor : List.of(HeapProject.class, SqlRenderer.class)) {
      Path location = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (Files.isDirectory(location)) {
        try (Stream<Path> files = Files.walk(location)) {
          files.map(p -> location.relativize(p).toString()).filter(n -> n.endsWith(".class")).forEach(names::add);
        }
      } else {
        try (JarFile jar = new JarFile(location.toFile())) {
          jar.stream().map(e -> e.getName()).filter(n -> n.endsWith(".class")).forEach(names::add);
        }
      }
    }
    List<Class<?>> classes = new ArrayList<>();
    for (String n : names) {
      if (n.endsWith("module-info.class") || n.endsWith("package-info.class")) {
        continue;
      }
      Class<?> c = Class.forName(n.replace('/', '.').replace('\\', '.').replaceAll("\\.class$", ""), false, PublicApiTest.class.getClassLoader());
      if (isPublicAllTheWay(c)) {
        classes.add(c);
      }
    }
    return classes;
  }

  private static boolean isPublicAllTheWay(Class<?> c) {
    for (Class<?> k = c; k != null; k = k.getEnclosingClass()) {
      if (!Modifier.isPublic(k.getModifiers()) || k.isAnonymousClass() || k.isLocalClass()) {
        return false;
      }
    }
    return true;
  }
}
