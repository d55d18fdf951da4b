package io.heapsdk.analysis;

import java.util.Objects;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.tools.RelBuilder;

/**
 * A condition on one event, built as a Calcite expression over the events fact
 * ({@code stg_heap_events_all_inc_fct}, or the model an attribution reads conversions from), which is
 * on top of the builder when the condition is asked for: {@code b -> b.equals(b.field("heap_event_name"),
 * b.literal("purchase"))}. Use {@link io.heapsdk.model.Exprs} for anything beyond comparisons, so the
 * condition renders on every warehouse. A condition that is NULL for an event does not match it.
 */
@FunctionalInterface
public interface EventPredicate {
  /** The condition, over the fields of the relation on top of {@code b}. */
  RexNode condition(RelBuilder b);

  /** Events called exactly {@code eventName} (case-sensitive, as Heap syncs them). */
  static EventPredicate named(String eventName) {
    Objects.requireNonNull(eventName, "eventName");
    return b -> b.equals(b.field(Analyses.EVENT_NAME), b.literal(eventName));
  }
}
