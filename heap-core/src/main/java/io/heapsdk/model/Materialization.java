package io.heapsdk.model;

/** How a model exists in the warehouse. */
public enum Materialization {
  /** Never stored: inlined as named CTEs into the models that ref it, as dbt does. */
  EPHEMERAL,
  /** A table rebuilt from its full query on every run. */
  TABLE,
  /** A fact table with a unique key and a time column, built incrementally once it exists. */
  INCREMENTAL;

  /** Whether the runner creates a table for it. */
  public boolean isMaterialized() {
    return this != EPHEMERAL;
  }
}
