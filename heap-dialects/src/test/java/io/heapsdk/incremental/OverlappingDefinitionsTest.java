package io.heapsdk.incremental;

import static io.heapsdk.testing.Rows.event;
import static io.heapsdk.testing.Rows.session;
import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.analysis.Funnel;
import io.heapsdk.analysis.FunnelResult;
import io.heapsdk.config.HeapConfig;
import io.heapsdk.run.AnalysisRunner;
import io.heapsdk.testing.LocalEngines;
import io.heapsdk.warehouse.Warehouse;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One Heap event under several {@code event_table_name}s: Heap writes an {@code all_events} row per event
 * and event definition it matches, all with its {@code event_id} and time (a pageview and the defined
 * event built on it; a click that is both "Click CTA" and "Click CTA – Homepage"), and documents the key
 * {@code user_id, event_id, event_table_name}
 * (https://help.heap.io/heap-connect/heap-connect-faqs/why-are-there-duplicate-event-ids-in-the-all-events-view-in-my-data-warehouse/).
 * The events fact keeps one row per id (SPEC §2): a funnel or conversion event's row, then a counted
 * {@code pageviews} row, then another definition's, then an uncounted {@code pageviews} row, a row
 * without a name last; within a name its latest version. The rows expected below are worked out by hand
 * from that rule. Before it, the latest time and then the name first in sort order won: the pageview
 * row beat {@code view_product}, and the step counted nobody.
 */
class OverlappingDefinitionsTest {
  private static final HeapConfig CONFIG =
      HeapConfig.builder()
          .funnelEvents(List.of("view_product", "click_cta_homepage", "add_to_cart"))
          .conversionEvents(List.of("purchase"))
          .build();

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"h2", "duckdb", "postgres"})
  void theFactKeepsTheRowOfTheDefinitionTheProjectCounts(String engine) throws Exception {
    Warehouse w = LocalEngines.warehouse(engine);
    try (TwinTargets db = new TwinTargets(CONFIG, w, LocalEngines.open(engine, "heap_overlap"))) {
      db.insert("sessions", session(11, 1, "2024-03-01T09:59:00", null, null, null, null));
      db.insert(
          "all_events",
          // a pageview and the funnel step defined on it
          event(1, 1, 11, "2024-03-01T10:00:00", "pageviews"),
          event(1, 1, 11, "2024-03-01T10:00:00", "view_product"),
          // a broad click definition and the narrow one the funnel uses (the broad one sorts first)
          event(2, 1, 11, "2024-03-01T10:01:00", "click_cta"),
          event(2, 1, 11, "2024-03-01T10:01:00", "click_cta_homepage"),
          // a pageview and a definition nobody counts: the definition, which says more
          event(3, 1, 11, "2024-03-01T10:02:00", "pageviews"),
          event(3, 1, 11, "2024-03-01T10:02:00", "zz_landing_view"),
          // two counted definitions: one row only, the first in order (the limit of one row per id)
          event(4, 1, 11, "2024-03-01T10:03:00", "add_to_cart"),
          event(4, 1, 11, "2024-03-01T10:03:00", "purchase"),
          // the pageview row a minute later: two names are not two versions, the definition stays
          event(5, 1, 11, "2024-03-01T10:04:00", "view_product"),
          event(5, 1, 11, "2024-03-01T10:05:00", "pageviews"),
          event(6, 1, 11, "2024-03-01T10:06:00", "pageviews"),
          // within a name, its latest version: the step resent a minute later
          event(8, 1, 11, "2024-03-01T10:20:00", "view_product"),
          event(8, 1, 11, "2024-03-01T10:21:00", "view_product"),
          event(8, 1, 11, "2024-03-01T10:22:00", "pageviews"),
          // a row without a name loses to the pageview row
          event(9, 1, 11, "2024-03-01T10:30:00", null),
          event(9, 1, 11, "2024-03-01T10:30:00", "pageviews"));
      db.runIncremental();
      assertThat(events(db, "inc"))
          .containsExactly(
              "1 view_product 1 false",
              "2 click_cta_homepage 2 false",
              "3 zz_landing_view 0 false",
              "4 add_to_cart 3 false",
              "5 view_product 1 false",
              "6 pageviews 0 false",
              "8 view_product 1 false",
              "9 pageviews 0 false");
      assertThat(
              select(
                  db,
                  "SELECT COUNT(*) FROM " + w.qualified(Optional.empty(), "inc", "stg_heap_events_all_inc_fct") + " WHERE "
                      + w.quote("heap_event_id") + " = 8 AND " + w.quote("heap_event_time") + " = " + w.timestampLiteral("2024-03-01 10:21:00")))
          .containsExactly("1");
      // the funnel steps in the session: view_product 3 times (ids 1, 5, 8), the others once
      assertThat(
              select(
                  db,
                  "SELECT " + w.quote("heap_session_funnel_step_1_cnt") + ", " + w.quote("heap_session_funnel_step_2_cnt") + ", "
                      + w.quote("heap_session_funnel_step_3_cnt") + " FROM "
                      + w.qualified(Optional.empty(), "inc", "stg_heap_sessions_inc_fct")))
          .containsExactly("3 1 1");
      List<Long> entered =
          new AnalysisRunner(w, TwinTargets.inc(CONFIG))
              .run(Funnel.builder().step("view_product").step("click_cta_homepage").step("add_to_cart").build(), db.connection).rows().stream()
              .map(FunnelResult.Row::entered)
              .toList();
      assertThat(entered).containsExactly(1L, 1L, 1L);

      // a later batch: a pageview of the product page, under both names, found by an incremental run
      // as by a full refresh
      db.insert(
          "all_events",
          event(7, 1, 11, "2024-03-01T10:10:00", "pageviews"),
          event(7, 1, 11, "2024-03-01T10:10:00", "view_product"));
      db.runIncremental();
      db.runFull();
      assertThat(events(db, "inc")).contains("7 view_product 1 false");
      for (String fact : TwinTargets.FACTS) {
        assertThat(db.rows("inc", fact)).as(fact).isEqualTo(db.rows("full", fact));
      }
    }
  }

  /**
   * {@code pageviews} itself a funnel step: a counted definition still goes first, and the pageview row
   * before a definition nobody counts.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"h2", "duckdb", "postgres"})
  void aCountedPageviewsStepComesAfterTheOtherCountedNames(String engine) throws Exception {
    HeapConfig config = HeapConfig.builder().funnelEvents(List.of("pageviews", "view_product")).build();
    try (TwinTargets db = new TwinTargets(config, LocalEngines.warehouse(engine), LocalEngines.open(engine, "heap_overlap_pv"))) {
      db.insert("sessions", session(11, 1, "2024-03-01T09:59:00", null, null, null, null));
      db.insert(
          "all_events",
          event(1, 1, 11, "2024-03-01T10:00:00", "pageviews"),
          event(1, 1, 11, "2024-03-01T10:00:00", "view_product"),
          event(2, 1, 11, "2024-03-01T10:01:00", "pageviews"),
          event(2, 1, 11, "2024-03-01T10:01:00", "a_landing_view"));
      db.runIncremental();
      assertThat(events(db, "inc")).containsExactly("1 view_product 2 false", "2 pageviews 1 false");
    }
  }

  private static List<String> events(TwinTargets db, String schema) throws Exception {
    Warehouse w = db.warehouse;
    return select(
        db,
        "SELECT " + w.quote("heap_event_id") + ", " + w.quote("heap_event_name") + ", " + w.quote("heap_event_funnel_position") + ", "
            + w.quote("heap_event_is_conversion") + " FROM " + w.qualified(Optional.empty(), schema, "stg_heap_events_all_inc_fct")
            + " ORDER BY " + w.quote("heap_event_id"));
  }

  private static List<String> select(TwinTargets db, String sql) throws Exception {
    List<String> lines = new ArrayList<>();
    try (Statement s = db.connection.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<String> values = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          values.add(String.valueOf(rs.getObject(i)));
        }
        lines.add(String.join(" ", values));
      }
    }
    return lines;
  }
}
