package io.heapsdk.incremental;

import static io.heapsdk.testing.Rows.event;
import static io.heapsdk.testing.Rows.pageview;
import static io.heapsdk.testing.Rows.session;
import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.analysis.Funnel;
import io.heapsdk.analysis.FunnelResult;
import io.heapsdk.config.HeapConfig;
import io.heapsdk.run.AnalysisRunner;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Source rows without a user id, which Heap's {@code not_null} tests report: they belong to no user, and
 * an incremental run, which recomputes users, can neither add nor remove them. A full refresh kept them
 * in the events fact (and sessionized them as one user) while incremental runs left the later ones out,
 * so the two disagreed; and the funnels pooled every such event into one user, who entered and
 * converted. Now no fact holds them, after a full refresh as after incremental runs, and no user's rows
 * are shaped by them.
 */
class RowsWithoutAUserTest {
  private static final HeapConfig CONFIG = HeapConfig.builder().funnelEvents(List.of("view", "cart", "buy")).build();

  /** The row with its user id (second column of every Heap table) NULL. */
  static Object[] nobody(Object[] row) {
    row[1] = null;
    return row;
  }

  @Test
  void noFactHoldsThemAndIncrementalRunsAgreeWithAFullRefresh() throws Exception {
    try (TwinTargets db = new TwinTargets(CONFIG)) {
      // user 1 views in session 11; three events, a pageview and a session without a user
      db.insert("sessions", session(11, 1, "2024-03-01T09:59:00", null, null, null, null), nobody(session(91, 0, "2024-03-01T09:59:00", null, null, null, null)));
      db.insert("pageviews", pageview(11, 1, 11, "2024-03-01T10:00:00", "/a"), nobody(pageview(901, 0, 91, "2024-03-01T10:00:00", "/x")));
      db.insert(
          "all_events",
          event(11, 1, 11, "2024-03-01T10:00:00", "view"),
          nobody(event(901, 0, 91, "2024-03-01T10:00:00", "view")),
          nobody(event(902, 0, 92, "2024-03-01T11:00:00", "cart")),
          nobody(event(903, 0, 93, "2024-03-01T12:00:00", "buy")));
      db.runIncremental();
      db.runFull();
      // a later batch: user 1 again, and more rows without a user, late and new
      db.insert("all_events", event(12, 1, 11, "2024-03-01T10:05:00", "cart"), nobody(event(904, 0, 94, "2024-03-01T10:30:00", "view")));
      db.insert("pageviews", nobody(pageview(902, 0, 91, "2024-03-01T10:01:00", "/y")));
      // user 1 only: no NULL among the active users (it would make "user NOT IN (active users)" unknown)
      assertThat(db.runIncremental().recomputedUsers()).hasValue(1);
      db.runFull();
      for (String fact : TwinTargets.FACTS) {
        List<String> full = db.rows("full", fact);
        assertThat(db.rows("inc", fact)).as(fact).isEqualTo(full);
        assertThat(full).as(fact).isNotEmpty().allMatch(row -> row.toLowerCase(java.util.Locale.ROOT).contains("heap_user_id=1 "));
      }
      // user 1's own numbering: their view and cart only (the unowned view at the same time takes no place)
      assertThat(db.rows("full", "stg_heap_events_all_inc_fct")).hasSize(2);

      // the funnel over the facts: user 1 entered and reached cart; nobody bought
      List<Long> reached =
          new AnalysisRunner(db.warehouse, TwinTargets.inc(CONFIG))
              .run(Funnel.builder().step("view").step("cart").step("buy").build(), db.connection).rows().stream()
              .map(FunnelResult.Row::entered).toList();
      assertThat(reached).containsExactly(1L, 1L, 0L);
    }
  }

  /**
   * A fact built before the facts dropped such rows keeps them until its next full refresh: the funnel
   * leaves them out itself. Here they are put into the fact by hand.
   */
  @Test
  void aFunnelLeavesOutEventsWithoutAUserInAnOlderFact() throws Exception {
    try (TwinTargets db = new TwinTargets(CONFIG)) {
      db.insert("sessions", session(11, 1, "2024-03-01T09:59:00", null, null, null, null));
      db.insert("all_events", event(11, 1, 11, "2024-03-01T10:00:00", "view"));
      db.runIncremental();
      String fact = db.warehouse.qualified(java.util.Optional.empty(), "inc", "stg_heap_events_all_inc_fct");
      for (String[] e : List.of(new String[] {"901", "10:00", "view"}, new String[] {"902", "11:00", "cart"}, new String[] {"903", "12:00", "buy"})) {
        db.execute(
            "INSERT INTO " + fact + " (" + String.join(", ", List.of("heap_event_id", "heap_user_id", "heap_session_id", "heap_event_name", "heap_event_time").stream().map(db.warehouse::quote).toList()) + ")"
                + " VALUES (" + e[0] + ", NULL, " + e[0] + ", '" + e[2] + "', TIMESTAMP '2024-03-01 " + e[1] + ":00')");
      }
      List<Long> reached =
          new AnalysisRunner(db.warehouse, TwinTargets.inc(CONFIG))
              .run(Funnel.builder().step("view").step("cart").step("buy").build(), db.connection).rows().stream()
              .map(FunnelResult.Row::entered).toList();
      assertThat(reached).containsExactly(1L, 0L, 0L);
    }
  }
}
