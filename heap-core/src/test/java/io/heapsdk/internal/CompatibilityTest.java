package io.heapsdk.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class CompatibilityTest {
  @Test
  void theBuildsGuavaIsTheJreFlavour() {
    assertThat(Compatibility.guavaVersion()).hasValueSatisfying(v -> assertThat(v).endsWith("-jre"));
    assertThatCode(Compatibility::requireGuavaJre).doesNotThrowAnyException();
  }

  @Test
  void theMessageNamesTheVersionFoundAndTheOneToUse() {
    assertThat(Compatibility.guavaMessage(Optional.of("33.4.8-android")))
        .isEqualTo(
            "Guava 33.4.8-android is on the classpath, but Apache Calcite, which plans every model,"
                + " needs the -jre flavour; depend on com.google.guava:guava:33.4.8-jre"
                + " (or import io.heapsdk:heap-bom)")
        .doesNotContain("\n");
  }

  @Test
  void withoutMavenMetadataTheMessageStillSaysWhatToDo() {
    assertThat(Compatibility.guavaMessage(Optional.empty()))
        .startsWith("a Guava of the -android flavour is on the classpath")
        .contains("the -jre flavour of com.google.guava:guava");
  }

  @Test
  void theBuildsCalciteIsTheOneHeapIsBuiltWith() {
    // the build's calcite.version: an upgrade of the pom must move CALCITE_NEEDED with it
    assertThat(Compatibility.jarVersion(org.apache.calcite.rel.RelNode.class)).contains(Compatibility.CALCITE_NEEDED);
    assertThat(Compatibility.jarVersion(org.apache.calcite.linq4j.Enumerable.class)).contains(Compatibility.CALCITE_NEEDED);
    assertThatCode(Compatibility::requireCalcite).doesNotThrowAnyException();
    // the build's Calcite has the API heap calls, which is what a Calcite that does not say its version is judged by
    assertThat(Compatibility.missingCalciteApi()).isEmpty();
    // a class of another jar (heap's own classes are in a directory here, with no manifest)
    assertThat(Compatibility.jarVersion(com.google.common.base.Supplier.class)).isEmpty();
  }

  @Test
  void versionsCompareNumberByNumber() {
    assertThat(Compatibility.older("1.40.0", "1.42.0")).isTrue();
    assertThat(Compatibility.older("1.41.9", "1.42.0")).isTrue();
    assertThat(Compatibility.older("0.99", "1.42.0")).isTrue();
    assertThat(Compatibility.older("1.42.0", "1.42.0")).isFalse();
    assertThat(Compatibility.older("1.42", "1.42.0")).isFalse();
    assertThat(Compatibility.older("1.42.1", "1.42.0")).isFalse();
    // numbers, not text: "1.100" sorts before "1.42" as text
    assertThat(Compatibility.older("1.100.0", "1.42.0")).isFalse();
    assertThat(Compatibility.older("2.0.0", "1.42.0")).isFalse();
    // a qualifier ends the comparison: the numbers before it decide
    assertThat(Compatibility.older("1.43.0-SNAPSHOT", "1.42.0")).isFalse();
    assertThat(Compatibility.older("1.41.0-SNAPSHOT", "1.42.0")).isTrue();
  }

  @Test
  void anOlderCalciteIsNamedWithWhatToDo() {
    assertThat(Compatibility.calciteMessage(Optional.of("1.40.0"), Optional.of("1.42.0")))
        .hasValueSatisfying(
            m ->
                assertThat(m)
                    .startsWith("calcite-core 1.40.0 (Apache Calcite) is on the classpath, but heap plans and renders with Calcite 1.42.0 or later;")
                    .contains("declare org.apache.calcite:calcite-core:1.42.0 and org.apache.calcite:calcite-linq4j:1.42.0")
                    .contains("importing io.heapsdk:heap-bom does not override")
                    .doesNotContain("\n"));
    assertThat(Compatibility.calciteMessage(Optional.of("1.38.0"), Optional.of("1.38.0")))
        .hasValueSatisfying(m -> assertThat(m).startsWith("calcite-core 1.38.0 and calcite-linq4j 1.38.0 (Apache Calcite) are on the classpath"));
    assertThat(Compatibility.calciteMessage(Optional.of("1.42.0"), Optional.of("1.43.0"))).isEmpty();
    // jars that do not say their version are let through
    assertThat(Compatibility.calciteMessage(Optional.empty(), Optional.empty())).isEmpty();
  }
}
