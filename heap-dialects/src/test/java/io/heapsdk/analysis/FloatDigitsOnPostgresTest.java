package io.heapsdk.analysis;

import static io.heapsdk.testing.Rows.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.run.AnalysisRunner;
import io.heapsdk.run.JdbcRunner;
import io.heapsdk.run.SourceTables;
import io.heapsdk.testing.LocalEngines;
import io.heapsdk.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An analysis on a PostgreSQL session left at {@code extra_float_digits = 0} (the default before
 * PostgreSQL 12, which old configurations and poolers still set): the server sends a double rounded to 15
 * significant digits as text, and the results said 0.333333333333333 for one in three (a probe saw
 * 0.433333333333333 for 0.43333333333333335 in JSON, which carries exact values). The analysis now sets
 * the setting for its query and puts the session's value back. Expected: Java's 1.0 / 3.
 */
class FloatDigitsOnPostgresTest {
  private static final HeapConfig CONFIG = HeapConfig.builder().funnelEvents(List.of("a", "b")).build();

  @Test
  void aSessionAtFifteenDigitsGetsEveryDigitAndKeepsItsSetting() throws Exception {
    Warehouse w = LocalEngines.warehouse("postgres");
    try (Connection c = LocalEngines.open("postgres", "heap_float_digits")) {
      SourceTables sources = new SourceTables(w, CONFIG);
      sources.create(c);
      // three users do a, one of them b
      sources.insert(c, "all_events", List.of(
          event(1, 1, 1, "2024-03-01T10:00:00", "a"), event(2, 1, 1, "2024-03-01T10:05:00", "b"),
          event(3, 2, 2, "2024-03-01T11:00:00", "a"),
          event(4, 3, 3, "2024-03-01T12:00:00", "a")));
      new JdbcRunner(w).run(HeapProject.standard(CONFIG).plan(), c);
      try (Statement s = c.createStatement()) {
        s.execute("SET extra_float_digits = 0");
      }
      FunnelResult result = new AnalysisRunner(w, CONFIG).run(Funnel.builder().step("a").step("b").build(), c);
      assertThat(result.rows()).extracting(FunnelResult.Row::entered).containsExactly(3L, 1L);
      assertThat(result.rows().get(1).conversionFromFirst()).isEqualTo(1.0 / 3);
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT current_setting('extra_float_digits')")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).as("the session's own setting, put back").isEqualTo("0");
      }
    }
  }
}
