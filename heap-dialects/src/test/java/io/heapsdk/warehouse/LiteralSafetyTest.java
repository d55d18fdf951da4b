package io.heapsdk.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.model.PlannedModel;
import io.heapsdk.model.ProjectPlan;
import io.heapsdk.testing.AnalysisFixtures;
import io.heapsdk.testing.GoldenConfigs;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * User strings holding quotes, backslashes, newlines and {@code --} must reach each warehouse as data.
 * The SQL of every model is read back by a small lexer written from each warehouse's documented literal
 * and identifier rules (independent of the renderer's escaping code): every hostile value must come out
 * as exactly one literal or identifier, and nothing outside literals and quoted names may contain a
 * comment marker or a statement separator.
 */
class LiteralSafetyTest {
  private static final List<String> HOSTILE_LITERALS =
      List.of(
          "it's", "back\\slash", "new\nline", "x' -- y", "Robert'); DROP TABLE students;--",
          "N/A -- none", "O'Brien.example\\com", "o'brien.example\\com", "Paid \"Search\"", "tab\there", "--", "c'p\\c");

  private static final List<String> HOSTILE_IDENTIFIERS = List.of("Raw Data", "heap-prod", "models; DROP", "event name");

  /** BigQuery cannot name a dataset {@code heap-prod} nor a table with a quote: its variant's names. */
  private static final List<String> HOSTILE_BIGQUERY_IDENTIFIERS = List.of("Raw Data", "heap_prod", "models_DROP", "event name", "PageViews v2");

  /** Every value of the unicode golden config, as the models must carry it, exactly. */
  private static final List<String> UNICODE_LITERALS =
      List.of(
          "閲覧", "购买🛒", "Покупка", "cafe\u0301", "caf\u00e9", "𠮷野家で購入", "購入する", "شراء", "רכישה", "\u202Egnp.exe",
          "👩\u200D💻 sign-up 🇯🇵", "Без канала 🤷", "Реклама 👩\u200D💻", "Ελληνικά", "ソーシャル 🇯🇵", "إعلان مدفوع", "пример.рф",
          // contains and equals ignore case: beyond ASCII the rule values are lowered in SQL, as written
          "ПОИСК", "ΚΑΜΠΆΝΙΑ", "ツイッター", "فيسبوك");

  private static final List<String> UNICODE_IDENTIFIERS =
      List.of("ヒープ_本番", "分析_モデル", "ページビュー", "сессии", "イベント名", "média_utm", "キャンペーン", "эксперимент 🧪");

  @ParameterizedTest
  @ValueSource(strings = {"snowflake", "bigquery", "redshift", "h2", "postgres", "duckdb", "spark", "trino"})
  void hostileValuesStayData(String warehouseName) {
    Warehouse w = Warehouses.byName(warehouseName);
    List<String> literals = new ArrayList<>();
    List<String> identifiers = new ArrayList<>();
    // the hostile YAML replaces the channel rules; the default rules carry the own domain twice: as the
    // label, and lower-cased as the search term (matching is case-insensitive)
    HeapConfig defaultRules = HeapConfig.builder().ownDomain("O'Brien.example\\com").build();
    for (HeapConfig config : List.of(GoldenConfigs.forWarehouse("hostile", w), defaultRules)) {
      ProjectPlan plan = HeapProject.standard(config).plan();
      SqlRenderer renderer = new SqlRenderer(w, plan);
      for (PlannedModel m : plan.models()) {
        String sql = renderer.select(m.name());
        StringBuilder outside = new StringBuilder();
        lex(warehouseName, sql, literals, identifiers, outside);
        assertThat(outside.toString()).as(m.name() + " outside literals").doesNotContain("--").doesNotContain(";");
      }
    }
    assertThat(literals).containsAll(HOSTILE_LITERALS);
    if (GoldenConfigs.hasVariant("hostile", w)) {
      assertThat(identifiers).containsAll(HOSTILE_BIGQUERY_IDENTIFIERS);
    } else {
      assertThat(identifiers).containsAll(HOSTILE_IDENTIFIERS);
      // "PageViews \"v2\"" is not a plain name, so every warehouse keeps it exactly
      assertThat(identifiers).contains("PageViews \"v2\"");
    }
  }

  /**
   * Emoji (joiner sequences, flags), CJK, a character outside the Basic Multilingual Plane, right-to-left
   * text with a direction override, and both spellings of "café" reach every warehouse as exactly the
   * literals and names of the config: read back by the same lexer, character for character, with no
   * character set prefix ({@code _UTF-8'…'}, {@code N'…'}) or Unicode escape ({@code U&'…'}, a backslash-u escape).
   */
  @ParameterizedTest
  @ValueSource(strings = {"snowflake", "bigquery", "redshift", "h2", "postgres", "duckdb", "spark", "trino"})
  void unicodeValuesStayTheSameText(String warehouseName) {
    Warehouse w = Warehouses.byName(warehouseName);
    List<String> literals = new ArrayList<>();
    List<String> identifiers = new ArrayList<>();
    ProjectPlan plan = AnalysisFixtures.unicodeProject(GoldenConfigs.forWarehouse("unicode", w)).plan();
    SqlRenderer renderer = new SqlRenderer(w, plan);
    for (PlannedModel m : plan.models()) {
      String sql = renderer.select(m.name());
      StringBuilder outside = new StringBuilder();
      lex(warehouseName, sql, literals, identifiers, outside);
      assertThat(sql).as(m.name() + ": a literal with a prefix").doesNotContainPattern("(?i)(\\b_[A-Z0-9-]+|\\bU&|(?<![\\w\"'`])N)'");
      assertThat(outside.toString()).as(m.name() + " outside literals").doesNotContainPattern("(?i)CHARACTER\\s+SET|COLLATE");
    }
    assertThat(literals).containsAll(UNICODE_LITERALS);
    // the default rules with a Cyrillic own domain: the label, and the search term lowered in SQL
    String ownDomainRules = renderer(w, HeapConfig.builder().ownDomain("Пример.РФ").build()).select("stg_heap_sessions_inc_fct");
    lex(warehouseName, ownDomainRules, literals, identifiers, new StringBuilder());
    assertThat(ownDomainRules).contains("LOWER('Пример.РФ')").contains("THEN 'Пример.РФ'");
    // the literals are the config's strings as Java holds them: no normalization joined the two cafés
    assertThat(literals).contains("cafe\u0301").contains("caf\u00e9");
    if (GoldenConfigs.hasVariant("unicode", w)) {
      assertThat(identifiers).contains("ページビュー", "сессии", "イベント名", "média_utm", "キャンペーン", "эксперимент");
    } else {
      assertThat(identifiers).containsAll(UNICODE_IDENTIFIERS);
    }
  }

  private static SqlRenderer renderer(Warehouse w, HeapConfig config) {
    return new SqlRenderer(w, HeapProject.standard(config).plan());
  }

  /**
   * Splits SQL into string literals, quoted identifiers and the rest, decoding literals by the
   * warehouse's documented rules: H2, DuckDB and Trino double {@code '} only; PostgreSQL too, except in
   * {@code E'…'} strings, where backslash escapes; Redshift doubles {@code '} and treats backslash as an
   * escape; Snowflake, BigQuery and Spark use backslash escapes ({@code \n}, {@code \\}, {@code \'}),
   * BigQuery forbids a raw newline in a {@code '…'} literal, and neither BigQuery nor Spark reads
   * {@code ''} as a quote (Spark joins {@code 'a''b'} into {@code ab}). Names: {@code "…"} with
   * {@code ""}, BigQuery {@code `…`} with {@code \`}, Spark {@code `…`} with {@code ``}.
   */
  static void lex(String warehouse, String sql, List<String> literals, List<String> identifiers, StringBuilder outside) {
    boolean standard = List.of("h2", "duckdb", "trino", "postgres").contains(warehouse);
    boolean doubledQuote = !List.of("bigquery", "spark").contains(warehouse);
    char identQuote = List.of("bigquery", "spark").contains(warehouse) ? '`' : '"';
    int i = 0;
    while (i < sql.length()) {
      char c = sql.charAt(i);
      if (c == '\'') {
        boolean escapeString =
            warehouse.equals("postgres") && i > 0 && (sql.charAt(i - 1) == 'E' || sql.charAt(i - 1) == 'e')
                && (i < 2 || !Character.isLetterOrDigit(sql.charAt(i - 2)) && sql.charAt(i - 2) != '_');
        boolean backslashEscapes = !standard || escapeString;
        StringBuilder lit = new StringBuilder();
        i++;
        while (true) {
          if (i >= sql.length()) {
            throw new AssertionError("unterminated literal in " + warehouse + ": " + lit);
          }
          char d = sql.charAt(i);
          if (d == '\\' && backslashEscapes) {
            char e = sql.charAt(i + 1);
            lit.append(e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e);
            i += 2;
          } else if (d == '\'' && doubledQuote && i + 1 < sql.length() && sql.charAt(i + 1) == '\'') {
            lit.append('\'');
            i += 2;
          } else if (d == '\'') {
            i++;
            break;
          } else {
            if (d == '\n' && warehouse.equals("bigquery")) {
              throw new AssertionError("raw newline inside a BigQuery literal");
            }
            lit.append(d);
            i++;
          }
        }
        literals.add(lit.toString());
      } else if (c == identQuote) {
        StringBuilder id = new StringBuilder();
        i++;
        while (true) {
          char d = sql.charAt(i);
          if (warehouse.equals("bigquery") && d == '\\') {
            id.append(sql.charAt(i + 1));
            i += 2;
          } else if (d == identQuote && !warehouse.equals("bigquery") && i + 1 < sql.length() && sql.charAt(i + 1) == identQuote) {
            id.append(identQuote);
            i += 2;
          } else if (d == identQuote) {
            i++;
            break;
          } else {
            id.append(d);
            i++;
          }
        }
        identifiers.add(id.toString());
      } else {
        outside.append(c);
        i++;
      }
    }
  }
}
