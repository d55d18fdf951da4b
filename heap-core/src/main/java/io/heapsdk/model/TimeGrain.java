package io.heapsdk.model;

import org.apache.calcite.avatica.util.TimeUnitRange;

/** The units {@link Exprs#truncate} cuts a timestamp to. A week starts on Monday (ISO 8601). */
public enum TimeGrain {
  HOUR(TimeUnitRange.HOUR),
  DAY(TimeUnitRange.DAY),
  /** ISO week: Monday 00:00 to Sunday 23:59:59.999999. */
  WEEK(TimeUnitRange.WEEK),
  MONTH(TimeUnitRange.MONTH),
  QUARTER(TimeUnitRange.QUARTER),
  YEAR(TimeUnitRange.YEAR);

  private final TimeUnitRange unit;

  TimeGrain(TimeUnitRange unit) {
    this.unit = unit;
  }

  TimeUnitRange unit() {
    return unit;
  }
}
