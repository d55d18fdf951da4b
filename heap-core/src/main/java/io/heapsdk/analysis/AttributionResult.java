package io.heapsdk.analysis;

import java.util.List;
import java.util.Objects;

/**
 * What an attribution gave on a database: one row per {@code by} value among the touches (0 when the
 * model gives it no credit, e.g. a channel that only ever assisted under last touch) and
 * {@value Attribution#NO_TOUCH} when a conversion had none; most conversions first, then by value
 * (NULL last). The conversions of all rows add up to the number of conversions. Immutable.
 *
 * @param attribution the attribution that was run
 * @param rows the rows, in the order above
 */
public record AttributionResult(Attribution attribution, List<Row> rows) {
  public AttributionResult {
    Objects.requireNonNull(attribution, "attribution");
    rows = List.copyOf(rows);
  }

  /**
   * The credit of one {@code by} value.
   *
   * @param label the {@code by} value ({@value Attribution#NO_TOUCH} for conversions without a touch;
   *     NULL for touches without a value)
   * @param conversions conversions credited
   * @param value conversion value credited; NULL without a value column
   */
  public record Row(String label, double conversions, Double value) {}
}
