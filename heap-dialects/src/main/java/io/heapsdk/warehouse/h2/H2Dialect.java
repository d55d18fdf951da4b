package io.heapsdk.warehouse.h2;

import io.heapsdk.warehouse.internal.CallPrinter;
import io.heapsdk.warehouse.Identifiers;
import io.heapsdk.warehouse.StringLiterals;
import org.apache.calcite.avatica.util.TimeUnit;
import org.apache.calcite.config.NullCollation;
import org.apache.calcite.rel.RelFieldCollation;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.dialect.H2SqlDialect;

/**
 * Calcite's H2 dialect, fixed for H2 2.x: NULLs sort first ascending (Calcite assumed last, which made
 * every {@code NULLS LAST} disappear), {@code DATEADD}, whole epoch seconds, upper-case quoted names.
 */
final class H2Dialect extends H2SqlDialect {
  static final H2Dialect INSTANCE = new H2Dialect();

  static final Identifiers IDENTIFIERS = Identifiers.UPPER_CASE_FOLDING;
  static final StringLiterals LITERALS = StringLiterals.STANDARD;

  private H2Dialect() {
    super(H2SqlDialect.DEFAULT_CONTEXT.withNullCollation(NullCollation.LOW));
  }

  /**
   * No NULL order is the default: H2's depends on its DEFAULT_NULL_ORDERING setting
   * (https://www.h2database.com/html/commands.html#set_default_null_ordering), so every ORDER BY item is
   * printed with its NULLS FIRST or NULLS LAST.
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
  public boolean supportsAggregateFunctionFilter() {
    return false;
  }

  @Override
  public void unparseCall(SqlWriter writer, SqlCall call, int leftPrec, int rightPrec) {
    if (CallPrinter.isLocalTime(call)) {
      // H2's AT TIME ZONE reads a time without a zone in the session's zone (the JVM's): the UTC time is
      // given its offset as text instead, and the zone's offset at that instant added to it
      SqlWriter.Frame dateAdd = writer.startFunCall("DATEADD");
      writer.sep(",");
      writer.keyword("SECOND");
      writer.sep(",");
      zoneOffsetPart(writer, call, "TIMEZONE_HOUR");
      writer.keyword("* 3600 +");
      zoneOffsetPart(writer, call, "TIMEZONE_MINUTE");
      writer.keyword("* 60 +");
      // the seconds of a local mean time's offset, before zones kept whole minutes
      zoneOffsetPart(writer, call, "TIMEZONE_SECOND");
      writer.sep(",");
      CallPrinter.asTimestamp(writer, call.operand(0), "TIMESTAMP");
      writer.endFunCall(dateAdd);
    } else if (CallPrinter.isTimestampAdd(call)) {
      CallPrinter.function(writer, "DATEADD", CallPrinter.unitOf(call).name(), call.operand(1), call.operand(2));
    } else if (CallPrinter.isEpochExtract(call)) {
      // not CAST(FLOOR(EXTRACT(EPOCH …)) AS BIGINT): H2's EXTRACT(EPOCH) is a NUMERIC with the
      // nanoseconds, divided out in BigDecimal per row (measured: half the CPU of the pageview sessions
      // fact, whose two epoch columns it computes for every pageview). DATEDIFF counts the second
      // boundaries from the epoch in long arithmetic: the same whole seconds rounded down, before 1970
      // too, for a TIMESTAMP (Heap's times: UTC, without a zone), whatever the session's time zone
      CallPrinter.epochByDateDiff(writer, call.operand(1));
    } else if (CallPrinter.isTruncate(call)) {
      // H2's WEEK follows the JVM's locale (Sunday in the US); ISO_WEEK is always Monday
      TimeUnit unit = CallPrinter.truncateUnit(call);
      CallPrinter.function(writer, "DATE_TRUNC", unit == TimeUnit.WEEK ? "ISO_WEEK" : unit.name(), call.operand(0));
    } else {
      super.unparseCall(writer, call, leftPrec, rightPrec);
    }
  }

  /**
   * {@code EXTRACT(part FROM (CAST(CAST(CAST(ts AS TIMESTAMP) AS VARCHAR) || '+00:00' AS TIMESTAMP WITH TIME
   * ZONE) AT TIME ZONE zone))}; the innermost cast for a fact whose time has a zone (from a view, in a UTC
   * session), whose text already ends with its offset.
   */
  private static void zoneOffsetPart(SqlWriter writer, SqlCall localTime, String part) {
    SqlWriter.Frame extract = writer.startFunCall("EXTRACT");
    writer.keyword(part);
    writer.keyword("FROM");
    SqlWriter.Frame instant = writer.startList("(", ")");
    SqlWriter.Frame cast = writer.startFunCall("CAST");
    SqlWriter.Frame text = writer.startFunCall("CAST");
    CallPrinter.asTimestamp(writer, localTime.operand(0), "TIMESTAMP");
    writer.keyword("AS VARCHAR");
    writer.endFunCall(text);
    writer.keyword("||");
    writer.literal("'+00:00'");
    writer.keyword("AS TIMESTAMP WITH TIME ZONE");
    writer.endFunCall(cast);
    writer.keyword("AT TIME ZONE");
    localTime.operand(1).unparse(writer, 0, 0);
    writer.endList(instant);
    writer.endFunCall(extract);
  }
}
