package io.heapsdk.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.heapsdk.cli.HeapCli;
import io.heapsdk.config.HeapConfig;
import io.heapsdk.config.HeapConfigLoader;
import io.heapsdk.docs.DocsSite;
import io.heapsdk.model.HeapProject;
import io.heapsdk.model.PlannedModel;
import io.heapsdk.report.ChartFixtures;
import io.heapsdk.report.FunnelChart;
import io.heapsdk.report.HeatMap;
import io.heapsdk.report.Histogram;
import io.heapsdk.report.PathTree;
import io.heapsdk.run.SourceTables;
import io.heapsdk.warehouse.Warehouses;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every kind of HTML page heap writes, opened in a real headless Chromium: the charts of {@code heap
 * funnel}, {@code heap attribution}, {@code heap retention} and {@code heap paths} (numbers compared with
 * the CSV output of the same analysis, labels with hostile text compared character for character), the
 * demo's charts, every page of a {@code heap docs} site (every lineage node links to a page that exists;
 * the SQL shown is the SQL compiled), and the fixture with every chart type. Each page must load without a console error (a blocked load, a
 * policy violation, a script error), and leaves a screenshot in {@code target/browser-check/}.
 *
 * <p>Chromium is required: without it the test fails, unless the build is run with
 * {@code -Dheap.browser.required=false}, which skips it with a message. {@code .ci/run} installs Debian's
 * {@code chromium}; {@code -Dheap.browser.chromium=PATH} names another.
 */
class BrowserCheckTest {
  private static final Path OUT = Path.of(System.getProperty("heap.browser.output", "target/browser-check"));

  private static HeadlessChromium chromium;
  private static Path work;

  @BeforeAll
  static void startChromium() throws Exception {
    boolean required = !"false".equalsIgnoreCase(System.getProperty("heap.browser.required", "true").strip());
    Optional<Path> executable = HeadlessChromium.find();
    if (executable.isEmpty()) {
      String why = "no Chromium found (chromium, chromium-browser or google-chrome on the PATH, or -Dheap.browser.chromium=PATH)";
      if (required) {
        fail(why + ": install Debian's chromium (apt-get install chromium; .ci/run does), or skip the browser check with -Dheap.browser.required=false");
      }
      System.err.println("Browser check skipped: " + why + ", and -Dheap.browser.required=false");
      Assumptions.abort(why + "; skipped because -Dheap.browser.required=false");
    }
    Files.createDirectories(OUT);
    work = OUT.resolve("pages");
    deleteTree(work);
    Files.createDirectories(work);
    chromium = HeadlessChromium.start(executable.get(), OUT.resolve("chromium.log"));
    System.err.println("Browser check with " + chromium.version() + " (" + executable.get() + ")");
  }

  @AfterAll
  static void stopChromium() throws IOException {
    if (chromium != null) {
      chromium.close();
    }
  }

  // ------------------------------------------------------------------ analyses: the page equals the CSV

  @Test
  void funnelAndAttributionChartsCarryTheNumbersOfTheCsv() throws IOException {
    Path config = write(work.resolve("sample/heap.yml"), io.heapsdk.sample.SampleData.DEMO_CONFIG_YAML);
    String url = "jdbc:h2:file:" + work.resolve("sample/db").toAbsolutePath();
    ok(heap("sample", "--config", config, "--jdbc", url, "--users", 300, "--seed", 7));
    ok(heap("run", "--config", config, "--jdbc", url));
    Object[] base = {"--config", config, "--jdbc", url};
    String steps = "view_product,add_to_cart,begin_checkout,purchase";

    funnel("funnel", join(base, "--steps", steps, "--window", "7d"), null);
    funnel("funnel-by-channel", join(base, "--steps", steps, "--breakdown", "channel"), "channel");
    trend("trend-by-channel", join(base, "--steps", steps, "--trend", "week", "--breakdown", "channel"), "channel");
    trend("trend", join(base, "--steps", steps, "--trend", "day", "--exclude", "sign_up:1-2"), null);
    timeToConvert("time-to-convert", join(base, "--steps", steps, "--time-to-convert", "1-4", "--bins", 8));
    attribution("attribution", join(base, "--model", "position_based"), "channel");
    attribution("attribution-by-source", join(base, "--model", "linear", "--by", "utm_source", "--lookback", "30d"), "utm_source");
  }

  @Test
  void retentionAndPathsChartsCarryTheNumbersOfTheCsv() throws IOException {
    Path config = write(work.resolve("sample-rp/heap.yml"), io.heapsdk.sample.SampleData.DEMO_CONFIG_YAML);
    String url = "jdbc:h2:file:" + work.resolve("sample-rp/db").toAbsolutePath();
    ok(heap("sample", "--config", config, "--jdbc", url, "--users", 300, "--seed", 7));
    ok(heap("run", "--config", config, "--jdbc", url));
    Object[] base = {"--config", config, "--jdbc", url};

    retention("retention", join(base, "--period", "week", "--periods", 4), null);
    // utm_source is NULL for the sessions without one: a map of its own, marked data-series-null
    List<JsonNode> cells =
        retention(
            "retention-by-source",
            join(base, "--start-event", "view_product", "--return-event", "purchase", "--period", "day", "--periods", 10, "--mode", "on_or_after",
                "--breakdown", "utm_source"),
            "utm_source");
    assertThat(cells.stream().filter(c -> c.path("data").has("seriesNull"))).isNotEmpty();
    paths("paths", join(base, "--from-event", "view_product", "--steps", 3, "--top", 8));
    paths("paths-before", join(base, "--from-event", "purchase", "--before", "--steps", 2, "--unit", "session", "--keep-repeats"));
  }

  /**
   * Runs a funnel trend as CSV and as HTML: one point per CSV row, keyed by breakdown value and period,
   * carrying its conversion and entrants.
   */
  private void trend(String name, Object[] args, String breakdown) throws IOException {
    String text = ok(heap(join(new Object[] {"funnel"}, join(args, "--format", "csv"))));
    List<String> columns = new ArrayList<>(List.of("period", "entered", "converted", "conversion"));
    if (breakdown != null) {
      columns.add(0, breakdown);
    }
    assertThat(Csv.header(text)).containsExactlyElementsOf(columns);
    List<Map<String, String>> csv = Csv.rows(text);
    Path html = work.resolve(name + ".html");
    ok(heap(join(new Object[] {"funnel"}, join(args, "--format", "html", "--out", html))));
    List<JsonNode> points = kind(open(html, name), "point");
    assertThat(points).hasSameSizeAs(csv).isNotEmpty();
    Map<String, JsonNode> byKey = new java.util.HashMap<>();
    for (JsonNode p : points) {
      JsonNode d = p.path("data");
      String series = breakdown == null ? "" : d.has("seriesNull") ? "(null)" : d.path("series").asText();
      assertThat(byKey.put(series + "|" + d.path("label").asText(), d)).as("%s: one point per series and period", name).isNull();
    }
    for (Map<String, String> row : csv) {
      String series = breakdown == null ? "" : row.get(breakdown) == null ? "(null)" : row.get(breakdown);
      JsonNode data = byKey.get(series + "|" + row.get("period"));
      String where = name + " " + row;
      assertThat(data).as(where).isNotNull();
      same(where, data, "value", row.get("conversion"));
      same(where, data, "count", row.get("entered"));
    }
  }

  /** Runs a time to convert as CSV and as HTML: the bins, in order, carry the CSV's bounds and units. */
  private void timeToConvert(String name, Object[] args) throws IOException {
    String text = ok(heap(join(new Object[] {"funnel"}, join(args, "--format", "csv"))));
    assertThat(Csv.header(text)).containsExactly("bin", "from_seconds", "to_seconds", "units", "share");
    List<Map<String, String>> csv = Csv.rows(text);
    Path html = work.resolve(name + ".html");
    ok(heap(join(new Object[] {"funnel"}, join(args, "--format", "html", "--out", html))));
    List<JsonNode> bins = kind(open(html, name), "bin");
    assertThat(bins).hasSameSizeAs(csv).isNotEmpty();
    for (int i = 0; i < csv.size(); i++) {
      Map<String, String> row = csv.get(i);
      JsonNode data = bins.get(i).path("data");
      String where = name + " bin " + row;
      same(where, data, "from", row.get("from_seconds"));
      same(where, data, "to", row.get("to_seconds"));
      same(where, data, "value", row.get("units"));
    }
  }

  /** Event names, channels and a breakdown full of markup, quotes, emoji and right-to-left text, from the database to the page. */
  @Test
  void hostileNamesReachThePageExactly() throws IOException, SQLException {
    String view = "<b>view</b>";
    String cart = "add & \"cart\" 'now'";
    String buy = "購入🛒";
    String ads = "<i>Ads</i> & \"Co\" 📣";
    String fallback = "עברית \u202Eevil";
    Path config =
        write(
            work.resolve("hostile/heap.yml"),
            """
            funnel_events: ["<b>view</b>", "add & \\"cart\\" 'now'", "購入🛒"]
            conversion_events: ["購入🛒"]
            channels:
              fallback: "עברית \\u202Eevil"
              rules:
                - channel: "<i>Ads</i> & \\"Co\\" 📣"
                  when: {field: utm_medium, equals: cpc}
                - channel: Direct
                  when: {field: referrer, is_null: true}
            """);
    String url = "jdbc:h2:file:" + work.resolve("hostile/db").toAbsolutePath();
    HeapConfig c = HeapConfigLoader.load(config);
    assertThat(c.funnelEvents()).containsExactly(view, cart, buy);
    SourceTables sources = new SourceTables(Warehouses.H2, c);
    try (Connection db = DriverManager.getConnection(url)) {
      sources.create(db);
      // users 1 and 5 direct, 2 and 3 from ads, 4 from elsewhere (the fallback channel); 1, 2 and 4 buy
      sources.insert(
          db, "sessions",
          List.of(session(1, 1, null, null), session(2, 2, "https://search.example/", "cpc"), session(3, 3, "https://search.example/", "cpc"),
              session(4, 4, "https://elsewhere.example/", null), session(5, 5, null, null)));
      sources.insert(
          db, "all_events",
          List.of(
              event(11, 1, 1, "10:00", view), event(12, 1, 1, "10:05", cart), event(13, 1, 1, "10:20", buy),
              event(21, 2, 2, "10:00", view), event(22, 2, 2, "10:30", cart), event(23, 2, 2, "10:40", buy),
              event(31, 3, 3, "10:00", view),
              event(41, 4, 4, "10:00", view), event(42, 4, 4, "11:00", cart), event(43, 4, 4, "12:00", buy),
              event(51, 5, 5, "10:00", view),
              // back the next days: users 1 and 4 with the cart, user 2 with a view
              event(14, 1, 1, "2024-01-11T08:00", cart), event(44, 4, 4, "2024-01-12T08:00", cart), event(24, 2, 2, "2024-01-11T09:00", view)));
    }
    ok(heap("run", "--config", config, "--jdbc", url));
    Object[] base = {"--config", config, "--jdbc", url};
    List<JsonNode> steps = funnel("hostile-funnel", join(base, "--steps", String.join(",", view, cart, buy), "--breakdown", "channel"), "channel");
    assertThat(steps.stream().map(s -> s.path("data").path("label").asText()).distinct()).containsExactly(view, cart, buy);
    assertThat(steps.stream().map(s -> s.path("data").path("series").asText()).distinct()).containsExactlyInAnyOrder(ads, "Direct", fallback);
    List<JsonNode> bars = attribution("hostile-attribution", join(base, "--model", "last_touch"), "channel");
    assertThat(bars.stream().map(b -> b.path("data").path("label").asText())).containsExactlyInAnyOrder("Direct", fallback, ads);
    List<JsonNode> cells =
        retention(
            "hostile-retention", join(base, "--start-event", view, "--return-event", cart, "--periods", 2, "--breakdown", "channel"), "channel");
    assertThat(cells.stream().map(cell -> cell.path("data").path("series").asText()).distinct()).containsExactlyInAnyOrder(ads, "Direct", fallback);
    List<JsonNode> nodes = paths("hostile-paths", join(base, "--from-event", view, "--steps", 3));
    assertThat(nodes.get(0).path("data").path("label").asText()).isEqualTo(view);
    assertThat(nodes.stream().map(n -> n.path("data").path("label").asText())).contains(cart, buy);
    List<JsonNode> before = paths("hostile-paths-before", join(base, "--from-event", buy, "--before", "--steps", 2));
    assertThat(before.stream().map(n -> n.path("data").path("label").asText())).contains(buy, cart, view);
  }

  private static Object[] session(long id, long user, String referrer, String medium) {
    return new Object[] {
      id, user, LocalDateTime.parse("2024-01-10T09:00:00"), "web", null, null, null, null, null, null, null, referrer, "/",
      null, null, "Chrome", null, null, medium, null, null
    };
  }

  /** An event at {@code time}: {@code HH:mm} on 2024-01-10, or a whole ISO date-time. */
  private static Object[] event(long id, long user, long session, String time, String name) {
    return new Object[] {id, user, session, LocalDateTime.parse(time.contains("T") ? time + ":00" : "2024-01-10T" + time + ":00"), name};
  }

  /** Runs a funnel as CSV and as HTML; the page's steps and drop-offs are the CSV's rows. */
  private List<JsonNode> funnel(String name, Object[] args, String breakdown) throws IOException {
    List<Map<String, String>> csv = Csv.rows(ok(heap(join(new Object[] {"funnel"}, join(args, "--format", "csv")))));
    Path html = work.resolve(name + ".html");
    ok(heap(join(new Object[] {"funnel"}, join(args, "--format", "html", "--out", html))));
    List<JsonNode> marks = open(html, name);
    List<JsonNode> steps = kind(marks, "step");
    assertThat(csv).isNotEmpty();
    assertThat(steps).hasSameSizeAs(csv);
    List<JsonNode> drops = kind(marks, "drop");
    int drop = 0;
    double firstHeight = 0;
    for (int i = 0; i < csv.size(); i++) {
      Map<String, String> row = csv.get(i);
      JsonNode data = steps.get(i).path("data");
      String where = name + " row " + (i + 1) + " " + row;
      if (breakdown != null) {
        assertThat(data.path("series").asText()).as(where).isEqualTo(row.get(breakdown) == null ? "" : row.get(breakdown));
        assertThat(data.has("seriesNull")).as(where).isEqualTo(row.get(breakdown) == null);
      }
      assertThat(data.path("step").asText()).as(where).isEqualTo(row.get("step"));
      assertThat(data.path("label").asText()).as(where).isEqualTo(row.get("event"));
      same(where, data, "value", row.get("entered"));
      same(where, data, "conversionFromFirst", row.get("conversion_from_first"));
      same(where, data, "conversionFromPrevious", row.get("conversion_from_previous"));
      same(where, data, "dropOff", row.get("drop_off"));
      same(where, data, "medianSeconds", row.get("median_seconds_from_first"));
      assertThat(shows(steps.get(i).path("num").asText(), row.get("entered"))).as(where).isTrue();
      // as drawn: the bar's height is the share of step 1
      double height = steps.get(i).path("bar").asDouble();
      if (row.get("step").equals("1")) {
        firstHeight = height;
      } else {
        assertThat(height / firstHeight).as(where).isCloseTo(Double.parseDouble(row.get("conversion_from_first")), org.assertj.core.data.Offset.offset(0.01));
        JsonNode d = drops.get(drop++).path("data");
        same(where + " drop-off", d, "value", row.get("drop_off"));
        assertThat(d.path("step").asText()).isEqualTo(row.get("step"));
      }
    }
    assertThat(drop).isEqualTo(drops.size());
    return steps;
  }

  /** Runs an attribution as CSV and as HTML; the page's bars are the CSV's rows, longest for the most conversions. */
  private List<JsonNode> attribution(String name, Object[] args, String by) throws IOException {
    String text = ok(heap(join(new Object[] {"attribution"}, join(args, "--format", "csv"))));
    assertThat(Csv.header(text)).containsExactly(by, "conversions", "value");
    List<Map<String, String>> csv = Csv.rows(text);
    Path html = work.resolve(name + ".html");
    ok(heap(join(new Object[] {"attribution"}, join(args, "--format", "html", "--out", html))));
    List<JsonNode> bars = kind(open(html, name), "bar");
    assertThat(bars).hasSameSizeAs(csv).isNotEmpty();
    double max = csv.stream().mapToDouble(r -> Double.parseDouble(r.get("conversions"))).max().orElseThrow();
    double longest = bars.stream().mapToDouble(b -> b.path("bar").asDouble()).max().orElseThrow();
    for (int i = 0; i < csv.size(); i++) {
      Map<String, String> row = csv.get(i);
      JsonNode data = bars.get(i).path("data");
      String where = name + " row " + (i + 1) + " " + row;
      assertThat(data.path("label").asText()).as(where).isEqualTo(row.get(by) == null ? "" : row.get(by));
      assertThat(data.has("null")).as(where).isEqualTo(row.get(by) == null);
      same(where, data, "value", row.get("conversions"));
      same(where, data, "secondary", row.get("value"));
      assertThat(shows(bars.get(i).path("num").asText(), row.get("conversions"))).as(where).isTrue();
      assertThat(bars.get(i).path("bar").asDouble() / longest).as(where)
          .isCloseTo(Double.parseDouble(row.get("conversions")) / max, org.assertj.core.data.Offset.offset(0.01));
    }
    return bars;
  }

  /**
   * Runs a retention as CSV and as HTML; the page's cells are the CSV's rows (breakdown value, cohort,
   * period, retained, rate, cohort size), in the same order, and its size marks the cohorts' sizes.
   */
  private List<JsonNode> retention(String name, Object[] args, String breakdown) throws IOException {
    String text = ok(heap(join(new Object[] {"retention"}, join(args, "--format", "csv"))));
    List<String> columns = new ArrayList<>(List.of("cohort", "cohort_size", "period", "retained", "rate"));
    if (breakdown != null) {
      columns.add(0, breakdown);
    }
    assertThat(Csv.header(text)).containsExactlyElementsOf(columns);
    List<Map<String, String>> csv = Csv.rows(text);
    Path html = work.resolve(name + ".html");
    assertThat(ok(heap(join(new Object[] {"retention"}, join(args, "--format", "html", "--out", html))))).isEqualTo("wrote " + html + "\n");
    List<JsonNode> marks = open(html, name);
    List<JsonNode> cells = kind(marks, "cell");
    assertThat(cells).hasSameSizeAs(csv).isNotEmpty();
    List<String> sizes = new ArrayList<>();
    for (int i = 0; i < csv.size(); i++) {
      Map<String, String> row = csv.get(i);
      JsonNode data = cells.get(i).path("data");
      String where = name + " row " + (i + 1) + " " + row;
      if (breakdown == null) {
        assertThat(data.has("series")).as(where).isFalse();
      } else {
        assertThat(data.path("series").asText()).as(where).isEqualTo(row.get(breakdown) == null ? "" : row.get(breakdown));
        assertThat(data.has("seriesNull")).as(where).isEqualTo(row.get(breakdown) == null);
      }
      assertThat(data.path("row").asText()).as(where).isEqualTo(row.get("cohort"));
      assertThat(data.path("col").asText()).as(where).isEqualTo(row.get("period"));
      same(where, data, "value", row.get("rate"));
      same(where, data, "count", row.get("retained"));
      same(where, data, "size", row.get("cohort_size"));
      assertThat(shows(cells.get(i).path("num").asText(), row.get("rate"))).as(where).isTrue();
      if (row.get("period").equals("0")) {
        sizes.add(row.get(breakdown == null ? "cohort" : breakdown) + "|" + row.get("cohort") + "=" + row.get("cohort_size"));
      }
    }
    // a size per cohort (and breakdown value), in the CSV's order
    assertThat(
            kind(marks, "size").stream()
                .map(m -> m.path("data"))
                .map(d -> (breakdown == null ? d.path("row").asText() : d.has("seriesNull") ? null : d.path("series").asText()) + "|" + d.path("row").asText() + "="
                    + d.path("value").asText()))
        .containsExactlyElementsOf(sizes);
    return cells;
  }

  /**
   * Runs paths as CSV and as HTML; each CSV row is one node of the page's tree that carries its row: its
   * steps (the CSV's, in time order, without the missing ones), count and share. The root counts every
   * path, and each first node the paths through it.
   */
  private List<JsonNode> paths(String name, Object[] args) throws IOException {
    String text = ok(heap(join(new Object[] {"paths"}, join(args, "--format", "csv"))));
    List<String> header = Csv.header(text);
    List<String> stepColumns = header.subList(1, header.size() - 2);
    assertThat(header.get(0)).isEqualTo("rank");
    assertThat(header.subList(header.size() - 2, header.size())).containsExactly("count", "share");
    List<Map<String, String>> csv = Csv.rows(text);
    boolean before = List.of(args).contains("--before");
    Path html = work.resolve(name + ".html");
    assertThat(ok(heap(join(new Object[] {"paths"}, join(args, "--format", "html", "--out", html))))).isEqualTo("wrote " + html + "\n");
    List<JsonNode> nodes = kind(open(html, name), "node");
    assertThat(csv).isNotEmpty();
    List<JsonNode> ends = nodes.stream().filter(n -> n.path("data").has("row")).toList();
    assertThat(ends).hasSameSizeAs(csv);
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    java.util.Map<String, Long> firstSteps = new java.util.LinkedHashMap<>();
    long total = 0;
    for (int i = 0; i < csv.size(); i++) {
      Map<String, String> row = csv.get(i);
      String where = name + " row " + (i + 1) + " " + row;
      List<String> steps = stepColumns.stream().map(row::get).filter(java.util.Objects::nonNull).toList();
      int index = i;
      List<JsonNode> found = ends.stream().filter(n -> n.path("data").path("row").asInt() == index).toList();
      assertThat(found).as(where).hasSize(1);
      JsonNode data = found.get(0).path("data");
      List<String> shown = new ArrayList<>();
      json.readTree(data.path("steps").asText()).forEach(s -> shown.add(s.asText()));
      assertThat(shown).as(where).containsExactlyElementsOf(steps);
      same(where, data, "value", row.get("count"));
      same(where, data, "share", row.get("share"));
      assertThat(shows(found.get(0).path("num").asText(), row.get("count"))).as(where).isTrue();
      // the node is the path's last step away from the anchor, or an (end) of its own
      String far = steps.isEmpty() ? null : before ? steps.get(0) : steps.get(steps.size() - 1);
      assertThat(data.path("label").asText()).as(where).isIn(far, "(end)");
      assertThat(data.path("depth").asInt()).as(where).isIn(steps.size(), steps.size() + 1);
      long count = Long.parseLong(row.get("count"));
      total += count;
      if (!steps.isEmpty()) {
        firstSteps.merge(before ? steps.get(steps.size() - 1) : steps.get(0), count, Long::sum);
      }
    }
    JsonNode root = nodes.get(0).path("data");
    assertThat(root.path("depth").asInt()).isZero();
    // the root is everyone who did the anchor: a row's count over its share of them (the top paths shown
    // may hold fewer)
    long didIt = Math.round(Double.parseDouble(csv.get(0).get("count")) / Double.parseDouble(csv.get(0).get("share")));
    assertThat(root.path("value").asLong()).as(name + " root").isEqualTo(Math.max(total, didIt)).isGreaterThanOrEqualTo(total);
    java.util.Map<String, Long> drawn = new java.util.LinkedHashMap<>();
    nodes.stream()
        .map(n -> n.path("data"))
        .filter(d -> d.path("depth").asInt() == 1 && !(d.path("label").asText().equals("(end)") && d.has("row") && d.path("steps").asText().equals("[]")))
        .forEach(d -> drawn.put(d.path("label").asText(), d.path("value").asLong()));
    assertThat(drawn).as(name + " first steps").isEqualTo(firstSteps);
    return nodes;
  }

  // ------------------------------------------------------------------ the demo

  @Test
  void theDemosChartsOpen() throws IOException {
    Path out = work.resolve("demo");
    String printed = ok(heap("demo", "--users", 120, "--out", out));
    for (String page : List.of("funnel", "attribution", "retention", "paths")) {
      Path html = out.resolve(page + ".html");
      assertThat(printed).contains(html.toString());
      List<JsonNode> marks = open(html, "demo-" + page);
      assertThat(marks).isNotEmpty();
      for (JsonNode m : marks) {
        assertThat(shows(m.path("num").asText(), m.path("data").path("value").asText())).as(page + " " + m).isTrue();
      }
    }
  }

  // ------------------------------------------------------------------ every chart type

  @Test
  void everyChartTypeShowsItsNumbers() throws IOException {
    Path html = write(work.resolve("every-chart.html"), ChartFixtures.report().html());
    List<JsonNode> marks = open(html, "every-chart");
    List<JsonNode> steps = kind(marks, "step");
    int i = 0;
    for (FunnelChart.Panel p : ChartFixtures.FUNNEL) {
      for (FunnelChart.Step s : p.steps()) {
        JsonNode d = steps.get(i++).path("data");
        assertThat(d.path("label").asText()).isEqualTo(s.label());
        assertThat(d.path("series").asText()).isEqualTo(p.value() == null ? "" : p.value());
        assertThat(d.path("value").asLong()).isEqualTo(s.entered());
      }
    }
    // bars: the labels, NULL among them, and 25 conversions shared out
    assertThat(kind(marks, "bar").stream().map(b -> b.path("data").path("label").asText()))
        .containsExactly("Direct", ChartFixtures.QUOTES, ChartFixtures.CJK_EMOJI, ChartFixtures.ARABIC, "", "(none)");
    assertThat(kind(marks, "bar").stream().map(b -> b.path("data").path("share").asText())).containsExactly("0.5", "0.29", "0.12", "0.05", "0.04", "0");
    // heat map: one cell per rate given, each retained / size of its cohort
    List<JsonNode> cells = kind(marks, "cell");
    int expectedCells = ChartFixtures.RETENTION.stream().mapToInt(r -> r.cells().size()).sum();
    assertThat(cells).hasSize(expectedCells);
    for (JsonNode cell : cells) {
      JsonNode d = cell.path("data");
      HeatMap.Row row = ChartFixtures.RETENTION.stream().filter(r -> r.label().equals(d.path("row").asText())).findFirst().orElseThrow();
      assertThat(d.path("value").asDouble()).isEqualTo((double) d.path("count").asLong() / row.size());
      assertThat(d.path("series").asText()).isEqualTo(ChartFixtures.FLAG);
    }
    assertThat(kind(marks, "bin").stream().map(b -> b.path("data").path("value").asLong()))
        .containsExactlyElementsOf(ChartFixtures.BINS.stream().map(Histogram.Bin::count).toList());
    assertThat(kind(marks, "bin").get(5).path("data").path("label").asText()).isEqualTo("\u2265 1d " + ChartFixtures.MARKUP);
    assertThat(kind(marks, "point")).hasSize(11);
    // paths: each path's end node counts it and lists its events
    List<JsonNode> ends = kind(marks, "node").stream().filter(n -> n.path("data").has("row")).toList();
    List<PathTree.Path> all = new ArrayList<>(ChartFixtures.PATHS_AFTER);
    all.addAll(ChartFixtures.PATHS_BEFORE);
    assertThat(ends).hasSize(all.size());
    for (int e = 0; e < ends.size(); e++) {
      JsonNode d = ends.get(e).path("data");
      PathTree.Path p = (e < ChartFixtures.PATHS_AFTER.size() ? ChartFixtures.PATHS_AFTER : ChartFixtures.PATHS_BEFORE).get(d.path("row").asInt());
      assertThat(d.path("value").asLong()).isEqualTo(p.count());
      assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(d.path("steps").asText()).toString())
          .isEqualTo(new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(p.events()).toString());
    }
    for (JsonNode m : marks) {
      assertThat(shows(m.path("num").asText(), m.path("data").path("value").asText())).as(m.toString()).isTrue();
    }
  }

  // ------------------------------------------------------------------ heap docs

  @Test
  void everyPageOfTheDocsSiteOpensAndEveryLineageNodeLinksToAPage() throws IOException {
    Path config =
        write(
            work.resolve("docs/heap.yml"),
            """
            funnel_events: ["<b>view</b>", "add & \\"cart\\"", "購入🛒"]
            conversion_events: ["購入🛒"]
            source:
              schema: "ヒープ <src>"
              pageview_properties: ["utm <b>&</b> \\"q\\" 🛒"]
            """);
    Path site = work.resolve("docs/site");
    ok(heap("docs", "--config", config, "--out", site, "--warehouse", "h2,postgres"));
    Path compiled = work.resolve("docs/compiled");
    ok(heap("compile", "--config", config, "--warehouse", "h2", "--out", compiled));
    HeapProject project = HeapProject.standard(HeapConfigLoader.load(config));
    List<String> models = project.plan().models().stream().map(PlannedModel::name).toList();
    List<Path> pages;
    try (Stream<Path> files = Files.walk(site)) {
      pages = files.filter(p -> p.toString().endsWith(".html")).sorted().toList();
    }
    assertThat(pages).hasSize(models.size() + 2);
    for (Path page : pages) {
      String name = "docs-" + site.relativize(page).toString().replace('/', '-').replace(".html", "");
      try (HeadlessChromium.Tab tab = chromium.open(page, 1280)) {
        assertThat(tab.errors()).as(page.toString()).isEmpty();
        tab.screenshot(OUT.resolve(name + ".png"));
        // every link of the page (the lineage's nodes among them) leads to a page of the site
        // an SVG link's href is an animated string: resolve the attribute against the page instead
        for (JsonNode link : tab.evaluate("Array.from(document.querySelectorAll('a')).map(a => new URL(a.getAttribute('href'), document.baseURI).href)")) {
          Path target = Path.of(java.net.URI.create(link.asText().replaceAll("#.*$", "")));
          assertThat(target).as("link %s on %s", link.asText(), page).exists().startsWith(site.toAbsolutePath());
        }
        JsonNode nodes = tab.evaluate(
            "Array.from(document.querySelectorAll('svg.lineage a')).map(a => ({node: a.querySelector('g').dataset.node,"
                + " href: new URL(a.getAttribute('href'), document.baseURI).href,"
                + " w: a.getBBox().width}))");
        // the index and every model page draw a lineage; the source catalog lists its readers instead
        if (page.endsWith(DocsSite.SOURCES)) {
          assertThat(nodes.size()).as(page.toString()).isZero();
        } else {
          assertThat(nodes.size()).as(page.toString()).isPositive();
        }
        for (JsonNode n : nodes) {
          String node = n.path("node").asText();
          String file = node.startsWith("source:") ? DocsSite.SOURCES + "#source-" + node.substring(7) : DocsSite.modelPage(node);
          assertThat(n.path("href").asText()).endsWith("/" + file);
          assertThat(n.path("w").asDouble()).as(node).isPositive();
        }
        if (page.equals(site.resolve(DocsSite.INDEX))) {
          // the index draws every model and every Heap table
          assertThat(nodes.size()).isEqualTo(models.size() + project.config().catalog().tableNames().size());
        }
      }
    }
    // a model page shows the SQL heap compile writes, character for character
    for (String model : models) {
      try (HeadlessChromium.Tab tab = chromium.open(site.resolve(DocsSite.modelPage(model)), 1280)) {
        String shown = tab.evaluate("document.querySelector('#sql-h2-full pre').textContent").asText();
        assertThat(shown).as(model).isEqualTo(Files.readString(compiled.resolve("h2").resolve(model + ".sql")));
        assertThat(tab.evaluate("document.querySelector('svg.lineage g.current').dataset.node").asText()).isEqualTo(model);
      }
    }
  }

  // ------------------------------------------------------------------ the check can fail

  @Test
  void theCheckSeesConsoleErrorsBlockedLoadsAndPolicyViolations() throws IOException {
    Path broken =
        write(
            work.resolve("broken.html"),
            "<!DOCTYPE html><html><head><title>broken</title></head><body><img src=\"missing.png\" alt=\"\">"
                + "<script>console.error('boom'); null.f();</script></body></html>");
    try (HeadlessChromium.Tab tab = chromium.open(broken, 800)) {
      assertThat(String.join("\n", tab.errors())).contains("boom", "missing.png", "null");
    }
    Path outside =
        write(
            work.resolve("outside.html"),
            "<!DOCTYPE html><html><head><meta http-equiv=\"Content-Security-Policy\" content=\"" + io.heapsdk.report.Page.CONTENT_SECURITY_POLICY
                + "\"><title>outside</title></head><body><img src=\"http://127.0.0.1:9/x.png\" alt=\"\"><svg><text>x</text></svg></body></html>");
    try (HeadlessChromium.Tab tab = chromium.open(outside, 800)) {
      assertThat(String.join("\n", tab.errors())).contains("Content Security Policy");
    }
  }

  // ------------------------------------------------------------------ helpers

  /**
   * Opens a page: no console error, a screenshot kept; returns its marks: {@code kind}, the
   * {@code data-*} attributes, the number shown, and the drawn length of its bar (height of a funnel
   * bar, width of a horizontal one).
   */
  private static List<JsonNode> open(Path html, String name) throws IOException {
    try (HeadlessChromium.Tab tab = chromium.open(html, 1280)) {
      assertThat(tab.errors()).as("console errors on " + html).isEmpty();
      assertThat(tab.evaluate("document.title").asText()).isNotBlank();
      tab.screenshot(OUT.resolve(name + ".png"));
      assertThat(tab.evaluate(OVERLAPPING_TEXTS)).as("texts drawn over one another on %s (screenshot %s.png)", html, name).isEmpty();
      List<JsonNode> marks = new ArrayList<>();
      tab.evaluate(
              "Array.from(document.querySelectorAll('g.mark')).map(g => { const bar = g.querySelector('rect.bar');"
                  + " const box = bar ? bar.getBBox() : null; const num = g.querySelector('.num');"
                  + " return {kind: g.classList[1], data: Object.assign({}, g.dataset), num: num ? num.textContent : null,"
                  + " bar: box ? (g.classList.contains('step') ? box.height : box.width) : null}; })")
          .forEach(marks::add);
      return marks;
    }
  }

  /**
   * The pairs of an SVG's texts whose glyph boxes overlap by more than a pixel, as the browser lays them
   * out: each text's box (getBBox) through its transform to the screen (getScreenCTM), so a rotated
   * label is the turned rectangle it covers, and two convex boxes overlap when no edge of either
   * separates them (the separating axis test). A number printed over another reads as neither.
   */
  private static final String OVERLAPPING_TEXTS =
      "(() => { const boxes = Array.from(document.querySelectorAll('svg text')).filter(t => t.textContent.trim() !== '').map(t => {"
          + " const b = t.getBBox(), m = t.getScreenCTM();"
          + " const p = (x, y) => [m.a * x + m.c * y + m.e, m.b * x + m.d * y + m.f];"
          + " return {text: t.textContent, svg: t.ownerSVGElement,"
          + " corners: [p(b.x, b.y), p(b.x + b.width, b.y), p(b.x + b.width, b.y + b.height), p(b.x, b.y + b.height)]}; });"
          + " const apart = (a, b) => [a, b].some(q => q.corners.some((c, i) => {"
          + "   const d = q.corners[(i + 1) % 4], n = [d[1] - c[1], c[0] - d[0]], len = Math.hypot(n[0], n[1]) || 1;"
          + "   const pr = r => r.corners.map(k => (k[0] * n[0] + k[1] * n[1]) / len);"
          + "   const x = pr(a), y = pr(b);"
          + "   return Math.min(Math.max(...x), Math.max(...y)) - Math.max(Math.min(...x), Math.min(...y)) <= 1; }));"
          + " const out = [];"
          + " for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++)"
          + "   if (boxes[i].svg === boxes[j].svg && !apart(boxes[i], boxes[j])) out.push(boxes[i].text + ' | ' + boxes[j].text);"
          + " return out; })()";

  private static List<JsonNode> kind(List<JsonNode> marks, String kind) {
    return marks.stream().filter(m -> m.path("kind").asText().equals(kind)).toList();
  }

  /** The attribute holds the CSV's number (equal as decimals), or is absent where the CSV field is empty. */
  private static void same(String where, JsonNode data, String attribute, String csv) {
    if (csv == null) {
      assertThat(data.has(attribute)).as(where + ": " + attribute + " absent").isFalse();
    } else {
      assertThat(data.has(attribute)).as(where + ": " + attribute).isTrue();
      assertThat(new BigDecimal(data.get(attribute).asText())).as(where + ": " + attribute).isEqualByComparingTo(new BigDecimal(csv));
    }
  }

  /** Whether a number as shown ({@code 1,234}, {@code 12.4}) is the exact one rounded to the digits shown. */
  private static boolean shows(String shown, String exact) {
    return io.heapsdk.report.PageChecks.shows(shown, exact);
  }

  private static String ok(Run r) {
    assertThat(r.code()).as(r.err()).isZero();
    return r.out();
  }

  record Run(int code, String out, String err) {}

  private static Run heap(Object... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    String[] text = Stream.of(args).map(String::valueOf).toArray(String[]::new);
    int code = HeapCli.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), text);
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static Object[] join(Object[] first, Object... more) {
    Object[] all = new Object[first.length + more.length];
    System.arraycopy(first, 0, all, 0, first.length);
    System.arraycopy(more, 0, all, first.length, more.length);
    return all;
  }

  private static Path write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }

  private static void deleteTree(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
