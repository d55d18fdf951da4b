package io.heapsdk.warehouse.trino;

import io.heapsdk.warehouse.internal.CallPrinter;
import io.heapsdk.warehouse.Identifiers;
import io.heapsdk.warehouse.StringLiterals;
import org.apache.calcite.config.NullCollation;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.dialect.TrinoSqlDialect;

/**
 * Calcite's Trino dialect (also for Athena engine 3) with what it gets wrong for our plans fixed:
 * {@code date_add('day', n, t)}, epoch seconds as {@code to_unixtime} of the timestamp read as UTC,
 * floored to a BIGINT, names quoted in the lower case Trino stores, and {@code NULLS FIRST/LAST}
 * written as such (Calcite's Presto dialect emulates them with extra {@code x IS NULL} sort keys).
 */
final class TrinoDialect extends TrinoSqlDialect {
  static final TrinoDialect INSTANCE = new TrinoDialect();

  static final Identifiers IDENTIFIERS = Identifiers.LOWER_CASE_FOLDING;
  static final StringLiterals LITERALS = StringLiterals.STANDARD;

  private TrinoDialect() {
    // Trino sorts NULLs last in both directions
    super(TrinoSqlDialect.DEFAULT_CONTEXT.withNullCollation(NullCollation.LAST));
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

  @Override
  public boolean supportsAggregateFunctionFilter() {
    return false;
  }

  @Override
  public SqlNode emulateNullDirection(SqlNode node, boolean nullsFirst, boolean desc) {
    // Trino has NULLS FIRST / NULLS LAST; null asks Calcite to print them
    return null;
  }

  @Override
  public void unparseCall(SqlWriter writer, SqlCall call, int leftPrec, int rightPrec) {
    if (CallPrinter.isLocalTime(call)) {
      // an instant in UTC, then in the zone; the cast keeps its wall-clock time, to the microsecond
      // (a plain TIMESTAMP is TIMESTAMP(3), and the cast would round 23:59:59.9995 into the next day)
      SqlWriter.Frame cast = writer.startFunCall("CAST");
      CallPrinter.function(writer, "WITH_TIMEZONE", call.operand(0), "'UTC'");
      writer.keyword("AT TIME ZONE");
      call.operand(1).unparse(writer, 0, 0);
      writer.keyword("AS");
      writer.keyword("TIMESTAMP(6)");
      writer.endFunCall(cast);
    } else if (CallPrinter.isTimestampAdd(call)) {
      SqlWriter.Frame frame = writer.startFunCall("date_add");
      writer.sep(",");
      writer.literal("'" + CallPrinter.unitOf(call).name().toLowerCase(java.util.Locale.ROOT) + "'");
      writer.sep(",");
      call.operand(1).unparse(writer, 0, 0);
      writer.sep(",");
      call.operand(2).unparse(writer, 0, 0);
      writer.endFunCall(frame);
    } else if (CallPrinter.isEpochExtract(call)) {
      // to_unixtime takes a timestamp WITH time zone; an implicit cast would read ours in the session's
      // zone, with_timezone reads it as UTC, which Heap's times are
      SqlWriter.Frame cast = writer.startFunCall("CAST");
      SqlWriter.Frame floor = writer.startFunCall("FLOOR");
      SqlWriter.Frame unixtime = writer.startFunCall("to_unixtime");
      SqlWriter.Frame zoned = writer.startFunCall("with_timezone");
      call.operand(1).unparse(writer, 0, 0);
      writer.sep(",");
      writer.literal("'UTC'");
      writer.endFunCall(zoned);
      writer.endFunCall(unixtime);
      writer.endFunCall(floor);
      writer.keyword("AS");
      writer.keyword("BIGINT");
      writer.endFunCall(cast);
    } else if (CallPrinter.isTruncate(call)) {
      CallPrinter.dateTrunc(writer, "date_trunc", call);
    } else {
      super.unparseCall(writer, call, leftPrec, rightPrec);
    }
  }
}
