package io.heapsdk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Heap's times are UTC wall-clock times in columns without a zone, and must stay so whatever zone the
 * JVM runs in. The same commands in a JVM on UTC and in one on New York time ({@code TZ}), over 100 days
 * of sample data that cross New York's spring-forward night (2024-03-10, 02:00 to 03:00 does not exist
 * there: a time read or written through the JVM's zone would move by an hour): the built facts hold the
 * same rows, time for time, after a full and an incremental run, and the daily funnel trend is the same.
 * The oracle is the UTC run; what is compared is that nothing depends on the zone. On H2, whose rows go
 * in through JDBC parameters (binding them as {@code java.sql.Timestamp} fails it); DuckDB's appender
 * and PostgreSQL's COPY were compared the same way by hand (README, "Times and time zones").
 */
class TimeZoneCliTest {
  private static final String NEW_YORK = "America/New_York";
  private static final List<String> FACTS =
      List.of("stg_heap_events_all_inc_fct", "stg_heap_pageview_sessions_inc_fct", "stg_heap_sessions_inc_fct");

  @TempDir Path tmp;

  @Test
  void theFactsAndAFunnelAreTheSameInEveryTimeZone() throws Exception {
    String utc = "jdbc:h2:file:" + tmp.resolve("utc");
    String newYork = "jdbc:h2:file:" + tmp.resolve("new-york");
    // the two zones' processes side by side: each command is a JVM of its own, mostly starting up
    java.util.concurrent.CompletableFuture<String> inUtc = java.util.concurrent.CompletableFuture.supplyAsync(() -> built("UTC", utc));
    String trendNewYork = build(NEW_YORK, newYork);
    String trendUtc = inUtc.join();

    // not vacuous: pageviews inside the hour New York skips
    assertThat(count(utc, "SELECT COUNT(*) FROM main_production.pageviews WHERE time >= TIMESTAMP '2024-03-10 02:00:00'"
        + " AND time < TIMESTAMP '2024-03-10 03:00:00'")).isPositive();
    assertThat(trendNewYork).contains("2024-03-10").isEqualTo(trendUtc);
    for (String fact : FACTS) {
      assertThat(rows(newYork, fact)).as(fact).isEqualTo(rows(utc, fact)).isNotEmpty();
    }
  }

  private static String built(String zone, String url) {
    try {
      return build(zone, url);
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Sample, full run, a second batch, incremental run, in a JVM on {@code zone}; returns the trend CSV. */
  private static String build(String zone, String url) throws IOException, InterruptedException {
    String sample = "sample --jdbc " + url + " --users 800 --days 100";
    for (String command : List.of(sample, "run --jdbc " + url, sample + " --batch 2", "run --jdbc " + url)) {
      heap(zone, command);
    }
    return heap(zone, "funnel --jdbc " + url + " --steps view_product,purchase --trend day --format csv");
  }

  private static String heap(String zone, String command) throws IOException, InterruptedException {
    Process p = HeapProcess.builder(env -> env.put("TZ", zone), command.split(" ")).redirectErrorStream(true).start();
    String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(command).isTrue();
    assertThat(p.exitValue()).as("TZ=" + zone + " heap " + command + ":\n" + said).isZero();
    return said.lines().filter(l -> !l.startsWith("INFO")).reduce("", (a, b) -> a + b + "\n");
  }

  /** Every row of a fact in key order, times read as the wall-clock values stored. */
  private static List<String> rows(String url, String fact) throws SQLException {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT * FROM heap_models." + fact + " ORDER BY 1")) {
      int columns = rs.getMetaData().getColumnCount();
      List<String> rows = new ArrayList<>();
      while (rs.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= columns; i++) {
          Object v = rs.getMetaData().getColumnType(i) == Types.TIMESTAMP ? rs.getObject(i, LocalDateTime.class) : rs.getObject(i);
          row.append(v).append('|');
        }
        rows.add(row.toString());
      }
      return rows;
    }
  }

  private static long count(String url, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
