package io.heapsdk.config;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A test on a session's columns, the building block of {@link ChannelRule}s. String comparisons are
 * case-insensitive: both sides are lower-cased. An ASCII value is stored lower-cased; any other value is
 * kept as written and lower-cased in SQL by the warehouse's {@code LOWER}, the function that lowers the
 * column (beyond ASCII, warehouses do not all lower-case as Java does: see {@code Exprs}).
 *
 * <p>Fields are logical column names of Heap's {@code sessions} table ({@code referrer},
 * {@code utm_source}, {@code landing_page_query}, ...).
 */
public sealed interface Condition {

  /** The column's value contains {@code value} (case-insensitive); false when the column is NULL. */
  record Contains(String field, String value) implements Condition {
    public Contains {
      Objects.requireNonNull(field, "field");
      value = lowerIfAscii(Objects.requireNonNull(value, "value"));
    }
  }

  /** The column's value equals {@code value} (case-insensitive); false when the column is NULL. */
  record EqualTo(String field, String value) implements Condition {
    public EqualTo {
      Objects.requireNonNull(field, "field");
      value = lowerIfAscii(Objects.requireNonNull(value, "value"));
    }
  }

  private static String lowerIfAscii(String value) {
    return value.chars().allMatch(c -> c < 0x80) ? value.toLowerCase(Locale.ROOT) : value;
  }

  /** The column is NULL. */
  record IsNull(String field) implements Condition {
    public IsNull {
      Objects.requireNonNull(field, "field");
    }
  }

  /** The column is not NULL. */
  record IsNotNull(String field) implements Condition {
    public IsNotNull {
      Objects.requireNonNull(field, "field");
    }
  }

  /** Every condition holds. */
  record All(List<Condition> conditions) implements Condition {
    public All {
      conditions = List.copyOf(conditions);
    }
  }

  /** At least one condition holds. */
  record Any(List<Condition> conditions) implements Condition {
    public Any {
      conditions = List.copyOf(conditions);
    }
  }

  static Condition contains(String field, String value) {
    return new Contains(field, value);
  }

  static Condition equalTo(String field, String value) {
    return new EqualTo(field, value);
  }

  static Condition isNull(String field) {
    return new IsNull(field);
  }

  static Condition isNotNull(String field) {
    return new IsNotNull(field);
  }

  static Condition all(Condition... conditions) {
    return new All(List.of(conditions));
  }

  static Condition any(Condition... conditions) {
    return new Any(List.of(conditions));
  }
}
