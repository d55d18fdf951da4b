package io.heapsdk.warehouse;

import java.util.Locale;

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

  private final char open;
  private final char close;

  Identifiers(char open, char close) {
    this.open = open;
    this.close = close;
  }

  /**
   * Whether {@code name} is written in double quotes ({@code "AllEvents"}): a name the config wants
   * exactly as written, its case kept on every warehouse, as SQL's own quoted identifier would. Without
   * them a plain name is the one the warehouse folds to, which finds what Heap Connect created unquoted;
   * a table a tool made with a quoted mixed-case name needs the quotes.
   */
  public static boolean isExact(String name) {
    return name.length() >= 3 && name.charAt(0) == '"' && name.charAt(name.length() - 1) == '"';
  }

  /** {@code name} without the double quotes of {@link #isExact}: the name itself. */
  public static String bare(String name) {
    return isExact(name) ? name.substring(1, name.length() - 1) : name;
  }

  /** The name under which the warehouse stores {@code name} once quoted by {@link #quote}. */
  public String stored(String name) {
    if (isExact(name)) {
      return bare(name);
    }
    if (isPlain(name)) {
      if (this == UPPER_CASE_FOLDING) {
        return name.toUpperCase(Locale.ROOT);
      } else if (this == LOWER_CASE_FOLDING) {
        return name.toLowerCase(Locale.ROOT);
      }
    }
    return name;
  }

  /**
   * Whether the warehouse would accept {@code name} unquoted (before case folding): {@code
   * [A-Za-z_][A-Za-z0-9_]*}. A loop rather than a regular expression: every identifier of every rendered
   * statement comes through here, and the pattern's matcher was a tenth of a warm render.
   */
  static boolean isPlain(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
      if (!letter && (i == 0 || c < '0' || c > '9')) {
        return false;
      }
    }
    return true;
  }

  /** The quoted form of {@code name}. */
  public String quote(String name) {
    return quote(new StringBuilder(name.length() + 2), name).toString();
  }

  /**
   * Appends the quoted form of {@code name} to {@code b}, in one pass: the dialects quote every
   * identifier of every statement through here, and folding the case into a new string first, then
   * copying it, was 8% of a warm render's profile.
   */
  public StringBuilder quote(StringBuilder b, String name) {
    b.append(open);
    boolean upper = this == UPPER_CASE_FOLDING;
    if ((upper || this == LOWER_CASE_FOLDING) && isPlain(name)) {
      // what stored() gives: a plain name is ASCII letters, digits and underscores, and has no quote
      for (int i = 0; i < name.length(); i++) {
        char c = name.charAt(i);
        if (upper && c >= 'a' && c <= 'z') {
          c = (char) (c - ('a' - 'A'));
        } else if (!upper && c >= 'A' && c <= 'Z') {
          c = (char) (c + ('a' - 'A'));
        }
        b.append(c);
      }
      return b.append(close);
    }
    // an exact name ("AllEvents") and any other name that is not plain: as written, the quote doubled
    String n = stored(name);
    for (int i = 0; i < n.length(); i++) {
      char c = n.charAt(i);
      if (c == close) {
        // "" inside "…" and `` inside `…` (Spark); BigQuery escapes a backtick with a backslash
        b.append(this == BACKTICKS_AS_WRITTEN ? '\\' : close);
      }
      b.append(c);
    }
    return b.append(close);
  }
}
