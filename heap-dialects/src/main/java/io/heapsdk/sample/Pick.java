package io.heapsdk.sample;

import java.util.List;
import java.util.Random;

/** Random draws the generator repeats; every one consumes the generator's single random stream. */
final class Pick {
  private static final String TOKEN_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  private Pick() {}

  static <T> T one(Random rnd, List<T> values) {
    return values.get(rnd.nextInt(values.size()));
  }

  /** One of {@code values}, or null when there are none (then nothing is drawn). */
  static <T> T orNull(Random rnd, List<T> values) {
    return values.isEmpty() ? null : one(rnd, values);
  }

  /** Whether an event of probability {@code p} happens. */
  static boolean chance(Random rnd, double p) {
    return rnd.nextDouble() < p;
  }

  /** An index drawn with the given relative weights. */
  static int weighted(Random rnd, int... weights) {
    int total = 0;
    for (int w : weights) {
      total += w;
    }
    int r = rnd.nextInt(total);
    for (int i = 0; i < weights.length; i++) {
      r -= weights[i];
      if (r < 0) {
        return i;
      }
    }
    throw new IllegalStateException("unreachable: weights sum to " + total);
  }

  /** A click-id-like token of letters and digits. */
  static String token(Random rnd, int length) {
    StringBuilder b = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      b.append(TOKEN_CHARS.charAt(rnd.nextInt(TOKEN_CHARS.length())));
    }
    return b.toString();
  }
}
