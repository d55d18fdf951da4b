package io.heapsdk.warehouse.bigquery;

import io.heapsdk.warehouse.internal.CallPrinter;
import io.heapsdk.warehouse.Identifiers;
import io.heapsdk.warehouse.StringLiterals;
import org.apache.calcite.avatica.util.TimeUnit;
import org.apache.calcite.config.NullCollation;
import org.apache.calcite.sql.SqlCall;
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

  @Override
  public boolean supportsCharSet() {
    return false;
  }

  @Override
  public void unparseCall(SqlWriter writer, SqlCall call, int leftPrec, int rightPrec) {
    if (CallPrinter.isTimestampAdd(call)) {
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
      // TIMESTAMP_TRUNC's WEEK starts on Sunday; ISOWEEK on Monday. Both in UTC unless told otherwise.
      TimeUnit unit = CallPrinter.truncateUnit(call);
      CallPrinter.function(writer, "TIMESTAMP_TRUNC", call.operand(0), unit == TimeUnit.WEEK ? "ISOWEEK" : unit.name());
    } else {
      super.unparseCall(writer, call, leftPrec, rightPrec);
    }
  }
}
