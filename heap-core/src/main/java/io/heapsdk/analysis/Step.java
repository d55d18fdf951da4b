package io.heapsdk.analysis;

import java.util.Objects;
import java.util.Optional;

/**
 * One funnel step or exclusion: a label for reports and the condition an event must meet. Steps made
 * from an event name keep it ({@link #eventName()}), so the builders can spot a name used twice.
 */
public record Step(String label, EventPredicate predicate, Optional<String> eventName) {
  public Step {
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(predicate, "predicate");
    Objects.requireNonNull(eventName, "eventName");
  }

  /** Events called {@code name}, labelled with the name. */
  public static Step event(String name) {
    return new Step(name, EventPredicate.named(name), Optional.of(name));
  }

  /** Events meeting {@code predicate}, labelled {@code label}. */
  public static Step matching(String label, EventPredicate predicate) {
    return new Step(label, predicate, Optional.empty());
  }

  /**
   * {@code Step[event=purchase]}, or {@code Step[label=…, matching a predicate]}: the record's own text
   * printed the predicate's lambda, whose name changes from one JVM to the next, into logs and diffs.
   */
  @Override
  public String toString() {
    return eventName.map(n -> n.equals(label) ? "Step[event=" + n + "]" : "Step[label=" + label + ", event=" + n + "]")
        .orElse("Step[label=" + label + ", matching a predicate]");
  }
}
