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
 * Ids held by several users: the dedup keeps the version with the latest time, whichever user it
 * belongs to. An incremental run reads its active users' rows; when one holder of an id is active and
 * another is not, the active user's older version used to win among the rows the run read, and the
 * apply (keyed on the event id) moved the event to the wrong user. Now the holders of an id an active
 * user holds are active too, and the dedup reads every version of the active users' ids (so a chain of
 * shared ids keeps its latest versions), and a reconciling run also reaches the holder of an id whose
 * winning version vanished.
 *
 * <p>Such histories arise when Heap re-syncs an event under another user id (an identity merge) into a
 * table that keeps the old row. Found by {@code ReconcilePropertyTest} (seed 252700: two retroactive
 * events drew the same id); the chain and the vanished version by reasoning, then by the property's
 * histories with copied ids.
 */
class SharedKeyAcrossUsersTest {
  private static final HeapConfig CONFIG =
      HeapConfig.builder().funnelEvents(List.of("a", "b", "c")).conversionEvents(List.of("b", "z")).build();

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"h2", "postgres", "duckdb"})
  void anEventHeldByTwoUsersStaysWithTheLatestVersion(String engine) throws Exception {
    try (TwinTargets db = open(engine, CONFIG)) {
      visit(db, 1, 100, 1, "2024-03-01T09:00:00");
      visit(db, 2, 200, 2, "2024-03-01T10:00:00");
      visit(db, 3, 300, 3, "2024-03-10T10:00:00");
      // event 7 under user 1 at 09:00 and under user 2 at 10:00: the 10:00 version (user 2) is the one
      // kept; user 3 puts the mark at March 10th, so March 1st is outside the 3-day lookback
      db.insert("all_events", Rows.event(7, 1, 100, "2024-03-01T09:00:00", "a"),
          Rows.event(7, 2, 200, "2024-03-01T10:00:00", "a"),
          Rows.event(8, 2, 200, "2024-03-01T10:01:00", "b"),
          Rows.event(9, 3, 300, "2024-03-10T10:00:00", "pageviews"));
      assertThat(db.runIncremental().mode()).isEqualTo(BuildPlan.Mode.FULL_REFRESH);
      // two days later user 1 comes back; user 2 does not
      userOneComesBack(db);
      assertIncrementalRunEqualsFullRefresh(db);
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
    try (TwinTargets db = open(engine, CONFIG)) {
      visit(db, 1, 100, 1, "2024-03-01T09:00:00");
      visit(db, 2, 200, 2, "2024-03-01T10:00:00");
      visit(db, 3, 300, 3, "2024-03-01T11:00:00");
      visit(db, 4, 400, 4, "2024-03-10T10:00:00");
      db.insert("all_events", Rows.event(7, 1, 100, "2024-03-01T09:00:00", "a"),
          Rows.event(7, 2, 200, "2024-03-01T10:00:00", "a"),
          Rows.event(8, 2, 200, "2024-03-01T10:01:00", "b"),
          Rows.event(8, 3, 300, "2024-03-01T11:01:00", "b"),
          Rows.event(11, 3, 300, "2024-03-01T11:02:00", "c"),
          Rows.event(9, 4, 400, "2024-03-10T10:00:00", "pageviews"));
      assertThat(db.runIncremental().mode()).isEqualTo(BuildPlan.Mode.FULL_REFRESH);
      // user 1 comes back; users 2 and 3 do not
      userOneComesBack(db);
      assertIncrementalRunEqualsFullRefresh(db);
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
    try (TwinTargets db = open(engine, HeapConfig.builder().from(CONFIG).reconcile(true).build())) {
      visit(db, 1, 100, 1, "2024-03-01T09:00:00");
      visit(db, 2, 200, 2, "2024-03-01T10:00:00");
      visit(db, 3, 300, 3, "2024-03-10T10:00:00");
      // event 7: user 2's 10:00 version wins over user 1's 09:00 one
      db.insert("all_events", Rows.event(7, 1, 100, "2024-03-01T09:00:00", "a"),
          Rows.event(7, 2, 200, "2024-03-01T10:00:00", "a"),
          Rows.event(8, 2, 200, "2024-03-01T10:01:00", "b"),
          Rows.event(9, 3, 300, "2024-03-10T10:00:00", "pageviews"));
      assertThat(db.runIncremental().mode()).isEqualTo(BuildPlan.Mode.FULL_REFRESH);
      db.execute("DELETE FROM " + ReconcileTest.source(db, "all_events") + " WHERE " + db.warehouse.quote("event_id")
          + " = 7 AND " + db.warehouse.quote("user_id") + " = 2");
      assertIncrementalRunEqualsFullRefresh(db);
    }
  }

  /**
   * An event under user 2 names user 1's session (re-synced under another user id than its session's):
   * the sessions fact counts it in user 1's session, by the session's id. User 1 comes back, user 2 does
   * not: the run must still count user 2's event in user 1's session.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"h2", "postgres", "duckdb"})
  void anEventNamingAnotherUsersSessionIsCountedInIt(String engine) throws Exception {
    try (TwinTargets db = open(engine, CONFIG)) {
      visit(db, 1, 100, 1, "2024-03-01T09:00:00");
      visit(db, 2, 200, 2, "2024-03-01T10:00:00");
      visit(db, 3, 300, 3, "2024-03-10T10:00:00");
      db.insert("all_events", Rows.event(7, 1, 100, "2024-03-01T09:01:00", "a"),
          Rows.event(8, 2, 100, "2024-03-01T09:02:00", "b"),
          Rows.event(9, 3, 300, "2024-03-10T10:00:00", "pageviews"));
      assertThat(db.runIncremental().mode()).isEqualTo(BuildPlan.Mode.FULL_REFRESH);
      userOneComesBack(db);
      assertIncrementalRunEqualsFullRefresh(db);
    }
  }

  /**
   * User 2 is recomputed only because they share event 7 with user 1, who comes back; user 2's session
   * 200 is named by an event of user 3, who is not recomputed (an event re-synced under another user id
   * than its session's). The session's counts must still include user 3's event.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"h2", "postgres", "duckdb"})
  void aRecomputedSessionCountsTheEventsOfUsersTheRunLeavesAlone(String engine) throws Exception {
    try (TwinTargets db = open(engine, CONFIG)) {
      visit(db, 1, 100, 1, "2024-03-01T09:00:00");
      visit(db, 2, 200, 2, "2024-03-01T10:00:00");
      visit(db, 3, 300, 3, "2024-03-01T11:00:00");
      visit(db, 4, 400, 4, "2024-03-10T10:00:00");
      db.insert("all_events", Rows.event(7, 1, 100, "2024-03-01T09:00:00", "a"),
          Rows.event(7, 2, 200, "2024-03-01T10:00:00", "a"),
          Rows.event(8, 3, 200, "2024-03-01T10:05:00", "b"),
          Rows.event(9, 4, 400, "2024-03-10T10:00:00", "pageviews"));
      assertThat(db.runIncremental().mode()).isEqualTo(BuildPlan.Mode.FULL_REFRESH);
      userOneComesBack(db);
      assertIncrementalRunEqualsFullRefresh(db);
    }
  }

  private static TwinTargets open(String engine, HeapConfig config) throws Exception {
    return new TwinTargets(config, LocalEngines.warehouse(engine), LocalEngines.open(engine, "heap_shared_key"));
  }

  /** A session of {@code user} starting at {@code time}, with its landing pageview. */
  private static void visit(TwinTargets db, long user, long session, long pageview, String time) {
    db.insert("sessions", Rows.session(session, user, time, null, null, null, null));
    db.insert("pageviews", Rows.pageview(pageview, user, session, time, "/"));
  }

  /** User 1 on March 12th: a new session, pageview and event. */
  private static void userOneComesBack(TwinTargets db) {
    visit(db, 1, 101, 5, "2024-03-12T09:00:00");
    db.insert("all_events", Rows.event(10, 1, 101, "2024-03-12T09:00:00", "c"));
  }

  private static void assertIncrementalRunEqualsFullRefresh(TwinTargets db) {
    assertThat(db.runIncremental().mode()).isEqualTo(BuildPlan.Mode.INCREMENTAL);
    db.runFull();
    for (String fact : TwinTargets.FACTS) {
      assertThat(db.rows("inc", fact)).as(fact).isEqualTo(db.rows("full", fact));
    }
  }
}
