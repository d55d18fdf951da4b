package io.heapsdk.incremental;

import static io.heapsdk.testing.Rows.event;
import static io.heapsdk.testing.Rows.pageview;
import static io.heapsdk.testing.Rows.session;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.run.HeapRunException;
import io.heapsdk.run.JdbcRunner;
import io.heapsdk.testing.LocalEngines;
import io.heapsdk.warehouse.Warehouse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A source column widened after the facts were built (Heap Connect syncing longer values into a column
 * it made wider): the facts kept the narrower type they were built with, and an incremental run's longer
 * rows are refused by the database. Each successful run records the sources' text widths, so the next
 * one rebuilds what is built from a widened table in full, and says why; where no widths were recorded
 * (the first run after an upgrade from a version that did not record them) the run's failure says what
 * happened and what rebuilds the facts, where it gave the database's words alone ("value too long for
 * type character varying(12)").
 */
class WidenedSourceColumnTest {
  private static final String PAGEVIEW_FACT = "stg_heap_pageview_sessions_inc_fct";

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"h2", "postgres"})
  void aSourceColumnWidenedSinceTheLastRunRebuildsWhatReadsItInFull(String engine) throws Exception {
    Warehouse w = LocalEngines.warehouse(engine);
    try (TwinTargets db = new TwinTargets(HeapConfig.builder().build(), w, LocalEngines.open(engine, "heap_widened"))) {
      JdbcRunner runner = new JdbcRunner(w);
      firstRunOnANarrowColumn(db, engine);
      widenAndAddALongPath(db, engine);
      JdbcRunner.RunPlan next = runner.prepare(HeapProject.standard(db.incremental).plan(), db.connection, false);
      assertThat(next.decisions())
          .filteredOn(d -> d.model().equals(PAGEVIEW_FACT))
          .singleElement()
          .satisfies(d -> assertThat(d.full()).isTrue())
          .satisfies(d -> assertThat(d.reason())
              .contains("(source.tables.pageviews) has a text column wider than at run ")
              .contains(": " + w.storedName("path") + " 12 -> 2000; rebuilt in full, since the fact keeps the width it was built with"));
      // the events fact reads no pageview: merged as usual
      assertThat(next.decisions())
          .filteredOn(d -> d.model().equals("stg_heap_events_all_inc_fct"))
          .singleElement()
          .satisfies(d -> assertThat(d.full()).isFalse());
      runner.run(HeapProject.standard(db.incremental).plan(), db.connection);
      db.runFull();
      assertThat(db.rows("inc", PAGEVIEW_FACT)).isEqualTo(db.rows("full", PAGEVIEW_FACT)).hasSize(2);
      // recorded again: the run after it merges
      db.insert("pageviews", pageview(3, 2, 200, "2024-03-02T09:05:00", "/another-path-longer-than-twelve"));
      assertThat(runner.prepare(HeapProject.standard(db.incremental).plan(), db.connection, false).decisions())
          .allSatisfy(d -> assertThat(d.full()).as(d.model()).isFalse());
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"h2", "postgres"})
  void withoutRecordedWidthsTheFailureNamesTheReasonAndAFullRefreshTakesIt(String engine) throws Exception {
    Warehouse w = LocalEngines.warehouse(engine);
    try (TwinTargets db = new TwinTargets(HeapConfig.builder().build(), w, LocalEngines.open(engine, "heap_widened_unrecorded"))) {
      JdbcRunner runner = new JdbcRunner(w);
      firstRunOnANarrowColumn(db, engine);
      // as after a run of a version that did not record the widths
      db.execute("DELETE FROM " + w.qualified(java.util.Optional.empty(), "inc", "heap__run_settings")
          + " WHERE " + w.quote("name") + " = " + w.literal("source_text_widths"));
      widenAndAddALongPath(db, engine);
      assertThatThrownBy(() -> runner.run(HeapProject.standard(db.incremental).plan(), db.connection))
          .isInstanceOf(HeapRunException.class)
          .hasMessageContaining("a source column is wider now than the fact's, which kept the type it was built with:"
              + " heap run --full-refresh, or JdbcRunner.run(…, true), rebuilds the facts with the sources' types");

      runner.run(HeapProject.standard(db.incremental).plan(), db.connection, true);
      db.runFull();
      assertThat(db.rows("inc", PAGEVIEW_FACT)).isEqualTo(db.rows("full", PAGEVIEW_FACT)).hasSize(2);
    }
  }

  /** pageviews.path as VARCHAR(12), one pageview, a first run. */
  private static void firstRunOnANarrowColumn(TwinTargets db, String engine) {
    alterPath(db, engine, 12);
    db.insert("sessions", session(100, 1, "2024-03-01T09:00:00", null, null, null, null));
    db.insert("pageviews", pageview(1, 1, 100, "2024-03-01T09:00:00", "/pricing"));
    db.insert("all_events", event(1, 1, 100, "2024-03-01T09:00:00", "pageviews"));
    new JdbcRunner(db.warehouse).run(HeapProject.standard(db.incremental).plan(), db.connection);
  }

  /** pageviews.path widened to VARCHAR(2000), and a pageview whose path needs it. */
  private static void widenAndAddALongPath(TwinTargets db, String engine) {
    alterPath(db, engine, 2000);
    db.insert("sessions", session(200, 2, "2024-03-02T09:00:00", null, null, null, null));
    db.insert("pageviews", pageview(2, 2, 200, "2024-03-02T09:00:00", "/a-path-longer-than-twelve-characters"));
    db.insert("all_events", event(2, 2, 200, "2024-03-02T09:00:00", "pageviews"));
  }

  private static void alterPath(TwinTargets db, String engine, int width) {
    String pageviews = ReconcileTest.source(db, "pageviews");
    String path = db.warehouse.quote("path");
    db.execute("ALTER TABLE " + pageviews + (engine.equals("h2") ? " ALTER COLUMN " + path + " SET DATA TYPE VARCHAR(" + width + ")"
        : " ALTER COLUMN " + path + " TYPE VARCHAR(" + width + ")"));
  }
}
