package io.heapsdk.warehouse.redshift;

import io.heapsdk.warehouse.internal.CallPrinter;
import io.heapsdk.warehouse.Identifiers;
import io.heapsdk.warehouse.StringLiterals;
import org.apache.calcite.config.NullCollation;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.SqlAlienSystemTypeNameSpec;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.dialect.RedshiftSqlDialect;

/**
 * Calcite's Redshift dialect with the defects CALCITE-NOTES lists fixed: {@code DATEADD}, epoch seconds
 * as a whole BIGINT (by {@code DATEDIFF}), no FILTER clause, names quoted in the lower case Redshift folds to, and backslashes
 * doubled in literals (Redshift still treats them as escapes), {@code DOUBLE PRECISION} casts. Window frames are always ROWS (the
 * renderer rewrites Calcite's RANGE frames), as Redshift requires.
 */
final class RedshiftDialect extends RedshiftSqlDialect {
  static final RedshiftDialect INSTANCE = new RedshiftDialect();

  static final Identifiers IDENTIFIERS = Identifiers.LOWER_CASE_FOLDING;
  static final StringLiterals LITERALS = StringLiterals.BACKSLASH_DOUBLED;

  private RedshiftDialect() {
    // Redshift sorts NULLs last ascending and first descending: "high"
    super(RedshiftSqlDialect.DEFAULT_CONTEXT.withNullCollation(NullCollation.HIGH));
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

  /**
   * {@code DOUBLE PRECISION} for DOUBLE: Calcite's Redshift dialect casts to {@code float8}, a type
   * name the renderer would quote like an identifier ({@code "float8"}).
   */
  @Override
  public SqlNode getCastSpec(RelDataType type) {
    if (type.getSqlTypeName() == SqlTypeName.DOUBLE) {
      return new SqlDataTypeSpec(new SqlAlienSystemTypeNameSpec("DOUBLE PRECISION", SqlTypeName.DOUBLE, SqlParserPos.ZERO), SqlParserPos.ZERO);
    }
    return super.getCastSpec(type);
  }

  @Override
  public void unparseCall(SqlWriter writer, SqlCall call, int leftPrec, int rightPrec) {
    if (CallPrinter.isLocalTime(call)) {
      CallPrinter.convertTimezone(writer, call);
    } else if (CallPrinter.isTimestampAdd(call)) {
      CallPrinter.function(writer, "DATEADD", CallPrinter.unitOf(call).name(), call.operand(1), call.operand(2));
    } else if (CallPrinter.isEpochExtract(call)) {
      // not EXTRACT(EPOCH …): on a TIMESTAMP Redshift returns an INTEGER (its documentation, "EXTRACT
      // function", return type), which has no second after 2038-01-19 03:14:07 (a device's clock far
      // in the future would fail or wrap the pageview sessions fact) and leaves the fraction to a
      // conversion it does not document. DATEDIFF's second boundaries are a BIGINT, rounded down
      CallPrinter.epochByDateDiff(writer, call.operand(1));
    } else if (CallPrinter.isTruncate(call)) {
      CallPrinter.dateTrunc(writer, "DATE_TRUNC", call);
    } else {
      super.unparseCall(writer, call, leftPrec, rightPrec);
    }
  }
}
