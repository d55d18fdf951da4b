package io.heapsdk.model;

/** Which query a model is planned for. */
public enum PlanMode {
  /** The model's rows from all source history. */
  FULL,
  /**
   * Only the rows of the run's active users: source scans keep those users' rows, and refs to other
   * incremental models read the rows those models recompute in the same run.
   */
  INCREMENTAL
}
