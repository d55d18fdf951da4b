package io.heapsdk.incremental;

import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.config.HeapConfig;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.IntRange;

/**
 * The invariant of SPEC §3, as a property: for random histories of three to five batches, after every
 * batch the incrementally built facts hold exactly the rows of a full refresh. A failure reports the
 * seed and batch count; rerun one with {@code @Property(seed = "...")} or put them in an {@code @Example}.
 */
class IncrementalPropertyTest {
  private static final HeapConfig CONFIG =
      HeapConfig.builder()
          .funnelEvents(List.of("a", "b", "c"))
          .conversionEvents(List.of("b", "z"))
          .ownDomain("example.com")
          .build();

  @Property(tries = 200, shrinking = ShrinkingMode.OFF)
  void incrementalEqualsFullRefreshAfterEveryBatch(@ForAll long seed, @ForAll @IntRange(min = 3, max = 5) int batches)
      throws Exception {
    RandomHistory history = new RandomHistory(seed);
    try (TwinTargets db = new TwinTargets(CONFIG)) {
      for (int k = 0; k < batches; k++) {
        history.addBatch(db, k);
        db.runIncremental();
        db.runFull();
        for (String fact : TwinTargets.FACTS) {
          assertThat(db.rows("inc", fact)).as("seed %d, batch %d, %s", seed, k, fact).isEqualTo(db.rows("full", fact));
        }
      }
    }
  }
}
