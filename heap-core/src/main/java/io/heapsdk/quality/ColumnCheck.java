package io.heapsdk.quality;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One data check on a column, not yet tied to a table (a model declares it on itself with
 * {@code ModelBuilder.test}); {@link DataTest} ties it to a target.
 *
 * @param kind what is checked
 * @param column the column (a source table's logical name, or a model's output column)
 * @param acceptedValues for {@link Kind#ACCEPTED_VALUES}: the allowed values; for {@link Kind#CONTAINS_VALUES}:
 *     the values some row must hold (strings, numbers, booleans)
 * @param parent for {@link Kind#RELATIONSHIP}: the table whose {@code parentColumn} must hold every value
 * @param parentColumn for {@link Kind#RELATIONSHIP}: the column looked up in {@code parent}
 * @param severity whether a failure is an error or a warning
 */
public record ColumnCheck(
    Kind kind,
    String column,
    List<Object> acceptedValues,
    Optional<TestTarget> parent,
    Optional<String> parentColumn,
    Severity severity) {

  /** The test kinds of dbt's generic tests; each renders to a query returning the failing rows. */
  public enum Kind {
    NOT_NULL,
    UNIQUE,
    ACCEPTED_VALUES,
    RELATIONSHIP,
    /**
     * Every one of the values occurs in the column (the failing rows are the values none has):
     * dbt-expectations' {@code expect_column_distinct_values_to_contain_set}. The standard project checks
     * the config's funnel and conversion events with it, where a misspelled or differently cased name
     * counted nothing and said nothing.
     */
    CONTAINS_VALUES
  }

  public ColumnCheck {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(column, "column");
    acceptedValues = List.copyOf(acceptedValues);
    Objects.requireNonNull(parent, "parent");
    Objects.requireNonNull(parentColumn, "parentColumn");
    Objects.requireNonNull(severity, "severity");
    if ((kind == Kind.ACCEPTED_VALUES || kind == Kind.CONTAINS_VALUES) && acceptedValues.isEmpty()) {
      throw new IllegalArgumentException(kindNameOf(kind) + " on " + column + " needs at least one value");
    }
    for (Object v : acceptedValues) {
      // values become literals of the warehouse's SQL: only the types every warehouse writes the same way
      if (!(v instanceof String || v instanceof Long || v instanceof Integer || v instanceof Boolean)) {
        throw new IllegalArgumentException(
            "accepted_values on " + column + ": a value is a string, a whole number or a boolean, got " + v);
      }
    }
    // NOT IN ('a', 7) is a type error on BigQuery (ZetaSQL rejects it) and a silent cast elsewhere
    if (acceptedValues.stream().map(v -> v instanceof Integer ? Long.class : v.getClass()).distinct().count() > 1) {
      throw new IllegalArgumentException(
          "accepted_values on " + column + ": all values must be of one type (strings, whole numbers or booleans)");
    }
    if ((kind == Kind.RELATIONSHIP) != (parent.isPresent() && parentColumn.isPresent())) {
      throw new IllegalArgumentException("a relationship test, and only one, names the parent table and column");
    }
  }

  /** No row has a NULL in {@code column}. */
  public static ColumnCheck notNull(String column) {
    return new ColumnCheck(Kind.NOT_NULL, column, List.of(), Optional.empty(), Optional.empty(), Severity.ERROR);
  }

  /** No two rows share a (non-NULL) value of {@code column}. */
  public static ColumnCheck unique(String column) {
    return new ColumnCheck(Kind.UNIQUE, column, List.of(), Optional.empty(), Optional.empty(), Severity.ERROR);
  }

  /** Every non-NULL value of {@code column} is one of {@code values}. */
  public static ColumnCheck acceptedValues(String column, Object... values) {
    return new ColumnCheck(
        Kind.ACCEPTED_VALUES, column, List.of(values), Optional.empty(), Optional.empty(), Severity.ERROR);
  }

  /** Each of {@code values} is the value of {@code column} in at least one row. */
  public static ColumnCheck containsValues(String column, Object... values) {
    return new ColumnCheck(
        Kind.CONTAINS_VALUES, column, List.of(values), Optional.empty(), Optional.empty(), Severity.ERROR);
  }

  /** Every non-NULL value of {@code column} exists in {@code parentColumn} of {@code parent}. */
  public static ColumnCheck relationship(String column, TestTarget parent, String parentColumn) {
    return new ColumnCheck(
        Kind.RELATIONSHIP, column, List.of(), Optional.of(parent), Optional.of(parentColumn), Severity.ERROR);
  }

  /** This check, reported as a warning when it fails. */
  public ColumnCheck warnOnly() {
    return new ColumnCheck(kind, column, acceptedValues, parent, parentColumn, Severity.WARN);
  }

  /**
   * dbt's test name part: {@code not_null}, {@code unique}, {@code accepted_values}, {@code relationships};
   * {@code contains_values}.
   */
  public String kindName() {
    return kindNameOf(kind);
  }

  private static String kindNameOf(Kind kind) {
    return kind == Kind.RELATIONSHIP ? "relationships" : kind.name().toLowerCase(java.util.Locale.ROOT);
  }
}
