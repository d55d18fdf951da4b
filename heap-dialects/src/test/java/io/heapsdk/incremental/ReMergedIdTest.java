package io.heapsdk.incremental;

import static io.heapsdk.testing.Rows.event;
import static io.heapsdk.testing.Rows.pageview;
import static io.heapsdk.testing.Rows.session;
import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.testing.LocalEngines;
import io.heapsdk.warehouse.Warehouse;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Identity resolution on, an id merged again: a later {@code user_migrations} row from an id that was
 * merged before (the identity map follows the latest row). The user the id became before must be
 * recomputed, though none of its rows is new: its facts held the id's sessions, and its session numbers
 * counted them. An incremental run moved the id's rows to their new user and left the former one
 * numbering its own sessions after them, with exit 0, also in a reconciling run (the former user's own
 * rows, and so its fingerprints, do not change); found by a probe that operated a PostgreSQL schema for
 * sixty simulated days. Each case is checked against a full refresh.
 *
 * <p>Ids: A = 1 (two anonymous sessions on January 1 and 2), B = 2, C = 3, D = 4, E = 5 (one session
 * each); user 9 is active on January 15, so that the first merges lie behind the next run's lookback.
 */
class ReMergedIdTest {
  private static final HeapConfig RESOLVING = HeapConfig.builder().resolveMigrations(true).build();

  /** A became B; later A became C: B's sessions are numbered from 1 again. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"h2", "duckdb", "postgres"})
  void theUserAnIdBecameBeforeIsRecomputed(String engine) throws Exception {
    check(engine, "heap_remerged", RESOLVING, List.<Object[]>of(merge(1, 2, "2024-01-05T10:01:00")), List.<Object[]>of(merge(1, 3, "2024-01-20T10:01:00")));
  }

  /** A became B, B became C, E became A (all in C); later A became D: C keeps only B's and C's own. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"h2", "duckdb", "postgres"})
  void theEndOfTheChainAnIdLeftIsRecomputed(String engine) throws Exception {
    check(
        engine, "heap_remerged_chain", RESOLVING,
        List.<Object[]>of(merge(1, 2, "2024-01-05T10:01:00"), merge(2, 3, "2024-01-06T10:01:00"), merge(5, 1, "2024-01-07T10:01:00")),
        List.<Object[]>of(merge(1, 4, "2024-01-20T10:01:00")));
  }

  /** A became B, B became C; later B (the middle of the chain) became D: C keeps only its own. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"h2", "duckdb", "postgres"})
  void theEndOfTheChainAMiddleIdLeftIsRecomputed(String engine) throws Exception {
    check(
        engine, "heap_remerged_middle", RESOLVING,
        List.<Object[]>of(merge(1, 2, "2024-01-05T10:01:00"), merge(2, 3, "2024-01-06T10:01:00")),
        List.<Object[]>of(merge(2, 4, "2024-01-20T10:01:00")));
  }

  /** The first case in a reconciling run, whose fingerprints did not see it either. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"h2", "duckdb"})
  void soInAReconcilingRun(String engine) throws Exception {
    HeapConfig reconciling = HeapConfig.builder().from(RESOLVING).reconcile(true).build();
    check(engine, "heap_remerged_reconcile", reconciling, List.<Object[]>of(merge(1, 2, "2024-01-05T10:01:00")), List.<Object[]>of(merge(1, 3, "2024-01-20T10:01:00")));
  }

  private static void check(String engine, String database, HeapConfig config, List<Object[]> before, List<Object[]> later)
      throws Exception {
    Warehouse w = LocalEngines.warehouse(engine);
    try (TwinTargets db = new TwinTargets(config, w, LocalEngines.open(engine, database))) {
      List<Object[]> sessions = new ArrayList<>();
      List<Object[]> pageviews = new ArrayList<>();
      List<Object[]> events = new ArrayList<>();
      // A's two sessions, then one each for B, C, D, E, and user 9's, the newest
      long[][] users = {{1, 11, 1}, {1, 12, 2}, {2, 21, 5}, {3, 31, 6}, {4, 41, 7}, {5, 51, 3}, {9, 91, 15}};
      for (long[] u : users) {
        String time = String.format("2024-01-%02dT10:00:00", u[2]);
        sessions.add(session(u[1], u[0], time, null, null, null, null));
        pageviews.add(pageview(u[1] * 10, u[0], u[1], time, "/p" + u[0]));
        events.add(event(u[1] * 10, u[0], u[1], time, "pageviews"));
      }
      db.insert("sessions", sessions);
      db.insert("pageviews", pageviews);
      db.insert("all_events", events);
      db.insert("user_migrations", before);
      db.runIncremental();
      db.runFull();
      assertSame(db, "after the first merges");

      // January 20: user 9 comes back (none of the merged ids has a new session), and the later merge
      db.insert("sessions", session(92, 9, "2024-01-20T10:00:00", null, null, null, null));
      db.insert("pageviews", pageview(920, 9, 92, "2024-01-20T10:00:00", "/p9"));
      db.insert("all_events", event(920, 9, 92, "2024-01-20T10:00:00", "pageviews"));
      db.insert("user_migrations", later);
      db.runIncremental();
      db.runFull();
      assertSame(db, "after the later merge");
    }
  }

  private static void assertSame(TwinTargets db, String when) {
    for (String fact : TwinTargets.FACTS) {
      assertThat(db.rows("inc", fact)).as("%s, %s", fact, when).isEqualTo(db.rows("full", fact));
    }
  }

  private static Object[] merge(long from, long to, String time) {
    return new Object[] {from, to, LocalDateTime.parse(time)};
  }
}
