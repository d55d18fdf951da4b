package io.heapsdk.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The chart fixture's page read as a tree: self-contained, every label back exactly as it went in,
 * every number in its attribute and as text, accessible names, readable colours. The same page is opened
 * in Chromium by {@code BrowserCheckTest}.
 */
class ReportHtmlTest {
  private static String html;
  private static Document page;

  @BeforeAll
  static void render() throws IOException {
    html = ChartFixtures.report().html();
    page = PageChecks.parse(html);
    Path file = Path.of("target", "charts", "every-chart.html");
    Files.createDirectories(file.getParent());
    Files.writeString(file, html, StandardCharsets.UTF_8);
  }

  @Test
  void thePageLoadsNothingAndRunsNothing() {
    PageChecks.assertSelfContained(html);
    assertThat(html).startsWith("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>");
    assertThat(html).contains("Content-Security-Policy", "default-src &#39;none&#39;");
  }

  @Test
  void markupInALabelIsTextNeverATag() {
    assertThat(html).doesNotContain("<script>", "<b>Paid");
    assertThat(html).contains("view &lt;script&gt;alert(1)&lt;/script&gt;");
    // text that looks like an entity is escaped once more, so it shows as written
    assertThat(html).contains("&amp;amp; &amp;lt;b&amp;gt; are text");
    assertThat(page.getElementsByTagName("script").getLength()).isZero();
    assertThat(page.getElementsByTagName("b").getLength()).isZero();
  }

  /**
   * Plain text holds labels where no {@code bdi} can isolate them (tooltips, descriptions, the page's
   * title) or among other text in one (a heading naming the steps): there a right-to-left override in a
   * label is closed by the isolate around it, or it reversed the numbers after it.
   */
  @Test
  void anOverrideInALabelEndsWithTheLabelInPlainText() {
    List<String> texts = new ArrayList<>();
    for (String tag : List.of("title", "desc", "h1")) {
      NodeList nodes = page.getElementsByTagName(tag);
      for (int i = 0; i < nodes.getLength(); i++) {
        texts.add(nodes.item(i).getTextContent());
      }
    }
    List<String> withOverride = texts.stream().filter(t -> t.contains("\u202E")).toList();
    assertThat(withOverride).as("texts naming the label with an override").isNotEmpty();
    for (String t : withOverride) {
      int open = 0;
      for (int i = 0; i < t.length(); i++) {
        char c = t.charAt(i);
        if (c >= '\u202A' && c <= '\u202E') {
          // an embedding or override: a pop directional isolate must come after it, before the text ends
          assertThat(t.indexOf('\u2069', i)).as("an isolate closes the override in: %s", t).isPositive();
        }
        open += c == '\u2068' ? 1 : c == '\u2069' ? -1 : 0;
        assertThat(open).as("isolates nest in: %s", t).isBetween(0, 1);
      }
      assertThat(open).as("every isolate is closed in: %s", t).isZero();
    }
  }

  @Test
  void everyLabelComesBackExactly() {
    List<String> steps = PageChecks.marks(page, "step").stream().map(e -> e.getAttribute("data-label")).distinct().toList();
    assertThat(steps).containsExactly(ChartFixtures.MARKUP, ChartFixtures.QUOTES, ChartFixtures.CJK_EMOJI);
    assertThat(PageChecks.marks(page, "step").stream().map(e -> e.getAttribute("data-series")).distinct())
        .containsExactly("Direct", "<b>Paid</b> & \"Co\"", "");
    assertThat(PageChecks.marks(page, "bar").stream().map(e -> e.getAttribute("data-label")))
        .containsExactly("Direct", ChartFixtures.QUOTES, ChartFixtures.CJK_EMOJI, ChartFixtures.ARABIC, "", "(none)");
    List<Element> ends = PageChecks.marks(page, "node").stream().filter(e -> e.hasAttribute("data-row")).toList();
    assertThat(ends.stream().map(e -> e.getAttribute("data-steps")))
        .contains("[\"" + ChartFixtures.JOINED + "\",\"" + ChartFixtures.HEBREW_OVERRIDE + "\"]", "[\"" + ChartFixtures.ENTITY + "\",\"cart\"]");
    // the tooltips say it in words, with the labels as they are, each between a first strong isolate and
    // a pop directional isolate (plain text has no bdi)
    assertThat(text(page, "title")).contains("Step 1, \u2068" + ChartFixtures.MARKUP + "\u2069: 100 users, 100.0% of step 1");
  }

  @Test
  void aNullLabelIsMarkedAndShownAsNull() {
    Element nullBar = PageChecks.marks(page, "bar").get(4);
    assertThat(nullBar.getAttribute("data-null")).isEqualTo("true");
    assertThat(nullBar.getTextContent()).contains("(null)");
    assertThat(PageChecks.marks(page, "step").get(6).getAttribute("data-series-null")).isEqualTo("true");
  }

  @Test
  void everyMarkShowsItsNumber() {
    for (String kind : List.of("step", "drop", "bar", "size", "cell", "bin", "point", "node")) {
      List<Element> marks = PageChecks.marks(page, kind);
      assertThat(marks).as(kind).isNotEmpty();
      for (Element m : marks) {
        assertThat(m.getElementsByTagName("title").getLength()).as("tooltip of %s", kind).isEqualTo(1);
        String shown = PageChecks.numText(m);
        assertThat(PageChecks.shows(shown, m.getAttribute("data-value")))
            .as("%s %s shows %s for %s", kind, m.getAttribute("data-label"), shown, m.getAttribute("data-value"))
            .isTrue();
      }
    }
  }

  @Test
  void funnelNumbersAreTheInputs() {
    List<Element> steps = PageChecks.marks(page, "step");
    assertThat(steps).hasSize(9);
    int i = 0;
    for (FunnelChart.Panel p : ChartFixtures.FUNNEL) {
      for (FunnelChart.Step s : p.steps()) {
        Element e = steps.get(i++);
        assertThat(e.getAttribute("data-value")).isEqualTo(String.valueOf(s.entered()));
        assertThat(e.getAttribute("data-drop-off")).isEqualTo(s.dropOff() == null ? "" : String.valueOf(s.dropOff()));
      }
    }
    // by hand: 25/60, written as Java's shortest decimal, as the CSV does
    assertThat(steps.get(2).getAttribute("data-conversion-from-previous")).isEqualTo("0.4166666666666667");
    assertThat(steps.get(2).getAttribute("data-median-seconds")).isEqualTo("3600.5");
    // the bars' heights are the share of step 1: 170 px is 100 %
    assertThat(barHeights(steps.subList(0, 3))).containsExactly(170.0, 102.0, 42.5);
    assertThat(barHeights(steps.subList(3, 6))).containsExactly(170.0, 42.5, 0.0);
    List<Element> drops = PageChecks.marks(page, "drop");
    assertThat(drops.stream().map(e -> e.getAttribute("data-value"))).containsExactly("40", "35", "30", "10", "0", "0");
  }

  @Test
  void barsHeatMapHistogramTrendAndPathsCarryTheirNumbers() {
    assertThat(PageChecks.marks(page, "bar").stream().map(e -> e.getAttribute("data-value"))).containsExactly("12.5", "7.25", "3", "1.25", "1", "0");
    // shares of 25 conversions
    assertThat(PageChecks.marks(page, "bar").stream().map(e -> e.getAttribute("data-share"))).containsExactly("0.5", "0.29", "0.12", "0.05", "0.04", "0");
    assertThat(PageChecks.marks(page, "bar").get(2).hasAttribute("data-secondary")).isFalse();
    List<Element> cells = PageChecks.marks(page, "cell");
    // 4 + 3 + 2 cells: the younger cohorts' later weeks are not over
    assertThat(cells.stream().map(e -> e.getAttribute("data-row") + "/" + e.getAttribute("data-col") + "=" + e.getAttribute("data-value")))
        .containsExactly(
            "2024-01-01/0=1", "2024-01-01/1=0.4", "2024-01-01/2=0.25", "2024-01-01/3=0.1", "2024-01-08/0=1", "2024-01-08/1=0.375",
            "2024-01-08/2=0.15", "2024-01-15/0=1", "2024-01-15/1=0.4");
    assertThat(cells.stream().map(e -> e.getAttribute("data-series")).distinct()).containsExactly(ChartFixtures.FLAG);
    assertThat(PageChecks.marks(page, "bin").stream().map(e -> e.getAttribute("data-value"))).containsExactly("10", "25", "18", "4", "7", "2");
    // the trend's gap is no point: 6 + 5
    assertThat(PageChecks.marks(page, "point")).hasSize(11);
    // paths after: the root counts everyone who did purchase, 100 (50 is half of them), not the 88 the
    // paths shown hold; view 80 = 50 + 20 + 10, and view alone ends at an (end) node
    List<Element> nodes = PageChecks.marks(page, "node");
    assertThat(nodes.get(0).getAttribute("data-value")).isEqualTo("100");
    assertThat(nodes.get(0).getAttribute("data-share")).isEqualTo("1");
    assertThat(nodes.stream().filter(e -> e.getAttribute("data-label").equals("view") && e.getAttribute("data-depth").equals("1")).map(e -> e.getAttribute("data-value")))
        .containsExactly("80", "42");
    List<String> endRows = new ArrayList<>();
    nodes.stream().filter(e -> e.hasAttribute("data-row")).forEach(e -> endRows.add(e.getAttribute("data-row") + ":" + e.getAttribute("data-value")));
    assertThat(endRows).containsExactlyInAnyOrder("0:50", "1:20", "2:10", "3:5", "4:3", "0:30", "1:12", "2:4");
  }

  @Test
  void everyChartHasAnAccessibleName() {
    NodeList svgs = page.getElementsByTagName("svg");
    assertThat(svgs.getLength()).isGreaterThanOrEqualTo(7);
    for (int i = 0; i < svgs.getLength(); i++) {
      Element svg = (Element) svgs.item(i);
      assertThat(svg.getAttribute("role")).isEqualTo("img");
      for (String id : svg.getAttribute("aria-labelledby").split(" ")) {
        Element named = byId(page, id);
        assertThat(named).as(id).isNotNull();
        assertThat(named.getTextContent()).isNotBlank();
      }
    }
  }

  @Test
  void textStaysReadableOnEveryColour() {
    assertThat(Colors.contrast(Colors.BAR, "#ffffff")).isGreaterThanOrEqualTo(4.5);
    assertThat(Colors.contrast(Colors.DROP, "#ffffff")).isGreaterThanOrEqualTo(4.5);
    assertThat(Colors.contrast(Colors.MUTED, "#ffffff")).isGreaterThanOrEqualTo(4.5);
    for (int i = 0; i <= 100; i++) {
      String fill = Colors.sequential(i / 100.0);
      assertThat(Colors.contrast(fill, Colors.textOn(fill))).as(fill).isGreaterThanOrEqualTo(4.5);
    }
  }

  @Test
  void controlCharactersAndBrokenSurrogatesCannotBreakThePage() {
    assertThat(Markup.escape("a\rb\u0007c\u0000d\uD83De")).isEqualTo("a&#13;b&#7;c\uFFFDd\uFFFDe");
    assertThat(Markup.escape("tab\tline\nok")).isEqualTo("tab\tline\nok");
    assertThat(Markup.escape("🛒")).isEqualTo("🛒");
  }

  @Test
  void longLabelsAreCutBetweenCharactersWithAnEllipsis() {
    String cut = Labels.fit("👩\u200D💻👩\u200D💻👩\u200D💻👩\u200D💻👩\u200D💻👩\u200D💻", 40);
    assertThat(cut).endsWith("\u2026");
    assertThat(cut.codePoints().filter(cp -> cp >= 0xD800 && cp <= 0xDFFF)).isEmpty();
    assertThat(cut.charAt(cut.length() - 2)).isNotEqualTo('\u200D');
    assertThat(Labels.fit("short", 100)).isEqualTo("short");
  }

  private static List<Double> barHeights(List<Element> steps) {
    List<Double> heights = new ArrayList<>();
    for (Element s : steps) {
      NodeList rects = s.getElementsByTagName("rect");
      for (int i = 0; i < rects.getLength(); i++) {
        Element r = (Element) rects.item(i);
        if (r.getAttribute("class").equals("bar")) {
          heights.add(Double.parseDouble(r.getAttribute("height")));
        }
      }
    }
    return heights;
  }

  private static List<String> text(Document d, String tag) {
    List<String> t = new ArrayList<>();
    NodeList n = d.getElementsByTagName(tag);
    for (int i = 0; i < n.getLength(); i++) {
      t.add(n.item(i).getTextContent());
    }
    return t;
  }

  private static Element byId(Document d, String id) {
    NodeList all = d.getElementsByTagName("*");
    for (int i = 0; i < all.getLength(); i++) {
      Element e = (Element) all.item(i);
      if (id.equals(e.getAttribute("id"))) {
        return e;
      }
    }
    return null;
  }
}
