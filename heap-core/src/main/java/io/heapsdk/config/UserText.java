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

  /**
   * What may be a slip in {@code text}, which is accepted: a white-space or invisible character at either
   * end (a no-break space pasted with a name, a newline a YAML {@code |} block keeps, a byte order mark),
   * or a control or invisible format character inside (a tab, a newline, a zero-width space; not the
   * zero-width joiners, which scripts and emoji are written with).
   * E.g. {@code begins with a no-break space (U+00A0)}; empty when there is none.
   */
  public static Optional<String> slip(String text) {
    if (text == null || text.isEmpty()) {
      return Optional.empty();
    }
    int first = text.codePointAt(0);
    if (invisible(first)) {
      return Optional.of("begins with " + describe(first));
    }
    int last = text.codePointBefore(text.length());
    if (invisible(last)) {
      return Optional.of("ends with " + describe(last));
    }
    for (int i = 0; i < text.length(); i += Character.charCount(text.codePointAt(i))) {
      int c = text.codePointAt(i);
      // an invisible format character inside too (a zero-width space pasted with a name), but the joiners
      // that Persian, Indic scripts and emoji sequences are written with
      boolean format = Character.getType(c) == Character.FORMAT && c != 0x200C && c != 0x200D;
      if (Character.isISOControl(c) || format) {
        return Optional.of("contains " + describe(c) + " at character " + position(text, i));
      }
    }
    return Optional.empty();
  }

  /**
   * {@code text} with each character a reader cannot see written as an escape: a control character
   * ({@code \n}, {@code \t}, {@code \u0007}), a space other than the plain one ({@code \u00A0}), a format
   * character ({@code \uFEFF}, {@code \u200B}): for messages, where a key that looks right would
   * otherwise be reported unknown with nothing to show why.
   */
  public static String visible(String text) {
    return escaped(text, c -> c != ' ' && invisible(c));
  }

  /**
   * {@code text} with its control characters written as escapes ({@code \n}, {@code \u0007}), every other
   * character as written (an emoji's joiners among them): for a name in a one-line message, which a
   * newline in it would cut.
   */
  public static String controlsEscaped(String text) {
    return escaped(text, Character::isISOControl);
  }

  private static String escaped(String text, java.util.function.IntPredicate escape) {
    StringBuilder b = new StringBuilder(text.length());
    text.codePoints().forEach(c -> {
      if (c == '\n') {
        b.append("\\n");
      } else if (c == '\t') {
        b.append("\\t");
      } else if (c == '\r') {
        b.append("\\r");
      } else if (escape.test(c)) {
        b.append(String.format(Locale.ROOT, "\\u%04X", c));
      } else {
        b.appendCodePoint(c);
      }
    });
    return b.toString();
  }

  private static boolean invisible(int c) {
    return Character.isWhitespace(c) || Character.isSpaceChar(c) || Character.isISOControl(c) || Character.getType(c) == Character.FORMAT;
  }

  /** {@code a no-break space (U+00A0)}. */
  private static String describe(int c) {
    String hex = String.format(Locale.ROOT, "U+%04X", c);
    String name =
        switch (c) {
          case '\n' -> "newline";
          case '\t' -> "tab";
          case '\r' -> "carriage return";
          case ' ' -> "space";
          default -> Character.getName(c) == null ? null : Character.getName(c).toLowerCase(Locale.ROOT);
        };
    if (name == null) {
      return "the character " + hex;
    }
    return ("aeiou".indexOf(name.charAt(0)) >= 0 ? "an " : "a ") + name + " (" + hex + ")";
  }

  /** 1-based, in characters as a user counts them (code points: an emoji is one). */
  private static int position(String text, int index) {
    return text.codePointCount(0, index) + 1;
  }
}
