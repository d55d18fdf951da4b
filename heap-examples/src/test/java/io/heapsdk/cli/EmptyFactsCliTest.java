package io.heapsdk.cli;

import static io.heapsdk.cli.HeapCliTest.heap;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Analyses over a fact that has no rows say why on standard error, where they printed a result that read
 * as data: every attribution credit to "(none)", a funnel breakdown of one "(null)" group, "(nobody did
 * /)". A mobile app's project has no pageviews, a server-side one no sessions either.
 */
class EmptyFactsCliTest {
  @TempDir Path tmp;

  @Test
  void aProjectWithoutPageviewsOrSessionsIsToldWhy() throws Exception {
    String url = "jdbc:h2:file:" + tmp.resolve("server-side");
    assertThat(heap("sample", "--jdbc", url, "--users", 80).code()).isZero();
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute("DELETE FROM MAIN_PRODUCTION.PAGEVIEWS");
      s.execute("DELETE FROM MAIN_PRODUCTION.SESSIONS");
    }
    assertThat(heap("run", "--jdbc", url).code()).isZero();

    HeapCliTest.Result paths = heap("paths", "--jdbc", url, "--pageviews", "--from-event", "/");
    assertThat(paths.code()).as(paths.err()).isZero();
    assertThat(paths.err()).isEqualTo("heap: stg_heap_pageview_sessions_inc_fct has no rows, as \"MAIN_PRODUCTION\".\"PAGEVIEWS\""
        + " (source.tables.pageviews) has none: --pageviews paths have no page to start from\n");

    HeapCliTest.Result attribution = heap("attribution", "--jdbc", url, "--model", "last_touch", "--conversion-events", "purchase");
    assertThat(attribution.code()).as(attribution.err()).isZero();
    assertThat(attribution.out()).contains("(none)");
    assertThat(attribution.err()).contains("heap: stg_heap_sessions_inc_fct has no rows, as \"MAIN_PRODUCTION\".\"SESSIONS\""
        + " (source.tables.sessions) has none: no conversion has a session to credit, so every credit goes to (none)");

    HeapCliTest.Result funnel = heap("funnel", "--jdbc", url, "--steps", "view_product,purchase", "--breakdown", "channel");
    assertThat(funnel.code()).as(funnel.err()).isZero();
    assertThat(funnel.err()).contains("heap: stg_heap_sessions_inc_fct has no rows, as \"MAIN_PRODUCTION\".\"SESSIONS\""
        + " (source.tables.sessions) has none: --breakdown channel reads the sessions, so every attempt is in the (null) group");
  }

  @Test
  void aPathNoPageviewHasIsNamed() {
    String url = "jdbc:h2:file:" + tmp.resolve("web");
    assertThat(heap("sample", "--jdbc", url, "--users", 80).code()).isZero();
    assertThat(heap("run", "--jdbc", url).code()).isZero();
    HeapCliTest.Result paths = heap("paths", "--jdbc", url, "--pageviews", "--from-event", "/no-such-page");
    assertThat(paths.code()).as(paths.err()).isZero();
    assertThat(paths.err()).isEqualTo("heap: no pageview in stg_heap_pageview_sessions_inc_fct has the path \"/no-such-page\""
        + " (--from-event); --pageviews paths match page paths (heap_pageview_path) exactly, case included\n");
    // a page there is: nothing said
    assertThat(heap("paths", "--jdbc", url, "--pageviews", "--from-event", "/").err()).isEmpty();
  }
}
