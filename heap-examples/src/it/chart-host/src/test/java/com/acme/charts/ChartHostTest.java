package com.acme.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heapsdk.analysis.Funnel;
import io.heapsdk.analysis.FunnelResult;
import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.report.AnalysisCharts;
import io.heapsdk.run.AnalysisRunner;
import io.heapsdk.testing.HeapRow;
import io.heapsdk.testing.HeapTestDatabase;
import io.heapsdk.warehouse.Warehouses;
import java.io.IOException;
import java.lang.module.ModuleFinder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A host that draws a funnel chart from Java, with its own logger. */
class ChartHostTest {
  /** One logger binding, the host's: slf4j-simple came with heap-examples and SLF4J chose it over logback. */
  @Test
  void theHostsLoggerIsTheOneSlf4jUses() {
    assertEquals("ch.qos.logback.classic.LoggerContext", LoggerFactory.getILoggerFactory().getClass().getName());
  }

  /** What only the CLI needs stays out of the host's class path. */
  @Test
  void theClisLoggerDriversAndParserStayOut() {
    for (String cliOnly : List.of("org.slf4j.simple.SimpleLogger", "picocli.CommandLine", "org.duckdb.DuckDBDriver", "org.postgresql.Driver")) {
      assertThrows(ClassNotFoundException.class, () -> Class.forName(cliOnly), cliOnly + " is on the host's class path");
    }
  }

  /** On the module path heap-examples is io.heapsdk.examples, as its manifest says, beside the SDK's two. */
  @Test
  void theChartsJarHasAModuleName() throws Exception {
    Path jar = Path.of(AnalysisCharts.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    assertTrue(jar.getFileName().toString().startsWith("heap-examples-"), jar.toString());
    assertEquals(
        List.of("io.heapsdk.examples"),
        ModuleFinder.of(jar).findAll().stream().map(m -> m.descriptor().name()).collect(Collectors.toList()));
  }

  @Test
  void drawsAFunnelBuiltOnATestDatabase() throws IOException {
    HeapConfig config = HeapConfig.builder().funnelEvents(List.of("view_product", "purchase")).build();
    Funnel funnel = Funnel.builder().step("view_product").step("purchase").build();
    try (HeapTestDatabase db = HeapTestDatabase.create(config)) {
      db.insert(
          // by hand: users 1 and 2 view a product, user 1 buys after it; user 3 buys without viewing
          event(1, 1, "view_product", "2024-01-10T10:00:00"),
          event(2, 1, "purchase", "2024-01-10T10:05:00"),
          event(3, 2, "view_product", "2024-01-10T11:00:00"),
          event(4, 3, "purchase", "2024-01-10T12:00:00"));
      db.build(HeapProject.standard(config));
      FunnelResult result = new AnalysisRunner(Warehouses.H2, config).run(funnel, db.connection());
      String html = AnalysisCharts.funnel(result).html();
      assertTrue(Pattern.compile("class=\"mark step\" data-step=\"1\"[^>]*data-value=\"2\"").matcher(html).find(), html);
      assertTrue(Pattern.compile("class=\"mark step\" data-step=\"2\"[^>]*data-value=\"1\"").matcher(html).find(), html);
    }
    // the runner's lines went to the host's logback, not to standard error through slf4j-simple
    List<String> lines = Files.readAllLines(Path.of("target", "host-log.txt"), StandardCharsets.UTF_8);
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("INFO io.heapsdk.run.JdbcRunner built stg_heap_events_all_inc_fct (")), String.join("\n", lines));
  }

  private static HeapRow event(int id, int user, String name, String time) {
    return HeapRow.of("all_events").set("event_id", id).set("user_id", user).set("session_id", 100 + user).set("time", time).set("event_table_name", name);
  }
}
