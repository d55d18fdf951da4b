package io.heapsdk.incremental;

import static io.heapsdk.testing.Rows.event;
import static io.heapsdk.testing.Rows.pageview;
import static io.heapsdk.testing.Rows.session;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.model.ProjectPlan;
import io.heapsdk.run.HeapRunException;
import io.heapsdk.run.JdbcRunner;
import io.heapsdk.run.TableLookup;
import io.heapsdk.testing.StatementHooks;
import io.heapsdk.warehouse.BuildPlan;
import io.heapsdk.warehouse.Warehouses;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A run that fails part-way leaves every fact as it was before the run, and the next run converges to
 * a full refresh. The failure is injected by a connection that refuses the n-th statement of a kind.
 */
class FailureInjectionTest {
  private static final HeapConfig CONFIG = HeapConfig.builder().funnelEvents(List.of("a")).conversionEvents(List.of("a")).build();

  @ParameterizedTest(name = "fails on: {0}")
  @ValueSource(strings = {"CREATE TABLE \"INC\".\"STG_HEAP_SESSIONS_INC_FCT__CHANGES", "MERGE INTO \"INC\".\"STG_HEAP_SESSIONS_INC_FCT\"", "MERGE INTO \"INC\".\"STG_HEAP_PAGEVIEW"})
  void failedIncrementalRunChangesNoFact(String failOn) throws Exception {
    try (TwinTargets db = new TwinTargets(CONFIG)) {
      db.insert("sessions", session(100, 1, "2024-01-10T10:00:00", null, null, null, null));
      db.insert("pageviews", pageview(1, 1, 100, "2024-01-10T10:00:00", "/"));
      db.insert("all_events", event(1, 1, 100, "2024-01-10T10:00:00", "pageviews"));
      db.runIncremental();
      Map<String, List<String>> before = snapshot(db);

      db.insert("sessions", session(101, 1, "2024-01-11T10:00:00", "https://bing.com", null, null, null));
      db.insert("pageviews", pageview(2, 1, 101, "2024-01-11T10:00:00", "/again"));
      db.insert("all_events", event(2, 1, 101, "2024-01-11T10:00:00", "a"), event(3, 2, 200, "2024-01-11T10:00:00", "a"));
      Connection failing = failingOn(db.connection, sql -> sql.startsWith(failOn));
      assertThatThrownBy(() -> new JdbcRunner(Warehouses.H2).run(HeapProject.standard(db.incremental).plan(), failing))
          .isInstanceOf(HeapRunException.class)
          .hasMessageContaining("injected failure");
      assertThat(snapshot(db)).isEqualTo(before);

      db.runIncremental();
      db.runFull();
      for (String fact : TwinTargets.FACTS) {
        assertThat(db.rows("inc", fact)).as(fact).isEqualTo(db.rows("full", fact));
      }
    }
  }

  private static Map<String, List<String>> snapshot(TwinTargets db) {
    Map<String, List<String>> rows = new HashMap<>();
    for (String fact : TwinTargets.FACTS) {
      rows.put(fact, db.rows("inc", fact));
    }
    return rows;
  }

  /** A connection whose statements throw when about to run SQL matching {@code fail}. */
  /**
   * A lock the database refuses to take for a reason of its own (a damaged file, say), while no run
   * holds it, fails with the database's reason, not "another run holds the lock: run ?".
   */
  @Test
  void aLockStatementRefusedWhileNoRunHoldsTheLockSaysWhy() throws Exception {
    try (TwinTargets db = new TwinTargets(CONFIG)) {
      db.insert("all_events", event(1, 1, 100, "2024-01-10T10:00:00", "a"));
      db.runIncremental();
      Connection failing = failingOn(db.connection, sql -> sql.startsWith("UPDATE \"INC\".\"HEAP__RUN_LOCK\"\nSET \"RUN_ID\" = '"));
      assertThatThrownBy(() -> new JdbcRunner(Warehouses.H2).run(HeapProject.standard(db.incremental).plan(), failing))
          .isInstanceOf(HeapRunException.class)
          .hasMessage("the run state failed on h2: injected failure");
      db.runIncremental();
    }
  }

  /**
   * After a run that died (its connection lost at its apply, so it could record nothing), the next runs
   * on H2 rebuild the facts in full, until one succeeds: a run that failed in between does not end the
   * need, a successful one does.
   */
  @Test
  void afterACrashTheNextRunsOnH2RebuildInFullUntilOneSucceeds() throws Exception {
    try (TwinTargets db = new TwinTargets(CONFIG)) {
      db.insert("all_events", event(1, 1, 100, "2024-01-10T10:00:00", "a"));
      db.runIncremental();
      db.insert("all_events", event(2, 2, 200, "2024-01-11T10:00:00", "a"));
      boolean[] dead = {false};
      Connection dying = StatementHooks.around(db.connection, sql -> {
        dead[0] |= sql.startsWith("MERGE INTO");
        if (dead[0]) {
          throw new SQLException("connection lost");
        }
      }, StatementHooks.NONE);
      assertThatThrownBy(() -> new JdbcRunner(Warehouses.H2).run(HeapProject.standard(db.incremental).plan(), dying))
          .isInstanceOf(HeapRunException.class);

      // the dead run's lock stays behind: taken over at once, as the CLI does on an H2 file of its own
      JdbcRunner runner = new JdbcRunner(Warehouses.H2).staleAfter(Duration.ZERO);
      ProjectPlan plan = HeapProject.standard(db.incremental).plan();
      // what the next run will do, before it has found the dead run and recorded it as crashed (--dry-run,
      // heap status): a full rebuild, as the run then does (it used to say incremental)
      assertThat(runner.prepare(plan, db.connection, false).decisions())
          .allSatisfy(d -> assertThat(d.full()).as(d.model()).isTrue())
          .first()
          .satisfies(d -> assertThat(d.reason()).startsWith("a run crashed since the last successful one"));
      // a runner that waits for a lock until its heartbeat is stale takes the holder to be alive, running
      assertThat(new JdbcRunner(Warehouses.H2).prepare(plan, db.connection, false).build().mode())
          .isEqualTo(BuildPlan.Mode.INCREMENTAL);
      // the next run finds the dead one and marks it crashed, then fails in its build
      Connection failing = failingOn(db.connection, sql -> sql.startsWith("CREATE TABLE \"INC\".\"STG_HEAP_SESSIONS_INC_FCT"));
      assertThatThrownBy(() -> runner.run(plan, failing)).hasMessageContaining("injected failure");
      // still after the crash
      assertThat(runner.prepare(plan, db.connection, false).build().mode()).isEqualTo(BuildPlan.Mode.FULL_REFRESH);
      assertThat(runner.prepare(plan, db.connection, false).decisions().get(0).reason())
          .isEqualTo("a run crashed since the last successful one, and a crash can leave h2's tables damaged: rebuilt in full until a run succeeds");
      assertThat(runner.run(plan, db.connection).mode()).isEqualTo(BuildPlan.Mode.FULL_REFRESH);
      assertThat(runner.run(plan, db.connection).mode()).as("after a successful run").isEqualTo(BuildPlan.Mode.INCREMENTAL);
      db.runFull();
      for (String fact : TwinTargets.FACTS) {
        assertThat(db.rows("inc", fact)).as(fact).isEqualTo(db.rows("full", fact));
      }
    }
  }

  /**
   * A {@code <fact>__new} no run recorded (a killed run's {@code CREATE TABLE … AS} that went on and
   * committed on the server after the next run had cleaned up) is dropped by the next run, incremental
   * or not: nothing else would ever drop it.
   */
  @Test
  void aBuildTableNoRunRecordedIsDroppedByTheNextRun() throws Exception {
    try (TwinTargets db = new TwinTargets(CONFIG)) {
      db.insert("all_events", event(1, 1, 100, "2024-01-10T10:00:00", "a"));
      db.runIncremental();
      db.execute("CREATE TABLE \"INC\".\"STG_HEAP_EVENTS_ALL_INC_FCT__NEW\" AS SELECT * FROM \"INC\".\"STG_HEAP_EVENTS_ALL_INC_FCT\"");
      db.insert("all_events", event(2, 2, 200, "2024-01-11T10:00:00", "a"));
      assertThat(new JdbcRunner(Warehouses.H2).run(HeapProject.standard(db.incremental).plan(), db.connection).mode())
          .isEqualTo(BuildPlan.Mode.INCREMENTAL);
      assertThat(TableLookup.exists(Warehouses.H2, db.connection, Warehouses.H2.table(Optional.empty(), "inc", "stg_heap_events_all_inc_fct__new")))
          .isFalse();
      db.runFull();
      for (String fact : TwinTargets.FACTS) {
        assertThat(db.rows("inc", fact)).as(fact).isEqualTo(db.rows("full", fact));
      }
    }
  }

  static Connection failingOn(Connection real, Predicate<String> fail) {
    return StatementHooks.around(
        real,
        sql -> {
          if (fail.test(sql)) {
            throw new SQLException("injected failure");
          }
        },
        StatementHooks.NONE);
  }
}
