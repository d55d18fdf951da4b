package io.heapsdk.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.zetasql.SqlException;
import com.google.zetasql.resolvedast.ResolvedNodes.ResolvedCreateTableAsSelectStmt;
import com.google.zetasql.resolvedast.ResolvedNodes.ResolvedCreateTableStmt;
import com.google.zetasql.resolvedast.ResolvedNodes.ResolvedStatement;
import io.heapsdk.validation.RenderedStatements.Scenario;
import io.heapsdk.validation.RenderedStatements.Statement;
import io.heapsdk.warehouse.BuildPlan;
import io.heapsdk.warehouse.Warehouse;
import io.heapsdk.warehouse.Warehouses;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every statement rendered for BigQuery is resolved by ZetaSQL, BigQuery's own SQL front end, with
 * BigQuery's language options and a catalog of the Heap source tables and the SDK's target tables: names
 * and types are checked, not only syntax. Run scripts are resolved statement by statement, as BigQuery
 * runs them.
 */
class BigQueryZetaSqlTest {
  /** Fewer would mean a refactor stopped rendering (or collecting) statements: 4 scenarios today. */
  private static final int MINIMUM_STATEMENTS = 100;

  private static final Warehouse BIGQUERY = Warehouses.BIGQUERY;

  @Test
  void everyStatementResolves() {
    Findings findings = new Findings("zetasql", BIGQUERY.name());
    for (Scenario s : RenderedStatements.scenarios(BIGQUERY)) {
      try (BigQueryAnalyzer bq = new BigQueryAnalyzer(s.plan())) {
        for (Statement st : RenderedStatements.of(BIGQUERY)) {
          if (st.scenario().equals(s.name())) {
            findings.record(st, problem(bq, st));
          }
        }
      }
    }
    findings.assertClean(MINIMUM_STATEMENTS);
  }

  private static Optional<String> problem(BigQueryAnalyzer bq, Statement st) {
    try {
      return createdColumnsProblem(bq, bq.analyze(st.sql()));
    } catch (SqlException e) {
      return Optional.of(explain(st, e));
    }
  }

  /**
   * The scripts ({@link BuildPlan#script()}) hold the same statements plus BEGIN / COMMIT TRANSACTION;
   * read statement by statement, they must split exactly there (no {@code ;} inside a hostile literal or
   * name may cut a statement) and resolve.
   */
  @Test
  void runScriptsResolveStatementByStatement() throws SqlException {
    int scripts = 0;
    for (Scenario s : RenderedStatements.scenarios(BIGQUERY)) {
      try (BigQueryAnalyzer bq = new BigQueryAnalyzer(s.plan())) {
        for (BuildPlan run : List.of(BuildPlan.fullRefresh(BIGQUERY, s.plan()), BuildPlan.incremental(BIGQUERY, s.plan()))) {
          String runName = run.mode() == BuildPlan.Mode.FULL_REFRESH ? "full" : "incremental";
          if (KnownInvalid.of("zetasql", BIGQUERY.name()).stream()
              .anyMatch(e -> e.scenario().equals(s.name()) && e.run().equals(runName))) {
            // a script stops at its first invalid statement; everyStatementResolves reports it
            continue;
          }
          int statements = run.steps().stream().mapToInt(step -> step.statements().size()).sum();
          // one BEGIN … COMMIT around all APPLY steps, and one around each RECORD step (BigQuery's SWAP
          // steps are DDL, which its transactions refuse)
          long swaps =
              run.steps().stream()
                  .filter(step -> (step.phase() == BuildPlan.Phase.SWAP && BIGQUERY.swapsInOneTransaction()) || step.phase() == BuildPlan.Phase.RECORD)
                  .count();
          boolean applies = run.steps().stream().anyMatch(step -> step.phase() == BuildPlan.Phase.APPLY);
          int transactionStatements = (int) (2 * swaps + (applies ? 2 : 0));
          List<ResolvedStatement> resolved = bq.analyzeScript(run.script());
          assertThat(resolved).as("%s %s script", s.name(), runName).hasSize(statements + transactionStatements);
          scripts++;
        }
      }
    }
    // 6 scenarios, 2 runs each, less those with a known invalid statement
    assertThat(scripts).isGreaterThanOrEqualTo(8);
  }

  @Test
  void rejectsAMisspelledColumn() {
    String sql = eventsFactBuild().replace("`time` AS `heap_event_time`", "`tme` AS `heap_event_time`");
    assertRejected(sql, "Unrecognized name: `?tme");
  }

  @Test
  void rejectsATypeError() {
    // a funnel step compared with a number instead of the event name's string
    String sql = eventsFactBuild().replace("= 'purchase'", "= 4");
    assertRejected(sql, "No matching signature for operator =");
  }

  @Test
  void rejectsAnUnknownTable() {
    String sql = eventsFactBuild().replace("`main_production`.`all_events`", "`main_production`.`all_event`");
    assertRejected(sql, "Table not found");
  }

  @Test
  void rejectsAFilterClause() {
    assertRejected(
        "SELECT COUNT(*) FILTER (WHERE `heap_event_is_conversion`) AS `n` FROM `heap_models`.`stg_heap_events_all_inc_fct`",
        "Syntax error");
  }

  @Test
  void rejectsTypeNamesBigQueryDoesNotHave() {
    // BigQuery's FLOAT64 is DOUBLE only in ZetaSQL's internal product mode
    assertRejected("SELECT CAST(`heap_event_id` AS DOUBLE) AS `x` FROM `heap_models`.`stg_heap_events_all_inc_fct`", "DOUBLE");
  }

  @Test
  void rejectsColumnsAMergeDoesNotHave() {
    String merge =
        RenderedStatements.of(BIGQUERY).stream()
            .filter(st -> st.scenario().equals("standard") && st.sql().startsWith("MERGE INTO"))
            .findFirst()
            .orElseThrow()
            .sql();
    assertRejected(merge.replaceFirst("SET `(\\w+)` =", "SET `$1_typo` ="), "typo");
  }

  private static void assertRejected(String sql, String messagePattern) {
    Scenario standard = RenderedStatements.scenarios(BIGQUERY).get(0);
    try (BigQueryAnalyzer bq = new BigQueryAnalyzer(standard.plan())) {
      assertThatThrownBy(() -> bq.analyze(sql)).isInstanceOf(SqlException.class).hasMessageFindingMatch(messagePattern);
    }
  }

  private static String eventsFactBuild() {
    return RenderedStatements.of(BIGQUERY).stream()
        .filter(st -> st.scenario().equals("standard") && st.run().equals("full") && st.step().startsWith("stg_heap_events_all_inc_fct BUILD"))
        .filter(st -> st.sql().startsWith("CREATE TABLE"))
        .findFirst()
        .orElseThrow()
        .sql();
  }

  /**
   * A CREATE TABLE … AS must create exactly the columns, with the types, that the later statements of
   * the run (and the catalog) assume; the source-table DDL must create the columns Heap's tables have.
   */
  private static Optional<String> createdColumnsProblem(BigQueryAnalyzer bq, ResolvedStatement r) {
    List<BigQueryAnalyzer.Column> created = new ArrayList<>();
    List<String> path;
    if (r instanceof ResolvedCreateTableAsSelectStmt ctas) {
      path = ctas.getNamePath();
      ctas.getOutputColumnList().forEach(c -> created.add(new BigQueryAnalyzer.Column(c.getName(), c.getColumn().getType().getKind())));
    } else if (r instanceof ResolvedCreateTableStmt create) {
      path = create.getNamePath();
      create.getColumnDefinitionList().forEach(c -> created.add(new BigQueryAnalyzer.Column(c.getName(), c.getType().getKind())));
    } else {
      return Optional.empty();
    }
    List<BigQueryAnalyzer.Column> declared = bq.declared(path).orElse(null);
    if (declared == null) {
      return Optional.of("creates " + path + ", a table no statement is known to read");
    } else if (!declared.equals(created)) {
      return Optional.of("creates " + path + " with columns\n  " + created + "\nbut the model declares\n  " + declared);
    }
    return Optional.empty();
  }

  private static final Pattern AT = Pattern.compile("\\[at (\\d+):(\\d+)]");

  /** The error and the offending line of SQL with a caret under the position ZetaSQL names. */
  static String explain(Statement st, SqlException e) {
    StringBuilder b = new StringBuilder(String.valueOf(e.getMessage()));
    Matcher m = AT.matcher(String.valueOf(e.getMessage()));
    if (m.find()) {
      String[] lines = st.sql().split("\n", -1);
      int line = Integer.parseInt(m.group(1));
      int column = Integer.parseInt(m.group(2));
      if (line <= lines.length) {
        b.append("\n  ").append(lines[line - 1]).append("\n  ").append(" ".repeat(Math.max(0, column - 1))).append('^');
      }
    }
    return b.toString();
  }
}
