package io.heapsdk.incremental;

import static io.heapsdk.testing.Rows.event;
import static io.heapsdk.testing.Rows.session;
import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.run.JdbcRunner;
import io.heapsdk.warehouse.BuildPlan;
import io.heapsdk.warehouse.Warehouses;
import java.util.List;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.tools.RelBuilder;
import org.junit.jupiter.api.Test;

/**
 * A user's own incremental model that joins two standard facts is built incrementally like them: its
 * incremental query reads both facts' recomputed rows, and its table ends equal to a full refresh.
 */
class UserIncrementalModelTest {
  private static final String MODEL = "converting_events";

  static HeapProject project(HeapConfig config) {
    HeapProject p = HeapProject.standard(config);
    p.model(MODEL)
        .incremental("heap_event_id", "heap_event_time")
        .description("Events of converting sessions, with the session's channel")
        .plan(
            ctx -> {
              RelBuilder b = ctx.builder();
              ctx.ref("stg_heap_events_all_inc_fct");
              ctx.ref("stg_heap_sessions_inc_fct");
              b.join(JoinRelType.INNER, b.equals(b.field(2, 0, "heap_session_id"), b.field(2, 1, "heap_session_id")));
              b.filter(b.field("heap_session_is_conversion"));
              return b.project(
                      b.field(0), b.alias(b.field(1), "heap_user_id"), b.field("heap_event_name"), b.field("heap_event_time"),
                      b.field("heap_session_defined_channel_attribution"))
                  .build();
            });
    return p;
  }

  @Test
  void incrementalEqualsFullRefresh() throws Exception {
    HeapConfig config = HeapConfig.builder().conversionEvents(List.of("buy")).build();
    try (TwinTargets db = new TwinTargets(config)) {
      db.insert("sessions", session(100, 1, "2024-01-10T10:00:00", null, null, null, null));
      db.insert("all_events", event(1, 1, 100, "2024-01-10T10:00:00", "view"), event(2, 1, 100, "2024-01-10T10:05:00", "buy"));
      JdbcRunner runner = new JdbcRunner(Warehouses.H2);
      runner.run(project(db.incremental).plan(), db.connection);
      db.insert("sessions", session(200, 2, "2024-01-11T10:00:00", "https://bing.com", null, null, null));
      db.insert("all_events", event(3, 2, 200, "2024-01-11T10:00:00", "buy"), event(4, 1, 100, "2024-01-10T10:07:00", "view"));
      assertThat(runner.run(project(db.incremental).plan(), db.connection).mode()).isEqualTo(BuildPlan.Mode.INCREMENTAL);
      runner.run(project(db.full).plan(), db.connection, true);
      assertThat(db.rows("inc", MODEL)).hasSize(4).isEqualTo(db.rows("full", MODEL));
    }
  }
}
