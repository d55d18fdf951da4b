package io.heapsdk.warehouse;

/**
 * String literal escaping rules. User strings (event names, domains, channel labels) become literals
 * through these, never by concatenation, so a quote, backslash, newline or {@code --} stays data.
 */
public enum StringLiterals {
  /** SQL standard (H2, DuckDB, Trino): only {@code '} is special, doubled; newlines stay as they are. */
  STANDARD,
  /**
   * Redshift (PostgreSQL 8 heritage): backslash is an escape character inside {@code '…'}, so it is
   * doubled; {@code '} is doubled; newlines may stay raw.
   */
  BACKSLASH_DOUBLED,
  /**
   * Snowflake: backslash escapes inside {@code '…'}; {@code '} is doubled; line breaks and tabs are
   * written as escapes so every literal stays on one line.
   */
  BACKSLASH_ESCAPES,
  /** BigQuery: backslash escapes; {@code '} becomes {@code \'}; a raw newline is not allowed. */
  BIGQUERY,
  /**
   * Spark SQL and Databricks: backslash escapes, {@code '} becomes {@code \'}, line breaks and tabs as
   * escapes. Never {@code ''}: Spark reads {@code 'it''s'} as two adjacent literals and concatenates
   * them into {@code its}.
   */
  SPARK,
  /**
   * PostgreSQL: standard literals, except that a value holding a backslash is written as an
   * {@code E'…'} string with the backslash doubled. A plain {@code '…'} treats backslash as data only
   * while {@code standard_conforming_strings} is on (the default since 9.1); an {@code E'…'} string
   * reads the same whatever that setting, so a server configured the old way cannot turn a trailing
   * backslash into an escaped quote.
   */
  POSTGRES;

  public String quote(String value) {
    if (this == POSTGRES) {
      return value.indexOf('\\') >= 0 ? "E" + BACKSLASH_DOUBLED.quote(value) : STANDARD.quote(value);
    }
    boolean backslashQuote = this == BIGQUERY || this == SPARK;
    boolean escapedControls = this == BACKSLASH_ESCAPES || backslashQuote;
    StringBuilder b = new StringBuilder("'");
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\'') {
        b.append(backslashQuote ? "\\'" : "''");
      } else if (c == '\\' && this != STANDARD) {
        b.append("\\\\");
      } else if (escapedControls && (c == '\n' || c == '\r' || c == '\t')) {
        b.append(c == '\n' ? "\\n" : c == '\r' ? "\\r" : "\\t");
      } else {
        b.append(c);
      }
    }
    return b.append('\'').toString();
  }
}
