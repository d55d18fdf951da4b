package io.heapsdk.incremental;

import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.model.PlannedModel;
import io.heapsdk.model.ProjectPlan;
import io.heapsdk.run.JdbcRunner;
import io.heapsdk.sample.SampleData;
import io.heapsdk.testing.PostgresServer;
import io.heapsdk.warehouse.BuildPlan;
import io.heapsdk.warehouse.Warehouses;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An incremental run on PostgreSQL rewrites only the fact rows whose values changed: PostgreSQL writes a
 * new row version for every row an UPDATE matches, so a MERGE that set every matched row left thousands
 * of dead versions per run (and the facts half again as large as a fresh build) for the handful that had
 * changed. Each row's {@code xmin}, the transaction that wrote its version, shows which were rewritten;
 * a row whose {@code xmin} moved must differ from what it was, and the facts still equal a full refresh.
 */
class UnchangedRowsOnPostgresTest {
  private static final HeapConfig CONFIG =
      HeapConfig.builder().funnelEvents(List.of("view_product", "add_to_cart", "purchase")).conversionEvents(List.of("purchase")).build();

  @Test
  void anIncrementalRunRewritesOnlyTheRowsThatChanged() throws Exception {
    try (Connection db = PostgresServer.get().newDatabase("heap_unchanged")) {
      SampleData sample = SampleData.of(400, 11);
      sample.load(db, Warehouses.POSTGRES, CONFIG);
      ProjectPlan plan = HeapProject.standard(CONFIG).plan();
      JdbcRunner runner = new JdbcRunner(Warehouses.POSTGRES);
      assertThat(runner.run(plan, db).mode()).isEqualTo(BuildPlan.Mode.FULL_REFRESH);
      for (PlannedModel fact : plan.materialized()) {
        execute(db, "CREATE TABLE \"public\".\"before_" + fact.name() + "\" AS SELECT xmin::text AS xm, t.* FROM " + table(fact) + " AS t");
      }
      sample.nextBatch().insert(db, Warehouses.POSTGRES, CONFIG);
      assertThat(runner.run(plan, db).mode()).isEqualTo(BuildPlan.Mode.INCREMENTAL);

      long rewrittenUnchanged = 0;
      long updated = 0;
      for (PlannedModel fact : plan.materialized()) {
        String before = "\"public\".\"before_" + fact.name() + "\"";
        String key = "\"" + fact.model().uniqueKey().orElseThrow() + "\"";
        // rows kept under the same key whose version was written again: changed ones and unchanged ones
        String join =
            " FROM " + table(fact) + " AS t JOIN " + before + " AS b ON t." + key + " = b." + key + " WHERE t.xmin::text <> b.xm";
        updated += count(db, "SELECT COUNT(*)" + join);
        rewrittenUnchanged += count(db, "SELECT COUNT(*)" + join + " AND to_jsonb(t) = to_jsonb(b) - 'xm'");
      }
      // the batch changes some existing rows (late events renumber sessions; a merge moves a user)
      assertThat(updated).as("rows the run really changed").isPositive();
      assertThat(rewrittenUnchanged).as("rows written again with the same values").isZero();
      // and the facts are a full refresh's (the cross-engine and property tests hold that in general)
      for (PlannedModel fact : plan.materialized()) {
        execute(db, "CREATE TABLE \"public\".\"incremental_" + fact.name() + "\" AS SELECT * FROM " + table(fact));
      }
      assertThat(runner.run(plan, db, true).mode()).isEqualTo(BuildPlan.Mode.FULL_REFRESH);
      for (PlannedModel fact : plan.materialized()) {
        String inc = "\"public\".\"incremental_" + fact.name() + "\"";
        assertThat(count(db, "SELECT COUNT(*) FROM (SELECT * FROM " + inc + " EXCEPT ALL SELECT * FROM " + table(fact) + ") AS d")
                + count(db, "SELECT COUNT(*) FROM (SELECT * FROM " + table(fact) + " EXCEPT ALL SELECT * FROM " + inc + ") AS d"))
            .as(fact.name())
            .isZero();
      }
    }
  }

  private static String table(PlannedModel fact) {
    return Warehouses.POSTGRES.table(CONFIG.targetDatabase(), CONFIG.targetSchema(), fact.name()).qualified();
  }

  private static void execute(Connection db, String sql) throws Exception {
    try (Statement s = db.createStatement()) {
      s.execute(sql);
    }
  }

  private static long count(Connection db, String sql) throws Exception {
    try (Statement s = db.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
