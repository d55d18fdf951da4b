package io.heapsdk.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.StringLength;

/** The check for the aliases Calcite invents for derived tables, against the regular expression it replaces. */
class SubqueryAliasesTest {
  private static final Pattern GENERATED = Pattern.compile("t\\d*");

  @Property(tries = 2000)
  void isGeneratedMatchesTheRegularExpression(
      @ForAll @StringLength(max = 4) @CharRange(from = '/', to = ':') @Chars({'t', 'T', 's', 'u', '\u0663'}) String alias) {
    assertThat(SubqueryAliases.isGenerated(alias)).as(alias).isEqualTo(GENERATED.matcher(alias).matches());
  }
}
