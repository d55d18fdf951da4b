package io.heapsdk.analysis;

import java.util.List;
import java.util.Objects;

/**
 * What a time-to-convert histogram gave on a database: one row per bin, in order; none when nobody
 * reached the later step. Immutable.
 *
 * @param timeToConvert the histogram that was run
 * @param rows the bins
 */
public record TimeToConvertResult(TimeToConvert timeToConvert, List<Row> rows) {
  public TimeToConvertResult {
    Objects.requireNonNull(timeToConvert, "timeToConvert");
    rows = List.copyOf(rows);
  }

  /** All units counted, the sum of {@link Row#units()}. */
  public long units() {
    return rows.stream().mapToLong(Row::units).sum();
  }

  /**
   * One bin.
   *
   * @param bin 1-based position
   * @param fromSeconds the shortest time the bin holds (whole seconds)
   * @param toSeconds the bin's end: it holds times below it (the last bin holds it too)
   * @param units units whose time falls in the bin
   * @param share {@code units} / all units counted
   */
  public record Row(int bin, long fromSeconds, long toSeconds, long units, double share) {}
}
