package io.heapsdk.warehouse.bigquery;

import io.heapsdk.warehouse.internal.CallPrinter;
import io.heapsdk.warehouse.internal.UtcTimeOperators;
import io.heapsdk.warehouse.Identifiers;
import io.heapsdk.warehouse.StringLiterals;
import org.apache.calcite.avatica.util.TimeUnit;
import org.apache.calcite.config.NullCollation;
import org.apache.calcite.sql.SqlAbstractDateTimeLiteral;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlTimestampLiteral;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.dialect.BigQuerySqlDialect;

/**
 * Calcite's BigQuery dialect with the defects CALCITE-NOTES lists fixed: {@code TIMESTAMP_ADD(t,
 * INTERVAL n DAY)}, {@code UNIX_SECONDS}, {@code STRPOS}, every name in backticks, and literals escaped
 * the BigQuery way (no raw newlines).
 */
final class BigQueryDialect extends BigQuerySqlDialect {
  static final BigQueryDialect INSTANCE = new BigQueryDialect();

  static final Identifiers IDENTIFIERS = Identifiers.BACKTICKS_AS_WRITTEN;
  static final StringLiterals LITERALS = StringLiterals.BIGQUERY;

  /** The zone every time function is given: Heap's times are UTC. */
  private static final String UTC = "'UTC'";

  private BigQueryDialect() {
    // BigQuery sorts NULLs first ascending: "low"
    super(BigQuerySqlDialect.DEFAULT_CONTEXT.withNullCollation(NullCollation.LOW));
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

  /**
   * A TIMESTAMP literal with its offset, {@code TIMESTAMP '2024-01-01 00:00:00+00'}: without one
   * BigQuery reads it in the default zone, which need not be UTC.
   */
  @Override
  public void unparseDateTimeLiteral(SqlWriter writer, SqlAbstractDateTimeLiteral literal, int leftPrec, int rightPrec) {
    if (literal instanceof SqlTimestampLiteral) {
      writer.literal("TIMESTAMP '" + literal.toFormattedString() + "+00'");
    } else {
      super.unparseDateTimeLiteral(writer, literal, leftPrec, rightPrec);
    }
  }

  @Override
  public boolean supportsCharSet() {
    return false;
  }

  @Override
  public void unparseCall(SqlWriter writer, SqlCall call, int leftPrec, int rightPrec) {
    if (CallPrinter.isLocalTime(call)) {
      // DATETIME(ts, zone) is the wall-clock time there, a DATETIME; as a TIMESTAMP read in UTC again it
      // is a time the calls after it (TIMESTAMP_TRUNC(…, 'UTC'), UNIX_SECONDS, DATE(…, 'UTC')) read as such
      SqlWriter.Frame timestamp = writer.startFunCall("TIMESTAMP");
      CallPrinter.function(writer, "DATETIME", call.operand(0), call.operand(1));
      writer.sep(",");
      writer.literal(UTC);
      writer.endFunCall(timestamp);
    } else if (CallPrinter.isTimestampAdd(call)) {
      SqlWriter.Frame frame = writer.startFunCall("TIMESTAMP_ADD");
      writer.sep(",");
      call.operand(2).unparse(writer, 0, 0);
      writer.sep(",");
      writer.keyword("INTERVAL");
      call.operand(1).unparse(writer, 0, 0);
      writer.keyword(CallPrinter.unitOf(call).name());
      writer.endFunCall(frame);
    } else if (CallPrinter.isEpochExtract(call)) {
      CallPrinter.function(writer, "UNIX_SECONDS", call.operand(1));
    } else if (CallPrinter.isPosition(call)) {
      CallPrinter.function(writer, "STRPOS", call.operand(1), call.operand(0));
    } else if (CallPrinter.isTruncate(call)) {
      // TIMESTAMP_TRUNC's WEEK starts on Sunday; ISOWEEK on Monday. Without a zone, both take the
      // project's or the organization's default_time_zone where an administrator set one, not UTC
      TimeUnit unit = CallPrinter.truncateUnit(call);
      CallPrinter.function(writer, "TIMESTAMP_TRUNC", call.operand(0), unit == TimeUnit.WEEK ? "ISOWEEK" : unit.name(), UTC);
    } else if (call.getOperator() == UtcTimeOperators.UTC_DATE) {
      // CAST(ts AS DATE) and DATE(ts) take the default zone too
      CallPrinter.function(writer, "DATE", call.operand(0), UTC);
    } else if (call.getOperator() == UtcTimeOperators.UTC_EXTRACT) {
      SqlWriter.Frame frame = writer.startFunCall("EXTRACT");
      writer.keyword(CallPrinter.fieldOf(call).name());
      writer.keyword("FROM");
      call.operand(1).unparse(writer, 0, 0);
      writer.keyword("AT TIME ZONE");
      writer.literal(UTC);
      writer.endFunCall(frame);
    } else {
      super.unparseCall(writer, call, leftPrec, rightPrec);
    }
  }
}
