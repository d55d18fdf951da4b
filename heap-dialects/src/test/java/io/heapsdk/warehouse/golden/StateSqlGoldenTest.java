package io.heapsdk.warehouse.golden;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.testing.GoldenConfigs;
import io.heapsdk.warehouse.SourceRowsBehindMark;
import io.heapsdk.warehouse.SourcesWithRows;
import io.heapsdk.warehouse.StateSql;
import io.heapsdk.warehouse.Warehouse;
import io.heapsdk.warehouse.Warehouses;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden SQL of the run state ({@link StateSql}) for every warehouse, {@code golden/state/<warehouse>.sql}:
 * every statement a run sends for its state, in the order of a run that takes the lock, records itself,
 * finishes, and of the next one that finds a crashed run, each after a comment naming the method. The
 * run's detail holds quotes, a backslash, a newline and {@code --}: data, written as each warehouse's
 * literal.
 */
class StateSqlGoldenTest {
  private static final String RUN = "9f4ab676";
  private static final String NEXT_RUN = "0c1d2e3f";
  private static final String OWNER = "build-host/4242/" + RUN;
  private static final LocalDateTime START = LocalDateTime.of(2024, 3, 31, 23, 59, 58, 123_456_000);
  private static final LocalDateTime END = LocalDateTime.of(2024, 4, 1, 0, 4, 2, 1_000);
  private static final LocalDateTime MARK = LocalDateTime.of(2024, 3, 28, 0, 0);
  private static final String DETAIL = "ERROR: relation \"x\" doesn't exist -- it's\nback\\slash";

  @TestFactory
  Stream<DynamicTest> stateStatementsOfEveryWarehouse() {
    List<DynamicTest> tests = new ArrayList<>();
    for (Warehouse w : Warehouses.all()) {
      String path = "state/" + w.name() + ".sql";
      tests.add(DynamicTest.dynamicTest(path, () -> GoldenFiles.check(path, script(w))));
    }
    return tests.stream();
  }

  static String script(Warehouse w) {
    StateSql sql = new StateSql(w, GoldenConfigs.forWarehouse("standard", w));
    StringBuilder b = new StringBuilder();
    sql.createTables().forEach(s -> add(b, "createTables", s));
    add(b, "ensureLockRow", sql.ensureLockRow());
    add(b, "acquireLock", sql.acquireLock(RUN, OWNER, START, START.minusMinutes(10), Optional.empty()));
    add(b, "acquireLockFromStaleHolder", sql.acquireLock(RUN, OWNER, START, START.minusMinutes(10), Optional.of("0dead0ff")));
    add(b, "selectLock", sql.selectLock());
    add(b, "selectUnfinishedRuns", sql.selectUnfinishedRuns());
    add(b, "selectLastSuccess", sql.selectLastSuccess());
    add(b, "selectModelState", sql.selectModelState());
    add(b, "insertRun", sql.insertRun(RUN, OWNER, "incremental", START, Optional.of(MARK), List.of("heap__active_users__r" + RUN, "fct__changes__r" + RUN)));
    add(b, "markSelect", sql.markSelect(Optional.of(MARK)));
    add(b, "markSelect (every user)", sql.markSelect(Optional.empty()));
    add(b, "heartbeatLock", sql.heartbeatLock(RUN, END));
    add(b, "heartbeatRun", sql.heartbeatRun(RUN, END));
    add(b, "selectRunHeartbeat", sql.selectRunHeartbeat(RUN));
    sql.replaceModelState("stg_heap_sessions_inc_fct", "19e8b96524a3", RUN, END, 1_234_567L, "merged incrementally")
        .forEach(s -> add(b, "replaceModelState", s));
    add(b, "finishRun (succeeded)", sql.finishRun(RUN, "succeeded", END, Optional.of(END.minusHours(1)), List.of(), "3 models built"));
    add(b, "finishRun (failed)", sql.finishRun(RUN, "failed", END, Optional.empty(), List.of("fct__changes__r" + RUN), DETAIL));
    add(b, "releaseLock", sql.releaseLock(RUN));
    add(b, "markCrashed", sql.markCrashed(RUN, END, "did not finish; found by run " + NEXT_RUN));
    add(b, "clearWorkTables", sql.clearWorkTables(RUN));
    add(b, "pruneRuns", sql.pruneRuns(NEXT_RUN, END.minusDays(90)));
    sql.replaceSettings(RUN, new java.util.TreeMap<>(java.util.Map.of(StateSql.LOOKBACK, "3", "heap_version", "0.1.0"))).forEach(s -> add(b, "replaceSettings", s));
    add(b, "selectSettings", sql.selectSettings());
    add(b, "selectRuns", sql.selectRuns(20));
    SourceRowsBehindMark behind = new SourceRowsBehindMark(w, GoldenConfigs.forWarehouse("standard", w));
    add(b, "SourceRowsBehindMark.countSelect", behind.countSelect(Optional.of(MARK), END.minusDays(3)));
    add(b, "SourceRowsBehindMark.countSelect (no mark to compare)", behind.countSelect(Optional.empty(), END.minusDays(3)));
    HeapConfig standard = GoldenConfigs.forWarehouse("standard", w);
    add(b, "SourcesWithRows.select", new SourcesWithRows(w, standard).select(standard.catalog().tables()));
    return b.toString().stripTrailing() + "\n";
  }

  private static void add(StringBuilder b, String method, String statement) {
    b.append("-- ").append(method).append('\n').append(statement).append(";\n\n");
  }
}
