package io.heapsdk.warehouse;

import org.apache.calcite.avatica.util.TimeUnit;
import org.apache.calcite.avatica.util.TimeUnitRange;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIntervalQualifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlWriter;

/**
 * Small helpers the dialects share to print calls in their own syntax: {@code NAME(a, b)}, and the
 * pieces of the portable calls the models use ({@code TIMESTAMPADD}, {@code EXTRACT(EPOCH …)}).
 */
public final class CallPrinter {
  private CallPrinter() {}

  /** Prints {@code name(arg, arg, …)}; a String argument is printed as a keyword, a SqlNode unparsed. */
  public static void function(SqlWriter w, String name, Object... args) {
    SqlWriter.Frame frame = w.startFunCall(name);
    for (Object a : args) {
      w.sep(",");
      if (a instanceof SqlNode n) {
        n.unparse(w, 0, 0);
      } else {
        w.keyword(String.valueOf(a));
      }
    }
    w.endFunCall(frame);
  }

  /** Whether the call is {@code TIMESTAMPADD(unit, amount, ts)}. */
  public static boolean isTimestampAdd(SqlCall call) {
    return call.getKind() == SqlKind.TIMESTAMP_ADD && call.operandCount() == 3;
  }

  /** Whether the call is {@code EXTRACT(EPOCH FROM ts)}. */
  public static boolean isEpochExtract(SqlCall call) {
    if (call.getKind() != SqlKind.EXTRACT || call.operandCount() != 2) {
      return false;
    }
    SqlNode unit = call.operand(0);
    if (unit instanceof SqlIntervalQualifier q) {
      return q.timeUnitRange == TimeUnitRange.EPOCH;
    }
    return unit instanceof SqlLiteral l && l.getValue() == TimeUnitRange.EPOCH;
  }

  /** Whether the call is {@code POSITION(needle IN text)} with no start position. */
  public static boolean isPosition(SqlCall call) {
    return call.getKind() == SqlKind.POSITION && call.operandCount() == 2;
  }

  /** The unit of a {@code TIMESTAMPADD} call. */
  public static TimeUnit unitOf(SqlCall timestampAdd) {
    SqlNode unit = timestampAdd.operand(0);
    if (unit instanceof SqlIntervalQualifier q) {
      return q.getStartUnit();
    }
    if (unit instanceof SqlLiteral l) {
      Object v = l.getValue();
      if (v instanceof TimeUnit t) {
        return t;
      }
      if (v instanceof TimeUnitRange r) {
        return r.startUnit;
      }
    }
    throw new IllegalStateException("unexpected TIMESTAMPADD unit " + unit);
  }

  /**
   * Prints {@code CAST(FLOOR(EXTRACT(EPOCH FROM ts)) AS BIGINT)}: where EXTRACT(EPOCH) keeps the
   * fraction of a second, this gives the whole seconds the other warehouses return.
   */
  public static void flooredEpoch(SqlWriter w, SqlNode ts) {
    SqlWriter.Frame cast = w.startFunCall("CAST");
    SqlWriter.Frame floor = w.startFunCall("FLOOR");
    SqlWriter.Frame extract = w.startFunCall("EXTRACT");
    w.keyword("EPOCH");
    w.keyword("FROM");
    ts.unparse(w, 0, 0);
    w.endFunCall(extract);
    w.endFunCall(floor);
    w.keyword("AS");
    w.keyword("BIGINT");
    w.endFunCall(cast);
  }
}
