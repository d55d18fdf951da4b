package com.example.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.quality.ColumnCheck;
import io.heapsdk.run.TestResult;
import io.heapsdk.testing.HeapRow;
import io.heapsdk.testing.HeapTestDatabase;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.apache.calcite.tools.RelBuilder;
import org.junit.jupiter.api.Test;

/** What a host application's test looks like with heap-testing, from outside the library's packages. */
class HostApplicationTest {
  private static final HeapConfig CONFIG = HeapConfig.builder().build();

  private static HeapRow pageview(int id, String time) {
    return HeapRow.of("pageviews").set("event_id", id).set("user_id", 10).set("session_id", 100).set("time", time).set("path", "/p" + id);
  }

  @Test
  void buildsTheModelsFromAFewRows() {
    try (HeapTestDatabase db = HeapTestDatabase.create(CONFIG)) {
      // 30 minutes apart stays in the session; 30 minutes and 1 second later starts the next (timeout 30)
      db.insert(pageview(1, "2024-01-10T10:00:00"), pageview(2, "2024-01-10T10:30:00"), pageview(3, "2024-01-10T11:00:01"));
      db.build(HeapProject.standard(CONFIG));
      List<Map<String, Object>> rows = db.rows("stg_heap_pageview_sessions_inc_fct", "heap_pageview_id");
      assertThat(rows)
          .extracting(r -> r.get("heap_pageview_id"), r -> r.get("heap_pageview_session_id"))
          .containsExactly(tuple(1L, "10_1"), tuple(2L, "10_1"), tuple(3L, "10_2"));
    }
  }

  @Test
  void runsTheDataTestsOfAHostModel() {
    HeapProject project = HeapProject.standard(CONFIG);
    project
        .model("long_paths")
        .test(ColumnCheck.acceptedValues("path", "/p1", "/p2"))
        .plan(
            ctx -> {
              RelBuilder b = ctx.ref("stg_heap_pageview_sessions_inc_fct");
              return b.project(b.alias(b.field("heap_pageview_path"), "path")).build();
            });
    try (HeapTestDatabase db = HeapTestDatabase.create(CONFIG)) {
      db.insert(pageview(1, "2024-01-10T10:00:00"), pageview(2, "2024-01-10T10:30:00"), pageview(3, "2024-01-10T11:00:01"));
      db.build(project);
      List<TestResult> results = db.test(project, Clock.fixed(Instant.parse("2024-01-10T12:00:00Z"), ZoneOffset.UTC));
      // /p3 is the one path not accepted
      assertThat(results)
          .filteredOn(r -> r.name().equals("accepted_values_long_paths_path"))
          .singleElement()
          .satisfies(r -> assertThat(r.sampleKeys()).containsExactly("/p3"))
          .satisfies(r -> assertThat(r.status()).isEqualTo(TestResult.Status.FAIL));
      // users and sessions got no rows: their freshness fails; pageviews' newest row is an hour old
      assertThat(results)
          .filteredOn(r -> r.name().startsWith("freshness_"))
          .extracting(TestResult::name, TestResult::status)
          .containsExactly(
              tuple("freshness_users", TestResult.Status.FAIL),
              tuple("freshness_sessions", TestResult.Status.FAIL),
              tuple("freshness_pageviews", TestResult.Status.PASS),
              tuple("freshness_all_events", TestResult.Status.FAIL));
    }
  }

  @Test
  void rowMistakesNameTheColumn() {
    try (HeapTestDatabase db = HeapTestDatabase.create(CONFIG)) {
      assertThatThrownBy(() -> db.insert(HeapRow.of("sessions").set("sesion_id", 1)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("sessions.sesion_id: no such column; the columns of sessions are session_id, user_id, time,");
      assertThatThrownBy(() -> db.insert(HeapRow.of("sessions").set("session_id", "abc")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("sessions.session_id: expected a whole number (int or long), got the text \"abc\"");
    }
  }
}
