package io.heapsdk.cli;

import static io.heapsdk.cli.HeapCliTest.heap;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.heapsdk.run.TestResult;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code heap test} end to end on sample data built by {@code heap sample} and {@code heap run}. */
class TestCommandTest {
  @TempDir Path tmp;
  private String url;

  @BeforeEach
  void sampleAndBuild() {
    url = "jdbc:h2:file:" + tmp.resolve("db");
    assertThat(heap("sample", "--jdbc", url, "--users", 200, "--seed", 3).code()).isZero();
    assertThat(heap("run", "--jdbc", url).code()).isZero();
  }

  @Test
  void sampleDuplicatesWarnAndFailOnlyWithWarnError() {
    // as of the sample's first day: the freshness checks warn of newest times ahead of now, the duplicates warn
    HeapCliTest.Result result = heap("test", "--jdbc", url, "--now", "2024-01-01T00:00:00Z");
    assertThat(result.code()).as(result.err()).isZero();
    assertThat(result.out())
        .containsPattern("(?m)^unique_pageviews_event_id\\s+source:pageviews\\s+warn\\s+[1-9]\\d*\\s+\\d+")
        .containsPattern("(?m)^unique_stg_heap_pageview_sessions_inc_fct_heap_pageview_id\\s+model:\\S+\\s+pass\\s+0$")
        .doesNotContainPattern("(?m)\\sfail\\s");
    // 16 source tests, 2 per fact, 4 freshness checks
    assertThat(result.out()).containsPattern("26 checks: \\d+ passed, [1-9]\\d* warned, 0 failed")
        .containsPattern("(?m)^freshness_pageviews\\s+source:pageviews\\s+warn\\s+0\\s+newest 2024-\\S+, \\d+d \\d+h \\d+m ahead of now");
    assertThat(heap("test", "--jdbc", url, "--now", "2024-01-01T00:00:00Z", "--warn-error").code()).isEqualTo(1);
  }

  /**
   * A funnel step and a conversion event written otherwise than Heap's names (the sample's are
   * add_to_cart and sign_up): the check warns naming both, and the note says which names exist.
   */
  @Test
  void eventNamesNoEventHasAreNamedWithTheNearestThatExist() throws Exception {
    Path config = tmp.resolve("heap.yml");
    java.nio.file.Files.writeString(
        config, "funnel_events: [view_product, add_to_kart, begin_checkout, purchase]\nconversion_events: [purchase, Sign_Up]\n");
    // a check of Heap's all_events: it needs no facts built with this config
    HeapCliTest.Result result = heap("test", "--config", config, "--jdbc", url, "--select", "contains_values_*");
    assertThat(result.code()).as(result.err()).isZero();
    assertThat(result.out())
        .containsPattern("(?m)^contains_values_all_events_event_table_name\\s+source:all_events\\s+warn\\s+2\\s+Sign_Up, add_to_kart$");
    assertThat(result.err())
        .contains(
            "heap: funnel_events or conversion_events name events no all_events row has: \"Sign_Up\" (did you mean \"sign_up\"?),"
                + " \"add_to_kart\" (did you mean \"add_to_cart\"?); they match Heap's event names exactly, case included");
    assertThat(heap("test", "--config", config, "--jdbc", url, "--select", "contains_values_*", "--warn-error").code()).isEqualTo(1);
    // the sample's own names: it passes, and nothing is said
    Path right = tmp.resolve("right.yml");
    java.nio.file.Files.writeString(
        right, "funnel_events: [view_product, add_to_cart, begin_checkout, purchase]\nconversion_events: [purchase, sign_up]\n");
    HeapCliTest.Result ok = heap("test", "--config", right, "--jdbc", url, "--select", "contains_values_*");
    assertThat(ok.out()).containsPattern("(?m)^contains_values_all_events_event_table_name\\s+source:all_events\\s+pass\\s+0$");
    assertThat(ok.err()).doesNotContain("funnel_events or conversion_events");
  }

  /**
   * Without {@code --now}, the sample's 2024 data fails every freshness check, run after run: heap test
   * says so once on standard error, with the {@code --now} that judges it as of its newest row (a probe
   * of 60 daily runs saw exit 1 every day, the model tests passing). Not said with {@code --now}, nor
   * where some freshness check passes.
   */
  @Test
  void dataThatStoppedArrivingLongAgoGetsANoteNamingNow() {
    HeapCliTest.Result stale = heap("test", "--jdbc", url, "--select", "freshness_*");
    assertThat(stale.code()).isEqualTo(1);
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile(
                "heap: all 4 freshness checks failed, and the newest row of their tables is from (2024-\\S+): data that stopped arriving\\."
                    + " Sample data \\(heap sample's is dated 2024\\)\\? Check it as of then: --now (2024-\\S+Z)"
                    + "(?: \\(as of then (.*) still fails?: older than its error_after_hours before the newest row\\))?\\. A Heap sync that stopped\\?"
                    + " That is what the check is for")
            .matcher(stale.err());
    assertThat(m.find()).as(stale.err()).isTrue();
    // the note's --now: the newest table passes as of it (a second after its newest row)
    HeapCliTest.Result asOfThen = heap("test", "--jdbc", url, "--select", "freshness_*", "--now", m.group(2));
    assertThat(asOfThen.out()).containsPattern("(?m)^freshness_\\w+\\s+source:\\w+\\s+pass\\s+0\\s+newest " + java.util.regex.Pattern.quote(m.group(1)));
    // and the checks the note says still fail as of then are exactly those that do: the sample's users join
    // over its first 30 days and its events go on 9 days more, so users, judged on joindate, still fails (a
    // probe took the note's --now for one that passes every check, and got exit 1)
    List<String> failing = asOfThen.out().lines().filter(l -> l.matches("^freshness_\\w+\\s+source:\\w+\\s+fail\\s.*"))
        .map(l -> l.split("\\s+")[0]).toList();
    List<String> named = m.group(3) == null ? List.of()
        : java.util.Arrays.stream(m.group(3).split(", ")).map(n -> n.replaceAll(" \\(newest \\S+\\)$", "")).toList();
    assertThat(failing).as(stale.err()).isNotEmpty().containsExactlyInAnyOrderElementsOf(named);
  }

  /** The note speaks only when every freshness check failed on data over 30 days old. */
  @Test
  void theNoteNeedsEveryFreshnessCheckFailedOnOldData() {
    TestResult old = new TestResult("freshness_sessions", "source:sessions", TestResult.Status.FAIL, 0, List.of(), "newest 2024-02-05T10:00:00.5, lag 1000d 0h 0m");
    TestResult alsoOld = new TestResult("freshness_users", "source:users", TestResult.Status.FAIL, 0, List.of(), "newest 2024-01-30T09:00:00, lag 1006d 0h 0m");
    TestResult fresh = new TestResult("freshness_pageviews", "source:pageviews", TestResult.Status.PASS, 0, List.of(), "newest " + java.time.LocalDateTime.now(java.time.ZoneOffset.UTC).minusHours(1) + ", lag 0d 1h 0m");
    TestResult recent = new TestResult("freshness_pageviews", "source:pageviews", TestResult.Status.FAIL, 0, List.of(), "newest " + java.time.LocalDateTime.now(java.time.ZoneOffset.UTC).minusDays(5).withNano(0) + ", lag 5d 0h 0m");
    TestResult empty = new TestResult("freshness_pageviews", "source:pageviews", TestResult.Status.FAIL, 0, List.of(), "no rows (…)");
    TestResult model = new TestResult("unique_x", "model:x", TestResult.Status.PASS, 0, List.of(), "");
    assertThat(TestCommand.staleSources(List.of(old, alsoOld, model)))
        .contains("all 2 freshness checks failed, and the newest row of their tables is from 2024-02-05T10:00:00: data that stopped"
            + " arriving. Sample data (heap sample's is dated 2024)? Check it as of then: --now 2024-02-05T10:00:01Z. A Heap sync"
            + " that stopped? That is what the check is for");
    // with their limits in the detail, as DataTestRunner writes them: users, six days older than the newest
    // row, is past its three days as of then; sessions, one day older, within them
    TestResult sessionsWithLimits = new TestResult("freshness_sessions", "source:sessions", TestResult.Status.FAIL, 0, List.of(),
        "newest 2024-02-04T10:00:00, lag 1001d 0h 0m (warn after 1d 0h 0m, error after 3d 0h 0m)");
    TestResult usersWithLimits = new TestResult("freshness_users", "source:users", TestResult.Status.FAIL, 0, List.of(),
        "newest 2024-01-30T09:00:00, lag 1006d 0h 0m (warn after 1d 0h 0m, error after 3d 0h 0m)");
    TestResult newestWithLimits = new TestResult("freshness_all_events", "source:all_events", TestResult.Status.FAIL, 0, List.of(),
        "newest 2024-02-05T10:00:00.5, lag 1000d 0h 0m (warn after 1d 0h 0m, error after 3d 0h 0m)");
    assertThat(TestCommand.staleSources(List.of(sessionsWithLimits, usersWithLimits, newestWithLimits)).orElseThrow())
        .contains("Check it as of then: --now 2024-02-05T10:00:01Z (as of then freshness_users (newest 2024-01-30T09:00:00) still fails:"
            + " older than its error_after_hours before the newest row). A Heap sync");
    assertThat(TestCommand.staleSources(List.of(alsoOld)).orElseThrow())
        .startsWith("the freshness check failed, and its table's newest row is from 2024-01-30T09:00:00: ");
    assertThat(TestCommand.staleSources(List.of(old, fresh))).isEmpty();
    assertThat(TestCommand.staleSources(List.of(old, recent))).as("the newest is 5 days old").isEmpty();
    assertThat(TestCommand.staleSources(List.of(old, empty))).isEmpty();
    assertThat(TestCommand.staleSources(List.of(model))).isEmpty();
  }

  /**
   * A mobile app's project leaves pageviews empty: its freshness check fails, saying how to skip it, and
   * skipped, the rest passes. Without the table, heap test names the config key, as heap run does, where
   * it stopped on the engine's "Table … does not exist".
   */
  @Test
  void aProjectWithoutPageviewsSkipsTheirFreshness() throws Exception {
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(url);
        java.sql.Statement s = c.createStatement()) {
      s.execute("DELETE FROM MAIN_PRODUCTION.PAGEVIEWS");
    }
    // ten days' limits: the sample's users joined until 2024-01-30, its sessions run until 2024-02-05
    String now = "2024-02-06T00:00:00Z";
    String limits = "source:\n  freshness:\n    warn_after_hours: 240\n    error_after_hours: 240\n";
    Path web = tmp.resolve("web.yml");
    java.nio.file.Files.writeString(web, limits);
    HeapCliTest.Result failing = heap("test", "--config", web, "--jdbc", url, "--select", "freshness_*", "--now", now);
    assertThat(failing.code()).isEqualTo(1);
    assertThat(failing.out()).containsPattern("(?m)^freshness_pageviews\\s+source:pageviews\\s+fail\\s+0\\s+no rows \\(a table the project"
        + " leaves empty by design, such as a mobile app's pageviews, goes without this check: source.freshness.skip_tables: \\[pageviews\\]\\)$")
        .contains("4 checks: 3 passed, 0 warned, 1 failed");
    Path mobile = tmp.resolve("mobile.yml");
    java.nio.file.Files.writeString(mobile, limits + "    skip_tables: [pageviews]\n");
    HeapCliTest.Result skipped = heap("test", "--config", mobile, "--jdbc", url, "--select", "freshness_*", "--now", now);
    assertThat(skipped.code()).as(skipped.out() + skipped.err()).isZero();
    assertThat(skipped.out()).doesNotContain("freshness_pageviews").contains("3 checks: 3 passed, 0 warned, 0 failed");

    try (java.sql.Connection c = java.sql.DriverManager.getConnection(url);
        java.sql.Statement s = c.createStatement()) {
      s.execute("DROP TABLE MAIN_PRODUCTION.PAGEVIEWS");
    }
    HeapCliTest.Result missing = heap("test", "--config", mobile, "--jdbc", url, "--now", now);
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("source.tables.pageviews (not set: Heap's name): no table PAGEVIEWS in schema main_production;"
        + " its tables: ").contains(". The models read it even where a project leaves it empty, as a mobile app does its pageviews:"
        + " create it empty, with the columns heap docs lists for it");
  }

  @Test
  void staleSourcesFailAsJson() throws Exception {
    HeapCliTest.Result result =
        heap("test", "--jdbc", url, "--select", "freshness_*", "--format", "json", "--now", "2030-01-01T00:00:00Z");
    assertThat(result.code()).isEqualTo(1);
    JsonNode rows = new ObjectMapper().readTree(result.out());
    // users, sessions, pageviews and all_events have a rule; user_migrations has none
    assertThat(rows).hasSize(4);
    assertThat(rows).allSatisfy(r -> assertThat(r.get("status").asText()).isEqualTo("fail"));
    assertThat(rows.get(0).get("test").asText()).isEqualTo("freshness_users");
  }

  @Test
  void selectByTarget() {
    HeapCliTest.Result result = heap("test", "--jdbc", url, "--select", "source:user_migrations");
    assertThat(result.code()).as(result.err()).isZero();
    assertThat(result.out()).contains("2 checks: 2 passed, 0 warned, 0 failed");
  }

  @Test
  void modelTablesNotBuiltAreNamedBeforeAnyTestRuns() {
    String empty = "jdbc:h2:file:" + tmp.resolve("empty");
    assertThat(heap("sample", "--jdbc", empty, "--users", 0).code()).isZero();
    HeapCliTest.Result result = heap("test", "--jdbc", empty, "--select", "model:*");
    // heap run never ran: one line in heap's words, as the analyses give, not the engine's error
    assertThat(result.code()).isEqualTo(2);
    assertThat(result.err())
        .startsWith("heap: table \"HEAP_MODELS\".\"STG_HEAP_EVENTS_ALL_INC_FCT\" not found on " + empty)
        .contains("build the models first: heap run")
        .doesNotContain("Exception");
    // without --select (a new project's CI before its first run): the message says how to check the sources
    HeapCliTest.Result all = heap("test", "--jdbc", empty);
    assertThat(all.code()).isEqualTo(2);
    assertThat(all.err()).contains("build the models first: heap run").contains("; the checks of Heap's tables alone run without them: --select 'source:*'");
    // the sources' own tests need no model
    HeapCliTest.Result sources = heap("test", "--jdbc", empty, "--select", "source:user_migrations");
    assertThat(sources.code()).as(sources.err()).isZero();
    assertThat(sources.out()).contains("2 checks: 2 passed, 0 warned, 0 failed");
    // and say nothing of model tables they did not read (it said no heap run had built them)
    assertThat(sources.err()).doesNotContain("no heap run has built");
  }

  @Test
  void aSelectionThatMatchesNothingIsAUsageError() {
    // a mistyped pattern in a CI job must not pass having checked nothing
    HeapCliTest.Result result = heap("test", "--jdbc", url, "--select", "nothing*");
    assertThat(result.code()).isEqualTo(2);
    assertThat(result.err()).contains("--select: no test's name or target matches 'nothing*'");
  }

  @Test
  void badFormatIsAUsageError() {
    HeapCliTest.Result result = heap("test", "--jdbc", url, "--format", "xml");
    assertThat(result.code()).isEqualTo(2);
    assertThat(result.err()).contains("--format: expected table or json, got xml");
  }
}
