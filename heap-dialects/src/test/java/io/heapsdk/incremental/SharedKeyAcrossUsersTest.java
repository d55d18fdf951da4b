package io.heapsdk.incremental;

import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.testing.LocalEngines;
import io.heapsdk.testing.Rows;
import io.heapsdk.warehouse.BuildPlan;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An event id held by two users: the dedup keeps the version with the latest time, whichever user it
 * belongs to. An incremental run reads only its active users' rows; when one of the two users is
 * active and the other is not, the active user's older version used to win among the rows the run
 * read, and the apply (keyed on the event id) moved the event to the wrong user. Now the users holding
 * a version of an id an active user holds are active too.
 *
 * <p>Such histories arise when Heap re-syncs an event under another user id (an identity merge) into a
 * table that keeps the old row. Found by {@code ReconcilePropertyTest} (seed 252700: two retroactive
 * events drew the same id).
 */
class SharedKeyAcrossUsersTest {
  private static final HeapConfig CONFIG =
      HeapConfig.builder().funnelEvents(List.of("a", "b", "c")).conversionEvents(List.of("b", "z")).build();

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"h2", "postgres", "duckdb"})
  void anEventHeldByTwoUsersStaysWithTheLatestVersion(String engine) throws Exception {
    try (TwinTargets db = new TwinTargets(CONFIG, LocalEngines.warehouse(engine), LocalEngines.open(engine, "heap_shared_key"))) {
      db.insert("sessions", Rows.session(100, 1, "2024-03-01T09:00:00", null, null, null, null),
          Rows.session(200, 2, "2024-03-01T10:00:00", null, null, null, null),
          Rows.session(300, 3, "2024-03-10T10:00:00", null, null, null, null));
      db.insert("pageviews", Rows.pageview(1, 1, 100, "2024-03-01T09:00:00", "/"),
          Rows.pageview(2, 2, 200, "2024-03-01T10:00:00", "/"),
          Rows.pageview(3, 3, 300, "2024-03-10T10:00:00", "/"));
      // event 7 under user 1 at 09:00 and under user 2 at 10:00: the 10:00 version (user 2) is the one
      // kept; user 3 puts the mark at March 10th, so March 1st is outside the 3-day lookback
      db.insert("all_events", Rows.event(7, 1, 100, "2024-03-01T09:00:00", "a"),
          Rows.event(7, 2, 200, "2024-03-01T10:00:00", "a"),
          Rows.event(8, 2, 200, "2024-03-01T10:01:00", "b"),
          Rows.event(9, 3, 300, "2024-03-10T10:00:00", "pageviews"));
      assertThat(db.runIncremental().mode()).isEqualTo(BuildPlan.Mode.FULL_REFRESH);
      // two days later user 1 comes back; user 2 does not
      db.insert("sessions", Rows.session(101, 1, "2024-03-12T09:00:00", null, null, null, null));
      db.insert("pageviews", Rows.pageview(4, 1, 101, "2024-03-12T09:00:00", "/"));
      db.insert("all_events", Rows.event(10, 1, 101, "2024-03-12T09:00:00", "c"));
      assertThat(db.runIncremental().mode()).isEqualTo(BuildPlan.Mode.INCREMENTAL);
      db.runFull();
      for (String fact : TwinTargets.FACTS) {
        assertThat(db.rows("inc", fact)).as(fact).isEqualTo(db.rows("full", fact));
      }
    }
  }

  /**
   * A chain: user 1 (active) and user 2 hold event 7, user 2's version wins; user 2 and user 3 hold
   * event 8, user 3's version wins. User 2 is recomputed because of event 7; the run must still see user
   * 3's version of event 8, although user 3 is neither active nor shares an id with user 1.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"h2", "postgres", "duckdb"})
  void idsSharedAlongAChainOfUsersKeepTheirLatestVersions(String engine) throws Exception {
    try (TwinTargets db = new TwinTargets(CONFIG, LocalEngines.warehouse(engine), LocalEngines.open(engine, "heap_shared_key"))) {
      db.insert("sessions", Rows.session(100, 1, "2024-03-01T09:00:00", null, null, null, null),
          Rows.session(200, 2, "2024-03-01T10:00:00", null, null, null, null),
          Rows.session(300, 3, "2024-03-01T11:00:00", null, null, null, null),
          Rows.session(400, 4, "2024-03-10T10:00:00", null, null, null, null));
      db.insert("pageviews", Rows.pageview(1, 1, 100, "2024-03-01T09:00:00", "/"),
          Rows.pageview(2, 2, 200, "2024-03-01T10:00:00", "/"),
          Rows.pageview(3, 3, 300, "2024-03-01T11:00:00", "/"),
          Rows.pageview(4, 4, 400, "2024-03-10T10:00:00", "/"));
      db.insert("all_events", Rows.event(7, 1, 100, "2024-03-01T09:00:00", "a"),
          Rows.event(7, 2, 200, "2024-03-01T10:00:00", "a"),
          Rows.event(8, 2, 200, "2024-03-01T10:01:00", "b"),
          Rows.event(8, 3, 300, "2024-03-01T11:01:00", "b"),
          Rows.event(11, 3, 300, "2024-03-01T11:02:00", "c"),
          Rows.event(9, 4, 400, "2024-03-10T10:00:00", "pageviews"));
      assertThat(db.runIncremental().mode()).isEqualTo(BuildPlan.Mode.FULL_REFRESH);
      // user 1 comes back; users 2 and 3 do not
      db.insert("sessions", Rows.session(101, 1, "2024-03-12T09:00:00", null, null, null, null));
      db.insert("pageviews", Rows.pageview(5, 1, 101, "2024-03-12T09:00:00", "/"));
      db.insert("all_events", Rows.event(10, 1, 101, "2024-03-12T09:00:00", "c"));
      assertThat(db.runIncremental().mode()).isEqualTo(BuildPlan.Mode.INCREMENTAL);
      db.runFull();
      for (String fact : TwinTargets.FACTS) {
        assertThat(db.rows("inc", fact)).as(fact).isEqualTo(db.rows("full", fact));
      }
    }
  }

  /**
   * The version that won vanishes (Heap re-synced it away): with {@code incremental.reconcile} its user
   * is recomputed, and the other user's older version of the id, which now wins, must reach the fact,
   * although the recomputed user no longer holds the id in any source.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"h2", "postgres", "duckdb"})
  void whenTheWinningVersionVanishesTheOtherVersionTakesItsPlace(String engine) throws Exception {
    HeapConfig reconciling = HeapConfig.builder().from(CONFIG).reconcile(true).build();
    try (TwinTargets db = new TwinTargets(reconciling, LocalEngines.warehouse(engine), LocalEngines.open(engine, "heap_shared_key"))) {
      db.insert("sessions", Rows.session(100, 1, "2024-03-01T09:00:00", null, null, null, null),
          Rows.session(200, 2, "2024-03-01T10:00:00", null, null, null, null),
          Rows.session(300, 3, "2024-03-10T10:00:00", null, null, null, null));
      db.insert("pageviews", Rows.pageview(1, 1, 100, "2024-03-01T09:00:00", "/"),
          Rows.pageview(2, 2, 200, "2024-03-01T10:00:00", "/"),
          Rows.pageview(3, 3, 300, "2024-03-10T10:00:00", "/"));
      // event 7: user 2's 10:00 version wins over user 1's 09:00 one
      db.insert("all_events", Rows.event(7, 1, 100, "2024-03-01T09:00:00", "a"),
          Rows.event(7, 2, 200, "2024-03-01T10:00:00", "a"),
          Rows.event(8, 2, 200, "2024-03-01T10:01:00", "b"),
          Rows.event(9, 3, 300, "2024-03-10T10:00:00", "pageviews"));
      assertThat(db.runIncremental().mode()).isEqualTo(BuildPlan.Mode.FULL_REFRESH);
      db.execute("DELETE FROM " + ReconcileTest.source(db, "all_events") + " WHERE " + db.warehouse.quote("event_id")
          + " = 7 AND " + db.warehouse.quote("user_id") + " = 2");
      assertThat(db.runIncremental().mode()).isEqualTo(BuildPlan.Mode.INCREMENTAL);
      db.runFull();
      for (String fact : TwinTargets.FACTS) {
        assertThat(db.rows("inc", fact)).as(fact).isEqualTo(db.rows("full", fact));
      }
    }
  }
}
