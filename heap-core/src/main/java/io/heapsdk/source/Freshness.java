package io.heapsdk.source;

import java.time.Duration;
import java.util.Objects;

/**
 * How stale a source table may get, judged on its time column: older than {@code warnAfter} warns,
 * older than {@code errorAfter} fails.
 */
public record Freshness(String timeColumn, Duration warnAfter, Duration errorAfter) {
  public Freshness {
    Objects.requireNonNull(timeColumn, "timeColumn");
    Objects.requireNonNull(warnAfter, "warnAfter");
    Objects.requireNonNull(errorAfter, "errorAfter");
  }
}
