package io.heapsdk.cli;

import static io.heapsdk.cli.DuckDbCliTest.ok;
import static io.heapsdk.cli.DuckDbCliTest.oneLine;
import static io.heapsdk.cli.HeapCliTest.heap;
import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.sample.SampleData;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI on a PostgreSQL database of a throwaway server: the same numbers as on H2 through sample, run,
 * a second batch, an incremental run and the analyses; a missing database and a server that is not
 * there as one line naming host, port and database.
 */
class PostgresCliTest {
  private static LocalPostgres server;

  @TempDir Path tmp;

  private static synchronized LocalPostgres server() throws Exception {
    if (server == null) {
      server = LocalPostgres.start();
    }
    return server;
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void sampleRunBatchRunAndTheAnalysesAgreeWithH2() throws Exception {
    Path config = tmp.resolve("heap.yml");
    SqlFiles.writeText(config, SampleData.DEMO_CONFIG_YAML);
    String url = server().newDatabase("heap_cli");
    assertThat(DuckDbCliTest.session(config, url)).isEqualTo(DuckDbCliTest.session(config, "jdbc:h2:file:" + tmp.resolve("h2")));
    HeapCliTest.Result status = ok(heap("status", "--config", config, "--jdbc", url));
    assertThat(status.out()).contains("lock: free").containsPattern("(?m)^  \\S+ +incremental +succeeded");
  }

  /**
   * {@code heap status} as a user that may read Heap's tables but not create tables where the models go:
   * it asks PostgreSQL (has_schema_privilege, has_database_privilege) and says what to grant, where it
   * used to say only "if heap's database user may create tables in it", and the run then failed.
   */
  @Test
  void statusSaysWhenHeapsUserMayNotCreateWhereTheModelsGo() throws Exception {
    String url = server().newDatabase("heap_cli_grants");
    ok(heap("sample", "--jdbc", url, "--users", 20));
    try (java.sql.Connection admin = java.sql.DriverManager.getConnection(url);
        java.sql.Statement s = admin.createStatement()) {
      s.execute("CREATE ROLE reader_cli LOGIN");
      s.execute("GRANT USAGE ON SCHEMA main_production TO reader_cli");
      s.execute("GRANT SELECT ON ALL TABLES IN SCHEMA main_production TO reader_cli");
      s.execute("CREATE SCHEMA heap_models");
      s.execute("GRANT USAGE ON SCHEMA heap_models TO reader_cli");
    }
    String reader = url.replace("user=postgres", "user=reader_cli");

    // what the run would be refused for want of a grant, status exits 2 for too, as the run does (not 1,
    // which a scheduler retries)
    HeapCliTest.Result noCreate = heap("status", "--jdbc", reader);
    assertThat(noCreate.code()).as(noCreate.err()).isEqualTo(2);
    HeapCliTest.Result noCreateRun = heap("run", "--jdbc", reader);
    assertThat(noCreateRun.code()).as(noCreateRun.err()).isEqualTo(2);
    assertThat(oneLine(noCreateRun))
        .startsWith("heap: heap's database user may not create its tables in the target schema heap_models (")
        .contains("permission denied for schema heap_models")
        .contains("): grant it USAGE and CREATE on that schema, or set target.schema to one it may use");
    assertThat(noCreate.out())
        .contains("no run state in schema heap_models of " + reader)
        .contains("heap's database user may not create tables in it (it lacks USAGE or CREATE on the schema), which a run needs: grant it"
            + " USAGE, CREATE ON SCHEMA \"heap_models\"")
        .doesNotContain("(if heap's database user");
    Path config = tmp.resolve("elsewhere.yml");
    SqlFiles.writeText(config, "target:\n  schema: heap_elsewhere\n");
    HeapCliTest.Result noSchema = heap("status", "--config", config, "--jdbc", reader);
    assertThat(noSchema.code()).as(noSchema.err()).isEqualTo(2);
    HeapCliTest.Result noSchemaRun = heap("run", "--config", config, "--jdbc", reader);
    assertThat(noSchemaRun.code()).as(noSchemaRun.err()).isEqualTo(2);
    assertThat(oneLine(noSchemaRun)).startsWith("heap: the target schema heap_elsewhere does not exist, and heap's database user may not create it (");
    assertThat(noSchema.out())
        .contains("schema heap_elsewhere does not exist in " + reader + ", and heap's database user may not create it (no CREATE on the database)");

    try (java.sql.Connection admin = java.sql.DriverManager.getConnection(url);
        java.sql.Statement s = admin.createStatement()) {
      s.execute("GRANT CREATE ON SCHEMA heap_models TO reader_cli");
    }
    // CREATE without USAGE: a run could not use the schema either
    try (java.sql.Connection admin = java.sql.DriverManager.getConnection(url);
        java.sql.Statement s = admin.createStatement()) {
      s.execute("REVOKE USAGE ON SCHEMA heap_models FROM reader_cli");
    }
    HeapCliTest.Result noUsage = heap("status", "--jdbc", reader);
    assertThat(noUsage.code()).isEqualTo(2);
    assertThat(noUsage.out()).contains("it lacks USAGE or CREATE on the schema");
    try (java.sql.Connection admin = java.sql.DriverManager.getConnection(url);
        java.sql.Statement s = admin.createStatement()) {
      s.execute("GRANT USAGE ON SCHEMA heap_models TO reader_cli");
    }
    HeapCliTest.Result granted = ok(heap("status", "--jdbc", reader));
    assertThat(granted.out()).contains("the next run builds every model in full").doesNotContain("may not create");
    ok(heap("run", "--jdbc", reader));
    try (java.sql.Connection admin = java.sql.DriverManager.getConnection(url);
        java.sql.Statement s = admin.createStatement()) {
      s.execute("REVOKE CREATE ON SCHEMA heap_models FROM reader_cli");
    }
    // with run state: every run still writes its working tables there
    HeapCliTest.Result revoked = heap("status", "--jdbc", reader);
    assertThat(revoked.code()).isEqualTo(2);
    assertThat(revoked.out())
        .contains("heap's database user may not create tables in schema heap_models (it lacks USAGE or CREATE on it), which every run needs")
        .contains("lock: free");
  }

  /**
   * {@code heap test} as a user that may read every Heap table but {@code user_migrations}: the checks
   * of that table are reported as errors with PostgreSQL's reason, every other check runs and is
   * reported, and the exit code is 2, a grant to make. It used to stop at the first check that read the
   * table, the others unreported (a probe on hand-made Heap data).
   */
  @Test
  void aTableHeapsUserMayNotReadIsAnErrorOfItsChecksAndTheOthersRun() throws Exception {
    String url = server().newDatabase("heap_cli_test_grants");
    ok(heap("sample", "--jdbc", url, "--users", 20));
    ok(heap("run", "--jdbc", url));
    try (java.sql.Connection admin = java.sql.DriverManager.getConnection(url);
        java.sql.Statement s = admin.createStatement()) {
      s.execute("CREATE ROLE tester_cli LOGIN");
      for (String schema : List.of("main_production", "heap_models")) {
        s.execute("GRANT USAGE ON SCHEMA " + schema + " TO tester_cli");
        s.execute("GRANT SELECT ON ALL TABLES IN SCHEMA " + schema + " TO tester_cli");
      }
      s.execute("REVOKE SELECT ON main_production.user_migrations FROM tester_cli");
    }
    HeapCliTest.Result tested = heap("test", "--jdbc", url.replace("user=postgres", "user=tester_cli"));
    assertThat(tested.code()).as(tested.err()).isEqualTo(2);
    List<String> rows = tested.out().lines().filter(l -> l.contains(" source:") || l.contains(" model:")).toList();
    // the table's cells: test, target, status, failing rows, detail
    java.util.function.Function<String, String> status = l -> l.split(" {2,}")[2];
    List<String> migrations = rows.stream().filter(l -> l.contains(" source:user_migrations ")).toList();
    assertThat(migrations).isNotEmpty().allSatisfy(l -> {
      assertThat(status.apply(l)).isEqualTo("error");
      assertThat(l).contains("permission denied for table user_migrations");
    });
    // every other check ran and has its verdict (the sample's duplicate event ids warn, by design; its
    // data is from 2024, so freshness fails)
    assertThat(rows.stream().filter(l -> !l.contains(" source:user_migrations ")))
        .hasSizeGreaterThan(15)
        .allSatisfy(l -> assertThat(status.apply(l)).isIn("pass", "warn", "fail"));
    assertThat(tested.out()).contains(", " + migrations.size() + " could not run");
    assertThat(tested.err())
        .contains("heap: " + migrations.size() + " checks could not run, the others did: ")
        .contains("permission denied for table user_migrations");

    // all_events refused too, with funnel events in the config: the check of their names is an error, and
    // the note of names no event has stays unsaid (it said "name events no all_events row has: ;", a review)
    try (java.sql.Connection admin = java.sql.DriverManager.getConnection(url);
        java.sql.Statement s = admin.createStatement()) {
      s.execute("REVOKE SELECT ON main_production.all_events FROM tester_cli");
    }
    Path funnel = tmp.resolve("funnel.yml");
    SqlFiles.writeText(funnel, "funnel_events: [view_product, purchase]\n");
    HeapCliTest.Result events = heap("test", "--config", funnel, "--jdbc", url.replace("user=postgres", "user=tester_cli"));
    assertThat(events.code()).as(events.err()).isEqualTo(2);
    assertThat(events.out().lines().filter(l -> l.startsWith("contains_values_all_events_event_table_name ")))
        .singleElement().satisfies(l -> assertThat(status.apply(l)).isEqualTo("error"));
    assertThat(events.err()).doesNotContain("funnel_events or conversion_events name");
  }

  /**
   * {@code target.schema: Analytics} is stored {@code analytics} (PostgreSQL folds a plain name), while a
   * schema {@code "Analytics"} made quoted (in a GUI) is another one: the run made {@code analytics} beside
   * it without a word (a probe on hand-made Heap data). It warns, naming the form that reaches the existing
   * schema, and that form builds the models there.
   */
  /**
   * A database whose sessions default to read-only transactions (a DBA froze it for a migration:
   * {@code ALTER DATABASE … SET default_transaction_read_only = on}): {@code heap run} and {@code heap
   * sample} stop before they write, exit 2, as for a URL opened read-only. Before, the run failed at its
   * first {@code CREATE TABLE}, "the run state failed", exit 1, which a scheduler retries in vain (a probe).
   */
  @Test
  void aDatabaseThatDefaultsToReadOnlyIsAUsageErrorBeforeAnyWrite() throws Exception {
    String url = server().newDatabase("heap_cli_read_only_default");
    ok(heap("sample", "--jdbc", url, "--users", 20));
    try (java.sql.Connection admin = java.sql.DriverManager.getConnection(url);
        java.sql.Statement s = admin.createStatement()) {
      s.execute("ALTER DATABASE heap_cli_read_only_default SET default_transaction_read_only = on");
    }
    HeapCliTest.Result run = heap("run", "--jdbc", url);
    assertThat(run.code()).as(run.err()).isEqualTo(2);
    assertThat(run.err().lines().filter(l -> l.startsWith("heap:")).toList())
        .singleElement()
        .asString()
        .startsWith("heap: on " + url)
        .contains(" the session's transactions are read-only (transaction_read_only is on: default_transaction_read_only set for the database"
            + " or the role, or a standby server): heap run writes the facts and its run state there");
    HeapCliTest.Result batch = heap("sample", "--jdbc", url, "--users", 20, "--batch", 2);
    assertThat(batch.code()).as(batch.err()).isEqualTo(2);
    try (java.sql.Connection admin = java.sql.DriverManager.getConnection(url);
        java.sql.ResultSet tables = admin.getMetaData().getTables(null, "heap_models", "%", null)) {
      assertThat(tables.next()).as("a table in heap_models").isFalse();
    }
  }

  @Test
  void aTargetSchemaInAnotherCaseThanOneThatExistsIsWarnedOf() throws Exception {
    String url = server().newDatabase("heap_cli_schema_case");
    ok(heap("sample", "--jdbc", url, "--users", 20));
    try (java.sql.Connection admin = java.sql.DriverManager.getConnection(url);
        java.sql.Statement s = admin.createStatement()) {
      s.execute("CREATE SCHEMA \"Analytics\"");
    }
    Path plain = tmp.resolve("plain.yml");
    SqlFiles.writeText(plain, "target:\n  schema: Analytics\n");
    assertThat(runLogged(plain, url))
        .contains(
            "WARN target.schema Analytics is stored as analytics on postgres, which creates it now; a schema \"Analytics\" exists, another"
                + " one to the database, which the models do not go to: to use that one, write target.schema: '\"Analytics\"'");
    // the run after it finds its schema there: nothing to say
    assertThat(runLogged(plain, url)).contains("(incremental run)").doesNotContain("which creates it now");
    Path quoted = tmp.resolve("quoted.yml");
    SqlFiles.writeText(quoted, "target:\n  schema: '\"Analytics\"'\n");
    assertThat(runLogged(quoted, url)).contains("INFO full build on postgres").doesNotContain("which creates it now");
    try (java.sql.Connection admin = java.sql.DriverManager.getConnection(url);
        java.sql.Statement s = admin.createStatement();
        java.sql.ResultSet rs =
            s.executeQuery("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'Analytics' AND table_name LIKE 'stg_heap_%'")) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(3);
    }
  }

  /** {@code heap run} in a process of its own, its output and log (which goes to its stderr); it must exit 0. */
  private static String runLogged(Path config, String url) throws Exception {
    Process process = HeapProcess.builder(env -> {}, "run", "--config", config.toString(), "--jdbc", url).redirectErrorStream(true).start();
    String said = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as(said).isZero();
    return said;
  }

  /**
   * A run that died holding the lock with its database session (its process killed with -9 on another
   * machine, or the server restarted under it), its heartbeat 5 minutes old: {@code heap status} says so
   * from PostgreSQL's list of sessions, and the next {@code heap run} takes the lock over, where it used to
   * refuse until the heartbeat was 10 minutes old ({@code --stale-after}; found by a probe that restarted
   * PostgreSQL during a run). While that session lives, the lock is held; a session that ended a moment
   * ago keeps it until two heartbeats are missed (4 minutes), since a live run behind a connection
   * pooler may have lost the backend it recorded.
   */
  @Test
  void aLockLeftByARunWhoseSessionEndedIsTakenOverOnceItMissedTwoBeats() throws Exception {
    String url = server().newDatabase("heap_cli_ended_session");
    ok(heap("sample", "--jdbc", url, "--users", 20));
    ok(heap("run", "--jdbc", url));
    io.heapsdk.config.HeapConfig defaults = io.heapsdk.config.HeapConfig.builder().build();
    io.heapsdk.warehouse.Warehouse w = io.heapsdk.warehouse.Warehouses.POSTGRES;
    io.heapsdk.warehouse.StateSql state = new io.heapsdk.warehouse.StateSql(w, defaults);
    java.time.LocalDateTime fiveMinutesAgo = java.time.LocalDateTime.now(java.time.ZoneOffset.UTC).minusMinutes(5);
    String owner;
    // a run as another machine's heap would record itself, on a session of its own
    try (java.sql.Connection ghost = java.sql.DriverManager.getConnection(url);
        java.sql.Statement s = ghost.createStatement()) {
      owner = "elsewhere/4242/" + session(ghost, w) + "/deadbeef";
      s.execute(state.acquireLock("deadbeef", owner, fiveMinutesAgo, fiveMinutesAgo, java.util.Optional.empty()));
      s.execute(state.insertRun("deadbeef", owner, "incremental", fiveMinutesAgo, java.util.Optional.empty(), List.of()));
      assertThat(ok(heap("status", "--jdbc", url)).out())
          .as("its session lives")
          .containsPattern("(?m)^lock: held by run deadbeef \\(" + java.util.regex.Pattern.quote(owner) + "\\), .* a `heap run` now fails")
          .containsPattern("(?m)^  deadbeef +incremental +running ");
      HeapCliTest.Result refused = heap("run", "--jdbc", url);
      assertThat(refused.code()).isEqualTo(1);
      assertThat(refused.err()).contains("another run holds the lock: run deadbeef by " + owner);
    }

    HeapCliTest.Result status = ok(heap("status", "--jdbc", url));
    assertThat(status.out())
        .contains("lock: left by run deadbeef (" + owner + ")")
        .contains("which is no longer running (its database session ended before the run did: killed, or the server restarted,"
            + " and it has missed two heartbeats)")
        .containsPattern("(?m)^  deadbeef +incremental +unfinished .* its database session ended before the run did");
    // in a process of its own: the runner's log lines go to the process's standard error
    Process takeover = HeapProcess.start(env -> {}, "run", "--jdbc", url);
    takeover.getInputStream().readAllBytes();
    String said = new String(takeover.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(takeover.waitFor()).as(said).isZero();
    assertThat(said).contains("took over the run lock from run deadbeef by " + owner).contains("), which is taken to have died: its database session has ended");
    assertThat(ok(heap("status", "--jdbc", url)).out())
        .contains("lock: free")
        .containsPattern("(?m)^  deadbeef +incremental +crashed ")
        .containsPattern("(?m)^  [0-9a-f]{8} +incremental +succeeded ");

    // a session that ended a moment after its last heartbeat: the lock stands for now, and status says why
    java.time.LocalDateTime now = java.time.LocalDateTime.now(java.time.ZoneOffset.UTC);
    String fresh;
    try (java.sql.Connection ghost = java.sql.DriverManager.getConnection(url);
        java.sql.Statement s = ghost.createStatement()) {
      fresh = "elsewhere/4243/" + session(ghost, w) + "/feedbeef";
      s.execute(state.acquireLock("feedbeef", fresh, now, now, java.util.Optional.empty()));
      s.execute(state.insertRun("feedbeef", fresh, "incremental", now, java.util.Optional.empty(), List.of()));
    }
    assertThat(ok(heap("status", "--jdbc", url)).out())
        .contains("lock: held by run feedbeef (" + fresh + ")")
        .contains("; the database session it recorded has ended (killed, the server restarted, or a connection pooler's backend): if no"
            + " heartbeat comes, the next `heap run` takes the lock over once the heartbeat is older than 240 s")
        .containsPattern("(?m)^  feedbeef +incremental +running ");
    // and heap run's refusal says the same wait, not only --stale-after's 600 s (a probe retried within
    // minutes three days running)
    HeapCliTest.Result soon = heap("run", "--jdbc", url);
    assertThat(soon.code()).isEqualTo(1);
    assertThat(oneLine(soon))
        .contains("another run holds the lock: run feedbeef by " + fresh)
        .contains("the database session it recorded has ended, so its lock is taken over once its heartbeat is older than 240 s)")
        .doesNotContain("older than 600 s");
  }

  private static String session(java.sql.Connection c, io.heapsdk.warehouse.Warehouse w) throws java.sql.SQLException {
    try (java.sql.Statement s = c.createStatement();
        java.sql.ResultSet rs = s.executeQuery(w.sessionSelect().orElseThrow())) {
      rs.next();
      return rs.getString(1);
    }
  }

  /**
   * Two first {@code heap sample}s into one schema at once: the other one's tables are not committed yet
   * when this one looks for them, so its CREATE waits, then fails once the other commits. It says so, and
   * leaves the other's tables as they are; it used to print the catalog's unique-key error and drop them,
   * while the other said it had loaded them (found by a probe, 4 times of 4).
   */
  @Test
  void twoFirstSamplesAtOnceLeaveTheTablesOfTheOneThatCommitted() throws Exception {
    Path config = tmp.resolve("heap.yml");
    SqlFiles.writeText(config, SampleData.DEMO_CONFIG_YAML);
    io.heapsdk.config.HeapConfig c = io.heapsdk.config.HeapConfigLoader.load(config);
    String url = server().newDatabase("heap_cli_two_samples");
    try (java.sql.Connection other = java.sql.DriverManager.getConnection(url);
        java.sql.Connection observer = java.sql.DriverManager.getConnection(url)) {
      other.setAutoCommit(false);
      new io.heapsdk.run.SourceTables(io.heapsdk.warehouse.Warehouses.POSTGRES, c).create(other);
      java.util.concurrent.CompletableFuture<HeapCliTest.Result> sample =
          java.util.concurrent.CompletableFuture.supplyAsync(
              () -> heap("sample", "--config", config, "--jdbc", url, "--users", 20), task -> new Thread(task).start());
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
      while (!sample.isDone() && System.nanoTime() < deadline) {
        try (java.sql.Statement st = observer.createStatement();
            java.sql.ResultSet rs =
                st.executeQuery("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'")) {
          rs.next();
          if (rs.getLong(1) > 0) {
            break;
          }
        }
        Thread.sleep(50);
      }
      assertThat(sample.isDone()).as("the sample waits for the other load's tables").isFalse();
      other.commit();
      HeapCliTest.Result r = sample.get(60, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(r.code()).isNotZero();
      assertThat(oneLine(r))
          .isEqualTo(
              "heap: another load created Heap's tables in schema " + c.sourceSchema() + " of " + url
                  + " while this one was creating them; this one loaded nothing and left that load's tables as they are");
      for (io.heapsdk.source.SourceTable t : c.catalog().tables()) {
        assertThat(io.heapsdk.run.TableLookup.exists(
                io.heapsdk.warehouse.Warehouses.POSTGRES, observer,
                io.heapsdk.warehouse.Warehouses.POSTGRES.table(c.sourceDatabase(), c.sourceSchema(), t.physicalName())))
            .as(t.physicalName()).isTrue();
      }
    }
  }

  /**
   * Two {@code heap sample --batch 2} at once: the second waits for the first's lock on all_events, then
   * finds batch 2 there and is refused, where both passed the row-count check and both loaded (found by
   * a probe: 424 events twice). The rows are the first batch's and batch 2's, once.
   */
  @Test
  void twoBatchesAtOnceLoadOnce() throws Exception {
    Path config = tmp.resolve("heap.yml");
    SqlFiles.writeText(config, SampleData.DEMO_CONFIG_YAML);
    io.heapsdk.config.HeapConfig c = io.heapsdk.config.HeapConfigLoader.load(config);
    String url = server().newDatabase("heap_cli_two_batches");
    ok(heap("sample", "--config", config, "--jdbc", url, "--users", 300));
    // what one batch 2 leaves, loaded alone into another database
    String alone = server().newDatabase("heap_cli_one_batch");
    ok(heap("sample", "--config", config, "--jdbc", alone, "--users", 300));
    ok(heap("sample", "--config", config, "--jdbc", alone, "--users", 300, "--batch", 2));
    java.util.Map<String, Long> expected = counts(alone, c);
    java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
    List<java.util.concurrent.CompletableFuture<HeapCliTest.Result>> loads = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      loads.add(
          java.util.concurrent.CompletableFuture.supplyAsync(
              () -> {
                try {
                  go.await();
                } catch (InterruptedException e) {
                  throw new IllegalStateException(e);
                }
                return heap("sample", "--config", config, "--jdbc", url, "--users", 300, "--batch", 2);
              },
              task -> new Thread(task).start()));
    }
    go.countDown();
    List<HeapCliTest.Result> results = new ArrayList<>();
    for (java.util.concurrent.CompletableFuture<HeapCliTest.Result> load : loads) {
      results.add(load.get(120, java.util.concurrent.TimeUnit.SECONDS));
    }
    assertThat(results).extracting(HeapCliTest.Result::code).containsExactlyInAnyOrder(0, 2);
    assertThat(counts(url, c)).isEqualTo(expected);
  }

  private static java.util.Map<String, Long> counts(String url, io.heapsdk.config.HeapConfig c) throws Exception {
    java.util.Map<String, Long> counts = new java.util.LinkedHashMap<>();
    try (java.sql.Connection conn = java.sql.DriverManager.getConnection(url);
        java.sql.Statement st = conn.createStatement()) {
      for (io.heapsdk.source.SourceTable t : c.catalog().tables()) {
        try (java.sql.ResultSet rs =
            st.executeQuery("SELECT COUNT(*) FROM " + io.heapsdk.warehouse.Warehouses.POSTGRES.table(c.sourceDatabase(), c.sourceSchema(), t.physicalName()).qualified())) {
          rs.next();
          counts.put(t.name(), rs.getLong(1));
        }
      }
    }
    return counts;
  }

  @Test
  void aMissingDatabaseNamesTheServerAndTheDatabase() throws Exception {
    String url = server().url("no_such_db");
    for (String command : new String[] {"run", "sample"}) {
      HeapCliTest.Result r = command.equals("run") ? heap("run", "--jdbc", url) : heap("sample", "--jdbc", url, "--users", 5);
      assertThat(r.code()).isEqualTo(2);
      assertThat(oneLine(r))
          .isEqualTo(
              "heap: no database no_such_db on 127.0.0.1:" + server().port() + " (" + url + "); check the database name, or create it"
                  + " first (createdb)");
    }
  }

  @Test
  void aServerThatIsNotThereIsOneLine() throws IOException {
    int port;
    // a port nothing listens on: just freed
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    String url = "jdbc:postgresql://127.0.0.1:" + port + "/analytics";
    HeapCliTest.Result r = heap("funnel", "--jdbc", url, "--steps", "a");
    // 1, as a failure a retry may mend: a server restarting as the scheduled run starts
    assertThat(r.code()).isEqualTo(1);
    assertThat(oneLine(r))
        .isEqualTo(
            "heap: cannot connect to PostgreSQL analytics on 127.0.0.1:" + port + " (" + url + "): Connection to 127.0.0.1:" + port
                + " refused; is the server running there? (--verbose shows more)");
    // the driver's same SQLSTATE for a setting only a change of the URL mends: 2, which no retry repeats
    assertThat(heap("funnel", "--jdbc", url + "?sslmode=bogus", "--steps", "a").code()).as("an invalid sslmode").isEqualTo(2);
  }

  /**
   * The URL is where a password is given to the CLI, and its messages end up in schedulers' and CI logs:
   * a refused login, a missing database, a schema without Heap's tables and the dry run's header name
   * the URL with the password masked, and a login the server refused is not blamed on a server that is
   * not running.
   */
  @Test
  void aPasswordInTheUrlIsNeverPrinted() throws Exception {
    String secret = "hunter2-" + Long.toHexString(System.nanoTime());
    String url = server().passwordUser("analyst", secret, "analyst_db");
    String withPassword = url + "&password=" + secret;
    String shown = url + "&password=***";
    List<HeapCliTest.Result> results = new ArrayList<>();

    HeapCliTest.Result wrong = heap("status", "--jdbc", url + "&password=not-" + secret);
    results.add(wrong);
    assertThat(wrong.code()).isEqualTo(2);
    assertThat(oneLine(wrong))
        .isEqualTo("heap: cannot open " + url + "&password=***: FATAL: password authentication failed for user \"analyst\"");

    HeapCliTest.Result none = heap("status", "--jdbc", url);
    results.add(none);
    assertThat(none.code()).isEqualTo(2);
    assertThat(oneLine(none))
        .startsWith("heap: cannot connect to PostgreSQL analyst_db on 127.0.0.1:" + server().port() + " (" + url + "): ")
        .contains("no password was provided")
        .doesNotContain("is the server running");

    String otherDb = withPassword.replace("/analyst_db?", "/no_such_db?");
    HeapCliTest.Result missing = heap("run", "--jdbc", otherDb);
    results.add(missing);
    assertThat(oneLine(missing)).contains("(" + shown.replace("/analyst_db?", "/no_such_db?") + ")");

    HeapCliTest.Result noTables = heap("funnel", "--jdbc", withPassword, "--steps", "a");
    results.add(noTables);
    // the command's URL as one shell word (its ? and & quoted)
    assertThat(oneLine(noTables)).contains(" of " + shown + "; load them (heap sample --jdbc " + AnalysisOptions.shellWord(shown) + " --users N)");

    results.add(ok(heap("sample", "--jdbc", withPassword, "--users", 20)));
    HeapCliTest.Result dryRun = ok(heap("run", "--jdbc", withPassword, "--dry-run"));
    results.add(dryRun);
    assertThat(dryRun.out()).contains("heap would do now on " + shown);
    for (HeapCliTest.Result r : results) {
      assertThat(r.out() + r.err()).doesNotContain(secret);
    }

    // the README's way to keep it out of the URL (and the process list): the driver's password file
    Path passFile = tmp.resolve("pgpass");
    SqlFiles.writeText(passFile, "127.0.0.1:" + server().port() + ":analyst_db:analyst:" + secret + "\n");
    Files.setPosixFilePermissions(passFile, PosixFilePermissions.fromString("rw-------"));
    Process p = HeapProcess.start(env -> env.put("PGPASSFILE", passFile.toString()), "status", "--jdbc", url);
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(err).isZero();
    assertThat(out).contains("builds every model in full").doesNotContain(secret);
  }

  /**
   * {@code user:password@} in the URL's authority, as libpq's URIs take them: PostgreSQL's driver read
   * them as part of the host name, failed with "is the server running there?", and {@code --verbose}
   * printed the password in the driver's UnknownHostException. Now they are the login's, and a wrong
   * one is refused as a login, masked with and without {@code --verbose}.
   */
  @Test
  void aUserAndPasswordBeforeTheHostAreTheLogin() throws Exception {
    String secret = "p@ss:w%rd-" + Long.toHexString(System.nanoTime());
    server().passwordUser("analyst2", secret, "analyst2_db");
    String hostAndDb = "127.0.0.1:" + server().port() + "/analyst2_db";
    String encoded = secret.replace("%", "%25").replace("@", "%40").replace(":", "%3A");
    // logged in: the database is empty, which status says as run would (exit 2), its URL masked
    HeapCliTest.Result ok = heap("status", "--jdbc", "jdbc:postgresql://analyst2:" + encoded + "@" + hostAndDb);
    assertThat(ok.code()).as(ok.err()).isEqualTo(2);
    assertThat(ok.err()).startsWith("heap: no Heap tables in schema main_production of jdbc:postgresql://analyst2:***@" + hostAndDb);
    assertThat(ok.out() + ok.err()).doesNotContain(secret).doesNotContain(encoded);

    String wrongUrl = "jdbc:postgresql://analyst2:not-" + encoded + "@" + hostAndDb;
    HeapCliTest.Result wrong = heap("status", "--jdbc", wrongUrl);
    assertThat(wrong.code()).isEqualTo(2);
    assertThat(oneLine(wrong))
        .isEqualTo("heap: cannot open jdbc:postgresql://analyst2:***@" + hostAndDb + ": FATAL: password authentication failed for user \"analyst2\"");
    HeapCliTest.Result verbose = heap("status", "--verbose", "--jdbc", wrongUrl);
    assertThat(verbose.code()).isEqualTo(2);
    assertThat(verbose.out() + verbose.err()).contains("at org.postgresql").doesNotContain("not-" + secret).doesNotContain("not-" + encoded);
    // the trace of a URL the driver cannot read at all (a port that is no number) holds the URL's text
    HeapCliTest.Result unreadable = heap("status", "--verbose", "--jdbc", "jdbc:postgresql://analyst2:" + encoded + "@127.0.0.1:x/db");
    assertThat(unreadable.code()).isEqualTo(2);
    assertThat(unreadable.out() + unreadable.err()).doesNotContain(secret).doesNotContain(encoded);
  }

  @Test
  void secretsInAnyUrlAreMasked() {
    assertThat(Database.shown("jdbc:postgresql://db/a?user=x&password=s3cr&et&ssl=true"))
        .isEqualTo("jdbc:postgresql://db/a?user=x&password=***&et&ssl=true");
    assertThat(Database.shown("jdbc:postgresql://db/a?password=p&sslpassword=k&user=x"))
        .isEqualTo("jdbc:postgresql://db/a?password=***&sslpassword=***&user=x");
    assertThat(Database.shown("jdbc:h2:file:/data/heap;USER=sa;PASSWORD=p;CIPHER=AES"))
        .isEqualTo("jdbc:h2:file:/data/heap;USER=sa;PASSWORD=***;CIPHER=AES");
    assertThat(Database.shown("jdbc:duckdb:md:analytics;motherduck_token=eyJhbGciOi")).isEqualTo("jdbc:duckdb:md:analytics;motherduck_token=***");
    assertThat(Database.shown("jdbc:duckdb:/w.duckdb;s3_secret_access_key=abc;s3_region=eu"))
        .isEqualTo("jdbc:duckdb:/w.duckdb;s3_secret_access_key=***;s3_region=eu");
    assertThat(Database.shown("jdbc:postgresql://analyst:pw@db:5432/a")).isEqualTo("jdbc:postgresql://analyst:***@db:5432/a");
    // nothing secret: as given
    for (String plain : List.of("jdbc:duckdb:/tmp/pass word.duckdb", "jdbc:h2:mem:heap;DB_CLOSE_DELAY=-1", "jdbc:postgresql://db/passwords?user=x")) {
      assertThat(Database.shown(plain)).isEqualTo(plain);
    }
  }

  @Test
  void aShortPasswordIsMaskedWhereItStandsAloneNotInsideWords() {
    // a one-letter password used to turn every "a" of the message into "***"
    String url = "jdbc:postgresql://analyst:a@db/analytics";
    assertThat(Database.masked("The connection attempt failed for analyst:a@db (a timeout); a=a", url))
        .isEqualTo("The connection attempt failed for analyst:***@db (*** timeout); ***=***");
    assertThat(Database.masked("password authentication failed for user \"analyst\"", "jdbc:postgresql://db/a?user=analyst&password=ana"))
        .isEqualTo("password authentication failed for user \"analyst\"");
    // a long one is masked wherever it appears, glued to other text or not
    assertThat(Database.masked("host=dbxs3cretpass99y", "jdbc:postgresql://db/a?password=s3cretpass99"))
        .isEqualTo("host=dbx***y");
  }

  @Test
  void theServerAndDatabaseOfAUrlFollowTheDriversDefaults() {
    assertThat(Database.postgresServer("jdbc:postgresql://db.example.com/analytics?user=x")).isEqualTo("analytics on db.example.com:5432");
    assertThat(Database.postgresServer("jdbc:postgresql://db:6543/a")).isEqualTo("a on db:6543");
    assertThat(Database.postgresServer("jdbc:postgresql:analytics")).isEqualTo("analytics on localhost:5432");
    assertThat(Database.postgresServer("jdbc:postgresql:///analytics")).isEqualTo("analytics on localhost:5432");
    // a login in the URL is not part of the host the message names
    assertThat(Database.postgresServer("jdbc:postgresql://bob:***@localhost:5433/db")).isEqualTo("db on localhost:5433");
    assertThat(Database.postgresServer("jdbc:postgresql://bob@db.example.com/a")).isEqualTo("a on db.example.com:5432");
  }
}
