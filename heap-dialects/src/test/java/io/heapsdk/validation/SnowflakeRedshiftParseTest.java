package io.heapsdk.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.validation.RenderedStatements.Statement;
import io.heapsdk.warehouse.Warehouse;
import io.heapsdk.warehouse.Warehouses;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every statement rendered for Snowflake and Redshift parses with JSqlParser, an SQL parser independent
 * of Calcite, after the narrow, documented rules of {@link JSqlParserCheck} (each of which must still be
 * needed).
 */
class SnowflakeRedshiftParseTest {
  /** Fewer would mean a refactor stopped rendering (or collecting) statements: 4 scenarios today. */
  private static final int MINIMUM_STATEMENTS = 100;

  @ParameterizedTest
  @ValueSource(strings = {"snowflake", "redshift"})
  void everyStatementParses(String name) {
    Warehouse w = Warehouses.byName(name);
    Findings findings = new Findings("jsqlparser", name);
    Set<String> applied = new HashSet<>();
    for (Statement st : RenderedStatements.of(w)) {
      findings.record(st, JSqlParserCheck.problem(name, st.sql(), applied));
    }
    findings.assertClean(MINIMUM_STATEMENTS);
    // a rule nothing needs any more is a rule that could hide something: remove it
    assertThat(applied).as("rules used on %s", name)
        .containsExactlyInAnyOrderElementsOf(JSqlParserCheck.rulesFor(name).stream().map(JSqlParserCheck.Rule::name).toList());
  }

  @Test
  void rejectsBrokenSyntax() {
    Set<String> applied = new HashSet<>();
    assertThat(JSqlParserCheck.problem("snowflake", "SELECT \"A\" FROM \"T\" WHERE", applied)).isPresent();
    assertThat(JSqlParserCheck.problem("redshift", "SELECT (\"a\" FROM \"t\"", applied)).isPresent();
    assertThat(JSqlParserCheck.problem("redshift", "MERGE INTO \"t\" USING \"c\" ON \"t\".\"k\" = \"c\".\"k\" WHEN MATCHED UPDATE SET \"a\" = 1", applied))
        .isPresent();
    assertThat(JSqlParserCheck.problem("snowflake", "SELECT CAST(\"A\" AS VARCHAR CHARACTER SET \"ISO-8859-1\") FROM \"T\"", applied)).isPresent();
  }

  @Test
  void rejectsQualifiersThatNameNoTableInScope() {
    Set<String> applied = new HashSet<>();
    // a renamed table scanned without an alias is known by its own name only
    assertThat(JSqlParserCheck.problem("snowflake", "SELECT \"PAGEVIEWS\".\"A\" FROM \"S\".\"PageViews\"", applied))
        .hasValueSatisfying(p -> assertThat(p).contains("column qualifier \"PAGEVIEWS\""));
    // inside a window, a subquery, a join condition, a DELETE … USING and a MERGE
    assertThat(JSqlParserCheck.problem("redshift", "SELECT ROW_NUMBER() OVER (ORDER BY \"x\".\"a\") AS \"r\" FROM \"t\"", applied)).isPresent();
    assertThat(JSqlParserCheck.problem("redshift", "SELECT \"a\" FROM \"t\" WHERE \"a\" IN (SELECT \"u\".\"b\" FROM \"v\")", applied)).isPresent();
    assertThat(JSqlParserCheck.problem("redshift", "SELECT \"t\".\"a\" FROM \"t\" JOIN \"v\" AS \"w\" ON \"t\".\"a\" = \"v\".\"a\"", applied)).isPresent();
    assertThat(JSqlParserCheck.problem("redshift", "DELETE FROM \"s\".\"t\" USING \"s\".\"a\" AS \"active\" WHERE \"t\".\"u\" = \"a\".\"u\"", applied)).isPresent();
    assertThat(JSqlParserCheck.problem("snowflake", "MERGE INTO \"T\" AS \"TARGET\" USING \"C\" AS \"CHANGES\" ON \"TARGET\".\"K\" = \"C\".\"K\" WHEN MATCHED THEN UPDATE SET \"A\" = \"CHANGES\".\"A\"", applied))
        .isPresent();
    // correct references: an alias, an outer query's name from a correlated subquery, the DELETE target
    assertThat(JSqlParserCheck.problem("redshift", "SELECT \"w\".\"a\" FROM \"t\" JOIN \"v\" AS \"w\" ON \"t\".\"a\" = \"w\".\"a\" WHERE EXISTS (SELECT 1 FROM \"x\" WHERE \"x\".\"b\" = \"t\".\"b\")", applied))
        .isEmpty();
    assertThat(JSqlParserCheck.problem("redshift", "DELETE FROM \"s\".\"t\" USING \"s\".\"a\" AS \"active\" WHERE \"t\".\"u\" = \"active\".\"u\"", applied)).isEmpty();
  }

  @Test
  void rejectsTableOptionsOtherThanTheDocumentedOnes() {
    Set<String> applied = new HashSet<>();
    String select = "\nAS\nSELECT 1 AS \"a\"";
    assertThat(JSqlParserCheck.problem("redshift", "CREATE TABLE \"s\".\"t\"\nDISTKEY(\"a\")" + select, applied)).isEmpty();
    assertThat(JSqlParserCheck.problem("redshift", "CREATE TABLE \"s\".\"t\"\nCLUSTER BY (\"a\")" + select, applied))
        .hasValueSatisfying(p -> assertThat(p).contains("undocumented table options"));
    assertThat(JSqlParserCheck.problem("snowflake", "CREATE OR REPLACE TABLE \"S\".\"T\"\nDISTKEY(\"A\")" + select, applied))
        .hasValueSatisfying(p -> assertThat(p).contains("undocumented table options"));
    // a clustering key led by a time column's date is documented; another expression is not matched
    assertThat(JSqlParserCheck.problem("snowflake", "CREATE OR REPLACE TABLE \"S\".\"T\"\nCLUSTER BY (TO_DATE(\"A\"), \"B\")" + select, applied))
        .isEmpty();
    assertThat(JSqlParserCheck.problem("snowflake", "CREATE OR REPLACE TABLE \"S\".\"T\"\nCLUSTER BY (SUBSTR(\"A\", 1), \"B\")" + select, applied))
        .isPresent();
    // a database-qualified schema is documented for Snowflake only
    assertThat(JSqlParserCheck.problem("redshift", "CREATE SCHEMA IF NOT EXISTS \"db\".\"s\"", applied)).isPresent();
    assertThat(JSqlParserCheck.problem("snowflake", "CREATE SCHEMA IF NOT EXISTS \"DB\".\"S\"", applied)).isEmpty();
  }

  @Test
  void everyRuleSaysWhy() {
    for (JSqlParserCheck.Rule r : JSqlParserCheck.RULES) {
      assertThat(r.why()).as(r.name()).isNotBlank();
      assertThat(r.warehouses()).as(r.name()).isNotEmpty().allMatch(List.of("snowflake", "redshift")::contains);
    }
  }
}
