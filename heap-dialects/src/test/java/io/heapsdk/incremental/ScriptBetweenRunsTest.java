package io.heapsdk.incremental;

import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.model.ProjectPlan;
import io.heapsdk.run.JdbcRunner;
import io.heapsdk.testing.PostgresServer;
import io.heapsdk.warehouse.BuildPlan;
import io.heapsdk.warehouse.Warehouses;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A schema {@code heap run} builds, written in between by statements run outside it: {@code heap
 * compile}'s script run by psql, or a host executing a {@link BuildPlan}'s statements itself, built
 * from another config. The next run must not trust the definition it recorded before: it rebuilds the
 * facts in full, and they hold one definition, a full refresh's. Before, it recorded nothing of the
 * script, merged its active users alone, and the other users' rows kept the script's definition (a
 * review running the compiled script on PostgreSQL: 6 {@code add_to_cart} events a conversion, 120 not,
 * exit 0). Expected rows come from a full refresh of the same sources in a second schema.
 */
class ScriptBetweenRunsTest {
  private static final HeapConfig RUNS =
      HeapConfig.builder().funnelEvents(List.of("a", "b", "c")).conversionEvents(List.of("b")).ownDomain("example.com").build();
  /** What the script was compiled from: c is a conversion too, so the facts' conversion flags differ. */
  private static final HeapConfig SCRIPT = HeapConfig.builder().from(RUNS).conversionEvents(List.of("b", "c")).build();

  @Test
  void aHostsStatementsBetweenTwoRunsMakeTheNextRunRebuildTheFacts() throws Exception {
    try (TwinTargets db = new TwinTargets(RUNS)) {
      RandomHistory history = new RandomHistory(31L, false, RUNS.lateArrivalLookbackDays());
      addBatches(history, db, 0, 8);
      db.runIncremental();
      // the runner's own plans record the state themselves, and never mark it
      for (boolean full : new boolean[] {false, true}) {
        assertThat(new JdbcRunner(Warehouses.H2).plan(plan(RUNS), db.connection, full).script()).doesNotContain("written outside heap run");
      }
      // the host's own execution of the full refresh's statements, in order; a run beside it (the script
      // takes no lock) records its state after the script's first mark, which the last mark restores
      List<BuildPlan.Step> steps = BuildPlan.fullRefresh(Warehouses.H2, plan(SCRIPT)).steps();
      steps.get(0).statements().forEach(db::execute);
      db.runIncremental();
      steps.subList(1, steps.size()).forEach(step -> step.statements().forEach(db::execute));
      assertThat(conversionFlags(db)).as("the script's definition is in the facts").contains("c=true");

      history.addBatch(db, 8);
      JdbcRunner.RunPlan next = new JdbcRunner(Warehouses.H2).prepare(plan(RUNS), db.connection, false);
      assertThat(next.decisions())
          .filteredOn(d -> TwinTargets.FACTS.contains(d.model()))
          .allSatisfy(d -> assertThat(d.full()).isTrue())
          .anySatisfy(d -> assertThat(d.reason()).contains("statements run outside heap run"));
      db.runIncremental();
      db.runFull();
      for (String fact : TwinTargets.FACTS) {
        assertThat(db.rows("inc", fact)).as(fact).isEqualTo(db.rows("full", fact));
      }
      assertThat(conversionFlags(db)).containsExactly("c=false");

      // and the next run, with nothing written outside it since, is incremental again
      history.addBatch(db, 9);
      assertThat(new JdbcRunner(Warehouses.H2).prepare(plan(RUNS), db.connection, false).decisions())
          .filteredOn(d -> TwinTargets.FACTS.contains(d.model()))
          .noneSatisfy(d -> assertThat(d.full()).isTrue());
    }
  }

  /**
   * The full-refresh script run by psql, as the README says a script host does after a config change,
   * on a schema heap run builds with the old config. (An incremental script in between is marked too,
   * but its harm is rarer: the next run's recorded mark is usually older than the users it recomputed,
   * so the run recomputes them all again, unless the script's config has a longer lookback.)
   */
  @Test
  void aFullScriptRunByPsqlBetweenTwoRunsMakesTheNextRunRebuildTheFacts() throws Exception {
    PostgresServer server = PostgresServer.get();
    Connection c = server.newDatabase("heap_script_between_runs");
    try (TwinTargets db = new TwinTargets(RUNS, Warehouses.POSTGRES, c)) {
      RandomHistory history = new RandomHistory(37L, false, RUNS.lateArrivalLookbackDays());
      addBatches(history, db, 0, 8);
      new JdbcRunner(Warehouses.POSTGRES).allowingEmptiedSources().run(plan(RUNS), c);
      PostgresServer.Psql psql = server.psql(c.getCatalog(), BuildPlan.fullRefresh(Warehouses.POSTGRES, plan(SCRIPT)).script());
      assertThat(psql.exitCode()).as(psql.output()).isZero();
      assertThat(conversionFlags(db)).as("the script's definition is in the facts").containsExactly("c=true");

      history.addBatch(db, 8);
      new JdbcRunner(Warehouses.POSTGRES).allowingEmptiedSources().run(plan(RUNS), c);
      new JdbcRunner(Warehouses.POSTGRES).allowingEmptiedSources().run(HeapProject.standard(db.full).plan(), c, true);
      for (String fact : TwinTargets.FACTS) {
        assertThat(db.rows("inc", fact)).as(fact).isEqualTo(db.rows("full", fact));
      }
      assertThat(conversionFlags(db)).containsExactly("c=false");
    }
  }

  /**
   * On a schema no run has used, the script makes the table the mark needs and nothing else of the run
   * state; a run afterwards builds in full, as on any table it has no record of.
   */
  @Test
  void aScriptOnAFreshSchemaLeavesOnlyAnEmptyModelStateAndTheRunBuildsInFull() throws Exception {
    try (TwinTargets db = new TwinTargets(RUNS)) {
      RandomHistory history = new RandomHistory(41L, false, RUNS.lateArrivalLookbackDays());
      addBatches(history, db, 0, 4);
      BuildPlan.fullRefresh(Warehouses.H2, plan(RUNS)).steps().forEach(step -> step.statements().forEach(db::execute));
      assertThat(strings(db, "SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'INC' AND TABLE_NAME LIKE 'HEAP\\_\\_%'"))
          .containsExactly("HEAP__MODEL_STATE");
      assertThat(strings(db, "SELECT COUNT(*) FROM \"INC\".\"HEAP__MODEL_STATE\"")).containsExactly("0");

      history.addBatch(db, 4);
      assertThat(new JdbcRunner(Warehouses.H2).prepare(plan(RUNS), db.connection, false).decisions())
          .filteredOn(d -> TwinTargets.FACTS.contains(d.model()))
          .allSatisfy(d -> assertThat(d.full()).isTrue());
      db.runIncremental();
      db.runFull();
      for (String fact : TwinTargets.FACTS) {
        assertThat(db.rows("inc", fact)).as(fact).isEqualTo(db.rows("full", fact));
      }
    }
  }

  /** Batches {@code from} to {@code to} (exclusive): users whose rows end more than the lookback before the last. */
  private static void addBatches(RandomHistory history, TwinTargets db, int from, int to) {
    for (int k = from; k < to; k++) {
      history.addBatch(db, k);
    }
  }

  private static ProjectPlan plan(HeapConfig config) {
    return HeapProject.standard(TwinTargets.inc(config)).plan();
  }

  /** Whether the events fact counts event c a conversion, as "c=true" / "c=false", each once. */
  private static List<String> conversionFlags(TwinTargets db) {
    String fact = db.warehouse.qualified(java.util.Optional.empty(), "inc", "stg_heap_events_all_inc_fct");
    return strings(
        db,
        "SELECT DISTINCT 'c=' || CASE WHEN " + db.warehouse.quote("heap_event_is_conversion") + " THEN 'true' ELSE 'false' END FROM "
            + fact + " WHERE " + db.warehouse.quote("heap_event_name") + " = 'c' ORDER BY 1");
  }

  private static List<String> strings(TwinTargets db, String sql) {
    List<String> values = new java.util.ArrayList<>();
    try (java.sql.Statement s = db.connection.createStatement();
        java.sql.ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        values.add(rs.getString(1));
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(sql, e);
    }
    return values;
  }
}
