package io.heapsdk.report;

import java.util.Locale;

/**
 * Writes HTML with inline SVG as text. Every text and attribute value goes through {@link #escape}, so a
 * user string (an event name, a channel, a column description) is always data: {@code <}, {@code &} and
 * quotes cannot open a tag or end an attribute. Tag and attribute names come from the code, never from
 * data.
 */
public final class Markup {
  private final StringBuilder b = new StringBuilder(8_192);
  private int ids;

  /** {@code <tag a="v" …>}; {@code attributes} are name, value pairs, a null value leaves the attribute out. */
  public Markup open(String tag, Object... attributes) {
    b.append('<').append(tag);
    attributes(attributes);
    b.append('>');
    return this;
  }

  /**
   * An element without content: {@code <tag …/>}. Only for SVG elements and HTML's void elements
   * ({@code meta}, {@code br}): HTML reads {@code <span/>} as an open tag.
   */
  public Markup empty(String tag, Object... attributes) {
    b.append('<').append(tag);
    attributes(attributes);
    b.append("/>");
    return this;
  }

  public Markup close(String tag) {
    b.append("</").append(tag).append('>');
    return this;
  }

  /** {@code <tag …>text</tag>}. */
  public Markup element(String tag, String text, Object... attributes) {
    return open(tag, attributes).text(text).close(tag);
  }

  /** Text content, escaped. */
  public Markup text(String text) {
    b.append(escape(text));
    return this;
  }

  /** Markup written by this package's code, never data: the page's style sheet, a line break. */
  Markup raw(String markup) {
    b.append(markup);
    return this;
  }

  /** Name, value pairs joined into one list, for {@link #open} and {@link #empty}. */
  public static Object[] join(Object[]... parts) {
    int n = 0;
    for (Object[] p : parts) {
      n += p.length;
    }
    Object[] all = new Object[n];
    int i = 0;
    for (Object[] p : parts) {
      System.arraycopy(p, 0, all, i, p.length);
      i += p.length;
    }
    return all;
  }

  /** A new id, unique in this document: {@code prefix1}, {@code prefix2}, … (for aria-labelledby). */
  public String newId(String prefix) {
    return prefix + (++ids);
  }

  @Override
  public String toString() {
    return b.toString();
  }

  private void attributes(Object[] attributes) {
    if (attributes.length % 2 != 0) {
      throw new IllegalArgumentException("attributes come in name, value pairs");
    }
    for (int i = 0; i < attributes.length; i += 2) {
      Object value = attributes[i + 1];
      if (value == null) {
        continue;
      }
      String name = (String) attributes[i];
      if (!name.matches("[a-zA-Z][a-zA-Z0-9:-]*")) {
        throw new IllegalArgumentException("not an attribute name: " + name);
      }
      b.append(' ').append(name).append("=\"").append(escape(format(value))).append('"');
    }
  }

  private static String format(Object value) {
    if (value instanceof Double d) {
      return coordinate(d);
    }
    return value.toString();
  }

  /** A coordinate or length: at most two decimals, no exponent, never {@code -0}. */
  public static String coordinate(double v) {
    long hundredths = Math.round(v * 100);
    if (hundredths % 100 == 0) {
      return Long.toString(hundredths / 100);
    }
    String s = String.format(Locale.ROOT, "%.2f", hundredths / 100.0);
    return s.endsWith("0") ? s.substring(0, s.length() - 1) : s;
  }

  /**
   * {@code text} safe as HTML text and as a quoted attribute value: {@code & < > " '} as character
   * references; a carriage return and the other C0 controls (but tab and newline) as numeric references,
   * which keep the character (a raw CR would become a newline); an unpaired surrogate, which UTF-8 cannot
   * encode, as U+FFFD. Everything else, right-to-left text, bidirectional controls and emoji included, is
   * written as it is: the page isolates each label ({@code bdi}, {@code unicode-bidi: isolate}), so an
   * override inside one cannot reorder its neighbours.
   */
  public static String escape(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> {
          if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
            out.append(c).append(text.charAt(++i));
          } else if (Character.isSurrogate(c) || c == 0) {
            out.append('\uFFFD');
          } else if (c < 0x20 && c != '\t' && c != '\n') {
            out.append("&#").append((int) c).append(';');
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }
}
