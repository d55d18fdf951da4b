package io.heapsdk.models;

import static io.heapsdk.testing.Rows.at;
import static io.heapsdk.testing.Rows.pageview;
import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.testing.H2Db;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sessionization edge cases of SPEC §3 on H2, expected values worked out by hand: a gap of exactly
 * the timeout stays in the session, 1 ms more starts a new one, equal timestamps stay together (ordered
 * by id), a NULL time gets NULL session columns without splitting anything, and first/last values cover
 * the whole session.
 */
class SessionizationTest {
  private static final String FACT = "stg_heap_pageview_sessions_inc_fct";
  private H2Db db;
  private Map<Long, Map<String, Object>> byId;

  @BeforeEach
  void build() {
    db = H2Db.create(HeapConfig.builder().build());
    db.insert(
        "pageviews",
        pageview(1, 10, 100, "2024-01-01T10:00:00", "/a"),
        pageview(2, 10, 100, "2024-01-01T10:30:00", "/b"), // exactly 30:00 later: same session
        pageview(3, 10, 100, "2024-01-01T11:00:00.001", "/c"), // 30:00.001 later: new session
        pageview(4, 10, 100, "2024-01-01T11:00:00.001", "/d"), // same time as 3: same session, after 3
        pageview(5, 10, 100, null, "/e"), // no time: no session
        pageview(6, 10, 101, "2024-01-01T13:00:00", "/f"), // alone: a one-pageview session
        pageview(7, 20, 200, "2024-01-01T09:00:00", "/g"));
    db.buildStandard();
    byId = new java.util.HashMap<>();
    for (Map<String, Object> row : db.table(FACT, "heap_pageview_id")) {
      byId.put(((Number) row.get("heap_pageview_id")).longValue(), row);
    }
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void everyPageviewIsKept() {
    assertThat(byId.keySet()).containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L, 6L, 7L);
  }

  @Test
  void gapExactlyAtTimeoutStaysAndOneMillisecondMoreSplits() {
    assertThat(session(1)).containsExactly(1L, "10_1", 1L);
    assertThat(session(2)).containsExactly(1L, "10_1", 2L);
    assertThat(session(3)).containsExactly(2L, "10_2", 1L);
  }

  @Test
  void equalTimestampsStayTogetherOrderedById() {
    assertThat(session(4)).containsExactly(2L, "10_2", 2L);
  }

  @Test
  void onePageviewSessions() {
    assertThat(session(6)).containsExactly(3L, "10_3", 1L);
    assertThat(session(7)).containsExactly(1L, "20_1", 1L);
    Map<String, Object> alone = byId.get(6L);
    assertThat(alone.get("heap_pageview_session_first_pageview_id")).isEqualTo(6L);
    assertThat(alone.get("heap_pageview_session_last_pageview_id")).isEqualTo(6L);
    assertThat(alone.get("heap_pageview_session_start_time")).isEqualTo(at("2024-01-01T13:00:00"));
    assertThat(alone.get("heap_pageview_session_end_time")).isEqualTo(at("2024-01-01T13:00:00"));
  }

  @Test
  void nullTimeGetsNullSessionColumns() {
    Map<String, Object> row = byId.get(5L);
    for (String c :
        List.of(
            "heap_pageview_session_id", "heap_pageview_session_index", "heap_pageview_session_sequence_number",
            "heap_pageview_session_start_time", "heap_pageview_session_end_time",
            "heap_pageview_session_first_pageview_id", "heap_pageview_session_last_pageview_id",
            "heap_pageview_session_start_epoch", "heap_pageview_session_end_epoch")) {
      assertThat(row.get(c)).as(c).isNull();
    }
    assertThat(row.get("heap_pageview_path")).isEqualTo("/e");
  }

  @Test
  void firstAndLastValuesCoverTheWholeSession() {
    // the original's LAST_VALUE had no frame and returned the current row: pageview 1 would get 1
    for (long id : new long[] {1, 2}) {
      Map<String, Object> row = byId.get(id);
      assertThat(row.get("heap_pageview_session_first_pageview_id")).isEqualTo(1L);
      assertThat(row.get("heap_pageview_session_last_pageview_id")).isEqualTo(2L);
      assertThat(row.get("heap_pageview_session_start_time")).isEqualTo(at("2024-01-01T10:00:00"));
      assertThat(row.get("heap_pageview_session_end_time")).isEqualTo(at("2024-01-01T10:30:00"));
      // 2024-01-01T10:00:00Z = 19723 days * 86400 + 36000 s
      assertThat(row.get("heap_pageview_session_start_epoch")).isEqualTo(19723L * 86400 + 36000);
      assertThat(row.get("heap_pageview_session_end_epoch")).isEqualTo(19723L * 86400 + 37800);
    }
    for (long id : new long[] {3, 4}) {
      Map<String, Object> row = byId.get(id);
      assertThat(row.get("heap_pageview_session_first_pageview_id")).isEqualTo(3L);
      assertThat(row.get("heap_pageview_session_last_pageview_id")).isEqualTo(4L);
      // sub-second times round down to the whole second
      assertThat(row.get("heap_pageview_session_start_epoch")).isEqualTo(19723L * 86400 + 39600);
    }
  }

  private List<Object> session(long id) {
    Map<String, Object> row = byId.get(id);
    return Arrays.asList(
        ((Number) row.get("heap_pageview_session_index")).longValue(),
        row.get("heap_pageview_session_id"),
        ((Number) row.get("heap_pageview_session_sequence_number")).longValue());
  }
}
