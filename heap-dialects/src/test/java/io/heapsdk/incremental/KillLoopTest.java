package io.heapsdk.incremental;

import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.run.JdbcRunner;
import io.heapsdk.run.SourceTables;
import io.heapsdk.warehouse.Warehouses;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kill -9 at random points of full and incremental runs, in a JVM of its own on an H2 file database;
 * after each kill a rerun (in this JVM) must leave the facts equal to a full refresh of the same source
 * rows built in a second, in-memory database (an independent path). Besides the random kills, the child
 * halts itself right after given statements: the high-water mark's working table (the moment of the
 * lost update once seen), inside the apply transaction, inside a full refresh's swap, and inside the
 * transaction that records a successful run.
 */
class KillLoopTest {
  static final HeapConfig CONFIG =
      HeapConfig.builder().funnelEvents(List.of("a", "b", "c")).conversionEvents(List.of("b")).ownDomain("example.com").build();

  private static final List<String> HALT_POINTS =
      List.of(
          "CREATE TABLE \"HEAP_MODELS\".\"HEAP__HIGH_WATER_MARK__R",
          "CREATE TABLE \"HEAP_MODELS\".\"HEAP__ACTIVE_USERS__R",
          "MERGE INTO \"HEAP_MODELS\".\"STG_HEAP_PAGEVIEW_SESSIONS_INC_FCT\"",
          "RENAME TO \"STG_HEAP_EVENTS_ALL_INC_FCT\"",
          "DELETE FROM \"HEAP_MODELS\".\"HEAP__MODEL_STATE\"",
          "SET \"STATUS\" = 'succeeded'");

  private static final int KILLS = 30;

  @Test
  void everyRerunAfterAKillEqualsAFullRefresh(@TempDir Path dir) throws Exception {
    String url = "jdbc:h2:file:" + dir.resolve("heap").toAbsolutePath();
    Random random = new Random(20240301L);
    try (Connection expected = DriverManager.getConnection("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")) {
      SourceTables sources = new SourceTables(Warehouses.H2, CONFIG);
      sources.create(expected);
      try (Connection c = DriverManager.getConnection(url)) {
        sources.create(c);
      }
      Batches batches = new Batches(sources, expected, url, new RandomHistory(7L, false, CONFIG.lateArrivalLookbackDays()));
      batches.add(0);
      int landed = 0;
      int halted = 0;
      int round = 0;
      long started = System.nanoTime();
      while (landed < KILLS || halted < HALT_POINTS.size()) {
        round++;
        // a new batch every other round; every fifth round a full refresh is killed
        if (round % 2 == 0) {
          batches.add(round);
        }
        boolean full = round % 5 == 0;
        Process child;
        boolean killed;
        String where;
        if (halted < HALT_POINTS.size() && round % 3 == 0) {
          String point = HALT_POINTS.get(halted++);
          child = start(url, full && !point.contains("HIGH_WATER") && !point.contains("ACTIVE") && !point.contains("MERGE") ? "full" : "incremental", point);
          killed = child.waitFor(60, TimeUnit.SECONDS) && child.exitValue() == 137;
          where = "halted after " + point;
        } else {
          child = start(url, full ? "full" : "incremental", null);
          long delay = 300 + random.nextInt(2200);
          killed = !child.waitFor(delay, TimeUnit.MILLISECONDS);
          child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
          where = "killed after " + delay + " ms";
          if (killed) {
            landed++;
          }
        }
        // the rerun: takes over the dead run's lock once stale, drops its working tables
        try (Connection c = DriverManager.getConnection(url)) {
          new JdbcRunner(Warehouses.H2).staleAfter(Duration.ofSeconds(1)).waitingForLock(Duration.ofSeconds(10))
              .run(HeapProject.standard(CONFIG).plan(), c);
          new JdbcRunner(Warehouses.H2).run(HeapProject.standard(CONFIG).plan(), expected, true);
          for (String fact : List.of("stg_heap_events_all_inc_fct", "stg_heap_pageview_sessions_inc_fct", "stg_heap_sessions_inc_fct")) {
            assertThat(rows(c, fact)).as("round %d (%s, %s, kill landed: %s): %s", round, full ? "full" : "incremental", where, killed, fact)
                .isEqualTo(rows(expected, fact))
                .isNotEmpty();
          }
          assertThat(workingTables(c)).as("round %d: working tables left", round).isEmpty();
        }
        assertThat(round).as("rounds to land %d kills", KILLS).isLessThan(120);
      }
      System.out.printf("kill loop: %d rounds, %d timed kills landed, %d halts, %d s%n", round, landed, halted,
          TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
    }
  }

  private static Process start(String url, String mode, String haltAfter) throws Exception {
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-XX:TieredStopAtLevel=1",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", classpath, RunnerChild.class.getName(), url, mode));
    if (haltAfter != null) {
      command.add(haltAfter);
    }
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
  }

  /** Source rows inserted alike into the file database (opened for the insert) and the expected one. */
  private record Batches(SourceTables sources, Connection expected, String url, RandomHistory history) {
    void add(int k) throws Exception {
      try (Connection c = DriverManager.getConnection(url)) {
        history.addBatch(
            new RandomHistory.Sink() {
              @Override
              public void insert(String table, List<Object[]> rows) {
                if (!rows.isEmpty()) {
                  sources.insert(c, table, rows);
                  sources.insert(expected, table, rows);
                }
              }

              @Override
              public void execute(String sql) {
                throw new UnsupportedOperationException("the kill loop's history records merges only");
              }
            },
            k);
      }
    }
  }

  static List<String> rows(Connection c, String fact) throws Exception {
    List<String> lines = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT * FROM \"HEAP_MODELS\".\"" + fact.toUpperCase() + "\"")) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= n; i++) {
          b.append(rs.getObject(i)).append('|');
        }
        lines.add(b.toString());
      }
    }
    lines.sort(null);
    return lines;
  }

  static List<String> workingTables(Connection c) throws Exception {
    List<String> names = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'HEAP_MODELS'")) {
      while (rs.next()) {
        // a run's working tables end in __R and its 8-hex-digit id; a swap's in __NEW
        if (rs.getString(1).matches(".*__R[0-9A-F]{8}|.*__NEW")) {
          names.add(rs.getString(1));
        }
      }
    }
    return names;
  }

}
