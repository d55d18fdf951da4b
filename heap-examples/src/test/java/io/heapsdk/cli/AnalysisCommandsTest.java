package io.heapsdk.cli;

import static io.heapsdk.cli.HeapCliTest.heap;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.heapsdk.config.HeapConfig;
import io.heapsdk.config.HeapConfigLoader;
import io.heapsdk.run.SourceTables;
import io.heapsdk.warehouse.Warehouse;
import io.heapsdk.warehouse.Warehouses;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code heap funnel} and {@code heap attribution} end to end on an H2 file database holding a few
 * hand-made users, built by {@code heap run}; the expected rows are worked out by hand.
 */
class AnalysisCommandsTest {
  private static final String CONFIG_YAML =
      """
      funnel_events: [a, b]
      conversion_events: [purchase]
      channels:
        own_domain: example.com
      """;

  @TempDir Path tmp;
  private Path config;
  private String url;

  /**
   * Users 1 and 3 come direct (sessions 1 and 3; campaign never set, and set empty), user 2 from
   * duckduckgo (session 2, campaign "spring, sale"). User 1: a 10:00, b 10:10, purchase 10:20; user 2: a 10:00, purchase 10:30;
   * user 3: a 10:00, b 11:00. Funnel a → b: 3 users, then 2 (600 s and 3600 s).
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
      sources.insert(
          db,
          "sessions",
          List.of(session(1, 1, null, null), session(2, 2, "https://duckduckgo.com/", "spring, sale"), session(3, 3, null, "")));
      sources.insert(
          db,
          "all_events",
          List.of(
              event(11, 1, 1, "10:00", "a"), event(12, 1, 1, "10:10", "b"), event(13, 1, 1, "10:20", "purchase"),
              event(21, 2, 2, "10:00", "a"), event(22, 2, 2, "10:30", "purchase"),
              event(31, 3, 3, "10:00", "a"), event(32, 3, 3, "11:00", "b")));
    }
    HeapCliTest.Result run = heap("run", "--config", config, "--jdbc", url);
    assertThat(run.code()).as(run.err()).isZero();
  }

  /** The file database the facts are built in; {@link AnalysisCommandsOnDuckDbTest} runs every test on DuckDB. */
  String databaseUrl(Path dir) {
    return "jdbc:h2:file:" + dir.resolve("db");
  }

  private static Object[] session(long id, long user, String referrer, String campaign) {
    return new Object[] {
      id, user, LocalDateTime.parse("2024-01-10T09:00:00"), "web", null, null, null, null, null, null, null, referrer, "/",
      null, null, "Chrome", null, campaign, null, null, null
    };
  }

  private static Object[] event(long id, long user, long session, String time, String name) {
    return new Object[] {id, user, session, LocalDateTime.parse("2024-01-10T" + time + ":00"), name};
  }

  @Test
  void funnelAsCsv() {
    HeapCliTest.Result r = heap("funnel", "--config", config, "--jdbc", url, "--steps", "a,b", "--format", "csv");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .isEqualTo(
            """
            step,event,entered,conversion_from_first,conversion_from_previous,drop_off,median_seconds_from_first,avg_seconds_from_first
            1,a,3,1,,,0,0
            2,b,2,0.6666666666666666,0.6666666666666666,1,2100,2100
            """);
  }

  @Test
  void funnelBrokenDownByChannelAsCsv() {
    // Direct: users 1 and 3 both reach b; Organic Search: user 2 does not (no time to b)
    HeapCliTest.Result r = heap("funnel", "--config", config, "--jdbc", url, "--steps", "a,b", "--breakdown", "channel", "--format", "csv");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .isEqualTo(
            """
            channel,step,event,entered,conversion_from_first,conversion_from_previous,drop_off,median_seconds_from_first,avg_seconds_from_first
            Direct,1,a,2,1,,,0,0
            Direct,2,b,2,1,1,0,2100,2100
            Organic Search,1,a,1,1,,,0,0
            Organic Search,2,b,0,0,0,1,,
            """);
  }

  @Test
  void funnelOptionsReachTheFunnel() throws IOException {
    // a 30-minute window drops user 3 (b after an hour); strict and per session change nothing here
    HeapCliTest.Result r =
        heap(
            "funnel", "--config", config, "--jdbc", url, "--steps", "a,b", "--window", "30m", "--ordering", "strict", "--unit", "session",
            "--exclude", "refund", "--from", "2024-01-10", "--to", "2024-01-10", "--format", "json");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode rows = new ObjectMapper().readTree(r.out());
    assertThat(rows).hasSize(2);
    assertThat(rows.get(1).get("entered").asLong()).isEqualTo(1);
    assertThat(rows.get(1).get("median_seconds_from_first").asDouble()).isEqualTo(600.0);
    assertThat(rows.get(0).get("conversion_from_previous").isNull()).isTrue();
    assertThat(rows.get(0).fieldNames()).toIterable()
        .containsExactly(
            "step", "event", "entered", "conversion_from_first", "conversion_from_previous", "drop_off",
            "median_seconds_from_first", "avg_seconds_from_first");
    // the next day: nobody
    HeapCliTest.Result none = heap("funnel", "--config", config, "--jdbc", url, "--steps", "a,b", "--from", "2024-01-11", "--format", "json");
    assertThat(new ObjectMapper().readTree(none.out())).isEmpty();
    assertThat(none.err()).as("both steps name events of the data").doesNotContain("no event in");
  }

  /**
   * {@code --window range}: later steps count up to the end of {@code --to}'s day, as Heap's funnel chart
   * counts them; here both b's are on January 10th, so user 3's (an hour after a), which a 30-minute
   * window drops, counts.
   */
  @Test
  void aFunnelWindowToTheRangesEnd() throws IOException {
    HeapCliTest.Result r =
        heap("funnel", "--config", config, "--jdbc", url, "--steps", "a,b", "--window", "range", "--from", "2024-01-10", "--to", "2024-01-10",
            "--format", "json");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode rows = new ObjectMapper().readTree(r.out());
    assertThat(rows.get(1).get("entered").asLong()).isEqualTo(2);
    HeapCliTest.Result text = heap("funnel", "--config", config, "--jdbc", url, "--steps", "a,b", "--window", "RANGE", "--to", "2024-01-10");
    assertThat(text.code()).as(text.err()).isZero();
    assertThat(text.out()).contains("window to the range's end");
    HeapCliTest.Result bad = heap("funnel", "--config", config, "--jdbc", url, "--steps", "a,b", "--window", "ranges");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("or range (to the end of --to), got \"ranges\"");
  }

  /**
   * {@code --time-zone}: the days of {@code --from}, {@code --to} and the trend's periods are the zone's.
   * Every event here is on January 10th between 10:00 and 11:00 UTC, which in Kiritimati (UTC+14) is
   * January 11th from midnight: that zone's 10th ends at 10:00 UTC, before any of them.
   */
  @Test
  void daysInAnotherTimeZone() throws IOException {
    ObjectMapper json = new ObjectMapper();
    HeapCliTest.Result tenth =
        heap("funnel", "--config", config, "--jdbc", url, "--steps", "a,b", "--from", "2024-01-10", "--to", "2024-01-10",
            "--time-zone", "Pacific/Kiritimati", "--format", "json");
    assertThat(tenth.code()).as(tenth.err()).isZero();
    assertThat(json.readTree(tenth.out())).as("nobody entered: no rows").isEmpty();
    HeapCliTest.Result eleventh =
        heap("funnel", "--config", config, "--jdbc", url, "--steps", "a,b", "--from", "2024-01-11", "--to", "2024-01-11",
            "--time-zone", "Pacific/Kiritimati", "--format", "json");
    assertThat(json.readTree(eleventh.out()).get(0).get("entered").asLong()).isEqualTo(3);
    HeapCliTest.Result trend =
        heap("funnel", "--config", config, "--jdbc", url, "--steps", "a,b", "--trend", "day", "--time-zone", "Pacific/Kiritimati", "--format", "csv");
    assertThat(trend.code()).as(trend.err()).isZero();
    assertThat(trend.out()).contains("2024-01-11").doesNotContain("2024-01-10");
    HeapCliTest.Result retention = heap("retention", "--config", config, "--jdbc", url, "--time-zone", "Pacific/Kiritimati", "--format", "csv");
    assertThat(retention.code()).as(retention.err()).isZero();
    assertThat(retention.out()).contains("2024-01-11").doesNotContain("2024-01-10");
    // UTC, the default, said or not
    assertThat(heap("funnel", "--config", config, "--jdbc", url, "--steps", "a,b", "--trend", "day", "--time-zone", "UTC", "--format", "csv").out())
        .isEqualTo(heap("funnel", "--config", config, "--jdbc", url, "--steps", "a,b", "--trend", "day", "--format", "csv").out())
        .contains("2024-01-10");

    HeapCliTest.Result offset = heap("funnel", "--config", config, "--jdbc", url, "--steps", "a,b", "--time-zone", "+05:00");
    assertThat(offset.code()).isEqualTo(2);
    assertThat(offset.err())
        .contains("--time-zone")
        .contains("expected the name of a time zone such as Europe/Paris or America/New_York (IANA), got +05:00: warehouses read a bare offset differently");
    HeapCliTest.Result unknown = heap("retention", "--config", config, "--jdbc", url, "--time-zone", "Europe/Pariss");
    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.err()).contains("--time-zone").contains("got \"Europe/Pariss\"");
  }

  /**
   * Nobody entered because a step names no event at all (a typo, another case): heap says which, on
   * standard error, so the report itself stays what it was.
   */
  @Test
  void aFunnelNobodyEnteredNamesTheStepsNoEventHas() throws Exception {
    HeapCliTest.Result r = heap("funnel", "--config", config, "--jdbc", url, "--steps", "A,b,refund", "--format", "json");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(new ObjectMapper().readTree(r.out())).isEmpty();
    assertThat(r.err())
        .contains(
            "heap: no event in stg_heap_events_all_inc_fct is named \"A\" (step 1), \"refund\" (step 3); step names match event"
                + " names exactly, case included");
  }

  /** A later step names no event: it reads as everybody dropping off there, so heap says so too. */
  @Test
  void aStepNobodyReachedBecauseNoEventHasItsNameIsNamed() throws Exception {
    HeapCliTest.Result r = heap("funnel", "--config", config, "--jdbc", url, "--steps", "a,purchse", "--format", "json");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(new ObjectMapper().readTree(r.out()).get(1).get("entered").asLong()).isZero();
    assertThat(r.err())
        .contains(
            "heap: no event in stg_heap_events_all_inc_fct is named \"purchse\" (step 2); step names match event names exactly,"
                + " case included");
    // a step nobody reached, whose event exists: no such line
    HeapCliTest.Result real = heap("funnel", "--config", config, "--jdbc", url, "--steps", "b,a", "--ordering", "strict", "--format", "json");
    assertThat(real.err()).doesNotContain("no event in");
  }

  /** A list written with spaces after its commas asks for names that begin with a space: the hint names the event meant. */
  @Test
  void aStepWithASpaceOfTheListIsToldFromTheEventMeant() {
    HeapCliTest.Result r = heap("funnel", "--config", config, "--jdbc", url, "--steps", "a, b, purchse", "--exclude", " a", "--format", "json");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err())
        .contains(
            "heap: no event in stg_heap_events_all_inc_fct is named \" b\" (\"b\" is an event: a list is split at its commas only, its"
                + " spaces kept) (step 2), \" purchse\" (step 3); step names match event names exactly, case included")
        .contains("is named \" a\" (\"a\" is an event: a list is split at its commas only, its spaces kept) (--exclude: it excludes nothing)");
  }

  /** Steps are numbered from 1 in every message of the command, as in its ranges and reports (the funnel's settings count from 0). */
  @Test
  void stepsAreNumberedFromOneInMessages() {
    HeapCliTest.Result empty = heap("funnel", "--config", config, "--jdbc", url, "--steps", "a,,b");
    assertThat(empty.code()).isEqualTo(2);
    assertThat(empty.err().strip()).startsWith("heap: --steps: step 2: expected a non-empty name");
    HeapCliTest.Result alsoAStep = heap("funnel", "--config", config, "--jdbc", url, "--steps", "a,b", "--exclude", "b");
    assertThat(alsoAStep.code()).isEqualTo(2);
    assertThat(alsoAStep.err().strip()).startsWith("heap: --exclude: \"b\" is also a step (step 2)");
  }

  /** An exclusion no event is named excludes nothing, whatever the result: said every time, the report unchanged. */
  @Test
  void anExclusionNoEventIsNamedIsSaid() throws Exception {
    HeapCliTest.Result plain = heap("funnel", "--config", config, "--jdbc", url, "--steps", "a,b", "--format", "json");
    HeapCliTest.Result r = heap("funnel", "--config", config, "--jdbc", url, "--steps", "a,b", "--exclude", "Refund,purchase:1-2", "--format", "json");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err().strip())
        .isEqualTo("heap: no event in stg_heap_events_all_inc_fct is named \"Refund\" (--exclude: it excludes nothing); exclusions match"
            + " event names exactly, case included");
    HeapCliTest.Result known = heap("funnel", "--config", config, "--jdbc", url, "--steps", "a,b", "--exclude", "purchase:1-2", "--format", "json");
    assertThat(known.err()).doesNotContain("no event in");
    assertThat(plain.err()).doesNotContain("no event in");
  }

  @Test
  void funnelAsATable() {
    HeapCliTest.Result r = heap("funnel", "--config", config, "--jdbc", url, "--steps", "a,b");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out().lines().toList())
        .containsExactly(
            "Funnel a > b (ordered, per user, window 14d)",
            "  step  event  entered  % of first  % of previous  drop-off  median time  avg time",
            "     1  a            3       100.0              -         -           0s        0s",
            "     2  b            2        66.7           66.7         1      35m 00s   35m 00s");
  }

  @Test
  void anExclusionBetweenTwoStepsLeavesTheUserOut() {
    // purchase between a and b: user 2 bought without reaching b (nothing needs to follow the
    // exclusion) and is counted nowhere; user 1 bought after b; user 3 never bought
    HeapCliTest.Result r = heap("funnel", "--config", config, "--jdbc", url, "--steps", "a,b", "--exclude", "purchase:1-2", "--format", "csv");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .isEqualTo(
            """
            step,event,entered,conversion_from_first,conversion_from_previous,drop_off,median_seconds_from_first,avg_seconds_from_first
            1,a,2,1,,,0,0
            2,b,2,1,1,0,2100,2100
            """);
    // the whole funnel is 1-2 here: the same
    assertThat(heap("funnel", "--config", config, "--jdbc", url, "--steps", "a,b", "--exclude", "purchase", "--format", "csv").out()).isEqualTo(r.out());
  }

  @Test
  void aTrendPerWeekOfEntry() {
    // everyone started on Wednesday 10 January 2024, in the week of Monday the 8th; users 1 and 3 converted
    HeapCliTest.Result csv = heap("funnel", "--config", config, "--jdbc", url, "--steps", "a,b", "--trend", "week", "--format", "csv");
    assertThat(csv.code()).as(csv.err()).isZero();
    assertThat(csv.out()).isEqualTo("period,entered,converted,conversion\n2024-01-08,3,2,0.6666666666666666\n");
    HeapCliTest.Result byChannel =
        heap("funnel", "--config", config, "--jdbc", url, "--steps", "a,b", "--trend", "DAY", "--breakdown", "channel", "--format", "json");
    assertThat(byChannel.out()).contains("\"channel\" : \"Direct\"", "\"period\" : \"2024-01-10\"", "\"entered\" : 2", "\"converted\" : 2");
    HeapCliTest.Result table = heap("funnel", "--config", config, "--jdbc", url, "--steps", "a,b", "--trend", "month");
    assertThat(table.out().lines().toList())
        .containsExactly(
            "Funnel a > b (ordered, per user, window 14d) per month of entry",
            "  period      entered  converted  conversion %",
            "  2024-01-01        3          2          66.7");
  }

  @Test
  void aTimeToConvertHistogram() {
    // users 1 and 3 reached b, 600 and 3600 s after a: two units, ⌈∛2⌉ = 2 bins of 1500 s from 600
    HeapCliTest.Result csv = heap("funnel", "--config", config, "--jdbc", url, "--steps", "a,b", "--time-to-convert", "1-2", "--format", "csv");
    assertThat(csv.code()).as(csv.err()).isZero();
    assertThat(csv.out()).isEqualTo("bin,from_seconds,to_seconds,units,share\n1,600,2100,1,0.5\n2,2100,3600,1,0.5\n");
    // three bins of 1000 s: the middle one is empty and listed
    HeapCliTest.Result three = heap("funnel", "--config", config, "--jdbc", url, "--steps", "a,b", "--time-to-convert", "1-2", "--bins", "3");
    assertThat(three.out().lines().toList())
        .containsExactly(
            "Time to convert from a to b in funnel a > b (ordered, per user, window 14d)",
            "  bin     from         to  units  share %",
            "    1  10m 00s  < 26m 40s      1     50.0",
            "    2  26m 40s  < 43m 20s      0      0.0",
            "    3  43m 20s  <= 1h 00m      1     50.0",
            "  2 units");
  }

  @Test
  void theBreakdownMayComeFromAnotherStep() {
    // step 2's session: users 1 and 3 are Direct; user 2 never reached b and has no value
    HeapCliTest.Result r =
        heap(
            "funnel", "--config", config, "--jdbc", url, "--steps", "a,b", "--breakdown", "channel", "--breakdown-attribution", "step:2",
            "--format", "csv");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .isEqualTo(
            """
            channel,step,event,entered,conversion_from_first,conversion_from_previous,drop_off,median_seconds_from_first,avg_seconds_from_first
            Direct,1,a,2,1,,,0,0
            Direct,2,b,2,1,1,0,2100,2100
            ,1,a,1,1,,,0,0
            ,2,b,0,0,0,1,,
            """);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "--exclude x:2-1|heap: --exclude: \"x:2-1\": expected two of the 3 steps, the first before the second, e.g. 1-3 (see: heap funnel --help)",
        "--exclude x:0-2|heap: --exclude: \"x:0-2\": expected two of the 3 steps, the first before the second, e.g. 1-3 (see: heap funnel --help)",
        "--exclude x:1-4|heap: --exclude: \"x:1-4\": expected two of the 3 steps, the first before the second, e.g. 1-3 (see: heap funnel --help)",
        "--exclude x:1-|heap: --exclude: \"x:1-\": expected two step numbers FROM-TO, e.g. refund:2-3 (see: heap funnel --help)",
        "--exclude x:1-2 --ordering any_order|heap: --exclude: an any_order funnel excludes only between its first and last step (1-3), got 1-2 (see: heap funnel --help)",
        "--time-to-convert 3-1|heap: --time-to-convert: \"3-1\": expected two of the 3 steps, the first before the second, e.g. 1-3 (see: heap funnel --help)",
        "--time-to-convert one-three|heap: --time-to-convert: \"one-three\": expected two step numbers FROM-TO, e.g. 1-3 (see: heap funnel --help)",
        "--time-to-convert 1-3 --bins 0|heap: --bins: expected 1 to 100 bins, got 0 (see: heap funnel --help)",
        "--time-to-convert 1-3 --breakdown channel|heap: --time-to-convert: gives one histogram for all units; remove the breakdown (channel) (see: heap funnel --help)",
        "--bins 5|heap: --bins: goes with --time-to-convert (see: heap funnel --help)",
        "--trend week --time-to-convert 1-2|heap: --trend and --time-to-convert: choose one (see: heap funnel --help)",
        "--breakdown-attribution last|heap: --breakdown-attribution: is last but the funnel has no breakdown (see: heap funnel --help)",
        "--breakdown channel --breakdown-attribution step:4|heap: --breakdown-attribution: step 4 of a funnel of 3 steps (see: heap funnel --help)",
      })
  void badFunnelViewOptionsAreNamed(String argsAndMessage) {
    String[] parts = argsAndMessage.split("\\|");
    List<Object> argv = new java.util.ArrayList<>(List.of("funnel", "--config", config, "--jdbc", url, "--steps", "a,b,purchase"));
    argv.addAll(List.of(parts[0].split(" ")));
    HeapCliTest.Result r = heap(argv.toArray());
    assertThat(r.code()).as(r.out() + r.err()).isEqualTo(2);
    assertThat(r.err().lines().filter(l -> !l.startsWith("INFO")).toList()).containsExactly(parts[1]);
    assertThat(r.out()).isEmpty();
  }

  @Test
  void attributionAsCsvQuotesAValueWithAComma() {
    // last touch: user 1's purchase to session 1, user 2's to session 2
    HeapCliTest.Result byChannel = heap("attribution", "--config", config, "--jdbc", url, "--model", "last_touch", "--format", "csv");
    assertThat(byChannel.code()).as(byChannel.err()).isZero();
    assertThat(byChannel.out()).isEqualTo("channel,conversions,value\nDirect,1,\nOrganic Search,1,\n");
    HeapCliTest.Result byCampaign =
        heap("attribution", "--config", config, "--jdbc", url, "--model", "linear", "--by", "utm_campaign", "--format", "csv");
    assertThat(byCampaign.out()).isEqualTo("utm_campaign,conversions,value\n\"spring, sale\",1,\n,1,\n");
    // b: user 1's to session 1 (no campaign: an empty field), user 3's to session 3 (an empty campaign: "")
    HeapCliTest.Result emptyAndNull =
        heap("attribution", "--config", config, "--jdbc", url, "--model", "last_touch", "--by", "utm_campaign", "--conversion-events", "b",
            "--format", "csv");
    assertThat(emptyAndNull.out().lines().sorted().toList()).containsExactly("\"\",1,", ",1,", "utm_campaign,conversions,value");
  }

  /**
   * A campaign a visitor wrote into the URL (`?utm_campaign==HYPERLINK(…)`) reaches the CSV as text that a
   * spreadsheet would run: it gets a {@code '} before it, as does any text beginning with {@code -},
   * {@code +} or {@code @}; numbers keep their sign, and JSON keeps the text as it is.
   */
  @Test
  void attributionAsCsvDefusesATextASpreadsheetWouldRun() throws SQLException, IOException {
    Warehouse w = Database.warehouseOf(url);
    String link = "=HYPERLINK(\"https://evil.example/\",\"spring\")";
    try (Connection db = DriverManager.getConnection(url);
        Statement s = db.createStatement()) {
      String fact = w.table(Optional.empty(), "heap_models", "stg_heap_sessions_inc_fct").qualified();
      s.executeUpdate("UPDATE " + fact + " SET heap_session_utm_campaign = '" + link.replace("'", "''") + "' WHERE heap_session_id = 1");
      s.executeUpdate("UPDATE " + fact + " SET heap_session_utm_campaign = '@SUM(1+1)' WHERE heap_session_id = 2");
    }
    HeapCliTest.Result csv =
        heap("attribution", "--config", config, "--jdbc", url, "--model", "last_touch", "--by", "utm_campaign", "--format", "csv");
    assertThat(csv.code()).as(csv.err()).isZero();
    // user 1's purchase to session 1, user 2's to session 2; RFC 4180 quotes the link for its quotes
    assertThat(csv.out().lines().sorted().toList())
        .containsExactly("\"'=HYPERLINK(\"\"https://evil.example/\"\",\"\"spring\"\")\",1,", "'@SUM(1+1),1,", "utm_campaign,conversions,value");
    HeapCliTest.Result json =
        heap("attribution", "--config", config, "--jdbc", url, "--model", "last_touch", "--by", "utm_campaign", "--format", "json");
    List<String> campaigns = new ArrayList<>();
    new ObjectMapper().readTree(json.out()).forEach(row -> campaigns.add(row.get("utm_campaign").asText()));
    assertThat(campaigns).containsExactlyInAnyOrder(link, "@SUM(1+1)");
  }

  @Test
  void attributionAsJsonAndAsATable() throws IOException {
    HeapCliTest.Result json =
        heap("attribution", "--config", config, "--jdbc", url, "--model", "time_decay", "--lookback", "30d", "--collapse-repeats", "--format", "json");
    assertThat(json.code()).as(json.err()).isZero();
    JsonNode rows = new ObjectMapper().readTree(json.out());
    assertThat(rows).hasSize(2);
    assertThat(rows.get(0).get("channel").asText()).isEqualTo("Direct");
    assertThat(rows.get(0).get("conversions").asDouble()).isEqualTo(1.0);
    assertThat(rows.get(0).get("value").isNull()).isTrue();
    HeapCliTest.Result table = heap("attribution", "--config", config, "--jdbc", url, "--model", "first_touch");
    assertThat(table.out().lines().toList())
        .containsExactly(
            "Attribution (first_touch, by channel, lookback 14d)",
            // no value column: this attribution credits no value
            "  channel         conversions  share %",
            "  Direct                 1.00     50.0",
            "  Organic Search         1.00     50.0",
            "  2 conversions");
    // every earlier session (Heap's "initial" session): the same two here, each user having one
    HeapCliTest.Result initial = heap("attribution", "--config", config, "--jdbc", url, "--model", "first_touch", "--lookback", "all");
    assertThat(initial.code()).as(initial.err()).isZero();
    assertThat(initial.out().lines().toList()).first().isEqualTo("Attribution (first_touch, by channel, lookback all)");
    assertThat(initial.out().lines().skip(1).toList()).isEqualTo(table.out().lines().skip(1).toList());
    HeapCliTest.Result forever = heap("attribution", "--config", config, "--jdbc", url, "--lookback", "forever");
    assertThat(forever.code()).isEqualTo(2);
    assertThat(forever.err()).contains("--lookback").contains("or all (every earlier session), got \"forever\"");
    // conversion events from the command line: the b events of users 1 and 3, both in direct sessions
    HeapCliTest.Result other =
        heap("attribution", "--config", config, "--jdbc", url, "--model", "last_touch", "--conversion-events", "b", "--format", "csv");
    assertThat(other.out()).isEqualTo("channel,conversions,value\nDirect,2,\n");
    assertThat(other.err()).doesNotContain("no event in");
  }

  /** No conversion because a conversion event names no event (a typo, another case): said, as for a funnel. */
  @Test
  void anAttributionWithoutConversionsNamesTheEventsNoneHas() {
    HeapCliTest.Result typo =
        heap("attribution", "--config", config, "--jdbc", url, "--model", "last_touch", "--conversion-events", "B,purchse,b");
    assertThat(typo.code()).as(typo.err()).isZero();
    // b converts: a result with conversions in it stands without a hint, as a funnel with entries does
    assertThat(typo.err()).doesNotContain("no event in");
    HeapCliTest.Result none =
        heap("attribution", "--config", config, "--jdbc", url, "--model", "last_touch", "--conversion-events", "B,purchse", "--format", "csv");
    assertThat(none.code()).as(none.err()).isZero();
    assertThat(none.out()).isEqualTo("channel,conversions,value\n");
    assertThat(none.err())
        .contains(
            "heap: no event in stg_heap_events_all_inc_fct is named \"B\", \"purchse\"; --conversion-events match event names exactly,"
                + " case included");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "funnel --steps a --window -1d",
        "funnel --steps a --window 0s",
        "funnel --steps a --ordering loose",
        "funnel --steps a --unit account",
        "funnel --steps a --breakdown utm_sauce",
        "funnel --steps a --format xml",
        "funnel --steps a,a --ordering any_order",
        "funnel --steps a --exclude a",
        "funnel --steps a --from 2024-02-01 --to 2024-01-01",
        "funnel --steps a --from yesterday",
        "funnel --steps a,b --trend year",
        "funnel --steps a,b --breakdown-attribution middle",
        "funnel --steps a,b --time-to-convert 1-2 --bins many",
        "funnel --window 7d",
        "attribution --model shapley",
        "attribution --model linear --by campaign",
        "attribution --model linear --lookback 7 days",
        "attribution --model position_based --position-weights 50/20/40",
        "attribution --model position_based --position-weights 40-20-40",
        // another model's option: it changed nothing, silently
        "attribution --model linear --half-life 3d",
        "attribution --model time_decay --position-weights 30/40/30",
        "attribution",
      })
  void badArgumentsExitWithTwoAndOneLine(String args) {
    List<Object> argv = new java.util.ArrayList<>(List.of(args.split(" ")));
    argv.add(1, "--config");
    argv.add(2, config);
    argv.add(3, "--jdbc");
    argv.add(4, url);
    HeapCliTest.Result r = heap(argv.toArray());
    assertThat(r.code()).as(r.out() + r.err()).isEqualTo(2);
    assertThat(r.err().lines().filter(l -> !l.startsWith("INFO")).toList()).singleElement().asString().startsWith("heap: ");
    assertThat(r.out()).isEmpty();
  }

  /** A suggested heap run names the database without the setting that opens it read-only, which heap run refuses. */
  @Test
  void aSuggestedRunDropsTheReadOnlySetting() {
    assertThat(AnalysisOptions.writable("jdbc:duckdb:./heap.duckdb;access_mode=READ_ONLY")).isEqualTo("jdbc:duckdb:./heap.duckdb");
    assertThat(AnalysisOptions.writable("jdbc:duckdb:./h.duckdb;ACCESS_MODE=read_only;threads=2")).isEqualTo("jdbc:duckdb:./h.duckdb;threads=2");
    assertThat(AnalysisOptions.writable("jdbc:h2:file:./db;ACCESS_MODE_DATA=r")).isEqualTo("jdbc:h2:file:./db");
    assertThat(AnalysisOptions.writable("jdbc:h2:file:./db;ACCESS_MODE_DATA=rw")).isEqualTo("jdbc:h2:file:./db;ACCESS_MODE_DATA=rw");
  }

  /** The commands heap tells a user to run name their config and database as words a shell reads back. */
  @Test
  void suggestedCommandsQuoteTheirWordsForAShell() {
    assertThat(AnalysisOptions.shellWord("/tmp/heap.yml")).isEqualTo("/tmp/heap.yml");
    assertThat(AnalysisOptions.shellWord("/tmp/my dir/it's.yml")).isEqualTo("'/tmp/my dir/it'\\''s.yml'");
    assertThat(AnalysisOptions.shellWord("jdbc:h2:file:./db;ACCESS_MODE_DATA=r")).isEqualTo("'jdbc:h2:file:./db;ACCESS_MODE_DATA=r'");
    assertThat(AnalysisOptions.configArgument(io.heapsdk.config.HeapConfig.defaults())).isEmpty();
  }

  /** Percentages are checked as percentages: 50/10/30 was said to sum to "0.8999999999999999" (shares, in binary). */
  @Test
  void positionWeightsArePercentagesAddingUpTo100() {
    HeapCliTest.Result short10 = heap("attribution", "--config", config, "--jdbc", url, "--model", "position_based", "--position-weights", "50/10/30");
    assertThat(short10.code()).isEqualTo(2);
    assertThat(short10.err().strip()).isEqualTo("heap: --position-weights: the three percentages must add up to 100, got 50 + 10 + 30 = 90 (see: heap attribution --help)");
    HeapCliTest.Result negative = heap("attribution", "--config", config, "--jdbc", url, "--model", "position_based", "--position-weights", "-10/60/50");
    assertThat(negative.code()).isEqualTo(2);
    assertThat(negative.err().strip()).isEqualTo("heap: --position-weights: percentages cannot be negative, got -10/60/50 (see: heap attribution --help)");
    // thirds as people write them: 33.4 + 33.3 + 33.3 is 100 in decimal, not quite in binary
    HeapCliTest.Result thirds = heap(
        "attribution", "--config", config, "--jdbc", url, "--model", "position_based", "--position-weights", "33.4/33.3/33.3", "--format", "csv");
    assertThat(thirds.code()).as(thirds.err()).isZero();
  }

  @Test
  void factsThatWereNeverBuiltAreAUsageError() {
    String unbuilt = "jdbc:h2:file:" + tmp.resolve("unbuilt");
    assertThat(heap("sample", "--config", config, "--jdbc", unbuilt, "--users", 0).code()).isZero();
    HeapCliTest.Result r = heap("funnel", "--config", config, "--jdbc", unbuilt, "--steps", "a");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("STG_HEAP_EVENTS_ALL_INC_FCT", "not found", "heap run");
  }

  @Test
  void stepsMayHoldQuotes() throws IOException {
    // R5: picocli's quote-aware splitting warned "Unbalanced quotes" naming a Java field, and kept the quotes' meaning
    HeapCliTest.Result r =
        heap("funnel", "--config", config, "--jdbc", url, "--steps", "a,q'uote,dq\"uote", "--exclude", "x'y,\"z", "--format", "json");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).doesNotContain("WARN", "Unbalanced", "io.heapsdk");
    JsonNode rows = new ObjectMapper().readTree(r.out());
    assertThat(rows).extracting(row -> row.get("event").asText()).containsExactly("a", "q'uote", "dq\"uote");
    assertThat(rows).extracting(row -> row.get("entered").asLong()).containsExactly(3L, 0L, 0L);
    // a repeated option adds its steps
    HeapCliTest.Result repeated = heap("funnel", "--config", config, "--jdbc", url, "--steps", "a", "--steps", "b", "--format", "csv");
    assertThat(repeated.out()).isEqualTo(heap("funnel", "--config", config, "--jdbc", url, "--steps", "a,b", "--format", "csv").out());
  }

  /**
   * Facts of the same names that no heap run built (an older dbt project's, moved over, with its own
   * channel logic): an analysis says so on standard error and reports as usual. Before, it reported
   * their numbers as heap's, exit 0, without a word (found moving a team's dbt tables to heap).
   */
  @Test
  void factsNoHeapRunBuiltAreSaidToBe() throws SQLException {
    HeapCliTest.Result built = heap("funnel", "--config", config, "--jdbc", url, "--steps", "a,b", "--format", "csv");
    assertThat(built.code()).as(built.err()).isZero();
    assertThat(built.err()).doesNotContain("no heap run has built");
    Warehouse w = Database.warehouseOf(url);
    try (Connection db = DriverManager.getConnection(url);
        Statement s = db.createStatement()) {
      for (String state : List.of("heap__runs", "heap__model_state", "heap__run_lock", "heap__run_settings")) {
        s.execute("DROP TABLE " + w.table(Optional.empty(), "heap_models", state).qualified());
      }
    }
    HeapCliTest.Result r = heap("funnel", "--config", config, "--jdbc", url, "--steps", "a,b", "--format", "csv");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo(built.out());
    assertThat(r.err())
        .contains(
            "heap: no heap run has built the tables in heap_models (there is no run state there): these numbers come from tables"
                + " of the same names built some other way; heap run --config " + config + " --jdbc " + url + " builds them");
  }

  /**
   * A config edited since the last run (a conversion event removed): the attribution counted the old
   * definition's conversions from the events fact, exit 0, without a word, while {@code heap status}
   * knew. Now it says which facts hold another definition; after {@code heap run}, nothing.
   */
  @Test
  void factsBuiltWithAnotherDefinitionAreSaidToBe() throws IOException {
    Path edited = tmp.resolve("edited.yml");
    Files.writeString(edited, CONFIG_YAML.replace("conversion_events: [purchase]", "conversion_events: [b]"));
    HeapCliTest.Result before = heap("attribution", "--config", config, "--jdbc", url, "--model", "last_touch", "--format", "csv");
    assertThat(before.code()).as(before.err()).isZero();
    assertThat(before.err()).doesNotContain("another definition");

    HeapCliTest.Result stale = heap("attribution", "--config", edited, "--jdbc", url, "--model", "last_touch", "--format", "csv");
    assertThat(stale.code()).as(stale.err()).isZero();
    assertThat(stale.err())
        .contains(
            // the events fact's query names the conversion events; the sessions fact's reads them from it, so
            // its counts are the old definition's too (it used to go unnamed)
            "heap: stg_heap_events_all_inc_fct, stg_heap_sessions_inc_fct (downstream of stg_heap_events_all_inc_fct) were built"
                + " with another definition than this config's"
                + " (conversion events, channels, funnel steps, …; heap status --config " + edited + " --jdbc " + url + " names what the"
                + " next run rebuilds): these numbers are the old definition's until heap run --config " + edited + " --jdbc " + url
                + " rebuilds them");
    // without --config: the heap run and heap status it named refuse the defaults on these facts; it asks for the config
    HeapCliTest.Result defaults = heap("funnel", "--jdbc", url, "--steps", "a,b", "--format", "csv");
    assertThat(defaults.code()).as(defaults.err()).isZero();
    assertThat(defaults.err())
        // (a funnel reads the events fact alone)
        .contains("heap: no --config given, so every default applies, and stg_heap_events_all_inc_fct was built with another"
            + " definition (a config's, it seems): give the config it was built with (--config FILE); these numbers mix the"
            + " defaults with what the tables hold")
        .doesNotContain("until heap run");
    assertThat(heap("run", "--config", edited, "--jdbc", url).code()).isZero();
    HeapCliTest.Result after = heap("attribution", "--config", edited, "--jdbc", url, "--model", "last_touch", "--format", "csv");
    assertThat(after.err()).doesNotContain("another definition");
  }

  /**
   * A database opened read-only (an H2 file the user may only read, or {@code ACCESS_MODE_DATA=r}; DuckDB's
   * {@code access_mode=READ_ONLY}): on H2 the funnel stored its shared CTEs in temporary tables, which
   * such a database refuses ("The database is read only"); now it runs as one SELECT there, with the
   * same rows.
   */
  @Test
  void aFunnelRunsOnADatabaseOpenedReadOnly() {
    HeapCliTest.Result written = heap("funnel", "--config", config, "--jdbc", url, "--steps", "a,b", "--format", "csv");
    String readOnlyUrl = url + (url.startsWith("jdbc:h2:") ? ";ACCESS_MODE_DATA=r" : ";access_mode=READ_ONLY");
    HeapCliTest.Result readOnly = heap("funnel", "--config", config, "--jdbc", readOnlyUrl, "--steps", "a,b", "--format", "csv");
    assertThat(readOnly.code()).as(readOnly.err()).isZero();
    assertThat(readOnly.out()).isEqualTo(written.out()).contains("a,3");
    // a run there is refused before its first statement, a usage mistake (exit 2, not "the run state failed")
    HeapCliTest.Result run = heap("run", "--config", config, "--jdbc", readOnlyUrl);
    assertThat(run.code()).as(run.err()).isEqualTo(2);
    assertThat(run.err()).startsWith("heap: " + readOnlyUrl + " is open read-only (the URL asks for it, or the file may not be written)");
  }

  @Test
  void aFailingQueryIsADatabaseFailure() throws SQLException {
    String broken = "jdbc:h2:file:" + tmp.resolve("broken");
    assertThat(heap("sample", "--config", config, "--jdbc", broken, "--users", 0).code()).isZero();
    try (Connection db = DriverManager.getConnection(broken);
        Statement s = db.createStatement()) {
      // a table of the fact's name without the fact's columns
      s.execute("CREATE SCHEMA \"HEAP_MODELS\"");
      s.execute("CREATE TABLE \"HEAP_MODELS\".\"STG_HEAP_EVENTS_ALL_INC_FCT\" (\"X\" INT)");
    }
    HeapCliTest.Result r = heap("funnel", "--config", config, "--jdbc", broken, "--steps", "a");
    assertThat(r.code()).isEqualTo(1);
    // a table heap did not build: said first, then the failure
    assertThat(r.err().lines().toList()).hasSize(2).first().asString().startsWith("heap: no heap run has built the tables in");
    assertThat(r.err().lines().toList().get(1)).startsWith("heap: analysis funnel failed on h2: Column ").contains("not found");
  }
}
