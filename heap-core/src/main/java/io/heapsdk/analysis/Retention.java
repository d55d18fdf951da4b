package io.heapsdk.analysis;

import com.fasterxml.jackson.annotation.JsonValue;
import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.model.Model;
import io.heapsdk.model.ModelBuilder;
import io.heapsdk.model.PlanContext;
import io.heapsdk.model.TimeGrain;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.apache.calcite.rel.RelNode;

/**
 * Cohort retention over the events fact: users grouped by the day, week or month of their first start
 * event, and how many of them did the return event in each later period. Immutable and thread-safe;
 * build one with {@link #builder()}.
 *
 * <pre>{@code
 * Retention retention = Retention.builder()
 *     .startEvent("sign_up")                 // default: any event
 *     .returnEvent("purchase")               // default: any event
 *     .period(Retention.Period.WEEK)         // DAY (default), WEEK (Monday to Sunday), MONTH
 *     .periods(8)                            // periods 0 … 8
 *     .mode(Retention.Mode.ON_OR_AFTER)      // ON (default) or ON_OR_AFTER
 *     .breakdown("channel")                  // a sessions fact column, from the first start event's session
 *     .from(LocalDate.of(2024, 1, 1)).to(LocalDate.of(2024, 3, 31))
 *     .build();
 * }</pre>
 *
 * <p>How it counts (first-time retention, as PostHog's and Mixpanel's "first time" cohorts):
 *
 * <ul>
 *   <li>A user's <b>cohort</b> is the UTC day, ISO week (from Monday) or month of the user's first start
 *       event <em>ever</em>, by time, then event id; events without a time or a user are left out. A
 *       user whose first start event falls outside the date range is in no cohort, even when they did it
 *       again inside the range.
 *   <li>The date range selects whole cohorts: every cohort whose period overlaps {@link #from()} …
 *       {@link #to()} counts in full ({@code from} is moved back to the first day of its period), so no
 *       cohort is cut in half.
 *   <li><b>Period 0</b> is the cohort's own period and counts every member as retained (100 %), as
 *       PostHog does: the start event itself is the activity of period 0 (Amplitude and Mixpanel count
 *       the return event there instead). Period {@code k} is
 *       the {@code k}-th day, week or month after it, by calendar, not by 24-hour windows.
 *   <li>{@link Mode#ON}: a member is retained in period {@code k ≥ 1} when they did the return event
 *       in that period. {@link Mode#ON_OR_AFTER} ("unbounded", Amplitude's "return on or after"): in
 *       that period or any later one, including periods after the last one reported.
 *   <li>Only periods the data has reached are reported: a period whose first day is after the day of
 *       the newest event of the events fact has no row (its users could not have returned yet). Every
 *       reported period has a row, with 0 when nobody returned.
 *   <li>A breakdown takes the value of the sessions fact column in the session of the user's first
 *       start event; users whose session has no row, or a NULL value, form the NULL group (listed
 *       last).
 * </ul>
 */
public final class Retention {
  /** Periods after period 0 unless {@link Builder#periods} says otherwise. */
  public static final int DEFAULT_PERIODS = 7;

  /** A year of days; each reported period is a row per cohort, and the SQL lists every period number. */
  public static final int MAX_PERIODS = 366;

  static final String WHAT = "retention";

  /** The length of a cohort and of each period after it. */
  public enum Period {
    /** UTC calendar days. */
    DAY(TimeGrain.DAY),
    /** ISO weeks: Monday 00:00 to Sunday 23:59:59.999999, UTC. */
    WEEK(TimeGrain.WEEK),
    /** UTC calendar months. */
    MONTH(TimeGrain.MONTH);

    private final TimeGrain grain;

    Period(TimeGrain grain) {
      this.grain = grain;
    }

    /** The grain {@link io.heapsdk.model.Exprs#truncate} cuts a time to. */
    public TimeGrain grain() {
      return grain;
    }

    /** The name used on the command line: {@code day}, {@code week}, {@code month}. */
    public String cliName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The first day of the period holding {@code day}: itself, its week's Monday, or the first of its month. */
    public LocalDate start(LocalDate day) {
      return switch (this) {
        case DAY -> day;
        case WEEK -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        case MONTH -> day.withDayOfMonth(1);
      };
    }

    /** The period called {@code name} ({@code day}, {@code week} or {@code month}; case-insensitive). */
    public static Period parse(String name) {
      for (Period p : values()) {
        if (p.cliName().equalsIgnoreCase(name.strip())) {
          return p;
        }
      }
      throw new HeapAnalysisException(WHAT, "period", "unknown period \"" + name + "\"; expected day, week or month");
    }
  }

  /** When a member counts as retained in a period. */
  public enum Mode {
    /** Did the return event in that period. */
    ON,
    /** Did the return event in that period or any later one (unbounded retention). */
    ON_OR_AFTER;

    /** The name used on the command line: {@code on}, {@code on_or_after}. */
    public String cliName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The mode called {@code name} ({@code on} or {@code on_or_after}; case-insensitive, {@code -} for {@code _}). */
    public static Mode parse(String name) {
      for (Mode m : values()) {
        if (m.cliName().equalsIgnoreCase(name.strip().replace('-', '_'))) {
          return m;
        }
      }
      throw new HeapAnalysisException(WHAT, "mode", "unknown mode \"" + name + "\"; expected on or on_or_after");
    }
  }

  private final Optional<Step> startEvent;
  private final Optional<Step> returnEvent;
  private final Period period;
  private final int periods;
  private final Mode mode;
  private final Optional<String> breakdown;
  private final Optional<LocalDate> from;
  private final Optional<LocalDate> to;
  private final ZoneId timeZone;

  private Retention(Builder b) {
    this.startEvent = b.startEvent;
    this.returnEvent = b.returnEvent;
    this.period = b.period;
    this.periods = b.periods;
    this.mode = b.mode;
    this.breakdown = b.breakdown.map(c -> Analyses.checkBreakdown(WHAT, "breakdown", c));
    this.from = b.from;
    this.to = b.to;
    this.timeZone = b.timeZone;
    check();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these settings, to make a modified copy. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.startEvent = startEvent;
    b.returnEvent = returnEvent;
    b.period = period;
    b.periods = periods;
    b.mode = mode;
    b.breakdown = breakdown;
    b.from = from;
    b.to = to;
    b.timeZone = timeZone;
    return b;
  }

  /** The event whose first occurrence puts a user in a cohort; empty = any event. */
  public Optional<Step> startEvent() {
    return startEvent;
  }

  /** The event that counts as a return; empty = any event. */
  public Optional<Step> returnEvent() {
    return returnEvent;
  }

  /** Day (default), week or month. */
  public Period period() {
    return period;
  }

  /** How many periods after period 0 are reported; default {@value #DEFAULT_PERIODS}. */
  public int periods() {
    return periods;
  }

  public Mode mode() {
    return mode;
  }

  /**
   * The sessions fact column to break the cohorts down by, as the user named it but in lower case;
   * the result's column is called so.
   */
  public Optional<String> breakdown() {
    return breakdown;
  }

  /** First day (inclusive, in {@link #timeZone()}: UTC by default) of the cohorts reported; the cohort holding it counts in full. */
  public Optional<LocalDate> from() {
    return from;
  }

  /** Last day (inclusive, in {@link #timeZone()}: UTC by default) of the cohorts reported; the cohort holding it counts in full. */
  public Optional<LocalDate> to() {
    return to;
  }

  /**
   * The zone whose calendar {@link #from()}, {@link #to()} and the cohorts' and the periods' days, weeks and months follow (Heap's
   * charts follow the viewer's); UTC by default. Heap's times are UTC, and so is every duration.
   */
  public ZoneId timeZone() {
    return timeZone;
  }

  /** The output columns, in order: the breakdown (when set), then the per-cohort and per-period figures. */
  public List<String> outputColumns() {
    List<String> c = new ArrayList<>();
    breakdown.ifPresent(c::add);
    c.addAll(RetentionPlanner.COLUMNS);
    return c;
  }

  /**
   * Checks the retention against a project's config and returns it: the breakdown must be a column the
   * sessions fact has under {@code config}. The analysis runner calls this before planning.
   */
  public Retention validate(HeapConfig config) {
    Analyses.notNull(WHAT, "config", config, "a config");
    breakdown.ifPresent(c -> Analyses.checkBreakdown(WHAT, "breakdown", c, config));
    return this;
  }

  /**
   * Plans the retention's query in a model's plan function: it reads {@code stg_heap_events_all_inc_fct}
   * and, for a breakdown, {@code stg_heap_sessions_inc_fct}. Its stages are named after the model.
   */
  public RelNode plan(PlanContext ctx) {
    return new RetentionPlanner(this, ctx).plan();
  }

  /** Adds the retention to {@code project} as a table model called {@code name}, one row per cohort and period. */
  public Model addTo(HeapProject project, String name) {
    ModelBuilder m =
        project
            .model(name)
            .description(
                "Retention of users by the " + period.cliName() + " of their first " + label(startEvent) + ", returning with "
                    + label(returnEvent) + " (" + mode.cliName() + ", " + periods + " periods)");
    breakdown.ifPresent(c -> m.column(c, "The value of " + c + " in the session of the user's first start event"));
    RetentionPlanner.COLUMN_DOCS.forEach(m::column);
    return m.plan(this::plan);
  }

  static String label(Optional<Step> event) {
    return event.map(Step::label).orElse("any event");
  }

  private void check() {
    startEvent.ifPresent(s -> Analyses.checkText(WHAT, "start_event", s.label()));
    returnEvent.ifPresent(s -> Analyses.checkText(WHAT, "return_event", s.label()));
    if (periods < 1 || periods > MAX_PERIODS) {
      throw new HeapAnalysisException(WHAT, "periods", "expected 1 to " + MAX_PERIODS + " periods, got " + periods);
    }
    Analyses.checkDates(WHAT, from, to);
  }

  private static boolean isUtc(ZoneId zone) {
    return zone.normalized().equals(ZoneOffset.UTC);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Retention r
        && startEvent.equals(r.startEvent)
        && returnEvent.equals(r.returnEvent)
        && period == r.period
        && periods == r.periods
        && mode == r.mode
        && breakdown.equals(r.breakdown)
        && from.equals(r.from)
        && to.equals(r.to)
        && timeZone.equals(r.timeZone);
  }

  @Override
  public int hashCode() {
    return Objects.hash(startEvent, returnEvent, period, periods, mode, breakdown, from, to, timeZone);
  }

  /**
   * The settings, as one line; also what Jackson writes for this {@code @JsonValue}, so a result holding
   * it serializes with a plain {@code ObjectMapper}.
   */
  @JsonValue
  @Override
  public String toString() {
    return "Retention{start=" + label(startEvent) + ", return=" + label(returnEvent) + ", period=" + period.cliName() + ", periods="
        + periods + ", mode=" + mode.cliName() + ", breakdown=" + breakdown.orElse("-") + ", from="
        + from.map(LocalDate::toString).orElse("-") + ", to=" + to.map(LocalDate::toString).orElse("-")
        + (isUtc(timeZone) ? "" : ", time_zone=" + timeZone.getId()) + "}";
  }

  /** Collects a retention's settings; {@link #build()} checks them. Not thread-safe. */
  public static final class Builder {
    private Optional<Step> startEvent = Optional.empty();
    private Optional<Step> returnEvent = Optional.empty();
    private Period period = Period.DAY;
    private int periods = DEFAULT_PERIODS;
    private Mode mode = Mode.ON;
    private Optional<String> breakdown = Optional.empty();
    private Optional<LocalDate> from = Optional.empty();
    private Optional<LocalDate> to = Optional.empty();
    private ZoneId timeZone = ZoneOffset.UTC;

    private Builder() {}

    /** Cohorts by the first event called {@code eventName} (exact, case-sensitive). */
    public Builder startEvent(String eventName) {
      this.startEvent = Optional.of(Step.event(Analyses.checkText(WHAT, "start_event", eventName)));
      return this;
    }

    /** Cohorts by the first event meeting {@code predicate} on the events fact, labelled {@code label}. */
    public Builder startEvent(String label, EventPredicate predicate) {
      this.startEvent =
          Optional.of(Step.matching(Analyses.notNull(WHAT, "start_event", label, "a label"), Analyses.notNull(WHAT, "start_event", predicate, "a predicate")));
      return this;
    }

    /** Cohorts by each user's first event of any kind (the default). */
    public Builder anyStartEvent() {
      this.startEvent = Optional.empty();
      return this;
    }

    /** A return is an event called {@code eventName} (exact, case-sensitive). */
    public Builder returnEvent(String eventName) {
      this.returnEvent = Optional.of(Step.event(Analyses.checkText(WHAT, "return_event", eventName)));
      return this;
    }

    /** A return is an event meeting {@code predicate} on the events fact, labelled {@code label}. */
    public Builder returnEvent(String label, EventPredicate predicate) {
      this.returnEvent =
          Optional.of(Step.matching(Analyses.notNull(WHAT, "return_event", label, "a label"), Analyses.notNull(WHAT, "return_event", predicate, "a predicate")));
      return this;
    }

    /** A return is any event (the default). */
    public Builder anyReturnEvent() {
      this.returnEvent = Optional.empty();
      return this;
    }

    public Builder period(Period period) {
      this.period = Analyses.notNull(WHAT, "period", period, "day, week or month");
      return this;
    }

    /** How many periods after period 0 to report, 1 to {@value #MAX_PERIODS}. */
    public Builder periods(int periods) {
      this.periods = periods;
      return this;
    }

    public Builder mode(Mode mode) {
      this.mode = Analyses.notNull(WHAT, "mode", mode, "on or on_or_after");
      return this;
    }

    /**
     * Breaks the cohorts down by a column of {@code stg_heap_sessions_inc_fct}, named in full or without
     * its {@code heap_session_} prefix, in any case; the value is the one of the session of each user's
     * first start event.
     */
    public Builder breakdown(String sessionColumn) {
      this.breakdown = Optional.of(Analyses.notNull(WHAT, "breakdown", sessionColumn, "a column name"));
      return this;
    }

    /** First day (inclusive, in {@link #timeZone()}: UTC by default) of the cohorts reported. */
    public Builder from(LocalDate day) {
      this.from = Optional.of(Analyses.notNull(WHAT, "from", day, "a date"));
      return this;
    }

    /** Last day (inclusive, in {@link #timeZone()}: UTC by default) of the cohorts reported. */
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

    /** The retention; a {@link HeapAnalysisException} naming the setting when one is wrong. */
    public Retention build() {
      return new Retention(this);
    }
  }
}
