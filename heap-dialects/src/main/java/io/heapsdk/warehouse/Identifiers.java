package io.heapsdk.warehouse;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Identifier quoting policies. Every identifier is quoted (so no reserved word can break a statement);
 * what differs is how an unquoted name would be folded by the warehouse, which the quoted name must
 * match to find the same object.
 */
public enum Identifiers {
  /** Snowflake, H2: unquoted names fold to upper case; a plain name is quoted in upper case. */
  UPPER_CASE_FOLDING('"', '"'),
  /**
   * Redshift, PostgreSQL, Trino: unquoted names fold to lower case; a plain name is quoted in lower
   * case. Also DuckDB, which matches names ignoring case but stores them as first written: lower case
   * keeps its catalog, and the runner's look-ups in it, the same as PostgreSQL's.
   */
  LOWER_CASE_FOLDING('"', '"'),
  /** BigQuery: names are quoted with backticks and kept as written (table names are case-sensitive). */
  BACKTICKS_AS_WRITTEN('`', '`'),
  /**
   * Spark SQL and Databricks: backticks, kept as written (Spark matches names ignoring case); a
   * backtick inside a name is doubled, where BigQuery escapes it with a backslash.
   */
  BACKTICKS_DOUBLED('`', '`');

  /** A name the warehouse would accept unquoted (before case folding). */
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final char open;
  private final char close;

  Identifiers(char open, char close) {
    this.open = open;
    this.close = close;
  }

  /** The name under which the warehouse stores {@code name} once quoted by {@link #quote}. */
  public String stored(String name) {
    if (PLAIN.matcher(name).matches()) {
      if (this == UPPER_CASE_FOLDING) {
        return name.toUpperCase(Locale.ROOT);
      } else if (this == LOWER_CASE_FOLDING) {
        return name.toLowerCase(Locale.ROOT);
      }
    }
    return name;
  }

  /** The quoted form of {@code name}. */
  public String quote(String name) {
    String n = stored(name);
    StringBuilder b = new StringBuilder().append(open);
    for (int i = 0; i < n.length(); i++) {
      char c = n.charAt(i);
      if (c == close) {
        // "" inside "…" and `` inside `…` (Spark); BigQuery escapes a backtick with a backslash
        b.append(this == BACKTICKS_AS_WRITTEN ? '\\' : close);
      }
      b.append(c);
    }
    return b.append(close).toString();
  }
}
