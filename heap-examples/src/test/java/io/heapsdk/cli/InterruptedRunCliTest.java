package io.heapsdk.cli;

import static io.heapsdk.cli.DuckDbCliTest.ok;
import static io.heapsdk.cli.HeapCliTest.heap;
import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.sample.SampleData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code heap run} stopped by a signal, in a process of its own: the run is cancelled, rolls back,
 * records itself as failed and releases its lock before the process exits, so the next {@code heap
 * run} starts at once (not after the ten minutes a lock takes to grow stale) and {@code heap status}
 * tells what happened.
 *
 * <p>The signal is SIGTERM (a plain {@code kill}, {@link Process#destroy}): Ctrl-C's SIGINT takes the same
 * path through the JVM's shutdown hooks, but a process started from a shell's background job inherits
 * SIGINT ignored, so a test could not rely on delivering it.
 */
class InterruptedRunCliTest {
  private static final int SIGTERM_EXIT = 143;

  private static LocalPostgres server;

  @TempDir Path tmp;

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  /**
   * PostgreSQL: another session holds {@code all_events} locked, so the run's first read of it (the check
   * for emptied sources, before it records itself or builds anything) waits on the server when the
   * signal comes; the server must be told to cancel it, or the statement (and its locks) would outlive
   * the process.
   */
  @Test
  void onPostgresTheStatementIsCancelledAndTheLockReleased() throws Exception {
    Path config = config();
    String url = postgresWithASecondBatch("heap_interrupted", config);
    try (Connection blocker = DriverManager.getConnection(url);
        Connection observer = DriverManager.getConnection(url)) {
      lock(blocker, List.of(eventsTable(observer)));
      Stopped stopped = runStoppedWhen(err -> lockWaits(observer) > 0, "the run's statement waiting for the blocker's lock", config, url);
      assertThat(stopped.exit()).as(stopped.said()).isEqualTo(SIGTERM_EXIT);
      assertThat(stopped.said())
          .contains("heap: terminated by SIGTERM: stopping the run (cancelling its statement, rolling back, releasing the run lock; up to 30 s)")
          .contains("heap: run cancelled (terminated by SIGTERM) in its source check step on postgres");
      assertThat(lockWaits(observer)).as("no statement of the run is left on the server").isZero();
      blocker.rollback();
    }
    // stopped while deciding: the lock free, no run left "running", and the next run goes ahead
    HeapCliTest.Result status = ok(heap("status", "--config", config, "--jdbc", url));
    assertThat(status.out()).contains("lock: free").doesNotContain(" running ");
    assertThat(ok(heap("run", "--config", config, "--jdbc", url)).out()).contains("(incremental run)");
  }

  /**
   * PostgreSQL, {@code kill -9} while the run's statement waits on a lock: the process cannot cancel it,
   * so the server must notice the client gone by itself (heap asks it to check every 2 s) and end the
   * statement, or it would wait as long as the lock is held, then run and commit with nobody there.
   */
  @Test
  void onPostgresAStatementOfAKilledRunEndsWithoutWaitingForItsLock() throws Exception {
    Path config = config();
    String url = postgresWithASecondBatch("heap_killed", config);
    try (Connection blocker = DriverManager.getConnection(url);
        Connection observer = DriverManager.getConnection(url)) {
      lock(blocker, List.of(eventsTable(observer)));
      Path err = tmp.resolve("err.txt");
      Process run = HeapProcess.builder(env -> {}, "run", "--config", config.toString(), "--jdbc", url).redirectError(err.toFile()).start();
      waitFor(() -> lockWaits(observer) > 0, run, err, "the run's statement waiting for the blocker's lock");
      run.destroyForcibly();
      assertThat(run.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertNoLockWaitWithin(observer, Duration.ofSeconds(20), "the killed run's statement");
      blocker.rollback();
    }
    // the killed run's lock stands until stale: taken over, the run recomputes and succeeds
    HeapCliTest.Result again = ok(heap("run", "--config", config, "--jdbc", url, "--stale-after", 1, "--wait", 10));
    assertThat(again.out()).contains("(incremental run)");
  }

  /**
   * PostgreSQL, Ctrl-C (here SIGTERM) on a command that only reads ({@code heap funnel}, {@code heap
   * test}): nothing to roll back, the process just exits; its query must not go on on the server, waiting
   * for the locks it needs as long as they are held, with nobody to answer.
   */
  @ParameterizedTest(name = "heap {0}")
  @ValueSource(strings = {"funnel --steps view_product,purchase", "test"})
  void onPostgresAStoppedAnalysisLeavesNoQueryBehind(String command) throws Exception {
    Path config = config();
    String url = postgres().newDatabase("heap_analysis_" + command.split(" ")[0]);
    ok(heap("sample", "--config", config, "--jdbc", url, "--users", 300));
    ok(heap("run", "--config", config, "--jdbc", url));
    try (Connection blocker = DriverManager.getConnection(url);
        Connection observer = DriverManager.getConnection(url)) {
      lock(blocker, userTables(observer));
      Path err = tmp.resolve("err.txt");
      List<String> args = new ArrayList<>(List.of(command.split(" ")));
      args.addAll(List.of("--config", config.toString(), "--jdbc", url));
      Process analysis = HeapProcess.builder(env -> {}, args.toArray(String[]::new)).redirectError(err.toFile()).start();
      waitFor(() -> lockWaits(observer) > 0, analysis, err, "the command's query waiting for the blocker's lock");
      analysis.destroy();
      assertThat(analysis.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(analysis.exitValue()).isEqualTo(SIGTERM_EXIT);
      assertNoLockWaitWithin(observer, Duration.ofSeconds(20), "the stopped command's query");
      blocker.rollback();
    }
  }

  /** Waits for the server to end every statement waiting on a lock, while the lock is still held. */
  private static void assertNoLockWaitWithin(Connection observer, Duration time, String what) throws InterruptedException {
    long deadline = System.nanoTime() + time.toNanos();
    while (lockWaits(observer) > 0 && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(lockWaits(observer)).as(what + " is gone while the lock it waited for is still held").isZero();
  }

  /** A new PostgreSQL database with the sample, a run and a second batch: the next run is incremental. */
  private static String postgresWithASecondBatch(String name, Path config) throws Exception {
    String url = postgres().newDatabase(name);
    ok(heap("sample", "--config", config, "--jdbc", url, "--users", 300));
    ok(heap("run", "--config", config, "--jdbc", url));
    ok(heap("sample", "--config", config, "--jdbc", url, "--users", 300, "--batch", 2));
    return url;
  }

  /** Locks {@code tables} against every other session, until {@code blocker} rolls back. */
  private static void lock(Connection blocker, List<String> tables) throws Exception {
    blocker.setAutoCommit(false);
    try (Statement s = blocker.createStatement()) {
      s.execute("LOCK TABLE " + String.join(", ", tables) + " IN ACCESS EXCLUSIVE MODE");
    }
  }

  /** Every table of the database outside PostgreSQL's own schemas, quoted. */
  private static List<String> userTables(Connection db) throws Exception {
    List<String> tables = new ArrayList<>();
    try (Statement s = db.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT table_schema, table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE'"
                    + " AND table_schema NOT IN ('pg_catalog', 'information_schema')")) {
      while (rs.next()) {
        tables.add("\"" + rs.getString(1) + "\".\"" + rs.getString(2) + "\"");
      }
    }
    return tables;
  }

  /**
   * An H2 file: H2 closes an embedded database on the way out by a hook of its own; heap opens it
   * without that ({@code DB_CLOSE_ON_EXIT=FALSE}), or the run could not record its end nor free its lock.
   */
  @Test
  void onAnH2FileTheRunRecordsItsEndBeforeTheProcessExits() throws Exception {
    Path config = config();
    String url = "jdbc:h2:file:" + tmp.resolve("heap");
    ok(heap("sample", "--config", config, "--jdbc", url, "--users", 3000));
    // the models take seconds to build on H2: the signal comes in the middle of one of them
    Stopped stopped = runStoppedWhen(err -> read(err).contains("full-refresh run on h2"), "the run's first statement", config, url, "--full-refresh");
    assertThat(stopped.exit()).as(stopped.said()).isEqualTo(SIGTERM_EXIT);
    assertThat(stopped.said()).contains("heap: run cancelled (terminated by SIGTERM) while building model ").doesNotContain("exclusive mode");
    assertStoppedAndRunsAgain(config, url, HeapCliTest.FULL_BUILD);
  }

  /**
   * A signal as the run ends, after its last "built" line (its facts applied and counted): the run is
   * recorded as succeeded, its record let finish ({@code RunCancel.RECORDING_ALLOWANCE}) if the signal
   * came during it, so heap says so and exits 0, not with the signal's status. Before, a signal during the
   * record cancelled it: exit 143 and a run recorded as failed with its facts applied.
   */
  @Test
  void aSignalAfterTheLastStatementExitsZeroSayingTheRunFinished() throws Exception {
    Path config = config();
    String url = "jdbc:duckdb:" + tmp.resolve("heap.duckdb");
    ok(heap("sample", "--config", config, "--jdbc", url, "--users", 300));
    Stopped stopped = runStoppedWhen(err -> read(err).contains("built stg_heap_sessions_inc_fct"), "the run's last model built", config, url);
    String said = stopped.said();
    assertThat(stopped.exit()).as(said).isZero();
    // the signal may also land once heap is exiting on its own, when the hook has nothing to say
    if (said.contains("heap: terminated by SIGTERM")) {
      assertThat(said).contains("heap: the run had finished when the signal came: its models are built");
    }
    HeapCliTest.Result status = ok(heap("status", "--config", config, "--jdbc", url));
    assertThat(status.out()).contains("lock: free").containsPattern("(?m)^  [0-9a-f]{8} +full build +succeeded ");
  }

  /**
   * A first {@code heap sample} stopped part-way on an H2 file, which commits each {@code CREATE TABLE} on
   * its own: the load rolls its rows back and drops the tables it created, so the next first batch is not
   * refused by empty Heap tables.
   */
  @Test
  void aStoppedFirstSampleLeavesNoTables() throws Exception {
    Path config = config();
    Path file = tmp.resolve("sample.mv.db");
    String url = "jdbc:h2:file:" + tmp.resolve("sample");
    Path err = tmp.resolve("err.txt");
    // 50,000 users take H2 several seconds: the signal comes while the rows go in
    Process load = HeapProcess.builder(env -> {}, "sample", "--config", config.toString(), "--jdbc", url, "--users", "50000")
        .redirectError(err.toFile())
        .start();
    waitFor(() -> Files.exists(file), load, err, "the database file");
    Thread.sleep(1000);
    load.destroy();
    assertThat(load.waitFor(Interrupts.GRACE.toSeconds() + 10, TimeUnit.SECONDS)).isTrue();
    String said = read(err);
    assertThat(load.exitValue()).as(said).isEqualTo(SIGTERM_EXIT);
    assertThat(said)
        .contains("heap: terminated by SIGTERM: stopping the load (rolling back, dropping the tables it created; up to 30 s)")
        .contains("heap: sample cancelled (terminated by SIGTERM): nothing was loaded, and no Heap table is left in schema main_production");
    assertThat(ok(heap("sample", "--config", config, "--jdbc", url, "--users", 300)).out()).contains("created Heap's tables");
  }

  /**
   * A signal while {@code heap docs} writes its pages: the page being written is renamed into place or
   * removed before the process exits, no later page is begun, and heap says so in its own words (it
   * used to leave hidden {@code .tmp} files, and to report "internal error: Shutdown in progress").
   */
  @Test
  void aSignalWhileWritingFilesLeavesNoFileOfItsOwn() throws Exception {
    for (int attempt = 0; attempt < 3; attempt++) {
      Path dir = tmp.resolve("docs" + attempt);
      Path err = tmp.resolve("docs-err" + attempt + ".txt");
      Process docs = HeapProcess.builder(env -> {}, "docs", "--out", dir.toString()).redirectError(err.toFile()).start();
      waitFor(() -> Files.isDirectory(dir), docs, err, "the docs folder");
      Thread.sleep(attempt * 20L);
      docs.destroy();
      assertThat(docs.waitFor(Interrupts.GRACE.toSeconds() + 10, TimeUnit.SECONDS)).isTrue();
      String said = read(err);
      assertThat(docs.exitValue()).as(said).isIn(0, SIGTERM_EXIT);
      assertThat(said).doesNotContain("internal error").doesNotContain("Exception");
      try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
        assertThat(files.map(Path::toString).filter(f -> f.endsWith(".tmp"))).as(said).isEmpty();
      }
    }
  }

  /**
   * {@code kill -9} mid-run on a DuckDB file: the run cannot record its end, and {@code heap status} (which
   * has the file to itself, so no run can be going on) says the lock was left by a run that died and that
   * the next run takes it over, as it then does.
   */
  @Test
  void afterAKillStatusSaysTheLockWasLeftByARunThatDied() throws Exception {
    Path config = config();
    String url = "jdbc:duckdb:" + tmp.resolve("heap.duckdb");
    // about 185,000 events: the pageview model takes DuckDB a few hundred milliseconds
    ok(heap("sample", "--config", config, "--jdbc", url, "--users", 20000));
    Path err = tmp.resolve("err.txt");
    Process run = HeapProcess.builder(env -> {}, "run", "--config", config.toString(), "--jdbc", url, "--progress")
        .redirectError(err.toFile())
        .start();
    // the progress line's "statement n of m: build stg_heap_pageview_…", not the decisions logged
    // before the run has recorded itself
    java.util.regex.Pattern building = java.util.regex.Pattern.compile("statement \\d+ of \\d+: \\S+ stg_heap_pageview_sessions_inc_fct");
    waitFor(() -> building.matcher(read(err)).find(), run, err, "the run building its second model");
    run.destroyForcibly();
    assertThat(run.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String killed = read(err);
    assertThat(killed).as("killed before the run ended").doesNotContain("built stg_heap_sessions_inc_fct");

    String status = ok(heap("status", "--config", config, "--jdbc", url)).out();
    assertThat(status)
        .containsPattern("(?m)^lock: left by run [0-9a-f]{8} \\(.+\\), started .+, which is no longer running \\(its process ended before"
            + " the run did: killed or crashed\\); the next `heap run` takes the lock over$")
        .containsPattern("(?m)^  [0-9a-f]{8} +full build +unfinished .* its process ended before the run did");
    // --dry-run says so too: whether a run now goes ahead depends on the lock
    assertThat(ok(heap("run", "--config", config, "--jdbc", url, "--dry-run")).out())
        .containsPattern("(?m)^-- lock: left by run [0-9a-f]{8} .*the next `heap run` takes the lock over$");
    HeapCliTest.Result again = ok(heap("run", "--config", config, "--jdbc", url));
    assertThat(again.out()).as(killed).contains(HeapCliTest.FULL_BUILD);
    String after = ok(heap("status", "--config", config, "--jdbc", url)).out();
    assertThat(after).contains("lock: free").containsPattern("(?m)^  [0-9a-f]{8} +full build +crashed ").doesNotContain("unfinished");
  }

  private static LocalPostgres postgres() throws Exception {
    if (server == null) {
      server = LocalPostgres.start();
    }
    return server;
  }

  /** What a stopped {@code heap run} said on stderr, and its exit status. */
  private record Stopped(int exit, String said) {}

  /** Starts {@code heap run --config … --jdbc … more}, sends it SIGTERM once {@code when} holds, and waits for it. */
  private Stopped runStoppedWhen(Predicate<Path> when, String what, Path config, String url, String... more)
      throws Exception {
    Path err = tmp.resolve("err.txt");
    List<String> args = new ArrayList<>(List.of("run", "--config", config.toString(), "--jdbc", url));
    args.addAll(List.of(more));
    Process run = HeapProcess.builder(env -> {}, args.toArray(String[]::new)).redirectError(err.toFile()).start();
    waitFor(() -> when.test(err), run, err, what);
    run.destroy();
    assertThat(run.waitFor(Interrupts.GRACE.toSeconds() + 10, TimeUnit.SECONDS)).as("exits").isTrue();
    return new Stopped(run.exitValue(), read(err));
  }

  private Path config() throws Exception {
    Path config = tmp.resolve("heap.yml");
    SqlFiles.writeText(config, SampleData.DEMO_CONFIG_YAML);
    return config;
  }

  /** {@code heap status}: the newest run failed as cancelled, the lock is free; a plain run builds. */
  private static void assertStoppedAndRunsAgain(Path config, String url, String mode) {
    HeapCliTest.Result status = ok(heap("status", "--config", config, "--jdbc", url));
    assertThat(status.out()).contains("lock: free");
    String newest = status.out().lines().filter(l -> l.matches("^  [0-9a-f]{8} .*")).findFirst().orElseThrow();
    assertThat(newest).contains(" failed ").containsPattern("run cancelled \\(terminated by SIGTERM\\) while building (model|working table) ");
    HeapCliTest.Result again = ok(heap("run", "--config", config, "--jdbc", url));
    assertThat(again.out()).contains(mode);
  }

  private static String eventsTable(Connection db) throws Exception {
    try (Statement s = db.createStatement();
        ResultSet rs = s.executeQuery("SELECT table_schema FROM information_schema.tables WHERE table_name = 'all_events'")) {
      rs.next();
      return "\"" + rs.getString(1) + "\".\"all_events\"";
    }
  }

  private static long lockWaits(Connection observer) {
    try (Statement s = observer.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'")) {
      rs.next();
      return rs.getLong(1);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void waitFor(BooleanSupplier condition, Process run, Path err, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!condition.getAsBoolean()) {
      if (!run.isAlive() || System.nanoTime() > deadline) {
        run.destroyForcibly();
        throw new AssertionError("never saw " + what + "; heap said: " + read(err));
      }
      Thread.sleep(50);
    }
  }
}
