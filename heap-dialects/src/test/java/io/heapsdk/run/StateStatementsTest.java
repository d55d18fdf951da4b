package io.heapsdk.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.warehouse.StateSql;
import io.heapsdk.warehouse.Warehouse;
import io.heapsdk.warehouse.Warehouses;
import io.heapsdk.testing.LocalEngines;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every run-state statement of {@link StateSql} run on H2, DuckDB and PostgreSQL, one by one, each
 * checked by reading the tables back with plain SELECTs: the tables and the lock row created once
 * however often asked, the lock taken when free, refused while its holder's heartbeat is fresh, taken
 * over when stale, renewed and released only by its holder; a run recorded, heartbeat, finished,
 * marked crashed, its working tables cleared; a model's state replaced. Expected values are the
 * constants written here.
 */
class StateStatementsTest {
  private static final String A = "aaaa0001";
  private static final String B = "bbbb0002";
  private static final String C = "cccc0003";
  private static final LocalDateTime T0 = LocalDateTime.of(2024, 4, 1, 10, 0, 0, 123_456_000);
  private static final LocalDateTime MARK = LocalDateTime.of(2024, 3, 29, 0, 0);
  /** Data, not SQL: quotes, a backslash, a newline and a comment marker. */
  private static final String DETAIL = "ERROR: relation \"x\" doesn't exist -- it's\nback\\slash";

  @ParameterizedTest
  @ValueSource(strings = {"h2", "duckdb", "postgres"})
  void everyStateStatementRunsAndDoesWhatItSays(String engine) throws Exception {
    Warehouse w = Warehouses.byName(engine);
    try (Connection c = open(engine)) {
      HeapConfig config = HeapConfig.builder().targetSchema("heap_state").build();
      StateSql sql = new StateSql(w, config);
      RunState state = new RunState(w, config, c);
      String lock = sql.lock().qualified();
      String runs = sql.runs().qualified();

      // created once, however often asked; one lock row, free
      for (int i = 0; i < 2; i++) {
        createStateTables(c, sql);
      }
      assertThat(rows(c, "SELECT COUNT(*) FROM " + lock)).containsExactly(List.of("1"));
      assertThat(holder(c, sql)).isEmpty();

      // A takes the free lock; B cannot while A's heartbeat is fresh
      assertThat(state.tryLock(A, "host/1/" + A, T0, T0.minusMinutes(10)).taken()).isTrue();
      assertThat(holder(c, sql)).containsExactly(A, "host/1/" + A, T0.toString(), T0.toString());
      assertThat(state.tryLock(B, "host/2/" + B, T0.plusMinutes(1), T0.minusMinutes(9)).taken()).isFalse();
      assertThat(holder(c, sql)).first().isEqualTo(A);
      // the heartbeat is renewed by the holder only
      assertThat(update(c, sql.heartbeatLock(A, T0.plusMinutes(2)))).isEqualTo(1);
      assertThat(update(c, sql.heartbeatLock(B, T0.plusMinutes(2)))).isZero();
      assertThat(holder(c, sql)).containsExactly(A, "host/1/" + A, T0.toString(), T0.plusMinutes(2).toString());
      // stale: A's heartbeat (T0 + 2 min) is older than T0 + 10 min, so B takes over
      assertThat(state.tryLock(B, "host/2/" + B, T0.plusMinutes(20), T0.plusMinutes(10)).taken()).isTrue();
      assertThat(holder(c, sql)).containsExactly(B, "host/2/" + B, T0.plusMinutes(20).toString(), T0.plusMinutes(20).toString());
      assertThat(update(c, sql.heartbeatLock(A, T0.plusMinutes(21)))).isZero();
      // A's release leaves B's lock alone; B's frees it
      execute(c, sql.releaseLock(A));
      assertThat(holder(c, sql)).first().isEqualTo(B);
      execute(c, sql.releaseLock(B));
      assertThat(holder(c, sql)).isEmpty();
      assertThat(rows(c, "SELECT COUNT(*) FROM " + lock)).containsExactly(List.of("1"));

      // A runs and succeeds
      execute(c, sql.insertRun(A, "host/1/" + A, "incremental", T0, Optional.of(MARK), List.of("heap__active_users__r" + A, "f__changes__r" + A)));
      assertThat(runIds(c, sql.selectUnfinishedRuns())).containsExactly(A);
      assertThat(rows(c, "SELECT " + w.quote("status") + ", " + w.quote("work_tables") + " FROM " + runs))
          .containsExactly(List.of("running", "heap__active_users__r" + A + "\nf__changes__r" + A));
      execute(c, sql.heartbeatRun(A, T0.plusMinutes(1)));
      execute(c, sql.finishRun(A, "succeeded", T0.plusMinutes(3), Optional.of(T0.minusHours(1)), List.of(), DETAIL));
      assertThat(rows(c, sql.selectLastSuccess()))
          .containsExactly(
              List.of(
                  A, "host/1/" + A, "incremental", "succeeded", T0.toString(), T0.plusMinutes(3).toString(),
                  T0.plusMinutes(3).toString(), MARK.toString(), T0.minusHours(1).toString(), "", DETAIL));
      assertThat(runIds(c, sql.selectUnfinishedRuns())).isEmpty();

      // B dies; the next run marks it crashed, once
      execute(c, sql.insertRun(B, "host/2/" + B, "full-refresh", T0.plusHours(1), Optional.empty(), List.of("t__new")));
      execute(c, sql.markCrashed(B, T0.plusHours(2), "did not finish; found by run " + C));
      execute(c, sql.markCrashed(B, T0.plusHours(3), "again"));
      assertThat(rows(
              c,
              "SELECT " + w.quote("status") + ", " + w.quote("finished_at") + ", " + w.quote("work_tables") + ", "
                  + w.quote("detail") + ", " + w.quote("mark") + " FROM " + runs + " WHERE " + w.quote("run_id") + " = " + w.literal(B)))
          .containsExactly(List.of("crashed", T0.plusHours(2).toString(), "", "did not finish; found by run " + C, "null"));

      // C fails and leaves a table it could not drop, cleared by a later run
      execute(c, sql.insertRun(C, "host/3/" + C, "incremental", T0.plusHours(4), Optional.of(MARK), List.of("g__changes__r" + C)));
      execute(c, sql.finishRun(C, "failed", T0.plusHours(5), Optional.empty(), List.of("g__changes__r" + C), DETAIL));
      assertThat(runIds(c, sql.selectUnfinishedRuns())).containsExactly(C);
      execute(c, sql.clearWorkTables(C));
      assertThat(runIds(c, sql.selectUnfinishedRuns())).isEmpty();
      assertThat(runIds(c, sql.selectLastSuccess())).containsExactly(A);
      // newest first
      assertThat(runIds(c, sql.selectRuns(10))).containsExactly(C, B, A);
      assertThat(runIds(c, sql.selectRuns(2))).containsExactly(C, B);

      // old runs forgotten: finished before the cut-off, neither the run kept nor one whose working
      // tables are still listed; a running one never (D), a failed one with its table listed not yet (E)
      String d = "dddd0004";
      String e = "eeee0005";
      execute(c, sql.insertRun(e, "host/5/" + e, "incremental", T0.plusMinutes(50), Optional.of(MARK), List.of("h__changes__r" + e)));
      execute(c, sql.finishRun(e, "failed", T0.plusMinutes(55), Optional.empty(), List.of("h__changes__r" + e), DETAIL));
      execute(c, sql.insertRun(d, "host/4/" + d, "incremental", T0.minusDays(400), Optional.of(MARK), List.of("k__changes__r" + d)));
      execute(c, sql.pruneRuns(A, T0.plusHours(3)));
      assertThat(runIds(c, sql.selectRuns(10))).containsExactly(C, e, A, d);
      execute(c, sql.pruneRuns(C, T0.plusHours(6)));
      assertThat(runIds(c, sql.selectRuns(10))).containsExactly(C, e, d);

      // a model's state is replaced, not added to
      for (String s : sql.replaceModelState("f", "print-1", A, T0, 10, "built in full")) {
        execute(c, s);
      }
      for (String s : sql.replaceModelState("f", "print-2", C, T0.plusHours(4), 12, "merged incrementally")) {
        execute(c, s);
      }
      for (String s : sql.replaceModelState("g", "print-3", C, T0.plusHours(4), 0, "built in full")) {
        execute(c, s);
      }
      assertThat(rows(c, sql.selectModelState()))
          .containsExactlyInAnyOrder(
              List.of("f", "print-2", C, T0.plusHours(4).toString(), "12", "merged incrementally"),
              List.of("g", "print-3", C, T0.plusHours(4).toString(), "0", "built in full"));

      // the settings of the last successful run replace the previous run's
      for (String s : sql.replaceSettings(A, java.util.Map.of(StateSql.LOOKBACK, "3"))) {
        execute(c, s);
      }
      for (String s : sql.replaceSettings(C, java.util.Map.of(StateSql.LOOKBACK, "10", "other", "it's"))) {
        execute(c, s);
      }
      assertThat(rows(c, sql.selectSettings())).containsExactlyInAnyOrder(List.of(StateSql.LOOKBACK, "10", C), List.of("other", "it's", C));

      // the mark as a one-row SELECT
      assertThat(rows(c, sql.markSelect(Optional.of(MARK)))).containsExactly(List.of(MARK.toString()));
      assertThat(rows(c, sql.markSelect(Optional.empty()))).containsExactly(List.of("null"));
    }
  }

  /**
   * A holder recorded as running beats on its own heap__runs row too, where its transaction holds the lock
   * row: the lock is stale only when both heartbeats are. A run no longer recorded as running (another
   * marked it crashed) beats there no more.
   */
  @ParameterizedTest
  @ValueSource(strings = {"h2", "duckdb", "postgres"})
  void aLockIsStaleOnlyWhenItsHoldersRunRowIsToo(String engine) throws Exception {
    Warehouse w = Warehouses.byName(engine);
    try (Connection c = open(engine)) {
      HeapConfig config = HeapConfig.builder().targetSchema("heap_state_beats").build();
      StateSql sql = new StateSql(w, config);
      RunState state = new RunState(w, config, c);
      createStateTables(c, sql);
      assertThat(state.tryLock(A, "host/1/" + A, T0, T0.minusMinutes(10)).taken()).isTrue();
      execute(c, sql.insertRun(A, "host/1/" + A, "incremental", T0, Optional.of(MARK), List.of()));
      // the lock row's beat stays at T0 (A's transaction holds it), its own row's goes on to T0 + 30 min
      execute(c, sql.heartbeatRun(A, T0.plusMinutes(30)));
      assertThat(rows(c, sql.selectRunHeartbeat(A))).containsExactly(List.of(T0.plusMinutes(30).toString()));
      assertThat(state.lock().heartbeatAt()).as("the newer of the two").contains(T0.plusMinutes(30));
      assertThat(state.tryLock(B, "host/2/" + B, T0.plusMinutes(35), T0.plusMinutes(25)).taken()).isFalse();
      assertThat(holder(c, sql)).first().as("the lock row alone is stale").isEqualTo(A);
      // the statement itself takes the lock only from the holder read, and only with its row stale
      execute(c, sql.acquireLock(B, "host/2/" + B, T0.plusMinutes(36), T0.plusMinutes(25), Optional.of(C)));
      execute(c, sql.acquireLock(B, "host/2/" + B, T0.plusMinutes(36), T0.minusMinutes(1), Optional.of(A)));
      execute(c, sql.acquireLock(B, "host/2/" + B, T0.plusMinutes(36), T0.plusMinutes(25), Optional.empty()));
      assertThat(holder(c, sql)).first().isEqualTo(A);
      assertThat(state.tryLock(B, "host/2/" + B, T0.plusMinutes(45), T0.plusMinutes(35)).taken()).isTrue();
      assertThat(holder(c, sql)).first().as("both are stale").isEqualTo(B);
      // B marks A crashed: A's later beats on its row change nothing, and no row is read as its heartbeat
      execute(c, sql.markCrashed(A, T0.plusMinutes(46), "did not finish; found by run " + B));
      execute(c, sql.heartbeatRun(A, T0.plusMinutes(50)));
      assertThat(rows(c, sql.selectRunHeartbeat(A))).isEmpty();
      assertThat(rows(c, "SELECT " + w.quote("heartbeat_at") + " FROM " + sql.runs().qualified())).containsExactly(List.of(T0.plusMinutes(30).toString()));
    }
  }

  /** The state tables, unless there, and the free lock row. */
  private static void createStateTables(Connection c, StateSql sql) throws SQLException {
    for (String s : sql.createTables()) {
      execute(c, s);
    }
    execute(c, sql.ensureLockRow());
  }

  private static Connection open(String engine) throws SQLException {
    return LocalEngines.open(engine, "heap_state_statements");
  }

  /** run_id, owner, started_at, heartbeat_at of the lock's holder; empty when free. */
  private static List<String> holder(Connection c, StateSql sql) throws SQLException {
    List<List<String>> rows = rows(c, sql.selectLock());
    assertThat(rows).hasSize(1);
    return rows.get(0).get(0).equals("null") ? List.of() : rows.get(0);
  }

  private static List<String> runIds(Connection c, String query) throws SQLException {
    List<String> ids = new ArrayList<>();
    for (List<String> row : rows(c, query)) {
      ids.add(row.get(0));
    }
    return ids;
  }

  /** Every row of {@code query}, each value as text: times as ISO local date-times, NULL as "null". */
  private static List<List<String>> rows(Connection c, String query) throws SQLException {
    List<List<String>> rows = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(query)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        String[] row = new String[n];
        for (int i = 1; i <= n; i++) {
          int type = rs.getMetaData().getColumnType(i);
          if (type == java.sql.Types.TIMESTAMP) {
            row[i - 1] = RunState.time(rs, i).map(LocalDateTime::toString).orElse("null");
          } else {
            row[i - 1] = String.valueOf(rs.getString(i));
          }
        }
        rows.add(Arrays.asList(row));
      }
    }
    return rows;
  }

  private static void execute(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static int update(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      return s.executeUpdate(sql);
    }
  }
}
