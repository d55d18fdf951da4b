package io.heapsdk.analysis;

import com.fasterxml.jackson.annotation.JsonValue;
import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.model.Model;
import io.heapsdk.model.ModelBuilder;
import io.heapsdk.model.PlanContext;
import io.heapsdk.model.TimeGrain;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.calcite.rel.RelNode;

/**
 * A funnel over the events fact (SPEC §4): ordered steps, a conversion window, an ordering mode, a
 * counting unit, a date range, exclusion events and a breakdown by a sessions fact column. Immutable
 * and thread-safe; build one with {@link #builder()}. Besides its steps, a funnel gives its conversion
 * over time ({@link #trend}) and the distribution of its times to convert ({@link #timeToConvert}).
 *
 * <pre>{@code
 * Funnel funnel = Funnel.builder()
 *     .step("view_product").step("add_to_cart").step("purchase")
 *     .window(Duration.ofDays(7))
 *     .ordering(Funnel.Ordering.STRICT)
 *     .unit(Funnel.Unit.SESSION)
 *     .exclude("refund")                 // between the first and the last step
 *     .exclude("coupon_applied", 2, 3)   // between steps 2 and 3
 *     .breakdown("channel")
 *     .breakdownAttribution(BreakdownAttribution.last())
 *     .from(LocalDate.of(2024, 1, 1)).to(LocalDate.of(2024, 1, 31))
 *     .build();
 * }</pre>
 *
 * <p>How it counts, per unit (a user, or a session):
 *
 * <ul>
 *   <li>Events are ordered by time, then event id. An <b>attempt</b> starts at an event of step 1 (with
 *       {@code any_order}: of any step) whose time is in the date range; later steps may fall after the
 *       range. Each later step is the earliest matching event after the previous one ({@code ordered});
 *       the very next event of the funnel, which must match it ({@code strict}); or, with
 *       {@code any_order}, the earliest matching event at or after the attempt's start.
 *   <li>A step counts only at most {@link #window()} after the attempt's start: exactly at the window
 *       counts, one second past does not (timestamps are compared, so fractions of a second count too).
 *       With {@link Builder#windowToRangeEnd()} a step counts instead up to the end of the date range's
 *       last day ({@link #to()}; without one, at any later time), as Heap's funnel chart counts.
 *   <li>An attempt is <b>excluded</b> when an exclusion event comes strictly later than the attempt's
 *       event of the exclusion's first step, strictly earlier than its event of the exclusion's last
 *       step (or at any time, when it never reached that step), and at most the window after the start.
 *       With {@code any_order}, an exclusion spans the whole funnel: from the attempt's first event to
 *       the time its last step was done.
 *   <li>Each unit counts once, with its counting attempt: the one reaching the most steps (an excluded
 *       attempt counts as reaching no further than the step right after its exclusion event), a clean
 *       attempt before an excluded one, then the earliest. When that attempt is excluded the unit is left
 *       out of the funnel altogether: it counts at no step. This is PostHog's rule (see the README).
 *   <li>The breakdown value is read in the session of one event of the counting attempt, chosen by
 *       {@link #breakdownAttribution()}: by default the attempt's first event.
 *   <li>Seconds from the first step are whole seconds (epoch seconds subtracted, the same on every
 *       warehouse); with {@code any_order}, a step is done when it and every earlier step are, so its
 *       time is the latest of theirs. The median is the middle value, or the mean of the two middle
 *       values, of the units that reached the step (ranked with ROW_NUMBER, since PERCENTILE_CONT is
 *       not on every warehouse).
 *   <li>Events without a time or a user are left out (they cannot be ordered, they are nobody's), and
 *       in session funnels events without a session. A funnel nobody entered has no rows.
 * </ul>
 */
public final class Funnel {
  /** Conversion window unless {@link Builder#window} says otherwise. */
  public static final Duration DEFAULT_WINDOW = Duration.ofDays(14);

  /**
   * The SQL of a funnel holds about steps² window calls; past this many steps it is no longer a
   * funnel anyone reads.
   */
  public static final int MAX_STEPS = 20;

  static final String WHAT = "funnel";

  /** How later steps must follow earlier ones. */
  public enum Ordering {
    /** Each step after the previous one; other events, funnel steps included, may come in between. */
    ORDERED,
    /** Each step the very next event of the funnel (an event matching any of its steps) after the previous one. */
    STRICT,
    /** Every step within the window from the attempt's first event, in any order. */
    ANY_ORDER;

    /** The name used on the command line: {@code ordered}, {@code strict}, {@code any_order}. */
    public String cliName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The ordering called {@code name} ({@code ordered}, {@code strict}, {@code any_order}; case-insensitive). */
    public static Ordering parse(String name) {
      for (Ordering o : values()) {
        if (o.cliName().equalsIgnoreCase(name.strip().replace('-', '_'))) {
          return o;
        }
      }
      throw new HeapAnalysisException(WHAT, "ordering", "unknown ordering \"" + name + "\"; expected ordered, strict or any_order");
    }
  }

  /** What a funnel counts. */
  public enum Unit {
    /** Users: steps may be done in different sessions. */
    USER,
    /** Sessions: every step in the same session. */
    SESSION;

    public String cliName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The unit called {@code name} ({@code user} or {@code session}; case-insensitive). */
    public static Unit parse(String name) {
      for (Unit u : values()) {
        if (u.cliName().equalsIgnoreCase(name.strip())) {
          return u;
        }
      }
      throw new HeapAnalysisException(WHAT, "unit", "unknown unit \"" + name + "\"; expected user or session");
    }
  }

  private final List<Step> steps;
  private final Duration window;
  private final boolean windowToRangeEnd;
  private final Ordering ordering;
  private final Unit unit;
  private final List<Exclusion> exclusions;
  private final Optional<String> breakdown;
  private final BreakdownAttribution breakdownAttribution;
  private final Optional<LocalDate> from;
  private final Optional<LocalDate> to;
  private final ZoneId timeZone;

  private Funnel(Builder b) {
    this.steps = List.copyOf(b.steps);
    this.window = b.window;
    this.windowToRangeEnd = b.windowToRangeEnd;
    this.ordering = b.ordering;
    this.unit = b.unit;
    this.exclusions = b.exclusions.stream().map(e -> e.resolve(b.steps.size())).toList();
    this.breakdown = b.breakdown.map(c -> Analyses.checkBreakdown(WHAT, "breakdown", c));
    this.breakdownAttribution = b.breakdownAttribution;
    this.from = b.from;
    this.to = b.to;
    this.timeZone = b.timeZone;
    check();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this funnel's settings, to make a modified copy. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.steps.addAll(steps);
    b.window = window;
    b.windowToRangeEnd = windowToRangeEnd;
    b.ordering = ordering;
    b.unit = unit;
    for (Exclusion e : exclusions) {
      // an exclusion over the whole funnel stays over the whole funnel when steps are added
      b.exclusions.add(new Builder.Pending(e.step(), e.fromStep(), e.fromStep() == 1 && e.toStep() == steps.size() ? 0 : e.toStep()));
    }
    b.breakdown = breakdown;
    b.breakdownAttribution = breakdownAttribution;
    b.from = from;
    b.to = to;
    b.timeZone = timeZone;
    return b;
  }

  /** The steps, in order; at least one. */
  public List<Step> steps() {
    return steps;
  }

  /**
   * How long after the attempt's first event a step still counts (inclusive); default 14 days. Not used
   * when {@link #windowToRangeEnd()}.
   */
  public Duration window() {
    return window;
  }

  /**
   * Whether a step counts up to the end of the date range (the end of {@link #to()}'s day, exclusive; no
   * bound without one) instead of {@link #window()} after the attempt's start.
   */
  public boolean windowToRangeEnd() {
    return windowToRangeEnd;
  }

  /** The window as reports show it: {@code 14d}, or {@code to the range's end}. */
  public String windowLabel() {
    return windowToRangeEnd ? "to the range's end" : Durations.format(window);
  }

  public Ordering ordering() {
    return ordering;
  }

  public Unit unit() {
    return unit;
  }

  /** The exclusions, each with the steps it applies between; an excluded attempt leaves its unit out of the funnel. */
  public List<Exclusion> exclusions() {
    return exclusions;
  }

  /**
   * The sessions fact column to break the funnel down by, as the user named it but in lower case
   * ({@code channel}, {@code utm_source}, {@code heap_session_browser}); the result's column is called so.
   */
  public Optional<String> breakdown() {
    return breakdown;
  }

  /** Which event of the counting attempt gives the breakdown its value; {@link BreakdownAttribution#first()} by default. */
  public BreakdownAttribution breakdownAttribution() {
    return breakdownAttribution;
  }

  /** First day (inclusive, in {@link #timeZone()}: UTC by default) an attempt may start on. */
  public Optional<LocalDate> from() {
    return from;
  }

  /** Last day (inclusive, in {@link #timeZone()}: UTC by default) an attempt may start on. */
  public Optional<LocalDate> to() {
    return to;
  }

  /**
   * The zone whose calendar {@link #from()}, {@link #to()} and an attempt's start day and the trend's periods follow (Heap's
   * charts follow the viewer's); UTC by default. Heap's times are UTC, and so is every duration.
   */
  public ZoneId timeZone() {
    return timeZone;
  }

  /** The output columns, in order: the breakdown (when set), then the per-step figures. */
  public List<String> outputColumns() {
    List<String> c = new ArrayList<>();
    breakdown.ifPresent(c::add);
    c.addAll(FunnelPlanner.STEP_COLUMNS);
    return c;
  }

  /**
   * Checks the funnel against a project's config and returns it: the breakdown must be a column the
   * sessions fact has under {@code config} (a funnel step's count column exists only for the config's
   * funnel events, a window column only for its conversion window). {@link Builder#build} checked everything
   * that does not depend on the config; the analysis runner calls this before planning.
   */
  public Funnel validate(HeapConfig config) {
    Analyses.notNull(WHAT, "config", config, "a config");
    breakdown.ifPresent(c -> Analyses.checkBreakdown(WHAT, "breakdown", c, config));
    return this;
  }

  /**
   * The funnel's conversion from the first to the last step per day, week or month of entry (the
   * attempt's start), as {@link FunnelTrend}; any {@link TimeGrain} works, weeks start on Monday.
   */
  public FunnelTrend trend(TimeGrain grain) {
    return new FunnelTrend(this, grain);
  }

  /**
   * The distribution of whole seconds from step {@code fromStep} to step {@code toStep} (1-based) over
   * the units that reached {@code toStep}, in equal-width bins whose number follows from how many
   * units there are ({@link TimeToConvert#bins()}).
   */
  public TimeToConvert timeToConvert(int fromStep, int toStep) {
    return new TimeToConvert(this, fromStep, toStep, OptionalInt.empty());
  }

  /** As {@link #timeToConvert(int, int)}, in {@code bins} bins (1 to {@value TimeToConvert#MAX_BINS}). */
  public TimeToConvert timeToConvert(int fromStep, int toStep, int bins) {
    return new TimeToConvert(this, fromStep, toStep, OptionalInt.of(bins));
  }

  /**
   * Plans the funnel's query in a model's plan function: it reads {@code stg_heap_events_all_inc_fct}
   * and, for a breakdown, {@code stg_heap_sessions_inc_fct}. Its stages are named after the model.
   */
  public RelNode plan(PlanContext ctx) {
    return new FunnelPlanner(this, ctx).steps();
  }

  /**
   * Adds the funnel to {@code project} as a table model called {@code name}, one row per step (and
   * breakdown value): render it with {@code SqlRenderer.select(name)}, or build it with the rest.
   */
  public Model addTo(HeapProject project, String name) {
    ModelBuilder m =
        project
            .model(name)
            .description("Funnel " + labels(steps) + " (" + ordering.cliName() + ", per " + unit.cliName() + ", window " + Durations.format(window) + ")");
    breakdown.ifPresent(c -> m.column(c, breakdownDoc()));
    FunnelPlanner.COLUMN_DOCS.forEach(m::column);
    return m.plan(this::plan);
  }

  /** The description of the breakdown column of every view of the funnel. */
  String breakdownDoc() {
    String c = breakdown.orElseThrow();
    return switch (breakdownAttribution.kind()) {
      case FIRST -> "The value of " + c + " in the session of the counting attempt's first event";
      case LAST -> "The value of " + c + " in the session of the last step the counting attempt reached";
      case STEP -> "The value of " + c + " in the session of step " + breakdownAttribution.stepNumber().getAsInt()
          + " of the counting attempt; NULL when it did not reach that step";
    };
  }

  private static List<String> labels(List<Step> steps) {
    return steps.stream().map(Step::label).toList();
  }

  private void check() {
    if (steps.isEmpty()) {
      throw new HeapAnalysisException(WHAT, "steps", "expected at least one step, got none");
    }
    if (steps.size() > MAX_STEPS) {
      throw new HeapAnalysisException(WHAT, "steps", "expected at most " + MAX_STEPS + " steps, got " + steps.size());
    }
    Map<String, Integer> names = new HashMap<>();
    for (int i = 0; i < steps.size(); i++) {
      Step s = steps.get(i);
      Analyses.checkText(WHAT, "steps[" + i + "]", s.label());
      Optional<String> name = s.eventName();
      if (name.isPresent()) {
        Integer before = names.putIfAbsent(name.get(), i);
        if (before != null && ordering == Ordering.ANY_ORDER) {
          // in any order, two equal steps would be matched by the same event: the funnel could not tell them apart
          throw new HeapAnalysisException(
              WHAT, "steps[" + i + "]", "\"" + name.get() + "\" is also steps[" + before + "]; a step may repeat only in ordered or strict funnels");
        }
      }
    }
    int k = steps.size();
    for (int i = 0; i < exclusions.size(); i++) {
      Exclusion x = exclusions.get(i);
      Step e = x.step();
      String setting = "exclusions[" + i + "]";
      Analyses.checkText(WHAT, setting, e.label());
      if (e.eventName().isPresent() && names.containsKey(e.eventName().get())) {
        throw new HeapAnalysisException(
            WHAT, setting, "\"" + e.eventName().get() + "\" is also a step (steps[" + names.get(e.eventName().get()) + "])");
      }
      if (k < 2) {
        throw new HeapAnalysisException(WHAT, setting, "an exclusion applies between two steps; this funnel has only one");
      }
      if (x.fromStep() < 1 || x.toStep() > k || x.fromStep() >= x.toStep()) {
        throw new HeapAnalysisException(
            WHAT, setting, "expected two steps from 1 to " + k + ", the first before the second, got " + x.range());
      }
      if (ordering == Ordering.ANY_ORDER && (x.fromStep() != 1 || x.toStep() != k)) {
        // the steps of an any_order funnel have no order, so "between steps 2 and 3" means nothing
        throw new HeapAnalysisException(
            WHAT, setting, "an any_order funnel excludes only between its first and last step (1-" + k + "), got " + x.range());
      }
    }
    if (breakdownAttribution.kind() != BreakdownAttribution.Kind.FIRST && breakdown.isEmpty()) {
      throw new HeapAnalysisException(WHAT, "breakdownAttribution", "is " + breakdownAttribution.cliName() + " but the funnel has no breakdown");
    }
    if (breakdownAttribution.stepNumber().orElse(1) > k) {
      throw new HeapAnalysisException(
          WHAT, "breakdownAttribution", "step " + breakdownAttribution.stepNumber().getAsInt() + " of a funnel of " + k + " steps");
    }
    Analyses.checkDuration(WHAT, "window", window);
    Analyses.checkDates(WHAT, from, to);
  }

  private static boolean isUtc(ZoneId zone) {
    return zone.normalized().equals(ZoneOffset.UTC);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Funnel f
        && steps.equals(f.steps)
        && window.equals(f.window)
        && windowToRangeEnd == f.windowToRangeEnd
        && ordering == f.ordering
        && unit == f.unit
        && exclusions.equals(f.exclusions)
        && breakdown.equals(f.breakdown)
        && breakdownAttribution.equals(f.breakdownAttribution)
        && from.equals(f.from)
        && to.equals(f.to)
        && timeZone.equals(f.timeZone);
  }

  @Override
  public int hashCode() {
    return Objects.hash(steps, window, windowToRangeEnd, ordering, unit, exclusions, breakdown, breakdownAttribution, from, to, timeZone);
  }

  /**
   * The settings, as one line; also what Jackson writes for this {@code @JsonValue}, so a result holding
   * it serializes with a plain {@code ObjectMapper}.
   */
  @JsonValue
  @Override
  public String toString() {
    return "Funnel{steps=" + labels(steps) + ", window=" + (windowToRangeEnd ? "range" : Durations.format(window)) + ", ordering=" + ordering.cliName() + ", unit="
        + unit.cliName() + ", exclusions=" + exclusions.stream().map(e -> e.step().label() + ":" + e.range()).toList() + ", breakdown="
        + breakdown.orElse("-") + (breakdownAttribution.kind() == BreakdownAttribution.Kind.FIRST ? "" : " (" + breakdownAttribution.cliName() + ")")
        + ", from="
        + from.map(LocalDate::toString).orElse("-") + ", to=" + to.map(LocalDate::toString).orElse("-")
        + (isUtc(timeZone) ? "" : ", time_zone=" + timeZone.getId()) + "}";
  }

  /**
   * An exclusion: events matching {@code step}, between the funnel's steps {@code fromStep} and
   * {@code toStep} (1-based; the whole funnel is 1 to the number of steps).
   */
  public record Exclusion(Step step, int fromStep, int toStep) {
    public Exclusion {
      Objects.requireNonNull(step, "step");
    }

    /** {@code from-to}, as the command line writes it. */
    public String range() {
      return fromStep + "-" + toStep;
    }
  }

  /** Collects a funnel's settings; {@link #build()} checks them. Not thread-safe. */
  public static final class Builder {
    private final List<Step> steps = new ArrayList<>();
    private Duration window = DEFAULT_WINDOW;
    private boolean windowToRangeEnd;
    private Ordering ordering = Ordering.ORDERED;
    private Unit unit = Unit.USER;
    private final List<Pending> exclusions = new ArrayList<>();
    private Optional<String> breakdown = Optional.empty();
    private BreakdownAttribution breakdownAttribution = BreakdownAttribution.first();
    private Optional<LocalDate> from = Optional.empty();
    private Optional<LocalDate> to = Optional.empty();
    private ZoneId timeZone = ZoneOffset.UTC;

    /** An exclusion as given: {@code toStep} 0 means the funnel's last step, whatever the steps are when it is built. */
    private record Pending(Step step, int fromStep, int toStep) {
      Exclusion resolve(int steps) {
        return new Exclusion(step, fromStep, toStep == 0 ? steps : toStep);
      }
    }

    private Builder() {}

    /** Adds a step: events called {@code eventName} (exact, case-sensitive). */
    public Builder step(String eventName) {
      Analyses.checkText(WHAT, "steps[" + steps.size() + "]", eventName);
      steps.add(Step.event(eventName));
      return this;
    }

    /** Adds a step: events meeting {@code predicate} on the events fact, labelled {@code label}. */
    public Builder step(String label, EventPredicate predicate) {
      String setting = "steps[" + steps.size() + "]";
      steps.add(Step.matching(Analyses.notNull(WHAT, setting, label, "a label"), Analyses.notNull(WHAT, setting, predicate, "a predicate")));
      return this;
    }

    /** Adds steps, one per event name, in order. */
    public Builder steps(List<String> eventNames) {
      Analyses.notNull(WHAT, "steps", eventNames, "a list of event names");
      eventNames.forEach(this::step);
      return this;
    }

    /** The conversion window, from the attempt's first event; a positive whole number of seconds, at most 3650 days. */
    public Builder window(Duration window) {
      this.window = window;
      this.windowToRangeEnd = false;
      return this;
    }

    /**
     * Later steps count up to the end of the date range ({@link #to}'s day included; with no last day, at
     * any later time) instead of a window after the attempt's start: Heap's funnel chart counts a user
     * whose steps fall "at any point within the date range", each step after the one before. The last
     * {@link #window} or this call wins.
     */
    public Builder windowToRangeEnd() {
      this.windowToRangeEnd = true;
      return this;
    }

    public Builder ordering(Ordering ordering) {
      this.ordering = Analyses.notNull(WHAT, "ordering", ordering, "ordered, strict or any_order");
      return this;
    }

    public Builder unit(Unit unit) {
      this.unit = Analyses.notNull(WHAT, "unit", unit, "user or session");
      return this;
    }

    /**
     * Adds exclusion events by name, each between the funnel's first and last step: a unit whose
     * counting attempt has one of them in between is left out of the funnel.
     */
    public Builder exclude(String... eventNames) {
      Analyses.notNull(WHAT, "exclusions", eventNames, "event names");
      for (String e : eventNames) {
        Analyses.checkText(WHAT, "exclusions[" + exclusions.size() + "]", e);
        exclusions.add(new Pending(Step.event(e), 1, 0));
      }
      return this;
    }

    /** Adds an exclusion event by name between steps {@code fromStep} and {@code toStep} (1-based, the first before the second). */
    public Builder exclude(String eventName, int fromStep, int toStep) {
      Analyses.checkText(WHAT, "exclusions[" + exclusions.size() + "]", eventName);
      exclusions.add(new Pending(Step.event(eventName), fromStep, toStep));
      return this;
    }

    /** Adds an exclusion between the first and last step: events meeting {@code predicate}, labelled {@code label}. */
    public Builder exclude(String label, EventPredicate predicate) {
      return exclude(label, predicate, 1, 0);
    }

    /** Adds an exclusion between steps {@code fromStep} and {@code toStep}: events meeting {@code predicate}, labelled {@code label}. */
    public Builder exclude(String label, EventPredicate predicate, int fromStep, int toStep) {
      String setting = "exclusions[" + exclusions.size() + "]";
      Step step = Step.matching(Analyses.notNull(WHAT, setting, label, "a label"), Analyses.notNull(WHAT, setting, predicate, "a predicate"));
      exclusions.add(new Pending(step, fromStep, toStep));
      return this;
    }

    /**
     * Breaks the funnel down by a column of {@code stg_heap_sessions_inc_fct}, named in full or without
     * its {@code heap_session_} prefix, in any case ({@code channel}, {@code utm_source}, {@code browser},
     * {@code country}); {@link #build} refuses a name the fact cannot have.
     */
    public Builder breakdown(String sessionColumn) {
      this.breakdown = Optional.of(Analyses.notNull(WHAT, "breakdown", sessionColumn, "a column name"));
      return this;
    }

    /** Which event of the counting attempt gives the breakdown its value (default: the first); needs a breakdown. */
    public Builder breakdownAttribution(BreakdownAttribution attribution) {
      this.breakdownAttribution = Analyses.notNull(WHAT, "breakdownAttribution", attribution, "first, last or step:N");
      return this;
    }

    /** First day (inclusive, in {@link #timeZone()}: UTC by default) an attempt may start on. */
    public Builder from(LocalDate day) {
      this.from = Optional.of(Analyses.notNull(WHAT, "from", day, "a date"));
      return this;
    }

    /** Last day (inclusive, in {@link #timeZone()}: UTC by default) an attempt may start on. */
    public Builder to(LocalDate day) {
      this.to = Optional.of(Analyses.notNull(WHAT, "to", day, "a date"));
      return this;
    }

    /**
     * The zone whose calendar the dates and periods follow: an IANA name ({@code ZoneId.of("Europe/Paris")});
     * a bare offset is refused (warehouses read its sign differently). UTC by default.
     */
    public Builder timeZone(ZoneId zone) {
      this.timeZone = Analyses.checkTimeZone(WHAT, zone);
      return this;
    }

    /** The funnel; a {@link HeapAnalysisException} naming the setting when one is wrong. */
    public Funnel build() {
      return new Funnel(this);
    }
  }
}
