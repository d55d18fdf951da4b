package io.heapsdk.run;

import static io.heapsdk.testing.Rows.at;
import static io.heapsdk.testing.Rows.event;
import static io.heapsdk.testing.Rows.pageview;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.heapsdk.analysis.Funnel;
import io.heapsdk.analysis.FunnelResult;
import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.testing.H2Db;
import io.heapsdk.testing.StatementHooks;
import io.heapsdk.warehouse.SqlRenderer;
import io.heapsdk.warehouse.Warehouses;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * On H2, which evaluates a CTE again at each reference, {@link AnalysisRunner} stores the CTEs read more
 * than once in temporary tables first, and a build stores them in working tables: the answer must be
 * the one the single SELECT gives, and nothing of those tables may be left behind.
 */
class SharedCtesOnH2Test {
  private static final HeapConfig CONFIG = HeapConfig.builder().ownDomain("example.com").build();

  @Test
  void aFunnelReadsItsEntriesOnceAndLeavesNoTableBehind() {
    // three users: 1 does a, b, c; 2 does a, b; 3 does a — by hand: 3 entered, 2 reached b, 1 reached c
    try (H2Db db = H2Db.create(CONFIG)) {
      db.insert(
          "all_events",
          event(11, 1, 1, "2024-01-08T10:00:00", "a"), event(12, 1, 1, "2024-01-08T11:00:00", "b"),
          event(13, 1, 1, "2024-01-08T12:00:00", "c"), event(21, 2, 2, "2024-01-09T10:00:00", "a"),
          event(22, 2, 2, "2024-01-09T10:30:00", "b"), event(31, 3, 3, "2024-01-10T10:00:00", "a"));
      db.buildStandard();
      Funnel funnel = Funnel.builder().step("a").step("b").step("c").build();
      AnalysisRunner runner = new AnalysisRunner(Warehouses.H2, CONFIG);
      String sql = runner.sql(funnel);
      // the single SELECT reads the entries once per step: that is what the runner avoids on H2
      assertThat(sql.split("FROM \"HEAP_CTE__FUNNEL_ENTRIES\"", -1)).hasSize(4);

      List<String> executed = new ArrayList<>();
      FunnelResult result = runner.run(funnel, StatementHooks.around(db.connection(), executed::add, StatementHooks.NONE));

      assertThat(result.rows()).extracting(FunnelResult.Row::entered).containsExactly(3L, 2L, 1L);
      // the entries went into a temporary table of the session first, which the rest read
      assertThat(executed).anyMatch(q -> q.startsWith("CREATE LOCAL TEMPORARY TABLE \"PUBLIC\".\"HEAP_CTE__FUNNEL_ENTRIES\" AS"));
      String query = executed.stream().filter(q -> !q.startsWith("CREATE") && !q.startsWith("DROP")).reduce((a, b) -> b).orElseThrow();
      assertThat(query).contains("FROM \"PUBLIC\".\"HEAP_CTE__FUNNEL_ENTRIES\"").doesNotContain("\"HEAP_CTE__FUNNEL_ENTRIES\" AS (");
      assertThat(executed).contains("DROP TABLE IF EXISTS \"PUBLIC\".\"HEAP_CTE__FUNNEL_ENTRIES\"");
      List<Map<String, Object>> direct = db.query(sql);
      assertThat(direct).extracting(r -> entered(r)).containsExactly(3L, 2L, 1L);
      assertThat(db.query("SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_TYPE LIKE '%TEMPORARY%'")).isEmpty();
    }
  }

  /**
   * With identity resolution a dedup stage's user is computed ({@code COALESCE} of the id it was merged
   * into and its own), and the next stage keeps the active users' rows with {@code user IN (SELECT …)}:
   * H2 turns that into an index on the stage and evaluates the whole stage once per active user (an
   * incremental run grew from 3 to 45 s over three batches of 3,000 users). So the stage is stored
   * first, indexed on the user; without resolution the user is the source's column, whose index H2
   * looks up inside the stage, and nothing is stored.
   */
  @Test
  void anIncrementalRunStoresADedupStageFilteredOnAComputedUser() {
    for (boolean resolve : List.of(true, false)) {
      HeapConfig config = HeapConfig.builder().from(CONFIG).resolveMigrations(resolve).build();
      SqlRenderer renderer = new SqlRenderer(Warehouses.H2, HeapProject.standard(config).plan());
      SqlRenderer.StoredSelect events = renderer.incrementalSelectStoringShared("stg_heap_events_all_inc_fct");
      List<String> stored = events.stored().stream().map(SqlRenderer.StoredCte::name).toList();
      if (resolve) {
        assertThat(stored).contains("events_ranked");
        assertThat(events.stored().stream().filter(c -> c.name().equals("events_ranked")).findFirst().orElseThrow().lookupColumns())
            .containsExactly("heap_user_id");
        assertThat(events.query()).contains("FROM \"HEAP_MODELS\".\"STG_HEAP_EVENTS_ALL_INC_FCT__EVENTS_RANKED\"");
      } else {
        assertThat(stored).doesNotContain("events_ranked");
      }
    }
  }

  @Test
  void aBuildStoresThePageviewsItReadsTwiceAndLeavesNoTableBehind() {
    try (H2Db db = H2Db.create(CONFIG)) {
      // user 1: 10:00, 10:20, then 11:00 (a 40-minute gap starts session 2); pageview 2 is synced twice,
      // the later copy wins; user 2: one pageview with a time, one without (no session)
      db.insert(
          "pageviews",
          pageview(1, 1, 7, "2024-01-08T10:00:00", "/a"), pageview(2, 1, 7, "2024-01-08T10:19:00", "/old"),
          pageview(2, 1, 7, "2024-01-08T10:20:00", "/b"), pageview(3, 1, 7, "2024-01-08T11:00:00", "/c"),
          pageview(4, 2, 8, "2024-01-09T09:00:00", "/d"), pageview(5, 2, 8, null, "/e"));
      db.buildStandard();

      List<Map<String, Object>> built = db.table("stg_heap_pageview_sessions_inc_fct", "heap_pageview_id");
      assertThat(built)
          .extracting(
              r -> r.get("heap_pageview_id"),
              r -> r.get("heap_pageview_path"),
              r -> r.get("heap_pageview_session_id"),
              r -> r.get("heap_pageview_session_sequence_number"),
              r -> r.get("heap_pageview_session_start_time"),
              r -> r.get("heap_pageview_session_end_time"),
              r -> r.get("heap_pageview_session_first_pageview_id"),
              r -> r.get("heap_pageview_session_last_pageview_id"))
          .containsExactly(
              tuple(1L, "/a", "1_1", 1L, at("2024-01-08T10:00:00"), at("2024-01-08T10:20:00"), 1L, 2L),
              tuple(2L, "/b", "1_1", 2L, at("2024-01-08T10:00:00"), at("2024-01-08T10:20:00"), 1L, 2L),
              tuple(3L, "/c", "1_2", 1L, at("2024-01-08T11:00:00"), at("2024-01-08T11:00:00"), 3L, 3L),
              tuple(4L, "/d", "2_1", 1L, at("2024-01-09T09:00:00"), at("2024-01-09T09:00:00"), 4L, 4L),
              tuple(5L, "/e", null, null, null, null, null, null));
      // the model's single SELECT, which reads the pageviews twice, gives the same rows
      String select = new SqlRenderer(Warehouses.H2, HeapProject.standard(CONFIG).planFull()).select("stg_heap_pageview_sessions_inc_fct");
      assertThat(db.query(select + " ORDER BY 1")).isEqualTo(built);
      assertThat(db.query("SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME LIKE '%\\_\\_SRC\\_HEAP\\_PAGEVIEWS\\_EPH%'"))
          .isEmpty();
    }
  }

  @Test
  void inACallersOpenTransactionTheFunnelRunsAsOneSelect() throws Exception {
    try (H2Db db = H2Db.create(CONFIG)) {
      db.insert("all_events", event(11, 1, 1, "2024-01-08T10:00:00", "a"), event(12, 1, 1, "2024-01-08T11:00:00", "b"));
      db.buildStandard();
      db.connection().setAutoCommit(false);
      try (var s = db.connection().createStatement()) {
        s.execute("CREATE TABLE PUBLIC.MINE (X INT)");
        s.execute("INSERT INTO PUBLIC.MINE VALUES (1)");
      }
      FunnelResult result =
          new AnalysisRunner(Warehouses.H2, CONFIG).run(Funnel.builder().step("a").step("b").step("a").build(), db.connection());
      assertThat(result.rows()).extracting(FunnelResult.Row::entered).containsExactly(1L, 1L, 0L);
      // the insert is still uncommitted: nothing in the analysis committed it
      db.connection().rollback();
      assertThat(db.query("SELECT X FROM PUBLIC.MINE")).isEmpty();
      db.connection().setAutoCommit(true);
    }
  }

  private static long entered(Map<String, Object> row) {
    return row.entrySet().stream()
        .filter(e -> e.getKey().equalsIgnoreCase("entered"))
        .map(e -> ((Number) e.getValue()).longValue())
        .findFirst()
        .orElseThrow();
  }
}
