package io.heapsdk.models;

import static io.heapsdk.testing.Rows.event;
import static io.heapsdk.testing.Rows.pageview;
import static io.heapsdk.testing.Rows.session;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.model.ProjectPlan;
import io.heapsdk.testing.H2Db;
import io.heapsdk.warehouse.BuildPlan;
import io.heapsdk.warehouse.SqlRenderer;
import io.heapsdk.warehouse.Warehouse;
import io.heapsdk.warehouse.Warehouses;
import java.util.List;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.tools.RelBuilder;
import org.junit.jupiter.api.Test;

/**
 * A user's own models are first-class: they ref standard models, filter, aggregate and join, and are
 * rendered for every warehouse and built on H2 like the standard ones.
 */
class CustomModelTest {
  private static final HeapConfig CONFIG =
      HeapConfig.builder().funnelEvents(List.of("signup_start", "signup_done")).conversionEvents(List.of("signup_done")).build();

  static HeapProject project() {
    HeapProject project = HeapProject.standard(CONFIG);
    // an ephemeral helper: converting sessions only
    project
        .model("converting_sessions")
        .ephemeral()
        .plan(
            ctx -> {
              RelBuilder b = ctx.ref("stg_heap_sessions_inc_fct");
              return b.filter(b.field("heap_session_is_conversion"))
                  .project(b.field("heap_session_id"), b.field("heap_session_defined_channel_attribution"))
                  .build();
            });
    // a table: pageviews per converting session, joined to the pageview fact
    project
        .model("converting_session_pageviews")
        .description("Pageviews of sessions that converted, per channel")
        .column("channel", "The session's channel")
        .column("pageviews", "Number of pageviews")
        .plan(
            ctx -> {
              RelBuilder b = ctx.builder();
              ctx.ref("converting_sessions");
              ctx.ref("stg_heap_pageview_sessions_inc_fct");
              b.join(JoinRelType.INNER, b.equals(b.field(2, 0, "heap_session_id"), b.field(2, 1, "heap_session_id")));
              return b.aggregate(
                      b.groupKey(b.alias(b.field("heap_session_defined_channel_attribution"), "channel")),
                      b.count().as("pageviews"),
                      b.aggregateCall(SqlStdOperatorTable.MAX, b.field("heap_pageview_path")).as("last_path"))
                  .build();
            });
    return project;
  }

  @Test
  void customModelsRunOnH2() {
    try (H2Db db = H2Db.create(CONFIG)) {
      db.insert(
          "sessions",
          session(10, 1, "2024-01-01T10:00:00", null, null, null, null),
          session(11, 2, "2024-01-01T10:00:00", "https://duckduckgo.com", null, null, null),
          session(12, 3, "2024-01-01T10:00:00", "https://duckduckgo.com", null, null, null));
      db.insert(
          "all_events",
          event(1, 1, 10, "2024-01-01T10:01:00", "signup_done"),
          event(2, 2, 11, "2024-01-01T10:01:00", "signup_done"),
          event(3, 3, 12, "2024-01-01T10:01:00", "signup_start"));
      db.insert(
          "pageviews",
          pageview(21, 1, 10, "2024-01-01T10:00:00", "/a"),
          pageview(22, 1, 10, "2024-01-01T10:00:30", "/b"),
          pageview(23, 2, 11, "2024-01-01T10:00:00", "/c"),
          pageview(24, 3, 12, "2024-01-01T10:00:00", "/d"));
      db.build(project());
      assertThat(db.table("converting_session_pageviews", "channel"))
          .extracting(r -> r.get("channel"), r -> r.get("pageviews"), r -> r.get("last_path"))
          .containsExactly(tuple("Direct", 2L, "/b"), tuple("Organic Search", 1L, "/c"));
    }
  }

  @Test
  void customModelsRenderForEveryWarehouse() {
    ProjectPlan plan = project().plan();
    for (Warehouse w : Warehouses.all()) {
      String sql = new SqlRenderer(w, plan).select("converting_session_pageviews");
      // the ephemeral helper is inlined as a CTE; the standard facts are read from the target schema
      assertThat(sql).startsWith("WITH " + w.quote(w.cteName("converting_sessions")) + " AS (");
      assertThat(sql).contains(w.qualified(List.of("heap_models", "stg_heap_sessions_inc_fct")));
      assertThat(sql).doesNotContain("$f").doesNotContain("EXPR$").doesNotContainPattern("\\bt\\d*\\b");
      assertThat(BuildPlan.fullRefresh(w, plan).models())
          .containsExactly(
              "stg_heap_events_all_inc_fct", "stg_heap_pageview_sessions_inc_fct", "stg_heap_sessions_inc_fct",
              "converting_session_pageviews");
    }
  }
}
