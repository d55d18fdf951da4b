package io.heapsdk.validation;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.UnsupportedStatement;
import net.sf.jsqlparser.statement.create.table.CreateTable;

/**
 * Parses Snowflake and Redshift statements with JSqlParser, an SQL parser independent of Calcite, and
 * checks that every column qualifier names a FROM item in scope ({@link QualifierCheck}).
 * Where JSqlParser cannot parse a construct the warehouse documents, a narrow rule of {@link #RULES}
 * takes out exactly that clause, after matching it against the documented form, before parsing; no
 * statement is ever skipped.
 */
final class JSqlParserCheck {
  /** A double-quoted identifier ({@code ""} stands for one quote inside), as both warehouses write them. */
  private static final String QUOTED = "\"(?:[^\"]|\"\")*\"";

  /** Snowflake's clustering key as rendered: quoted columns, the first optionally a time column's TO_DATE. */
  private static final String CLUSTER_KEY = "\\((?:TO_DATE\\(" + QUOTED + "\\), )?" + QUOTED + "(?:, " + QUOTED + ")*\\)";

  /** A documented clause JSqlParser does not parse, or parses too loosely, and what replaces it. */
  record Rule(String name, Set<String> warehouses, Pattern clause, String replacement, String why) {
    String apply(String sql) {
      // replacements hold no special characters but the $1 group reference
      return clause.matcher(sql).replaceFirst(replacement);
    }
  }

  static final List<Rule> RULES =
      List.of(
          new Rule(
              "copy grants",
              Set.of("snowflake"),
              // the last line before AS of CREATE OR REPLACE TABLE, after the optional clustering key
              Pattern.compile(
                  "\\A(CREATE OR REPLACE TABLE [^\\n]+(?:\\nCLUSTER BY " + CLUSTER_KEY + ")?)\\nCOPY GRANTS\\nCOPY TAGS(?=\\nAS\\n)"),
              "$1",
              "Snowflake documents CREATE [ OR REPLACE ] TABLE <name> [ CLUSTER BY ( … ) ] [ COPY GRANTS ] [ COPY TAGS ] "
                  + "AS <query> (CTAS); JSqlParser takes COPY GRANTS and COPY TAGS as opaque table options, so exactly "
                  + "those two lines, in that place and order, are removed"),
          new Rule(
              "insert overwrite",
              Set.of("snowflake"),
              Pattern.compile("\\AINSERT OVERWRITE INTO (" + QUOTED + "(?:\\." + QUOTED + "){1,2} \\(" + QUOTED + "(?:, " + QUOTED + ")*\\)\\n)"),
              "INSERT INTO $1",
              "Snowflake documents INSERT [ OVERWRITE ] INTO <target_table> [ ( <target_col_name> [ , … ] ) ] <query>; "
                  + "JSqlParser does not know OVERWRITE there, so the keyword is removed and the INSERT parsed"),
          new Rule(
              "transient table",
              Set.of("snowflake"),
              Pattern.compile("\\ACREATE OR REPLACE TRANSIENT TABLE "),
              "CREATE OR REPLACE TABLE ",
              "Snowflake documents CREATE [ OR REPLACE ] [ … | TRANSIENT ] TABLE; JSqlParser does not know the "
                  + "TRANSIENT keyword, so it is removed from the start of the statement and the rest parsed"),
          new Rule(
              "clustering key",
              Set.of("snowflake"),
              // the line after the table name of CREATE [OR REPLACE] TABLE, right before AS
              Pattern.compile("\\A(CREATE (?:OR REPLACE )?TABLE [^\\n]+)\\nCLUSTER BY " + CLUSTER_KEY + "(?=\\nAS\\n)"),
              "$1",
              "Snowflake documents CLUSTER BY ( <expr> [ , … ] ) in CREATE TABLE … AS SELECT; JSqlParser "
                  + "takes any words there as opaque table options, so the clause is matched against its "
                  + "documented form and removed, and no other table option may remain"),
          new Rule(
              "distribution and sort keys",
              Set.of("redshift"),
              Pattern.compile(
                  "\\A(CREATE TABLE [^\\n]+)(?:\\nDISTKEY\\(" + QUOTED + "\\))?(?:\\nSORTKEY\\(" + QUOTED + "(?:, " + QUOTED + ")*\\))?(?=\\nAS\\n)"),
              "$1",
              "Redshift documents DISTKEY ( column ) and [ COMPOUND ] SORTKEY ( column [, …] ) as table "
                  + "attributes of CREATE TABLE AS; JSqlParser takes any words there as opaque table options, "
                  + "so they are matched against the documented form and removed, and no other option may remain"),
          new Rule(
              "schema in another database",
              Set.of("snowflake"),
              Pattern.compile("\\ACREATE SCHEMA IF NOT EXISTS " + QUOTED + "\\.(" + QUOTED + ")\\z"),
              "CREATE SCHEMA IF NOT EXISTS $1",
              "Snowflake names a schema of another database <database>.<schema> (object name resolution); "
                  + "JSqlParser's CREATE SCHEMA takes a one-part name, so the database part is removed"),
          new Rule(
              "start a transaction",
              Set.of("snowflake", "redshift"),
              Pattern.compile("\\ABEGIN(?: TRANSACTION)?\\z"),
              "",
              "Snowflake documents BEGIN [ { WORK | TRANSACTION } ] and Redshift BEGIN [ WORK | TRANSACTION ]; "
                  + "JSqlParser parses BEGIN only as the start of a block, so the statement is matched exactly "
                  + "(Snowflake's is BEGIN TRANSACTION, as inside a Snowflake Scripting block it must be) "
                  + "and nothing is left to parse"));

  private JSqlParserCheck() {}

  /** The rules that apply to a warehouse. */
  static List<Rule> rulesFor(String warehouse) {
    return RULES.stream().filter(r -> r.warehouses().contains(warehouse)).toList();
  }

  /**
   * Why JSqlParser rejects {@code sql} for {@code warehouse}, or empty when it parses; {@code applied}
   * collects the names of the rules that took something out.
   */
  static Optional<String> problem(String warehouse, String sql, Set<String> applied) {
    String text = sql;
    for (Rule r : rulesFor(warehouse)) {
      String after = r.apply(text);
      if (!after.equals(text)) {
        applied.add(r.name());
        text = after;
      }
    }
    if (text.isEmpty()) {
      return Optional.empty();
    }
    String parsed = text;
    try {
      // both warehouses read a backslash in '…' as an escape character
      Statement st = CCJSqlParserUtil.parse(parsed, p -> p.withBackslashEscapeCharacter(true).withUnsupportedStatements(false));
      if (st instanceof UnsupportedStatement) {
        return Optional.of("JSqlParser does not know the statement");
      }
      if (st instanceof CreateTable ct && ct.getTableOptionsStrings() != null && !ct.getTableOptionsStrings().isEmpty()) {
        return Optional.of("undocumented table options " + ct.getTableOptionsStrings());
      }
      List<String> names = QualifierCheck.problems(st);
      return names.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", names));
    } catch (JSQLParserException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      return Optional.of(String.valueOf(cause.getMessage()).lines().limit(3).reduce((a, b) -> a + " " + b.strip()).orElse("")
          + (parsed.equals(sql) ? "" : "\n(after the rules: " + parsed + ")"));
    }
  }
}
