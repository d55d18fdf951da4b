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
}
