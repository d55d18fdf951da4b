package io.heapsdk.incremental;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.run.HeapRunException;
import io.heapsdk.run.JdbcRunner;
import io.heapsdk.run.SourceTables;
import io.heapsdk.warehouse.Warehouses;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A host's view on a fact, on H2: H2's DROP TABLE refuses a table a view reads ("Cannot drop … because …
 * depends on it"), and each fact is swapped on its own, so a full refresh stopped at the sessions fact's
 * swap after the events and pageview facts were replaced. Now the run is refused before its first
 * statement, naming the view, and changes nothing; once the view is dropped it runs. A view on another
 * table, or on a working table, does not stop it.
 */
class ViewsOnFactsOnH2Test {
  private static final HeapConfig BASE =
      HeapConfig.builder().funnelEvents(List.of("a", "b", "c")).conversionEvents(List.of("b")).ownDomain("example.com").build();

  @Test
  void aViewOnAFactRefusesAFullRefreshUpFrontInsteadOfStoppingItHalfWay() throws Exception {
    try (TwinTargets db = new TwinTargets(BASE, Warehouses.H2, DriverManager.getConnection("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1"))) {
      RandomHistory history = new RandomHistory(12L, false, BASE.lateArrivalLookbackDays());
      history.addBatch(db, 0);
      db.runIncremental();
      db.execute("CREATE VIEW \"PUBLIC\".\"DAILY_SESSIONS\" AS SELECT COUNT(*) AS \"N\" FROM \"INC\".\"STG_HEAP_SESSIONS_INC_FCT\"");
      // a view on a source and one on a table of the same name in another schema: neither depends on a fact of INC
      db.execute("CREATE VIEW \"PUBLIC\".\"ON_A_SOURCE\" AS SELECT COUNT(*) AS \"N\" FROM \"MAIN_PRODUCTION\".\"SESSIONS\"");
      db.execute("CREATE SCHEMA \"OTHER\"");
      db.execute("CREATE TABLE \"OTHER\".\"STG_HEAP_SESSIONS_INC_FCT\" (\"X\" INT)");
      db.execute("CREATE VIEW \"PUBLIC\".\"ON_OTHER\" AS SELECT COUNT(*) AS \"N\" FROM \"OTHER\".\"STG_HEAP_SESSIONS_INC_FCT\"");
      history.addBatch(db, 1);
      List<String> events = db.rows("inc", TwinTargets.FACTS.get(0));

      String refusal =
          "nothing was changed: \"INC\".\"STG_HEAP_SESSIONS_INC_FCT\" gets a new table, and PUBLIC.DAILY_SESSIONS (a view) depends on"
              + " it. Drop them, run again, then create them again (heap never drops them)";
      JdbcRunner runner = new JdbcRunner(Warehouses.H2);
      assertThatThrownBy(() -> runner.run(HeapProject.standard(TwinTargets.inc(BASE)).plan(), db.connection, true))
          .isInstanceOf(HeapRunException.class)
          .hasMessage(refusal);
      assertThatThrownBy(() -> runner.prepare(HeapProject.standard(TwinTargets.inc(BASE)).plan(), db.connection, true)).hasMessage(refusal);
      // nothing was changed: the events fact, swapped first, still holds the first batch only
      assertThat(db.rows("inc", TwinTargets.FACTS.get(0))).isEqualTo(events);

      // an incremental run replaces no table: the view does not stop it
      db.runIncremental();
      db.execute("DROP VIEW \"PUBLIC\".\"DAILY_SESSIONS\"");
      runner.run(HeapProject.standard(TwinTargets.inc(BASE)).plan(), db.connection, true);
      db.runFull();
      for (String fact : TwinTargets.FACTS) {
        assertThat(db.rows("inc", fact)).as(fact).isEqualTo(db.rows("full", fact)).isNotEmpty();
      }
    }
  }

  /**
   * H2 stores a name with characters beyond ASCII in a view's definition as a Unicode escape
   * ({@code U&"\\5206…"}): the view on a fact of a schema named in Japanese, with an emoji and a quote,
   * was not found, and the run stopped at that fact with H2's own message after the events fact had been
   * replaced.
   */
  @Test
  void aViewOnAFactOfASchemaNamedBeyondAsciiIsFoundToo() throws Exception {
    HeapConfig config = HeapConfig.builder().from(BASE).targetSchema("分析🛒\"モデル").build();
    try (Connection c = DriverManager.getConnection("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        Statement s = c.createStatement()) {
      new SourceTables(Warehouses.H2, config).create(c);
      JdbcRunner runner = new JdbcRunner(Warehouses.H2);
      runner.run(HeapProject.standard(config).plan(), c);
      s.execute("CREATE SCHEMA \"ビュー\"");
      s.execute("CREATE VIEW \"ビュー\".\"日次セッション\" AS SELECT COUNT(*) AS \"N\" FROM \"分析🛒\"\"モデル\".\"STG_HEAP_SESSIONS_INC_FCT\"");
      assertThatThrownBy(() -> runner.run(HeapProject.standard(config).plan(), c, true))
          .isInstanceOf(HeapRunException.class)
          .hasMessage(
              "nothing was changed: \"分析🛒\"\"モデル\".\"STG_HEAP_SESSIONS_INC_FCT\" gets a new table, and ビュー.日次セッション (a view)"
                  + " depends on it. Drop them, run again, then create them again (heap never drops them)");
      s.execute("DROP VIEW \"ビュー\".\"日次セッション\"");
      assertThat(runner.run(HeapProject.standard(config).plan(), c, true).models()).hasSize(3);
    }
  }
}
