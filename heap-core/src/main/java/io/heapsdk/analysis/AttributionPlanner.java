package io.heapsdk.analysis;

import io.heapsdk.model.Exprs;
import io.heapsdk.model.PlanContext;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.tools.RelBuilder;

/**
 * Plans an {@link Attribution}: {@code _conversions} (the converting events, with their value),
 * {@code _touches} (each conversion joined to the user's sessions in the lookback window; one row with
 * no session when there is none), optionally {@code _touch_runs} (consecutive repeats marked, then
 * dropped), {@code _weights} (the window values the model needs), and the credits summed per
 * {@code by} value. Not thread-safe; one per planning.
 */
final class AttributionPlanner {
  private final Attribution a;
  private final PlanContext ctx;
  private final RelBuilder b;
  private final String prefix;

  AttributionPlanner(Attribution attribution, PlanContext ctx) {
    this.a = attribution;
    this.ctx = ctx;
    this.b = ctx.builder();
    this.prefix = ctx.modelName();
  }

  RelNode plan() {
    conversions();
    touches();
    if (a.collapseRepeats()) {
      collapse();
    }
    weights();
    return credits();
  }

  private void conversions() {
    ctx.ref(a.conversionsFrom());
    List<String> columns = b.peek().getRowType().getFieldNames();
    for (String c : List.of(Analyses.EVENT_ID, Analyses.USER_ID, Analyses.EVENT_TIME)) {
      requireColumn("conversions_from", c, columns);
    }
    List<RexNode> keep = new ArrayList<>();
    keep.add(b.isNotNull(b.field(Analyses.EVENT_TIME)));
    keep.add(b.isNotNull(b.field(Analyses.USER_ID)));
    if (!a.conversionEvents().isEmpty()) {
      requireColumn("conversion_events", Analyses.EVENT_NAME, columns);
      keep.add(b.in(b.field(Analyses.EVENT_NAME), a.conversionEvents().stream().map(b::literal).toArray(RexNode[]::new)));
    } else if (a.conversionPredicate().isPresent()) {
      keep.add(a.conversionPredicate().get().condition(b));
    } else if (a.conversionsFrom().equals(Analyses.EVENTS_FACT)) {
      if (ctx.config().conversionEvents().isEmpty()) {
        throw new HeapAnalysisException(
            Attribution.WHAT,
            "conversions",
            "the config has no conversion_events; list them there, or give the attribution its conversion events (heap attribution --conversion-events)");
      }
      keep.add(b.field("heap_event_is_conversion"));
    }
    RexNode time = b.field(Analyses.EVENT_TIME);
    a.from().flatMap(d -> Analyses.startOf(d, a.timeZone())).ifPresent(t -> keep.add(b.greaterThanOrEqual(time, Exprs.timestamp(b, t))));
    a.to().flatMap(d -> Analyses.startOf(d.plusDays(1), a.timeZone())).ifPresent(t -> keep.add(b.lessThan(time, Exprs.timestamp(b, t))));
    b.filter(keep);
    RexNode value;
    if (a.value().isPresent()) {
      requireColumn("value", a.value().get(), columns);
      RexNode v = b.field(a.value().get());
      if (!SqlTypeFamily.NUMERIC.contains(v.getType())) {
        throw new HeapAnalysisException(
            Attribution.WHAT, "value", "column \"" + a.value().get() + "\" of " + a.conversionsFrom() + " is " + v.getType() + ", not a number");
      }
      value = Exprs.asDouble(b, v);
    } else {
      value = b.getRexBuilder().makeNullLiteral(b.getTypeFactory().createSqlType(SqlTypeName.DOUBLE));
    }
    b.project(
        List.of(b.field(Analyses.EVENT_ID), b.field(Analyses.USER_ID), b.field(Analyses.EVENT_TIME), value),
        List.of("conversion_id", Analyses.USER_ID, "conversion_time", "conversion_value"),
        true);
    ctx.stage(prefix + "_conversions");
  }

  private void touches() {
    ctx.ref(Analyses.SESSIONS_FACT);
    List<String> sessionColumns = b.peek().getRowType().getFieldNames();
    String column = Analyses.sessionColumn(Attribution.WHAT, "by", a.by(), sessionColumns);
    RexNode conversionTime = b.field(2, 0, "conversion_time");
    RexNode start = b.field(2, 1, Analyses.SESSION_START);
    List<RexNode> touch = new ArrayList<>();
    touch.add(b.equals(b.field(2, 0, Analyses.USER_ID), b.field(2, 1, Analyses.USER_ID)));
    touch.add(b.lessThanOrEqual(start, conversionTime));
    if (!a.lookbackUnbounded()) {
      touch.add(b.greaterThanOrEqual(start, Exprs.add(b, conversionTime, a.lookback().negated())));
    }
    b.join(JoinRelType.LEFT, touch);
    RexNode session = b.field(4 + sessionColumns.indexOf(Analyses.SESSION_ID));
    RexNode label = b.field(4 + sessionColumns.indexOf(column));
    RelDataType labelType = label.getType();
    if (!SqlTypeFamily.CHARACTER.contains(labelType)) {
      label = Exprs.asText(b, label);
    }
    RexNode channel = b.field(4 + sessionColumns.indexOf(Analyses.CHANNEL));
    b.project(
        List.of(
            b.field(0),
            b.field(2),
            b.field(3),
            session,
            b.field(4 + sessionColumns.indexOf(Analyses.SESSION_START)),
            // a conversion without a touch keeps one row, credited to the (none) bucket
            b.call(SqlStdOperatorTable.CASE, b.isNull(session), b.literal(Attribution.NO_TOUCH), label),
            Exprs.trueIf(b, b.equals(channel, b.literal(a.directChannel())))),
        List.of("conversion_id", "conversion_time", "conversion_value", "touch_session_id", "touch_time", "touch_label", "touch_is_direct"),
        true);
    ctx.stage(prefix + "_touches");
  }

  /** Drops every touch whose {@code by} value equals the previous touch's (NULLs equal), keeping the first of each run. */
  private void collapse() {
    List<String> columns = b.peek().getRowType().getFieldNames();
    List<RexNode> p = new ArrayList<>(b.fields());
    List<String> names = new ArrayList<>(columns);
    p.add(overTouches(SqlStdOperatorTable.LAG, b.field("touch_label")));
    names.add("previous_label");
    p.add(overTouches(SqlStdOperatorTable.LAG, b.field("touch_session_id")));
    names.add("previous_session_id");
    b.project(p, names, true);
    ctx.stage(prefix + "_touch_runs");
    RexNode label = b.field("touch_label");
    RexNode previous = b.field("previous_label");
    RexNode same =
        Exprs.trueIf(b, b.or(b.and(b.isNull(label), b.isNull(previous)), b.equals(label, previous)));
    b.filter(b.or(b.isNull(b.field("previous_session_id")), b.not(same)));
    b.project(b.fields(columns));
  }

  private void weights() {
    List<RexNode> p = new ArrayList<>(b.fields());
    List<String> names = new ArrayList<>(b.peek().getRowType().getFieldNames());
    RexNode id = b.field("conversion_id");
    switch (a.model()) {
      case FIRST_TOUCH -> add(p, names, rowNumber(false), "touch_rank");
      case LAST_TOUCH -> add(p, names, rowNumber(true), "touch_rank_from_last");
      case LAST_NON_DIRECT -> {
        add(p, names, rowNumber(true), "touch_rank_from_last");
        add(
            p,
            names,
            b.aggregateCall(SqlStdOperatorTable.ROW_NUMBER)
                .over()
                .partitionBy(id, b.field("touch_is_direct"))
                .orderBy(b.desc(b.field("touch_time")), b.desc(b.field("touch_session_id")))
                .toRex(),
            "touch_rank_from_last_in_kind");
        add(
            p,
            names,
            b.aggregateCall(SqlStdOperatorTable.MAX, Exprs.oneIf(b, b.not(b.field("touch_is_direct")))).over().partitionBy(id).toRex(),
            "has_non_direct");
      }
      case LINEAR -> add(p, names, touchCount(), "touches");
      case POSITION_BASED -> {
        add(p, names, rowNumber(false), "touch_rank");
        add(p, names, touchCount(), "touches");
      }
      case TIME_DECAY -> {
        RexNode decay = decay();
        add(p, names, decay, "decay_weight");
        add(p, names, b.aggregateCall(SqlStdOperatorTable.SUM, decay).over().partitionBy(id).toRex(), "decay_total");
      }
      default -> throw new IllegalStateException("unknown model " + a.model());
    }
    b.project(p, names, true);
    ctx.stage(prefix + "_weights");
  }

  /** {@code 2^(-age / half-life)}, age in whole seconds from the session start to the conversion. */
  private RexNode decay() {
    RexNode age = Exprs.asDouble(b, Exprs.secondsBetween(b, b.field("touch_time"), b.field("conversion_time")));
    RexNode halfLives = b.call(SqlStdOperatorTable.DIVIDE, age, number(a.halfLife().getSeconds()));
    return b.call(SqlStdOperatorTable.POWER, number(2), b.call(SqlStdOperatorTable.UNARY_MINUS, halfLives));
  }

  private RelNode credits() {
    RexNode credit = credit();
    RexNode none = b.isNull(b.field("touch_session_id"));
    RexNode perConversion = b.call(SqlStdOperatorTable.CASE, none, number(1), credit);
    b.project(
        List.of(
            b.field("touch_label"),
            perConversion,
            b.call(SqlStdOperatorTable.MULTIPLY, perConversion, b.field("conversion_value"))),
        List.of("touch_label", "credit", "credited_value"),
        true);
    b.aggregate(
        b.groupKey(b.field("touch_label")),
        b.sum(b.field("credit")).as("conversions"),
        b.sum(b.field("credited_value")).as("value"));
    b.project(List.of(b.field("touch_label"), b.field("conversions"), b.field("value")), List.of(a.by(), "conversions", "value"), true);
    return b.sort(b.desc(b.field("conversions")), b.nullsLast(b.field(a.by()))).build();
  }

  /** The credit of a touch (a DOUBLE), given the window values of {@link #weights()}. */
  private RexNode credit() {
    switch (a.model()) {
      case FIRST_TOUCH:
        return oneIfDouble(b.equals(b.field("touch_rank"), b.literal(1)));
      case LAST_TOUCH:
        return oneIfDouble(b.equals(b.field("touch_rank_from_last"), b.literal(1)));
      case LAST_NON_DIRECT:
        return b.call(
            SqlStdOperatorTable.CASE,
            b.equals(b.field("has_non_direct"), b.literal(1)),
            oneIfDouble(b.and(b.not(b.field("touch_is_direct")), b.equals(b.field("touch_rank_from_last_in_kind"), b.literal(1)))),
            oneIfDouble(b.equals(b.field("touch_rank_from_last"), b.literal(1))));
      case LINEAR:
        return b.call(SqlStdOperatorTable.DIVIDE, number(1), Exprs.asDouble(b, b.field("touches")));
      case POSITION_BASED:
        {
          Attribution.PositionWeights w = a.positionWeights();
          RexNode rank = b.field("touch_rank");
          RexNode n = b.field("touches");
          RexNode twoTouches =
              b.call(
                  SqlStdOperatorTable.CASE,
                  b.equals(rank, b.literal(1)),
                  number(w.first() + w.middle() / 2),
                  number(w.last() + w.middle() / 2));
          RexNode middleShare =
              b.call(
                  SqlStdOperatorTable.DIVIDE,
                  number(w.middle()),
                  Exprs.asDouble(b, b.call(SqlStdOperatorTable.MINUS, n, b.literal(2))));
          return b.call(
              SqlStdOperatorTable.CASE,
              b.equals(n, b.literal(1)), number(1),
              b.equals(n, b.literal(2)), twoTouches,
              b.equals(rank, b.literal(1)), number(w.first()),
              b.equals(rank, n), number(w.last()),
              middleShare);
        }
      case TIME_DECAY:
        return b.call(SqlStdOperatorTable.DIVIDE, b.field("decay_weight"), b.field("decay_total"));
      default:
        throw new IllegalStateException("unknown model " + a.model());
    }
  }

  private RexNode rowNumber(boolean fromLast) {
    RexNode time = b.field("touch_time");
    RexNode session = b.field("touch_session_id");
    return b.aggregateCall(SqlStdOperatorTable.ROW_NUMBER)
        .over()
        .partitionBy(b.field("conversion_id"))
        .orderBy(fromLast ? List.of(b.desc(time), b.desc(session)) : List.of(time, session))
        .toRex();
  }

  private RexNode touchCount() {
    return b.aggregateCall(SqlStdOperatorTable.COUNT, b.field("touch_session_id")).over().partitionBy(b.field("conversion_id")).toRex();
  }

  private RexNode overTouches(org.apache.calcite.sql.SqlAggFunction f, RexNode value) {
    return b.aggregateCall(f, value)
        .over()
        .partitionBy(b.field("conversion_id"))
        .orderBy(b.field("touch_time"), b.field("touch_session_id"))
        .toRex();
  }

  private RexNode oneIfDouble(RexNode condition) {
    return b.call(SqlStdOperatorTable.CASE, condition, number(1), number(0));
  }

  /**
   * A DOUBLE: credits are fractions, and integer arithmetic would truncate them on some warehouses. A
   * decimal cast to DOUBLE, since an approximate literal ({@code 4E-1}) is a DECFLOAT to H2, whose
   * arbitrary-precision POWER takes a tenth of a second per row.
   */
  private RexNode number(double v) {
    return Exprs.asDouble(b, b.literal(BigDecimal.valueOf(v)));
  }

  private void requireColumn(String setting, String column, List<String> columns) {
    if (!columns.contains(column)) {
      throw new HeapAnalysisException(
          Attribution.WHAT, setting, "model " + a.conversionsFrom() + " has no column \"" + column + "\"; its columns are " + columns);
    }
  }

  private static void add(List<RexNode> p, List<String> names, RexNode value, String name) {
    p.add(value);
    names.add(name);
  }
}
