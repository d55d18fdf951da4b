package io.heapsdk.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** How a freshness lag reads: whole minutes, a sign only where there is a minute to sign. */
class FreshnessLagTextTest {
  @Test
  void aLagReadsInDaysHoursAndMinutes() {
    assertThat(DataTestRunner.describe(Duration.ofDays(2).plusHours(3).plusMinutes(4).plusSeconds(59))).isEqualTo("2d 3h 4m");
    assertThat(DataTestRunner.describe(Duration.ofHours(-51))).isEqualTo("-2d 3h 0m");
    // the newest time less than a minute ahead of now (now cut to whole seconds): no "-0d 0h 0m"
    assertThat(DataTestRunner.describe(Duration.ofMillis(-147))).isEqualTo("0d 0h 0m");
    assertThat(DataTestRunner.describe(Duration.ZERO)).isEqualTo("0d 0h 0m");
  }
}
