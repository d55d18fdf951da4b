package io.heapsdk.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

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
      HeapConfigException.requireValue("Condition", "field", field, "a sessions column");
      value = lowerIfAscii(HeapConfigException.requireValue("Condition", "value", value, "a text"));
    }
  }

  /** The column's value equals {@code value} (case-insensitive); false when the column is NULL. */
  record EqualTo(String field, String value) implements Condition {
    public EqualTo {
      HeapConfigException.requireValue("Condition", "field", field, "a sessions column");
      value = lowerIfAscii(HeapConfigException.requireValue("Condition", "value", value, "a text"));
    }
  }

  private static String lowerIfAscii(String value) {
    return value.chars().allMatch(c -> c < 0x80) ? value.toLowerCase(Locale.ROOT) : value;
  }

  /** The column is NULL. */
  record IsNull(String field) implements Condition {
    public IsNull {
      HeapConfigException.requireValue("Condition", "field", field, "a sessions column");
    }
  }

  /** The column is not NULL. */
  record IsNotNull(String field) implements Condition {
    public IsNotNull {
      HeapConfigException.requireValue("Condition", "field", field, "a sessions column");
    }
  }

  /** Every condition holds. */
  record All(List<Condition> conditions) implements Condition {
    public All {
      HeapConfigException.requireValue("Condition", "conditions", conditions, "a list of conditions");
      for (int i = 0; i < conditions.size(); i++) {
        HeapConfigException.requireValue("Condition", "conditions[" + i + "]", conditions.get(i), "a condition");
      }
      conditions = List.copyOf(conditions);
    }
  }

  /** At least one condition holds. */
  record Any(List<Condition> conditions) implements Condition {
    public Any {
      HeapConfigException.requireValue("Condition", "conditions", conditions, "a list of conditions");
      for (int i = 0; i < conditions.size(); i++) {
        HeapConfigException.requireValue("Condition", "conditions[" + i + "]", conditions.get(i), "a condition");
      }
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
    return new All(Arrays.asList(HeapConfigException.requireValue("Condition", "conditions", conditions, "conditions")));
  }

  static Condition any(Condition... conditions) {
    return new Any(Arrays.asList(HeapConfigException.requireValue("Condition", "conditions", conditions, "conditions")));
  }
}
