package io.heapsdk.incremental;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.model.PlanContext;
import io.heapsdk.run.JdbcRunner;
import io.heapsdk.testing.Rows;
import io.heapsdk.testing.StatementHooks;
import io.heapsdk.warehouse.BuildPlan;
import io.heapsdk.warehouse.SourcePrints;
import io.heapsdk.warehouse.TableName;
import io.heapsdk.warehouse.Warehouse;
import io.heapsdk.warehouse.Warehouses;
import io.heapsdk.testing.LocalEngines;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code incremental.reconcile}: changes to the sources that the time mark cannot see — a retroactive
 * insert for a user with no new activity, a deleted row, a relabelled event, emptied tables — are found
 * by the per-user fingerprints and recomputed, so the facts equal a full refresh. Each scenario first
 * shows that a plain incremental run misses the change (so the test can fail), then that a reconciling
 * run catches it, and checks which users the fingerprints flagged against the users written by hand.
 */
class ReconcileTest {
  private static final HeapConfig BASE =
      HeapConfig.builder().funnelEvents(List.of("a", "b", "c")).conversionEvents(List.of("b", "z")).ownDomain("example.com").build();
  private static final HeapConfig RECONCILING = HeapConfig.builder().from(BASE).reconcile(true).build();

  private static Connection connect(String engine) throws SQLException {
    return LocalEngines.open(engine, "heap_reconcile");
  }

  private static Warehouse warehouse(String engine) {
    return LocalEngines.warehouse(engine);
  }

  /**
   * Users 1 and 2 on March 1st, user 2 again on March 10th: the mark is then March 10th minus three
   * days. Rows for user 1 dated March 1st are inserted, deleted and relabelled afterwards: only a
   * reconciling run sees them.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"h2", "postgres", "duckdb"})
  void retroactiveChangesOfAnInactiveUserAreRecomputed(String engine) throws Exception {
    Warehouse w = warehouse(engine);
    try (TwinTargets db = new TwinTargets(RECONCILING, w, connect(engine))) {
      db.insert("sessions", Rows.session(100, 1, "2024-03-01T09:00:00", null, null, null, null),
          Rows.session(200, 2, "2024-03-01T10:00:00", "https://www.google.com/", null, null, null));
      db.insert("pageviews", Rows.pageview(1, 1, 100, "2024-03-01T09:00:00", "/"),
          Rows.pageview(2, 1, 100, "2024-03-01T09:05:00", "/pricing"),
          Rows.pageview(3, 2, 200, "2024-03-01T10:00:00", "/"));
      db.insert("all_events", Rows.event(1, 1, 100, "2024-03-01T09:00:00", "pageviews"),
          Rows.event(2, 1, 100, "2024-03-01T09:05:00", "pageviews"),
          Rows.event(3, 2, 200, "2024-03-01T10:00:00", "pageviews"),
          Rows.event(4, 1, 100, "2024-03-01T09:06:00", "a"));
      assertThat(db.runIncremental().mode()).isEqualTo(BuildPlan.Mode.FULL_REFRESH);
      db.insert("sessions", Rows.session(201, 2, "2024-03-10T10:00:00", null, null, null, null));
      db.insert("pageviews", Rows.pageview(5, 2, 201, "2024-03-10T10:00:00", "/"));
      db.insert("all_events", Rows.event(5, 2, 201, "2024-03-10T10:00:00", "pageviews"));
      assertThat(db.runIncremental().mode()).isEqualTo(BuildPlan.Mode.INCREMENTAL);
      assertFactsEqualFullRefresh(db, "after the second batch");

      // a resync, three weeks late: user 1 gains a conversion, loses a pageview, an event is relabelled
      db.insert("all_events", Rows.event(6, 1, 100, "2024-03-01T09:07:00", "b"));
      db.execute("DELETE FROM " + source(db, "pageviews") + " WHERE " + w.quote("event_id") + " = 2");
      db.execute("DELETE FROM " + source(db, "all_events") + " WHERE " + w.quote("event_id") + " = 2");
      db.execute("UPDATE " + source(db, "all_events") + " SET " + w.quote("event_table_name") + " = 'c' WHERE "
          + w.quote("event_id") + " = 4");

      assertThat(changedUsers(db)).as("users whose fingerprints changed").containsExactly(1L);

      // without reconciling, the run recomputes nobody: the facts keep user 1's old rows
      new JdbcRunner(w).run(HeapProject.standard(TwinTargets.inc(BASE)).plan(), db.connection);
      db.runFull();
      assertThat(db.rows("inc", "stg_heap_events_all_inc_fct"))
          .as("a plain incremental run cannot see the resync")
          .isNotEqualTo(db.rows("full", "stg_heap_events_all_inc_fct"));

      assertThat(db.runIncremental().mode()).isEqualTo(BuildPlan.Mode.INCREMENTAL);
      assertFactsEqualFullRefresh(db, "after reconciling");
      assertThat(changedUsers(db)).as("the stored fingerprints are the current ones").isEmpty();
    }
  }

  /**
   * A user deleted from every source table (a GDPR request) where no stored fingerprint has them: before
   * the first reconciling run, and after they first appeared since the last one. Neither side of the
   * fingerprints has them, so their rows stayed in the facts for good, through every later run.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"h2", "postgres", "duckdb"})
  void aUserDeletedFromEverySourceLeavesTheFacts(String engine) throws Exception {
    Warehouse w = warehouse(engine);
    try (TwinTargets db = new TwinTargets(BASE, w, connect(engine))) {
      db.insert("sessions", Rows.session(100, 1, "2024-03-01T09:00:00", null, null, null, null),
          Rows.session(200, 2, "2024-03-01T10:00:00", "https://www.google.com/", null, null, null));
      db.insert("pageviews", Rows.pageview(1, 1, 100, "2024-03-01T09:00:00", "/"), Rows.pageview(3, 2, 200, "2024-03-01T10:00:00", "/"));
      db.insert("all_events", Rows.event(1, 1, 100, "2024-03-01T09:00:00", "pageviews"),
          Rows.event(3, 2, 200, "2024-03-01T10:00:00", "pageviews"), Rows.event(4, 1, 100, "2024-03-01T09:06:00", "b"));
      db.runIncremental();
      db.insert("sessions", Rows.session(201, 2, "2024-03-10T10:00:00", null, null, null, null));
      db.insert("all_events", Rows.event(5, 2, 201, "2024-03-10T10:00:00", "a"));
      db.runIncremental();

      // user 1 erased everywhere, then the first reconciling run: no fingerprint was ever stored
      deleteUser(db, w, 1);
      assertThat(db.runIncremental(RECONCILING).mode()).isEqualTo(BuildPlan.Mode.INCREMENTAL);
      assertThat(factRowsOf(db, w, 1)).as("user 1's rows after the first reconciling run").isZero();
      assertFactsEqualFullRefresh(db, "after the first reconciling run");

      // user 3 appears in a plain run after it and is erased before the next reconciling one
      db.insert("sessions", Rows.session(300, 3, "2024-03-11T08:00:00", null, null, null, null));
      db.insert("pageviews", Rows.pageview(7, 3, 300, "2024-03-11T08:00:00", "/"));
      db.insert("all_events", Rows.event(7, 3, 300, "2024-03-11T08:00:00", "pageviews"), Rows.event(8, 3, 300, "2024-03-11T08:01:00", "b"));
      db.runIncremental();
      assertThat(factRowsOf(db, w, 3)).isPositive();
      deleteUser(db, w, 3);
      db.runIncremental(RECONCILING);
      assertThat(factRowsOf(db, w, 3)).as("user 3's rows after the next reconciling run").isZero();
      assertFactsEqualFullRefresh(db, "after the next reconciling run");
    }
  }

  /**
   * Reconciling at night, plain runs by day (the schedule "Changes the time mark cannot see" suggests): a
   * late event of an inactive user arrives inside the lookback, a plain run (or a full refresh without
   * reconcile) builds it in, then Heap deletes it again before the next reconciling run. The user's
   * fingerprint is then the one the last reconciling run stored, and that run used to skip them: the
   * facts kept the deleted event for good (found probing sources exposed as views). The runs between now
   * forget the stored fingerprints of the users they recompute (a full refresh records them all).
   */
  @ParameterizedTest(name = "{0}, {1}")
  @org.junit.jupiter.params.provider.CsvSource({"h2, plain", "h2, full refresh", "postgres, plain", "duckdb, plain", "duckdb, full refresh"})
  void aRowThatCameAndWentBetweenReconcilingRunsLeavesTheFacts(String engine, String between) throws Exception {
    Warehouse w = warehouse(engine);
    try (TwinTargets db = new TwinTargets(BASE, w, connect(engine))) {
      twoUsersReconciledTwice(db);

      // a late conversion of user 1, dated March 8th: after the mark, so the plain run builds it in
      db.insert("all_events", Rows.event(6, 1, 100, "2024-03-08T09:07:00", "b"));
      if (between.equals("plain")) {
        assertThat(db.runIncremental().mode()).isEqualTo(BuildPlan.Mode.INCREMENTAL);
      } else {
        new JdbcRunner(w).allowingEmptiedSources().run(HeapProject.standard(TwinTargets.inc(BASE)).plan(), db.connection, true);
      }
      assertThat(factRowsOf(db, w, 1)).as("user 1's rows with the late event").isEqualTo(2 + 1 + 1);

      // gone again: user 1 has no row after the mark, so only the fingerprints can bring them to the run
      db.execute("DELETE FROM " + source(db, "all_events") + " WHERE " + w.quote("event_id") + " = 6");
      assertThat(db.runIncremental(RECONCILING).mode()).isEqualTo(BuildPlan.Mode.INCREMENTAL);
      assertFactsEqualFullRefresh(db, "after the reconciling run");
      assertThat(factRowsOf(db, w, 1)).as("user 1's rows once the event is gone").isEqualTo(1 + 1 + 1);
    }
  }

  /**
   * The same with a plain run that rebuilds a fact in full (its definition changed): the rebuilt fact
   * reads every source row, a late row behind the mark of an inactive user included, which no stored
   * fingerprint describes. Deleted before the next reconciling run, it stayed in the rebuilt fact. Such a
   * run now forgets every stored fingerprint, and the next reconciling run recomputes every user.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"h2", "duckdb"})
  void aRowBehindTheMarkThatARebuiltFactTookInAndThatWentLeavesIt(String engine) throws Exception {
    Warehouse w = warehouse(engine);
    HeapConfig changed = HeapConfig.builder().from(BASE).conversionEvents(List.of("b", "z", "a")).build();
    HeapConfig changedReconciling = HeapConfig.builder().from(changed).reconcile(true).build();
    try (TwinTargets db = new TwinTargets(BASE, w, connect(engine))) {
      twoUsersReconciledTwice(db);

      // user 1's event of March 1st, behind the mark: a merge would not see it, the rebuilt events fact does
      db.insert("all_events", Rows.event(6, 1, 100, "2024-03-01T09:07:00", "b"));
      assertThat(db.runIncremental(changed).mode()).isEqualTo(BuildPlan.Mode.INCREMENTAL);
      assertThat(factRowsOf(db, w, 1)).as("user 1's rows with the event").isEqualTo(2 + 1 + 1);

      db.execute("DELETE FROM " + source(db, "all_events") + " WHERE " + w.quote("event_id") + " = 6");
      assertThat(db.runIncremental(changedReconciling).mode()).isEqualTo(BuildPlan.Mode.INCREMENTAL);
      db.runFull(changed);
      for (String fact : TwinTargets.FACTS) {
        assertThat(db.rows("inc", fact)).as("after the reconciling run: %s", fact).isEqualTo(db.rows("full", fact));
      }
      assertThat(factRowsOf(db, w, 1)).as("user 1's rows once the event is gone").isEqualTo(1 + 1 + 1);
    }
  }

  /**
   * A reconciling run stopped after its apply and before it records the fingerprints (killed, or refused
   * there): the facts held the rows it rebuilt, the stored fingerprints still those of before. Heap taking
   * the change back before the next reconciling run left the stored fingerprint equal to the sources', and
   * the facts kept the row for good (found by a probe that held a lock on the fingerprints' table and
   * killed the run there). A reconciling run now forgets the fingerprints of the users it recomputes
   * before its apply, as a plain run does.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"h2", "duckdb", "postgres"})
  void aReconcilingRunStoppedBeforeItsRecordLeavesNoRowHeapTookBack(String engine) throws Exception {
    Warehouse w = warehouse(engine);
    try (TwinTargets db = new TwinTargets(BASE, w, connect(engine))) {
      twoUsersReconciledTwice(db);

      // a re-synced event of user 1, dated March 1st: behind the mark, only the fingerprints bring it
      db.insert("all_events", Rows.event(6, 1, 100, "2024-03-01T09:07:00", "b"));
      String record = new SourcePrints(w, TwinTargets.inc(RECONCILING)).forgetAll();
      Connection stopsAtRecord =
          StatementHooks.around(db.connection, sql -> {
            if (sql.equals(record)) {
              throw new SQLException("stopped at the record, as a kill there does");
            }
          }, StatementHooks.NONE);
      assertThatThrownBy(() -> new JdbcRunner(w).run(HeapProject.standard(TwinTargets.inc(RECONCILING)).plan(), stopsAtRecord))
          .hasMessageContaining("stopped at the record");
      assertThat(factRowsOf(db, w, 1)).as("user 1's rows with the event, applied").isEqualTo(2 + 1 + 1);

      // Heap takes it back
      db.execute("DELETE FROM " + source(db, "all_events") + " WHERE " + w.quote("event_id") + " = 6");
      db.runIncremental(RECONCILING);
      assertFactsEqualFullRefresh(db, "after the next reconciling run");
      assertThat(factRowsOf(db, w, 1)).as("user 1's rows once the event is gone").isEqualTo(1 + 1 + 1);
    }
  }

  /**
   * A row that lands while a reconciling run is going, after it took the fingerprints and before it
   * builds the facts: built in, but not in the fingerprints the run recorded. Deleted before the next
   * reconciling run, the user's fingerprint equalled the stored one and the row stayed in the facts for
   * good (found by a probe that held a lock to widen the window). The run now records no fingerprint for
   * a user it rebuilt whose rows differ at its record from when it took them.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"h2", "duckdb", "postgres"})
  void aRowThatLandedDuringAReconcilingRunAndWentLeavesTheFacts(String engine) throws Exception {
    Warehouse w = warehouse(engine);
    try (TwinTargets db = new TwinTargets(BASE, w, connect(engine))) {
      twoUsersReconciledTwice(db);

      // user 1's event of March 8th, after the mark: user 1 is active in this run, and rebuilt from it, and
      // not in the next (its rows of March 1st are behind the mark): only the fingerprints bring user 1 back
      boolean[] landed = {false};
      Connection landsMidRun =
          StatementHooks.around(db.connection, sql -> {
            // at the working table of the reconciled users, after the fingerprints (not at a leftover's drop)
            if (!landed[0] && sql.startsWith("CREATE") && sql.toLowerCase(java.util.Locale.ROOT).contains(PlanContext.RECONCILED_USERS)) {
              landed[0] = true;
              db.insert("all_events", Rows.event(7, 1, 100, "2024-03-08T09:07:00", "b"));
            }
          }, StatementHooks.NONE);
      new JdbcRunner(w).run(HeapProject.standard(TwinTargets.inc(RECONCILING)).plan(), landsMidRun);
      assertThat(landed[0]).isTrue();
      assertThat(factRowsOf(db, w, 1)).as("user 1's rows with the event").isEqualTo(2 + 1 + 1);

      db.execute("DELETE FROM " + source(db, "all_events") + " WHERE " + w.quote("event_id") + " = 7");
      db.runIncremental(RECONCILING);
      assertFactsEqualFullRefresh(db, "after the next reconciling run");
      assertThat(factRowsOf(db, w, 1)).as("user 1's rows once the event is gone").isEqualTo(1 + 1 + 1);
    }
  }

  /**
   * User 1 on March 1st, user 2 on March 10th, and two reconciling runs: the mark is March 7th, before
   * any row of user 1, and fingerprints are stored.
   */
  private static void twoUsersReconciledTwice(TwinTargets db) {
    db.insert("sessions", Rows.session(100, 1, "2024-03-01T09:00:00", null, null, null, null),
        Rows.session(200, 2, "2024-03-10T10:00:00", null, null, null, null));
    db.insert("pageviews", Rows.pageview(1, 1, 100, "2024-03-01T09:00:00", "/"), Rows.pageview(3, 2, 200, "2024-03-10T10:00:00", "/"));
    db.insert("all_events", Rows.event(1, 1, 100, "2024-03-01T09:00:00", "pageviews"),
        Rows.event(3, 2, 200, "2024-03-10T10:00:00", "pageviews"));
    db.runIncremental(RECONCILING);
    db.runIncremental(RECONCILING);
  }

  private static void deleteUser(TwinTargets db, Warehouse w, long user) {
    for (String t : List.of("all_events", "pageviews", "sessions")) {
      db.execute("DELETE FROM " + source(db, t) + " WHERE " + w.quote("user_id") + " = " + user);
    }
  }

  /** The user's rows in the incrementally built facts, all three together. */
  private static long factRowsOf(TwinTargets db, Warehouse w, long user) throws SQLException {
    long rows = 0;
    for (String fact : TwinTargets.FACTS) {
      try (Statement s = db.connection.createStatement();
          ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + w.qualified(Optional.empty(), "inc", fact) + " WHERE "
              + w.quote("heap_user_id") + " = " + user)) {
        rs.next();
        rows += rs.getLong(1);
      }
    }
    return rows;
  }

  /**
   * Every source emptied and the run allowed to build from them ({@link TwinTargets#runIncremental}; a
   * run refuses by default, {@code EmptiedSourceTest}): the facts empty too.
   */
  @Test
  void emptiedSourcesEmptyTheFacts() throws Exception {
    try (TwinTargets db = new TwinTargets(RECONCILING)) {
      RandomHistory history = new RandomHistory(7, true, RECONCILING.lateArrivalLookbackDays());
      history.addBatch(db, 0);
      db.runIncremental();
      history.addBatch(db, 1);
      db.runIncremental();
      for (String t : List.of("all_events", "pageviews", "sessions", "user_migrations")) {
        db.execute("DELETE FROM " + source(db, t));
      }
      db.runIncremental();
      for (String fact : TwinTargets.FACTS) {
        assertThat(db.rows("inc", fact)).as(fact).isEmpty();
      }
    }
  }

  /**
   * A fact's table dropped between two reconciling runs: the run rebuilds it in full and merges the
   * others. Its active users read the merged facts' keys (a vanished version is only there), never the
   * missing table.
   */
  @Test
  void aReconcilingRunRebuildsAMissingFactAndMergesTheOthers() throws Exception {
    try (TwinTargets db = new TwinTargets(RECONCILING)) {
      RandomHistory history = new RandomHistory(13, true, RECONCILING.lateArrivalLookbackDays());
      history.addBatch(db, 0);
      db.runIncremental();
      history.addBatch(db, 1);
      db.execute("DROP TABLE " + db.warehouse.qualified(Optional.empty(), "inc", "stg_heap_sessions_inc_fct"));
      JdbcRunner.RunPlan plan =
          new JdbcRunner(Warehouses.H2).prepare(HeapProject.standard(TwinTargets.inc(RECONCILING)).plan(), db.connection, false);
      assertThat(plan.decisions())
          .anySatisfy(d -> assertThat(d.model().equals("stg_heap_sessions_inc_fct") && d.full()).isTrue())
          .anySatisfy(d -> assertThat(d.model().equals("stg_heap_events_all_inc_fct") && !d.full()).isTrue());
      assertThat(db.runIncremental().mode()).isEqualTo(BuildPlan.Mode.INCREMENTAL);
      assertFactsEqualFullRefresh(db, "after the run that rebuilt the dropped fact");
    }
  }

  /**
   * The first reconciling run has no fingerprints to compare with: it recomputes every user, and says
   * so in its plan.
   */
  @Test
  void theFirstReconcilingRunRecomputesEveryUser() throws Exception {
    try (TwinTargets db = new TwinTargets(BASE)) {
      RandomHistory history = new RandomHistory(11, true, BASE.lateArrivalLookbackDays());
      history.addBatch(db, 0);
      db.runIncremental();
      history.addBatch(db, 1);
      JdbcRunner.RunPlan plan =
          new JdbcRunner(Warehouses.H2).prepare(HeapProject.standard(TwinTargets.inc(RECONCILING)).plan(), db.connection, false);
      assertThat(plan.decisions()).allSatisfy(d -> assertThat(d.full() || d.reason().contains("no source fingerprints recorded yet")).isTrue());
      db.runIncremental(RECONCILING);
      assertThat(changedUsers(db)).isEmpty();
      assertFactsEqualFullRefresh(db, "after the first reconciling run");
      // heap__runs (and heap status) tell a reconciling run from a plain one
      db.runIncremental();
      assertThat(new io.heapsdk.run.RunState(db.warehouse, TwinTargets.inc(RECONCILING), db.connection).runs(3))
          .extracting(io.heapsdk.run.RunState.Run::mode)
          .containsExactly("incremental", "incremental, reconciling", "full build");
    }
  }

  /**
   * A pass-through property added between two reconciling runs, with a plain run between them: every
   * user's pageviews fingerprint differs, so the next reconciling run recomputes every user (correct,
   * and as slow as a full refresh). Its merged facts' decisions say so and name the run that recorded the
   * fingerprints, where they said only "users whose source rows changed".
   */
  @Test
  void aChangeOfTheFingerprintedColumnsIsSaidToRecomputeEveryUser() throws Exception {
    try (TwinTargets db = new TwinTargets(BASE)) {
      db.execute("ALTER TABLE " + source(db, "pageviews") + " ADD COLUMN " + db.warehouse.quote("gtm_campaign") + " VARCHAR(100)");
      RandomHistory history = new RandomHistory(17, true, BASE.lateArrivalLookbackDays());
      history.addBatch(db, 0);
      db.runIncremental(RECONCILING);
      String reconciling =
          new io.heapsdk.run.RunState(db.warehouse, TwinTargets.inc(RECONCILING), db.connection).lastSuccess().orElseThrow().runId();
      history.addBatch(db, 1);
      JdbcRunner.RunPlan same =
          new JdbcRunner(Warehouses.H2).prepare(HeapProject.standard(TwinTargets.inc(RECONCILING)).plan(), db.connection, false);
      assertThat(same.decisions()).filteredOn(d -> !d.full())
          .isNotEmpty()
          .allSatisfy(d -> assertThat(d.reason()).contains("reconciling: users whose source rows changed"));
      // a plain run carries what the stored fingerprints hash to the next reconciling run
      db.runIncremental();
      history.addBatch(db, 2);
      HeapConfig withProperty = HeapConfig.builder().from(RECONCILING).addPageviewProperties(io.heapsdk.source.PassThroughColumn.varchar("gtm_campaign")).build();
      JdbcRunner.RunPlan changed =
          new JdbcRunner(Warehouses.H2).prepare(HeapProject.standard(TwinTargets.inc(withProperty)).plan(), db.connection, false);
      assertThat(changed.decisions()).filteredOn(d -> !d.full())
          .isNotEmpty()
          .allSatisfy(d -> assertThat(d.reason()).contains(
              "reconciling, and the source columns fingerprinted (source.pageview_properties, source.session_properties, source.columns,"
                  + " source.tables) changed since run "
                  + reconciling + " recorded the fingerprints: every user is recomputed"));
    }
  }

  /**
   * The users whose fingerprints differ from the stored ones now, computed with the statements a run
   * uses (into a scratch table, dropped again).
   */
  private static Set<Long> changedUsers(TwinTargets db) throws SQLException {
    HeapConfig inc = TwinTargets.inc(RECONCILING);
    SourcePrints prints = new SourcePrints(db.warehouse, inc);
    TableName current = db.warehouse.table(Optional.empty(), "inc", "heap__scratch_prints");
    for (String s : db.warehouse.workTableStatements(current, prints.currentSelect())) {
      db.execute(s);
    }
    Set<Long> users = new TreeSet<>();
    try (Statement s = db.connection.createStatement();
        ResultSet rs = s.executeQuery(prints.changedUsersSelect(current, List.of()))) {
      while (rs.next()) {
        users.add(rs.getLong(1));
      }
    } finally {
      db.execute(db.warehouse.dropTable(current));
    }
    return users;
  }

  private static void assertFactsEqualFullRefresh(TwinTargets db, String when) {
    db.runFull();
    for (String fact : TwinTargets.FACTS) {
      assertThat(db.rows("inc", fact)).as("%s: %s", when, fact).isEqualTo(db.rows("full", fact));
    }
  }

  static String source(TwinTargets db, String table) {
    return db.warehouse.table(db.full.sourceDatabase(), db.full.sourceSchema(), db.full.catalog().table(table).physicalName()).qualified();
  }
}
