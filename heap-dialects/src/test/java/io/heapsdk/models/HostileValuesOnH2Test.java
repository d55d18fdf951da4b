package io.heapsdk.models;

import static io.heapsdk.testing.Rows.event;
import static io.heapsdk.testing.Rows.session;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.heapsdk.config.ChannelRule;
import io.heapsdk.config.Condition;
import io.heapsdk.config.HeapConfig;
import io.heapsdk.testing.H2Db;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Hostile strings run for real: event names, channel labels and schema names holding quotes,
 * backslashes, newlines and {@code --} match exactly the rows that hold them, and nothing else.
 */
class HostileValuesOnH2Test {
  @Test
  void hostileEventNamesAndSchemasAreData() {
    List<String> funnel = List.of("it's", "back\\slash", "new\nline", "x' -- y");
    HeapConfig config =
        HeapConfig.builder()
            .sourceSchema("heap-prod \"raw\"")
            .targetSchema("models; DROP")
            .funnelEvents(funnel)
            .conversionEvents(List.of("Robert'); DROP TABLE students;--"))
            .channelRules(
                List.of(
                    new ChannelRule("Paid \"Search\" -- it's", Condition.contains("utm_medium", "c'p\\c")),
                    new ChannelRule("new\nline", Condition.equalTo("referrer", "--"))))
            .fallbackChannel("N/A -- none")
            .build();
    try (H2Db db = H2Db.create(config)) {
      db.insert(
          "all_events",
          event(1, 1, 10, "2024-01-01T10:00:00", "it's"),
          event(2, 1, 10, "2024-01-01T10:01:00", "back\\slash"),
          event(3, 1, 10, "2024-01-01T10:02:00", "new\nline"),
          event(4, 1, 10, "2024-01-01T10:03:00", "x' -- y"),
          event(5, 1, 10, "2024-01-01T10:04:00", "Robert'); DROP TABLE students;--"),
          event(6, 1, 10, "2024-01-01T10:05:00", "its"),
          event(7, 1, 10, "2024-01-01T10:06:00", "back\\\\slash"));
      db.insert(
          "sessions",
          session(10, 1, "2024-01-01T10:00:00", "x", null, null, "Paid C'P\\C"),
          session(11, 1, "2024-01-01T11:00:00", "--", null, null, null),
          session(12, 1, "2024-01-01T12:00:00", "-- x", null, null, "cp\\c"));
      db.buildStandard();
      assertThat(db.table("stg_heap_events_all_inc_fct", "heap_event_id"))
          .extracting(r -> r.get("heap_event_funnel_position"), r -> r.get("heap_event_is_conversion"))
          .containsExactly(
              tuple(1, false), tuple(2, false), tuple(3, false), tuple(4, false), tuple(0, true), tuple(0, false), tuple(0, false));
      assertThat(db.table("stg_heap_sessions_inc_fct", "heap_session_id"))
          .extracting(r -> r.get("heap_session_defined_channel_attribution"), r -> r.get("heap_session_funnel_step_3_cnt"))
          .containsExactly(tuple("Paid \"Search\" -- it's", 1L), tuple("new\nline", 0L), tuple("N/A -- none", 0L));
    }
  }
}
