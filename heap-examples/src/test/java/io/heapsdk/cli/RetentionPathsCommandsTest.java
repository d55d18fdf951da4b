package io.heapsdk.cli;

import static io.heapsdk.cli.HeapCliTest.heap;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.heapsdk.config.HeapConfig;
import io.heapsdk.config.HeapConfigLoader;
import io.heapsdk.report.PageChecks;
import io.heapsdk.run.SourceTables;
import io.heapsdk.warehouse.Warehouses;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * {@code heap retention} and {@code heap paths} end to end on an H2 file database holding three
 * hand-made users, built by {@code heap run}; the expected rows are worked out by hand.
 */
class RetentionPathsCommandsTest {
  private static final String CONFIG_YAML =
      """
      funnel_events: [signup, use]
      conversion_events: [use]
      channels:
        own_domain: example.com
      """;

  @TempDir Path tmp;
  private Path config;
  private String url;

  /**
   * Users 1 and 3 come direct (sessions 1 and 3), user 2 from duckduckgo (session 2: Organic Search).
   * User 1: signup 01-01 10:00, use 01-02, use 01-08; user 2: signup 01-01 12:00, use 01-03; user 3:
   * signup 01-02. All in their one session; newest event on 2024-01-08.
   */
  @BeforeEach
  void buildTheFacts() throws IOException, SQLException {
    config = tmp.resolve("heap.yml");
    Files.writeString(config, CONFIG_YAML);
    url = databaseUrl(tmp);
    HeapConfig c = HeapConfigLoader.load(config);
    SourceTables sources = new SourceTables(Database.warehouseOf(url), c);
    try (Connection db = DriverManager.getConnection(url)) {
      sources.create(db);
      sources.insert(db, "sessions", List.of(session(1, 1, null), session(2, 2, "https://duckduckgo.com/"), session(3, 3, null)));
      sources.insert(
          db,
          "all_events",
          List.of(
              event(11, 1, "2024-01-01T10:00", "signup"), event(12, 1, "2024-01-02T10:00", "use"), event(13, 1, "2024-01-08T10:00", "use"),
              event(21, 2, "2024-01-01T12:00", "signup"), event(22, 2, "2024-01-03T10:00", "use"),
              event(31, 3, "2024-01-02T10:00", "signup")));
    }
    HeapCliTest.Result run = heap("run", "--config", config, "--jdbc", url);
    assertThat(run.code()).as(run.err()).isZero();
  }

  /** The file database the facts are built in; {@link RetentionPathsCommandsOnDuckDbTest} runs every test on DuckDB. */
  String databaseUrl(Path dir) {
    return "jdbc:h2:file:" + dir.resolve("db");
  }

  private static Object[] session(long id, long user, String referrer) {
    return new Object[] {
      id, user, LocalDateTime.parse("2024-01-01T09:00:00"), "web", null, null, null, null, null, null, null, referrer, "/",
      null, null, "Chrome", null, null, null, null, null
    };
  }

  /** An event in the user's own session (session id = user id). */
  private static Object[] event(long id, long user, String time, String name) {
    return new Object[] {id, user, user, LocalDateTime.parse(time), name};
  }

  @Test
  void retentionByDayAsCsv() {
    // 01-01: users 1 and 2; day 1: user 1; day 2: user 2. 01-02: user 3, never back
    HeapCliTest.Result r =
        heap("retention", "--config", config, "--jdbc", url, "--start-event", "signup", "--return-event", "use", "--period", "day", "--periods", 2, "--format", "csv");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .isEqualTo(
            """
            cohort,cohort_size,period,retained,rate
            2024-01-01,2,0,2,1
            2024-01-01,2,1,1,0.5
            2024-01-01,2,2,1,0.5
            2024-01-02,1,0,1,1
            2024-01-02,1,1,0,0
            2024-01-02,1,2,0,0
            """);
  }

  /** "nobody did Signup" for an event no row is named: said, as for funnels and retention; not for one somebody did */
  @Test
  void pathsFromAnEventNoEventIsNamedSaySo() {
    HeapCliTest.Result r = heap("paths", "--config", config, "--jdbc", url, "--from-event", "Signup", "--format", "csv");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err().strip())
        .isEqualTo("heap: no event in stg_heap_events_all_inc_fct is named \"Signup\" (--from-event); paths match event names exactly,"
            + " case included");
    assertThat(heap("paths", "--config", config, "--jdbc", url, "--from-event", "signup", "--format", "csv").err()).doesNotContain("no event in");
  }

  /** A mistyped return event read as nobody coming back (100% then 0% in every period), without a word. */
  @Test
  void aReturnEventNoEventIsNamedIsSaid() {
    HeapCliTest.Result r =
        heap("retention", "--config", config, "--jdbc", url, "--start-event", "signup", "--return-event", "Use", "--period", "day", "--periods", 2, "--format", "csv");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("2024-01-01,2,1,0,0");
    assertThat(r.err().strip())
        .isEqualTo("heap: no event in stg_heap_events_all_inc_fct is named \"Use\" (--return-event); --start-event and --return-event match event names exactly, case included");
    HeapCliTest.Result both =
        heap("retention", "--config", config, "--jdbc", url, "--start-event", "sign_up", "--return-event", "use", "--period", "day", "--format", "csv");
    assertThat(both.err()).contains("is named \"sign_up\" (--start-event);").doesNotContain("(--return-event)");
  }

  @Test
  void retentionByWeekOnOrAfterBrokenDownByChannel() {
    // all three in the week of Monday 01-01; only user 1 is back the week after (01-08); user 2's use on
    // 01-03 is in week 0
    HeapCliTest.Result r =
        heap(
            "retention", "--config", config, "--jdbc", url, "--start-event", "signup", "--return-event", "use", "--period", "week", "--periods", 1,
            "--mode", "on_or_after", "--breakdown", "channel", "--from", "2024-01-03", "--to", "2024-01-03", "--format", "csv");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .isEqualTo(
            """
            channel,cohort,cohort_size,period,retained,rate
            Direct,2024-01-01,2,0,2,1
            Direct,2024-01-01,2,1,1,0.5
            Organic Search,2024-01-01,1,0,1,1
            Organic Search,2024-01-01,1,1,0,0
            """);
  }

  @Test
  void retentionAsATableAndAsJson() throws IOException {
    HeapCliTest.Result table =
        heap("retention", "--config", config, "--jdbc", url, "--start-event", "signup", "--return-event", "use", "--periods", 2);
    assertThat(table.code()).as(table.err()).isZero();
    assertThat(table.out().lines().toList())
        .containsExactly(
            "Retention: users by the day of their first signup, back with use (on), % of each cohort",
            "  cohort      users  day 0  day 1  day 2",
            "  2024-01-01      2  100.0   50.0   50.0",
            "  2024-01-02      1  100.0    0.0    0.0");
    // any event: all three users' first events; user 1 back on day 1 (01-02), user 2 on day 2 (01-03)
    HeapCliTest.Result json = heap("retention", "--config", config, "--jdbc", url, "--periods", 1, "--format", "json");
    assertThat(json.code()).as(json.err()).isZero();
    JsonNode rows = new ObjectMapper().readTree(json.out());
    assertThat(rows).hasSize(4);
    assertThat(rows.get(1).fieldNames()).toIterable().containsExactly("cohort", "cohort_size", "period", "retained", "rate");
    assertThat(rows.get(1).get("cohort").asText()).isEqualTo("2024-01-01");
    assertThat(rows.get(1).get("retained").asLong()).isEqualTo(1);
    assertThat(rows.get(1).get("rate").asDouble()).isEqualTo(0.5);
  }

  @Test
  void pathsAsCsvAndAsATable() {
    // after signup (repeats collapsed): 1: use; 2: use; 3: nothing
    HeapCliTest.Result csv = heap("paths", "--config", config, "--jdbc", url, "--from-event", "signup", "--steps", 2, "--format", "csv");
    assertThat(csv.code()).as(csv.err()).isZero();
    assertThat(csv.out()).isEqualTo("rank,step_1,step_2,count,share\n1,use,,2,0.6666666666666666\n2,,,1,0.3333333333333333\n");
    HeapCliTest.Result table = heap("paths", "--config", config, "--jdbc", url, "--from-event", "signup", "--steps", 2);
    assertThat(table.out().lines().toList())
        .containsExactly(
            "Paths: 2 events after signup, per user, repeats collapsed",
            "  rank  path         users  share %",
            "     1  use > (end)      2     66.7",
            "     2  (end)            1     33.3",
            "  3 users did signup");
    // repeats kept: user 1's path is use > use
    HeapCliTest.Result kept = heap("paths", "--config", config, "--jdbc", url, "--from-event", "signup", "--steps", 2, "--keep-repeats", "--top", 1, "--format", "csv");
    assertThat(kept.out()).isEqualTo("rank,step_1,step_2,count,share\n1,use,use,1,0.3333333333333333\n");
  }

  @Test
  void pathsBeforeAnEventPerSessionAsJson() throws IOException {
    // sessions 1 and 2: signup right before their first use; session 3 has no use
    HeapCliTest.Result r =
        heap("paths", "--config", config, "--jdbc", url, "--from-event", "use", "--before", "--steps", 1, "--unit", "session", "--format", "json");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode rows = new ObjectMapper().readTree(r.out());
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0).fieldNames()).toIterable().containsExactly("rank", "step_1", "count", "share");
    assertThat(rows.get(0).get("step_1").asText()).isEqualTo("signup");
    assertThat(rows.get(0).get("count").asLong()).isEqualTo(2);
    assertThat(rows.get(0).get("share").asDouble()).isEqualTo(1.0);
    // the excluded signup leaves nothing before use
    HeapCliTest.Result without =
        heap("paths", "--config", config, "--jdbc", url, "--from-event", "use", "--before", "--steps", 1, "--exclude", "signup", "--format", "csv");
    assertThat(without.out()).isEqualTo("rank,step_1,count,share\n1,,2,1\n");
  }

  @Test
  void retentionAsHtmlGoesToTheFileOfOut() throws IOException {
    Path file = tmp.resolve("charts").resolve("retention.html");
    HeapCliTest.Result r =
        heap(
            "retention", "--config", config, "--jdbc", url, "--start-event", "signup", "--return-event", "use", "--periods", 2, "--format", "html",
            "--out", file);
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("wrote " + file + "\n");
    String html = Files.readString(file, StandardCharsets.UTF_8);
    PageChecks.assertSelfContained(html);
    Document page = PageChecks.parse(html);
    // the cohorts of retentionByDayAsCsv: 01-01 (2 users) back 1 and 1, 01-02 (1 user) never back
    assertThat(
            PageChecks.marks(page, "cell").stream()
                .map(e -> e.getAttribute("data-row") + "/" + e.getAttribute("data-col") + "=" + e.getAttribute("data-count") + "/"
                    + e.getAttribute("data-size") + "=" + e.getAttribute("data-value") + " " + PageChecks.numText(e)))
        .containsExactly(
            "2024-01-01/0=2/2=1 100.0%", "2024-01-01/1=1/2=0.5 50.0%", "2024-01-01/2=1/2=0.5 50.0%",
            "2024-01-02/0=1/1=1 100.0%", "2024-01-02/1=0/1=0 0.0%", "2024-01-02/2=0/1=0 0.0%");
    assertThat(PageChecks.marks(page, "size").stream().map(e -> e.getAttribute("data-row") + "=" + e.getAttribute("data-value")))
        .containsExactly("2024-01-01=2", "2024-01-02=1");
    assertThat(PageChecks.marks(page, "cell")).noneMatch(e -> e.hasAttribute("data-series"));
    assertThat(page.getElementsByTagName("title").item(0).getTextContent())
        .isEqualTo("Retention: users by the day of their first \u2068signup\u2069, back with \u2068use\u2069");
  }

  @Test
  void retentionByChannelAsHtmlOnStandardOutputHasAMapPerChannel() {
    // as retentionByWeekOnOrAfterBrokenDownByChannel: Direct 2 users, 1 back in week 1; Organic Search 1 user, not back
    HeapCliTest.Result r =
        heap(
            "retention", "--config", config, "--jdbc", url, "--start-event", "signup", "--return-event", "use", "--period", "week", "--periods", 1,
            "--mode", "on_or_after", "--breakdown", "channel", "--format", "HTML");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("<!DOCTYPE html>").endsWith("</html>\n");
    Document page = PageChecks.parse(r.out());
    assertThat(page.getElementsByTagName("figure").getLength()).isEqualTo(2);
    assertThat(
            PageChecks.marks(page, "cell").stream()
                .map(e -> e.getAttribute("data-series") + "/" + e.getAttribute("data-row") + "/" + e.getAttribute("data-col") + "=" + e.getAttribute("data-value")))
        .containsExactly("Direct/2024-01-01/0=1", "Direct/2024-01-01/1=0.5", "Organic Search/2024-01-01/0=1", "Organic Search/2024-01-01/1=0");
  }

  @Test
  void pathsAsHtml() throws IOException {
    // as pathsAsCsvAndAsATable: use (2 users, 2/3), nothing after (1 user, 1/3)
    Path file = tmp.resolve("paths.html");
    HeapCliTest.Result r = heap("paths", "--config", config, "--jdbc", url, "--from-event", "signup", "--steps", 2, "--format", "html", "--out", file);
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("wrote " + file + "\n");
    String html = Files.readString(file, StandardCharsets.UTF_8);
    PageChecks.assertSelfContained(html);
    List<Element> nodes = PageChecks.marks(PageChecks.parse(html), "node");
    assertThat(nodes.stream().map(e -> e.getAttribute("data-depth") + ":" + e.getAttribute("data-label") + "=" + e.getAttribute("data-value") + "/" + e.getAttribute("data-row") + "/" + e.getAttribute("data-steps") + "/" + e.getAttribute("data-share")))
        .containsExactly("0:signup=3///1", "1:use=2/0/[\"use\"]/0.6666666666666666", "1:(end)=1/1/[]/0.3333333333333333");
    // before use, per session: signup, both sessions
    HeapCliTest.Result before =
        heap("paths", "--config", config, "--jdbc", url, "--from-event", "use", "--before", "--steps", 1, "--unit", "session", "--format", "html");
    assertThat(before.code()).as(before.err()).isZero();
    assertThat(PageChecks.marks(PageChecks.parse(before.out()), "node").stream().map(e -> e.getAttribute("data-label") + "=" + e.getAttribute("data-value") + "/" + e.getAttribute("data-share")))
        .containsExactly("use=2/1", "signup=2/1");
    // csv to a file too
    Path csv = tmp.resolve("paths.csv");
    assertThat(heap("paths", "--config", config, "--jdbc", url, "--from-event", "signup", "--steps", 2, "--format", "csv", "--out", csv).out()).isEqualTo("wrote " + csv + "\n");
    assertThat(Files.readString(csv)).isEqualTo("rank,step_1,step_2,count,share\n1,use,,2,0.6666666666666666\n2,,,1,0.3333333333333333\n");
  }

  @Test
  void nobodyAtTheAnchorPrintsTheHeaderOnly() {
    // no pageviews at all: the pageviews fact is built, and empty
    HeapCliTest.Result csv = heap("paths", "--config", config, "--jdbc", url, "--from-event", "/", "--pageviews", "--format", "csv");
    assertThat(csv.code()).as(csv.err()).isZero();
    assertThat(csv.out()).isEqualTo("rank,step_1,step_2,step_3,count,share\n");
    HeapCliTest.Result table = heap("paths", "--config", config, "--jdbc", url, "--from-event", "/", "--pageviews");
    assertThat(table.out()).contains("(nobody did /)");
    HeapCliTest.Result retention = heap("retention", "--config", config, "--jdbc", url, "--start-event", "purchase", "--format", "csv");
    assertThat(retention.out()).isEqualTo("cohort,cohort_size,period,retained,rate\n");
    // as charts: a page that says so, without marks
    HeapCliTest.Result html = heap("retention", "--config", config, "--jdbc", url, "--start-event", "purchase", "--format", "html");
    assertThat(html.code()).as(html.err()).isZero();
    assertThat(PageChecks.marks(PageChecks.parse(html.out()), "cell")).isEmpty();
    assertThat(html.out()).contains("No cohort: nobody did \u2068purchase\u2069 in the date range.");
    HeapCliTest.Result pages = heap("paths", "--config", config, "--jdbc", url, "--from-event", "/", "--pageviews", "--format", "html");
    assertThat(pages.code()).as(pages.err()).isZero();
    assertThat(PageChecks.marks(PageChecks.parse(pages.out()), "node").stream().map(e -> e.getAttribute("data-value"))).containsExactly("0");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "retention --period year",
        "retention --periods 0",
        "retention --periods 367",
        "retention --periods seven",
        "retention --mode after",
        "retention --breakdown utm_sauce",
        "retention --from 2024-02-01 --to 2024-01-01",
        "retention --from yesterday",
        "retention --format svg",
        "paths",
        "paths --from-event a --steps 0",
        "paths --from-event a --steps 21",
        "paths --from-event a --top 0",
        "paths --from-event a --unit team",
        "paths --from-event a --exclude b,a",
        "paths --from-event a --format xml",
        "paths --from-event a --format html --out .",
      })
  void badArgumentsExitWithTwoAndOneLine(String args) {
    List<Object> argv = new ArrayList<>(List.of(args.split(" ")));
    argv.add(1, "--config");
    argv.add(2, config);
    argv.add(3, "--jdbc");
    argv.add(4, url);
    HeapCliTest.Result r = heap(argv.toArray());
    assertThat(r.code()).as(r.out() + r.err()).isEqualTo(2);
    assertThat(r.err().lines().filter(l -> !l.startsWith("INFO")).toList()).singleElement().asString().startsWith("heap: ").doesNotContain("java.", "Exception");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void factsThatWereNeverBuiltAreAUsageError() {
    String unbuilt = "jdbc:h2:file:" + tmp.resolve("unbuilt");
    assertThat(heap("sample", "--config", config, "--jdbc", unbuilt, "--users", 0).code()).isZero();
    HeapCliTest.Result retention = heap("retention", "--config", config, "--jdbc", unbuilt);
    assertThat(retention.code()).isEqualTo(2);
    assertThat(retention.err()).contains("STG_HEAP_EVENTS_ALL_INC_FCT", "not found", "heap run");
    HeapCliTest.Result pages = heap("paths", "--config", config, "--jdbc", unbuilt, "--from-event", "/", "--pageviews");
    assertThat(pages.code()).isEqualTo(2);
    assertThat(pages.err()).contains("STG_HEAP_PAGEVIEW_SESSIONS_INC_FCT", "not found");
  }
}
