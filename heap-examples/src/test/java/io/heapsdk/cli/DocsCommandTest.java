package io.heapsdk.cli;

import static io.heapsdk.cli.HeapCliTest.heap;
import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.docs.DocsSite;
import io.heapsdk.model.HeapProject;
import io.heapsdk.model.PlannedModel;
import io.heapsdk.report.PageChecks;
import io.heapsdk.sample.SampleData;
import io.heapsdk.warehouse.BuildPlan;
import io.heapsdk.warehouse.Warehouses;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * {@code heap docs}: a page per model and the source catalog, links that all lead somewhere, the SQL
 * {@code heap compile} writes, and the lineage of the demo's project (user models included). The same
 * pages are opened in Chromium by {@code BrowserCheckTest}.
 */
class DocsCommandTest {
  @TempDir static Path tmp;
  private static Map<String, String> demoSite;
  private static Path demoDir;

  @BeforeAll
  static void writeTheDemosSite() {
    demoDir = tmp.resolve("demo-site");
    demoSite = DocsCommand.write(DemoProjects.demo(), List.of(Warehouses.SNOWFLAKE, Warehouses.H2), demoDir);
  }

  @Test
  void writesAPageForEveryModelAndTheSourceCatalog() throws IOException {
    Path config = tmp.resolve("heap.yml");
    Files.writeString(config, SampleData.DEMO_CONFIG_YAML);
    Path out = tmp.resolve("site");
    HeapCliTest.Result r = heap("docs", "--config", config, "--out", out, "--warehouse", "bigquery");
    assertThat(r.code()).as(r.err()).isZero();
    List<String> models = HeapProject.standard(SampleData.demoConfig()).plan().models().stream().map(PlannedModel::name).toList();
    assertThat(r.out()).isEqualTo("wrote " + (models.size() + 2) + " pages to " + out + "; open " + out.resolve("index.html") + "\n");
    List<String> files;
    try (Stream<Path> s = Files.walk(out)) {
      files = s.filter(Files::isRegularFile).map(p -> out.relativize(p).toString()).sorted().toList();
    }
    List<String> expected = new ArrayList<>(List.of("index.html", "sources.html"));
    models.forEach(m -> expected.add("models/" + m + ".html"));
    assertThat(files).containsExactlyInAnyOrderElementsOf(expected);
    // --warehouse: only BigQuery's SQL, the full refresh and the incremental run of a fact
    String fact = Files.readString(out.resolve("models/stg_heap_sessions_inc_fct.html"));
    assertThat(fact).contains("id=\"sql-bigquery-full\"", "id=\"sql-bigquery-incremental\"").doesNotContain("sql-snowflake");
  }

  /**
   * A PostgreSQL project whose schema BigQuery could not name (a space): without --warehouse the site
   * shows the other seven and says why BigQuery is missing; naming BigQuery is still refused.
   */
  @Test
  void aWarehouseThatCannotStoreTheNamesIsLeftOutOfTheDefault() throws IOException {
    Path config = tmp.resolve("heap-prod.yml");
    Files.writeString(config, "source:\n  schema: Heap Prod\n");
    Path out = tmp.resolve("site-heap-prod");
    HeapCliTest.Result r = heap("docs", "--config", config, "--out", out);
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err().strip())
        .isEqualTo(
            "heap docs: leaving out bigquery: bigquery cannot use source.schema \"Heap Prod\" as a dataset name: BigQuery dataset names hold only"
                + " ASCII letters, digits and underscores (at most 1,024) (--warehouse names the warehouses to show)");
    String fact = Files.readString(out.resolve("models/stg_heap_sessions_inc_fct.html"));
    assertThat(fact).contains("id=\"sql-postgres-full\"", "id=\"sql-snowflake-full\"").doesNotContain("sql-bigquery");
    // `all`, as compile takes it: the default's warehouses
    HeapCliTest.Result all = heap("docs", "--config", config, "--out", tmp.resolve("site-all"), "--warehouse", "all");
    assertThat(all.code()).as(all.err()).isZero();
    assertThat(all.err()).startsWith("heap docs: leaving out bigquery: ");
    HeapCliTest.Result named = heap("docs", "--config", config, "--out", out, "--warehouse", "bigquery");
    assertThat(named.code()).isEqualTo(2);
    assertThat(named.err()).startsWith("heap: bigquery cannot use source.schema \"Heap Prod\"");
  }

  @Test
  void badOptionsExitWithTwo() {
    HeapCliTest.Result w = heap("docs", "--out", tmp.resolve("x"), "--warehouse", "oracle");
    assertThat(w.code()).isEqualTo(2);
    assertThat(w.err()).startsWith("heap: --warehouse: unknown warehouse \"oracle\"");
    HeapCliTest.Result missing = heap("docs");
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("--out");
  }

  @Test
  void everyLinkLeadsToAPageAndAnAnchorOfTheSite() {
    for (Map.Entry<String, String> page : demoSite.entrySet()) {
      Path from = demoDir.resolve(page.getKey()).getParent();
      assertThat(page.getValue().toLowerCase().replace("http-equiv=", "")).doesNotContain("http", "src=", "<script", "url(");
      for (String href : PageChecks.hrefs(page.getValue())) {
        assertThat(href).doesNotContain(":").doesNotStartWith("/");
        String file = href.contains("#") ? href.substring(0, href.indexOf('#')) : href;
        String target = demoDir.relativize(from.resolve(file).normalize()).toString().replace('\\', '/');
        assertThat(demoSite).as("%s links to %s", page.getKey(), href).containsKey(file.isEmpty() ? page.getKey() : target);
        if (href.contains("#")) {
          String anchor = href.substring(href.indexOf('#') + 1);
          assertThat(demoSite.get(file.isEmpty() ? page.getKey() : target)).as(href).contains("id=\"" + anchor + "\"");
        }
      }
    }
  }

  @Test
  void theLineageDrawsUserModelsAfterTheFactsAndLinksEveryNode() {
    Document index = PageChecks.parse(demoSite.get(DocsSite.INDEX));
    Map<String, Element> nodes = lineageNodes(index);
    List<String> models = DemoProjects.demo().plan().models().stream().map(PlannedModel::name).toList();
    List<String> expected = new ArrayList<>(models);
    SampleData.demoConfig().catalog().tableNames().forEach(t -> expected.add("source:" + t));
    assertThat(nodes.keySet()).containsExactlyInAnyOrderElementsOf(expected);
    for (String m : models) {
      assertThat(((Element) nodes.get(m).getParentNode()).getAttribute("href")).isEqualTo("models/" + m + ".html");
    }
    assertThat(((Element) nodes.get("source:users").getParentNode()).getAttribute("href")).isEqualTo("sources.html#source-users");
    int fact = Integer.parseInt(nodes.get("stg_heap_sessions_inc_fct").getAttribute("data-layer"));
    assertThat(Integer.parseInt(nodes.get(DemoModels.SESSIONS_PER_CHANNEL).getAttribute("data-layer"))).isGreaterThan(fact);
    assertThat(nodes.get(DemoModels.SESSIONS_PER_CHANNEL).getAttribute("data-kind")).isEqualTo("table");
    assertThat(nodes.get("src_heap_sessions_eph").getAttribute("data-kind")).isEqualTo("ephemeral");
    // a model's own page: what it reads and what reads it, itself highlighted, nothing unrelated
    Map<String, Element> around = lineageNodes(PageChecks.parse(demoSite.get(DocsSite.modelPage("stg_heap_events_all_inc_fct"))));
    assertThat(around.keySet())
        .contains("source:all_events", "src_heap_events_all_eph", "stg_heap_events_all_inc_fct", "stg_heap_sessions_inc_fct", DemoModels.SESSIONS_PER_CHANNEL)
        .doesNotContain("source:pageviews", "stg_heap_pageview_sessions_inc_fct");
    assertThat(around.get("stg_heap_events_all_inc_fct").getAttribute("class")).isEqualTo("node current");
    assertThat(((Element) around.get("stg_heap_sessions_inc_fct").getParentNode()).getAttribute("href")).isEqualTo("../models/stg_heap_sessions_inc_fct.html");
  }

  @Test
  void aModelPageShowsItsColumnsTestsAndTheCompiledSql() {
    HeapProject project = DemoProjects.demo();
    Map<String, String> full = SqlFiles.texts(project.plan(), Warehouses.H2, BuildPlan.Mode.FULL_REFRESH);
    Map<String, String> incremental = SqlFiles.texts(project.plan(), Warehouses.SNOWFLAKE, BuildPlan.Mode.INCREMENTAL);
    Document fact = PageChecks.parse(demoSite.get(DocsSite.modelPage("stg_heap_sessions_inc_fct")));
    assertThat(sqlBlock(fact, "sql-h2-full")).isEqualTo(full.get("stg_heap_sessions_inc_fct"));
    assertThat(sqlBlock(fact, "sql-snowflake-incremental")).isEqualTo(incremental.get("stg_heap_sessions_inc_fct"));
    String text = fact.getDocumentElement().getTextContent();
    assertThat(text)
        .contains("heap_session_defined_channel_attribution", "The marketing channel of the session: the first matching channel rule")
        .contains("not_null_stg_heap_sessions_inc_fct_heap_session_id", "unique_stg_heap_sessions_inc_fct_heap_session_id")
        .contains("incremental", "heap_session_start_time");
    Document eph = PageChecks.parse(demoSite.get(DocsSite.modelPage("src_heap_pageviews_eph")));
    assertThat(sqlBlock(eph, "sql-h2-full")).isEqualTo(full.get("src_heap_pageviews_eph")).startsWith(SqlFiles.EPHEMERAL_HEADER);
    Document sources = PageChecks.parse(demoSite.get(DocsSite.SOURCES));
    String catalog = sources.getDocumentElement().getTextContent();
    assertThat(catalog).contains("on time: warn after 1d, error after 3d", "on joindate", "no rule", "unique (warn)", "not_null", "ab_variant");
  }

  private static String sqlBlock(Document page, String id) {
    NodeList details = page.getElementsByTagName("details");
    for (int i = 0; i < details.getLength(); i++) {
      Element d = (Element) details.item(i);
      if (d.getAttribute("id").equals(id)) {
        return d.getElementsByTagName("pre").item(0).getTextContent();
      }
    }
    throw new AssertionError("no SQL block " + id);
  }

  private static Map<String, Element> lineageNodes(Document page) {
    Map<String, Element> nodes = new java.util.LinkedHashMap<>();
    NodeList groups = page.getElementsByTagName("g");
    for (int i = 0; i < groups.getLength(); i++) {
      Element g = (Element) groups.item(i);
      if (g.hasAttribute("data-node")) {
        nodes.put(g.getAttribute("data-node"), g);
      }
    }
    return nodes;
  }
}
