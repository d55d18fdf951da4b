package io.heapsdk.analysis;

import io.heapsdk.model.Exprs;
import io.heapsdk.model.PlanContext;
import io.heapsdk.model.TimeGrain;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexWindowBound;
import org.apache.calcite.rex.RexWindowBounds;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.tools.RelBuilder;

/**
 * Plans a {@link Funnel} (its steps, its {@link FunnelTrend trend} or its {@link TimeToConvert time to
 * convert}) with window functions, so it costs a few sorts of the funnel's events whatever the data.
 * The only joins are with the sessions fact, for the breakdown, and with a constant list of bin numbers:
 * lookups between stages are windows over stacked rows, since H2 runs a CTE again for every row joined
 * to it.
 *
 * <ol>
 *   <li>{@code _events}: the events matching a step or an exclusion, numbered per unit by time, then
 *       event id ({@code event_seq}, the tie-breaker of every later ordering).
 *   <li>{@code _exclusion_times} (with exclusions): for every event, the time of the first event of each
 *       exclusion that comes strictly later in time (an exclusion at the very time of a step does not
 *       count after it). Exclusion events are left out from here on.
 *   <li>{@code _chain_…}: for every event, the events a greedy attempt starting there would take for
 *       each later step. Taking the earliest possible event for each step is optimal (an earlier match
 *       never rules out a later step), so the window and exclusions can be applied afterwards. In
 *       {@code ordered} funnels the chain is built backwards from the last step: the chain from a
 *       step-i event continues with the chain of the first step-(i+1) event after it, found as a MIN
 *       over the following rows (chains only move later as their start moves later, so the minimum is
 *       the first one's; the same holds for the first exclusion after a chain's step). {@code strict}
 *       funnels take the next funnel event instead ({@code LEAD}), and {@code any_order} the first
 *       event of every step from the start on.
 *   <li>{@code _attempts}: the attempts that start in the date range, with the steps reached inside
 *       the window, seconds from the start to each, and per exclusion how many steps were done by the
 *       time of its first event in the window.
 *   <li>{@code _screened_attempts} (with exclusions): which attempts are excluded, and how far each
 *       counts when the units' attempts are compared.
 *   <li>{@code _ranked_attempts}, {@code _entries}: each unit's counting attempt (per period for a
 *       trend); units whose counting attempt is excluded are dropped; the breakdown value of the
 *       session of the attributed event.
 *   <li>Steps: {@code _steps} … {@code _compared}, one row per unit and step, ranked for the median,
 *       counted per step, compared with step 1 and the previous step. A trend counts the entries per
 *       period; a time to convert bins the seconds between two steps ({@code _conversion_times} …
 *       {@code _unit_bins}).
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

  private static final String PERIOD = "period";

  private final Funnel funnel;
  private final PlanContext ctx;
  private final RelBuilder b;
  private final String prefix;
  private final int k;
  private final boolean anyOrder;
  private final List<Funnel.Exclusion> exclusions;
  /** The columns that identify a unit: the user, or the user and the session. */
  private final List<String> unit;
  /**
   * Whether the breakdown is read in the session of another event than the attempt's start: then that
   * event's number is carried and its session looked up.
   */
  private final boolean attributedElsewhere;
  /** The scan of the {@code _events} stage, to look an event's session up by its number. */
  private RelNode eventsScan;
  /** The trend's grain; null for the other views. */
  private TimeGrain grain;

  FunnelPlanner(Funnel funnel, PlanContext ctx) {
    this.funnel = funnel;
    this.ctx = ctx;
    this.b = ctx.builder();
    this.prefix = ctx.modelName();
    this.k = funnel.steps().size();
    this.anyOrder = funnel.ordering() == Funnel.Ordering.ANY_ORDER;
    this.exclusions = funnel.exclusions();
    this.unit =
        funnel.unit() == Funnel.Unit.SESSION
            ? List.of(Analyses.USER_ID, Analyses.SESSION_ID)
            : List.of(Analyses.USER_ID);
    this.attributedElsewhere =
        funnel.breakdown().isPresent()
            && funnel.unit() == Funnel.Unit.USER
            && funnel.breakdownAttribution().kind() != BreakdownAttribution.Kind.FIRST;
  }

  private static Map<String, String> columnDocs() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("step", "1-based position of the step");
    m.put("event", "The step's event name or label");
    m.put("entered", "Units (users or sessions) whose counting attempt reached the step");
    m.put("conversion_from_first", "entered / entered at step 1");
    m.put("conversion_from_previous", "entered / entered at the previous step; NULL at step 1 or when the previous step has none");
    m.put("drop_off", "entered at the previous step minus entered at this one; NULL at step 1");
    m.put("median_seconds_from_first", "Median whole seconds from the attempt's start to the step, over the units that reached it");
    m.put("avg_seconds_from_first", "Average whole seconds from the attempt's start to the step, over the units that reached it");
    return m;
  }

  /** One row per step (and breakdown value). */
  RelNode steps() {
    entries();
    stepRows();
    ranked();
    return summary();
  }

  /** One row per period of entry (and breakdown value). */
  RelNode trend(TimeGrain grain) {
    this.grain = grain;
    entries();
    return trendSummary();
  }

  /** One row per bin of the seconds from one step to another. */
  RelNode timeToConvert(TimeToConvert t) {
    entries();
    return histogram(t);
  }

  /** The stages every view shares, up to the units' counting attempts ({@code _entries}) on top of the builder. */
  private void entries() {
    events();
    if (!exclusions.isEmpty()) {
      exclusionTimes();
    }
    switch (funnel.ordering()) {
      case ORDERED -> orderedChain();
      case STRICT -> strictChain();
      case ANY_ORDER -> anyOrderChain();
      default -> throw new IllegalStateException("unknown ordering " + funnel.ordering());
    }
    attempts();
    if (!exclusions.isEmpty()) {
      screenedAttempts();
    }
    countingAttempts();
  }

  // ---------------------------------------------------------------- events

  private void events() {
    ctx.ref(Analyses.EVENTS_FACT);
    List<RexNode> steps = new ArrayList<>();
    for (Step s : funnel.steps()) {
      steps.add(s.predicate().condition(b));
    }
    List<RexNode> excluded = new ArrayList<>();
    for (Funnel.Exclusion e : exclusions) {
      excluded.add(e.step().predicate().condition(b));
    }
    List<RexNode> any = new ArrayList<>(steps);
    any.addAll(excluded);
    List<RexNode> keep = new ArrayList<>();
    // events without a time cannot be placed in an order; session funnels need the session; events
    // without a user are nobody's (a fact built before the facts dropped them may hold some): pooled,
    // they made one user who converted
    keep.add(b.isNotNull(b.field(Analyses.EVENT_TIME)));
    keep.add(b.isNotNull(b.field(Analyses.USER_ID)));
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
    if (hasFunnelFlag()) {
      add(p, names, Exprs.trueIf(b, b.or(steps)), "is_funnel_event");
    }
    add(
        p,
        names,
        b.aggregateCall(SqlStdOperatorTable.ROW_NUMBER).over().partitionBy(unitFields()).orderBy(eventOrder()).toRex(),
        "event_seq");
    for (int e = 0; e < exclusions.size(); e++) {
      // the first event of the exclusion after this one; _exclusion_times skips those at the same time
      RexNode time = caseWhen(excluded.get(e), b.field(Analyses.EVENT_TIME));
      add(
          p,
          names,
          b.aggregateCall(SqlStdOperatorTable.MIN, time)
              .over()
              .partitionBy(unitFields())
              .orderBy(eventOrder())
              .rowsBetween(RexWindowBounds.following(b.literal(1)), RexWindowBounds.UNBOUNDED_FOLLOWING)
              .toRex(),
          exclusion(e) + "_next_time");
    }
    b.project(p, names, true);
    ctx.stage(prefix + "_events");
    eventsScan = b.peek();
  }

  /** Time, then event id: the order of {@code event_seq}. */
  private List<RexNode> eventOrder() {
    return List.of(b.field(Analyses.EVENT_TIME), b.field(Analyses.EVENT_ID));
  }

  /** Whether the events carry {@code is_funnel_event}: strict chains skip other events, exclusions are dropped before the chains. */
  private boolean hasFunnelFlag() {
    return funnel.ordering() != Funnel.Ordering.ORDERED || !exclusions.isEmpty();
  }

  /**
   * For every event, the time of the first event of each exclusion strictly later in time: the
   * largest "next exclusion" later than the event among the events at this event's time. Among those
   * events the "next exclusion" is either that very time (an exclusion event follows at it) or the
   * first one after it, which the last of them has unless there is none; MAX skips NULLs, so the
   * times equal to the event's are dropped before it, not after.
   */
  private void exclusionTimes() {
    List<RexNode> p = new ArrayList<>();
    List<String> names = new ArrayList<>();
    add(p, names, b.field(Analyses.USER_ID), Analyses.USER_ID);
    add(p, names, b.field(Analyses.SESSION_ID), Analyses.SESSION_ID);
    add(p, names, b.field(Analyses.EVENT_TIME), Analyses.EVENT_TIME);
    add(p, names, b.field("event_seq"), "event_seq");
    for (int i = 1; i <= k; i++) {
      add(p, names, b.field(isStep(i)), isStep(i));
    }
    add(p, names, b.field("is_funnel_event"), "is_funnel_event");
    List<RexNode> sameTime = new ArrayList<>(unitFields());
    sameTime.add(b.field(Analyses.EVENT_TIME));
    for (int e = 0; e < exclusions.size(); e++) {
      // the CASE inside the MAX: one window per exclusion, not two (H2 evaluates each copy of a window)
      RexNode next = b.field(exclusion(e) + "_next_time");
      RexNode later = caseWhen(b.greaterThan(next, b.field(Analyses.EVENT_TIME)), next);
      add(p, names, b.aggregateCall(SqlStdOperatorTable.MAX, later).over().partitionBy(sameTime).toRex(), exclusion(e) + "_time");
    }
    b.project(p, names, true);
    ctx.stage(prefix + "_exclusion_times");
  }

  // ---------------------------------------------------------------- chains

  /** Column holding the time (or seq, see {@link #chainValues}) of step {@code j} in the chain from a step-{@code i} event. */
  private static String chain(int i, int j, String what) {
    return "chain_" + i + "_step_" + j + "_" + what;
  }

  /** Column holding, for the chain from a step-{@code i} event, the time of exclusion {@code e} after the chain's event of the exclusion's first step. */
  private static String chainExclusion(int i, int e) {
    return "chain_" + i + "_" + exclusion(e) + "_time";
  }

  private static String exclusion(int e) {
    return "exclusion_" + (e + 1);
  }

  /**
   * What the chains carry for each step: its event's time, and its event's number only when the
   * breakdown is read in a later step's session. The attempts need no more: an event's time is never
   * NULL here, so a step's time is NULL exactly when its number would be, and halving the window
   * functions of the chains measurably speeds up H2 (BENCHMARKS.md, "Funnel and attribution").
   */
  private List<String> chainValues() {
    return attributedElsewhere ? List.of("seq", "time") : List.of("time");
  }

  /** The event's own value of a chain column: its number or its time. */
  private RexNode eventValue(String what) {
    return b.field(what.equals("seq") ? "event_seq" : Analyses.EVENT_TIME);
  }

  /** The chain columns the attempts read: for step j, from a step-1 event (ordered, strict) or from any event (any order). */
  private String attemptChain(int j, String what) {
    return anyOrder ? "step_" + j + "_" + what : chain(1, j, what);
  }

  /** Exclusion events have served their purpose in {@code _exclusion_times}: the chains see funnel events only. */
  private void dropExclusionEvents() {
    if (!exclusions.isEmpty()) {
      b.filter(b.field("is_funnel_event"));
    }
  }

  private void orderedChain() {
    for (int i = k - 1; i >= 1; i--) {
      if (i == k - 1) {
        dropExclusionEvents();
      }
      List<RexNode> p = new ArrayList<>();
      List<String> names = new ArrayList<>();
      eventColumns(p, names);
      RexNode next = b.field(isStep(i + 1));
      for (int j = i + 1; j <= k; j++) {
        for (String what : chainValues()) {
          RexNode value = j == i + 1 ? eventValue(what) : b.field(chain(i + 1, j, what));
          add(p, names, minOverFollowing(caseWhen(next, value), RexWindowBounds.following(b.literal(1))), chain(i, j, what));
        }
      }
      for (int e = 0; e < exclusions.size(); e++) {
        int from = exclusions.get(e).fromStep();
        if (from > i) {
          RexNode value = from == i + 1 ? b.field(exclusion(e) + "_time") : b.field(chainExclusion(i + 1, e));
          add(p, names, minOverFollowing(caseWhen(next, value), RexWindowBounds.following(b.literal(1))), chainExclusion(i, e));
        }
      }
      b.project(p, names, true);
      ctx.stage(prefix + "_chain_" + i);
    }
  }

  private void strictChain() {
    for (int i = k - 1; i >= 1; i--) {
      if (i == k - 1) {
        dropExclusionEvents();
      }
      List<RexNode> p = new ArrayList<>();
      List<String> names = new ArrayList<>();
      eventColumns(p, names);
      // the next funnel event: other events are numbered with the funnel's but live in another partition
      RexNode nextIsStep = b.equals(lead(Exprs.oneIf(b, b.field(isStep(i + 1)))), b.literal(1));
      for (int j = i + 1; j <= k; j++) {
        for (String what : chainValues()) {
          RexNode value = j == i + 1 ? eventValue(what) : b.field(chain(i + 1, j, what));
          add(p, names, caseWhen(nextIsStep, lead(value)), chain(i, j, what));
        }
      }
      for (int e = 0; e < exclusions.size(); e++) {
        int from = exclusions.get(e).fromStep();
        if (from > i) {
          RexNode value = from == i + 1 ? b.field(exclusion(e) + "_time") : b.field(chainExclusion(i + 1, e));
          add(p, names, caseWhen(nextIsStep, lead(value)), chainExclusion(i, e));
        }
      }
      b.project(p, names, true);
      ctx.stage(prefix + "_chain_" + i);
    }
  }

  private void anyOrderChain() {
    dropExclusionEvents();
    List<RexNode> p = new ArrayList<>();
    List<String> names = new ArrayList<>();
    eventColumns(p, names);
    for (int j = 1; j <= k; j++) {
      RexNode isStep = b.field(isStep(j));
      for (String what : chainValues()) {
        add(p, names, minOverFollowing(caseWhen(isStep, eventValue(what)), RexWindowBounds.CURRENT_ROW), "step_" + j + "_" + what);
      }
    }
    b.project(p, names, true);
    ctx.stage(prefix + "_chain");
  }

  /** The columns of the events, carried through every chain stage. */
  private void eventColumns(List<RexNode> p, List<String> names) {
    add(p, names, b.field(Analyses.USER_ID), Analyses.USER_ID);
    add(p, names, b.field(Analyses.SESSION_ID), Analyses.SESSION_ID);
    add(p, names, b.field(Analyses.EVENT_TIME), Analyses.EVENT_TIME);
    add(p, names, b.field("event_seq"), "event_seq");
    for (int i = 1; i <= k; i++) {
      add(p, names, b.field(isStep(i)), isStep(i));
    }
    if (hasFunnelFlag()) {
      add(p, names, b.field("is_funnel_event"), "is_funnel_event");
    }
    for (int e = 0; e < exclusions.size(); e++) {
      add(p, names, b.field(exclusion(e) + "_time"), exclusion(e) + "_time");
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
    starts.add(b.field(anyOrder ? "is_funnel_event" : isStep(1)));
    RexNode time = b.field(Analyses.EVENT_TIME);
    funnel.from().flatMap(d -> Analyses.startOf(d, funnel.timeZone())).ifPresent(t -> starts.add(b.greaterThanOrEqual(time, Exprs.timestamp(b, t))));
    funnel.to().flatMap(d -> Analyses.startOf(d.plusDays(1), funnel.timeZone())).ifPresent(t -> starts.add(b.lessThan(time, Exprs.timestamp(b, t))));
    b.filter(starts);

    RexNode start = b.field(Analyses.EVENT_TIME);
    Function<RexNode, RexNode> inWindow = inWindow(start);
    List<RexNode> times = new ArrayList<>();
    List<RexNode> ok = new ArrayList<>();
    for (int j = 1; j <= k; j++) {
      if (j == 1 && !anyOrder) {
        times.add(start); // the start is step 1
        ok.add(b.literal(true));
        continue;
      }
      RexNode t = b.field(attemptChain(j, "time"));
      times.add(t);
      ok.add(Exprs.trueIf(b, b.and(b.isNotNull(t), inWindow.apply(t))));
    }
    List<RexNode> p = new ArrayList<>();
    List<String> names = new ArrayList<>();
    add(p, names, b.field(Analyses.USER_ID), Analyses.USER_ID);
    add(p, names, b.field(Analyses.SESSION_ID), Analyses.SESSION_ID);
    add(p, names, b.field("event_seq"), "start_seq");
    if (grain != null) {
      // the period of the attempt's start on the funnel's calendar (its zone's days, weeks, months)
      add(p, names, Exprs.date(b, Exprs.truncate(b, Exprs.localTime(b, start, funnel.timeZone()), grain)), PERIOD);
    }
    add(p, names, stepsReached(ok), "steps_reached");
    for (int j = 1; j <= k; j++) {
      RexNode seconds = j == 1 && !anyOrder ? b.literal(0) : caseWhen(ok.get(j - 1), Exprs.secondsBetween(b, start, times.get(j - 1)));
      add(p, names, b.cast(seconds, SqlTypeName.BIGINT), "seconds_to_step_" + j);
    }
    if (attributedElsewhere) {
      for (int j : attributedSteps()) {
        RexNode seq = j == 1 && !anyOrder ? b.field("event_seq") : b.field(attemptChain(j, "seq"));
        add(p, names, seq, "step_" + j + "_event_seq");
      }
    }
    for (int e = 0; e < exclusions.size(); e++) {
      add(p, names, stepsDoneBy(e, times, inWindow), exclusion(e) + "_after_step");
    }
    b.project(p, names, true);
    ctx.stage(prefix + "_attempts");
  }

  /**
   * Whether a time still counts for the attempt starting at {@code start}: at most the window after it,
   * or, with {@link Funnel#windowToRangeEnd()}, before the end of the date range's last day (any time,
   * when the range has no end).
   */
  private Function<RexNode, RexNode> inWindow(RexNode start) {
    if (!funnel.windowToRangeEnd()) {
      RexNode end = Exprs.add(b, start, funnel.window());
      return t -> b.lessThanOrEqual(t, end);
    }
    Optional<RexNode> end = funnel.to().flatMap(d -> Analyses.startOf(d.plusDays(1), funnel.timeZone())).map(t -> Exprs.timestamp(b, t));
    return t -> end.map(e -> b.lessThan(t, e)).orElse(b.literal(true));
  }

  /**
   * Ordered and strict chains only move later, so once a step misses the window every later one does
   * too and counting the hits is enough; any order needs the first miss.
   */
  private RexNode stepsReached(List<RexNode> ok) {
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

  /**
   * For exclusion {@code e}: how many steps (from the first, without a gap) were done at or before the
   * time of its first event after the attempt's event of the exclusion's first step; NULL when there is
   * no such event within the window. Steps not reached have no time, or one past the window, and so
   * are never done by then.
   */
  private RexNode stepsDoneBy(int e, List<RexNode> times, Function<RexNode, RexNode> inWindow) {
    int from = exclusions.get(e).fromStep();
    RexNode at = b.field(from == 1 || anyOrder ? exclusion(e) + "_time" : chainExclusion(1, e));
    List<RexNode> notDone = new ArrayList<>();
    List<RexNode> values = new ArrayList<>();
    for (int j = 0; j < k; j++) {
      notDone.add(b.not(b.and(b.isNotNull(times.get(j)), b.lessThanOrEqual(times.get(j), at))));
      values.add(b.literal(j));
    }
    return caseWhen(inWindow.apply(at), Exprs.firstMatch(b, notDone, values, b.literal(k)));
  }

  /** The steps whose event the breakdown attribution may read. */
  private List<Integer> attributedSteps() {
    BreakdownAttribution a = funnel.breakdownAttribution();
    if (a.kind() == BreakdownAttribution.Kind.STEP) {
      return List.of(a.stepNumber().getAsInt());
    }
    List<Integer> all = new ArrayList<>();
    for (int j = 1; j <= k; j++) {
      all.add(j);
    }
    return all;
  }

  /**
   * Which attempts are excluded: exclusion {@code e}'s event came before the attempt's event of the
   * exclusion's last step (fewer steps than that were done by then). How far an attempt counts when
   * the unit's attempts are compared ({@code reach}): the steps it reached, but an excluded one no
   * further than the step right after its exclusion event, as PostHog counts.
   */
  private void screenedAttempts() {
    List<RexNode> p = new ArrayList<>(b.fields());
    List<String> names = new ArrayList<>(b.peek().getRowType().getFieldNames());
    List<RexNode> hits = new ArrayList<>();
    for (int e = 0; e < exclusions.size(); e++) {
      hits.add(b.lessThan(b.field(exclusion(e) + "_after_step"), b.literal(exclusions.get(e).toStep())));
    }
    add(p, names, Exprs.oneIf(b, b.or(hits)), "excluded");
    RexNode reach = null;
    for (int j = 1; j <= k; j++) {
      List<RexNode> counts = new ArrayList<>();
      counts.add(b.greaterThanOrEqual(b.field("steps_reached"), b.literal(j)));
      for (int e = 0; e < exclusions.size(); e++) {
        // step j lies beyond the step right after the exclusion event
        RexNode beyond = b.lessThan(b.field(exclusion(e) + "_after_step"), b.literal(j - 1));
        counts.add(b.not(Exprs.trueIf(b, b.and(hits.get(e), beyond))));
      }
      RexNode one = Exprs.oneIf(b, b.and(counts));
      reach = reach == null ? one : b.call(SqlStdOperatorTable.PLUS, reach, one);
    }
    add(p, names, reach, "reach");
    b.project(p, names, true);
    ctx.stage(prefix + "_screened_attempts");
  }

  // ---------------------------------------------------------------- entries

  /**
   * Each unit's counting attempt (per period, for a trend): the furthest, a clean one before an excluded
   * one, then the earliest; units whose counting attempt is excluded are dropped.
   */
  private void countingAttempts() {
    String reach = exclusions.isEmpty() ? "steps_reached" : "reach";
    List<RexNode> p = new ArrayList<>(b.fields());
    List<String> names = new ArrayList<>(b.peek().getRowType().getFieldNames());
    List<RexNode> partition = new ArrayList<>(unitFields());
    if (grain != null) {
      partition.add(b.field(PERIOD));
    }
    List<RexNode> order = new ArrayList<>();
    order.add(b.desc(b.field(reach)));
    if (!exclusions.isEmpty()) {
      order.add(b.field("excluded"));
    }
    order.add(b.field("start_seq"));
    add(p, names, b.aggregateCall(SqlStdOperatorTable.ROW_NUMBER).over().partitionBy(partition).orderBy(order).toRex(), "attempt_rank");
    b.project(p, names, true);
    ctx.stage(prefix + "_ranked_attempts");
    List<RexNode> counting = new ArrayList<>();
    counting.add(b.equals(b.field("attempt_rank"), b.literal(1)));
    counting.add(b.greaterThanOrEqual(b.field(reach), b.literal(1)));
    if (!exclusions.isEmpty()) {
      counting.add(b.equals(b.field("excluded"), b.literal(0)));
    }
    b.filter(counting);

    List<RexNode> kept = new ArrayList<>();
    List<String> keptNames = new ArrayList<>();
    List<String> keep = new ArrayList<>(unit);
    if (grain != null) {
      keep.add(PERIOD);
    }
    keep.add("steps_reached");
    for (int j = 1; j <= k; j++) {
      keep.add("seconds_to_step_" + j);
    }
    for (String c : keep) {
      add(kept, keptNames, b.field(c), c);
    }
    if (funnel.breakdown().isPresent()) {
      // the session the breakdown is read in: the attempt's start's, or that of the attributed event
      if (attributedElsewhere) {
        add(kept, keptNames, attributedSeq(), "attributed_seq");
      } else {
        RexNode session = b.field(Analyses.SESSION_ID);
        BreakdownAttribution a = funnel.breakdownAttribution();
        if (a.kind() == BreakdownAttribution.Kind.STEP) {
          // a session funnel: every step in the unit's session, but none for a unit that missed the step
          session = caseWhen(b.greaterThanOrEqual(b.field("steps_reached"), b.literal(a.stepNumber().getAsInt())), session);
        }
        add(kept, keptNames, session, "attributed_session_id");
      }
    }
    b.project(kept, keptNames, true);
    if (funnel.breakdown().isEmpty()) {
      ctx.stage(prefix + "_entries");
      return;
    }
    if (attributedElsewhere) {
      lookUpAttributedSession(keep);
    }
    int left = b.peek().getRowType().getFieldCount();
    ctx.ref(Analyses.SESSIONS_FACT);
    List<String> sessionColumns = b.peek().getRowType().getFieldNames();
    String column = Analyses.sessionColumn(Funnel.WHAT, "breakdown", funnel.breakdown().get(), sessionColumns);
    b.join(JoinRelType.LEFT, b.equals(b.field(2, 0, "attributed_session_id"), b.field(2, 1, Analyses.SESSION_ID)));
    List<RexNode> p2 = new ArrayList<>();
    List<String> n2 = new ArrayList<>();
    for (int i = 0; i < keep.size(); i++) {
      add(p2, n2, b.field(i), keep.get(i));
      if (keep.get(i).equals(unit.get(unit.size() - 1))) {
        add(p2, n2, b.field(left + sessionColumns.indexOf(column)), BREAKDOWN);
      }
    }
    b.project(p2, n2, true);
    ctx.stage(prefix + "_entries");
  }

  /** The number of the attributed event: the last step reached, or the given step when it was reached. */
  private RexNode attributedSeq() {
    RexNode reached = b.field("steps_reached");
    BreakdownAttribution a = funnel.breakdownAttribution();
    if (a.kind() == BreakdownAttribution.Kind.STEP) {
      int n = a.stepNumber().getAsInt();
      return caseWhen(b.greaterThanOrEqual(reached, b.literal(n)), b.field("step_" + n + "_event_seq"));
    }
    List<RexNode> conditions = new ArrayList<>();
    List<RexNode> values = new ArrayList<>();
    for (int j = 1; j <= k; j++) {
      conditions.add(b.equals(reached, b.literal(j)));
      values.add(b.field("step_" + j + "_event_seq"));
    }
    return Exprs.firstMatch(b, conditions, values, b.getRexBuilder().makeNullLiteral(values.get(0).getType()));
  }

  /**
   * Replaces {@code attributed_seq} by the session of that event of the unit. A lookup by (user,
   * event number) without a join: the entries and the events are stacked, and each entry takes the
   * session of the event numbered as its attributed event, a MAX over their common partition. (H2
   * re-runs a CTE for every row joined to it, so the plans join nothing but the facts.)
   */
  private void lookUpAttributedSession(List<String> keep) {
    RelNode entries = b.build();
    List<RelDataTypeField> fields = entries.getRowType().getFieldList();
    List<String> names = new ArrayList<>(keep);
    names.add("attributed_seq");
    names.add("event_session_id");
    names.add("is_entry");
    b.push(entries);
    List<RexNode> p = new ArrayList<>();
    for (int i = 0; i < keep.size(); i++) {
      p.add(b.field(i));
    }
    p.add(b.field("attributed_seq"));
    p.add(b.getRexBuilder().makeNullLiteral(eventsScan.getRowType().getField(Analyses.SESSION_ID, false, false).getType()));
    p.add(b.literal(1));
    b.project(p, names, true);
    b.push(eventsScan);
    List<RexNode> e = new ArrayList<>();
    for (int i = 0; i < keep.size(); i++) {
      e.add(keep.get(i).equals(Analyses.USER_ID) ? b.field(Analyses.USER_ID) : b.getRexBuilder().makeNullLiteral(fields.get(i).getType()));
    }
    e.add(b.field("event_seq"));
    e.add(b.field(Analyses.SESSION_ID));
    e.add(b.literal(0));
    b.project(e, names, true);
    b.union(true, 2);
    ctx.stage(prefix + "_attribution_lookup");
    List<RexNode> q = new ArrayList<>();
    List<String> qNames = new ArrayList<>();
    for (String c : keep) {
      add(q, qNames, b.field(c), c);
    }
    add(
        q,
        qNames,
        b.aggregateCall(SqlStdOperatorTable.MAX, b.field("event_session_id"))
            .over()
            .partitionBy(b.field(Analyses.USER_ID), b.field("attributed_seq"))
            .toRex(),
        "attributed_session_id");
    add(q, qNames, b.field("is_entry"), "is_entry");
    b.project(q, qNames, true);
    ctx.stage(prefix + "_attributed");
    b.filter(b.equals(b.field("is_entry"), b.literal(1)));
    List<RexNode> r = new ArrayList<>();
    List<String> rNames = new ArrayList<>();
    for (String c : keep) {
      add(r, rNames, b.field(c), c);
    }
    add(r, rNames, b.field("attributed_session_id"), "attributed_session_id");
    b.project(r, rNames, true);
  }

  // ---------------------------------------------------------------- one row per unit and step

  /** One row per unit and step: whether it reached the step, and when (seconds from the start). */
  private void stepRows() {
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
    if (anyOrder) {
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

  // ---------------------------------------------------------------- trend

  private RelNode trendSummary() {
    List<RexNode> keys = new ArrayList<>();
    if (funnel.breakdown().isPresent()) {
      keys.add(b.field(BREAKDOWN));
    }
    keys.add(b.field(PERIOD));
    b.aggregate(
        b.groupKey(keys),
        b.count().as("entered"),
        b.sum(Exprs.oneIf(b, b.greaterThanOrEqual(b.field("steps_reached"), b.literal(k)))).as("converted"));
    List<RexNode> out = new ArrayList<>();
    List<String> names = new ArrayList<>();
    funnel.breakdown().ifPresent(name -> add(out, names, b.field(BREAKDOWN), name));
    add(out, names, b.field(PERIOD), PERIOD);
    add(out, names, b.field("entered"), "entered");
    add(out, names, b.field("converted"), "converted");
    add(out, names, ratio(b.field("converted"), b.field("entered")), "conversion");
    b.project(out, names, true);
    List<RexNode> sort = new ArrayList<>();
    funnel.breakdown().ifPresent(name -> sort.add(b.nullsLast(b.field(name))));
    sort.add(b.field(PERIOD));
    return b.sort(sort).build();
  }

  // ---------------------------------------------------------------- time to convert

  private RelNode histogram(TimeToConvert t) {
    // whole seconds between the two steps' done times, for the units that reached the later one
    b.filter(b.greaterThanOrEqual(b.field("steps_reached"), b.literal(t.toStep())));
    List<RexNode> p = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (String c : unit) {
      add(p, names, b.field(c), c);
    }
    add(p, names, b.call(SqlStdOperatorTable.MINUS, doneSeconds(t.toStep()), doneSeconds(t.fromStep())), "seconds");
    b.project(p, names, true);
    ctx.stage(prefix + "_conversion_times");

    // the spread over all units, on every unit's row
    b.project(
        List.of(
            b.field("seconds"),
            b.aggregateCall(SqlStdOperatorTable.COUNT).over().toRex(),
            b.aggregateCall(SqlStdOperatorTable.MIN, b.field("seconds")).over().toRex(),
            b.aggregateCall(SqlStdOperatorTable.MAX, b.field("seconds")).over().toRex()),
        List.of("seconds", "converted", "min_seconds", "max_seconds"),
        true);
    ctx.stage(prefix + "_conversion_spread");
    RexNode bins = t.bins().isPresent() ? b.literal(t.bins().getAsInt()) : autoBins(b.field("converted"));
    b.project(
        List.of(b.field("seconds"), b.field("converted"), b.field("min_seconds"), b.field("max_seconds"), bins),
        List.of("seconds", "converted", "min_seconds", "max_seconds", "bins"),
        true);
    ctx.stage(prefix + "_histogram");
    RexNode span = b.call(SqlStdOperatorTable.MINUS, b.field("max_seconds"), b.field("min_seconds"));
    RexNode width =
        b.call(
            SqlStdOperatorTable.CASE,
            b.greaterThan(span, b.literal(0)),
            b.cast(
                b.call(SqlStdOperatorTable.CEIL, b.call(SqlStdOperatorTable.DIVIDE, Exprs.asDouble(b, span), Exprs.asDouble(b, b.field("bins")))),
                SqlTypeName.BIGINT),
            b.cast(b.literal(1), SqlTypeName.BIGINT));
    b.project(
        List.of(b.field("seconds"), b.field("converted"), b.field("min_seconds"), b.field("bins"), width),
        List.of("seconds", "converted", "min_seconds", "bins", "bin_width"),
        true);
    ctx.stage(prefix + "_bin_width");

    // each unit's bin: 1 + whole widths above the smallest time, the largest time in the last bin
    RexNode index =
        b.call(
            SqlStdOperatorTable.PLUS,
            b.literal(1),
            b.call(
                SqlStdOperatorTable.FLOOR,
                b.call(
                    SqlStdOperatorTable.DIVIDE,
                    Exprs.asDouble(b, b.call(SqlStdOperatorTable.MINUS, b.field("seconds"), b.field("min_seconds"))),
                    Exprs.asDouble(b, b.field("bin_width")))));
    RexNode bin = b.cast(b.call(SqlStdOperatorTable.CASE, b.greaterThan(index, b.field("bins")), b.field("bins"), index), SqlTypeName.INTEGER);
    b.project(
        List.of(bin, b.field("converted"), b.field("min_seconds"), b.field("bins"), b.field("bin_width")),
        List.of("bin", "converted", "min_seconds", "bins", "bin_width"),
        true);
    ctx.stage(prefix + "_unit_bins");

    // every bin, empty ones too: each unit's row meets the numbers of the bins (a constant list, so
    // the funnel is computed once) and is counted in its own
    int most = t.bins().orElse(TimeToConvert.AUTO_MAX_BINS);
    Object[] numbers = new Object[most];
    for (int i = 0; i < most; i++) {
      numbers[i] = i + 1;
    }
    b.values(new String[] {"bin_number"}, numbers);
    // a cross join, the bin count applied after: H2 would push a join condition into the CTE and run
    // the funnel again for every bin number
    b.join(JoinRelType.INNER, b.literal(true));
    RexNode number = b.field("bin_number");
    RexNode min = b.field("min_seconds");
    RexNode binWidth = b.field("bin_width");
    b.aggregate(
        b.groupKey(number),
        b.min(b.call(SqlStdOperatorTable.PLUS, min, b.call(SqlStdOperatorTable.MULTIPLY, b.call(SqlStdOperatorTable.MINUS, number, b.literal(1)), binWidth)))
            .as("from_seconds"),
        b.min(b.call(SqlStdOperatorTable.PLUS, min, b.call(SqlStdOperatorTable.MULTIPLY, number, binWidth))).as("to_seconds"),
        b.sum(Exprs.oneIf(b, b.equals(b.field("bin"), number))).as("units"),
        b.min(b.field("converted")).as("converted"),
        b.min(b.field("bins")).as("bin_count"));
    if (t.bins().isEmpty()) {
      b.filter(b.lessThanOrEqual(b.field("bin_number"), b.field("bin_count")));
    }
    RexNode units = b.cast(b.field("units"), SqlTypeName.BIGINT);
    b.project(
        List.of(
            b.field("bin_number"), b.field("from_seconds"), b.field("to_seconds"), units,
            b.call(SqlStdOperatorTable.DIVIDE, Exprs.asDouble(b, units), Exprs.asDouble(b, b.field("converted")))),
        TimeToConvert.COLUMNS,
        true);
    return b.sort(b.field("bin")).build();
  }

  /**
   * Whole seconds from the attempt's start to the time step {@code j} was done: the step's own time in
   * ordered and strict funnels; in any order the latest of steps 1 to j (the first of them that is
   * at least all later ones).
   */
  private RexNode doneSeconds(int j) {
    if (!anyOrder || j == 1) {
      return b.field("seconds_to_step_" + j);
    }
    List<RexNode> conditions = new ArrayList<>();
    List<RexNode> values = new ArrayList<>();
    for (int i = 1; i < j; i++) {
      List<RexNode> atLeast = new ArrayList<>();
      for (int m = i + 1; m <= j; m++) {
        atLeast.add(b.greaterThanOrEqual(b.field("seconds_to_step_" + i), b.field("seconds_to_step_" + m)));
      }
      conditions.add(b.and(atLeast));
      values.add(b.field("seconds_to_step_" + i));
    }
    return Exprs.firstMatch(b, conditions, values, b.field("seconds_to_step_" + j));
  }

  /**
   * PostHog's automatic bin count, ⌈∛units⌉ between 1 and 60, as a CASE over the cubes: exact on every
   * warehouse, with no floating-point cube root to round the wrong way at a perfect cube.
   */
  private RexNode autoBins(RexNode units) {
    List<RexNode> conditions = new ArrayList<>();
    List<RexNode> values = new ArrayList<>();
    for (int n = 1; n < TimeToConvert.AUTO_MAX_BINS; n++) {
      conditions.add(b.lessThanOrEqual(units, b.literal((long) n * n * n)));
      values.add(b.literal(n));
    }
    return Exprs.firstMatch(b, conditions, values, b.literal(TimeToConvert.AUTO_MAX_BINS));
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
