package io.heapsdk.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The README's example runs and prints its SQL and rows. */
class CustomModelExampleTest {
  @Test
  void printsTheCustomModelsSnowflakeSqlAndItsRowsOnH2() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CustomModelExample.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(out.toLowerCase(java.util.Locale.ROOT)).contains("heap_session_country", "stg_heap_sessions_inc_fct", "group by");
    assertThat(out.lines().filter(l -> l.matches("United States\\s+\\d+"))).hasSize(1);
  }
}
