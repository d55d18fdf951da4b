package io.heapsdk.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The check for Calcite's invented column names, against the regular expression it replaces. */
class GeneratedNameTest {
  private static final Pattern GENERATED = Pattern.compile("(\\$f\\d+|EXPR\\$\\d+)");

  @Test
  void agreesWithTheRegularExpressionOnEveryShortName() {
    // every prefix near the two forms, then every tail of up to three characters: digits, a non-ASCII
    // digit (\d is ASCII only), characters next to the digits, letters and the dollar sign
    List<String> prefixes = List.of("", "$", "$f", "$F", "f", "EXPR", "EXPR$", "expr$", "EXP$", "x$f");
    String tailChars = "019/:$fx\u0663";
    List<String> tails = new ArrayList<>(List.of(""));
    for (int length = 1; length <= 3; length++) {
      List<String> longer = new ArrayList<>();
      for (String t : tails) {
        if (t.length() == length - 1) {
          for (char c : tailChars.toCharArray()) {
            longer.add(t + c);
          }
        }
      }
      tails.addAll(longer);
    }
    int generated = 0;
    for (String p : prefixes) {
      for (String t : tails) {
        String name = p + t;
        boolean expected = GENERATED.matcher(name).matches();
        assertThat(ProjectPlanner.isGeneratedName(name)).as(name).isEqualTo(expected);
        generated += expected ? 1 : 0;
      }
    }
    assertThat(generated).as("names of both forms were among those tried").isGreaterThan(20);
  }
}
