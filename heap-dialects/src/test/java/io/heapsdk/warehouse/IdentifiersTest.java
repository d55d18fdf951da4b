package io.heapsdk.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.regex.Pattern;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/**
 * The test of a name the warehouse would accept unquoted, against the regular expression it replaces, and
 * the one-pass quoting against folding the case with {@code String} first (a name in double quotes
 * taken as written, without them).
 */
class IdentifiersTest {
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  @Property(tries = 2000)
  void isPlainMatchesTheRegularExpression(
      @ForAll @StringLength(max = 6) @CharRange(from = '-', to = '{') @Chars({'é', ' ', '"', '`'}) String name) {
    assertThat(Identifiers.isPlain(name)).as(name).isEqualTo(PLAIN.matcher(name).matches());
  }

  @Property(tries = 2000)
  void quotesAsFoldingThenEscaping(
      @ForAll @StringLength(max = 6) @CharRange(from = '-', to = '{') @Chars({'é', 'ß', ' ', '"', '`', '\\'}) String name) {
    for (Identifiers policy : Identifiers.values()) {
      boolean plain = PLAIN.matcher(name).matches();
      // a name written in double quotes (at least one character inside) is meant exactly as written
      boolean exact = name.length() >= 3 && name.startsWith("\"") && name.endsWith("\"");
      String folded =
          exact ? name.substring(1, name.length() - 1)
              : !plain ? name
              : policy == Identifiers.UPPER_CASE_FOLDING ? name.toUpperCase(Locale.ROOT)
              : policy == Identifiers.LOWER_CASE_FOLDING ? name.toLowerCase(Locale.ROOT)
              : name;
      String quote = policy.name().startsWith("BACKTICKS") ? "`" : "\"";
      String escape = policy == Identifiers.BACKTICKS_AS_WRITTEN ? "\\`" : quote + quote;
      String expected = quote + folded.replace(quote, escape) + quote;
      assertThat(policy.quote(name)).as(policy + " " + name).isEqualTo(expected);
      // appended after what the buffer holds
      assertThat(policy.quote(new StringBuilder("x."), name).toString()).isEqualTo("x." + expected);
    }
  }

  @Test
  void edges() {
    assertThat(Identifiers.isPlain("")).isFalse();
    assertThat(Identifiers.isPlain("_")).isTrue();
    assertThat(Identifiers.isPlain("a9")).isTrue();
    assertThat(Identifiers.isPlain("9a")).isFalse();
    assertThat(Identifiers.isPlain("Zz_09")).isTrue();
    assertThat(Identifiers.isPlain("a-b")).isFalse();
    assertThat(Identifiers.isPlain("é")).isFalse();
    // characters just outside the ranges
    for (char c : new char[] {'@', '[', '`', '{', '/', ':'}) {
      assertThat(Identifiers.isPlain("a" + c)).as("a" + c).isFalse();
    }
    assertThat(Identifiers.UPPER_CASE_FOLDING.quote("user_id")).isEqualTo("\"USER_ID\"");
    assertThat(Identifiers.LOWER_CASE_FOLDING.quote("Mixed Case")).isEqualTo("\"Mixed Case\"");
    assertThat(Identifiers.BACKTICKS_AS_WRITTEN.quote("a`b")).isEqualTo("`a\\`b`");
  }
}
