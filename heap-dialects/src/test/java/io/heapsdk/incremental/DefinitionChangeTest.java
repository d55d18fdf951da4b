package io.heapsdk.incremental;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heapsdk.config.ChannelRule;
import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.run.JdbcRunner;
import io.heapsdk.run.RunResult;
import io.heapsdk.testing.PostgresServer;
import io.heapsdk.warehouse.BuildPlan;
import io.heapsdk.warehouse.Warehouse;
import io.heapsdk.warehouse.Warehouses;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A config change followed by a plain run: exactly the facts whose definition changed, and those
 * downstream of them, are rebuilt in full; the others stay incremental; and every fact then equals a
 * full refresh under the new config, built in a second schema. Which facts each change reaches is
 * written by hand from the models: conversion events feed the events fact, which the sessions fact
 * reads; channel rules only the sessions fact; the session timeout only the pageview sessions fact.
 */
class DefinitionChangeTest {
  private static final String EVENTS = "stg_heap_events_all_inc_fct";
  private static final String PAGEVIEWS = "stg_heap_pageview_sessions_inc_fct";
  private static final String SESSIONS = "stg_heap_sessions_inc_fct";

  private static final HeapConfig BASE =
      HeapConfig.builder().funnelEvents(List.of("a", "b", "c")).conversionEvents(List.of("b")).ownDomain("example.com").build();

  static Stream<Arguments> changes() {
    Map<String, UnaryOperator<HeapConfig.Builder>> changes = new TreeMap<>();
    changes.put("a new conversion event", b -> b.conversionEvents(List.of("b", "z")));
    changes.put("channel rules", b -> b.channelRules(ChannelRule.defaults(Optional.empty()).subList(0, 3)));
    changes.put("session timeout", b -> b.sessionTimeoutMinutes(10));
    changes.put("a fourth funnel step", b -> b.funnelEvents(List.of("a", "b", "c", "z")));
    Map<String, Set<String>> rebuilt =
        Map.of(
            "a new conversion event", Set.of(EVENTS, SESSIONS),
            "channel rules", Set.of(SESSIONS),
            "session timeout", Set.of(PAGEVIEWS),
            "a fourth funnel step", Set.of(EVENTS, SESSIONS));
    return Stream.of("h2", "duckdb", "postgres")
        .flatMap(engine -> changes.keySet().stream().map(c -> Arguments.of(engine, c, changes.get(c), rebuilt.get(c))));
  }

  /** What the reason of a fact rebuilt for each change says changed: written from the config keys by hand. */
  private static final Map<String, String> SAID =
      Map.of(
          "a new conversion event", "conversion_events [\"b\"] -> [\"b\",\"z\"]",
          "channel rules", "channels.rules (not set) -> [{\"channel\":\"Facebook Paid\",\"when\":{\"all\":[{\"field\":\"utm_medium\",\"contains\":\"cpc\"},",
          "session timeout", "sessionization.timeout_minutes 30 -> 10",
          "a fourth funnel step", "funnel_events [\"a\",\"b\",\"c\"] -> [\"a\",\"b\",\"c\",\"z\"]");

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("changes")
  void changedFactsAndTheirDownstreamAreRebuiltTheRestMerged(
      String engine, String change, UnaryOperator<HeapConfig.Builder> edit, Set<String> expectedFull) throws Exception {
    Warehouse w = switch (engine) {
      case "h2" -> Warehouses.H2;
      case "duckdb" -> Warehouses.DUCKDB;
      default -> Warehouses.POSTGRES;
    };
    Connection c = switch (engine) {
      case "h2" -> DriverManager.getConnection("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
      case "duckdb" -> DriverManager.getConnection("jdbc:duckdb:");
      default -> PostgresServer.get().newDatabase("heap_definition_change");
    };
    try (TwinTargets db = new TwinTargets(BASE, w, c)) {
      RandomHistory history = new RandomHistory(change.hashCode(), false, BASE.lateArrivalLookbackDays());
      history.addBatch(db, 0);
      assertThat(db.runIncremental().mode()).as("first run: no state").isEqualTo(BuildPlan.Mode.FULL_REFRESH);
      history.addBatch(db, 1);
      assertThat(db.runIncremental().mode()).isEqualTo(BuildPlan.Mode.INCREMENTAL);

      HeapConfig changed = edit.apply(HeapConfig.builder().from(BASE)).build();
      history.addBatch(db, 2);
      JdbcRunner.RunPlan planned =
          new JdbcRunner(w).prepare(HeapProject.standard(TwinTargets.inc(changed)).plan(), c, false);
      for (JdbcRunner.ModelDecision d : planned.decisions()) {
        assertThat(d.full()).as("%s: %s", d.model(), d.reason()).isEqualTo(expectedFull.contains(d.model()));
        if (d.full()) {
          assertThat(d.reason()).matches("definition changed: .*|downstream of .*");
        }
        // and names the key that changed, as the config writes it (the value JSON), before the same run
        if (d.reason().startsWith("definition changed: ")) {
          assertThat(d.reason()).as(d.model()).contains("; the config changed since run ").contains(SAID.get(change));
        }
        // a rebuild that changes its table's columns says how, before it runs
        if (change.equals("a fourth funnel step") && d.model().equals(SESSIONS)) {
          assertThat(d.reason()).endsWith("; the table's columns change: adds " + w.storedName("heap_session_funnel_step_4_cnt"));
        } else {
          assertThat(d.reason()).doesNotContain("the table's columns change");
        }
      }
      RunResult result = db.runIncremental(changed);
      assertThat(result.mode()).isEqualTo(BuildPlan.Mode.INCREMENTAL);
      db.runFull(changed);
      assertSameFacts(db, "after the change");

      // the next run is a plain incremental one again, every fact merged
      history.addBatch(db, 3);
      JdbcRunner.RunPlan next = new JdbcRunner(w).prepare(HeapProject.standard(TwinTargets.inc(changed)).plan(), c, false);
      assertThat(next.decisions()).allMatch(d -> !d.full(), "every fact incremental");
      db.runIncremental(changed);
      db.runFull(changed);
      assertSameFacts(db, "one batch later");
    }
  }

  /**
   * A run under a changed config that stops after replacing some facts (here: building the sessions
   * fact fails after the events fact was swapped in), then the config changed back: the next run must
   * not take the events fact for one of the old definition. It did: the state still named the old
   * definition, the run merged only its recomputed users, and every other user kept the stopped run's
   * funnel positions (found operating the CLI on PostgreSQL for a simulated month).
   */
  @ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.ValueSource(strings = {"h2", "duckdb", "postgres"})
  void aRunStoppedAfterReplacingSomeFactsLeavesNoneUnderAnotherDefinition(String engine) throws Exception {
    Warehouse w = io.heapsdk.testing.LocalEngines.warehouse(engine);
    try (TwinTargets db = new TwinTargets(BASE, w, io.heapsdk.testing.LocalEngines.open(engine, "heap_stopped_replacement"))) {
      RandomHistory history = new RandomHistory(11L, false, BASE.lateArrivalLookbackDays());
      history.addBatch(db, 0);
      db.runIncremental();
      history.addBatch(db, 1);
      db.runIncremental();

      // "z" becomes funnel step 4: the events fact's positions change, the sessions fact gets a column
      HeapConfig changed = HeapConfig.builder().from(BASE).funnelEvents(List.of("a", "b", "c", "z")).build();
      history.addBatch(db, 2);
      Connection failing =
          FailureInjectionTest.failingOn(
              db.connection,
              sql -> sql.startsWith("CREATE")
                  && sql.toLowerCase(java.util.Locale.ROOT).contains(SESSIONS)
                  && !sql.toLowerCase(java.util.Locale.ROOT).contains("index"));
      assertThatThrownBy(() -> new JdbcRunner(w).run(HeapProject.standard(TwinTargets.inc(changed)).plan(), failing))
          .hasMessageContaining("injected failure");
      assertThat(db.rows("inc", EVENTS))
          .as("the events fact was replaced before the failure")
          .anyMatch(r -> r.matches("(?i).*heap_event_funnel_position=4 .*"));

      // the config goes back, and the next plain run must not merge into the stopped run's events fact
      JdbcRunner.RunPlan planned = new JdbcRunner(w).prepare(HeapProject.standard(db.incremental).plan(), db.connection, false);
      assertThat(planned.decisions())
          .filteredOn(d -> d.model().equals(EVENTS))
          .singleElement()
          .satisfies(d -> assertThat(d.full()).as(d.reason()).isTrue());
      // the sessions fact's build failed: where that build is what replaces the table (DuckDB's CREATE OR
      // REPLACE), its state says so; where it went into __new, the table and its state are untouched (it is
      // rebuilt anyway, downstream of the events fact)
      JdbcRunner.ModelDecision sessionsDecision =
          planned.decisions().stream().filter(d -> d.model().equals(SESSIONS)).findFirst().orElseThrow();
      if (w.buildsIntoNewTable()) {
        assertThat(sessionsDecision.reason()).isEqualTo("downstream of " + EVENTS + ", which is rebuilt in full");
      } else {
        assertThat(sessionsDecision.reason()).matches("run \\w+ stopped at replacing the table \\(refused, cancelled or killed there\\), so the definition it holds is unknown");
      }
      db.runIncremental();
      db.runFull();
      assertSameFacts(db, "after the stopped run and the config changed back");
    }
  }

  /**
   * Where the config did not change, the reason says what did: heap's version (an upgrade rendering the
   * model otherwise), or, the version the same, the model's own definition. Without a record of the
   * settings (a schema last run by a heap that kept none) it says only that the fingerprint changed. The
   * upgrade is made by hand in the state: the recorded version set back, the fingerprint changed.
   */
  @org.junit.jupiter.api.Test
  void theReasonSaysAnUpgradeOrTheModelsOwnDefinitionWhereTheConfigIsUnchanged() throws Exception {
    try (TwinTargets db = new TwinTargets(BASE)) {
      new RandomHistory(5L, false, BASE.lateArrivalLookbackDays()).addBatch(db, 0);
      db.runIncremental();
      String version = io.heapsdk.run.HeapVersion.get().orElseThrow();
      db.execute("UPDATE \"INC\".\"HEAP__RUN_SETTINGS\" SET \"VALUE\" = '0.0.9' WHERE \"NAME\" = 'heap_version'");
      db.execute("UPDATE \"INC\".\"HEAP__MODEL_STATE\" SET \"FINGERPRINT\" = 'f00d' WHERE \"MODEL\" = '" + PAGEVIEWS + "'");
      String upgraded = reason(db, PAGEVIEWS);
      java.util.regex.Matcher run = java.util.regex.Pattern.compile("^definition changed: fingerprint f00d \\(run (\\w+), by [^)]+\\) -> \\w+; ")
          .matcher(upgraded);
      assertThat(run.find()).as(upgraded).isTrue();
      assertThat(upgraded)
          .endsWith("; the config is as at run " + run.group(1) + ", built by heap 0.0.9: heap " + version + " renders the model otherwise");

      db.execute("UPDATE \"INC\".\"HEAP__RUN_SETTINGS\" SET \"VALUE\" = '" + version + "' WHERE \"NAME\" = 'heap_version'");
      assertThat(reason(db, PAGEVIEWS))
          .endsWith("; the config and heap's version are as at run " + run.group(1) + ": the model's own definition changed"
              + " (a model of your own, or heap built from other sources under the same version)");

      // a schema last run by a heap that recorded no settings
      db.execute("DELETE FROM \"INC\".\"HEAP__RUN_SETTINGS\" WHERE \"NAME\" = 'model_settings'");
      assertThat(reason(db, PAGEVIEWS)).matches("definition changed: fingerprint f00d \\(run \\w+, by [^)]+\\) -> \\w+");
      // the other facts are unchanged: nothing to explain
      assertThat(reason(db, EVENTS)).startsWith("definition unchanged");
    }
  }

  /**
   * The recorded settings read back as written on each engine: quotes, a backslash (which JSON escapes,
   * and some warehouses' literals treat as an escape) and Japanese text in an event name report no change.
   */
  @ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.ValueSource(strings = {"h2", "duckdb", "postgres"})
  void recordedSettingsReadBackAsWritten(String engine) throws Exception {
    HeapConfig config = HeapConfig.builder().from(BASE).conversionEvents(List.of("b", "it's \"quoted\" \\ back", "購入")).build();
    Warehouse w = io.heapsdk.testing.LocalEngines.warehouse(engine);
    try (TwinTargets db = new TwinTargets(config, w, io.heapsdk.testing.LocalEngines.open(engine, "heap_settings_read_back"))) {
      new RandomHistory(6L, false, BASE.lateArrivalLookbackDays()).addBatch(db, 0);
      db.runIncremental();
      String state = w.table(Optional.empty(), "inc", "heap__model_state").qualified();
      db.execute("UPDATE " + state + " SET " + w.quote("fingerprint") + " = 'f00d' WHERE " + w.quote("model") + " = " + w.literal(EVENTS));
      assertThat(reason(db, EVENTS)).contains("; the config and heap's version are as at run ");
    }
  }

  private static String reason(TwinTargets db, String model) {
    JdbcRunner.RunPlan planned = new JdbcRunner(db.warehouse).prepare(HeapProject.standard(db.incremental).plan(), db.connection, false);
    return planned.decisions().stream().filter(d -> d.model().equals(model)).findFirst().orElseThrow().reason();
  }

  private static void assertSameFacts(TwinTargets db, String when) {
    for (String fact : TwinTargets.FACTS) {
      assertThat(db.rows("inc", fact)).as("%s, %s", when, fact).isEqualTo(db.rows("full", fact)).isNotEmpty();
    }
  }

  /** A change of many columns names the first 20 and counts the rest: 5,000 funnel steps made a 150 KB log line. */
  @org.junit.jupiter.api.Test
  void aChangeOfManyColumnsNamesTwentyAndCountsTheRest() throws Exception {
    try (TwinTargets db = new TwinTargets(BASE)) {
      RandomHistory history = new RandomHistory(5, false, BASE.lateArrivalLookbackDays());
      history.addBatch(db, 0);
      db.runIncremental();
      List<String> steps = new java.util.ArrayList<>(List.of("a", "b", "c"));
      for (int i = 1; i <= 30; i++) {
        steps.add("step" + i);
      }
      HeapConfig many = HeapConfig.builder().from(BASE).funnelEvents(steps).build();
      JdbcRunner.RunPlan planned = new JdbcRunner(Warehouses.H2).prepare(HeapProject.standard(TwinTargets.inc(many)).plan(), db.connection, false);
      String reason = planned.decisions().stream().filter(d -> d.model().equals(SESSIONS)).findFirst().orElseThrow().reason();
      assertThat(reason)
          .contains("; the table's columns change: adds HEAP_SESSION_FUNNEL_STEP_4_CNT, ")
          .contains("HEAP_SESSION_FUNNEL_STEP_23_CNT and 10 more")
          .doesNotContain("STEP_24_CNT");
    }
  }
}
