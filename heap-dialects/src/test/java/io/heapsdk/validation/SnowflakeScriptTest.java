package io.heapsdk.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.validation.RenderedStatements.Scenario;
import io.heapsdk.warehouse.BuildPlan;
import io.heapsdk.warehouse.Warehouse;
import io.heapsdk.warehouse.Warehouses;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Snowflake's run operations in every scenario: facts rebuilt with {@code COPY GRANTS} (so BI roles keep
 * their privileges), working tables {@code TRANSIENT}, and the apply of a script inside a Snowflake
 * Scripting block that rolls back and re-raises on the first error.
 *
 * <p>JSqlParser does not parse Snowflake Scripting, so the block is taken apart here explicitly: its
 * frame must be exactly the documented one, and what it holds must be exactly the run's APPLY
 * statements, in order, each of which {@link SnowflakeRedshiftParseTest} parses on its own (and this
 * test again).
 */
class SnowflakeScriptTest {
  private static final Warehouse SNOWFLAKE = Warehouses.byName("snowflake");

  /** EXECUTE IMMEDIATE $$ BEGIN BEGIN TRANSACTION; …; COMMIT; EXCEPTION WHEN OTHER THEN ROLLBACK; RAISE; END; $$; */
  private static final Pattern BLOCK =
      Pattern.compile(
          "EXECUTE IMMEDIATE \\$\\$\nBEGIN\nBEGIN TRANSACTION;\n(.*?)COMMIT;\nEXCEPTION\n  WHEN OTHER THEN\n"
              + "    ROLLBACK;\n    RAISE;\nEND;\n\\$\\$;\n",
          Pattern.DOTALL);

  @Test
  void theApplyRunsInOneBlockThatRollsBackAndReraises() {
    int blocks = 0;
    for (Scenario s : RenderedStatements.scenarios(SNOWFLAKE)) {
      BuildPlan run = BuildPlan.incremental(SNOWFLAKE, s.plan());
      List<String> apply =
          run.steps().stream()
              .filter(st -> st.phase() == BuildPlan.Phase.APPLY)
              .flatMap(st -> st.statements().stream())
              .toList();
      assertThat(apply).as(s.name()).isNotEmpty();
      String script = run.script();
      Matcher m = BLOCK.matcher(script);
      assertThat(m.find()).as("%s: the apply block\n%s", s.name(), script).isTrue();
      assertThat(m.group(1)).as(s.name()).isEqualTo(apply.stream().map(st -> st + ";\n").collect(Collectors.joining()));
      for (String st : apply) {
        assertThat(JSqlParserCheck.problem("snowflake", st, new HashSet<>())).as("%s: %s", s.name(), st).isEmpty();
      }
      String outside = script.substring(0, m.start()) + script.substring(m.end());
      // a reconciling run records the sources' fingerprints at its end, in a block of its own
      List<String> record =
          run.steps().stream()
              .filter(st -> st.phase() == BuildPlan.Phase.RECORD)
              .flatMap(st -> st.statements().stream())
              .toList();
      if (!record.isEmpty()) {
        Matcher r = BLOCK.matcher(outside);
        assertThat(r.find()).as("%s: the block recording the fingerprints", s.name()).isTrue();
        assertThat(r.group(1)).as(s.name()).isEqualTo(record.stream().map(st -> st + ";\n").collect(Collectors.joining()));
        outside = outside.substring(0, r.start()) + outside.substring(r.end());
      }
      assertThat(BLOCK.matcher(outside).find()).as("%s: one block per run", s.name()).isFalse();
      for (String st : apply) {
        assertThat(outside).as("%s: an apply statement outside the block", s.name()).doesNotContain(st);
      }
      // no transaction left outside the block for a client to commit half of
      assertThat(outside).as(s.name()).doesNotContainPattern("(?m)^(BEGIN|COMMIT|ROLLBACK)\\b");
      blocks++;
    }
    assertThat(blocks).isGreaterThanOrEqualTo(7);
  }

  @Test
  void factsKeepTheirGrantsAndWorkingTablesAreTransient() {
    int builds = 0;
    int work = 0;
    for (Scenario s : RenderedStatements.scenarios(SNOWFLAKE)) {
      for (BuildPlan run : List.of(BuildPlan.fullRefresh(SNOWFLAKE, s.plan()), BuildPlan.incremental(SNOWFLAKE, s.plan()))) {
        for (BuildPlan.Step step : run.steps()) {
          for (String st : step.statements()) {
            if (step.phase() == BuildPlan.Phase.BUILD) {
              // the documented CTAS order: [ CLUSTER BY ( … ) ] [ COPY GRANTS ] [ COPY TAGS ] AS <query>
              assertThat(st).as("%s %s", s.name(), step.model())
                  .startsWith("CREATE OR REPLACE TABLE ")
                  .containsOnlyOnce("\nCOPY GRANTS\nCOPY TAGS\nAS\n");
              builds++;
            } else if (step.phase() == BuildPlan.Phase.WORK) {
              assertThat(st).as("%s %s", s.name(), step.model()).startsWith("CREATE OR REPLACE TRANSIENT TABLE ");
              work++;
            }
          }
        }
      }
    }
    assertThat(builds).isGreaterThan(20);
    assertThat(work).isGreaterThan(20);
  }

  /**
   * A {@code $$} in a quoted name would end the dollar-quoted block early; the block then goes in a
   * single-quoted literal, which read back with Snowflake's escapes is the same block.
   */
  @Test
  void aDollarQuoteInANameMovesTheBlockIntoALiteral() {
    String delete = "DELETE FROM \"S\".\"A$$B\" WHERE \"it's\" = 1";
    String text = SNOWFLAKE.transactionScript(List.of(delete));
    assertThat(text).startsWith("EXECUTE IMMEDIATE '").endsWith("';\n\n").doesNotContain("$$\n");
    String literal = text.substring("EXECUTE IMMEDIATE ".length(), text.length() - ";\n\n".length());
    String block = unquote(literal);
    assertThat(block)
        .isEqualTo(
            "BEGIN\nBEGIN TRANSACTION;\n" + delete + ";\nCOMMIT;\nEXCEPTION\n  WHEN OTHER THEN\n    ROLLBACK;\n    RAISE;\nEND;");
    // without $$ the readable form
    assertThat(SNOWFLAKE.transactionScript(List.of("DELETE FROM \"S\".\"T\""))).startsWith("EXECUTE IMMEDIATE $$\nBEGIN\n");
  }

  /** Reads a Snowflake single-quoted literal as Snowflake does: {@code ''} and backslash escapes. */
  private static String unquote(String literal) {
    assertThat(literal).startsWith("'").endsWith("'");
    StringBuilder b = new StringBuilder();
    for (int i = 1; i < literal.length() - 1; i++) {
      char c = literal.charAt(i);
      if (c == '\'') {
        assertThat(literal.charAt(++i)).as("a lone quote inside the literal").isEqualTo('\'');
        b.append('\'');
      } else if (c == '\\') {
        char e = literal.charAt(++i);
        b.append(e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e);
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
