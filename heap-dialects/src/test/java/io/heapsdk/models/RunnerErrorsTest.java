package io.heapsdk.models;

import static io.heapsdk.testing.Rows.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.run.HeapRunException;
import io.heapsdk.testing.H2Db;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** A statement the database refuses stops the run with an error naming the model and the statement. */
class RunnerErrorsTest {
  @Test
  void refusedStatementNamesModelAndStatement() throws Exception {
    try (H2Db db = H2Db.create(HeapConfig.defaults())) {
      db.insert("all_events", event(1, 1, 10, "2024-01-01T10:00:00", "a"));
      try (Statement s = db.connection().createStatement()) {
        s.execute("DROP TABLE \"MAIN_PRODUCTION\".\"PAGEVIEWS\"");
      }
      assertThatThrownBy(db::buildStandard)
          .isInstanceOf(HeapRunException.class)
          .hasMessageStartingWith("model stg_heap_pageview_sessions_inc_fct failed on h2: ")
          .hasMessageContaining("PAGEVIEWS")
          .satisfies(
              e -> {
                HeapRunException r = (HeapRunException) e;
                assertThat(r.model()).isEqualTo("stg_heap_pageview_sessions_inc_fct");
                // H2 builds into a __new table first, so the failure leaves any old table in place
                assertThat(r.statement()).startsWith("CREATE TABLE \"HEAP_MODELS\".\"STG_HEAP_PAGEVIEW_SESSIONS_INC_FCT__NEW\"");
              });
      // the models before it were built
      assertThat(db.table("stg_heap_events_all_inc_fct")).hasSize(1);
    }
  }
}
