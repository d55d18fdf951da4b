package io.heapsdk.models;

import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.analysis.Attribution;
import io.heapsdk.analysis.Funnel;
import io.heapsdk.analysis.Retention;
import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.model.ProjectPlan;
import io.heapsdk.run.AnalysisRunner;
import io.heapsdk.run.JdbcRunner;
import io.heapsdk.sample.SampleData;
import io.heapsdk.warehouse.BuildPlan;
import io.heapsdk.warehouse.Warehouses;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * H2 2.5 resolves a name to a table of the connection's current schema before a CTE of that name
 * ({@code WITH t AS (SELECT 2 AS x) SELECT * FROM t} reads table {@code t} when there is one). A host
 * application's own tables in that schema, named like heap's CTEs without the prefix H2's CTEs now get
 * ({@code FUNNEL_STEP_COUNTS}, {@code SESSION_EVENT_COUNTS}, …), change neither the facts nor the
 * analyses: the same rows as in a database without them. Before, such a table stood in for the CTE:
 * with the CTE's columns its rows became the funnel's (a host's probe), with other columns the build or
 * analysis failed on a column it could not find.
 */
class HostTablesNamedLikeCtesOnH2Test {
  private static final SampleData SAMPLE = SampleData.of(120, 20240101L);
  private static final HeapConfig CONFIG = SampleData.demoConfig();
  private static final Pattern CTE = Pattern.compile("\"(?:HEAP_CTE__)?([A-Z][A-Z0-9_]*)\" AS (?:NOT MATERIALIZED )?\\(");

  @Test
  void aHostsTablesNamedLikeHeapsCtesChangeNoResult() throws SQLException {
    HeapProject project = HeapProject.standard(CONFIG);
    ProjectPlan plan = project.plan();
    AnalysisRunner analyses = new AnalysisRunner(Warehouses.H2, project);
    List<String> steps = SampleData.FUNNEL_EVENTS;
    Funnel funnel = Funnel.builder().steps(steps).breakdown("channel").build();
    Attribution attribution = Attribution.builder().build();
    Retention retention = Retention.builder().periods(4).build();

    // every CTE name the builds (full and incremental) and the analyses use on H2
    Set<String> names = new TreeSet<>();
    for (String sql :
        List.of(
            BuildPlan.fullRefresh(Warehouses.H2, plan).script(), BuildPlan.incremental(Warehouses.H2, plan).script(),
            analyses.sql(funnel), analyses.sql(attribution), analyses.sql(retention))) {
      Matcher m = CTE.matcher(sql);
      while (m.find()) {
        names.add(m.group(1));
      }
    }
    assertThat(names).as("CTE names found").contains("SESSION_EVENT_COUNTS").hasSizeGreaterThan(10);

    List<String> clean = results(plan, analyses, funnel, attribution, retention, Set.of());
    List<String> withHostTables = results(plan, analyses, funnel, attribution, retention, names);
    assertThat(withHostTables).isEqualTo(clean);
  }

  /** The facts' rows and the three analyses' rows, on a new H2 database holding a table per name of {@code hostTables}. */
  private static List<String> results(
      ProjectPlan plan, AnalysisRunner analyses, Funnel funnel, Attribution attribution, Retention retention, Set<String> hostTables)
      throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        Statement s = c.createStatement()) {
      for (String name : hostTables) {
        // in the connection's current schema, where H2 looks an unqualified name up
        s.execute("CREATE TABLE \"" + name + "\" (\"X\" INT)");
        s.execute("INSERT INTO \"" + name + "\" VALUES (999)");
      }
      SAMPLE.load(c, Warehouses.H2, CONFIG);
      JdbcRunner runner = new JdbcRunner(Warehouses.H2);
      runner.run(plan, c);
      List<String> out = new ArrayList<>();
      for (String fact : List.of("stg_heap_events_all_inc_fct", "stg_heap_pageview_sessions_inc_fct", "stg_heap_sessions_inc_fct")) {
        try (ResultSet rs = s.executeQuery("SELECT * FROM \"" + CONFIG.targetSchema().toUpperCase(Locale.ROOT) + "\".\"" + fact.toUpperCase(Locale.ROOT) + "\"")) {
          List<String> rows = new ArrayList<>();
          int n = rs.getMetaData().getColumnCount();
          while (rs.next()) {
            StringBuilder row = new StringBuilder(fact);
            for (int i = 1; i <= n; i++) {
              row.append('|').append(rs.getString(i));
            }
            rows.add(row.toString());
          }
          rows.sort(null);
          out.addAll(rows);
        }
      }
      out.add(analyses.run(funnel, c).rows().toString());
      out.add(analyses.run(attribution, c).rows().toString());
      out.add(analyses.run(retention, c).rows().toString());
      for (String name : hostTables) {
        try (ResultSet rs = s.executeQuery("SELECT \"X\" FROM \"" + name + "\"")) {
          assertThat(rs.next() && rs.getInt(1) == 999 && !rs.next()).as("host table %s as it was", name).isTrue();
        }
      }
      return out;
    }
  }
}
