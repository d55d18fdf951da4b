package io.heapsdk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The progress line and the run's log lines on one terminal: a log line (slf4j-simple writes to
 * {@code System.err}) was written over the progress line, and read {@code heap run: 6.1 s, statement 4 of 4:
 * build stg_heap_sessions_inc_fctINFO built …}. Here both go to one screen, rendered as a terminal would
 * ({@code \r} back to the line's start, later text over earlier).
 */
class ProgressLineTest {
  @Test
  void aLogLineGetsALineOfItsOwnAndTheProgressComesBackUnderIt() {
    ByteArrayOutputStream screen = new ByteArrayOutputStream();
    PrintStream before = System.err;
    PrintStream terminal = new PrintStream(screen, true, StandardCharsets.UTF_8);
    System.setErr(terminal);
    try {
      PrintWriter err = new PrintWriter(screen, true, StandardCharsets.UTF_8);
      try (ProgressLine line = new ProgressLine(err)) {
        line.statement(4, 4, "build", "stg_heap_sessions_inc_fct", Duration.ofMillis(6100));
        System.err.println("INFO built stg_heap_events_all_inc_fct (485078 rows) in 1372 ms");
        System.err.print("INFO a line in two writes");
        System.err.println();
      }
      assertThat(System.err).as("System.err is given back").isSameAs(terminal);
    } finally {
      System.setErr(before);
    }
    List<String> shown = rendered(screen.toString(StandardCharsets.UTF_8));
    assertThat(shown)
        .containsExactly(
            "INFO built stg_heap_events_all_inc_fct (485078 rows) in 1372 ms",
            "INFO a line in two writes",
            // cleared as the run ends: the summary starts on a clean line
            "");
  }

  /** Each line as a terminal shows it: a carriage return goes back to the start, and text overwrites. */
  private static List<String> rendered(String output) {
    List<String> lines = new ArrayList<>();
    for (String raw : output.split("\n", -1)) {
      StringBuilder line = new StringBuilder();
      int at = 0;
      for (char c : raw.toCharArray()) {
        if (c == '\r') {
          at = 0;
        } else {
          if (at < line.length()) {
            line.setCharAt(at, c);
          } else {
            line.append(c);
          }
          at++;
        }
      }
      lines.add(line.toString().stripTrailing());
    }
    return lines;
  }
}
