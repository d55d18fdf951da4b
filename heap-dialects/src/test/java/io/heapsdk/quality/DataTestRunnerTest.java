package io.heapsdk.quality;

import static io.heapsdk.testing.Rows.event;
import static io.heapsdk.testing.Rows.pageview;
import static io.heapsdk.testing.Rows.session;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.run.DataTestRunner;
import io.heapsdk.run.TestResult;
import io.heapsdk.run.TestResult.Status;
import io.heapsdk.testing.H2Db;
import io.heapsdk.testing.Rows;
import io.heapsdk.warehouse.Warehouses;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.calcite.tools.RelBuilder;
import org.junit.jupiter.api.Test;

/**
 * Data tests and freshness on H2: a clean database passes everything, and each seeded defect (a NULL
 * key, a duplicate, an orphan pageview, stale data) is caught by the one test meant for it.
 */
class DataTestRunnerTest {
  private static final HeapConfig CONFIG = HeapConfig.builder().build();

  /** An hour after the newest session (2024-01-10 12:00): every table is fresh. */
  private static final Clock FRESH = at("2024-01-10T13:00:00Z");

  private static Clock at(String instant) {
    return Clock.fixed(Instant.parse(instant), ZoneOffset.UTC);
  }

  /** Two users with a session, a pageview and a pageview event each, and one purchase. */
  private static H2Db clean() {
    H2Db db = H2Db.create(CONFIG);
    db.insert(
        "users",
        new Object[] {1L, Rows.at("2024-01-10T00:00:00"), Rows.at("2024-01-10T00:00:00"), null},
        new Object[] {2L, Rows.at("2024-01-09T00:00:00"), Rows.at("2024-01-09T00:00:00"), null});
    db.insert(
        "sessions",
        session(10, 1, "2024-01-10T12:00:00", null, null, null, null),
        session(11, 2, "2024-01-09T08:00:00", "https://www.google.com/", null, null, null));
    db.insert("pageviews", pageview(100, 1, 10, "2024-01-10T12:00:00", "/"), pageview(101, 2, 11, "2024-01-09T08:00:00", "/"));
    db.insert(
        "all_events",
        event(100, 1, 10, "2024-01-10T12:00:00", "pageviews"),
        event(101, 2, 11, "2024-01-09T08:00:00", "pageviews"),
        event(200, 1, 10, "2024-01-10T12:01:00", "purchase"));
    return db;
  }

  /** The standard models plus the relationship "every pageview's session exists in sessions". */
  private static HeapProject project() {
    return HeapProject.standard(CONFIG)
        .test(
            new DataTest(
                TestTarget.source("pageviews"),
                ColumnCheck.relationship("session_id", TestTarget.source("sessions"), "session_id")));
  }

  private static Map<String, TestResult> run(H2Db db, HeapProject project, Clock clock) {
    db.build(project);
    return new DataTestRunner(io.heapsdk.warehouse.Warehouses.H2, clock)
        .run(project, db.connection()).stream()
        .collect(Collectors.toMap(TestResult::name, Function.identity()));
  }

  /**
   * A failing test's sample shows the time stored, whatever the JVM's zone: read as a java.sql.Timestamp
   * it was an instant made in that zone, and 02:30 on the Sunday New York skips that hour showed as
   * another time no row has (21:30 the day before, or 03:30, depending on the zone H2 took first).
   */
  @Test
  void aSampledTimeIsTheOneStoredInAnyJvmZone() {
    HeapProject project = project().test(new DataTest(TestTarget.source("pageviews"), ColumnCheck.unique("time")));
    TimeZone before = TimeZone.getDefault();
    try (H2Db db = clean()) {
      db.insert("pageviews", pageview(102, 1, 10, "2026-03-08T02:30:00", "/a"), pageview(103, 2, 11, "2026-03-08T02:30:00", "/b"));
      TimeZone.setDefault(TimeZone.getTimeZone("America/New_York"));
      TestResult unique = run(db, project, FRESH).get("unique_pageviews_time");
      assertThat(unique.failingRows()).isEqualTo(1);
      assertThat(unique.sampleKeys()).containsExactly("2026-03-08 02:30:00");
    } finally {
      TimeZone.setDefault(before);
    }
  }

  /** A source column retyped with a zone (a warehouse's TIMESTAMP_TZ): its sample keeps the same form, then the offset. */
  @Test
  void aSampledTimeWithAZoneShowsItsOffset() throws SQLException {
    HeapProject project = project().test(new DataTest(TestTarget.source("pageviews"), ColumnCheck.unique("time")));
    try (H2Db db = clean()) {
      db.insert("pageviews", pageview(102, 1, 10, "2026-03-08T02:30:00", "/a"), pageview(103, 2, 11, "2026-03-08T02:30:00", "/b"));
      String pageviews = Warehouses.H2.table(CONFIG.sourceDatabase(), CONFIG.sourceSchema(), CONFIG.catalog().table("pageviews").physicalName()).qualified();
      try (Statement s = db.connection().createStatement()) {
        // H2 gives the stored times the session's zone as they are retyped, and keeps that offset; heap
        // then runs in UTC, as it requires of a zoned source time
        s.execute("SET TIME ZONE '+05:30'");
        s.execute("ALTER TABLE " + pageviews + " ALTER COLUMN " + Warehouses.H2.quote(Warehouses.H2.storedName("time")) + " SET DATA TYPE TIMESTAMP WITH TIME ZONE");
        s.execute("SET TIME ZONE 'UTC'");
      }
      TestResult unique = run(db, project, FRESH).get("unique_pageviews_time");
      assertThat(unique.failingRows()).isEqualTo(1);
      assertThat(unique.sampleKeys()).containsExactly("2026-03-08 02:30:00 +05:30");
    }
  }

  /**
   * The config's funnel and conversion events are Heap's event names, matched exactly: a misspelled
   * (add_to_kart) or differently cased (Sign_Up) one counted nothing, and only this warning says so. The
   * failing rows are the names no event has, worked out by hand from the three events below.
   */
  @Test
  void configuredEventNamesNoEventHasAreAWarning() {
    HeapConfig misspelled =
        HeapConfig.builder().funnelEvents(List.of("pageviews", "add_to_kart", "purchase")).conversionEvents(List.of("purchase", "Sign_Up")).build();
    try (H2Db db = H2Db.create(misspelled)) {
      db.insert(
          "all_events",
          event(100, 1, 10, "2024-01-10T12:00:00", "pageviews"),
          event(101, 1, 10, "2024-01-10T12:00:30", "add_to_cart"),
          event(200, 1, 10, "2024-01-10T12:01:00", "purchase"),
          event(201, 2, 11, "2024-01-10T12:02:00", "sign_up"));
      HeapProject project = HeapProject.standard(misspelled);
      Map<String, TestResult> results = run(db, project, FRESH);
      TestResult names = results.get("contains_values_all_events_event_table_name");
      assertThat(names.status()).isEqualTo(Status.WARN);
      assertThat(names.failingRows()).isEqualTo(2);
      assertThat(names.sampleKeys()).containsExactly("Sign_Up", "add_to_kart");

      HeapConfig right =
          HeapConfig.builder().funnelEvents(List.of("pageviews", "add_to_cart", "purchase")).conversionEvents(List.of("purchase", "sign_up")).build();
      HeapProject fixed = HeapProject.standard(right);
      assertThat(new DataTestRunner(Warehouses.H2, FRESH).run(fixed, db.connection()))
          .filteredOn(r -> r.name().equals("contains_values_all_events_event_table_name"))
          .singleElement()
          .satisfies(r -> assertThat(r.status()).isEqualTo(Status.PASS));
    }
    // no funnel and no conversion events: nothing to check
    assertThat(DataTests.of(HeapProject.standard(CONFIG))).noneMatch(t -> t.check().kind() == ColumnCheck.Kind.CONTAINS_VALUES);
    // the check is implied, not one of the project's declared tests; a project's own check of the column
    // adds its values to the config's (one test, both lists, the later severity)
    HeapProject own = HeapProject.standard(misspelled);
    assertThat(own.declaredTests()).isEmpty();
    own.test(new DataTest(TestTarget.source("all_events"), ColumnCheck.containsValues("event_table_name", "refund", "purchase")));
    assertThat(DataTests.of(own))
        .filteredOn(t -> t.name().equals("contains_values_all_events_event_table_name"))
        .singleElement()
        .satisfies(t -> assertThat(t.check().acceptedValues()).containsExactly("pageviews", "add_to_kart", "purchase", "Sign_Up", "refund"))
        .satisfies(t -> assertThat(t.severity()).isEqualTo(Severity.ERROR));
  }

  @Test
  void cleanDataPassesEveryTest() {
    try (H2Db db = clean()) {
      Map<String, TestResult> results = run(db, project(), FRESH);
      // 16 source tests (users 1, sessions 3, pageviews 4, all_events 6, user_migrations 2), 2 per fact
      // (3 facts), the declared relationship, and freshness of the 4 tables with a rule
      assertThat(results).hasSize(16 + 6 + 1 + 4);
      assertThat(results.values()).allSatisfy(r -> assertThat(r.status()).as(r.name()).isEqualTo(Status.PASS));
      assertThat(results.get("freshness_sessions").detail()).startsWith("newest 2024-01-10T12:00, lag 0d 1h 0m");
    }
  }

  /**
   * A check the database refuses (here the sessions fact's table dropped after the build) stops {@code run}
   * at it; {@code runEach} reports it as that check's ERROR, with the database's reason, and runs every
   * other check: an operator saw only the first refusal, and none of the verdicts after it. On a
   * connection outside auto-commit, where a refusal may abort the caller's transaction, it still stops.
   */
  @Test
  void aRefusedCheckIsAnErrorAndTheOthersStillRun() throws Exception {
    try (H2Db db = clean()) {
      HeapProject project = project();
      db.build(project);
      try (java.sql.Statement s = db.connection().createStatement()) {
        s.execute("DROP TABLE " + CONFIG.targetSchema() + ".stg_heap_sessions_inc_fct");
      }
      DataTestRunner runner = new DataTestRunner(io.heapsdk.warehouse.Warehouses.H2, FRESH);
      assertThatThrownBy(() -> runner.run(project, db.connection()))
          .isInstanceOf(io.heapsdk.run.HeapRunException.class)
          .hasMessageContaining("stg_heap_sessions_inc_fct");

      List<TestResult> results = runner.runEach(project, db.connection(), name -> true);
      // every check of cleanDataPassesEveryTest, the two of the dropped fact's key among them
      assertThat(results).hasSize(16 + 6 + 1 + 4);
      Map<Status, List<String>> byStatus =
          results.stream().collect(Collectors.groupingBy(TestResult::status, Collectors.mapping(TestResult::name, Collectors.toList())));
      assertThat(byStatus.get(Status.ERROR))
          .containsExactlyInAnyOrder("not_null_stg_heap_sessions_inc_fct_heap_session_id", "unique_stg_heap_sessions_inc_fct_heap_session_id");
      assertThat(byStatus.get(Status.PASS)).hasSize(16 + 4 + 1 + 4);
      TestResult refused = results.stream().filter(r -> r.status() == Status.ERROR).findFirst().orElseThrow();
      assertThat(refused.detail()).contains("STG_HEAP_SESSIONS_INC_FCT").doesNotStartWith("test ");
      assertThat(refused.error()).get().satisfies(e -> assertThat(e.statement()).contains("STG_HEAP_SESSIONS_INC_FCT"));

      // a driver that cannot say whether its connection is valid (isValid unsupported) still gets every check
      java.sql.Connection noIsValid = (java.sql.Connection) java.lang.reflect.Proxy.newProxyInstance(
          getClass().getClassLoader(), new Class<?>[] {java.sql.Connection.class}, (proxy, method, args) -> {
            if (method.getName().equals("isValid")) {
              throw new java.sql.SQLFeatureNotSupportedException("isValid");
            }
            try {
              return method.invoke(db.connection(), args);
            } catch (java.lang.reflect.InvocationTargetException e) {
              throw e.getCause();
            }
          });
      assertThat(runner.runEach(project, noIsValid, name -> true)).hasSize(16 + 6 + 1 + 4)
          .filteredOn(r -> r.status() == Status.ERROR).hasSize(2);

      db.connection().setAutoCommit(false);
      try {
        assertThatThrownBy(() -> runner.runEach(project, db.connection(), name -> true))
            .isInstanceOf(io.heapsdk.run.HeapRunException.class);
      } finally {
        db.connection().setAutoCommit(true);
      }
    }
  }

  @Test
  void nullKeyFailsNotNull() {
    try (H2Db db = clean()) {
      db.insert("pageviews", new Object[] {102L, 1L, null, Rows.at("2024-01-10T12:05:00"), "example.com", "/x", null, null, "X", null});
      Map<String, TestResult> results = run(db, project(), FRESH);
      TestResult r = results.get("not_null_pageviews_session_id");
      // the key shown is the pageview's id: its session id is the missing value
      assertThat(r.status()).isEqualTo(Status.FAIL);
      assertThat(r.failingRows()).isEqualTo(1);
      assertThat(r.sampleKeys()).containsExactly("102");
      assertThat(failing(results)).containsExactly("not_null_pageviews_session_id");
    }
  }

  @Test
  void duplicateSourceRowWarnsButTheFactStaysUnique() {
    try (H2Db db = clean()) {
      // a resync repeats the purchase: the source unique test warns, the deduped fact still passes
      db.insert("all_events", event(200, 1, 10, "2024-01-10T12:01:00", "purchase"));
      Map<String, TestResult> results = run(db, project(), FRESH);
      TestResult r = results.get("unique_all_events_event_id");
      assertThat(r.status()).isEqualTo(Status.WARN);
      assertThat(r.failingRows()).isEqualTo(1);
      assertThat(r.sampleKeys()).containsExactly("200");
      assertThat(results.get("unique_stg_heap_events_all_inc_fct_heap_event_id").status()).isEqualTo(Status.PASS);
      assertThat(failing(results)).isEmpty();
      assertThat(results.values().stream().filter(t -> t.status() == Status.WARN).map(TestResult::name))
          .containsExactly("unique_all_events_event_id");
    }
  }

  @Test
  void orphanPageviewFailsTheRelationship() {
    try (H2Db db = clean()) {
      db.insert("pageviews", pageview(102, 2, 99, "2024-01-09T08:05:00", "/orphan"));
      db.insert("all_events", event(102, 2, 99, "2024-01-09T08:05:00", "pageviews"));
      Map<String, TestResult> results = run(db, project(), FRESH);
      TestResult r = results.get("relationships_pageviews_session_id__sessions_session_id");
      // pageview 102 points at session 99, which sessions does not have
      assertThat(r.status()).isEqualTo(Status.FAIL);
      assertThat(r.failingRows()).isEqualTo(1);
      assertThat(r.sampleKeys()).containsExactly("102 (99)");
      assertThat(failing(results)).containsExactly("relationships_pageviews_session_id__sessions_session_id");
    }
  }

  @Test
  void staleDataWarnsThenFails() {
    try (H2Db db = clean()) {
      // sessions' newest time is 2024-01-10 12:00; warn after 1 day, error after 3 (strictly older)
      assertThat(run(db, project(), at("2024-01-11T12:00:00Z")).get("freshness_sessions").status())
          .as("exactly one day old is still fresh")
          .isEqualTo(Status.PASS);
      assertThat(run(db, project(), at("2024-01-11T12:00:01Z")).get("freshness_sessions").status())
          .isEqualTo(Status.WARN);
      assertThat(run(db, project(), at("2024-01-13T12:00:00Z")).get("freshness_sessions").status())
          .isEqualTo(Status.WARN);
      TestResult stale = run(db, project(), at("2024-01-13T12:00:01Z")).get("freshness_sessions");
      assertThat(stale.status()).isEqualTo(Status.FAIL);
      assertThat(stale.detail()).startsWith("newest 2024-01-10T12:00, lag 3d 0h 0m");
    }
  }

  @Test
  void configuredLimitsApply() {
    HeapConfig hourly = HeapConfig.builder().freshnessWarnAfterHours(2).freshnessErrorAfterHours(4).build();
    try (H2Db db = H2Db.create(hourly)) {
      db.insert("sessions", session(10, 1, "2024-01-10T12:00:00", null, null, null, null));
      HeapProject project = HeapProject.standard(hourly);
      // 3 hours after the only session: past warn-after (2 h), within error-after (4 h)
      TestResult r = run(db, project, at("2024-01-10T15:00:00Z")).get("freshness_sessions");
      assertThat(r.status()).isEqualTo(Status.WARN);
      assertThat(r.detail()).isEqualTo("newest 2024-01-10T12:00, lag 0d 3h 0m (warn after 0d 2h 0m, error after 0d 4h 0m)");
      assertThat(run(db, project, at("2024-01-10T16:00:01Z")).get("freshness_sessions").status()).isEqualTo(Status.FAIL);
    }
  }

  /** Newer than now by more than a few minutes: a warning, where it passed as "lag -1d 0h 0m". */
  @Test
  void aNewestTimeAheadOfNowWarns() {
    try (H2Db db = clean()) {
      // sessions' newest time is 2024-01-10 12:00
      assertThat(run(db, project(), at("2024-01-10T11:50:00Z")).get("freshness_sessions").status())
          .as("ten minutes ahead: clocks differ")
          .isEqualTo(Status.PASS);
      TestResult ahead = run(db, project(), at("2024-01-09T12:00:00Z")).get("freshness_sessions");
      assertThat(ahead.status()).isEqualTo(Status.WARN);
      assertThat(ahead.detail())
          .isEqualTo("newest 2024-01-10T12:00, 1d 0h 0m ahead of now (2024-01-09T12:00 UTC): Heap's times are UTC, so times written"
              + " in a zone ahead of UTC, or a clock ahead, would look like this");
    }
  }

  @Test
  void emptyTableFailsFreshness() {
    try (H2Db db = H2Db.create(CONFIG)) {
      Map<String, TestResult> results = run(db, HeapProject.standard(CONFIG), FRESH);
      assertThat(results.get("freshness_users").status()).isEqualTo(Status.FAIL);
      assertThat(results.get("freshness_users").detail())
          .isEqualTo("no rows (a table the project leaves empty by design, such as a mobile app's pageviews, goes without this"
              + " check: source.freshness.skip_tables: [users])");
      // user_migrations has no freshness rule: merges can be rare for days
      assertThat(results).doesNotContainKey("freshness_user_migrations");
    }
  }

  /** A mobile app's project: no pageviews ever, and its freshness check skipped rather than failing every run. */
  @Test
  void aTableSkippedHasNoFreshnessCheck() {
    HeapConfig mobile = HeapConfig.builder().from(CONFIG).addFreshnessSkipTables("pageviews").build();
    try (H2Db db = H2Db.create(mobile)) {
      db.insert("sessions", session(10, 1, "2024-01-10T12:00:00", null, null, null, null));
      Map<String, TestResult> results = run(db, HeapProject.standard(mobile), at("2024-01-10T13:00:00Z"));
      assertThat(results).doesNotContainKey("freshness_pageviews").containsKey("freshness_sessions");
      assertThat(results.get("freshness_sessions").status()).isEqualTo(Status.PASS);
    }
  }

  @Test
  void modelDeclaresAcceptedValues() {
    HeapProject project = channels();
    try (H2Db db = clean()) {
      Map<String, TestResult> results = run(db, project, FRESH);
      // session 10 has no referrer (Direct); session 11 came from Google without utm (Organic Search)
      TestResult r = results.get("accepted_values_session_channels_channel");
      assertThat(r.status()).isEqualTo(Status.FAIL);
      assertThat(r.failingRows()).isEqualTo(1);
      assertThat(r.sampleKeys()).containsExactly("Organic Search");
    }
  }

  /** Two sessions with the same refused channel: two failing rows, and the value once among the samples. */
  @Test
  void aRefusedValueIsSampledOnce() {
    HeapProject project = channels();
    try (H2Db db = clean()) {
      db.insert("sessions", session(12, 2, "2024-01-10T08:00:00", "https://www.google.com/", null, null, null));
      db.insert("pageviews", pageview(102, 2, 12, "2024-01-10T08:00:00", "/"));
      db.insert("all_events", event(102, 2, 12, "2024-01-10T08:00:00", "pageviews"));
      TestResult r = run(db, project, FRESH).get("accepted_values_session_channels_channel");
      assertThat(r.failingRows()).isEqualTo(2);
      assertThat(r.sampleKeys()).containsExactly("Organic Search");
    }
  }

  /**
   * A project test of the same column and kind as a model's own: the same values run once; other values
   * were silently the only list checked (the model's broken list passed); now they are refused.
   */
  @Test
  void aTestDeclaredAgainRunsOnceAndOtherValuesForTheSameColumnAreRefused() {
    HeapProject project = channels();
    project.test(new DataTest(TestTarget.model("session_channels"), ColumnCheck.acceptedValues("channel", "Email", "Direct")));
    assertThat(DataTests.of(project)).filteredOn(t -> t.name().equals("accepted_values_session_channels_channel")).hasSize(1);

    HeapProject other = channels();
    other.test(new DataTest(TestTarget.model("session_channels"), ColumnCheck.acceptedValues("channel", "Direct", "Organic Search")));
    assertThatThrownBy(() -> DataTests.of(other))
        .isInstanceOf(io.heapsdk.model.HeapModelException.class)
        .hasMessage("model session_channels: data test accepted_values_session_channels_channel is declared twice with other values:"
            + " by ModelBuilder.test [Direct, Email] and by HeapProject.test [Direct, Organic Search]; a column has one"
            + " accepted_values test: give it one list");

    // the severity of the later declaration: the source catalog's unique event id warns, a project makes it an error
    HeapProject strict = HeapProject.standard(CONFIG);
    assertThat(DataTests.of(strict)).filteredOn(t -> t.name().equals("unique_pageviews_event_id"))
        .extracting(DataTest::severity).containsExactly(Severity.WARN);
    strict.test(new DataTest(TestTarget.source("pageviews"), ColumnCheck.unique("event_id")));
    assertThat(DataTests.of(strict)).filteredOn(t -> t.name().equals("unique_pageviews_event_id"))
        .extracting(DataTest::severity).containsExactly(Severity.ERROR);
  }

  /**
   * A test of a model or Heap table the project lacks, of an ephemeral model, or of a column the Heap table
   * lacks: refused when the tests are collected, naming the test and the name nearest. Before, it failed
   * at run time with the database's "table not found", or stopped every test with a bare
   * IllegalArgumentException.
   */
  @Test
  void aTestOfWhatTheProjectLacksIsRefusedWhenCollected() {
    HeapProject typoColumn = HeapProject.standard(CONFIG);
    typoColumn.test(new DataTest(TestTarget.source("pageviews"), ColumnCheck.notNull("pth")));
    assertThatThrownBy(() -> DataTests.of(typoColumn))
        .isInstanceOf(io.heapsdk.HeapException.class)
        .hasMessageStartingWith("data test not_null_pageviews_pth: Heap table pageviews has no column pth; did you mean 'path'? Its columns are event_id,");
    HeapProject typoTable = HeapProject.standard(CONFIG);
    typoTable.test(new DataTest(TestTarget.source("pageview"), ColumnCheck.notNull("event_id")));
    assertThatThrownBy(() -> DataTests.of(typoTable))
        .hasMessageStartingWith("data test not_null_pageview_event_id: no Heap table pageview; did you mean 'pageviews'? Heap's tables are ");
    HeapProject typoModel = HeapProject.standard(CONFIG);
    typoModel.test(new DataTest(TestTarget.model("stg_heap_session_inc_fct"), ColumnCheck.unique("heap_session_id")));
    assertThatThrownBy(() -> DataTests.of(typoModel))
        .isInstanceOf(io.heapsdk.model.HeapModelException.class)
        .hasMessageStartingWith(
            "model stg_heap_session_inc_fct: data test unique_stg_heap_session_inc_fct_heap_session_id: no such model; did you mean"
                + " 'stg_heap_sessions_inc_fct'?");
    HeapProject ephemeral = HeapProject.standard(CONFIG);
    ephemeral.test(new DataTest(TestTarget.model("src_heap_pageviews_eph"), ColumnCheck.notNull("heap_pageview_id")));
    assertThatThrownBy(() -> DataTests.of(ephemeral))
        .isInstanceOf(io.heapsdk.model.HeapModelException.class)
        .hasMessageContaining("the model is ephemeral, inlined where it is read and never stored, so no test can read it");
    // the relationship's parent too
    HeapProject parent = HeapProject.standard(CONFIG);
    parent.test(
        new DataTest(TestTarget.model("stg_heap_pageview_sessions_inc_fct"), ColumnCheck.relationship("heap_user_id", TestTarget.source("user"), "user_id")));
    assertThatThrownBy(() -> DataTests.of(parent)).hasMessageContaining(": no Heap table user; did you mean 'users'?");
  }

  /** The standard models and a model of each session's channel that declares the channels it accepts. */
  private static HeapProject channels() {
    HeapProject project = HeapProject.standard(CONFIG);
    project
        .model("session_channels")
        .test(ColumnCheck.acceptedValues("channel", "Direct", "Email"))
        .plan(
            ctx -> {
              RelBuilder b = ctx.ref("stg_heap_sessions_inc_fct");
              return b.project(b.field("heap_session_id"), b.alias(b.field("heap_session_defined_channel_attribution"), "channel"))
                  .build();
            });
    return project;
  }

  private static List<String> failing(Map<String, TestResult> results) {
    return results.values().stream().filter(r -> r.status() == Status.FAIL).map(TestResult::name).sorted().toList();
  }
}
