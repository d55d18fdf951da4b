package io.heapsdk.incremental;

import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.testing.PostgresServer;
import io.heapsdk.warehouse.BuildPlan;
import io.heapsdk.warehouse.Warehouses;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a compiled script sets for psql's session before its first statement.
 *
 * <p>Its encoding: a script run by psql on a database whose default {@code client_encoding} is not UTF-8 (set by a
 * DBA: {@code ALTER DATABASE … SET client_encoding = 'LATIN1'}, as a legacy application's database has
 * it). psql sends the script's bytes as they are, and the server reads them in the session's encoding:
 * the UTF-8 of {@code Käufe} read as LATIN1 is {@code KÃ¤ufe}, which no event is named, and the facts
 * came out with no funnel position and no conversion, psql exiting 0 (a probe: 30 conversions instead of
 * 74). The script now sets the encoding it is written in first, as pg_dump's output does. Expected
 * values: the runner's facts from the same rows, whose driver always speaks UTF-8.
 *
 * <p>JIT off, as the runner's session has it: with identity resolution the identity map's row estimates
 * make every statement's estimated cost pass {@code jit_above_cost}, and psql's session compiled each
 * one for one to two seconds.
 */
class ScriptSessionOnPostgresTest {
  private static final HeapConfig CONFIG =
      HeapConfig.builder().funnelEvents(List.of("a", "Käufe", "c")).conversionEvents(List.of("Käufe")).ownDomain("example.com").build();

  @Test
  void aScriptOnADatabaseWhoseSessionsDefaultToLatin1BuildsWhatTheRunnerBuilds() throws Exception {
    PostgresServer server = PostgresServer.get();
    Connection c = server.newDatabase("heap_latin1_sessions");
    try (TwinTargets db = new TwinTargets(CONFIG, Warehouses.POSTGRES, c)) {
      new RandomHistory(37L, false, CONFIG.lateArrivalLookbackDays()).addBatch(db, 0);
      db.execute("UPDATE " + Warehouses.POSTGRES.qualified(java.util.Optional.empty(), CONFIG.sourceSchema(), "all_events")
          + " SET event_table_name = 'Käufe' WHERE event_table_name = 'b'");
      db.execute("ALTER DATABASE " + c.getCatalog() + " SET client_encoding = 'LATIN1'");

      String script = BuildPlan.fullRefresh(Warehouses.POSTGRES, HeapProject.standard(TwinTargets.inc(CONFIG)).plan()).script();
      PostgresServer.Psql psql = server.psql(c.getCatalog(), script);
      assertThat(psql.exitCode()).as(psql.output()).isZero();
      db.runFull();
      for (String fact : TwinTargets.FACTS) {
        assertThat(db.rows("inc", fact)).as(fact).isEqualTo(db.rows("full", fact)).isNotEmpty();
      }
      assertThat(db.rows("full", "stg_heap_sessions_inc_fct")).as("sessions with a conversion").anyMatch(r -> r.contains("true"));
    }
  }

  @Test
  void aScriptWithIdentityResolutionRunsWithoutJitOnADatabaseThatCompilesEveryStatement() throws Exception {
    PostgresServer server = PostgresServer.get();
    Connection c = server.newDatabase("heap_jit_everywhere");
    HeapConfig resolving = HeapConfig.builder().from(CONFIG).resolveMigrations(true).build();
    try (TwinTargets db = new TwinTargets(resolving, Warehouses.POSTGRES, c)) {
      RandomHistory history = new RandomHistory(41L, false, resolving.lateArrivalLookbackDays()).withReMerges().withCycles();
      for (int k = 0; k < 4; k++) {
        history.addBatch(db, k);
      }
      db.execute("ALTER DATABASE " + c.getCatalog() + " SET jit = on");
      db.execute("ALTER DATABASE " + c.getCatalog() + " SET jit_above_cost = 0");

      String script = BuildPlan.fullRefresh(Warehouses.POSTGRES, HeapProject.standard(TwinTargets.inc(resolving)).plan()).script();
      PostgresServer.Psql psql = server.psql(c.getCatalog(), script + "\nSELECT 'jit is ' || current_setting('jit') AS setting;\n");
      assertThat(psql.exitCode()).as(psql.output()).isZero();
      assertThat(psql.output()).contains("jit is off");
      db.runFull();
      for (String fact : TwinTargets.FACTS) {
        assertThat(db.rows("inc", fact)).as(fact).isEqualTo(db.rows("full", fact)).isNotEmpty();
      }
    }
  }
}
