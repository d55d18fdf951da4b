package io.heapsdk.analysis;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a funnel gave on a database: one row per step, or per breakdown value and step (breakdown
 * values in order, NULL last, then steps). A funnel nobody entered has no rows. Immutable.
 *
 * @param funnel the funnel that was run
 * @param rows the rows, in the order above
 */
public record FunnelResult(Funnel funnel, List<Row> rows) {
  public FunnelResult {
    Objects.requireNonNull(funnel, "funnel");
    rows = List.copyOf(rows);
  }

  /** The name of the breakdown column, as the funnel names it; empty without a breakdown. */
  public Optional<String> breakdownColumn() {
    return funnel.breakdown();
  }

  /**
   * One step of the funnel (for one breakdown value).
   *
   * @param breakdownValue the breakdown value, NULL for sessions without one or funnels without a breakdown
   * @param step 1-based position of the step
   * @param event the step's event name or label
   * @param entered units whose best attempt reached the step
   * @param conversionFromFirst {@code entered} / {@code entered} at step 1
   * @param conversionFromPrevious {@code entered} / {@code entered} at the previous step; NULL at step 1
   *     and when the previous step has none
   * @param dropOff entered at the previous step minus entered at this one; NULL at step 1
   * @param medianSecondsFromFirst median whole seconds from the attempt's start to the step; NULL when nobody reached it
   * @param avgSecondsFromFirst average whole seconds from the attempt's start to the step; NULL when nobody reached it
   */
  public record Row(
      String breakdownValue,
      int step,
      String event,
      long entered,
      Double conversionFromFirst,
      Double conversionFromPrevious,
      Long dropOff,
      Double medianSecondsFromFirst,
      Double avgSecondsFromFirst) {}
}
