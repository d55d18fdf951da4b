package io.heapsdk.analysis;

import io.heapsdk.model.Exprs;
import io.heapsdk.model.PlanContext;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.calcite.avatica.util.TimeUnitRange;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexWindowBounds;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.tools.RelBuilder;

/**
 * Plans a {@link Retention}:
 *
 * <ol>
 *   <li>{@code _first_starts}, {@code _cohort_users}: each user's first start event (ROW_NUMBER by time,
 *       then event id), its period (the cohort) and, for a breakdown, its session's value.
 *   <li>{@code _returns}: each user's periods with a return event, once per period.
 *   <li>{@code _return_counts}: members per cohort and period that returned then ({@code on}), or whose
 *       last return was then, capped at the last period reported ({@code on_or_after}).
 *   <li>{@code _data_end}, {@code _periods}, {@code _grid}: every cohort with every period 0 … N the
 *       data has reached, so a period nobody returned in still has its row.
 *   <li>{@code _cells}, {@code _retained}: the grid and the counts added up per cohort and period; for
 *       {@code on_or_after} a running sum from the last period back.
 * </ol>
 *
 * Periods are numbered as whole periods since 1970 (days, ISO weeks, months), so a period number is a
 * difference of two such numbers: exact, and the same on every warehouse. Not thread-safe; one per
 * planning.
 */
final class RetentionPlanner {
  static final List<String> COLUMNS = List.of("cohort", "cohort_size", "period", "retained", "rate");

  static final Map<String, String> COLUMN_DOCS = columnDocs();

  /** Internal name of the breakdown value: the user's name could clash with the planner's columns. */
  private static final String BREAKDOWN = "breakdown_value";

  private static final long DAY_SECONDS = 86_400;
  private static final long WEEK_SECONDS = 7 * DAY_SECONDS;
  /** 1970-01-01 was a Thursday: the Monday starting its ISO week was three days earlier. */
  private static final long EPOCH_AFTER_MONDAY_SECONDS = 3 * DAY_SECONDS;

  private final Retention r;
  private final PlanContext ctx;
  private final RelBuilder b;
  private final String prefix;
  private final boolean breakdown;

  RetentionPlanner(Retention retention, PlanContext ctx) {
    this.r = retention;
    this.ctx = ctx;
    this.b = ctx.builder();
    this.prefix = ctx.modelName();
    this.breakdown = retention.breakdown().isPresent();
  }

  private static Map<String, String> columnDocs() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("cohort", "First day (UTC) of the cohort's day, week (Monday) or month: when its users first did the start event");
    m.put("cohort_size", "Users in the cohort");
    m.put("period", "Periods after the cohort's own (0 = the cohort's own day, week or month)");
    m.put("retained", "Users of the cohort who did the return event in the period (on), or in it or later (on_or_after); all of them in period 0");
    m.put("rate", "retained / cohort_size");
    return m;
  }

  RelNode plan() {
    cohortUsers();
    RelNode users = b.build();
    b.push(users);
    returnCounts();
    RelNode counts = b.build();
    b.push(users);
    grid();
    b.push(counts);
    return retained();
  }

  // ---------------------------------------------------------------- cohorts

  private void cohortUsers() {
    ctx.ref(Analyses.EVENTS_FACT);
    List<RexNode> keep = new ArrayList<>();
    keep.add(b.isNotNull(b.field(Analyses.EVENT_TIME)));
    keep.add(b.isNotNull(b.field(Analyses.USER_ID)));
    r.startEvent().ifPresent(s -> keep.add(s.predicate().condition(b)));
    b.filter(keep);
    b.project(
        List.of(
            b.field(Analyses.USER_ID),
            b.field(Analyses.SESSION_ID),
            b.field(Analyses.EVENT_TIME),
            b.aggregateCall(SqlStdOperatorTable.ROW_NUMBER)
                .over()
                .partitionBy(b.field(Analyses.USER_ID))
                .orderBy(b.field(Analyses.EVENT_TIME), b.field(Analyses.EVENT_ID))
                .toRex()),
        List.of(Analyses.USER_ID, Analyses.SESSION_ID, "first_start_time", "start_rank"),
        true);
    ctx.stage(prefix + "_first_starts");

    // first ever, then the range: a user who started before it is no new user inside it
    List<RexNode> first = new ArrayList<>();
    first.add(b.equals(b.field("start_rank"), b.literal(1)));
    RexNode time = b.field("first_start_time");
    r.from().flatMap(d -> Analyses.startOf(r.period().start(d), r.timeZone())).ifPresent(t -> first.add(b.greaterThanOrEqual(time, Exprs.timestamp(b, t))));
    r.to().flatMap(d -> Analyses.startOf(nextPeriod(r.period().start(d)), r.timeZone())).ifPresent(t -> first.add(b.lessThan(time, Exprs.timestamp(b, t))));
    b.filter(first);

    List<RexNode> p = new ArrayList<>();
    List<String> names = new ArrayList<>();
    add(p, names, b.field(Analyses.USER_ID), Analyses.USER_ID);
    add(p, names, Exprs.truncate(b, local(b.field("first_start_time")), r.period().grain()), "cohort_start");
    add(p, names, periodNumber(b.field("first_start_time")), "cohort_period");
    if (!breakdown) {
      b.project(p, names, true);
    } else {
      add(p, names, b.field(Analyses.SESSION_ID), Analyses.SESSION_ID);
      b.project(p, names, true);
      int left = names.size();
      ctx.ref(Analyses.SESSIONS_FACT);
      List<String> sessionColumns = b.peek().getRowType().getFieldNames();
      String column = Analyses.sessionColumn(Retention.WHAT, "breakdown", r.breakdown().get(), sessionColumns);
      b.join(JoinRelType.LEFT, b.equals(b.field(2, 0, Analyses.SESSION_ID), b.field(2, 1, Analyses.SESSION_ID)));
      b.project(
          List.of(b.field(0), b.field(1), b.field(2), b.field(left + sessionColumns.indexOf(column))),
          List.of(Analyses.USER_ID, "cohort_start", "cohort_period", BREAKDOWN),
          true);
    }
    ctx.stage(prefix + "_cohort_users");
  }

  /** The first day of the period after the one starting on {@code start}. */
  private LocalDate nextPeriod(LocalDate start) {
    return switch (r.period()) {
      case DAY -> start.plusDays(1);
      case WEEK -> start.plusWeeks(1);
      case MONTH -> start.plusMonths(1);
    };
  }

  // ---------------------------------------------------------------- returns

  /** On top of the builder: the cohort users. Leaves the counts per cohort (and breakdown value) and period. */
  private void returnCounts() {
    RelNode users = b.build();
    ctx.ref(Analyses.EVENTS_FACT);
    List<RexNode> keep = new ArrayList<>();
    keep.add(b.isNotNull(b.field(Analyses.EVENT_TIME)));
    keep.add(b.isNotNull(b.field(Analyses.USER_ID)));
    r.returnEvent().ifPresent(s -> keep.add(s.predicate().condition(b)));
    b.filter(keep);
    b.project(List.of(b.field(Analyses.USER_ID), periodNumber(b.field(Analyses.EVENT_TIME))), List.of(Analyses.USER_ID, "return_period"), true);
    // once per user and period: a user with a thousand events in a week returned once that week
    b.aggregate(b.groupKey(b.field(Analyses.USER_ID), b.field("return_period")));
    ctx.stage(prefix + "_returns");
    RelNode returns = b.build();

    b.push(users).push(returns);
    RexNode cohortPeriod = b.field(2, 0, "cohort_period");
    RexNode returnPeriod = b.field(2, 1, "return_period");
    List<RexNode> on = new ArrayList<>();
    on.add(b.equals(b.field(2, 0, Analyses.USER_ID), b.field(2, 1, Analyses.USER_ID)));
    // period 0 counts every member already; a return counts from the next period on
    on.add(b.greaterThan(returnPeriod, cohortPeriod));
    if (r.mode() == Retention.Mode.ON) {
      on.add(b.lessThanOrEqual(returnPeriod, b.call(SqlStdOperatorTable.PLUS, cohortPeriod, b.literal(r.periods()))));
    }
    b.join(JoinRelType.INNER, on);
    RexNode after = b.call(SqlStdOperatorTable.MINUS, b.field("return_period"), b.field("cohort_period"));
    if (r.mode() == Retention.Mode.ON_OR_AFTER) {
      // a return after the last period reported counts in every period reported
      RexNode last = b.literal(r.periods());
      after = b.call(SqlStdOperatorTable.CASE, b.greaterThan(after, last), last, after);
    }
    List<RexNode> p = new ArrayList<>();
    List<String> names = new ArrayList<>();
    cohortKey(p, names);
    add(p, names, b.field(0), Analyses.USER_ID);
    add(p, names, b.cast(after, SqlTypeName.INTEGER), "period");
    b.project(p, names, true);
    ctx.stage(prefix + "_returned");
    if (r.mode() == Retention.Mode.ON_OR_AFTER) {
      // retained in period k when the last return is in k or later: count each user at their last one
      List<RexNode> keys = cohortKeyFields();
      keys.add(b.field(Analyses.USER_ID));
      b.aggregate(b.groupKey(keys), b.max(b.field("period")).as("period"));
      ctx.stage(prefix + "_last_returns");
    }
    List<RexNode> keys = cohortKeyFields();
    keys.add(b.field("period"));
    b.aggregate(b.groupKey(keys), b.count().as("returned"));
    ctx.stage(prefix + "_return_counts");
  }

  // ---------------------------------------------------------------- every cohort and period

  /** On top of the builder: the cohort users. Leaves one row per cohort and period the data has reached. */
  private void grid() {
    b.aggregate(b.groupKey(cohortKeyFields(b.field("cohort_period"))), b.count().as("cohort_size"));
    ctx.stage(prefix + "_cohorts");
    RelNode cohorts = b.build();

    ctx.ref(Analyses.EVENTS_FACT);
    b.aggregate(b.groupKey(), b.max(b.field(Analyses.EVENT_TIME)).as("newest_time"));
    b.project(List.of(periodNumber(b.field("newest_time"))), List.of("last_period"), true);
    ctx.stage(prefix + "_data_end");
    RelNode end = b.build();

    Object[] periods = new Object[r.periods() + 1];
    for (int k = 0; k <= r.periods(); k++) {
      periods[k] = k;
    }
    b.values(new String[] {"period"}, periods);
    ctx.stage(prefix + "_periods");
    RelNode numbers = b.build();

    b.push(cohorts).push(end).join(JoinRelType.INNER, b.literal(true));
    b.push(numbers).join(JoinRelType.INNER, b.literal(true));
    RexNode reached = b.call(SqlStdOperatorTable.PLUS, b.field("cohort_period"), b.field("period"));
    b.filter(b.lessThanOrEqual(reached, b.field("last_period")));
    List<RexNode> p = new ArrayList<>();
    List<String> names = new ArrayList<>();
    cohortKey(p, names);
    add(p, names, b.cast(b.field("period"), SqlTypeName.INTEGER), "period");
    add(p, names, b.field("cohort_size"), "cohort_size");
    add(p, names, bigint(0), "returned");
    b.project(p, names, true);
    ctx.stage(prefix + "_grid");
  }

  /** On top of the builder: the grid, then the return counts. Adds them up and computes the output. */
  private RelNode retained() {
    RelNode counts = b.build();
    List<RexNode> p = new ArrayList<>();
    List<String> names = new ArrayList<>();
    b.push(counts);
    cohortKey(p, names);
    add(p, names, b.field("period"), "period");
    add(p, names, bigint(0), "cohort_size");
    add(p, names, b.cast(b.field("returned"), SqlTypeName.BIGINT), "returned");
    b.project(p, names, true);
    // the grid is below the counts: a union keeps NULL breakdown values one group, where a join on
    // them would need a NULL-safe comparison
    b.union(true, 2);
    List<RexNode> keys = cohortKeyFields();
    keys.add(b.field("period"));
    b.aggregate(b.groupKey(keys), b.sum(b.field("cohort_size")).as("cohort_size"), b.sum(b.field("returned")).as("returned"));
    ctx.stage(prefix + "_cells");

    RexNode retained;
    if (r.mode() == Retention.Mode.ON) {
      retained = b.field("returned");
    } else {
      List<RexNode> fields = new ArrayList<>(b.fields());
      List<String> fieldNames = new ArrayList<>(b.peek().getRowType().getFieldNames());
      add(
          fields,
          fieldNames,
          b.aggregateCall(SqlStdOperatorTable.SUM, b.field("returned"))
              .over()
              .partitionBy(cohortKeyFields())
              .orderBy(b.desc(b.field("period")))
              .rowsBetween(RexWindowBounds.UNBOUNDED_PRECEDING, RexWindowBounds.CURRENT_ROW)
              .toRex(),
          "returned_then_or_later");
      b.project(fields, fieldNames, true);
      ctx.stage(prefix + "_cumulative");
      retained = b.field("returned_then_or_later");
    }
    RexNode size = b.field("cohort_size");
    // period 0 is the cohort's own: the start event is every member's activity there
    retained = b.call(SqlStdOperatorTable.CASE, b.equals(b.field("period"), b.literal(0)), size, retained);
    List<RexNode> out = new ArrayList<>();
    List<String> outNames = new ArrayList<>();
    r.breakdown().ifPresent(name -> add(out, outNames, b.field(BREAKDOWN), name));
    add(out, outNames, Exprs.date(b, b.field("cohort_start")), "cohort");
    add(out, outNames, b.cast(size, SqlTypeName.BIGINT), "cohort_size");
    add(out, outNames, b.field("period"), "period");
    add(out, outNames, b.cast(retained, SqlTypeName.BIGINT), "retained");
    add(out, outNames, b.call(SqlStdOperatorTable.DIVIDE, Exprs.asDouble(b, retained), Exprs.asDouble(b, size)), "rate");
    b.project(out, outNames, true);
    List<RexNode> sort = new ArrayList<>();
    r.breakdown().ifPresent(name -> sort.add(b.nullsLast(b.field(name))));
    sort.add(b.field("cohort"));
    sort.add(b.field("period"));
    return b.sort(sort).build();
  }

  // ---------------------------------------------------------------- helpers

  /**
   * The number of the day, ISO week or month holding {@code utc} on the retention's calendar (its zone's
   * wall-clock time), counted from 1970: days and weeks from
   * the epoch seconds of the period's start, which are an exact multiple of the period's length (so the
   * division is exact, whatever a warehouse's division of integers does); months as year × 12 + month.
   */
  private RexNode periodNumber(RexNode utc) {
    RexNode ts = local(utc);
    return switch (r.period()) {
      case DAY -> wholeQuotient(Exprs.epochSeconds(b, Exprs.truncate(b, ts, r.period().grain())), DAY_SECONDS);
      case WEEK ->
          wholeQuotient(
              b.call(SqlStdOperatorTable.PLUS, Exprs.epochSeconds(b, Exprs.truncate(b, ts, r.period().grain())), b.literal(EPOCH_AFTER_MONDAY_SECONDS)),
              WEEK_SECONDS);
      case MONTH ->
          b.cast(
              b.call(
                  SqlStdOperatorTable.PLUS,
                  b.call(SqlStdOperatorTable.MULTIPLY, extract(TimeUnitRange.YEAR, ts), b.literal(12)),
                  extract(TimeUnitRange.MONTH, ts)),
              SqlTypeName.BIGINT);
    };
  }

  /** {@code ts}, a UTC time, on the retention's calendar: the wall-clock time in its zone. */
  private RexNode local(RexNode ts) {
    return Exprs.localTime(b, ts, r.timeZone());
  }

  /** {@code n / d} for an {@code n} that is a multiple of {@code d}: divided as doubles (exact below 2^53), then a BIGINT. */
  private RexNode wholeQuotient(RexNode n, long d) {
    return b.cast(b.call(SqlStdOperatorTable.DIVIDE, Exprs.asDouble(b, n), Exprs.asDouble(b, b.literal(BigDecimal.valueOf(d)))), SqlTypeName.BIGINT);
  }

  private RexNode extract(TimeUnitRange unit, RexNode ts) {
    return b.call(SqlStdOperatorTable.EXTRACT, b.getRexBuilder().makeFlag(unit), ts);
  }

  private RexNode bigint(long v) {
    return b.cast(b.literal(v), SqlTypeName.BIGINT);
  }

  /** The cohort's columns, and the breakdown value's with a breakdown. */
  private void cohortKey(List<RexNode> p, List<String> names) {
    add(p, names, b.field("cohort_start"), "cohort_start");
    if (breakdown) {
      add(p, names, b.field(BREAKDOWN), BREAKDOWN);
    }
  }

  private List<RexNode> cohortKeyFields(RexNode... more) {
    List<RexNode> keys = new ArrayList<>();
    keys.add(b.field("cohort_start"));
    keys.addAll(List.of(more));
    if (breakdown) {
      keys.add(b.field(BREAKDOWN));
    }
    return keys;
  }

  private static void add(List<RexNode> p, List<String> names, RexNode value, String name) {
    p.add(value);
    names.add(name);
  }
}
