package io.heapsdk.model;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.calcite.avatica.util.TimeUnit;
import org.apache.calcite.avatica.util.TimeUnitRange;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.tools.RelBuilder;
import org.apache.calcite.util.TimestampString;

/**
 * Warehouse-neutral expressions the models need, built from standard Calcite operators that every
 * warehouse renderer knows how to print (date arithmetic, epoch seconds, case-insensitive matching).
 * Use these instead of warehouse functions so a model renders everywhere.
 */
public final class Exprs {
  private Exprs() {}

  /** {@code ts} plus {@code days} days (negative to subtract). */
  public static RexNode addDays(RelBuilder b, RexNode ts, int days) {
    return timestampAdd(b, TimeUnit.DAY, days, ts);
  }

  /** {@code ts} plus {@code minutes} minutes. */
  public static RexNode addMinutes(RelBuilder b, RexNode ts, int minutes) {
    return timestampAdd(b, TimeUnit.MINUTE, minutes, ts);
  }

  /**
   * {@code ts} plus {@code amount} (negative to subtract), a whole number of seconds, printed in the
   * largest unit that divides it exactly (days, hours, minutes or seconds) so the SQL stays readable.
   */
  public static RexNode add(RelBuilder b, RexNode ts, Duration amount) {
    if (amount.getNano() != 0) {
      throw new IllegalArgumentException("expected a whole number of seconds, got " + amount);
    }
    long seconds = amount.getSeconds();
    for (TimeUnit unit : List.of(TimeUnit.DAY, TimeUnit.HOUR, TimeUnit.MINUTE, TimeUnit.SECOND)) {
      long per = unit.multiplier.longValueExact() / 1000;
      if (seconds % per == 0) {
        return timestampAdd(b, unit, Math.toIntExact(seconds / per), ts);
      }
    }
    throw new IllegalStateException("unreachable: every whole number of seconds is a number of seconds");
  }

  private static RexNode timestampAdd(RelBuilder b, TimeUnit unit, int amount, RexNode ts) {
    return b.call(SqlStdOperatorTable.TIMESTAMP_ADD, b.getRexBuilder().makeFlag(unit), b.literal(amount), ts);
  }

  /** Whole seconds since 1970-01-01 00:00:00 of a UTC timestamp, rounded down; a BIGINT. */
  public static RexNode epochSeconds(RelBuilder b, RexNode ts) {
    return b.call(SqlStdOperatorTable.EXTRACT, b.getRexBuilder().makeFlag(TimeUnitRange.EPOCH), ts);
  }

  /**
   * Whole seconds from {@code from} to {@code to}: the difference of their {@link #epochSeconds}, a
   * BIGINT, negative when {@code to} is earlier. The same number on every warehouse, unlike
   * {@code DATEDIFF(second, …)} (Snowflake and Redshift count second boundaries crossed) or
   * {@code TIMESTAMP_DIFF} (BigQuery truncates the elapsed time): 10:00:00.9 to 10:00:01.1 is 1.
   */
  public static RexNode secondsBetween(RelBuilder b, RexNode from, RexNode to) {
    return b.call(SqlStdOperatorTable.MINUS, epochSeconds(b, to), epochSeconds(b, from));
  }

  /** A TIMESTAMP literal (precision 0) of a UTC date and time without fraction of a second. */
  public static RexNode timestamp(RelBuilder b, LocalDateTime at) {
    if (at.getNano() != 0) {
      throw new IllegalArgumentException("expected a whole second, got " + at);
    }
    TimestampString ts =
        new TimestampString(at.getYear(), at.getMonthValue(), at.getDayOfMonth(), at.getHour(), at.getMinute(), at.getSecond());
    return b.getRexBuilder().makeTimestampLiteral(ts, 0);
  }

  /** {@code value} as a DOUBLE, so that averages and divisions are never integer arithmetic (Redshift's AVG of a BIGINT is a BIGINT). */
  public static RexNode asDouble(RelBuilder b, RexNode value) {
    return b.cast(value, SqlTypeName.DOUBLE);
  }

  /**
   * Whether {@code text} contains {@code needle}, ignoring case as the warehouse's {@code LOWER} does;
   * NULL when {@code text} is NULL. Text is compared as it is, without Unicode normalization: {@code é}
   * and {@code e} + U+0301 differ.
   */
  public static RexNode containsIgnoreCase(RelBuilder b, RexNode text, String needle) {
    RexNode position = b.call(SqlStdOperatorTable.POSITION, lowered(b, needle), b.call(SqlStdOperatorTable.LOWER, text));
    return b.greaterThan(position, b.literal(0));
  }

  /** Whether {@code text} equals {@code value}, ignoring case as {@link #containsIgnoreCase} does; NULL when {@code text} is NULL. */
  public static RexNode equalsIgnoreCase(RelBuilder b, RexNode text, String value) {
    return b.equals(b.call(SqlStdOperatorTable.LOWER, text), lowered(b, value));
  }

  /**
   * A constant to compare with {@code LOWER(text)}. ASCII is lowered here, as every warehouse lowers
   * A-Z. Any other text is lowered in SQL by the same {@code LOWER} as the column, because beyond ASCII
   * the warehouses disagree with Java and with each other (a word-final Σ is ς in Java and H2, σ in
   * PostgreSQL and DuckDB; İ; a PostgreSQL database whose ctype is C lowers ASCII only), and a constant
   * lowered by other rules than the column's could miss text spelled exactly like it.
   */
  private static RexNode lowered(RelBuilder b, String value) {
    if (value.chars().allMatch(c -> c < 0x80)) {
      return b.literal(value.toLowerCase(Locale.ROOT));
    }
    return b.call(SqlStdOperatorTable.LOWER, b.literal(value));
  }

  /**
   * {@code COUNT(CASE WHEN condition THEN 1 END)}: the rows where {@code condition} holds, as a BIGINT on
   * every warehouse. Not {@code SUM(CASE … THEN 1 ELSE 0 END)}: DuckDB sums integers into a 128-bit
   * HUGEINT, which a fact would keep as its column type (DuckDB's pandas export reads it as float64:
   * duckdb/duckdb#3143), and DuckDB counts faster than it sums into 128 bits. The two agree on every
   * group and window frame a fact counts over, none of which is empty (on an empty one SUM is NULL).
   */
  public static RexNode countIfArgument(RelBuilder b, RexNode condition) {
    return b.call(SqlStdOperatorTable.CASE, condition, b.literal(1), b.literal(null));
  }

  /** The aggregate of {@link #countIfArgument}: {@code COUNT(CASE WHEN condition THEN 1 END)}. */
  public static RelBuilder.AggCall countIf(RelBuilder b, RexNode condition) {
    return b.count(false, null, countIfArgument(b, condition));
  }

  /** {@code CASE WHEN condition THEN 1 ELSE 0 END}, for counting with SUM. */
  public static RexNode oneIf(RelBuilder b, RexNode condition) {
    return b.call(SqlStdOperatorTable.CASE, condition, b.literal(1), b.literal(0));
  }

  /** {@code CASE WHEN condition THEN TRUE ELSE FALSE END}: a boolean that is never NULL. */
  public static RexNode trueIf(RelBuilder b, RexNode condition) {
    return b.call(SqlStdOperatorTable.CASE, condition, b.literal(true), b.literal(false));
  }

  /** NULL when {@code condition} holds, else {@code value}. */
  public static RexNode nullIf(RelBuilder b, RexNode condition, RexNode value) {
    return b.call(SqlStdOperatorTable.CASE, condition, b.getRexBuilder().makeNullLiteral(value.getType()), value);
  }

  /** {@code value} as a VARCHAR. */
  public static RexNode asText(RelBuilder b, RexNode value) {
    return b.cast(value, SqlTypeName.VARCHAR);
  }

  /** Text concatenation; NULL when any part is NULL. */
  public static RexNode concat(RelBuilder b, RexNode... parts) {
    RexNode result = parts[0];
    for (int i = 1; i < parts.length; i++) {
      result = b.call(SqlStdOperatorTable.CONCAT, result, parts[i]);
    }
    return result;
  }

  /**
   * {@code ts} truncated to the start of its hour, day, ISO week (Monday), month, quarter or year, a
   * TIMESTAMP. Every warehouse prints it in its own syntax ({@code DATE_TRUNC}, {@code
   * TIMESTAMP_TRUNC}, …); weeks start on Monday everywhere, never on a session setting such as
   * Snowflake's {@code WEEK_START}. Heap's times are UTC, so days are UTC days.
   */
  public static RexNode truncate(RelBuilder b, RexNode ts, TimeGrain grain) {
    return b.call(SqlStdOperatorTable.FLOOR, ts, b.getRexBuilder().makeFlag(grain.unit()));
  }

  /**
   * {@code HEAP_LOCAL_TIME(ts, 'Europe/Paris')}: the wall-clock time in a zone of a UTC TIMESTAMP, as a
   * TIMESTAMP without a zone (so the calls that read its day, truncate it or count its epoch seconds read
   * the zone's calendar). Every warehouse prints it in its own syntax ({@code CONVERT_TIMEZONE}, {@code
   * DATETIME(ts, zone)}, {@code AT TIME ZONE}, …); the zone is a string literal, an IANA name.
   */
  public static final SqlFunction LOCAL_TIME =
      new SqlFunction(
          "HEAP_LOCAL_TIME", SqlKind.OTHER_FUNCTION, ReturnTypes.ARG0_NULLABLE, null,
          OperandTypes.family(SqlTypeFamily.TIMESTAMP, SqlTypeFamily.CHARACTER), SqlFunctionCategory.TIMEDATE);

  /**
   * {@code ts}, a UTC time, as the wall-clock time in {@code zone} ({@link #LOCAL_TIME}); {@code ts} itself
   * where the zone is UTC, so plans in UTC stay as they were. Days, weeks and months cut from the result
   * ({@link #truncate}, {@link #date}) are the zone's, daylight saving time included.
   */
  public static RexNode localTime(RelBuilder b, RexNode ts, ZoneId zone) {
    if (zone.normalized().equals(ZoneOffset.UTC)) {
      return ts;
    }
    return b.call(LOCAL_TIME, ts, b.literal(zone.getId()));
  }

  /** The UTC calendar day of {@code ts}, a DATE ({@code CAST(ts AS DATE)}). */
  public static RexNode date(RelBuilder b, RexNode ts) {
    return b.cast(ts, SqlTypeName.DATE);
  }

  /**
   * {@code COUNT(DISTINCT operand)} named {@code alias}: how many different non-NULL values, e.g.
   * active users per day.
   */
  public static RelBuilder.AggCall countDistinct(RelBuilder b, String alias, RexNode operand) {
    return b.count(true, alias, operand);
  }

  /**
   * {@code numerator / denominator} as a DOUBLE, NULL when the denominator is 0 or NULL (no division
   * by zero error, and never integer division): conversion rates, averages of ratios.
   */
  public static RexNode safeDivide(RelBuilder b, RexNode numerator, RexNode denominator) {
    RexNode quotient = b.call(SqlStdOperatorTable.DIVIDE, asDouble(b, numerator), asDouble(b, denominator));
    return nullIf(b, b.equals(denominator, b.literal(0)), quotient);
  }

  /** The first of {@code values} that is not NULL ({@code COALESCE}). */
  public static RexNode coalesce(RelBuilder b, RexNode... values) {
    return b.call(SqlStdOperatorTable.COALESCE, values);
  }

  /**
   * Whether {@code value} equals one of {@code candidates} (strings, numbers or booleans, written as
   * literals), as {@code value = c1 OR value = c2 …}; NULL when {@code value} is NULL. FALSE for no
   * candidates.
   */
  public static RexNode isIn(RelBuilder b, RexNode value, List<?> candidates) {
    if (candidates.isEmpty()) {
      return b.literal(false);
    }
    List<RexNode> tests = new ArrayList<>();
    for (Object c : candidates) {
      tests.add(b.equals(value, b.literal(c)));
    }
    return tests.size() == 1 ? tests.get(0) : b.or(tests);
  }

  /** {@code CASE WHEN c1 THEN v1 WHEN c2 THEN v2 ... ELSE otherwise END}. */
  public static RexNode firstMatch(RelBuilder b, List<RexNode> conditions, List<RexNode> values, RexNode otherwise) {
    if (conditions.isEmpty()) {
      return otherwise;
    }
    List<RexNode> operands = new ArrayList<>();
    for (int i = 0; i < conditions.size(); i++) {
      operands.add(conditions.get(i));
      operands.add(values.get(i));
    }
    operands.add(otherwise);
    return b.call(SqlStdOperatorTable.CASE, operands);
  }

}
