package io.heapsdk.report;

import java.util.List;
import java.util.Locale;

/**
 * The charts' colours. Series take the Okabe–Ito palette, which stays distinguishable with the common
 * colour-vision deficiencies; the heat map a sequential blue scale (ColorBrewer "Blues"). Text on a
 * coloured shape is black or white, whichever contrasts more (WCAG 2 contrast ratio), so every number
 * stays readable on every cell.
 */
public final class Colors {
  private Colors() {}

  /** Text and lines: near-black, 15:1 on white. */
  public static final String INK = "#1f2933";

  /** Secondary text: 7:1 on white. */
  public static final String MUTED = "#4a5563";

  /** Bars: Okabe–Ito blue, 5.1:1 against white text. */
  public static final String BAR = "#0072b2";

  /** Drop-off text: a dark orange, 5.9:1 on white. */
  public static final String DROP = "#a04000";

  /** Series colours (lines, markers, legend), Okabe–Ito without its yellow, which has no contrast on white. */
  private static final List<String> SERIES = List.of("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000");

  /** Light tints of the series colours, for shapes that carry dark text (path nodes). */
  private static final List<String> TINTS = List.of("#cfe3f1", "#f6d6c2", "#c6eadf", "#f1d7e7", "#f8e4bd", "#d8edf9", "#e3e6ea");

  private static final int[][] BLUES = {
    {0xf7, 0xfb, 0xff}, {0xde, 0xeb, 0xf7}, {0xc6, 0xdb, 0xef}, {0x9e, 0xca, 0xe1}, {0x6b, 0xae, 0xd6},
    {0x42, 0x92, 0xc6}, {0x21, 0x71, 0xb5}, {0x08, 0x51, 0x9c}, {0x08, 0x30, 0x6b}
  };

  /** The colour of the {@code i}-th series. */
  public static String series(int i) {
    return SERIES.get(Math.floorMod(i, SERIES.size()));
  }

  /** A light colour for {@code key}, the same for the same key on every page. */
  public static String tint(String key) {
    return TINTS.get(Math.floorMod(key.hashCode(), TINTS.size()));
  }

  /** The heat map's colour for a fraction from 0 to 1 (clamped). */
  public static String sequential(double fraction) {
    double f = Math.max(0, Math.min(1, fraction)) * (BLUES.length - 1);
    int i = Math.min((int) Math.floor(f), BLUES.length - 2);
    double t = f - i;
    int[] a = BLUES[i];
    int[] c = BLUES[i + 1];
    return hex((int) Math.round(a[0] + (c[0] - a[0]) * t), (int) Math.round(a[1] + (c[1] - a[1]) * t), (int) Math.round(a[2] + (c[2] - a[2]) * t));
  }

  /**
   * White, {@link #INK} or black on {@code background} ({@code #rrggbb}): whichever of white and ink
   * contrasts more, black where neither reaches the 4.5:1 WCAG asks of small text (mid-tones).
   */
  public static String textOn(String background) {
    double white = contrast(background, "#ffffff");
    double ink = contrast(background, INK);
    if (white >= ink) {
      return white >= 4.5 ? "#ffffff" : "#000000";
    }
    return ink >= 4.5 ? INK : "#000000";
  }

  /** WCAG 2 contrast ratio of two {@code #rrggbb} colours, from 1 to 21. */
  public static double contrast(String a, String b) {
    double la = luminance(a);
    double lb = luminance(b);
    return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
  }

  /** WCAG 2 relative luminance of {@code #rrggbb}. */
  static double luminance(String hex) {
    int rgb = Integer.parseInt(hex.substring(1), 16);
    return 0.2126 * channel((rgb >> 16) & 0xff) + 0.7152 * channel((rgb >> 8) & 0xff) + 0.0722 * channel(rgb & 0xff);
  }

  private static double channel(int c) {
    double s = c / 255.0;
    return s <= 0.03928 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
  }

  private static String hex(int r, int g, int b) {
    return String.format(Locale.ROOT, "#%02x%02x%02x", r, g, b);
  }
}
