package io.heapsdk.warehouse;

/**
 * String literal escaping rules. User strings (event names, domains, channel labels) become literals
 * through these, never by concatenation, so a quote, backslash, newline or {@code --} stays data.
 */
public enum StringLiterals {
  /** SQL standard (H2, PostgreSQL): only {@code '} is special, doubled; newlines stay as they are. */
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
  BIGQUERY;

  public String quote(String value) {
    StringBuilder b = new StringBuilder("'");
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\'') {
        b.append(this == BIGQUERY ? "\\'" : "''");
      } else if (c == '\\' && this != STANDARD) {
        b.append("\\\\");
      } else if ((this == BACKSLASH_ESCAPES || this == BIGQUERY) && (c == '\n' || c == '\r' || c == '\t')) {
        b.append(c == '\n' ? "\\n" : c == '\r' ? "\\r" : "\\t");
      } else {
        b.append(c);
      }
    }
    return b.append('\'').toString();
  }
}
