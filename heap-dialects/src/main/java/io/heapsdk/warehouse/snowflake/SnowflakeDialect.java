package io.heapsdk.warehouse.snowflake;

import io.heapsdk.warehouse.internal.CallPrinter;
import io.heapsdk.warehouse.Identifiers;
import io.heapsdk.warehouse.StringLiterals;
import org.apache.calcite.avatica.util.TimeUnit;
import org.apache.calcite.config.NullCollation;
import org.apache.calcite.rel.RelFieldCollation;
import org.apache.calcite.sql.SqlAbstractDateTimeLiteral;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlTimestampLiteral;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.dialect.SnowflakeSqlDialect;

/**
 * Calcite's Snowflake dialect with the defects CALCITE-NOTES lists fixed: names quoted in the upper case
 * Snowflake folds to, backslashes escaped in literals, no FILTER clause or character sets,
 * {@code DATEADD} and {@code DATE_PART(epoch_second, …)}.
 */
final class SnowflakeDialect extends SnowflakeSqlDialect {
  static final SnowflakeDialect INSTANCE = new SnowflakeDialect();

  static final Identifiers IDENTIFIERS = Identifiers.UPPER_CASE_FOLDING;
  static final StringLiterals LITERALS = StringLiterals.BACKSLASH_ESCAPES;

  private SnowflakeDialect() {
    // Snowflake sorts NULLs last ascending and first descending: "high"
    super(SnowflakeSqlDialect.DEFAULT_CONTEXT.withNullCollation(NullCollation.HIGH));
  }

  /**
   * No NULL order is the default: the warehouse's depends on the DEFAULT_NULL_ORDERING parameter (account, user or session) (https://docs.snowflake.com/en/sql-reference/parameters#default-null-ordering), so every ORDER BY item, in queries,
   * windows (sessionization's running sums, ROW_NUMBER) and medians, is printed with its NULLS FIRST or
   * NULLS LAST. Calcite leaves out the direction only when it equals this default.
   */
  @Override
  public RelFieldCollation.NullDirection defaultNullDirection(RelFieldCollation.Direction direction) {
    return RelFieldCollation.NullDirection.UNSPECIFIED;
  }

  @Override
  public String quoteIdentifier(String val) {
    return IDENTIFIERS.quote(val);
  }

  @Override
  public StringBuilder quoteIdentifier(StringBuilder buf, String val) {
    return IDENTIFIERS.quote(buf, val);
  }

  @Override
  public void quoteStringLiteral(StringBuilder buf, String charsetName, String val) {
    buf.append(LITERALS.quote(val));
  }

  @Override
  public void quoteStringLiteralUnicode(StringBuilder buf, String val) {
    buf.append(LITERALS.quote(val));
  }

  /**
   * A TIMESTAMP literal as {@code TO_TIMESTAMP_NTZ('…', format)}: {@code TIMESTAMP '…'} is of the type
   * {@code TIMESTAMP_TYPE_MAPPING} names (an account may make it LTZ, read in the session's zone) and
   * read with {@code TIMESTAMP_INPUT_FORMAT}; Heap's times are NTZ in UTC.
   */
  @Override
  public void unparseDateTimeLiteral(SqlWriter writer, SqlAbstractDateTimeLiteral literal, int leftPrec, int rightPrec) {
    if (literal instanceof SqlTimestampLiteral) {
      String text = literal.toFormattedString();
      writer.literal(timestamp(LITERALS.quote(text), text));
    } else {
      super.unparseDateTimeLiteral(writer, literal, leftPrec, rightPrec);
    }
  }

  /** {@code TO_TIMESTAMP_NTZ(quoted, format)} with the format of {@code text}, which is {@code yyyy-MM-dd HH:mm:ss[.f…]}. */
  static String timestamp(String quoted, String text) {
    int dot = text.indexOf('.');
    String fraction = dot < 0 ? "" : ".FF" + (text.length() - dot - 1);
    return "TO_TIMESTAMP_NTZ(" + quoted + ", 'YYYY-MM-DD HH24:MI:SS" + fraction + "')";
  }

  @Override
  public boolean supportsCharSet() {
    return false;
  }

  @Override
  public boolean supportsAggregateFunctionFilter() {
    return false;
  }

  @Override
  public void unparseCall(SqlWriter writer, SqlCall call, int leftPrec, int rightPrec) {
    if (CallPrinter.isLocalTime(call)) {
      CallPrinter.convertTimezone(writer, call);
    } else if (CallPrinter.isTimestampAdd(call)) {
      CallPrinter.function(writer, "DATEADD", CallPrinter.unitOf(call).name(), call.operand(1), call.operand(2));
    } else if (CallPrinter.isEpochExtract(call)) {
      CallPrinter.function(writer, "DATE_PART", "EPOCH_SECOND", call.operand(1));
    } else if (CallPrinter.isTruncate(call)) {
      TimeUnit unit = CallPrinter.truncateUnit(call);
      if (unit == TimeUnit.WEEK) {
        // DATE_TRUNC('WEEK') follows the session's WEEK_START; DAYOFWEEKISO (Monday 1 … Sunday 7) does not
        SqlWriter.Frame add = writer.startFunCall("DATEADD");
        writer.sep(",");
        writer.keyword("DAY");
        writer.sep(",");
        writer.literal("1");
        writer.sep("-");
        CallPrinter.function(writer, "DAYOFWEEKISO", call.operand(0));
        writer.sep(",");
        CallPrinter.dateTrunc(writer, "DATE_TRUNC", TimeUnit.DAY, call.operand(0));
        writer.endFunCall(add);
      } else {
        CallPrinter.dateTrunc(writer, "DATE_TRUNC", call);
      }
    } else {
      super.unparseCall(writer, call, leftPrec, rightPrec);
    }
  }
}
