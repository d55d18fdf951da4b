package io.heapsdk.incremental;

import static io.heapsdk.testing.Rows.event;
import static io.heapsdk.testing.Rows.pageview;
import static io.heapsdk.testing.Rows.session;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.model.ProjectPlan;
import io.heapsdk.run.HeapRunException;
import io.heapsdk.run.JdbcRunner;
import io.heapsdk.testing.LocalEngines;
import io.heapsdk.warehouse.SourcesWithRows;
import io.heapsdk.warehouse.Warehouse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A Heap table emptied after a run (Heap Connect re-syncing it): the next run is refused before its first
 * statement and the facts keep their rows, where an incremental run deleted the active users' rows and
 * kept the others' (a mix), with exit 0. Once the table is filled again the run goes ahead; where it is
 * meant to be empty ({@link JdbcRunner#allowingEmptiedSources}) the facts built from it are rebuilt in
 * full, empty, not merged. A table empty from the start ({@code user_migrations} here, a project
 * without identity merges) is never refused.
 */
class EmptiedSourceTest {
  private static final String PAGEVIEW_FACT = "stg_heap_pageview_sessions_inc_fct";

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"h2", "duckdb", "postgres"})
  void anEmptiedSourceIsRefusedUntilFilledOrAllowed(String engine) throws Exception {
    Warehouse w = LocalEngines.warehouse(engine);
    try (TwinTargets db = new TwinTargets(HeapConfig.builder().build(), w, LocalEngines.open(engine, "heap_emptied"))) {
      ProjectPlan plan = HeapProject.standard(db.incremental).plan();
      JdbcRunner runner = new JdbcRunner(w);
      // users 1 and 2, a session with one pageview each; user 2's weeks older, behind every later mark
      db.insert("sessions", session(100, 1, "2024-03-01T09:00:00", null, null, null, null), session(200, 2, "2024-01-10T10:00:00", null, null, null, null));
      db.insert("pageviews", pageview(1, 1, 100, "2024-03-01T09:00:00", "/a"), pageview(2, 2, 200, "2024-01-10T10:00:00", "/b"));
      db.insert("all_events", event(1, 1, 100, "2024-03-01T09:00:00", "pageviews"), event(2, 2, 200, "2024-01-10T10:00:00", "pageviews"));
      runner.run(plan, db.connection);
      assertThat(db.rows("inc", PAGEVIEW_FACT)).hasSize(2);

      // day 2: user 1 comes back; meanwhile Heap Connect has emptied pageviews to re-sync it
      db.insert("sessions", session(101, 1, "2024-03-02T09:00:00", null, null, null, null));
      db.insert("all_events", event(3, 1, 101, "2024-03-02T09:00:00", "pageviews"));
      db.execute("DELETE FROM " + ReconcileTest.source(db, "pageviews"));
      Map<String, List<String>> before = facts(db);
      assertThatThrownBy(() -> runner.run(plan, db.connection))
          .isInstanceOf(HeapRunException.class)
          .hasMessageContaining("nothing was changed: ")
          .hasMessageContaining(" (source.tables.pageviews) has no rows, and had rows when run ")
          .hasMessageContaining(PAGEVIEW_FACT)
          .hasMessageContaining("--allow-emptied-sources");
      assertThat(facts(db)).isEqualTo(before);
      // what heap status and --dry-run decide with: the same refusal
      assertThatThrownBy(() -> runner.prepare(plan, db.connection, false)).hasMessageContaining("(source.tables.pageviews) has no rows");
      // a full refresh would empty every fact built from it: refused too
      assertThatThrownBy(() -> runner.run(plan, db.connection, true)).hasMessageContaining("(source.tables.pageviews) has no rows");
      assertThat(facts(db)).isEqualTo(before);

      // the re-sync lands: every pageview back, and user 1's new one
      db.insert(
          "pageviews", pageview(1, 1, 100, "2024-03-01T09:00:00", "/a"), pageview(2, 2, 200, "2024-01-10T10:00:00", "/b"),
          pageview(3, 1, 101, "2024-03-02T09:00:00", "/c"));
      runner.run(plan, db.connection);
      db.runFull();
      assertThat(db.rows("inc", PAGEVIEW_FACT)).hasSize(3).isEqualTo(db.rows("full", PAGEVIEW_FACT));

      // pageviews turned off for good: allowed, the pageview fact is rebuilt empty, user 2's row with it
      // (user 2 has nothing since January, long before the mark: a merge would have kept it)
      db.insert("sessions", session(102, 1, "2024-03-03T09:00:00", null, null, null, null));
      db.insert("all_events", event(4, 1, 102, "2024-03-03T09:00:00", "signup"));
      db.execute("DELETE FROM " + ReconcileTest.source(db, "pageviews"));
      JdbcRunner.RunPlan allowed = runner.allowingEmptiedSources().prepare(plan, db.connection, false);
      assertThat(allowed.decisions())
          .filteredOn(d -> d.model().equals(PAGEVIEW_FACT))
          .singleElement()
          .satisfies(d -> assertThat(d.full()).isTrue())
          .satisfies(d -> assertThat(d.reason()).contains("emptied since run ").contains("(allowed): rebuilt in full from it"));
      runner.allowingEmptiedSources().run(plan, db.connection);
      db.runFull();
      assertThat(db.rows("inc", PAGEVIEW_FACT)).isEmpty();
      for (String fact : TwinTargets.FACTS) {
        assertThat(db.rows("inc", fact)).as(fact).isEqualTo(db.rows("full", fact));
      }

      // empty at the last run too: nothing emptied since, the next run goes ahead without being allowed
      db.insert("all_events", event(5, 1, 102, "2024-03-03T09:30:00", "purchase"));
      runner.run(plan, db.connection);
      db.runFull();
      for (String fact : TwinTargets.FACTS) {
        assertThat(db.rows("inc", fact)).as(fact).isEqualTo(db.rows("full", fact));
      }
    }
  }

  /**
   * The list of tables with rows comes from an earlier run, as a heap that records no such list (one from
   * before it) leaves it when it succeeds in between: pageviews empty at that earlier run, filled when the
   * other heap rebuilt the pageview fact from it, then emptied by a re-sync. Trusted, the list said the
   * table had been empty all along, and the run wiped the fact, exit 0 (an upgrade probe, on DuckDB and
   * PostgreSQL). Now the fact holding rows of the empty table is what refuses the run.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"h2", "duckdb", "postgres"})
  void aListLeftByAnEarlierRunDoesNotHideAnEmptiedTable(String engine) throws Exception {
    Warehouse w = LocalEngines.warehouse(engine);
    try (TwinTargets db = new TwinTargets(HeapConfig.builder().build(), w, LocalEngines.open(engine, "heap_stale_list"))) {
      ProjectPlan plan = HeapProject.standard(db.incremental).plan();
      JdbcRunner runner = new JdbcRunner(w);
      db.insert("sessions", session(100, 1, "2024-03-01T09:00:00", null, null, null, null));
      db.insert("all_events", event(1, 1, 100, "2024-03-01T09:00:00", "pageviews"));
      runner.run(plan, db.connection);
      String settings = w.qualified(java.util.Optional.empty(), "inc", "heap__run_settings");
      String where = " WHERE " + w.quote("name") + " = " + w.literal(SourcesWithRows.SETTING);
      List<String> firstList = values(db, "SELECT " + w.quote("value") + ", " + w.quote("run_id") + " FROM " + settings + where);
      assertThat(firstList.get(0)).isEqualTo("all_events,sessions");

      // the pageviews arrive; the next run succeeds and, as a heap without the list does, leaves the first run's list
      db.insert("pageviews", pageview(1, 1, 100, "2024-03-01T09:00:00", "/a"));
      runner.run(plan, db.connection);
      db.execute("UPDATE " + settings + " SET " + w.quote("value") + " = " + w.literal(firstList.get(0)) + ", " + w.quote("run_id") + " = "
          + w.literal(firstList.get(1)) + where);
      assertThat(db.rows("inc", PAGEVIEW_FACT)).hasSize(1);

      // a re-sync empties pageviews
      db.execute("DELETE FROM " + ReconcileTest.source(db, "pageviews"));
      Map<String, List<String>> before = facts(db);
      assertThatThrownBy(() -> runner.run(plan, db.connection, true))
          .isInstanceOf(HeapRunException.class)
          .hasMessageContaining("nothing was changed: ")
          .hasMessageContaining(" (source.tables.pageviews) has no rows, while " + PAGEVIEW_FACT + " holds rows built from it (the last"
              + " successful run, ")
          .hasMessageContaining("--allow-emptied-sources");
      assertThatThrownBy(() -> runner.run(plan, db.connection)).hasMessageContaining("(source.tables.pageviews) has no rows, while");
      assertThat(facts(db)).isEqualTo(before);

      // allowed: rebuilt from it, empty; and a fact empty too is no change, the next run goes ahead
      assertThat(runner.allowingEmptiedSources().prepare(plan, db.connection, false).decisions())
          .filteredOn(d -> d.model().equals(PAGEVIEW_FACT)).singleElement()
          .satisfies(d -> assertThat(d.reason()).contains("which has no rows while " + PAGEVIEW_FACT + " holds rows of it (allowed)"));
      runner.allowingEmptiedSources().run(plan, db.connection);
      assertThat(db.rows("inc", PAGEVIEW_FACT)).isEmpty();
      db.execute("UPDATE " + settings + " SET " + w.quote("value") + " = " + w.literal(firstList.get(0)) + ", " + w.quote("run_id") + " = "
          + w.literal(firstList.get(1)) + where);
      db.insert("all_events", event(2, 1, 100, "2024-03-01T09:05:00", "signup"));
      runner.run(plan, db.connection);
      db.runFull();
      for (String fact : TwinTargets.FACTS) {
        assertThat(db.rows("inc", fact)).as(fact).isEqualTo(db.rows("full", fact));
      }
    }
  }

  /** The columns of the one row {@code sql} selects, as text. */
  private static List<String> values(TwinTargets db, String sql) throws java.sql.SQLException {
    try (java.sql.Statement s = db.connection.createStatement();
        java.sql.ResultSet rs = s.executeQuery(sql)) {
      assertThat(rs.next()).as(sql).isTrue();
      List<String> row = new java.util.ArrayList<>();
      for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
        row.add(rs.getString(i));
      }
      return row;
    }
  }

  /**
   * Identity resolution on: user_migrations emptied is refused; allowed, the facts are rebuilt without the
   * merges; refilled, the old merges (behind the mark) come back in a full rebuild of what reads the table,
   * where a merge of the active users left the facts unresolved, exit 0. Without identity resolution no
   * model reads user_migrations, and emptying it stops nothing.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"h2", "duckdb"})
  void aRefilledTableIsBuiltFromInFullAndOneNoModelReadsIsNotWatched(String engine) throws Exception {
    Warehouse w = LocalEngines.warehouse(engine);
    HeapConfig resolving = HeapConfig.builder().resolveMigrations(true).build();
    try (TwinTargets db = new TwinTargets(resolving, w, LocalEngines.open(engine, "heap_refilled"))) {
      ProjectPlan plan = HeapProject.standard(db.incremental).plan();
      JdbcRunner runner = new JdbcRunner(w);
      // user 2 became user 1 in January, long before any later mark
      db.insert("sessions", session(100, 1, "2024-03-01T09:00:00", null, null, null, null), session(200, 2, "2024-01-10T10:00:00", null, null, null, null));
      db.insert("pageviews", pageview(1, 1, 100, "2024-03-01T09:00:00", "/a"), pageview(2, 2, 200, "2024-01-10T10:00:00", "/b"));
      db.insert("all_events", event(1, 1, 100, "2024-03-01T09:00:00", "pageviews"), event(2, 2, 200, "2024-01-10T10:00:00", "pageviews"));
      db.insert("user_migrations", List.<Object[]>of(new Object[] {2L, 1L, java.time.LocalDateTime.parse("2024-01-10T11:00:00")}));
      runner.run(plan, db.connection);
      db.execute("DELETE FROM " + ReconcileTest.source(db, "user_migrations"));
      assertThatThrownBy(() -> runner.run(plan, db.connection)).hasMessageContaining("(source.tables.user_migrations) has no rows");
      runner.allowingEmptiedSources().run(plan, db.connection);

      db.insert("user_migrations", List.<Object[]>of(new Object[] {2L, 1L, java.time.LocalDateTime.parse("2024-01-10T11:00:00")}));
      db.insert("all_events", event(3, 1, 100, "2024-03-02T09:00:00", "purchase"));
      JdbcRunner.RunPlan next = runner.prepare(plan, db.connection, false);
      assertThat(next.decisions())
          .filteredOn(d -> d.model().equals("stg_heap_events_all_inc_fct"))
          .singleElement()
          .satisfies(d -> assertThat(d.full()).isTrue())
          .satisfies(d -> assertThat(d.reason()).contains("(source.tables.user_migrations), which had no rows at run ").contains(" and has rows now"));
      runner.run(plan, db.connection);
      db.runFull();
      for (String fact : TwinTargets.FACTS) {
        assertThat(db.rows("inc", fact)).as(fact).isEqualTo(db.rows("full", fact));
      }
    }
    // the same history without identity resolution: nothing reads user_migrations
    try (TwinTargets db = new TwinTargets(HeapConfig.builder().build(), w, LocalEngines.open(engine, "heap_unread"))) {
      ProjectPlan plan = HeapProject.standard(db.incremental).plan();
      db.insert("sessions", session(100, 1, "2024-03-01T09:00:00", null, null, null, null));
      db.insert("pageviews", pageview(1, 1, 100, "2024-03-01T09:00:00", "/a"));
      db.insert("all_events", event(1, 1, 100, "2024-03-01T09:00:00", "pageviews"));
      db.insert("user_migrations", List.<Object[]>of(new Object[] {2L, 1L, java.time.LocalDateTime.parse("2024-01-10T11:00:00")}));
      new JdbcRunner(w).run(plan, db.connection);
      db.execute("DELETE FROM " + ReconcileTest.source(db, "user_migrations"));
      new JdbcRunner(w).run(plan, db.connection);
    }
  }

  private static Map<String, List<String>> facts(TwinTargets db) {
    Map<String, List<String>> rows = new HashMap<>();
    for (String fact : TwinTargets.FACTS) {
      rows.put(fact, db.rows("inc", fact));
    }
    return rows;
  }
}
