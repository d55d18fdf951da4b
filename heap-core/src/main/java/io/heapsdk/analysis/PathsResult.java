package io.heapsdk.analysis;

import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * What a paths analysis gave on a database: the most frequent paths, most frequent first. Nobody did
 * the anchor event, no rows. Immutable.
 *
 * @param paths the analysis that was run
 * @param rows the rows, by rank
 */
public record PathsResult(Paths paths, List<Row> rows) {
  public PathsResult {
    Objects.requireNonNull(paths, "paths");
    rows = List.copyOf(rows);
  }

  /**
   * One path.
   *
   * @param rank 1 for the most frequent
   * @param steps the {@link Paths#steps()} items in time order; NULL where the path is shorter (after its
   *     end, or before its start with {@link Paths.Direction#BEFORE})
   * @param count units (users or sessions) with this path
   * @param share {@code count} / all units that did the anchor event
   */
  public record Row(int rank, List<String> steps, long count, double share) {
    public Row {
      // not List.copyOf: a missing step is NULL
      steps = Collections.unmodifiableList(new java.util.ArrayList<>(steps));
    }
  }
}
