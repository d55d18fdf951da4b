package io.heapsdk.analysis;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Windows, lookbacks and half-lives written the short way: {@code 14d}, {@code 36h}, {@code 1d12h},
 * {@code 90m}, {@code 45s}. Used by the command line and by the analyses' messages, which read better
 * than ISO-8601's {@code PT336H}.
 */
public final class Durations {
  private static final Pattern SHORT = Pattern.compile("(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");
  private static final long[] UNITS = {86_400, 3_600, 60, 1};
  private static final String[] NAMES = {"d", "h", "m", "s"};

  private Durations() {}

  /**
   * Reads {@code 7d}, {@code 36h}, {@code 1d12h}, {@code 90m}, {@code 45s} (case-insensitive) or an
   * ISO-8601 duration ({@code P7D}); empty when the text is neither.
   */
  public static Optional<Duration> parse(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    if (t.startsWith("p")) {
      try {
        return Optional.of(Duration.parse(text.strip()));
      } catch (RuntimeException e) {
        return Optional.empty();
      }
    }
    Matcher m = SHORT.matcher(t);
    if (t.isEmpty() || !m.matches()) {
      return Optional.empty();
    }
    try {
      Duration d = Duration.ZERO;
      for (int i = 0; i < UNITS.length; i++) {
        if (m.group(i + 1) != null) {
          d = d.plusSeconds(Math.multiplyExact(Long.parseLong(m.group(i + 1)), UNITS[i]));
        }
      }
      return Optional.of(d);
    } catch (ArithmeticException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** {@code 14d}, {@code 1d12h}, {@code -1h}, {@code 0s}, {@code 1.5s}. */
  public static String format(Duration d) {
    if (d.isNegative()) {
      return "-" + format(d.negated());
    }
    if (d.getNano() != 0) {
      return new BigDecimal(d.getSeconds()).add(BigDecimal.valueOf(d.getNano(), 9)).stripTrailingZeros().toPlainString() + "s";
    }
    long s = d.getSeconds();
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < UNITS.length; i++) {
      if (s >= UNITS[i]) {
        b.append(s / UNITS[i]).append(NAMES[i]);
        s %= UNITS[i];
      }
    }
    return b.length() == 0 ? "0s" : b.toString();
  }
}
