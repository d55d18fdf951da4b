package io.heapsdk.analysis;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a retention gave on a database: one row per cohort and period 0 … N the data has reached
 * (breakdown values in order, NULL last, then cohorts oldest first, then periods). No cohort, no rows.
 * Immutable.
 *
 * @param retention the retention that was run
 * @param rows the rows, in the order above
 */
public record RetentionResult(Retention retention, List<Row> rows) {
  public RetentionResult {
    Objects.requireNonNull(retention, "retention");
    rows = List.copyOf(rows);
  }

  /** The name of the breakdown column, as the retention names it; empty without a breakdown. */
  public Optional<String> breakdownColumn() {
    return retention.breakdown();
  }

  /**
   * One cell of the retention table.
   *
   * @param breakdownValue the breakdown value; NULL for users without one, and without a breakdown
   * @param cohort the first day (UTC) of the cohort's day, week (a Monday) or month
   * @param cohortSize users in the cohort (for this breakdown value)
   * @param period periods after the cohort's own; 0 is the cohort's own period
   * @param retained users of the cohort retained in the period; {@code cohortSize} in period 0
   * @param rate {@code retained / cohortSize}
   */
  public record Row(
      String breakdownValue,
      // an ISO date in JSON without Jackson's java.time module
      @JsonSerialize(using = ToStringSerializer.class) LocalDate cohort,
      long cohortSize,
      int period,
      long retained,
      double rate) {}
}
