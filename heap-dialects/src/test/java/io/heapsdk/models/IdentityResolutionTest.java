package io.heapsdk.models;

import static io.heapsdk.testing.Rows.at;
import static io.heapsdk.testing.Rows.event;
import static io.heapsdk.testing.Rows.pageview;
import static io.heapsdk.testing.Rows.session;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.testing.H2Db;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * identity.resolve_migrations on H2: user ids follow user_migrations chains to the id they finally
 * became, and a user's sessions are numbered and sessionized across all of its former ids.
 */
class IdentityResolutionTest {
  private static final HeapConfig CONFIG = HeapConfig.builder().resolveMigrations(true).build();

  @Test
  void chainsAreFollowedToTheLastId() {
    try (H2Db db = H2Db.create(CONFIG)) {
      // 1 became 2, then 2 became 3; 9 was never merged
      db.insert("user_migrations", new Object[] {1L, 2L, at("2024-01-02T00:00")}, new Object[] {2L, 3L, at("2024-01-03T00:00")});
      db.insert(
          "sessions",
          session(10, 1, "2024-01-01T10:00:00", null, null, null, null),
          session(20, 2, "2024-01-02T10:00:00", null, null, null, null),
          session(30, 3, "2024-01-03T10:00:00", null, null, null, null),
          session(90, 9, "2024-01-01T10:00:00", null, null, null, null));
      db.insert(
          "pageviews",
          pageview(1, 1, 10, "2024-01-01T10:00:00", "/anonymous"),
          pageview(2, 2, 20, "2024-01-01T10:20:00", "/same-session-other-id"),
          pageview(3, 3, 30, "2024-01-03T10:00:00", "/identified"),
          pageview(9, 9, 90, "2024-01-01T10:00:00", "/other"));
      db.insert("all_events", event(1, 1, 10, "2024-01-01T10:00:00", "pageviews"), event(9, 9, 90, "2024-01-01T10:00:00", "pageviews"));
      db.buildStandard();
      assertThat(db.table("stg_heap_sessions_inc_fct", "heap_session_id"))
          .extracting(r -> r.get("heap_session_id"), r -> r.get("heap_user_id"), r -> r.get("heap_session_sequence_num"))
          .containsExactly(tuple(10L, 3L, 1L), tuple(20L, 3L, 2L), tuple(30L, 3L, 3L), tuple(90L, 9L, 1L));
      // pageviews 1 and 2 were 20 minutes apart under two anonymous ids: one session of user 3
      assertThat(db.table("stg_heap_pageview_sessions_inc_fct", "heap_pageview_id"))
          .extracting(r -> r.get("heap_pageview_id"), r -> r.get("heap_user_id"), r -> r.get("heap_pageview_session_id"))
          .containsExactly(tuple(1L, 3L, "3_1"), tuple(2L, 3L, "3_1"), tuple(3L, 3L, "3_2"), tuple(9L, 9L, "9_1"));
      assertThat(db.table("stg_heap_events_all_inc_fct", "heap_event_id")).extracting(r -> r.get("heap_user_id")).containsExactly(3L, 9L);
    }
  }

  /**
   * Cycles have no last id: the latest merge of the cycle wins. Expected ids worked out by hand from
   * the merges' times (README "Identity").
   */
  @Test
  void aCycleResolvesToTheTargetOfItsLatestMerge() {
    try (H2Db db = H2Db.create(CONFIG)) {
      db.insert(
          "user_migrations",
          // two ids merged into each other: the later merge, 2→1, wins
          new Object[] {1L, 2L, at("2024-01-02T00:00")},
          new Object[] {2L, 1L, at("2024-01-03T00:00")},
          // three: the latest is 12→13, though 13→11 comes after it along the loop
          new Object[] {11L, 12L, at("2024-01-02T00:00")},
          new Object[] {12L, 13L, at("2024-01-04T00:00")},
          new Object[] {13L, 11L, at("2024-01-03T00:00")},
          // a chain 21→22→23→24 closed by a later 24→21: the whole chain becomes 21
          new Object[] {21L, 22L, at("2024-01-01T00:00")},
          new Object[] {22L, 23L, at("2024-01-02T00:00")},
          new Object[] {23L, 24L, at("2024-01-03T00:00")},
          new Object[] {24L, 21L, at("2024-01-05T00:00")},
          // a chain into a loop: the loop's latest merge (33→32) wins, not the chain's later 31→32
          new Object[] {31L, 32L, at("2024-01-09T00:00")},
          new Object[] {32L, 33L, at("2024-01-02T00:00")},
          new Object[] {33L, 32L, at("2024-01-03T00:00")},
          // the same time both ways: the merge of the greater id (42→41) counts as the later
          new Object[] {41L, 42L, at("2024-01-02T10:00")},
          new Object[] {42L, 41L, at("2024-01-02T10:00")},
          // merged into itself
          new Object[] {51L, 51L, at("2024-01-02T00:00")},
          // a merge without a time is earlier than any with one (62→61 wins); between two without,
          // the greater id's (72→71)
          new Object[] {61L, 62L, null},
          new Object[] {62L, 61L, at("2024-01-02T00:00")},
          new Object[] {71L, 72L, null},
          new Object[] {72L, 71L, null});
      assertThat(usersOfOneEventEach(db, 1, 2, 11, 12, 13, 21, 22, 23, 24, 31, 32, 33, 41, 42, 51, 60, 61, 62, 71, 72))
          .containsExactly(1L, 1L, 13L, 13L, 13L, 21L, 21L, 21L, 21L, 32L, 32L, 32L, 41L, 41L, 51L, 60L, 61L, 61L, 71L, 71L);
    }
  }

  @Test
  void aMergeWithoutEitherIdIsIgnored() {
    try (H2Db db = H2Db.create(CONFIG)) {
      db.insert(
          "user_migrations",
          // 1 became 2; a later row from 1 without a target must not cut 1 loose from 2
          new Object[] {1L, 2L, at("2024-01-02T00:00")},
          new Object[] {1L, null, at("2024-01-03T00:00")},
          // 11 became 12, 12 a later row without a target: 11 and 12 both stay with 12 (as before)
          new Object[] {11L, 12L, at("2024-01-02T00:00")},
          new Object[] {12L, null, at("2024-01-03T00:00")},
          // a row without a merged-away id merges nothing (21 stays 21; it never matched an id before either)
          new Object[] {null, 21L, at("2024-01-02T00:00")},
          // only a row without a target: 31 stays 31
          new Object[] {31L, null, at("2024-01-02T00:00")});
      assertThat(usersOfOneEventEach(db, 1, 2, 11, 12, 21, 31)).containsExactly(2L, 2L, 12L, 12L, 21L, 31L);
    }
  }

  @Test
  void longChainsAreFollowed() {
    // 40 merges in a row, 1→2→…→41 merged in that order; and 101→…→141 merged backwards (the last
    // merge first). Path doubling with five steps follows 32; an id further from the end becomes the
    // target of the latest of the 32 merges after the 32nd (README "Identity", the documented limit)
    List<Object[]> merges = new ArrayList<>();
    for (long u = 1; u <= 40; u++) {
      merges.add(new Object[] {u, u + 1, at("2024-01-01T00:00").plusMinutes(u)});
      merges.add(new Object[] {100 + u, 100 + u + 1, at("2024-01-01T00:00").minusMinutes(u)});
    }
    try (H2Db db = H2Db.create(CONFIG)) {
      db.insert("user_migrations", merges.toArray(Object[][]::new));
      db.insert(
          "all_events",
          event(1, 1, 10, "2024-01-01T10:00:00", "a"),
          event(2, 9, 10, "2024-01-01T10:00:00", "a"),
          event(3, 101, 10, "2024-01-01T10:00:00", "a"),
          event(4, 109, 10, "2024-01-01T10:00:00", "a"));
      db.buildStandard();
      assertThat(db.table("stg_heap_events_all_inc_fct", "heap_event_id"))
          .extracting(r -> r.get("heap_user_id"))
          .as("9 and 109 are 32 merges from the end; 1 is 40, and the latest merge after 33 is the last (40→41);"
              + " 101 is 40, and the latest merge after 133 is 133→134")
          .containsExactly(41L, 41L, 134L, 141L);
    }
  }

  /** One event for each of {@code users}, in that order; the standard models built; each event's user in the fact. */
  private static List<Object> usersOfOneEventEach(H2Db db, long... users) {
    Object[][] events = new Object[users.length][];
    for (int i = 0; i < users.length; i++) {
      events[i] = event(i + 1, users[i], 100 + i, "2024-01-01T10:00:00", "a");
    }
    db.insert("all_events", events);
    db.buildStandard();
    return db.table("stg_heap_events_all_inc_fct", "heap_event_id").stream().map(r -> r.get("heap_user_id")).toList();
  }
}
