package io.heapsdk.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A plain-text table for the terminal: left-aligned text, right-aligned numbers, two-space indent.
 * Columns are aligned by the cells a terminal draws, not by Java chars: a CJK character or an emoji takes
 * two cells, a combining mark or a joiner none ({@link #width}). Control characters and bidirectional
 * overrides are shown escaped, as Java writes them ({@link #visible}): raw, they would break the line or
 * reverse the rest of the row. CSV and JSON output carries every value exactly.
 */
final class TextTable {
  private final List<String> headers;
  private final List<List<String>> rows = new ArrayList<>();
  private final boolean[] numeric;
  private String indent = "  ";

  TextTable(String... headers) {
    this.headers = List.of(headers);
    this.numeric = new boolean[headers.length];
  }

  /** Starts every line with {@code text} instead of two spaces. */
  TextTable indent(String text) {
    this.indent = text;
    return this;
  }

  /** Right-aligns these columns, for numbers added already formatted by {@link #cells}. */
  TextTable alignRight(int... columns) {
    for (int c : columns) {
      numeric[c] = true;
    }
    return this;
  }

  /** Adds a row of cells formatted by the caller. */
  TextTable cells(List<String> cells) {
    rows.add(cells.stream().map(TextTable::visible).toList());
    return this;
  }

  /** Adds a row; {@link Number}s are printed with thousands separators and right-aligned. */
  TextTable row(Object... cells) {
    List<String> text = new ArrayList<>();
    for (int i = 0; i < cells.length; i++) {
      Object c = cells[i];
      if (c instanceof Number n) {
        numeric[i] = true;
        text.add(n instanceof Double || n instanceof Float ? String.format(Locale.ROOT, "%,.1f", n.doubleValue()) : String.format(Locale.ROOT, "%,d", n.longValue()));
      } else {
        text.add(c == null ? "(null)" : visible(c.toString()));
      }
    }
    rows.add(text);
    return this;
  }

  void print(PrintWriter out) {
    int[] widths = new int[headers.size()];
    for (int i = 0; i < widths.length; i++) {
      widths[i] = width(headers.get(i));
      for (List<String> r : rows) {
        widths[i] = Math.max(widths[i], width(r.get(i)));
      }
    }
    line(out, headers, widths);
    rows.forEach(r -> line(out, r, widths));
  }

  private void line(PrintWriter out, List<String> cells, int[] widths) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      String cell = cells.get(i);
      String pad = " ".repeat(widths[i] - width(cell));
      b.append(i == 0 ? indent : "  ").append(numeric[i] ? pad + cell : cell + pad);
    }
    out.println(b.toString().stripTrailing());
  }

  /**
   * The terminal cells {@code text} takes, by the rules terminals follow for common text: East Asian wide
   * and fullwidth characters and emoji take two; combining marks, format characters (the zero-width
   * joiner, variation selectors) and emoji skin-tone modifiers none; a character joined to the previous
   * one by a zero-width joiner (👩‍💻) draws as one emoji; a pair of regional indicators is one flag (🇯🇵),
   * two cells; everything else one.
   */
  static int width(String text) {
    int width = 0;
    boolean joined = false;
    boolean openFlag = false;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      if (cp == ZERO_WIDTH_JOINER) {
        joined = true;
        continue;
      }
      if (joined) {
        joined = false;
        continue;
      }
      if (cp >= 0x1F1E6 && cp <= 0x1F1FF) {
        width += openFlag ? 0 : 2;
        openFlag = !openFlag;
        continue;
      }
      openFlag = false;
      width += cellsOf(cp);
    }
    return width;
  }

  private static final int ZERO_WIDTH_JOINER = 0x200D;

  private static int cellsOf(int cp) {
    int type = Character.getType(cp);
    if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK || type == Character.FORMAT
        || type == Character.CONTROL || (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0x1F3FB && cp <= 0x1F3FF)) {
      return 0;
    }
    return wide(cp) ? 2 : 1;
  }

  /** East Asian Wide and Fullwidth (Unicode's EastAsianWidth W and F) and emoji blocks, the usual ranges. */
  private static boolean wide(int cp) {
    return (cp >= 0x1100 && cp <= 0x115F) // Hangul Jamo initials
        || (cp >= 0x231A && cp <= 0x231B) || (cp >= 0x23E9 && cp <= 0x23EC) || cp == 0x23F0 || cp == 0x23F3
        || (cp >= 0x25FD && cp <= 0x25FE) || (cp >= 0x2614 && cp <= 0x2615) || (cp >= 0x2648 && cp <= 0x2653)
        || cp == 0x267F || cp == 0x2693 || cp == 0x26A1 || (cp >= 0x26AA && cp <= 0x26AB) || (cp >= 0x26BD && cp <= 0x26BE)
        || (cp >= 0x26C4 && cp <= 0x26C5) || cp == 0x26CE || cp == 0x26D4 || cp == 0x26EA || (cp >= 0x26F2 && cp <= 0x26F3)
        || cp == 0x26F5 || cp == 0x26FA || cp == 0x26FD || cp == 0x2705 || (cp >= 0x270A && cp <= 0x270B) || cp == 0x2728
        || cp == 0x274C || cp == 0x274E || (cp >= 0x2753 && cp <= 0x2755) || cp == 0x2757 || (cp >= 0x2795 && cp <= 0x2797)
        || cp == 0x27B0 || cp == 0x27BF || (cp >= 0x2B1B && cp <= 0x2B1C) || cp == 0x2B50 || cp == 0x2B55
        || (cp >= 0x2E80 && cp <= 0x303E) // CJK radicals, punctuation
        || (cp >= 0x3041 && cp <= 0x33FF) // kana, bopomofo, CJK compatibility
        || (cp >= 0x3400 && cp <= 0x4DBF) // CJK extension A
        || (cp >= 0x4E00 && cp <= 0x9FFF) // CJK unified ideographs
        || (cp >= 0xA000 && cp <= 0xA4CF) // Yi
        || (cp >= 0xA960 && cp <= 0xA97F) || (cp >= 0xAC00 && cp <= 0xD7A3) // Hangul
        || (cp >= 0xF900 && cp <= 0xFAFF) // CJK compatibility ideographs
        || (cp >= 0xFE10 && cp <= 0xFE19) || (cp >= 0xFE30 && cp <= 0xFE6F) // vertical and small forms
        || (cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0xFFE0 && cp <= 0xFFE6) // fullwidth forms
        || (cp >= 0x16FE0 && cp <= 0x16FE4) || (cp >= 0x17000 && cp <= 0x18CFF) || (cp >= 0x1B000 && cp <= 0x1B2FF)
        || cp == 0x1F004 || cp == 0x1F0CF || cp == 0x1F18E || (cp >= 0x1F191 && cp <= 0x1F19A)
        || (cp >= 0x1F200 && cp <= 0x1F2FF) // enclosed ideographic supplement
        || (cp >= 0x1F300 && cp <= 0x1F64F) // pictographs, emoticons
        || (cp >= 0x1F680 && cp <= 0x1F6FF) // transport and map
        || (cp >= 0x1F7E0 && cp <= 0x1F7EB) || (cp >= 0x1F90C && cp <= 0x1F9FF) || (cp >= 0x1FA70 && cp <= 0x1FAFF)
        || (cp >= 0x20000 && cp <= 0x3FFFD); // CJK extensions B and later
  }

  /**
   * {@code text} with control characters and bidirectional embeddings, overrides and isolates written as
   * escapes: a raw newline or tab would break the table, a raw U+202E would draw the rest of the row
   * right to left. Letters of right-to-left scripts stay as they are.
   */
  static String visible(String text) {
    StringBuilder b = new StringBuilder(text.length());
    text.codePoints()
        .forEach(
            cp -> {
              if (cp == '\n') {
                b.append("\\n");
              } else if (cp == '\t') {
                b.append("\\t");
              } else if (Character.getType(cp) == Character.CONTROL || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069)) {
                b.append(String.format(Locale.ROOT, "\\u%04X", cp));
              } else {
                b.appendCodePoint(cp);
              }
            });
    return b.toString();
  }
}
