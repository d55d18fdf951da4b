package io.heapsdk.cli;

import static io.heapsdk.cli.HeapCliTest.heap;
import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * {@code --format html} and {@code --out} of {@code heap funnel} and {@code heap attribution}, on three
 * hand-made users: a → b → c by user 1 (direct), a → b by user 2 (direct), a by user 3 (from
 * duckduckgo); user 1 buys.
 */
class ChartCommandsTest {
  @TempDir static Path tmp;
  private static Path config;
  private static String url;

  @BeforeAll
  static void buildTheFacts() throws IOException, SQLException {
    config = tmp.resolve("heap.yml");
    Files.writeString(config, "funnel_events: [a, b, c]\nconversion_events: [purchase]\n");
    url = "jdbc:h2:file:" + tmp.resolve("db");
    SourceTables sources = new SourceTables(Warehouses.H2, HeapConfigLoader.load(config));
    try (Connection db = DriverManager.getConnection(url)) {
      sources.create(db);
      sources.insert(db, "sessions", List.of(session(1, 1, null), session(2, 2, null), session(3, 3, "https://duckduckgo.com/")));
      sources.insert(
          db,
          "all_events",
          List.of(
              event(11, 1, 1, "10:00", "a"), event(12, 1, 1, "10:01", "b"), event(13, 1, 1, "10:02", "c"), event(14, 1, 1, "10:03", "purchase"),
              event(21, 2, 2, "10:00", "a"), event(22, 2, 2, "10:05", "b"),
              event(31, 3, 3, "10:00", "a")));
    }
    HeapCliTest.Result run = heap("run", "--config", config, "--jdbc", url);
    assertThat(run.code()).as(run.err()).isZero();
  }

  private static Object[] session(long id, long user, String referrer) {
    return new Object[] {
      id, user, LocalDateTime.parse("2024-01-10T09:00:00"), "web", null, null, null, null, null, null, null, referrer, "/",
      null, null, "Chrome", null, null, null, null, null
    };
  }

  private static Object[] event(long id, long user, long session, String time, String name) {
    return new Object[] {id, user, session, LocalDateTime.parse("2024-01-10T" + time + ":00"), name};
  }

  @Test
  void aFunnelAsHtmlGoesToTheFileOfOut() throws IOException {
    Path file = tmp.resolve("charts").resolve("funnel.html");
    HeapCliTest.Result r = heap("funnel", "--config", config, "--jdbc", url, "--steps", "a,b,c", "--format", "html", "--out", file);
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("wrote " + file + "\n");
    String html = Files.readString(file, StandardCharsets.UTF_8);
    PageChecks.assertSelfContained(html);
    Document page = PageChecks.parse(html);
    // 3 users enter a, 2 reach b, 1 reaches c
    List<Element> steps = PageChecks.marks(page, "step");
    assertThat(steps.stream().map(e -> e.getAttribute("data-label") + "=" + e.getAttribute("data-value"))).containsExactly("a=3", "b=2", "c=1");
    assertThat(steps.get(2).getAttribute("data-conversion-from-first")).isEqualTo("0.3333333333333333");
    assertThat(steps.get(2).getAttribute("data-conversion-from-previous")).isEqualTo("0.5");
    assertThat(PageChecks.marks(page, "drop").stream().map(e -> e.getAttribute("data-value"))).containsExactly("1", "1");
    assertThat(page.getElementsByTagName("title").item(0).getTextContent()).isEqualTo("Funnel: \u2068a\u2069 \u2192 \u2068b\u2069 \u2192 \u2068c\u2069");
  }

  @Test
  void withoutOutTheHtmlGoesToStandardOutput() {
    HeapCliTest.Result r =
        heap("funnel", "--config", config, "--jdbc", url, "--steps", "a,b", "--breakdown", "channel", "--format", "HTML");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("<!DOCTYPE html>").endsWith("</html>\n");
    Document page = PageChecks.parse(r.out());
    // a panel per channel: Direct (users 1 and 2), Organic Search (user 3)
    assertThat(PageChecks.marks(page, "step").stream().map(e -> e.getAttribute("data-series") + "/" + e.getAttribute("data-label") + "=" + e.getAttribute("data-value")))
        .containsExactly("Direct/a=2", "Direct/b=2", "Organic Search/a=1", "Organic Search/b=0");
  }

  @Test
  void anAttributionAsHtml() throws IOException {
    Path file = tmp.resolve("attribution.html");
    HeapCliTest.Result r = heap("attribution", "--config", config, "--jdbc", url, "--model", "last_touch", "--format", "html", "--out", file);
    assertThat(r.code()).as(r.err()).isZero();
    Document page = PageChecks.parse(Files.readString(file));
    // user 1's purchase, in a direct session
    assertThat(PageChecks.marks(page, "bar").stream().map(e -> e.getAttribute("data-label") + "=" + e.getAttribute("data-value") + "/" + e.getAttribute("data-share")))
        .containsExactly("Direct=1/1");
  }

  @Test
  void outWorksForEveryFormatAndRefusesAFolder() throws IOException {
    Path csv = tmp.resolve("funnel.csv");
    assertThat(heap("funnel", "--config", config, "--jdbc", url, "--steps", "a", "--format", "csv", "--out", csv).code()).isZero();
    assertThat(Files.readString(csv)).startsWith("step,event,entered,").contains("\n1,a,3,1,,,0,0\n");
    HeapCliTest.Result folder = heap("attribution", "--config", config, "--jdbc", url, "--model", "linear", "--format", "html", "--out", tmp);
    assertThat(folder.code()).isEqualTo(2);
    assertThat(folder.err()).startsWith("heap: --out: " + tmp + " is a folder; expected a file");
    // an empty name is the working folder to Java: said as empty (it read " is a folder")
    HeapCliTest.Result empty = heap("funnel", "--config", config, "--jdbc", url, "--steps", "a", "--out", "");
    assertThat(empty.code()).isEqualTo(2);
    assertThat(empty.err()).startsWith("heap: --out: expected a file name, got an empty one");
    HeapCliTest.Result emptyFolder = heap("compile", "--config", config, "--warehouse", "h2", "--out", "");
    assertThat(emptyFolder.code()).isEqualTo(2);
    assertThat(emptyFolder.err()).startsWith("heap: --out: expected a folder name, got an empty one");
    HeapCliTest.Result format = heap("funnel", "--config", config, "--jdbc", url, "--steps", "a", "--format", "svg");
    assertThat(format.code()).isEqualTo(2);
    assertThat(format.err()).contains("expected table, csv, json or html");
  }

  /**
   * An {@code --out} naming the database the command reads (H2's {@code .mv.db}, a DuckDB file, also
   * through another spelling of the path) or its config is refused before anything runs, and the file
   * is as it was. Before, the report replaced the H2 database, the DuckDB file or the config, exit 0.
   */
  @Test
  void outRefusesTheDatabaseAndTheConfigTheCommandReads() throws IOException {
    Path database = tmp.resolve("db.mv.db");
    byte[] before = Files.readAllBytes(database);
    Path sameFile = tmp.resolve("charts").resolve("..").resolve("db.mv.db");
    Path link = Files.createSymbolicLink(tmp.resolve("link.mv.db"), database);
    for (Path out : List.of(database, sameFile, link)) {
      HeapCliTest.Result r = heap("funnel", "--config", config, "--jdbc", url, "--steps", "a", "--format", "csv", "--out", out);
      assertThat(r.code()).as(r.err()).isEqualTo(2);
      assertThat(r.err()).startsWith("heap: --out: " + out + " is a file of the database of --jdbc " + url + "; the report would replace it");
    }
    // H2's file-system prefixes name the same local file
    for (String prefixed : List.of("jdbc:h2:nio:" + tmp.resolve("db"), "jdbc:h2:split:nio:" + tmp.resolve("db") + ";ACCESS_MODE_DATA=r")) {
      HeapCliTest.Result r = heap("funnel", "--config", config, "--jdbc", prefixed, "--steps", "a", "--out", database);
      assertThat(r.code()).as(r.err()).isEqualTo(2);
      assertThat(r.err()).startsWith("heap: --out: " + database + " is a file of the database of --jdbc ");
    }
    assertThat(Files.readAllBytes(database)).isEqualTo(before);

    String configBefore = Files.readString(config);
    HeapCliTest.Result c = heap("attribution", "--config", config, "--jdbc", url, "--model", "linear", "--out", config);
    assertThat(c.code()).as(c.err()).isEqualTo(2);
    assertThat(c.err()).startsWith("heap: --out: " + config + " is the --config file; the report would replace it");
    assertThat(Files.readString(config)).isEqualTo(configBefore);

    Path duck = tmp.resolve("r.duckdb");
    Files.writeString(duck, "not touched");
    HeapCliTest.Result d = heap("retention", "--config", config, "--jdbc", "jdbc:duckdb:" + duck, "--out", duck);
    assertThat(d.code()).as(d.err()).isEqualTo(2);
    assertThat(d.err()).startsWith("heap: --out: " + duck + " is a file of the database of --jdbc jdbc:duckdb:" + duck);
    assertThat(Files.readString(duck)).isEqualTo("not touched");
  }
}
