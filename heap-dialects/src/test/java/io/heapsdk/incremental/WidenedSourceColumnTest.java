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
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A source column widened after the facts were built (Heap Connect syncing longer values into a column
 * it made wider): the facts kept the narrower type they were built with, and an incremental run's longer
 * rows are refused by the database. The run says what happened and what rebuilds the facts, where it gave
 * the database's words alone ("value too long for type character varying(12)"); a full refresh does.
 */
class WidenedSourceColumnTest {
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"h2", "postgres"})
  void aWidenedSourceColumnIsNamedAsTheReasonAndAFullRefreshTakesIt(String engine) throws Exception {
    Warehouse w = LocalEngines.warehouse(engine);
    HeapConfig config = HeapConfig.builder().build();
    try (TwinTargets db = new TwinTargets(config, w, LocalEngines.open(engine, "heap_widened"))) {
      String pageviews = ReconcileTest.source(db, "pageviews");
      String path = w.quote("path");
      db.execute("ALTER TABLE " + pageviews + (engine.equals("h2") ? " ALTER COLUMN " + path + " SET DATA TYPE VARCHAR(12)"
          : " ALTER COLUMN " + path + " TYPE VARCHAR(12)"));
      db.insert("sessions", session(100, 1, "2024-03-01T09:00:00", null, null, null, null));
      db.insert("pageviews", pageview(1, 1, 100, "2024-03-01T09:00:00", "/pricing"));
      db.insert("all_events", event(1, 1, 100, "2024-03-01T09:00:00", "pageviews"));
      JdbcRunner runner = new JdbcRunner(w);
      runner.run(HeapProject.standard(db.incremental).plan(), db.connection);

      db.execute("ALTER TABLE " + pageviews + (engine.equals("h2") ? " ALTER COLUMN " + path + " SET DATA TYPE VARCHAR(2000)"
          : " ALTER COLUMN " + path + " TYPE VARCHAR(2000)"));
      db.insert("sessions", session(200, 2, "2024-03-02T09:00:00", null, null, null, null));
      db.insert("pageviews", pageview(2, 2, 200, "2024-03-02T09:00:00", "/a-path-longer-than-twelve-characters"));
      db.insert("all_events", event(2, 2, 200, "2024-03-02T09:00:00", "pageviews"));
      assertThatThrownBy(() -> runner.run(HeapProject.standard(db.incremental).plan(), db.connection))
          .isInstanceOf(HeapRunException.class)
          .hasMessageContaining("a source column is wider now than the fact's, which kept the type it was built with:"
              + " heap run --full-refresh, or JdbcRunner.run(…, true), rebuilds the facts with the sources' types");

      runner.run(HeapProject.standard(db.incremental).plan(), db.connection, true);
      db.runFull();
      for (String fact : List.of("stg_heap_pageview_sessions_inc_fct")) {
        assertThat(db.rows("inc", fact)).as(fact).isEqualTo(db.rows("full", fact)).hasSize(2);
      }
    }
  }
}
