package io.heapsdk.incremental;

import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.run.RunResult;
import io.heapsdk.testing.LocalEngines;
import io.heapsdk.testing.Rows;
import io.heapsdk.warehouse.BuildPlan;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A run after one that left a fact without any time has no high-water mark: every user is active, with
 * rows of any time. On H2 and PostgreSQL the active users compare a source's time with the mark in two
 * branches ({@code MarkComparisonSplit}: {@code time > since}, and the no-mark case on its own); without
 * the second, {@code time > NULL} would make no user active and the run would change nothing.
 */
class NoMarkTest {
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"h2", "postgres", "duckdb"})
  void aRunWithoutAMarkRecomputesEveryUser(String engine) throws Exception {
    HeapConfig config = HeapConfig.builder().funnelEvents(List.of("a", "b")).conversionEvents(List.of("b")).build();
    try (TwinTargets db = new TwinTargets(config, LocalEngines.warehouse(engine), LocalEngines.open(engine, "heap_no_mark"))) {
      // sessions and events, no pageviews yet: the pageview sessions fact is built empty
      db.insert("sessions", Rows.session(100, 1, "2024-03-01T09:00:00", null, null, null, null),
          Rows.session(200, 2, "2024-03-10T09:00:00", null, null, null, null));
      db.insert("all_events", Rows.event(1, 1, 100, "2024-03-01T09:00:00", "a"),
          Rows.event(2, 2, 200, "2024-03-10T09:00:00", "a"));
      assertThat(db.runIncremental().mode()).isEqualTo(BuildPlan.Mode.FULL_REFRESH);

      // rows older than any mark the other facts would give: user 1's first pageview and a conversion
      db.insert("pageviews", Rows.pageview(11, 1, 100, "2024-03-01T09:00:00", "/"));
      db.insert("all_events", Rows.event(3, 1, 100, "2024-03-01T09:05:00", "b"));
      RunResult run = db.runIncremental();
      assertThat(run.mode()).isEqualTo(BuildPlan.Mode.INCREMENTAL);
      assertThat(run.recomputedUsers()).hasValue(2);
      db.runFull();
      for (String fact : TwinTargets.FACTS) {
        assertThat(db.rows("inc", fact)).as(fact).isEqualTo(db.rows("full", fact));
      }
      assertThat(db.rows("inc", "stg_heap_pageview_sessions_inc_fct")).hasSize(1);
    }
  }
}
