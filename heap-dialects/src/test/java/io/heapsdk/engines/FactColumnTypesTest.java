package io.heapsdk.engines;

import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.model.PlannedModel;
import io.heapsdk.model.ProjectPlan;
import io.heapsdk.run.JdbcRunner;
import io.heapsdk.sample.SampleData;
import io.heapsdk.warehouse.SqlRenderer;
import io.heapsdk.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.JDBCType;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The facts' columns have the same SQL types on every engine we can run, as a tool reading them
 * (a BI tool, pandas, a Parquet export) sees them: a count, a session index, a sequence number or an
 * epoch is a 64-bit integer, never DuckDB's 128-bit HUGEINT (what DuckDB's {@code SUM} of integers
 * returns, and its pandas and Parquet exports turn into doubles: duckdb/duckdb#3143, #5294) nor a
 * NUMERIC. The expected types are written out from the spec's columns, not read from any engine.
 */
class FactColumnTypesTest {
  private static final SampleData SAMPLE = SampleData.of(40, 20240101L);

  /** The type name each fact column has on every engine: whole numbers BIGINT, except the funnel position. */
  private static final Map<String, String> EXPECTED = expected();

  private static Map<String, String> expected() {
    Map<String, String> m = new LinkedHashMap<>();
    // events fact
    m.put("heap_session_event_sequence", "BIGINT");
    m.put("heap_event_funnel_position", "INTEGER");
    // pageview sessions fact
    m.put("heap_pageview_session_index", "BIGINT");
    m.put("heap_pageview_session_sequence_number", "BIGINT");
    m.put("heap_pageview_session_start_epoch", "BIGINT");
    m.put("heap_pageview_session_end_epoch", "BIGINT");
    // sessions fact: one count per funnel step, and the conversions
    for (int i = 1; i <= SampleData.FUNNEL_EVENTS.size(); i++) {
      m.put("heap_session_funnel_step_" + i + "_cnt", "BIGINT");
    }
    m.put("heap_session_conversion_cnt", "BIGINT");
    m.put("heap_session_sequence_num", "BIGINT");
    return Map.copyOf(m);
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void countsAndIndexesAre64BitIntegersOnEveryEngine(Engine engine) throws SQLException {
    HeapConfig config = SampleData.demoConfig();
    Warehouse w = engine.warehouse();
    ProjectPlan plan = HeapProject.standard(config).plan();
    Map<String, String> actual = new LinkedHashMap<>();
    Map<String, String> names = new LinkedHashMap<>();
    try (Connection c = engine.open()) {
      SAMPLE.load(c, w, config);
      new JdbcRunner(w).run(plan, c);
      SqlRenderer renderer = new SqlRenderer(w, plan);
      for (PlannedModel m : plan.materialized()) {
        try (Statement s = c.createStatement();
            ResultSet rs = s.executeQuery("SELECT * FROM " + renderer.tableName(m.name()) + " WHERE 1 = 0")) {
          ResultSetMetaData md = rs.getMetaData();
          for (int i = 1; i <= md.getColumnCount(); i++) {
            String column = md.getColumnLabel(i).toLowerCase(Locale.ROOT);
            if (EXPECTED.containsKey(column)) {
              // the JDBC type, not the engine's name for it (PostgreSQL says int8 for BIGINT)
              actual.put(column, JDBCType.valueOf(md.getColumnType(i)).getName());
              names.put(column, md.getColumnTypeName(i));
            }
          }
        }
      }
    }
    assertThat(actual).as("JDBC types on %s (its own names: %s)", engine, names).isEqualTo(EXPECTED);
  }
}
