package io.heapsdk.analysis;

import com.fasterxml.jackson.annotation.JsonValue;
import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.model.Model;
import io.heapsdk.model.ModelBuilder;
import io.heapsdk.model.PlanContext;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.calcite.rel.RelNode;

/**
 * Multi-touch attribution of conversions to the sessions that led to them (SPEC §4). Immutable and
 * thread-safe; build one with {@link #builder()}.
 *
 * <pre>{@code
 * Attribution attribution = Attribution.builder()
 *     .model(AttributionModel.POSITION_BASED)
 *     .lookback(Duration.ofDays(30))
 *     .by("utm_campaign")
 *     .collapseRepeats(true)
 *     .build();
 * }</pre>
 *
 * <ul>
 *   <li><b>Conversions</b> are rows of the events fact whose name is in the config's
 *       {@code conversion_events} (or in {@link Builder#conversionEvents}, or meeting
 *       {@link Builder#conversions}), optionally read from another model that carries a value
 *       ({@link Builder#conversionsFrom}, {@link Builder#value}).
 *   <li><b>Touches</b> are the converting user's sessions that started at most {@link #lookback()}
 *       before the conversion and not after it (both ends inclusive), ordered by start time, then
 *       session id.
 *   <li>{@link #collapseRepeats()} merges consecutive touches with the same {@link #by()} value into
 *       the first of them, before credit is shared.
 *   <li>Each conversion's credit sums to 1 and is shared by {@link #model()}; a conversion without a
 *       touch gives its credit to the {@value #NO_TOUCH} bucket, so the credits of all rows add up to
 *       the number of conversions. Value credited = credit × the conversion's value. Every value
 *       among the touches gets a row, with 0 when the model gives it nothing.
 * </ul>
 */
public final class Attribution {
  /** The bucket credited with conversions that have no touch in the lookback window. */
  public static final String NO_TOUCH = "(none)";

  public static final Duration DEFAULT_LOOKBACK = Duration.ofDays(14);
  public static final Duration DEFAULT_HALF_LIFE = Duration.ofDays(7);
  public static final String DEFAULT_BY = "channel";
  /** The channel the default rules give sessions without a referrer (SPEC §3). */
  public static final String DEFAULT_DIRECT_CHANNEL = "Direct";

  static final String WHAT = "attribution";

  private final AttributionModel model;
  private final Duration lookback;
  private final boolean lookbackUnbounded;
  private final String by;
  private final boolean collapseRepeats;
  private final PositionWeights positionWeights;
  private final Duration halfLife;
  private final List<String> conversionEvents;
  private final Optional<EventPredicate> conversionPredicate;
  private final String conversionsFrom;
  private final Optional<String> value;
  private final String directChannel;
  private final Optional<LocalDate> from;
  private final Optional<LocalDate> to;
  private final ZoneId timeZone;

  /**
   * The shares of the position-based model: first touch, the touches in between, last touch; each in
   * [0, 1], summing to 1.
   */
  public record PositionWeights(double first, double middle, double last) {
    public static final PositionWeights DEFAULT = new PositionWeights(0.4, 0.2, 0.4);

    public PositionWeights {
      for (double w : new double[] {first, middle, last}) {
        if (!(w >= 0 && w <= 1)) {
          throw new HeapAnalysisException(WHAT, "position_weights", "expected shares between 0 and 1, got " + first + "/" + middle + "/" + last);
        }
      }
      if (Math.abs(first + middle + last - 1) > 1e-9) {
        throw new HeapAnalysisException(
            WHAT, "position_weights", "expected shares summing to 1, got " + first + " + " + middle + " + " + last + " = " + (first + middle + last));
      }
    }
  }

  private Attribution(Builder b) {
    this.model = b.model;
    this.lookback = b.lookback;
    this.lookbackUnbounded = b.lookbackUnbounded;
    this.by = Analyses.checkBreakdown(WHAT, "by", b.by);
    this.collapseRepeats = b.collapseRepeats;
    this.positionWeights = b.positionWeights;
    this.halfLife = b.halfLife;
    // not List.copyOf: a null event name must reach check(), which names its index
    this.conversionEvents = java.util.Collections.unmodifiableList(new ArrayList<>(b.conversionEvents));
    this.conversionPredicate = b.conversionPredicate;
    this.conversionsFrom = b.conversionsFrom;
    this.value = b.value;
    this.directChannel = b.directChannel;
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
    b.model = model;
    b.lookback = lookback;
    b.lookbackUnbounded = lookbackUnbounded;
    b.by = by;
    b.collapseRepeats = collapseRepeats;
    b.positionWeights = positionWeights;
    b.halfLife = halfLife;
    b.conversionEvents.addAll(conversionEvents);
    b.conversionPredicate = conversionPredicate;
    b.conversionsFrom = conversionsFrom;
    b.value = value;
    b.directChannel = directChannel;
    b.from = from;
    b.to = to;
    b.timeZone = timeZone;
    return b;
  }

  /** How credit is shared; default {@link AttributionModel#LAST_TOUCH}. */
  public AttributionModel model() {
    return model;
  }

  /**
   * How long before a conversion a session may start and still be a touch (inclusive); default 14 days.
   * Not used when {@link #lookbackUnbounded()}.
   */
  public Duration lookback() {
    return lookback;
  }

  /**
   * Whether every session of the user that started before the conversion is a touch, however long before:
   * first touch is then the user's first session ever, what Heap calls the user's "initial" session
   * (Initial Marketing Channel, Initial Referrer), which Heap Connect does not sync.
   */
  public boolean lookbackUnbounded() {
    return lookbackUnbounded;
  }

  /** The lookback as reports show it: {@code 14d}, or {@code all}. */
  public String lookbackLabel() {
    return lookbackUnbounded ? "all" : Durations.format(lookback);
  }

  /** The sessions fact column credit is reported by, as the user named it but in lower case; default {@code channel}. */
  public String by() {
    return by;
  }

  public boolean collapseRepeats() {
    return collapseRepeats;
  }

  public PositionWeights positionWeights() {
    return positionWeights;
  }

  /** Age at which a touch weighs half as much in the time-decay model; default 7 days. */
  public Duration halfLife() {
    return halfLife;
  }

  /** Event names that are conversions; empty = the config's {@code conversion_events}. */
  public List<String> conversionEvents() {
    return conversionEvents;
  }

  public Optional<EventPredicate> conversionPredicate() {
    return conversionPredicate;
  }

  /** The model conversions are read from; default {@code stg_heap_events_all_inc_fct}. */
  public String conversionsFrom() {
    return conversionsFrom;
  }

  /** The numeric column of {@link #conversionsFrom()} holding each conversion's value, if any. */
  public Optional<String> value() {
    return value;
  }

  /** The channel that counts as direct for {@link AttributionModel#LAST_NON_DIRECT}. */
  public String directChannel() {
    return directChannel;
  }

  /** First day (inclusive, in {@link #timeZone()}: UTC by default) of the conversions counted. */
  public Optional<LocalDate> from() {
    return from;
  }

  /** Last day (inclusive, in {@link #timeZone()}: UTC by default) of the conversions counted. */
  public Optional<LocalDate> to() {
    return to;
  }

  /**
   * The zone whose calendar {@link #from()}, {@link #to()} and the conversions' days follow (Heap's
   * charts follow the viewer's); UTC by default. Heap's times are UTC, and so is every duration.
   */
  public ZoneId timeZone() {
    return timeZone;
  }

  /** The output columns: the {@link #by()} value, conversions credited, value credited. */
  public List<String> outputColumns() {
    return List.of(by, "conversions", "value");
  }

  /**
   * Checks the attribution against a project's config and returns it: {@link #by()} must be a column
   * the sessions fact has under {@code config}. {@link Builder#build} checked everything that does not depend
   * on the config; the analysis runner calls this before planning.
   */
  public Attribution validate(HeapConfig config) {
    Analyses.notNull(WHAT, "config", config, "a config");
    Analyses.checkBreakdown(WHAT, "by", by, config);
    return this;
  }

  /**
   * Plans the attribution's query in a model's plan function: it reads the conversions model and
   * {@code stg_heap_sessions_inc_fct}. Its stages are named after the model.
   */
  public RelNode plan(PlanContext ctx) {
    return new AttributionPlanner(this, ctx).plan();
  }

  /** Adds the attribution to {@code project} as a table model called {@code name}, one row per {@link #by()} value. */
  public Model addTo(HeapProject project, String name) {
    ModelBuilder m =
        project
            .model(name)
            .description("Conversions attributed by " + model.cliName() + " to " + by + " (lookback " + lookbackLabel() + ")")
            .column(by, "The " + by + " of the touches credited; " + NO_TOUCH + " for conversions without a touch")
            .column("conversions", "Conversions credited (each conversion's credit sums to 1)")
            .column("value", "Conversion value credited (credit x value); NULL without a value column");
    return m.plan(this::plan);
  }

  private void check() {
    Analyses.checkDuration(WHAT, "lookback", lookback);
    Analyses.checkDuration(WHAT, "half_life", halfLife);
    Analyses.checkText(WHAT, "direct_channel", directChannel);
    Analyses.checkText(WHAT, "conversions_from", conversionsFrom);
    value.ifPresent(v -> Analyses.checkText(WHAT, "value", v));
    for (int i = 0; i < conversionEvents.size(); i++) {
      Analyses.checkText(WHAT, "conversion_events[" + i + "]", conversionEvents.get(i));
    }
    if (!conversionEvents.isEmpty() && conversionPredicate.isPresent()) {
      throw new HeapAnalysisException(WHAT, "conversions", "give conversion events or a predicate, not both");
    }
    Analyses.checkDates(WHAT, from, to);
  }

  private static boolean isUtc(ZoneId zone) {
    return zone.normalized().equals(ZoneOffset.UTC);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Attribution a
        && model == a.model
        && lookback.equals(a.lookback)
        && lookbackUnbounded == a.lookbackUnbounded
        && by.equals(a.by)
        && collapseRepeats == a.collapseRepeats
        && positionWeights.equals(a.positionWeights)
        && halfLife.equals(a.halfLife)
        && conversionEvents.equals(a.conversionEvents)
        && conversionPredicate.equals(a.conversionPredicate)
        && conversionsFrom.equals(a.conversionsFrom)
        && value.equals(a.value)
        && directChannel.equals(a.directChannel)
        && from.equals(a.from)
        && to.equals(a.to)
        && timeZone.equals(a.timeZone);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        model, lookback, lookbackUnbounded, by, collapseRepeats, positionWeights, halfLife, conversionEvents, conversionPredicate,
        conversionsFrom, value, directChannel, from, to, timeZone);
  }

  /**
   * The settings, as one line; also what Jackson writes for this {@code @JsonValue}, so a result holding
   * it serializes with a plain {@code ObjectMapper}.
   */
  @JsonValue
  @Override
  public String toString() {
    return "Attribution{model=" + model.cliName() + ", lookback=" + lookbackLabel() + ", by=" + by + ", collapseRepeats="
        + collapseRepeats + ", positionWeights=" + positionWeights + ", halfLife=" + Durations.format(halfLife) + ", conversionEvents="
        + conversionEvents + ", conversionPredicate=" + conversionPredicate.map(p -> "(predicate)").orElse("-")
        + ", conversionsFrom=" + conversionsFrom + ", value=" + value.orElse("-") + ", directChannel=" + directChannel
        + ", from=" + from.map(LocalDate::toString).orElse("-") + ", to=" + to.map(LocalDate::toString).orElse("-")
        + (isUtc(timeZone) ? "" : ", time_zone=" + timeZone.getId()) + "}";
  }

  /** Collects an attribution's settings; {@link #build()} checks them. Not thread-safe. */
  public static final class Builder {
    private AttributionModel model = AttributionModel.LAST_TOUCH;
    private Duration lookback = DEFAULT_LOOKBACK;
    private boolean lookbackUnbounded;
    private String by = DEFAULT_BY;
    private boolean collapseRepeats;
    private PositionWeights positionWeights = PositionWeights.DEFAULT;
    private Duration halfLife = DEFAULT_HALF_LIFE;
    private final List<String> conversionEvents = new ArrayList<>();
    private Optional<EventPredicate> conversionPredicate = Optional.empty();
    private String conversionsFrom = Analyses.EVENTS_FACT;
    private Optional<String> value = Optional.empty();
    private String directChannel = DEFAULT_DIRECT_CHANNEL;
    private Optional<LocalDate> from = Optional.empty();
    private Optional<LocalDate> to = Optional.empty();
    private ZoneId timeZone = ZoneOffset.UTC;

    private Builder() {}

    public Builder model(AttributionModel model) {
      this.model = Analyses.notNull(WHAT, "model", model, "an attribution model");
      return this;
    }

    /** How long before a conversion a touch may start; a positive whole number of seconds, at most 3650 days. */
    public Builder lookback(Duration lookback) {
      this.lookback = lookback;
      this.lookbackUnbounded = false;
      return this;
    }

    /**
     * Every earlier session of the user is a touch, however long before the conversion: first touch is
     * the user's first session ever (Heap's "initial" session). A {@link #lookback(Duration)} given after
     * this sets a bound again.
     */
    public Builder lookbackUnbounded() {
      this.lookbackUnbounded = true;
      return this;
    }

    /**
     * The sessions fact column to credit, named in full or without its {@code heap_session_} prefix:
     * {@code channel} (the default), {@code utm_source}, {@code utm_campaign}, {@code utm_medium}, ….
     */
    public Builder by(String sessionColumn) {
      this.by = sessionColumn;
      return this;
    }

    /** Merge consecutive touches with the same {@link #by} value into the first of them. */
    public Builder collapseRepeats(boolean collapse) {
      this.collapseRepeats = collapse;
      return this;
    }

    /** Shares of the position-based model: first, middle, last (default 0.4, 0.2, 0.4). */
    public Builder positionWeights(double first, double middle, double last) {
      this.positionWeights = new PositionWeights(first, middle, last);
      return this;
    }

    /** Half-life of the time-decay model (default 7 days). */
    public Builder halfLife(Duration halfLife) {
      this.halfLife = halfLife;
      return this;
    }

    /** Conversions are these events instead of the config's {@code conversion_events}. */
    public Builder conversionEvents(String... eventNames) {
      Analyses.notNull(WHAT, "conversion_events", eventNames, "event names");
      // each is checked by build(), nulls too
      conversionEvents.addAll(java.util.Arrays.asList(eventNames));
      return this;
    }

    /** Conversions are the rows meeting {@code predicate} (on the conversions model). */
    public Builder conversions(EventPredicate predicate) {
      this.conversionPredicate = Optional.of(Analyses.notNull(WHAT, "conversions", predicate, "a predicate"));
      return this;
    }

    /**
     * Reads conversions from another model of the project, one row per conversion, with columns
     * {@code heap_event_id} (unique), {@code heap_user_id} and {@code heap_event_time} (and
     * {@code heap_event_name} for {@link #conversionEvents}). Without events or a predicate, every row
     * of it is a conversion.
     */
    public Builder conversionsFrom(String model) {
      this.conversionsFrom = model;
      return this;
    }

    /** The numeric column of the conversions model holding each conversion's value (revenue). */
    public Builder value(String column) {
      this.value = Optional.of(Analyses.notNull(WHAT, "value", column, "a column name"));
      return this;
    }

    /** The channel that counts as direct for {@link AttributionModel#LAST_NON_DIRECT} (default {@code Direct}). */
    public Builder directChannel(String channel) {
      this.directChannel = channel;
      return this;
    }

    public Builder from(LocalDate day) {
      this.from = Optional.of(Analyses.notNull(WHAT, "from", day, "a date"));
      return this;
    }

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

    /** The attribution; a {@link HeapAnalysisException} naming the setting when one is wrong. */
    public Attribution build() {
      return new Attribution(this);
    }
  }
}
