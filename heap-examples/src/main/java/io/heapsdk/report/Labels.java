package io.heapsdk.report;

import java.text.BreakIterator;
import java.util.Locale;

/**
 * How wide a label draws, estimated without a font (the page names no font file, so the browser picks
 * one), and labels cut to a width. The estimate counts in "units" of about 0.6 em, the average Latin
 * letter of a sans-serif face: CJK characters and emoji take two, combining marks and format characters
 * none.
 */
final class Labels {
  private Labels() {}

  /** Pixels per unit at the charts' 12px font. */
  static final double PX_PER_UNIT = 7.2;

  static double widthPx(String text) {
    return units(text) * PX_PER_UNIT;
  }

  static int units(String text) {
    int units = 0;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      units += unitsOf(cp);
    }
    return units;
  }

  private static int unitsOf(int cp) {
    int type = Character.getType(cp);
    if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK || type == Character.FORMAT
        || (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0x1F3FB && cp <= 0x1F3FF)) {
      return 0;
    }
    Character.UnicodeScript script = Character.UnicodeScript.of(cp);
    if (script == Character.UnicodeScript.HAN || script == Character.UnicodeScript.HIRAGANA
        || script == Character.UnicodeScript.KATAKANA || script == Character.UnicodeScript.HANGUL
        || (cp >= 0x1F000 && cp <= 0x1FAFF) || (cp >= 0x2600 && cp <= 0x27BF) || (cp >= 0xFF00 && cp <= 0xFF60)) {
      return 2;
    }
    return 1;
  }

  /**
   * {@code text} cut to at most {@code maxPx} with an ellipsis, between user-perceived characters (never
   * inside a surrogate pair or before a combining mark); the full text goes into the tooltip.
   */
  static String fit(String text, double maxPx) {
    if (widthPx(text) <= maxPx) {
      return text;
    }
    double budget = maxPx - PX_PER_UNIT;
    BreakIterator characters = BreakIterator.getCharacterInstance(Locale.ROOT);
    characters.setText(text);
    int end = 0;
    for (int next = characters.next(); next != BreakIterator.DONE; next = characters.next()) {
      if (widthPx(text.substring(0, next)) > budget) {
        break;
      }
      end = next;
    }
    // a label cut right after a zero-width joiner or in the middle of a flag would draw a broken glyph
    while (end > 0 && (text.charAt(end - 1) == '\u200D' || Character.getType(text.codePointBefore(end)) == Character.FORMAT)) {
      end = text.offsetByCodePoints(end, -1);
    }
    return text.substring(0, end) + "\u2026";
  }
}
