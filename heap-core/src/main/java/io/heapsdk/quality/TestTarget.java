package io.heapsdk.quality;

import java.util.Objects;

/** What a data test reads: a Heap source table (logical name) or a materialized model (its name). */
public record TestTarget(Kind kind, String name) {
  /** Whether the target is one of Heap's tables or one of the project's models. */
  public enum Kind {
    SOURCE,
    MODEL
  }

  public TestTarget {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
  }

  /** A Heap source table by its logical name ({@code pageviews}); the config's renames apply when rendered. */
  public static TestTarget source(String table) {
    return new TestTarget(Kind.SOURCE, table);
  }

  /** A materialized model's table. */
  public static TestTarget model(String model) {
    return new TestTarget(Kind.MODEL, model);
  }

  /** {@code source:pageviews} or {@code model:stg_heap_sessions_inc_fct}, as the test report prints it. */
  @Override
  public String toString() {
    return (kind == Kind.SOURCE ? "source:" : "model:") + name;
  }
}
