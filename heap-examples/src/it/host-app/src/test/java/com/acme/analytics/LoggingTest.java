package com.acme.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heapsdk.testing.HeapRow;
import io.heapsdk.testing.HeapTestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The logback-1.2 profile: SLF4J 1.7 is the host's, and what the SDK logs (it is compiled against SLF4J
 * 2.0, and calls only what 1.7 has) arrives in logback through it. Logback is read through its
 * configuration file only, so the class compiles in every profile.
 */
@Tag("logback-1.2")
class LoggingTest {
  private final AnalyticsService service = AnalyticsService.fromConfigFile(Path.of("config", "heap.yml"));

  @Test
  void theSdksLogLinesReachTheHostsLogback() throws IOException {
    assertEquals(System.getProperty("expected.slf4j.version"), ClasspathTest.mavenVersion(org.slf4j.LoggerFactory.class, "org.slf4j", "slf4j-api"));
    try (HeapTestDatabase db = HeapTestDatabase.create(service.config())) {
      db.insert(
          HeapRow.of("pageviews").set("event_id", 1).set("user_id", 10).set("session_id", 110).set("time", "2024-01-10T10:00:00"));
      db.build(service.project());
    }
    List<String> lines = Files.readAllLines(Path.of("target", "host-log.txt"), StandardCharsets.UTF_8);
    assertTrue(
        lines.stream().anyMatch(l -> l.startsWith("INFO io.heapsdk.run.JdbcRunner built " + AnalyticsService.SESSIONS_PER_USER + " (")),
        "the runner's line for the host's model, in:\n" + String.join("\n", lines));
  }
}
