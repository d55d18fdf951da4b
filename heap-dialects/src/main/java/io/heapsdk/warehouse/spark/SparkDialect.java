package io.heapsdk.warehouse.spark;

import io.heapsdk.warehouse.internal.CallPrinter;
import io.heapsdk.warehouse.Identifiers;
import io.heapsdk.warehouse.StringLiterals;
import org.apache.calcite.config.NullCollation;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.dialect.SparkSqlDialect;

/**
 * Calcite's Spark dialect for Spark SQL 3.3+ and Databricks, with what it gets wrong for our plans
 * fixed: date arithmetic as an ANSI interval ({@code t + INTERVAL '14' DAY}, an exact duration: Spark's
 * {@code timestampadd(DAY, …)} counts calendar days in the session time zone, 23 or 25 hours across a
 * daylight-saving change, where Heap's UTC times need 24), epoch seconds as {@code UNIX_SECONDS}
 * (whole seconds, rounded down), backslash-escaped literals ({@code ''} would end the literal), and
 * backticks doubled inside names.
 */
final class SparkDialect extends SparkSqlDialect {
  static final SparkDialect INSTANCE = new SparkDialect();

  static final Identifiers IDENTIFIERS = Identifiers.BACKTICKS_DOUBLED;
  static final StringLiterals LITERALS = StringLiterals.SPARK;

  private SparkDialect() {
    // Spark sorts NULLs first ascending and last descending: "low"
    super(SparkSqlDialect.DEFAULT_CONTEXT.withNullCollation(NullCollation.LOW));
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
  protected boolean allowsAs() {
    // Spark SQL takes AS before column and table aliases; Calcite leaves it out only for old Hive
    return true;
  }

  @Override
  protected boolean identifierNeedsQuote(String val) {
    return true;
  }

  @Override
  public void quoteStringLiteral(StringBuilder buf, String charsetName, String val) {
    buf.append(LITERALS.quote(val));
  }

  @Override
  public void quoteStringLiteralUnicode(StringBuilder buf, String val) {
    buf.append(LITERALS.quote(val));
  }

  @Override
  public boolean supportsAggregateFunctionFilter() {
    // Spark 3.2+ parses FILTER, Databricks too; the CASE form keeps one rendering for every warehouse
    return false;
  }

  @Override
  public void unparseCall(SqlWriter writer, SqlCall call, int leftPrec, int rightPrec) {
    if (CallPrinter.isLocalTime(call)) {
      // the UTC time read as the zone's wall-clock time, itself a time of the session's zone (UTC)
      CallPrinter.function(writer, "FROM_UTC_TIMESTAMP", call.operand(0), call.operand(1));
    } else if (CallPrinter.isTimestampAdd(call)) {
      CallPrinter.intervalArithmetic(writer, call, leftPrec, rightPrec);
    } else if (CallPrinter.isEpochExtract(call)) {
      // Spark 3.1+: floorDiv of the microseconds, so already whole seconds rounded down
      CallPrinter.function(writer, "UNIX_SECONDS", call.operand(1));
    } else if (CallPrinter.isTruncate(call)) {
      CallPrinter.dateTrunc(writer, "DATE_TRUNC", call);
    } else {
      super.unparseCall(writer, call, leftPrec, rightPrec);
    }
  }
}
