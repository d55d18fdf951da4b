package io.heapsdk.warehouse.internal;

import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;

/**
 * Two calls on a TIMESTAMP that read its calendar fields, marked as such for the warehouses whose
 * functions take those fields in a zone a session, project or organization may set (BigQuery's
 * {@code default_time_zone}): the UTC day of a time ({@code CAST(ts AS DATE)}) and a field of it
 * ({@code EXTRACT(YEAR FROM ts)}). A rewrite puts them in place of the portable calls where the operand
 * is a TIMESTAMP, so the dialect can name UTC without guessing the operand's type; the types are those
 * of the calls they replace.
 */
public final class UtcTimeOperators {
  private UtcTimeOperators() {}

  /** {@code UTC_DATE(ts)}: the UTC calendar day of a TIMESTAMP. */
  public static final SqlFunction UTC_DATE =
      new SqlFunction("UTC_DATE", SqlKind.OTHER_FUNCTION, ReturnTypes.DATE_NULLABLE, null, OperandTypes.TIMESTAMP, SqlFunctionCategory.TIMEDATE);

  /** {@code UTC_EXTRACT(unit, ts)}: a field of a TIMESTAMP read in UTC; the unit is a time unit flag. */
  public static final SqlFunction UTC_EXTRACT =
      new SqlFunction("UTC_EXTRACT", SqlKind.OTHER_FUNCTION, ReturnTypes.BIGINT_NULLABLE, null, OperandTypes.ANY_ANY, SqlFunctionCategory.TIMEDATE);
}
