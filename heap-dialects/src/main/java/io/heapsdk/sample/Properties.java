package io.heapsdk.sample;

import io.heapsdk.source.SourceColumn;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Locale;

/**
 * Plausible values for custom property columns (pass-through pageview properties), chosen by the
 * column's type and a word in its name: {@code *campaign*}, {@code *source*}, {@code *medium*} repeat
 * the session's utm tags, {@code *variant*} / {@code *experiment*} are an A/B group kept per user, any
 * other text is the page's category. Values come from a hash of user and column, never from the random
 * stream, so adding a property to the config does not change any other value.
 */
record Properties(long userId, String pageCategory, Traffic.Visit visit, LocalDateTime time) {
  static final Properties NONE = new Properties(0, null, null, null);

  private static final List<String> VARIANTS = List.of("control", "variant_a", "variant_b");

  Object valueOf(SourceColumn column) {
    int h = hash(userId, column.name());
    switch (column.type()) {
      case BIGINT:
        return (long) Math.floorMod(h, 1000);
      case DOUBLE:
        return Math.floorMod(h, 100_000) / 100.0;
      case BOOLEAN:
        return (h & 1) == 0;
      case TIMESTAMP:
        return time;
      case VARCHAR:
      default:
        return text(column.name().toLowerCase(Locale.ROOT), h);
    }
  }

  private String text(String name, int h) {
    if (name.contains("campaign")) {
      return visit == null ? null : visit.utmCampaign();
    } else if (name.contains("source")) {
      return visit == null ? null : visit.utmSource();
    } else if (name.contains("medium")) {
      return visit == null ? null : visit.utmMedium();
    } else if (name.contains("variant") || name.contains("experiment")) {
      return VARIANTS.get(Math.floorMod(h, VARIANTS.size()));
    }
    return pageCategory;
  }

  /** SplitMix64's finalizer over user and column: well spread, and the same on every JVM. */
  private static int hash(long user, String column) {
    long z = user * 0x9E3779B97F4A7C15L + column.hashCode();
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return (int) ((z ^ (z >>> 31)) >>> 32);
  }
}
