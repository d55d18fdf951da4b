package io.heapsdk.incremental;

import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.run.HeapRunException;
import io.heapsdk.run.JdbcRunner;
import io.heapsdk.run.SourceTables;
import io.heapsdk.warehouse.Warehouse;
import io.heapsdk.warehouse.Warehouses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Kill -9 at random points of full and incremental runs, in a JVM of its own on a file database (H2, and
 * DuckDB, the CLI's other embedded engine); after each kill a rerun (in this JVM) must leave the facts
 * equal to a full refresh of the same source rows built in a second, in-memory database of the same
 * engine (an independent path). Besides the random kills, the child halts itself right after given
 * statements: the high-water mark's working table (the moment of the lost update once seen), the active
 * users, inside the apply transaction, inside a full refresh (H2's swap; DuckDB's first replaced fact),
 * and inside the transaction that records a successful run; on H2 it also exits as on Ctrl-C right after
 * a swap's rename (H2 then writes the renamed fact out without its indexes). The facts must have the
 * same indexes as the full refresh's after every rerun.
 */
class KillLoopTest {
  static final HeapConfig CONFIG =
      HeapConfig.builder().funnelEvents(List.of("a", "b", "c")).conversionEvents(List.of("b")).ownDomain("example.com").build();

  /** A file database to kill runs on: its engine, its kills and the statements to halt after. */
  enum Target {
    H2_FILE(
        Warehouses.H2,
        30,
        List.of(
            "CREATE TABLE \"HEAP_MODELS\".\"HEAP__HIGH_WATER_MARK__R",
            "CREATE TABLE \"HEAP_MODELS\".\"HEAP__ACTIVE_USERS__R",
            "MERGE INTO \"HEAP_MODELS\".\"STG_HEAP_PAGEVIEW_SESSIONS_INC_FCT\"",
            "RENAME TO \"STG_HEAP_EVENTS_ALL_INC_FCT\"",
            // as on Ctrl-C: H2 writes out the rename, and the fact stands without its indexes
            RunnerChild.EXIT + "RENAME TO \"STG_HEAP_EVENTS_ALL_INC_FCT\"",
            "DELETE FROM \"HEAP_MODELS\".\"HEAP__MODEL_STATE\"",
            "SET \"STATUS\" = 'succeeded'")) {
      @Override
      String url(Path dir) {
        return "jdbc:h2:file:" + dir.resolve("heap").toAbsolutePath();
      }

      @Override
      String expectedUrl() {
        return "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
      }
    },
    // one process at a time may open a DuckDB file: the child has it alone while it runs, and after a
    // kill the rerun opens it with the dead run's write-ahead log to replay
    DUCKDB_FILE(
        Warehouses.DUCKDB,
        12,
        List.of(
            "CREATE OR REPLACE TABLE \"heap_models\".\"heap__high_water_mark__r",
            "CREATE OR REPLACE TABLE \"heap_models\".\"heap__active_users__r",
            "DELETE FROM \"heap_models\".\"stg_heap_pageview_sessions_inc_fct\"",
            "CREATE OR REPLACE TABLE \"heap_models\".\"stg_heap_events_all_inc_fct\"",
            "DELETE FROM \"heap_models\".\"heap__model_state\"",
            "SET \"status\" = 'succeeded'")) {
      @Override
      String url(Path dir) {
        return "jdbc:duckdb:" + dir.resolve("heap.duckdb").toAbsolutePath();
      }

      @Override
      String expectedUrl() {
        return "jdbc:duckdb:";
      }
    };

    final Warehouse warehouse;
    final int kills;
    final List<String> haltPoints;

    Target(Warehouse warehouse, int kills, List<String> haltPoints) {
      this.warehouse = warehouse;
      this.kills = kills;
      this.haltPoints = haltPoints;
    }

    abstract String url(Path dir);

    abstract String expectedUrl();

    /** The warehouse of a child's JDBC URL. */
    static Warehouse of(String url) {
      return url.startsWith("jdbc:duckdb:") ? Warehouses.DUCKDB : Warehouses.H2;
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void everyRerunAfterAKillEqualsAFullRefresh(Target target, @TempDir Path dir) throws Exception {
    Warehouse w = target.warehouse;
    List<String> haltPoints = target.haltPoints;
    String url = target.url(dir);
    Random random = new Random(20240301L);
    try (Connection expected = DriverManager.getConnection(target.expectedUrl())) {
      SourceTables sources = new SourceTables(w, CONFIG);
      sources.create(expected);
      try (Connection c = DriverManager.getConnection(url)) {
        sources.create(c);
      }
      Batches batches = new Batches(sources, expected, url, new RandomHistory(7L, false, CONFIG.lateArrivalLookbackDays()));
      batches.add(0);
      int landed = 0;
      int halted = 0;
      int round = 0;
      int storeFailures = 0;
      long started = System.nanoTime();
      while (landed < target.kills || halted < haltPoints.size()) {
        round++;
        // a new batch every other round; every fifth round a full refresh is killed
        if (round % 2 == 0) {
          batches.add(round);
        }
        boolean full = round % 5 == 0;
        Process child;
        boolean killed;
        String where;
        if (halted < haltPoints.size() && round % 3 == 0) {
          String point = haltPoints.get(halted++);
          // the mark, the active users and the apply are statements of incremental runs; a full
          // refresh's swap or replaced fact of full ones; the run's record of both
          String upper = point.toUpperCase(Locale.ROOT);
          boolean incrementalOnly = upper.contains("HIGH_WATER") || upper.contains("ACTIVE") || upper.contains("MERGE") || upper.contains("DELETE FROM \"HEAP_MODELS\".\"STG_");
          boolean fullOnly = upper.contains("RENAME TO \"STG_") || upper.contains("REPLACE TABLE \"HEAP_MODELS\".\"STG_");
          full = fullOnly || (full && !incrementalOnly);
          child = start(url, full ? "full" : "incremental", point);
          int code = point.startsWith(RunnerChild.EXIT) ? 130 : 137;
          killed = child.waitFor(60, TimeUnit.SECONDS) && child.exitValue() == code;
          // a halt point that never matched would test nothing
          assertThat(killed).as("%s round %d: the child halted after %s", target, round, point).isTrue();
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
        Connection opened = DriverManager.getConnection(url);
        try {
          rerun(w, opened);
        } catch (HeapRunException e) {
          if (target != Target.H2_FILE || !storeClosed(e)) {
            throw e;
          }
          // H2's file store, opened for the first time after a kill -9, closed itself once in CI (H2
          // 2.5.252: "The database has been closed" in the rerun's first statements; not reproduced in
          // 400 kills since), the damage the README's "H2 files after a crash" describes, after which a
          // second run succeeded. That is the engine's recovery, not the runner's: reopened, the rerun
          // must still leave the facts equal to a full refresh. More than twice in one loop fails.
          storeFailures++;
          System.out.printf("kill loop on %s round %d (%s): H2 closed the database in the rerun (%s); reopened%n", target, round, where, e.getMessage());
          assertThat(storeFailures).as("%s: reruns in which H2 closed the database", target).isLessThanOrEqualTo(2);
          try {
            opened.close();
          } catch (SQLException closedAlready) {
            // the database is closed: so is the connection
          }
          opened = DriverManager.getConnection(url);
          rerun(w, opened);
        }
        try (Connection c = opened) {
          new JdbcRunner(w).run(HeapProject.standard(CONFIG).plan(), expected, true);
          for (String fact : List.of("stg_heap_events_all_inc_fct", "stg_heap_pageview_sessions_inc_fct", "stg_heap_sessions_inc_fct")) {
            assertThat(rows(w, c, fact)).as("%s round %d (%s, %s, kill landed: %s): %s", target, round, full ? "full" : "incremental", where, killed, fact)
                .isEqualTo(rows(w, expected, fact))
                .isNotEmpty();
          }
          assertThat(workingTables(w, c)).as("%s round %d: working tables left", target, round).isEmpty();
          // an H2 swap's DDL commits statement by statement: a kill after the rename left the fact
          // without its indexes, and every later incremental run many times slower
          assertThat(indexedColumns(w, c)).as("%s round %d (%s): the facts' indexes", target, round, where)
              .isEqualTo(indexedColumns(w, expected));
        }
        assertThat(round).as("rounds to land %d kills", target.kills).isLessThan(120);
      }
      System.out.printf("kill loop on %s: %d rounds, %d timed kills landed, %d halts, %d s%n", target, round, landed, halted,
          TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
    }
  }

  private static void rerun(Warehouse w, Connection c) {
    new JdbcRunner(w).staleAfter(Duration.ofSeconds(1)).waitingForLock(Duration.ofSeconds(10)).run(HeapProject.standard(CONFIG).plan(), c);
  }

  /** Whether H2 closed the database under the run: its "database closed" (90098) or file error (90028). */
  private static boolean storeClosed(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && (sql.getErrorCode() == 90098 || sql.getErrorCode() == 90028)) {
        return true;
      }
    }
    return false;
  }

  /**
   * A child JVM running {@link RunnerChild}, with a temporary directory of its own that is deleted when
   * it ends: DuckDB's driver copies its 68 MB native library there on every start and deletes it only on
   * a normal exit, so each child killed here left one in /tmp (hundreds per build, until the disk was full).
   */
  private static Process start(String url, String mode, String haltAfter) throws Exception {
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Path tmp = Files.createTempDirectory("heap-kill-loop-child");
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-XX:TieredStopAtLevel=1",
        "-Djava.io.tmpdir=" + tmp, "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", classpath,
        RunnerChild.class.getName(), url, mode));
    if (haltAfter != null) {
      command.add(haltAfter);
    }
    Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    child.onExit().thenRun(() -> deleteTree(tmp));
    return child;
  }

  private static void deleteTree(Path dir) {
    try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (java.io.IOException | java.io.UncheckedIOException e) {
      // a temporary directory: left to the system
    }
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

  static List<String> rows(Warehouse w, Connection c, String fact) throws Exception {
    List<String> lines = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT * FROM " + w.quote("heap_models") + "." + w.quote(fact))) {
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

  /** The target schema's indexed columns as {@code table.column}, sorted (H2; the other engine here, DuckDB, has none). */
  static List<String> indexedColumns(Warehouse w, Connection c) throws Exception {
    List<String> columns = new ArrayList<>();
    if (w != Warehouses.H2) {
      return columns;
    }
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT TABLE_NAME, COLUMN_NAME FROM INFORMATION_SCHEMA.INDEX_COLUMNS WHERE TABLE_SCHEMA = 'HEAP_MODELS'"
                    + " AND TABLE_NAME LIKE 'STG\\_%'")) {
      while (rs.next()) {
        columns.add(rs.getString(1) + "." + rs.getString(2));
      }
    }
    columns.sort(null);
    return columns;
  }

  static List<String> workingTables(Warehouse w, Connection c) throws Exception {
    List<String> names = new ArrayList<>();
    // the schema's name as the engine stores it: what the quoted name holds
    String schema = w.quote("heap_models").replace("\"", "");
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = '" + schema + "'")) {
      while (rs.next()) {
        // a run's working tables end in __R and its 8-hex-digit id; a swap's in __NEW
        if (rs.getString(1).toUpperCase(Locale.ROOT).matches(".*__R[0-9A-F]{8}|.*__NEW")) {
          names.add(rs.getString(1));
        }
      }
    }
    return names;
  }

}
