package io.heapsdk.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Constructs known to be invalid (or silently misread) on a warehouse, as a table of rules written from
 * the warehouses' documentation, independently of the renderer's code. Each rule names the warehouses it
 * applies to; a warehouse that is not (yet) in {@code Warehouses.all()} simply has no statements to check.
 * A new warehouse gets rules by adding its name to rows, and needs a row in {@link #LEXICAL}.
 *
 * <p>Rules other than the literal rules look at the statement with every string literal and quoted name
 * masked ({@code '_'}, {@code "_"}, {@code `_`}), so a hostile value such as {@code 'x FILTER (WHERE y)'}
 * is data, not a construct.
 */
final class WarehouseLint {
  /** How a warehouse writes string literals and quoted names: what the lexer must know to mask them. */
  record Lexical(String stringQuotes, String nameQuotes, boolean backslashEscapes) {}

  /**
   * Per warehouse, from its documentation: Snowflake, Redshift (PostgreSQL 8 heritage), BigQuery and
   * Spark read a backslash in a literal as an escape; H2, PostgreSQL (standard_conforming_strings on),
   * DuckDB and Trino follow the SQL standard, where only a doubled quote is special. BigQuery and Spark
   * also take "…" as a string literal and quote names with backticks.
   */
  static final Map<String, Lexical> LEXICAL =
      Map.of(
          "snowflake", new Lexical("'", "\"", true),
          "redshift", new Lexical("'", "\"", true),
          "bigquery", new Lexical("'\"", "`", true),
          "spark", new Lexical("'\"", "`", true),
          "h2", new Lexical("'", "\"", false),
          "postgres", new Lexical("'", "\"", false),
          "duckdb", new Lexical("'", "\"", false),
          "trino", new Lexical("'", "\"", false));

  /** A statement split into masked code and its string literals (as written, quotes included). */
  record Lexed(String code, List<String> literals, List<String> problems) {}

  /** One rule: its name, the warehouses it applies to, what finds violations, why, and a violating example. */
  record Rule(String name, Set<String> warehouses, Function<Lexed, List<String>> check, String why, String example) {}

  static final List<Rule> RULES =
      List.of(
          new Rule(
              "FILTER clause on an aggregate",
              Set.of("snowflake", "redshift", "bigquery"),
              code("(?i)\\)\\s*FILTER\\s*\\(\\s*WHERE\\b"),
              "none of them has FILTER (WHERE …) on aggregates; count with SUM(CASE WHEN … THEN 1 ELSE 0 END)",
              "SELECT COUNT(*) FILTER (WHERE \"a\") AS \"n\" FROM \"t\""),
          new Rule(
              "RANGE window frame",
              Set.of("redshift"),
              code("(?i)\\bRANGE\\s+(?:BETWEEN|UNBOUNDED|CURRENT|\\d)"),
              "Redshift's frame_clause is ROWS only",
              "SELECT SUM(\"a\") OVER (ORDER BY \"b\" RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS \"s\" FROM \"t\""),
          new Rule(
              "ordered aggregate window without a frame",
              Set.of("redshift"),
              WarehouseLint::orderedAggregateWithoutFrame,
              "Redshift: if an ORDER BY clause is used for an aggregate window function, an explicit frame clause is required",
              "SELECT FIRST_VALUE(\"a\") OVER (PARTITION BY \"u\" ORDER BY \"b\") AS \"f\" FROM \"t\""),
          new Rule(
              "backtick-quoted name",
              Set.of("snowflake", "redshift", "h2", "postgres", "duckdb", "trino"),
              code("`"),
              "only BigQuery and Spark quote names with backticks; elsewhere names take double quotes",
              "SELECT `a` FROM `t`"),
          new Rule(
              "double-quoted name",
              Set.of("bigquery", "spark"),
              code("\""),
              "BigQuery and Spark read \"…\" as a string literal, so a double-quoted name silently becomes a constant",
              "SELECT \"a\" FROM `t`"),
          new Rule(
              "TIMESTAMPADD / TIMESTAMPDIFF",
              Set.of("bigquery", "redshift", "postgres", "trino"),
              code("(?i)\\bTIMESTAMP(?:ADD|DIFF)\\s*\\("),
              "not functions there: BigQuery has TIMESTAMP_ADD / TIMESTAMP_DIFF, Redshift DATEADD / DATEDIFF, "
                  + "PostgreSQL interval arithmetic, Trino date_add / date_diff",
              "SELECT TIMESTAMPADD(DAY, 1, \"t\") AS \"d\" FROM \"x\""),
          new Rule(
              "EXTRACT(EPOCH …)",
              Set.of("snowflake", "bigquery", "trino", "redshift"),
              code("(?i)\\bEXTRACT\\s*\\(\\s*EPOCH\\b"),
              "BigQuery's and Trino's EXTRACT have no EPOCH part (UNIX_SECONDS, to_unixtime); Snowflake documents "
                  + "whole epoch seconds as the EPOCH_SECOND part: DATE_PART(EPOCH_SECOND, t); Redshift's EXTRACT of a "
                  + "TIMESTAMP is an INTEGER, with no second after 2038-01-19: DATEDIFF(SECOND, TIMESTAMP '1970-01-01 00:00:00', t)",
              "SELECT EXTRACT(EPOCH FROM \"t\") AS \"e\" FROM \"x\""),
          new Rule(
              "QUALIFY right after an unaliased table",
              Set.of("redshift"),
              code("(?i)\\bFROM\\s+(?:\"_\"|\\w+)(?:\\s*\\.\\s*(?:\"_\"|\\w+))*\\s+QUALIFY\\b"),
              "Redshift: used directly after the FROM clause, QUALIFY needs an alias on the FROM relation "
                  + "(otherwise QUALIFY is read as the alias)",
              "SELECT \"a\" FROM \"s\".\"t\" QUALIFY ROW_NUMBER() OVER (ORDER BY \"a\") = 1"),
          new Rule(
              "IS [NOT] TRUE / FALSE",
              Set.of("snowflake"),
              code("(?i)\\bIS\\s+(?:NOT\\s+)?(?:TRUE|FALSE)\\b"),
              "Snowflake has no IS [NOT] TRUE / FALSE predicate; test the boolean itself",
              "SELECT \"A\" FROM \"T\" WHERE \"B\" IS TRUE"),
          new Rule(
              "signed interval literal",
              Set.of("snowflake"),
              code("(?i)\\bINTERVAL\\s*-\\s*'"),
              "a Snowflake interval constant is INTERVAL '<n> <part>', the sign inside the string",
              "SELECT \"T\" + INTERVAL -'14' DAY AS \"D\" FROM \"X\""),
          new Rule(
              "CHARACTER SET in a type",
              Set.of("snowflake", "redshift", "bigquery", "h2", "postgres", "duckdb", "spark", "trino"),
              code("(?i)\\bCHARACTER\\s+SET\\b"),
              "no warehouse here has a CHARACTER SET clause in CAST or column types (Calcite prints one when a "
                  + "dialect claims charset support)",
              "SELECT CAST(\"a\" AS VARCHAR CHARACTER SET \"ISO-8859-1\") AS \"b\" FROM \"t\""),
          new Rule(
              "character set or Unicode-escape prefix on a literal",
              Set.of("snowflake", "redshift", "bigquery", "h2", "postgres", "duckdb", "spark", "trino"),
              code("(?i)(?:\\b_[A-Z][A-Z0-9_-]*|\\bU&|(?<![\\w\"`'])N)'"),
              "Calcite writes _UTF-8'…', _ISO-8859-1'…' or U&'…' for text outside ASCII when a dialect keeps its "
                  + "default; no warehouse here reads the charset prefix, and a U& escape is standard SQL only some "
                  + "of them have: text is written as it is, in the UTF-8 of the statement",
              "SELECT _UTF-8'\u8d2d\u4e70' AS \"a\", U&'\\8D2D' AS \"b\""),
          new Rule(
              "backslash escape the warehouse misreads",
              Set.of("snowflake", "bigquery", "spark"),
              backslashEscapes("\\'\"ntr"),
              "a backslash in a literal starts an escape there: \\\\ \\' \\\" \\n \\r \\t keep the value, any "
                  + "other (\\s, \\b, \\0, \\x…, \\u…) drops the backslash or makes a control character",
              "SELECT 'back\\slash' AS \"x\""),
          new Rule(
              "backslash escape Redshift misreads",
              Set.of("redshift"),
              backslashEscapes("\\'"),
              "Redshift reads a backslash in a literal as an escape character; only \\\\ and \\' have a "
                  + "documented meaning (the SDK keeps newlines raw there)",
              "SELECT 'new\\nline' AS \"x\""),
          new Rule(
              "time function without a zone",
              Set.of("bigquery"),
              WarehouseLint::timeFunctionWithoutZone,
              "TIMESTAMP_TRUNC, DATE, EXTRACT and CAST(… AS DATE) of a TIMESTAMP take the project's or organization's "
                  + "default_time_zone, which an administrator may set, when no zone is given; Heap's days are UTC days "
                  + "(a partitioning expression is always UTC)",
              "SELECT TIMESTAMP_TRUNC(`t`, DAY) AS `d`, DATE(`t`) AS `e`, EXTRACT(YEAR FROM `t`) AS `y`,"
                  + " CAST(`t` AS DATE) AS `c` FROM `x`"),
          new Rule(
              "timestamp literal without its offset",
              Set.of("bigquery"),
              lexed ->
                  lexed.literals().stream()
                      .filter(l -> Pattern.matches("['\"]\\d{4}-\\d\\d-\\d\\d[ T]\\d\\d:\\d\\d(:\\d\\d(\\.\\d+)?)?['\"]", l))
                      .toList(),
              "BigQuery reads a time without an offset in the default zone, which need not be UTC: write '…+00'",
              "SELECT `t` FROM `x` WHERE `t` >= TIMESTAMP '2024-01-01 00:00:00'"),
          new Rule(
              "string read as a timestamp by the session's format",
              Set.of("snowflake"),
              code("(?i)(?:\\bTIMESTAMP(?:_NTZ|_LTZ|_TZ)?\\s*'_'|\\bCAST\\s*\\(\\s*'_'\\s+AS\\s+TIMESTAMP)"),
              "TIMESTAMP '…' takes the type TIMESTAMP_TYPE_MAPPING names, and a string cast to a timestamp is read with "
                  + "TIMESTAMP_INPUT_FORMAT, both settable per account or user: write TO_TIMESTAMP_NTZ('…', 'YYYY-MM-DD HH24:MI:SS')",
              "SELECT \"A\" FROM \"T\" WHERE \"T\" >= TIMESTAMP '2024-01-01 00:00:00' OR \"T\" < CAST('2024-01-02 00:00:00' AS TIMESTAMP_NTZ)"),
          new Rule(
              "unterminated literal or name",
              Set.copyOf(LEXICAL.keySet()),
              lexed -> lexed.problems(),
              "read by the warehouse's own literal rules, a literal or quoted name runs past the statement's end",
              "SELECT 'abc AS \"x\""));

  private WarehouseLint() {}

  /** The rules for a warehouse. */
  static List<Rule> rulesFor(String warehouse) {
    return RULES.stream().filter(r -> r.warehouses().contains(warehouse)).toList();
  }

  /** Every violation of the warehouse's rules in {@code sql}, as {@code rule: excerpt}. */
  static List<String> violations(String warehouse, String sql) {
    List<String> found = new ArrayList<>();
    for (Rule r : rulesFor(warehouse)) {
      for (String v : violations(r, warehouse, sql)) {
        found.add(r.name() + ": " + v + " (" + r.why() + ")");
      }
    }
    return found;
  }

  /** The violations of one rule, read with the warehouse's lexical rules. */
  static List<String> violations(Rule rule, String warehouse, String sql) {
    Lexical lexical = LEXICAL.get(warehouse);
    if (lexical == null) {
      throw new IllegalArgumentException("no lexical rules for warehouse " + warehouse + "; add a row to WarehouseLint.LEXICAL");
    }
    return rule.check().apply(lex(lexical, sql));
  }

  /** Splits {@code sql} into masked code and literals by the warehouse's literal and quoting rules. */
  static Lexed lex(Lexical lexical, String sql) {
    StringBuilder code = new StringBuilder();
    List<String> literals = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    int i = 0;
    while (i < sql.length()) {
      char c = sql.charAt(i);
      boolean string = lexical.stringQuotes().indexOf(c) >= 0;
      boolean name = lexical.nameQuotes().indexOf(c) >= 0;
      if (!string && !name) {
        code.append(c);
        i++;
        continue;
      }
      int start = i++;
      boolean closed = false;
      while (i < sql.length()) {
        char d = sql.charAt(i);
        if (d == '\\' && (string ? lexical.backslashEscapes() : c == '`')) {
          i += 2;
        } else if (d == c && i + 1 < sql.length() && sql.charAt(i + 1) == c) {
          i += 2;
        } else if (d == c) {
          i++;
          closed = true;
          break;
        } else {
          i++;
        }
      }
      if (!closed) {
        problems.add(excerpt(sql, start));
        i = sql.length();
      }
      if (string) {
        literals.add(sql.substring(start, Math.min(i, sql.length())));
      }
      code.append(c).append('_').append(c);
    }
    return new Lexed(code.toString(), literals, problems);
  }

  /** A check that finds {@code regex} in the masked code. */
  private static Function<Lexed, List<String>> code(String regex) {
    Pattern p = Pattern.compile(regex);
    return lexed -> {
      List<String> found = new ArrayList<>();
      Matcher m = p.matcher(lexed.code());
      while (m.find()) {
        found.add(excerpt(lexed.code(), m.start()));
      }
      return found;
    };
  }

  /** A check that every backslash in a literal starts one of the escapes in {@code allowed}. */
  private static Function<Lexed, List<String>> backslashEscapes(String allowed) {
    return lexed -> {
      List<String> found = new ArrayList<>();
      for (String literal : lexed.literals()) {
        for (int i = 1; i < literal.length() - 1; i++) {
          if (literal.charAt(i) == '\\') {
            if (allowed.indexOf(literal.charAt(i + 1)) < 0) {
              found.add(literal);
              break;
            }
            i++;
          }
        }
      }
      return found;
    };
  }

  private static final Set<String> AGGREGATES =
      Set.of("SUM", "COUNT", "AVG", "MIN", "MAX", "FIRST_VALUE", "LAST_VALUE", "NTH_VALUE", "STDDEV", "STDDEV_SAMP",
          "STDDEV_POP", "VARIANCE", "VAR_SAMP", "VAR_POP", "LISTAGG", "MEDIAN");

  /** Windows of aggregate functions whose specification orders rows but sets no ROWS frame. */
  private static List<String> orderedAggregateWithoutFrame(Lexed lexed) {
    String code = lexed.code();
    List<String> found = new ArrayList<>();
    Matcher over = Pattern.compile("(?i)\\)\\s*OVER\\s*\\(").matcher(code);
    while (over.find()) {
      int callEnd = over.start();
      int callStart = matchingOpen(code, callEnd);
      int specStart = over.end();
      int specEnd = matchingClose(code, specStart - 1);
      if (callStart < 0 || specEnd < 0) {
        continue;
      }
      Matcher fn = Pattern.compile("(\\w+)\\s*$").matcher(code.substring(0, callStart));
      String spec = code.substring(specStart, specEnd);
      if (fn.find()
          && AGGREGATES.contains(fn.group(1).toUpperCase(java.util.Locale.ROOT))
          && Pattern.compile("(?i)\\bORDER\\s+BY\\b").matcher(spec).find()
          && !Pattern.compile("(?i)\\bROWS\\b").matcher(spec).find()) {
        found.add(excerpt(code, fn.start(1)));
      }
    }
    return found;
  }

  /**
   * Calls that read a TIMESTAMP's calendar fields in the default zone: {@code TIMESTAMP_TRUNC} and
   * {@code DATE} without a zone argument, {@code EXTRACT} without {@code AT TIME ZONE}, a {@code CAST} to
   * DATE of anything but a literal. A partitioning expression is left alone (always UTC, and takes no zone).
   */
  private static List<String> timeFunctionWithoutZone(Lexed lexed) {
    String code = lexed.code();
    List<String> found = new ArrayList<>();
    Matcher call = Pattern.compile("(?i)\\b(TIMESTAMP_TRUNC|DATE|EXTRACT|CAST)\\s*\\(").matcher(code);
    while (call.find()) {
      int open = call.end() - 1;
      int close = matchingClose(code, open);
      if (close < 0 || Pattern.compile("(?i)PARTITION\\s+BY\\s*$").matcher(code.substring(0, call.start())).find()) {
        continue;
      }
      String args = code.substring(open + 1, close);
      String name = call.group(1).toUpperCase(java.util.Locale.ROOT);
      boolean bad =
          switch (name) {
            case "TIMESTAMP_TRUNC" -> topLevelCommas(args) < 2;
            case "DATE" -> topLevelCommas(args) == 0;
            case "EXTRACT" -> !Pattern.compile("(?i)\\bAT\\s+TIME\\s+ZONE\\b").matcher(args).find();
            default -> Pattern.compile("(?i)\\bAS\\s+DATE\\s*$").matcher(args).find() && !args.trim().startsWith("'_'");
          };
      if (bad) {
        found.add(excerpt(code, call.start()));
      }
    }
    return found;
  }

  private static int topLevelCommas(String args) {
    int depth = 0;
    int commas = 0;
    for (char c : args.toCharArray()) {
      depth += c == '(' ? 1 : c == ')' ? -1 : 0;
      commas += depth == 0 && c == ',' ? 1 : 0;
    }
    return commas;
  }

  private static int matchingOpen(String s, int close) {
    int depth = 0;
    for (int i = close; i >= 0; i--) {
      depth += s.charAt(i) == ')' ? 1 : s.charAt(i) == '(' ? -1 : 0;
      if (depth == 0) {
        return i;
      }
    }
    return -1;
  }

  private static int matchingClose(String s, int open) {
    int depth = 0;
    for (int i = open; i < s.length(); i++) {
      depth += s.charAt(i) == '(' ? 1 : s.charAt(i) == ')' ? -1 : 0;
      if (depth == 0) {
        return i;
      }
    }
    return -1;
  }

  private static String excerpt(String s, int at) {
    int from = Math.max(0, at - 30);
    int to = Math.min(s.length(), at + 50);
    return "…" + s.substring(from, to).replace('\n', ' ') + "…";
  }
}
