package io.heapsdk.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.validation.RenderedStatements.Statement;
import io.heapsdk.warehouse.Warehouse;
import io.heapsdk.warehouse.Warehouses;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every statement rendered for every warehouse in {@code Warehouses.all()} is free of the constructs
 * {@link WarehouseLint} knows to be invalid there; every rule catches its own example, and the lint
 * catches the classic mistakes (FILTER on Snowflake, RANGE on Redshift) planted in real statements.
 */
class WarehouseLintTest {
  /** Fewer would mean a refactor stopped rendering (or collecting) statements: 4 scenarios today. */
  private static final int MINIMUM_STATEMENTS = 100;

  /** Every warehouse name a rule may name: the four of today and those being added. */
  private static final Set<String> KNOWN_WAREHOUSES =
      Set.of("snowflake", "bigquery", "redshift", "h2", "postgres", "duckdb", "spark", "trino");

  static Stream<String> warehouses() {
    return Warehouses.all().stream().map(Warehouse::name);
  }

  @ParameterizedTest
  @MethodSource("warehouses")
  void noStatementUsesAConstructInvalidOnItsWarehouse(String name) {
    Findings findings = new Findings("lint", name);
    for (Statement st : RenderedStatements.of(Warehouses.byName(name))) {
      List<String> violations = WarehouseLint.violations(name, st.sql());
      findings.record(st, violations.isEmpty() ? Optional.empty() : Optional.of(String.join("\n  ", violations)));
    }
    findings.assertClean(MINIMUM_STATEMENTS);
  }

  @Test
  void everyWarehouseHasLexicalRulesAndEveryRuleKnownWarehouses() {
    assertThat(WarehouseLint.LEXICAL.keySet()).as("add a WarehouseLint.LEXICAL row for each new warehouse").containsAll(warehouses().toList());
    for (WarehouseLint.Rule r : WarehouseLint.RULES) {
      assertThat(KNOWN_WAREHOUSES).as("warehouses of rule %s", r.name()).containsAll(r.warehouses());
      assertThat(r.why()).as(r.name()).isNotBlank();
    }
  }

  @Test
  void everyRuleFlagsItsExampleOnEachOfItsWarehouses() {
    for (WarehouseLint.Rule r : WarehouseLint.RULES) {
      for (String w : r.warehouses()) {
        assertThat(WarehouseLint.violations(r, w, r.example())).as("rule %s on %s: %s", r.name(), w, r.example()).isNotEmpty();
      }
    }
  }

  @Test
  void rejectsAFilterClausePlantedInASnowflakeStatement() {
    String sql = rendered("snowflake", "stg_heap_sessions_inc_fct BUILD");
    String planted = sql.replaceFirst("COUNT\\(CASE WHEN (\"\\w+\" = 1) THEN 1 ELSE NULL END\\)", "COUNT(*) FILTER (WHERE $1)");
    assertThat(planted).isNotEqualTo(sql);
    assertThat(WarehouseLint.violations("snowflake", sql)).isEmpty();
    assertThat(WarehouseLint.violations("snowflake", planted)).anyMatch(v -> v.startsWith("FILTER clause on an aggregate"));
  }

  @Test
  void rejectsARangeFramePlantedInARedshiftStatement() {
    String sql = rendered("redshift", "stg_heap_pageview_sessions_inc_fct BUILD");
    String planted = sql.replace("ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING", "RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING");
    assertThat(planted).isNotEqualTo(sql);
    assertThat(WarehouseLint.violations("redshift", sql)).isEmpty();
    assertThat(WarehouseLint.violations("redshift", planted)).anyMatch(v -> v.startsWith("RANGE window frame"));
  }

  @Test
  void literalsAndQuotedNamesAreDataNotConstructs() {
    // the hostile config's values hold quotes, backslashes and SQL words; masked, they match no rule
    assertThat(WarehouseLint.violations("snowflake", "SELECT 'x'') FILTER (WHERE y' AS \"IS TRUE\"")).isEmpty();
    assertThat(WarehouseLint.violations("redshift", "SELECT 'RANGE BETWEEN 1 AND 2' AS \"a`b\"")).isEmpty();
    assertThat(WarehouseLint.violations("bigquery", "SELECT 'c\\'p\\\\c' AS `x\\`y`")).isEmpty();
    // …and a backslash is read the way each warehouse reads it: an escape on Snowflake, a character on H2
    assertThat(WarehouseLint.violations("snowflake", "SELECT 'back\\slash' AS \"X\"")).isNotEmpty();
    assertThat(WarehouseLint.violations("h2", "SELECT 'back\\slash' AS \"X\"")).isEmpty();
  }

  /**
   * Every warehouse's statements of the unicode scenario hold its values as plain literals; the literal
   * Calcite would write with the type factory's default character set is caught on each of them.
   */
  @ParameterizedTest
  @MethodSource("warehouses")
  void rejectsACharsetPrefixPlantedInAUnicodeStatement(String name) {
    String sql =
        RenderedStatements.of(Warehouses.byName(name)).stream()
            .filter(st -> st.scenario().equals("unicode") && st.run().equals("full") && st.sql().contains("'购买🛒'"))
            .findFirst()
            .orElseThrow()
            .sql();
    assertThat(WarehouseLint.violations(name, sql)).isEmpty();
    assertThat(WarehouseLint.violations(name, sql.replace("'购买🛒'", "_UTF-8'购买🛒'")))
        .anyMatch(v -> v.startsWith("character set or Unicode-escape prefix"));
    assertThat(WarehouseLint.violations(name, sql.replace("'购买🛒'", "U&'\\8D2D\\4E70'")))
        .anyMatch(v -> v.startsWith("character set or Unicode-escape prefix"));
  }

  private static String rendered(String warehouse, String step) {
    return RenderedStatements.of(Warehouses.byName(warehouse)).stream()
        .filter(st -> st.scenario().equals("standard") && st.run().equals("full") && st.step().equals(step))
        .filter(st -> !st.sql().startsWith("DROP"))
        .findFirst()
        .orElseThrow()
        .sql();
  }
}
