package io.heapsdk.analysis;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a funnel trend gave on a database: one row per period (and breakdown value: values in order,
 * NULL last, then periods). Immutable.
 *
 * @param trend the trend that was run
 * @param rows the rows, in the order above
 */
public record FunnelTrendResult(FunnelTrend trend, List<Row> rows) {
  public FunnelTrendResult {
    Objects.requireNonNull(trend, "trend");
    rows = List.copyOf(rows);
  }

  /** The name of the breakdown column, as the funnel names it; empty without a breakdown. */
  public Optional<String> breakdownColumn() {
    return trend.funnel().breakdown();
  }

  /**
   * One period (for one breakdown value).
   *
   * @param breakdownValue the breakdown value; NULL without a breakdown or for units without a value
   * @param period the first day (UTC) of the period: the day, the Monday of the week, the first of the month
   * @param entered units with a counting attempt that started in the period
   * @param converted those whose attempt reached the last step
   * @param conversion {@code converted / entered}
   */
  public record Row(
      String breakdownValue,
      // an ISO date in JSON without Jackson's java.time module
      @JsonSerialize(using = ToStringSerializer.class) LocalDate period,
      long entered,
      long converted,
      double conversion) {}
}
