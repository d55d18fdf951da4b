package io.heapsdk.run;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of one data test or freshness check.
 *
 * @param name the test's name, e.g. {@code unique_pageviews_event_id} or {@code freshness_sessions}
 * @param target {@code source:<table>} or {@code model:<model>}
 * @param status pass, warn or fail
 * @param failingRows rows the failing-rows query returned (0 for freshness)
 * @param sampleKeys up to five failing rows' keys, smallest first
 * @param detail freshness: the newest time and the lag; empty for data tests
 */
public record TestResult(
    String name, String target, Status status, long failingRows, List<String> sampleKeys, String detail) {
  /** A test's verdict; {@code WARN} is a failure of a warn-only test, or data older than warn-after. */
  public enum Status {
    PASS,
    WARN,
    FAIL
  }

  public TestResult {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(status, "status");
    sampleKeys = List.copyOf(sampleKeys);
    Objects.requireNonNull(detail, "detail");
  }
}
