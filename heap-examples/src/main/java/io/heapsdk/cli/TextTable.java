package io.heapsdk.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A plain-text table for the terminal: left-aligned text, right-aligned numbers, two-space indent. */
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
    rows.add(List.copyOf(cells));
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
        text.add(c == null ? "(null)" : c.toString());
      }
    }
    rows.add(text);
    return this;
  }

  void print(PrintWriter out) {
    int[] widths = new int[headers.size()];
    for (int i = 0; i < widths.length; i++) {
      widths[i] = headers.get(i).length();
      for (List<String> r : rows) {
        widths[i] = Math.max(widths[i], r.get(i).length());
      }
    }
    line(out, headers, widths);
    rows.forEach(r -> line(out, r, widths));
  }

  private void line(PrintWriter out, List<String> cells, int[] widths) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      String format = numeric[i] ? "%" + widths[i] + "s" : "%-" + widths[i] + "s";
      b.append(i == 0 ? indent : "  ").append(String.format(Locale.ROOT, format, cells.get(i)));
    }
    out.println(b.toString().stripTrailing());
  }
}
