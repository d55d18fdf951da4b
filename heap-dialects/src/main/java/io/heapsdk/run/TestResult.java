package io.heapsdk.run;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one data test or freshness check.
 *
 * @param name the test's name, e.g. {@code unique_pageviews_event_id} or {@code freshness_sessions}
 * @param target {@code source:<table>} or {@code model:<model>}
 * @param status pass, warn or fail
 * @param failingRows rows the failing-rows query returned (0 for freshness)
 * @param sampleKeys up to five failing rows' keys, smallest first
 * @param detail freshness: the newest time and the lag; a check that could not run: the database's
 *     reason; empty for data tests
 * @param error the database's refusal of a check that could not run ({@link Status#ERROR}); empty
 *     otherwise
 */
public record TestResult(
    String name, String target, Status status, long failingRows, List<String> sampleKeys, String detail,
    Optional<HeapRunException> error) {
  /**
   * A test's verdict; {@code WARN} is a failure of a warn-only test, or data older than warn-after;
   * {@code ERROR} a check the database refused to run (a table heap's user may not read), reported only by
   * {@link DataTestRunner#runEach}: it says nothing of the data.
   */
  public enum Status {
    PASS,
    WARN,
    FAIL,
    ERROR
  }

  public TestResult {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(status, "status");
    sampleKeys = List.copyOf(sampleKeys);
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(error, "error");
    if ((status == Status.ERROR) != error.isPresent()) {
      throw new IllegalArgumentException("TestResult " + name + ": an ERROR, and only an ERROR, carries the database's refusal");
    }
  }

  /** A check that ran: pass, warn or fail. */
  public TestResult(String name, String target, Status status, long failingRows, List<String> sampleKeys, String detail) {
    this(name, target, status, failingRows, sampleKeys, detail, Optional.empty());
  }

  /** A check the database refused to run: {@code detail} is its reason, without heap's "test … failed on …". */
  static TestResult error(String name, String target, HeapRunException refused) {
    return new TestResult(name, target, Status.ERROR, 0, List.of(), refused.reason(), Optional.of(refused));
  }
}
