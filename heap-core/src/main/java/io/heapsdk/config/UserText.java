package io.heapsdk.config;

import java.util.Locale;
import java.util.Optional;

/**
 * The one rule for text a user gives (event names, domains, channel values, schema, table and column
 * names, funnel steps): any Unicode text a warehouse can store. Two things are refused:
 *
 * <ul>
 *   <li>NUL (U+0000): PostgreSQL and Redshift text cannot hold it, and C-string clients (psql, ODBC
 *       drivers) cut the SQL at it, so a statement would silently end early.
 *   <li>An unpaired surrogate (a lone U+D800–U+DFFF): that is not Unicode text at all, usually half of an
 *       emoji cut in two; it has no UTF-8 encoding, so no warehouse can be sent it.
 * </ul>
 *
 * Everything else (emoji, CJK, right-to-left text, combining marks, other control characters such as a
 * newline) is accepted; the renderers quote it for each warehouse.
 */
public final class UserText {
  private UserText() {}

  /**
   * What is wrong with {@code text} for a warehouse, e.g. {@code contains a NUL character (U+0000) at
   * character 4, which warehouses cannot store in text}; empty when it is fine (null counts as fine: the
   * callers say what a missing value means).
   */
  public static Optional<String> problem(String text) {
    if (text == null) {
      return Optional.empty();
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\0') {
        return Optional.of(
            "contains a NUL character (U+0000) at character " + position(text, i) + ", which warehouses cannot store in text; remove it");
      }
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return Optional.of(
            "contains an unpaired surrogate (U+" + Integer.toHexString(c).toUpperCase(Locale.ROOT) + ") at character " + position(text, i)
                + ", which is not Unicode text (half of an emoji cut in two?); fix the text");
      }
    }
    return Optional.empty();
  }

  /** 1-based, in characters as a user counts them (code points: an emoji is one). */
  private static int position(String text, int index) {
    return text.codePointCount(0, index) + 1;
  }
}
