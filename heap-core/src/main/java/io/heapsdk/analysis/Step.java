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
}
