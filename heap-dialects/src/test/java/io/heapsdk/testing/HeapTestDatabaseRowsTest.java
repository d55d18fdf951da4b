package io.heapsdk.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import java.util.List;
import java.util.Map;
import org.apache.calcite.tools.RelBuilder;
import org.junit.jupiter.api.Test;

/** What rows() says about a model it cannot read, instead of H2's "Schema not found". */
class HeapTestDatabaseRowsTest {
  private static final HeapConfig CONFIG = HeapConfig.builder().build();
  private static final String STANDARD_MODELS =
      "src_heap_events_all_eph, src_heap_identity_map_eph, src_heap_pageviews_eph, src_heap_sessions_eph,"
          + " stg_heap_events_all_inc_fct, stg_heap_pageview_sessions_inc_fct, stg_heap_sessions_inc_fct";

  private static HeapRow session(int id, String time) {
    return HeapRow.of("sessions").set("session_id", id).set("user_id", 10).set("time", time);
  }

  @Test
  void aModelNotBuiltYetAsksForABuild() {
    try (HeapTestDatabase db = HeapTestDatabase.create(CONFIG)) {
      assertThatThrownBy(() -> db.rows("stg_heap_sessions_inc_fct", "heap_session_id"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("rows(\"stg_heap_sessions_inc_fct\"): model stg_heap_sessions_inc_fct is not built yet;"
              + " build the project first (db.build(project))");
    }
  }

  @Test
  void anEphemeralModelSaysItIsNeverStored() {
    try (HeapTestDatabase db = HeapTestDatabase.create(CONFIG)) {
      String sessionsEph =
          "rows(\"src_heap_sessions_eph\"): model src_heap_sessions_eph is ephemeral: it is never stored, only"
              + " inlined into the models that read it, so it has no rows to read; read it through a table model"
              + " (stg_heap_sessions_inc_fct read it), or define a table model over it and db.build(project) first";
      // before a build, judged against the standard models
      assertThatThrownBy(() -> db.rows("src_heap_sessions_eph")).hasMessage(sessionsEph);
      db.insert(session(100, "2024-01-10T10:00:00"));
      db.build(HeapProject.standard(CONFIG));
      assertThatThrownBy(() -> db.rows("src_heap_sessions_eph")).hasMessage(sessionsEph);
      // off by default, identity resolution leaves the identity map unread
      assertThatThrownBy(() -> db.rows("src_heap_identity_map_eph"))
          .hasMessageEndingWith("so it has no rows to read; read it through a table model, or define a table model"
              + " over it and db.build(project) first");
    }
    // with it on, each fact's ephemeral source joins the map
    HeapConfig resolving = HeapConfig.builder().resolveMigrations(true).build();
    try (HeapTestDatabase db = HeapTestDatabase.create(resolving)) {
      assertThatThrownBy(() -> db.rows("src_heap_identity_map_eph"))
          .hasMessageContaining("read it through a table model (stg_heap_events_all_inc_fct,"
              + " stg_heap_pageview_sessions_inc_fct, stg_heap_sessions_inc_fct read it)");
    }
  }

  @Test
  void anUnknownModelListsTheModels() {
    try (HeapTestDatabase db = HeapTestDatabase.create(CONFIG)) {
      assertThatThrownBy(() -> db.rows("stg_heap_session_inc_fct"))
          .hasMessage("rows(\"stg_heap_session_inc_fct\"): no model stg_heap_session_inc_fct in the standard models;"
              + " models are " + STANDARD_MODELS + "; nothing is built yet: if it is a model of your own project,"
              + " build the project first (db.build(project))");

      HeapProject project = HeapProject.standard(CONFIG);
      project.model("sessions_per_user").plan(ctx -> {
        RelBuilder b = ctx.ref("stg_heap_sessions_inc_fct");
        return b.aggregate(b.groupKey("heap_user_id"), b.count().as("sessions")).build();
      });
      db.insert(session(100, "2024-01-10T10:00:00"), session(101, "2024-01-10T12:00:00"));
      db.build(project);
      assertThatThrownBy(() -> db.rows("sessions_per_usr"))
          .hasMessage("rows(\"sessions_per_usr\"): no model sessions_per_usr in the project last built; models are "
              + "sessions_per_user, " + STANDARD_MODELS);
      // the model itself reads fine: two sessions of user 10
      assertThat(db.rows("sessions_per_user")).containsExactly(Map.of("heap_user_id", 10L, "sessions", 2L));
    }
  }

  @Test
  void orderByNamesAreCheckedAndMatchedIgnoringCase() {
    try (HeapTestDatabase db = HeapTestDatabase.create(CONFIG)) {
      db.insert(session(101, "2024-01-10T12:00:00"), session(100, "2024-01-10T10:00:00"));
      db.build(HeapProject.standard(CONFIG));
      List<Map<String, Object>> rows = db.rows("stg_heap_sessions_inc_fct", "HEAP_SESSION_ID");
      // the 10:00 session is the user's first (sequence 1), the 12:00 one the second
      assertThat(rows)
          .extracting(r -> r.get("heap_session_id"), r -> r.get("heap_session_sequence_num"))
          .containsExactly(
              org.assertj.core.api.Assertions.tuple(100L, 1L), org.assertj.core.api.Assertions.tuple(101L, 2L));
      assertThatThrownBy(() -> db.rows("stg_heap_sessions_inc_fct", "session_id"))
          .hasMessageStartingWith("rows(\"stg_heap_sessions_inc_fct\"): cannot order by \"session_id\", not a column"
              + " of stg_heap_sessions_inc_fct; its columns are heap_session_id, heap_user_id, heap_session_sequence_num,");
    }
  }
}
