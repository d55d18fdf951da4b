package io.heapsdk.analysis;

import io.heapsdk.model.Exprs;
import io.heapsdk.model.PlanContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexWindowBound;
import org.apache.calcite.rex.RexWindowBounds;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.tools.RelBuilder;

/**
 * Plans a {@link Funnel} with window functions only, no self-joins, so it costs a few sorts of the
 * funnel's events whatever the data:
 *
 * <ol>
 *   <li>{@code _events}: the events matching a step or an exclusion, numbered per unit by time, then
 *       event id ({@code event_seq}, the tie-breaker of every later ordering).
 *   <li>{@code _chain_…}: for every event, the events a greedy attempt starting there would take for
 *       each later step. Taking the earliest possible event for each step is optimal (an earlier match
 *       never rules out a later step), so the window and exclusions can be applied afterwards. In
 *       {@code ordered} funnels the chain is built backwards from the last step: the chain from a
 *       step-i event continues with the chain of the first step-(i+1) event after it, found as a MIN
 *       over the following rows (chains only move later as their start moves later, so the minimum is
 *       the first one's). {@code strict} funnels take the next funnel event instead ({@code LEAD}), and
 *       {@code any_order} the first event of every step from the start on.
 *   <li>{@code _attempts}: the attempts that start in the date range, with the steps reached inside
 *       the window and before the first exclusion, and seconds from the start to each step.
 *   <li>{@code _entries}: each unit's best attempt (most steps, then earliest), with the breakdown
 *       value of its start's session.
 *   <li>{@code _steps} … {@code _compared}: one row per unit and step, ranked for the median, counted
 *       per step, compared with step 1 and the previous step.
 * </ol>
 *
 * Every window has an explicit frame or none (ranking and offset functions), and every ordering ends
 * with a unique key. Not thread-safe; one per planning.
 */
final class FunnelPlanner {
  static final List<String> STEP_COLUMNS =
      List.of(
          "step", "event", "entered", "conversion_from_first", "conversion_from_previous", "drop_off",
          "median_seconds_from_first", "avg_seconds_from_first");

  static final Map<String, String> COLUMN_DOCS = columnDocs();

  /** Internal name of the breakdown value: the user's name could clash with the units' columns. */
  private static final String BREAKDOWN = "breakdown_value";

  private final Funnel funnel;
  private final PlanContext ctx;
  private final RelBuilder b;
  private final String prefix;
  private final int k;
  /** The columns that identify a unit: the user, or the user and the session. */
  private final List<String> unit;

  FunnelPlanner(Funnel funnel, PlanContext ctx) {
    this.funnel = funnel;
    this.ctx = ctx;
    this.b = ctx.builder();
    this.prefix = ctx.modelName();
    this.k = funnel.steps().size();
    this.unit =
        funnel.unit() == Funnel.Unit.SESSION
            ? List.of(Analyses.USER_ID, Analyses.SESSION_ID)
            : List.of(Analyses.USER_ID);
  }

  private static Map<String, String> columnDocs() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("step", "1-based position of the step");
    m.put("event", "The step's event name or label");
    m.put("entered", "Units (users or sessions) whose best attempt reached the step");
    m.put("conversion_from_first", "entered / entered at step 1");
    m.put("conversion_from_previous", "entered / entered at the previous step; NULL at step 1 or when the previous step has none");
    m.put("drop_off", "entered at the previous step minus entered at this one; NULL at step 1");
    m.put("median_seconds_from_first", "Median whole seconds from the attempt's start to the step, over the units that reached it");
    m.put("avg_seconds_from_first", "Average whole seconds from the attempt's start to the step, over the units that reached it");
    return m;
  }

  RelNode plan() {
    events();
    switch (funnel.ordering()) {
      case ORDERED -> orderedChain();
      case STRICT -> strictChain();
      case ANY_ORDER -> anyOrderChain();
      default -> throw new IllegalStateException("unknown ordering " + funnel.ordering());
    }
    attempts();
    entries();
    steps();
    ranked();
    return summary();
  }

  // ---------------------------------------------------------------- events

  private void events() {
    ctx.ref(Analyses.EVENTS_FACT);
    List<RexNode> steps = new ArrayList<>();
    for (Step s : funnel.steps()) {
      steps.add(s.predicate().condition(b));
    }
    List<RexNode> exclusions = new ArrayList<>();
    for (Step s : funnel.exclusions()) {
      exclusions.add(s.predicate().condition(b));
    }
    List<RexNode> any = new ArrayList<>(steps);
    any.addAll(exclusions);
    List<RexNode> keep = new ArrayList<>();
    // events without a time cannot be placed in an order; session funnels need the session
    keep.add(b.isNotNull(b.field(Analyses.EVENT_TIME)));
    if (funnel.unit() == Funnel.Unit.SESSION) {
      keep.add(b.isNotNull(b.field(Analyses.SESSION_ID)));
    }
    keep.add(b.or(any));
    b.filter(keep);

    List<RexNode> p = new ArrayList<>();
    List<String> names = new ArrayList<>();
    add(p, names, b.field(Analyses.USER_ID), Analyses.USER_ID);
    add(p, names, b.field(Analyses.SESSION_ID), Analyses.SESSION_ID);
    add(p, names, b.field(Analyses.EVENT_ID), Analyses.EVENT_ID);
    add(p, names, b.field(Analyses.EVENT_TIME), Analyses.EVENT_TIME);
    for (int i = 0; i < k; i++) {
      add(p, names, Exprs.trueIf(b, steps.get(i)), isStep(i + 1));
    }
    if (funnel.ordering() != Funnel.Ordering.ORDERED) {
      add(p, names, Exprs.trueIf(b, b.or(steps)), "is_funnel_event");
    }
    if (!exclusions.isEmpty()) {
      add(p, names, Exprs.trueIf(b, b.or(exclusions)), "is_exclusion");
    }
    add(
        p,
        names,
        b.aggregateCall(SqlStdOperatorTable.ROW_NUMBER)
            .over()
            .partitionBy(unitFields())
            .orderBy(b.field(Analyses.EVENT_TIME), b.field(Analyses.EVENT_ID))
            .toRex(),
        "event_seq");
    b.project(p, names, true);
    ctx.stage(prefix + "_events");
  }

  // ---------------------------------------------------------------- chains

  /** Column holding the seq (or time) of step {@code j} in the chain from a step-{@code i} event. */
  private static String chain(int i, int j, String what) {
    return "chain_" + i + "_step_" + j + "_" + what;
  }

  /** The chain columns the attempts read: for step j, from a step-1 event (ordered, strict) or from any event (any order). */
  private String attemptChain(int j, String what) {
    return funnel.ordering() == Funnel.Ordering.ANY_ORDER ? "step_" + j + "_" + what : chain(1, j, what);
  }

  private void orderedChain() {
    for (int i = k - 1; i >= 1; i--) {
      List<RexNode> p = new ArrayList<>();
      List<String> names = new ArrayList<>();
      eventColumns(p, names);
      RexNode next = b.field(isStep(i + 1));
      for (int j = i + 1; j <= k; j++) {
        for (String what : List.of("seq", "time")) {
          RexNode value = j == i + 1 ? b.field(what.equals("seq") ? "event_seq" : Analyses.EVENT_TIME) : b.field(chain(i + 1, j, what));
          add(p, names, minOverFollowing(caseWhen(next, value), RexWindowBounds.following(b.literal(1))), chain(i, j, what));
        }
      }
      if (i == 1) {
        addStop(p, names);
      }
      b.project(p, names, true);
      ctx.stage(prefix + "_chain_" + i);
    }
  }

  private void strictChain() {
    for (int i = k - 1; i >= 1; i--) {
      List<RexNode> p = new ArrayList<>();
      List<String> names = new ArrayList<>();
      eventColumns(p, names);
      // the next funnel event: exclusions are numbered with the others but live in another partition
      RexNode nextIsStep = b.equals(lead(Exprs.oneIf(b, b.field(isStep(i + 1)))), b.literal(1));
      for (int j = i + 1; j <= k; j++) {
        for (String what : List.of("seq", "time")) {
          RexNode value = j == i + 1 ? b.field(what.equals("seq") ? "event_seq" : Analyses.EVENT_TIME) : b.field(chain(i + 1, j, what));
          add(p, names, caseWhen(nextIsStep, lead(value)), chain(i, j, what));
        }
      }
      if (i == 1) {
        addStop(p, names);
      }
      b.project(p, names, true);
      ctx.stage(prefix + "_chain_" + i);
    }
  }

  private void anyOrderChain() {
    List<RexNode> p = new ArrayList<>();
    List<String> names = new ArrayList<>();
    eventColumns(p, names);
    for (int j = 1; j <= k; j++) {
      RexNode isStep = b.field(isStep(j));
      add(p, names, minOverFollowing(caseWhen(isStep, b.field("event_seq")), RexWindowBounds.CURRENT_ROW), "step_" + j + "_seq");
      add(p, names, minOverFollowing(caseWhen(isStep, b.field(Analyses.EVENT_TIME)), RexWindowBounds.CURRENT_ROW), "step_" + j + "_time");
    }
    addStop(p, names);
    b.project(p, names, true);
    ctx.stage(prefix + "_chain");
  }

  /** The seq of the first exclusion event after each event: where an attempt starting there ends. */
  private void addStop(List<RexNode> p, List<String> names) {
    if (!funnel.exclusions().isEmpty()) {
      add(p, names, minOverFollowing(caseWhen(b.field("is_exclusion"), b.field("event_seq")), RexWindowBounds.following(b.literal(1))), "stop_seq");
    }
  }

  /** The columns of the {@code _events} stage, carried through every chain stage. */
  private void eventColumns(List<RexNode> p, List<String> names) {
    add(p, names, b.field(Analyses.USER_ID), Analyses.USER_ID);
    add(p, names, b.field(Analyses.SESSION_ID), Analyses.SESSION_ID);
    add(p, names, b.field(Analyses.EVENT_TIME), Analyses.EVENT_TIME);
    add(p, names, b.field("event_seq"), "event_seq");
    for (int i = 1; i <= k; i++) {
      add(p, names, b.field(isStep(i)), isStep(i));
    }
    if (funnel.ordering() != Funnel.Ordering.ORDERED) {
      add(p, names, b.field("is_funnel_event"), "is_funnel_event");
    }
    if (!funnel.exclusions().isEmpty()) {
      add(p, names, b.field("is_exclusion"), "is_exclusion");
    }
  }

  /** MIN over the unit's rows from {@code lower} to the end, in event order. */
  private RexNode minOverFollowing(RexNode value, RexWindowBound lower) {
    return b.aggregateCall(SqlStdOperatorTable.MIN, value)
        .over()
        .partitionBy(unitFields())
        .orderBy(b.field("event_seq"))
        .rowsBetween(lower, RexWindowBounds.UNBOUNDED_FOLLOWING)
        .toRex();
  }

  /** {@code value} of the next funnel event of the unit (strict funnels). */
  private RexNode lead(RexNode value) {
    List<RexNode> partition = new ArrayList<>(unitFields());
    partition.add(b.field("is_funnel_event"));
    return b.aggregateCall(SqlStdOperatorTable.LEAD, value).over().partitionBy(partition).orderBy(b.field("event_seq")).toRex();
  }

  // ---------------------------------------------------------------- attempts

  private void attempts() {
    List<RexNode> starts = new ArrayList<>();
    starts.add(b.field(funnel.ordering() == Funnel.Ordering.ANY_ORDER ? "is_funnel_event" : isStep(1)));
    RexNode time = b.field(Analyses.EVENT_TIME);
    funnel.from().ifPresent(d -> starts.add(b.greaterThanOrEqual(time, Exprs.timestamp(b, d.atStartOfDay()))));
    funnel.to().ifPresent(d -> starts.add(b.lessThan(time, Exprs.timestamp(b, d.plusDays(1).atStartOfDay()))));
    b.filter(starts);

    RexNode start = b.field(Analyses.EVENT_TIME);
    RexNode end = Exprs.add(b, start, funnel.window());
    boolean anyOrder = funnel.ordering() == Funnel.Ordering.ANY_ORDER;
    List<RexNode> ok = new ArrayList<>();
    for (int j = 1; j <= k; j++) {
      if (j == 1 && !anyOrder) {
        ok.add(b.literal(true)); // the start is step 1
        continue;
      }
      RexNode seq = b.field(attemptChain(j, "seq"));
      List<RexNode> in = new ArrayList<>();
      in.add(b.isNotNull(seq));
      in.add(b.lessThanOrEqual(b.field(attemptChain(j, "time")), end));
      if (!funnel.exclusions().isEmpty()) {
        in.add(b.or(b.isNull(b.field("stop_seq")), b.lessThan(seq, b.field("stop_seq"))));
      }
      ok.add(Exprs.trueIf(b, b.and(in)));
    }
    List<RexNode> p = new ArrayList<>();
    List<String> names = new ArrayList<>();
    add(p, names, b.field(Analyses.USER_ID), Analyses.USER_ID);
    add(p, names, b.field(Analyses.SESSION_ID), Analyses.SESSION_ID);
    add(p, names, b.field("event_seq"), "start_seq");
    add(p, names, stepsReached(ok, anyOrder), "steps_reached");
    for (int j = 1; j <= k; j++) {
      RexNode seconds =
          j == 1 && !anyOrder
              ? b.literal(0)
              : caseWhen(ok.get(j - 1), Exprs.secondsBetween(b, start, b.field(attemptChain(j, "time"))));
      add(p, names, b.cast(seconds, SqlTypeName.BIGINT), "seconds_to_step_" + j);
    }
    b.project(p, names, true);
    ctx.stage(prefix + "_attempts");
  }

  /**
   * Ordered and strict chains only move later, so once a step misses the window or the first
   * exclusion every later one does too and counting the hits is enough; any order needs the first
   * miss.
   */
  private RexNode stepsReached(List<RexNode> ok, boolean anyOrder) {
    if (!anyOrder) {
      RexNode reached = b.literal(1);
      for (int j = 1; j < k; j++) {
        reached = b.call(SqlStdOperatorTable.PLUS, reached, Exprs.oneIf(b, ok.get(j)));
      }
      return reached;
    }
    List<RexNode> misses = new ArrayList<>();
    List<RexNode> values = new ArrayList<>();
    for (int j = 0; j < k; j++) {
      misses.add(b.not(ok.get(j)));
      values.add(b.literal(j));
    }
    return Exprs.firstMatch(b, misses, values, b.literal(k));
  }

  // ---------------------------------------------------------------- entries

  private void entries() {
    List<RexNode> p = new ArrayList<>(b.fields());
    List<String> names = new ArrayList<>(b.peek().getRowType().getFieldNames());
    add(
        p,
        names,
        b.aggregateCall(SqlStdOperatorTable.ROW_NUMBER)
            .over()
            .partitionBy(unitFields())
            .orderBy(b.desc(b.field("steps_reached")), b.field("start_seq"))
            .toRex(),
        "attempt_rank");
    b.project(p, names, true);
    ctx.stage(prefix + "_ranked_attempts");
    b.filter(b.equals(b.field("attempt_rank"), b.literal(1)), b.greaterThanOrEqual(b.field("steps_reached"), b.literal(1)));

    List<String> keep = new ArrayList<>(unit);
    keep.add("steps_reached");
    for (int j = 1; j <= k; j++) {
      keep.add("seconds_to_step_" + j);
    }
    if (funnel.breakdown().isEmpty()) {
      b.project(b.fields(keep));
    } else {
      int left = b.peek().getRowType().getFieldCount();
      List<String> leftNames = b.peek().getRowType().getFieldNames();
      ctx.ref(Analyses.SESSIONS_FACT);
      List<String> sessionColumns = b.peek().getRowType().getFieldNames();
      String column = Analyses.sessionColumn(Funnel.WHAT, "breakdown", funnel.breakdown().get(), sessionColumns);
      b.join(
          JoinRelType.LEFT,
          b.equals(b.field(2, 0, Analyses.SESSION_ID), b.field(2, 1, Analyses.SESSION_ID)));
      List<RexNode> p2 = new ArrayList<>();
      List<String> n2 = new ArrayList<>();
      for (String c : keep) {
        add(p2, n2, b.field(leftNames.indexOf(c)), c);
        if (c.equals(unit.get(unit.size() - 1))) {
          add(p2, n2, b.field(left + sessionColumns.indexOf(column)), BREAKDOWN);
        }
      }
      b.project(p2, n2, true);
    }
    ctx.stage(prefix + "_entries");
  }

  // ---------------------------------------------------------------- one row per unit and step

  private void steps() {
    RelNode entries = b.build();
    for (int j = 1; j <= k; j++) {
      b.push(entries);
      RexNode reached = b.greaterThanOrEqual(b.field("steps_reached"), b.literal(j));
      List<RexNode> p = new ArrayList<>();
      List<String> names = new ArrayList<>();
      unitAndBreakdown(p, names);
      add(p, names, b.literal(j), "step");
      add(p, names, b.cast(b.literal(funnel.steps().get(j - 1).label()), SqlTypeName.VARCHAR), "event");
      add(p, names, Exprs.oneIf(b, reached), "entered");
      add(p, names, caseWhen(reached, Exprs.asDouble(b, b.field("seconds_to_step_" + j))), "seconds_from_first");
      b.project(p, names, true);
    }
    if (k > 1) {
      b.union(true, k);
    }
    ctx.stage(prefix + "_steps");
    if (funnel.ordering() == Funnel.Ordering.ANY_ORDER) {
      // in any order, step j is done when steps 1..j all are: at the latest of their times
      List<RexNode> p = new ArrayList<>();
      List<String> names = new ArrayList<>();
      for (String f : b.peek().getRowType().getFieldNames()) {
        RexNode value = b.field(f);
        if (f.equals("seconds_from_first")) {
          RexNode latest =
              b.aggregateCall(SqlStdOperatorTable.MAX, value)
                  .over()
                  .partitionBy(unitFields())
                  .orderBy(b.field("step"))
                  .rowsBetween(RexWindowBounds.UNBOUNDED_PRECEDING, RexWindowBounds.CURRENT_ROW)
                  .toRex();
          value = caseWhen(b.equals(b.field("entered"), b.literal(1)), latest);
        }
        add(p, names, value, f);
      }
      b.project(p, names, true);
      ctx.stage(prefix + "_steps_done");
    }
  }

  private void ranked() {
    List<RexNode> p = new ArrayList<>(b.fields());
    List<String> names = new ArrayList<>(b.peek().getRowType().getFieldNames());
    List<RexNode> order = new ArrayList<>();
    order.add(b.nullsLast(b.field("seconds_from_first")));
    order.addAll(unitFields());
    // a portable median: rank the times per step, keep the middle one or two (PERCENTILE_CONT and
    // MEDIAN are not on every warehouse, and differ in syntax where they are)
    add(
        p,
        names,
        b.aggregateCall(SqlStdOperatorTable.ROW_NUMBER).over().partitionBy(stepPartition()).orderBy(order).toRex(),
        "median_rank");
    add(
        p,
        names,
        b.aggregateCall(SqlStdOperatorTable.COUNT, b.field("seconds_from_first")).over().partitionBy(stepPartition()).toRex(),
        "timed_units");
    b.project(p, names, true);
    ctx.stage(prefix + "_ranked");
  }

  private RelNode summary() {
    RexNode rank2 = b.call(SqlStdOperatorTable.MULTIPLY, b.literal(2), b.field("median_rank"));
    RexNode count = b.field("timed_units");
    // the middle row (odd count) or rows (even count): count <= 2 * rank <= count + 2, no division,
    // since integer division differs between warehouses
    RexNode middle =
        b.and(
            b.greaterThanOrEqual(rank2, count),
            b.lessThanOrEqual(rank2, b.call(SqlStdOperatorTable.PLUS, count, b.literal(2))));
    List<RexNode> keys = new ArrayList<>(stepPartition());
    keys.add(b.field("event"));
    b.aggregate(
        b.groupKey(keys),
        b.sum(b.field("entered")).as("entered"),
        b.avg(caseWhen(middle, b.field("seconds_from_first"))).as("median_seconds_from_first"),
        b.avg(b.field("seconds_from_first")).as("avg_seconds_from_first"));
    ctx.stage(prefix + "_step_counts");

    List<RexNode> p = new ArrayList<>(b.fields());
    List<String> names = new ArrayList<>(b.peek().getRowType().getFieldNames());
    List<RexNode> byBreakdown = funnel.breakdown().isPresent() ? List.of(b.field(BREAKDOWN)) : List.of();
    add(
        p,
        names,
        b.aggregateCall(SqlStdOperatorTable.MAX, caseWhen(b.equals(b.field("step"), b.literal(1)), b.field("entered")))
            .over()
            .partitionBy(byBreakdown)
            .toRex(),
        "first_entered");
    add(
        p,
        names,
        b.aggregateCall(SqlStdOperatorTable.LAG, b.field("entered")).over().partitionBy(byBreakdown).orderBy(b.field("step")).toRex(),
        "previous_entered");
    b.project(p, names, true);
    ctx.stage(prefix + "_compared");

    RexNode entered = b.field("entered");
    RexNode first = b.field("first_entered");
    RexNode previous = b.field("previous_entered");
    List<RexNode> out = new ArrayList<>();
    List<String> outNames = new ArrayList<>();
    funnel.breakdown().ifPresent(name -> add(out, outNames, b.field(BREAKDOWN), name));
    add(out, outNames, b.field("step"), "step");
    add(out, outNames, b.field("event"), "event");
    add(out, outNames, entered, "entered");
    add(out, outNames, ratio(entered, first), "conversion_from_first");
    add(out, outNames, ratio(entered, previous), "conversion_from_previous");
    add(out, outNames, b.call(SqlStdOperatorTable.MINUS, previous, entered), "drop_off");
    add(out, outNames, b.field("median_seconds_from_first"), "median_seconds_from_first");
    add(out, outNames, b.field("avg_seconds_from_first"), "avg_seconds_from_first");
    b.project(out, outNames, true);
    List<RexNode> sort = new ArrayList<>();
    funnel.breakdown().ifPresent(name -> sort.add(b.nullsLast(b.field(name))));
    sort.add(b.field("step"));
    return b.sort(sort).build();
  }

  /** {@code part / whole} as a DOUBLE; NULL when {@code whole} is NULL or 0. */
  private RexNode ratio(RexNode part, RexNode whole) {
    return caseWhen(
        b.greaterThan(whole, b.literal(0)),
        b.call(SqlStdOperatorTable.DIVIDE, Exprs.asDouble(b, part), Exprs.asDouble(b, whole)));
  }

  // ---------------------------------------------------------------- helpers

  private static String isStep(int j) {
    return "is_step_" + j;
  }

  private List<RexNode> unitFields() {
    return b.fields(unit);
  }

  private List<RexNode> stepPartition() {
    List<RexNode> p = new ArrayList<>();
    if (funnel.breakdown().isPresent()) {
      p.add(b.field(BREAKDOWN));
    }
    p.add(b.field("step"));
    return p;
  }

  private void unitAndBreakdown(List<RexNode> p, List<String> names) {
    for (String c : unit) {
      add(p, names, b.field(c), c);
    }
    if (funnel.breakdown().isPresent()) {
      add(p, names, b.field(BREAKDOWN), BREAKDOWN);
    }
  }

  /** {@code CASE WHEN condition THEN value END}: NULL otherwise. */
  private RexNode caseWhen(RexNode condition, RexNode value) {
    return b.call(SqlStdOperatorTable.CASE, condition, value, b.getRexBuilder().makeNullLiteral(value.getType()));
  }

  private static void add(List<RexNode> p, List<String> names, RexNode value, String name) {
    p.add(value);
    names.add(name);
  }
}
