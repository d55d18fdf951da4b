package io.heapsdk.warehouse.postgres;

import io.heapsdk.warehouse.internal.CallPrinter;
import io.heapsdk.warehouse.Identifiers;
import io.heapsdk.warehouse.StringLiterals;
import org.apache.calcite.config.NullCollation;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.dialect.PostgresqlSqlDialect;

/**
 * Calcite's PostgreSQL dialect with what it gets wrong for our plans fixed: {@code TIMESTAMPADD} (which
 * PostgreSQL does not have) as {@code t + INTERVAL 'n' DAY}, epoch seconds as a whole, rounded-down
 * BIGINT ({@code EXTRACT(EPOCH …)} is a NUMERIC with the fraction since PostgreSQL 14), names quoted in
 * the lower case PostgreSQL folds to, and literals holding a backslash written as {@code E'…'}.
 */
final class PostgresDialect extends PostgresqlSqlDialect {
  static final PostgresDialect INSTANCE = new PostgresDialect();

  static final Identifiers IDENTIFIERS = Identifiers.LOWER_CASE_FOLDING;
  static final StringLiterals LITERALS = StringLiterals.POSTGRES;

  private PostgresDialect() {
    // PostgreSQL sorts NULLs as larger than any value: last ascending, first descending ("high")
    super(PostgresqlSqlDialect.DEFAULT_CONTEXT.withNullCollation(NullCollation.HIGH));
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
  public void unparseCall(SqlWriter writer, SqlCall call, int leftPrec, int rightPrec) {
    if (CallPrinter.isLocalTime(call)) {
      CallPrinter.atTimeZones(writer, call);
    } else if (CallPrinter.isTimestampAdd(call)) {
      CallPrinter.intervalArithmetic(writer, call, leftPrec, rightPrec);
    } else if (CallPrinter.isEpochExtract(call)) {
      CallPrinter.flooredEpoch(writer, call.operand(1));
    } else if (CallPrinter.isTruncate(call)) {
      CallPrinter.dateTrunc(writer, "DATE_TRUNC", call);
    } else {
      super.unparseCall(writer, call, leftPrec, rightPrec);
    }
  }
}
