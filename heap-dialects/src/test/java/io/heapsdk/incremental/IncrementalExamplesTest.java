package io.heapsdk.incremental;

import static io.heapsdk.testing.Rows.event;
import static io.heapsdk.testing.Rows.pageview;
import static io.heapsdk.testing.Rows.session;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.run.HeapRunException;
import io.heapsdk.run.RunResult;
import io.heapsdk.warehouse.BuildPlan;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One readable example per incremental case: after each new batch, the incrementally built facts must
 * hold exactly the rows of a full refresh.
 */
class IncrementalExamplesTest {
  private static final HeapConfig CONFIG =
      HeapConfig.builder().funnelEvents(List.of("a", "b")).conversionEvents(List.of("b")).build();

  private TwinTargets db;

  @BeforeEach
  void firstBatch() throws Exception {
    db = new TwinTargets(CONFIG);
    db.insert("sessions", session(100, 1, "2024-01-10T10:00:00", null, null, null, null));
    db.insert(
        "pageviews",
        List.of(pageview(1, 1, 100, "2024-01-10T10:00:00", "/"), pageview(2, 1, 100, "2024-01-10T10:10:00", "/x")));
    db.insert(
        "all_events",
        List.of(event(1, 1, 100, "2024-01-10T10:00:00", "pageviews"), event(2, 1, 100, "2024-01-10T10:10:00", "pageviews")));
    RunResult first = db.runIncremental();
    assertThat(first.mode()).isEqualTo(BuildPlan.Mode.FULL_REFRESH); // no tables yet
    assertThat(first.recomputedUsers()).isEmpty();
    assertSameAsFullRefresh();
  }

  @AfterEach
  void close() throws Exception {
    db.close();
  }

  @Test
  void newUser() {
    db.insert("sessions", session(200, 2, "2024-01-11T09:00:00", "https://google.com", null, null, null));
    db.insert("pageviews", pageview(10, 2, 200, "2024-01-11T09:00:00", "/"));
    db.insert("all_events", event(10, 2, 200, "2024-01-11T09:00:00", "a"));
    RunResult run = db.runIncremental();
    assertThat(run.mode()).isEqualTo(BuildPlan.Mode.INCREMENTAL);
    // the mark is 2024-01-10 10:00 (the sessions fact's newest time, the oldest of the facts'); the
    // 3-day lookback reaches back to 2024-01-07 10:00: user 1's rows of 2024-01-10 and the new user 2
    assertThat(run.recomputedUsers()).hasValue(2);
    assertSameAsFullRefresh();
  }

  @Test
  void returningUserExtendsASessionAcrossBatches() {
    // 20 minutes after pageview 2: same session, which changes pageviews 1 and 2's end time and last id
    db.insert("pageviews", pageview(3, 1, 100, "2024-01-10T10:30:00", "/y"));
    db.insert("all_events", event(3, 1, 100, "2024-01-10T10:30:00", "b"));
    db.runIncremental();
    assertSameAsFullRefresh();
    assertThat(db.rows("inc", "stg_heap_pageview_sessions_inc_fct"))
        .allMatch(r -> r.contains("HEAP_PAGEVIEW_SESSION_LAST_PAGEVIEW_ID=3 "));
  }

  @Test
  void lateEventInsideTheLookback() {
    // every fact's newest time moves to 2024-01-12
    db.insert("sessions", session(101, 1, "2024-01-12T10:00:00", null, null, null, null));
    db.insert("pageviews", pageview(3, 1, 101, "2024-01-12T10:00:00", "/later"));
    db.insert("all_events", event(3, 1, 101, "2024-01-12T10:00:00", "pageviews"));
    db.runIncremental();
    // two days older than the newest pageview, inside the default 3-day lookback
    db.insert("pageviews", pageview(4, 1, 100, "2024-01-10T10:05:00", "/late"));
    db.insert("all_events", event(4, 1, 100, "2024-01-10T10:05:00", "a"));
    db.runIncremental();
    assertSameAsFullRefresh();
  }

  @Test
  void identityMergeRewritesUserIds() {
    // Heap identifies user 1 as user 7: it rewrites user_id in every table and records the migration
    db.insert("sessions", session(700, 7, "2024-01-11T08:00:00", null, null, null, null));
    db.insert("pageviews", pageview(70, 7, 700, "2024-01-11T08:00:00", "/home"));
    db.runIncremental();
    for (String t : List.of("sessions", "pageviews", "all_events")) {
      db.execute("UPDATE \"MAIN_PRODUCTION\".\"" + t.toUpperCase() + "\" SET \"USER_ID\" = 7 WHERE \"USER_ID\" = 1");
    }
    db.insert("user_migrations", new Object[] {1L, 7L, io.heapsdk.testing.Rows.at("2024-01-11T09:00:00")});
    db.runIncremental();
    assertSameAsFullRefresh();
    assertThat(db.rows("inc", "stg_heap_events_all_inc_fct")).noneMatch(r -> r.contains("HEAP_USER_ID=1 "));
  }

  @Test
  void rowsThatVanishFromTheSourceAreDeleted() {
    db.insert("pageviews", pageview(3, 1, 100, "2024-01-10T11:00:00", "/z"));
    db.runIncremental();
    // a Heap resync removes pageview 2; the user is active because of a new event
    db.execute("DELETE FROM \"MAIN_PRODUCTION\".\"PAGEVIEWS\" WHERE \"EVENT_ID\" = 2");
    db.execute("DELETE FROM \"MAIN_PRODUCTION\".\"ALL_EVENTS\" WHERE \"EVENT_ID\" = 2");
    db.insert("all_events", event(5, 1, 100, "2024-01-10T11:01:00", "a"));
    db.runIncremental();
    assertSameAsFullRefresh();
    assertThat(db.rows("inc", "stg_heap_pageview_sessions_inc_fct")).noneMatch(r -> r.startsWith("HEAP_PAGEVIEW_ID=2 "));
  }

  @Test
  void duplicatesInALaterBatch() {
    db.insert("pageviews", pageview(2, 1, 100, "2024-01-10T10:12:00", "/x-resynced"));
    db.insert("sessions", session(100, 1, "2024-01-10T10:00:00", null, null, null, null));
    db.runIncremental();
    assertSameAsFullRefresh();
  }

  @Test
  void rerunWithoutNewDataChangesNothing() {
    List<String> before = db.rows("inc", "stg_heap_sessions_inc_fct");
    db.runIncremental();
    db.runIncremental();
    assertThat(db.rows("inc", "stg_heap_sessions_inc_fct")).isEqualTo(before);
    assertSameAsFullRefresh();
  }

  @Test
  void changedFunnelRebuildsTheSessionsFactInFull() {
    HeapConfig threeSteps = HeapConfig.builder().from(db.incremental).funnelEvents(List.of("a", "b", "c")).build();
    db.insert("all_events", event(9, 1, 100, "2024-01-11T10:00:00", "c"));
    db.runIncremental(threeSteps);
    db.runFull(threeSteps);
    for (String fact : TwinTargets.FACTS) {
      assertThat(db.rows("inc", fact)).as(fact).isEqualTo(db.rows("full", fact));
    }
    assertThat(db.rows("inc", "stg_heap_sessions_inc_fct")).allMatch(r -> r.contains("HEAP_SESSION_FUNNEL_STEP_3_CNT="));
  }

  private void assertSameAsFullRefresh() {
    db.runFull();
    for (String fact : TwinTargets.FACTS) {
      assertThat(db.rows("inc", fact)).as(fact).isEqualTo(db.rows("full", fact));
    }
  }
}
