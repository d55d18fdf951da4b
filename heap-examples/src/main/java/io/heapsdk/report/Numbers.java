package io.heapsdk.report;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * Numbers as the charts print them. {@link #exact} is what the {@code data-*} attributes carry, the same
 * digits as the commands' CSV output; the others round for reading.
 */
public final class Numbers {
  private Numbers() {}

  /** A double without exponent or trailing {@code .0}, as CSV writes it: 0.8333333333333334, 3600. */
  public static String exact(double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      return String.valueOf(d);
    }
    String s = BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    return s.equals("-0") ? "0" : s;
  }

  /** {@link #exact(double)}, or null (the attribute left out) for NULL. */
  public static String exact(Double d) {
    return d == null ? null : exact(d.doubleValue());
  }

  /** A count with thousands separators: {@code 12,345}. */
  public static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /** A fractional count (attribution credit) with at most two decimals: {@code 12.4}, {@code 1,250}. */
  public static String amount(double v) {
    String s = String.format(Locale.ROOT, "%,.2f", v);
    if (s.endsWith(".00")) {
      return s.substring(0, s.length() - 3);
    }
    return s.endsWith("0") ? s.substring(0, s.length() - 1) : s;
  }

  /** A fraction as a percentage with one decimal: {@code 0.6667} is {@code 66.7%}; NULL is {@code –}. */
  public static String percent(Double fraction) {
    return fraction == null ? "\u2013" : String.format(Locale.ROOT, "%.1f%%", 100 * fraction);
  }

  /** Seconds for reading: {@code 45s}, {@code 12m 30s}, {@code 3h 05m}, {@code 2d 04h}; NULL is {@code –}. */
  public static String duration(Double seconds) {
    if (seconds == null) {
      return "\u2013";
    }
    long s = Math.round(seconds);
    if (s < 60) {
      return s + "s";
    }
    if (s < 3_600) {
      return String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60);
    }
    if (s < 86_400) {
      return String.format(Locale.ROOT, "%dh %02dm", s / 3_600, (s % 3_600) / 60);
    }
    return String.format(Locale.ROOT, "%dd %02dh", s / 86_400, (s % 86_400) / 3_600);
  }
}
