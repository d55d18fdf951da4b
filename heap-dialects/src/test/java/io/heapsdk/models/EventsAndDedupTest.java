package io.heapsdk.models;

import static io.heapsdk.testing.Rows.at;
import static io.heapsdk.testing.Rows.event;
import static io.heapsdk.testing.Rows.pageview;
import static io.heapsdk.testing.Rows.session;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.testing.H2Db;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Deduplication (SPEC §2) and the events fact's funnel position and conversion flag, on H2. */
class EventsAndDedupTest {
  private static final HeapConfig CONFIG =
      HeapConfig.builder().funnelEvents(List.of("a", "b", "c")).conversionEvents(List.of("b", "z")).build();

  @Test
  void funnelPositionConversionFlagAndSessionSequence() {
    try (H2Db db = H2Db.create(CONFIG)) {
      db.insert(
          "all_events",
          event(1, 10, 100, "2024-01-01T10:00:00", "a"),
          event(2, 10, 100, "2024-01-01T10:01:00", "b"),
          event(3, 10, 100, "2024-01-01T10:02:00", "z"), // a conversion that is not a funnel step
          event(5, 10, 100, "2024-01-01T10:03:00", "c"),
          event(4, 10, 100, "2024-01-01T10:03:00", "pageviews"), // same time as 5: ordered by id
          event(6, 10, 101, "2024-01-02T08:00:00", "A"), // names are compared exactly
          event(7, 20, 200, "2024-01-01T10:00:00", "c"));
      db.buildStandard();
      List<Map<String, Object>> rows = db.table("stg_heap_events_all_inc_fct", "heap_event_id");
      assertThat(rows)
          .extracting(
              r -> r.get("heap_event_id"),
              r -> r.get("heap_event_funnel_position"),
              r -> r.get("heap_event_is_conversion"),
              r -> r.get("heap_session_event_sequence"))
          .containsExactly(
              tuple(1L, 1, false, 1L),
              tuple(2L, 2, true, 2L),
              tuple(3L, 0, true, 3L),
              tuple(4L, 0, false, 4L),
              tuple(5L, 3, false, 5L),
              tuple(6L, 0, false, 1L),
              tuple(7L, 3, false, 1L));
    }
  }

  @Test
  void emptyFunnelAndConversionListsGiveZeroAndFalse() {
    try (H2Db db = H2Db.create(HeapConfig.defaults())) {
      db.insert("all_events", event(1, 10, 100, "2024-01-01T10:00:00", "a"));
      db.buildStandard();
      assertThat(db.table("stg_heap_events_all_inc_fct"))
          .extracting(r -> r.get("heap_event_funnel_position"), r -> r.get("heap_event_is_conversion"))
          .containsExactly(tuple(0, false));
    }
  }

  @Test
  void duplicatesKeepTheLatestRowAndTiesAreDeterministic() {
    try (H2Db db = H2Db.create(CONFIG)) {
      db.insert(
          "all_events",
          event(1, 10, 100, "2024-01-01T10:00:00", "a"),
          event(1, 10, 100, "2024-01-01T10:00:00", "a"), // identical copy
          event(2, 10, 100, "2024-01-01T10:00:00", "old"),
          event(2, 10, 100, "2024-01-01T10:05:00", "new"), // later time wins
          event(3, 10, 100, "2024-01-01T10:00:00", "b"),
          event(3, 10, 100, "2024-01-01T10:00:00", "a"), // same time: the tie-breaker is every other column
          event(4, 10, 100, null, "untimed"),
          event(4, 10, 100, "2024-01-01T09:00:00", "timed")); // a NULL time never wins over a time
      db.insert(
          "pageviews",
          pageview(7, 10, 100, "2024-01-01T10:00:00", "/old"),
          pageview(7, 10, 100, "2024-01-01T10:05:00", "/new"),
          pageview(8, 10, 100, "2024-01-01T11:00:00", "/b"),
          pageview(8, 10, 100, "2024-01-01T11:00:00", "/a"));
      db.insert(
          "sessions",
          session(100, 10, "2024-01-01T09:59:00", null, null, null, null),
          session(100, 10, "2024-01-01T10:00:00", "https://google.com", null, null, null));
      db.buildStandard();
      assertThat(db.table("stg_heap_events_all_inc_fct", "heap_event_id"))
          .extracting(r -> r.get("heap_event_id"), r -> r.get("heap_event_name"), r -> r.get("heap_event_time"))
          .containsExactly(
              tuple(1L, "a", at("2024-01-01T10:00:00")),
              tuple(2L, "new", at("2024-01-01T10:05:00")),
              tuple(3L, "a", at("2024-01-01T10:00:00")),
              tuple(4L, "timed", at("2024-01-01T09:00:00")));
      assertThat(db.table("stg_heap_pageview_sessions_inc_fct", "heap_pageview_id"))
          .extracting(r -> r.get("heap_pageview_id"), r -> r.get("heap_pageview_path"))
          .containsExactly(tuple(7L, "/new"), tuple(8L, "/a"));
      assertThat(db.table("stg_heap_sessions_inc_fct"))
          .extracting(r -> r.get("heap_session_id"), r -> r.get("heap_session_start_time"), r -> r.get("heap_session_referrer"))
          .containsExactly(tuple(100L, at("2024-01-01T10:00:00"), "https://google.com"));
    }
  }
}
