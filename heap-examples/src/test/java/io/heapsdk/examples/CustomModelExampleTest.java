package io.heapsdk.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The README's example runs and prints its SQL and rows. */
class CustomModelExampleTest {
  /**
   * Under a default locale with digits of its own (Arabic, Egypt), too: the example is the model for host
   * code, and its counts were printed as ٣٦ there.
   */
  @ParameterizedTest
  @ValueSource(strings = {"", "ar-EG"})
  void printsTheCustomModelsSnowflakeSqlAndItsRowsOnH2(String locale) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Locale before = Locale.getDefault();
    try {
      if (!locale.isEmpty()) {
        Locale.setDefault(Locale.forLanguageTag(locale));
      }
      CustomModelExample.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    } finally {
      Locale.setDefault(before);
    }
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(out.toLowerCase(java.util.Locale.ROOT)).contains("heap_session_country", "stg_heap_sessions_inc_fct", "group by");
    assertThat(out.lines().filter(l -> l.matches("United States\\s+\\d+"))).hasSize(1);
    // Snowflake's weeks start on Monday whatever the session's WEEK_START
    assertThat(out).contains("DAYOFWEEKISO", "COUNT(DISTINCT \"HEAP_USER_ID\")");
    List<String> weeks = out.lines().filter(l -> l.startsWith("week of ")).toList();
    assertThat(weeks).isNotEmpty();
    for (String line : weeks) {
      assertThat(LocalDate.parse(line.substring(8, 18)).getDayOfWeek()).as(line).isEqualTo(DayOfWeek.MONDAY);
    }
  }
}
