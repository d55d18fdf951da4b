package io.heapsdk.models;

import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.testing.H2Db;
import io.heapsdk.testing.Rows;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Apache MADlib's sessionize install-check, mapped onto Heap pageviews with a 3-minute timeout: our
 * session index must equal MADlib's published session id for all 42 events, and the per-session summary
 * derived from MADlib's ids must equal our session start/end and first/last pageview (see
 * {@code oracles/madlib-sessionize/SOURCE.md}).
 */
class MadlibSessionizeOracleTest {
  private static final String DIR = "oracles/madlib-sessionize/";

  @Test
  void sessionIndexEqualsMadlibAndSummaryMatches() {
    HeapConfig config = HeapConfig.builder().sessionTimeoutMinutes(3).build();
    List<String[]> events = csv(DIR + "madlib_sessionize_installcheck.csv");
    try (H2Db db = H2Db.create(config)) {
      List<Object[]> rows = new ArrayList<>();
      for (String[] e : events) {
        rows.add(
            new Object[] {
              Long.parseLong(e[0]), Long.parseLong(e[2]), 1L, time(e[1]), "shop.example", e[3], null, null, null, null
            });
      }
      db.insert("pageviews", rows.toArray(Object[][]::new));
      db.buildStandard();
      Map<Long, Map<String, Object>> byId = new HashMap<>();
      for (Map<String, Object> r : db.table("stg_heap_pageview_sessions_inc_fct")) {
        byId.put((Long) r.get("heap_pageview_id"), r);
      }
      assertThat(byId).hasSize(42);
      for (String[] e : events) {
        Object index = byId.get(Long.parseLong(e[0])).get("heap_pageview_session_index");
        Long expected = e[6].isEmpty() ? null : Long.parseLong(e[6]);
        assertThat(index == null ? null : ((Number) index).longValue())
            .as("input_order %s (user %s at %s)", e[0], e[2], e[1])
            .isEqualTo(expected);
      }
      for (String[] s : csv(DIR + "DERIVED_installcheck_session_summary.csv")) {
        // user_id,expected_session_id,heap_dbt_session_index,n_events,session_start,session_end,first_input_order,first_page,last_input_order,last_page
        Map<String, Object> first = byId.get(Long.parseLong(s[6]));
        String label = "user " + s[0] + " session " + s[1];
        assertThat(((Number) first.get("heap_pageview_session_index")).longValue()).as(label).isEqualTo(Long.parseLong(s[1]));
        assertThat(first.get("heap_pageview_session_start_time")).as(label).isEqualTo(time(s[4]));
        assertThat(first.get("heap_pageview_session_end_time")).as(label).isEqualTo(time(s[5]));
        assertThat(first.get("heap_pageview_session_first_pageview_id")).as(label).isEqualTo(Long.parseLong(s[6]));
        assertThat(first.get("heap_pageview_session_last_pageview_id")).as(label).isEqualTo(Long.parseLong(s[8]));
        assertThat(byId.get(Long.parseLong(s[8])).get("heap_pageview_path")).as(label).isEqualTo(s[9]);
        long inSession =
            byId.values().stream()
                .filter(r -> s[0].equals(String.valueOf(r.get("heap_user_id"))))
                .filter(r -> r.get("heap_pageview_session_index") != null)
                .filter(r -> ((Number) r.get("heap_pageview_session_index")).longValue() == Long.parseLong(s[1]))
                .count();
        assertThat(inSession).as(label + " events").isEqualTo(Long.parseLong(s[3]));
      }
    }
  }

  private static LocalDateTime time(String s) {
    return s.isEmpty() ? null : Rows.at(s.replace(' ', 'T'));
  }

  static List<String[]> csv(String resource) {
    try (InputStream in = MadlibSessionizeOracleTest.class.getClassLoader().getResourceAsStream(resource)) {
      String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\r?\n");
      List<String[]> rows = new ArrayList<>();
      for (int i = 1; i < lines.length; i++) {
        if (!lines[i].isBlank()) {
          rows.add(lines[i].split(",", -1));
        }
      }
      return rows;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
