package io.heapsdk.incremental;

import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.config.HeapConfig;
import java.util.List;
import net.jqwik.api.Example;
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

  /** Heap in Snowflake, BigQuery and Redshift: merges rewrite user ids in the source tables. */
  @Property(tries = 200, shrinking = ShrinkingMode.OFF)
  void incrementalEqualsFullRefreshAfterEveryBatch(@ForAll long seed, @ForAll @IntRange(min = 3, max = 5) int batches)
      throws Exception {
    check(CONFIG, new RandomHistory(seed, true, CONFIG.lateArrivalLookbackDays()), seed, batches);
  }

  /**
   * S3-style sources: merges are only recorded, and the models follow user_migrations chains. A one-day
   * lookback and longer histories let merges age out of the lookback while their users stay active; an id
   * merged before is now and then merged again, into another user.
   */
  @Property(tries = 60, shrinking = ShrinkingMode.OFF)
  void sameWithIdentityResolution(@ForAll long seed, @ForAll @IntRange(min = 4, max = 7) int batches) throws Exception {
    HeapConfig resolving = HeapConfig.builder().from(CONFIG).resolveMigrations(true).lateArrivalLookbackDays(1).build();
    check(resolving, new RandomHistory(seed, false, 1).withReMerges(), seed, batches);
  }

  /**
   * The same with cycles in the merges: a user merged back into an id merged into it before (the
   * identity map resolves a cycle to the target of its latest merge).
   */
  @Property(tries = 20, shrinking = ShrinkingMode.OFF)
  void sameWithCyclesInTheMerges(@ForAll long seed, @ForAll @IntRange(min = 4, max = 7) int batches) throws Exception {
    HeapConfig resolving = HeapConfig.builder().from(CONFIG).resolveMigrations(true).lateArrivalLookbackDays(1).build();
    check(resolving, new RandomHistory(seed, false, 1).withReMerges().withCycles(), seed, batches);
  }

  /**
   * A history the property found (400 tries) before an id merged again made the user it became before
   * active: that user kept counting the id's pageviews in its sessions.
   */
  @Example
  void anIdMergedAgain() throws Exception {
    HeapConfig resolving = HeapConfig.builder().from(CONFIG).resolveMigrations(true).lateArrivalLookbackDays(1).build();
    check(resolving, new RandomHistory(429569L, false, 1).withReMerges(), 429569L, 6);
  }

  /**
   * The users fact too ({@code users.enabled}), which reads the sessions fact's recomputed rows, with
   * Heap's rewritten ids or resolving migrations (re-merges included).
   */
  @Property(tries = 40, shrinking = ShrinkingMode.OFF)
  void theUsersFactToo(@ForAll long seed, @ForAll @IntRange(min = 3, max = 6) int batches, @ForAll boolean resolving) throws Exception {
    HeapConfig users = HeapConfig.builder().from(CONFIG).usersEnabled(true).build();
    if (resolving) {
      HeapConfig config = HeapConfig.builder().from(users).resolveMigrations(true).lateArrivalLookbackDays(1).build();
      check(config, new RandomHistory(seed, false, 1).withReMerges(), seed, batches);
    } else {
      check(users, new RandomHistory(seed, true, users.lateArrivalLookbackDays()), seed, batches);
    }
  }

  private static void check(HeapConfig config, RandomHistory history, long seed, int batches) throws Exception {
    List<String> facts = new java.util.ArrayList<>(TwinTargets.FACTS);
    if (config.usersEnabled()) {
      facts.add(io.heapsdk.model.standard.StandardModels.USERS_FACT);
    }
    try (TwinTargets db = new TwinTargets(config)) {
      for (int k = 0; k < batches; k++) {
        history.addBatch(db, k);
        db.runIncremental();
        db.runFull();
        for (String fact : facts) {
          assertThat(db.rows("inc", fact)).as("seed %d, batch %d, %s", seed, k, fact).isEqualTo(db.rows("full", fact));
        }
      }
    }
  }
}
