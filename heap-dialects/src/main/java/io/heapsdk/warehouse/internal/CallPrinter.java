package io.heapsdk.warehouse.internal;

import java.math.BigDecimal;
import org.apache.calcite.avatica.util.TimeUnit;
import org.apache.calcite.avatica.util.TimeUnitRange;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIntervalQualifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNumericLiteral;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.util.TimestampString;

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

  /** Whether the call is {@code FLOOR(ts TO unit)}: a timestamp truncated (model API {@code Exprs.truncate}). */
  public static boolean isTruncate(SqlCall call) {
    return call.getKind() == SqlKind.FLOOR && call.operandCount() == 2;
  }

  /** The unit a {@code FLOOR(ts TO unit)} call truncates to, e.g. {@code DAY} or {@code WEEK}. */
  public static TimeUnit truncateUnit(SqlCall floor) {
    return unitAt(floor, 1);
  }

  /**
   * Prints {@code FLOOR(ts TO unit)} as {@code function('unit', ts)}, the unit in lower case; an ISO
   * week is {@code week} (PostgreSQL, Redshift, DuckDB, Spark and Trino truncate weeks to Monday).
   */
  public static void dateTrunc(SqlWriter w, String function, SqlCall floor) {
    dateTrunc(w, function, truncateUnit(floor), floor.operand(0));
  }

  /** Prints {@code function('unit', ts)}, the unit in lower case. */
  public static void dateTrunc(SqlWriter w, String function, TimeUnit unit, SqlNode ts) {
    SqlWriter.Frame frame = w.startFunCall(function);
    w.sep(",");
    w.literal("'" + unit.name().toLowerCase(java.util.Locale.ROOT) + "'");
    w.sep(",");
    ts.unparse(w, 0, 0);
    w.endFunCall(frame);
  }

  /** The unit of a {@code TIMESTAMPADD} call. */
  public static TimeUnit unitOf(SqlCall timestampAdd) {
    return unitAt(timestampAdd, 0);
  }

  /** The field of an {@code EXTRACT}-like call whose first operand is the unit. */
  public static TimeUnit fieldOf(SqlCall extract) {
    return unitAt(extract, 0);
  }

  private static TimeUnit unitAt(SqlCall call, int operand) {
    SqlNode unit = call.operand(operand);
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
    throw new IllegalStateException("unexpected time unit " + unit + " in " + call.getOperator().getName());
  }

  /**
   * Prints {@code TIMESTAMPADD(unit, n, ts)} as standard interval arithmetic: {@code ts + INTERVAL 'n'
   * UNIT}, {@code ts - INTERVAL 'n' UNIT} for a negative literal (a negative interval string is the
   * form engines disagree on most), and {@code ts + n * INTERVAL '1' UNIT} when {@code n} is not a
   * literal. Printed through Calcite's own {@code +} and {@code *} so it is parenthesized as its
   * context needs.
   */
  public static void intervalArithmetic(SqlWriter w, SqlCall timestampAdd, int leftPrec, int rightPrec) {
    SqlParserPos pos = timestampAdd.getParserPosition();
    SqlIntervalQualifier unit = new SqlIntervalQualifier(unitOf(timestampAdd), null, pos);
    SqlNode ts = timestampAdd.operand(2);
    BigDecimal amount = integerLiteral(timestampAdd.operand(1));
    SqlCall arithmetic;
    if (amount != null) {
      SqlLiteral interval = SqlLiteral.createInterval(1, amount.abs().toPlainString(), unit, pos);
      arithmetic = (amount.signum() < 0 ? SqlStdOperatorTable.MINUS : SqlStdOperatorTable.PLUS).createCall(pos, ts, interval);
    } else {
      SqlLiteral one = SqlLiteral.createInterval(1, "1", unit, pos);
      arithmetic =
          SqlStdOperatorTable.PLUS.createCall(
              pos, ts, SqlStdOperatorTable.MULTIPLY.createCall(pos, timestampAdd.operand(1), one));
    }
    arithmetic.unparse(w, leftPrec, rightPrec);
  }

  /** The value of an integer literal, also when Calcite wrote a negative one as {@code -(literal)}. */
  private static BigDecimal integerLiteral(SqlNode node) {
    if (node instanceof SqlNumericLiteral n && n.isInteger()) {
      return n.getValueAs(BigDecimal.class);
    }
    if (node instanceof SqlCall c && c.getKind() == SqlKind.MINUS_PREFIX && c.operandCount() == 1) {
      BigDecimal v = integerLiteral(c.operand(0));
      return v == null ? null : v.negate();
    }
    return null;
  }

  /** {@code TIMESTAMP '1970-01-01 00:00:00'}. */
  private static final SqlLiteral EPOCH =
      SqlLiteral.createTimestamp(SqlTypeName.TIMESTAMP, new TimestampString(1970, 1, 1, 0, 0, 0), 0, SqlParserPos.ZERO);

  /**
   * Prints {@code DATEDIFF(SECOND, TIMESTAMP '1970-01-01 00:00:00', ts)}: the second boundaries from the
   * epoch to {@code ts}, a BIGINT, which are its whole seconds rounded down, before 1970 too, for a
   * TIMESTAMP without a zone (Heap's times, UTC), whatever the session's time zone.
   */
  public static void epochByDateDiff(SqlWriter w, SqlNode ts) {
    function(w, "DATEDIFF", "SECOND", EPOCH, ts);
  }

  /** Whether the call is {@code HEAP_LOCAL_TIME(ts, zone)} ({@link io.heapsdk.model.Exprs#LOCAL_TIME}): a UTC time as a zone's wall-clock time. */
  public static boolean isLocalTime(SqlCall call) {
    return call.getOperator() == io.heapsdk.model.Exprs.LOCAL_TIME;
  }

  /**
   * Prints {@code HEAP_LOCAL_TIME(ts, zone)} as {@code ((CAST(ts AS TIMESTAMP) AT TIME ZONE 'UTC') AT
   * TIME ZONE zone)} (PostgreSQL, DuckDB): the first makes the zone-less UTC time an instant, the second
   * gives that instant's wall-clock time in the zone, without a zone. The cast first: a fact built from
   * a view that gives {@code time} with a zone (allowed in a UTC session) holds a {@code timestamptz},
   * which {@code AT TIME ZONE 'UTC'} would turn into UTC's wall-clock time instead, and the days would
   * shift the other way.
   */
  public static void atTimeZones(SqlWriter w, SqlCall localTime) {
    SqlWriter.Frame outer = w.startList("(", ")");
    SqlWriter.Frame inner = w.startList("(", ")");
    asTimestamp(w, localTime.operand(0), "TIMESTAMP");
    w.keyword("AT TIME ZONE");
    w.literal("'UTC'");
    w.endList(inner);
    w.keyword("AT TIME ZONE");
    localTime.operand(1).unparse(w, 0, 0);
    w.endList(outer);
  }

  /** Prints {@code CAST(ts AS type)}: a time without a zone, whatever the column's type. */
  public static void asTimestamp(SqlWriter w, SqlNode ts, String type) {
    SqlWriter.Frame cast = w.startFunCall("CAST");
    ts.unparse(w, 0, 0);
    w.keyword("AS");
    w.keyword(type);
    w.endFunCall(cast);
  }

  /** Prints {@code HEAP_LOCAL_TIME(ts, zone)} as {@code CONVERT_TIMEZONE('UTC', zone, ts)} (Snowflake, Redshift: a time without a zone in, one out). */
  public static void convertTimezone(SqlWriter w, SqlCall localTime) {
    function(w, "CONVERT_TIMEZONE", "'UTC'", localTime.operand(1), localTime.operand(0));
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
