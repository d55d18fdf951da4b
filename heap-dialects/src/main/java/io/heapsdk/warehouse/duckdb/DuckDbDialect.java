package io.heapsdk.warehouse.duckdb;

import io.heapsdk.warehouse.internal.CallPrinter;
import io.heapsdk.warehouse.Identifiers;
import io.heapsdk.warehouse.StringLiterals;
import org.apache.calcite.rel.RelFieldCollation;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.dialect.DuckDBSqlDialect;

/**
 * Calcite's DuckDB dialect with what it gets wrong for our plans fixed: {@code TIMESTAMPADD} as
 * {@code t + INTERVAL 'n' DAY}, and epoch seconds as a whole, rounded-down BIGINT ({@code EXTRACT(EPOCH
 * …)} is a DOUBLE with the fraction in DuckDB). Names are quoted in lower case, literals the standard
 * way (a backslash is data in DuckDB's {@code '…'}). Calcite's NULL ordering for DuckDB (last, both
 * directions) is right and kept.
 */
final class DuckDbDialect extends DuckDBSqlDialect {
  static final DuckDbDialect INSTANCE = new DuckDbDialect();

  static final Identifiers IDENTIFIERS = Identifiers.LOWER_CASE_FOLDING;
  static final StringLiterals LITERALS = StringLiterals.STANDARD;

  private DuckDbDialect() {
    super(DuckDBSqlDialect.DEFAULT_CONTEXT);
  }

  /**
   * No NULL order is the default: the warehouse's depends on the default_null_order setting (https://duckdb.org/docs/stable/configuration/overview), so every ORDER BY item, in queries,
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

  @Override
  public boolean supportsCharSet() {
    return false;
  }

  @Override
  public void unparseCall(SqlWriter writer, SqlCall call, int leftPrec, int rightPrec) {
    if (CallPrinter.isLocalTime(call)) {
      // AT TIME ZONE with a zone's name is ICU's, which DuckDB's JDBC driver has built in
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
