package io.heapsdk.incremental;

import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.run.RunResult;
import io.heapsdk.testing.PostgresServer;
import io.heapsdk.warehouse.BuildPlan;
import io.heapsdk.warehouse.Warehouse;
import io.heapsdk.warehouse.Warehouses;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL and Redshift analyze each fact after an incremental apply, outside the apply transaction;
 * on the real PostgreSQL server the planner's row count then matches the fact after the run.
 */
class AnalyzeAfterApplyTest {
  private static final HeapConfig CONFIG =
      HeapConfig.builder().funnelEvents(List.of("a", "b", "c")).conversionEvents(List.of("b")).ownDomain("example.com").build();

  @Test
  void analyzeStepsFollowTheWholeApplyOnPostgresAndRedshiftOnly() {
    for (Warehouse w : List.of(Warehouses.POSTGRES, Warehouses.REDSHIFT)) {
      List<BuildPlan.Step> steps = BuildPlan.incremental(w, HeapProject.standard(CONFIG).plan()).steps();
      int lastApply = -1;
      for (int i = 0; i < steps.size(); i++) {
        if (steps.get(i).phase() == BuildPlan.Phase.APPLY) {
          lastApply = i;
        }
      }
      List<BuildPlan.Step> analyze = steps.stream().filter(s -> s.phase() == BuildPlan.Phase.ANALYZE).toList();
      assertThat(analyze).extracting(BuildPlan.Step::model).containsExactlyElementsOf(TwinTargets.FACTS);
      assertThat(analyze).noneMatch(BuildPlan.Step::transactional);
      assertThat(steps.indexOf(analyze.get(0))).isEqualTo(lastApply + 1);
      for (BuildPlan.Step s : analyze) {
        assertThat(s.statements()).containsExactly("ANALYZE " + w.qualified(Optional.empty(), "heap_models", s.model()));
      }
      // in each fact's script, after the apply's COMMIT
      BuildPlan plan = BuildPlan.incremental(w, HeapProject.standard(CONFIG).plan());
      for (String fact : TwinTargets.FACTS) {
        String script = plan.script(fact);
        String statement = "ANALYZE " + w.qualified(Optional.empty(), "heap_models", fact) + ";";
        assertThat(script.indexOf(statement)).as(fact).isGreaterThan(script.lastIndexOf("COMMIT"));
        assertThat(script.lastIndexOf("COMMIT")).as(fact).isPositive();
      }
    }
    for (Warehouse w : List.of(Warehouses.H2, Warehouses.SNOWFLAKE, Warehouses.BIGQUERY, Warehouses.DUCKDB)) {
      assertThat(BuildPlan.incremental(w, HeapProject.standard(CONFIG).plan()).steps())
          .noneMatch(s -> s.phase() == BuildPlan.Phase.ANALYZE);
    }
  }

  @Test
  void onPostgresThePlannerSeesTheAppliedRows() throws Exception {
    Connection connection = PostgresServer.get().newDatabase("heap_analyze_after_apply");
    try (TwinTargets db = new TwinTargets(CONFIG, Warehouses.POSTGRES, connection)) {
      RandomHistory history = new RandomHistory(5L, false, CONFIG.lateArrivalLookbackDays());
      history.addBatch(db, 0);
      db.runIncremental();
      long[] before = new long[TwinTargets.FACTS.size()];
      for (int i = 0; i < before.length; i++) {
        before[i] = count(connection, TwinTargets.FACTS.get(i));
        assertThat(reltuples(connection, TwinTargets.FACTS.get(i))).isEqualTo(before[i]);
      }
      history.addBatch(db, 1);
      RunResult second = db.runIncremental();
      assertThat(second.mode()).isEqualTo(BuildPlan.Mode.INCREMENTAL);
      for (int i = 0; i < before.length; i++) {
        String fact = TwinTargets.FACTS.get(i);
        long after = count(connection, fact);
        // the batch changed the fact's size, so a stale estimate would still say `before`
        assertThat(after).as(fact).isNotEqualTo(before[i]);
        assertThat(reltuples(connection, fact)).as(fact).isEqualTo(after);
      }
    }
  }

  private static long count(Connection c, String fact) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM \"inc\".\"" + fact + "\"")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** The planner's row count, which ANALYZE sets (exactly, for a table smaller than its sample). */
  private static long reltuples(Connection c, String fact) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT c.reltuples FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = 'inc' AND c.relname = ?")) {
      s.setString(1, fact);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return Math.round(rs.getDouble(1));
      }
    }
  }
}
