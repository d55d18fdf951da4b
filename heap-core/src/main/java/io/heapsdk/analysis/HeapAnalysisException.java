package io.heapsdk.analysis;

import io.heapsdk.HeapException;

/**
 * A funnel or attribution cannot be defined or planned as asked: no steps, a negative window, a
 * breakdown column the sessions fact does not have.
 *
 * <p>The message reads {@code <analysis>: <setting>: <problem>}, for example
 * {@code funnel: window: expected a positive duration, got PT-1H}.
 */
public final class HeapAnalysisException extends HeapException {
  private static final long serialVersionUID = 1L;

  private final String analysis;
  private final String setting;

  public HeapAnalysisException(String analysis, String setting, String problem) {
    super(analysis + ": " + setting + ": " + problem);
    this.analysis = analysis;
    this.setting = setting;
  }

  /** {@code funnel} or {@code attribution}. */
  public String analysis() {
    return analysis;
  }

  /** The builder setting that was wrong, e.g. {@code window} or {@code steps[2]}. */
  public String setting() {
    return setting;
  }
}
