package io.heapsdk.run;

import java.time.Duration;

/**
 * Told by {@link JdbcRunner} before each statement of a run's build plan: which one of how many, the
 * step it belongs to, and the time since the run started. Called on the run's thread; a slow listener
 * slows the run.
 */
@FunctionalInterface
public interface RunProgress {
  /**
   * @param n the statement about to run, from 1
   * @param of the statements of the build plan (the run-state bookkeeping is not counted)
   * @param phase the step's phase, a {@link io.heapsdk.warehouse.BuildPlan.Phase} in lower case
   * @param model the step's model (or {@code (setup)}, {@code (cleanup)})
   * @param elapsed the time since the run started
   */
  void statement(int n, int of, String phase, String model, Duration elapsed);

  /** Tells nothing. */
  RunProgress NONE = (n, of, phase, model, elapsed) -> {};
}
