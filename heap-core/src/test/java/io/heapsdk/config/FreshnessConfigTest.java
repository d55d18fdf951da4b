package io.heapsdk.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heapsdk.source.Freshness;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code source.freshness}: the warn / error limits of every table with a freshness rule. */
class FreshnessConfigTest {
  private static HeapConfig parse(String yaml) {
    return HeapConfigLoader.parse(yaml, "heap.yml");
  }

  @Test
  void defaultsAreOneAndThreeDays() {
    assertThat(parse("").catalog().table("sessions").freshness())
        .contains(new Freshness("time", Duration.ofDays(1), Duration.ofDays(3)));
  }

  @Test
  void overridesApplyToEveryTableWithARule() {
    HeapConfig c = parse("source:\n  freshness: {warn_after_hours: 6, error_after_hours: 12}\n");
    assertThat(c.catalog().table("sessions").freshness())
        .contains(new Freshness("time", Duration.ofHours(6), Duration.ofHours(12)));
    // users are judged on joindate; user_migrations keeps having no rule
    assertThat(c.catalog().table("users").freshness())
        .contains(new Freshness("joindate", Duration.ofHours(6), Duration.ofHours(12)));
    assertThat(c.catalog().table("user_migrations").freshness()).isEqualTo(Optional.empty());
    assertThat(HeapConfig.builder().freshnessWarnAfterHours(6).freshnessErrorAfterHours(12).build().catalog())
        .usingRecursiveComparison()
        .isEqualTo(c.catalog());
  }

  @Test
  void errorsNameTheKey() {
    assertThatThrownBy(() -> parse("source:\n  freshness: {warn_after_hours: 0}\n"))
        .isInstanceOf(HeapConfigException.class)
        .hasMessage("heap.yml: source.freshness.warn_after_hours: expected a positive whole number of hours, at most 87600, got 0");
    // 96 hours is above the default error-after of 72
    assertThatThrownBy(() -> parse("source:\n  freshness: {warn_after_hours: 96}\n"))
        .isInstanceOf(HeapConfigException.class)
        .hasMessage("heap.yml: source.freshness.warn_after_hours: warn_after_hours (96) must not exceed error_after_hours (72)");
    assertThatThrownBy(() -> parse("source:\n  freshness: {error_after_hours: soon}\n"))
        .isInstanceOf(HeapConfigException.class)
        .hasMessageStartingWith("heap.yml: source.freshness.error_after_hours: expected a whole number");
    assertThatThrownBy(() -> parse("source:\n  freshness: {warn_after: 1}\n"))
        .isInstanceOf(HeapConfigException.class)
        .hasMessage("heap.yml: source.freshness.warn_after: unknown key; expected one of [error_after_hours, skip_tables, warn_after_hours]");
  }
}
