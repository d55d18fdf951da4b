package io.heapsdk.analysis;

import com.fasterxml.jackson.annotation.JsonValue;
import io.heapsdk.model.HeapProject;
import io.heapsdk.model.Model;
import io.heapsdk.model.ModelBuilder;
import io.heapsdk.model.PlanContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.apache.calcite.rel.RelNode;

/**
 * The most frequent paths: the sequences of the {@code K} events (or pages) users — or sessions — went
 * through after, or before, an event. Immutable and thread-safe; build one with {@link #builder()}.
 *
 * <pre>{@code
 * Paths paths = Paths.builder()
 *     .event("view_product")               // the anchor
 *     .steps(3)                            // 3 events after it
 *     .top(10)                             // the 10 most frequent paths
 *     .direction(Paths.Direction.AFTER)    // or BEFORE
 *     .unit(Funnel.Unit.SESSION)           // USER (default) or SESSION
 *     .source(Paths.Source.PAGEVIEWS)      // EVENTS (default): event names; PAGEVIEWS: page paths
 *     .exclude("pageviews")                // items left out before anything else
 *     .build();
 * }</pre>
 *
 * <p>How it counts:
 *
 * <ul>
 *   <li>Each user's (or session's) items are ordered by time, then id: the event names of the events
 *       fact, or the {@code heap_pageview_path} of the pageviews fact. Items without a time, a user, a
 *       name (or path) and, per session, a session are left out, and so are the {@link #exclusions()}
 *       (Heap's events fact also holds every pageview as an event called {@code pageviews}, which an
 *       event path may not want).
 *   <li>Consecutive repeats are collapsed, as PostHog does: {@code a a b} is the path {@code a b} (a page
 *       reloaded is one step). {@link Builder#collapseRepeats(boolean) collapseRepeats(false)} keeps them.
 *   <li>The anchor is the unit's first occurrence of {@link #event()} (after collapsing). The path is
 *       the {@link #steps()} items right after it, or right before it in time order; the anchor itself
 *       is not a step. A unit with fewer items there has a shorter path (NULL steps: after its end, or
 *       before its start).
 *   <li>Each unit that did the event has exactly one path; {@code count} is the number of units with
 *       that path, {@code share} its share of all of them (top paths or not). The top {@link #top()}
 *       paths are kept: most units first, then by steps (NULL last), so ties are cut the same way
 *       everywhere.
 * </ul>
 */
public final class Paths {
  public static final int DEFAULT_STEPS = 3;
  public static final int DEFAULT_TOP = 10;
  /** Each step is a column of the result; longer paths are rarely shared by two users anyway. */
  public static final int MAX_STEPS = 20;
  public static final int MAX_TOP = 1000;

  static final String WHAT = "paths";

  /** Which side of the anchor the path is on. */
  public enum Direction {
    /** The items after the anchor. */
    AFTER,
    /** The items before the anchor, in time order (the last step right before it). */
    BEFORE;

    public String cliName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** What a step of a path is. */
  public enum Source {
    /** Event names of the events fact ({@code heap_event_name}). */
    EVENTS,
    /** Page paths of the pageviews fact ({@code heap_pageview_path}); the anchor is a page path too. */
    PAGEVIEWS;

    public String cliName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final String event;
  private final int steps;
  private final int top;
  private final Direction direction;
  private final Funnel.Unit unit;
  private final Source source;
  private final boolean collapseRepeats;
  private final List<String> exclusions;

  private Paths(Builder b) {
    this.event = b.event;
    this.steps = b.steps;
    this.top = b.top;
    this.direction = b.direction;
    this.unit = b.unit;
    this.source = b.source;
    this.collapseRepeats = b.collapseRepeats;
    this.exclusions = List.copyOf(b.exclusions);
    check();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these settings, to make a modified copy. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.event = event;
    b.steps = steps;
    b.top = top;
    b.direction = direction;
    b.unit = unit;
    b.source = source;
    b.collapseRepeats = collapseRepeats;
    b.exclusions.addAll(exclusions);
    return b;
  }

  /** The anchor: an event name, or a page path with {@link Source#PAGEVIEWS}. */
  public String event() {
    return event;
  }

  /** Items per path; default {@value #DEFAULT_STEPS}. */
  public int steps() {
    return steps;
  }

  /** How many of the most frequent paths are reported; default {@value #DEFAULT_TOP}. */
  public int top() {
    return top;
  }

  public Direction direction() {
    return direction;
  }

  /** What has a path: a user (default) or a session (Heap's {@code heap_session_id}). */
  public Funnel.Unit unit() {
    return unit;
  }

  public Source source() {
    return source;
  }

  /** Whether consecutive repeats of an item count as one step (default true). */
  public boolean collapseRepeats() {
    return collapseRepeats;
  }

  /** Items (event names or page paths) left out of every path, as if they had not happened. */
  public List<String> exclusions() {
    return exclusions;
  }

  /** The output columns: {@code rank}, {@code step_1} … {@code step_K}, {@code count}, {@code share}. */
  public List<String> outputColumns() {
    List<String> c = new ArrayList<>();
    c.add("rank");
    for (int j = 1; j <= steps; j++) {
      c.add(PathsPlanner.step(j));
    }
    c.add("count");
    c.add("share");
    return c;
  }

  /**
   * Plans the query in a model's plan function: it reads {@code stg_heap_events_all_inc_fct}, or
   * {@code stg_heap_pageview_sessions_inc_fct} for page paths. Its stages are named after the model.
   */
  public RelNode plan(PlanContext ctx) {
    return new PathsPlanner(this, ctx).plan();
  }

  /** Adds the paths analysis to {@code project} as a table model called {@code name}, one row per path. */
  public Model addTo(HeapProject project, String name) {
    ModelBuilder m =
        project
            .model(name)
            .description(
                "The " + top + " most frequent paths of " + steps + " " + (source == Source.EVENTS ? "events" : "pages") + " "
                    + direction.cliName() + " " + event + ", per " + unit.cliName());
    m.column("rank", "1 for the most frequent path");
    for (int j = 1; j <= steps; j++) {
      m.column(PathsPlanner.step(j), "Step " + j + " of the path, in time order; NULL where the path is shorter");
    }
    m.column("count", "Units (users or sessions) with this path");
    m.column("share", "count / all units that did the anchor event");
    return m.plan(this::plan);
  }

  private void check() {
    Analyses.checkText(WHAT, "event", event);
    if (steps < 1 || steps > MAX_STEPS) {
      throw new HeapAnalysisException(WHAT, "steps", "expected 1 to " + MAX_STEPS + " steps, got " + steps);
    }
    if (top < 1 || top > MAX_TOP) {
      throw new HeapAnalysisException(WHAT, "top", "expected 1 to " + MAX_TOP + " paths, got " + top);
    }
    for (int i = 0; i < exclusions.size(); i++) {
      if (exclusions.get(i).equals(event)) {
        throw new HeapAnalysisException(WHAT, "exclusions[" + i + "]", "\"" + event + "\" is the event the paths start (or end) at");
      }
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Paths p
        && event.equals(p.event)
        && steps == p.steps
        && top == p.top
        && direction == p.direction
        && unit == p.unit
        && source == p.source
        && collapseRepeats == p.collapseRepeats
        && exclusions.equals(p.exclusions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(event, steps, top, direction, unit, source, collapseRepeats, exclusions);
  }

  /**
   * The settings, as one line; also what Jackson writes for this {@code @JsonValue}, so a result holding
   * it serializes with a plain {@code ObjectMapper}.
   */
  @JsonValue
  @Override
  public String toString() {
    return "Paths{event=" + event + ", steps=" + steps + ", top=" + top + ", direction=" + direction.cliName() + ", unit=" + unit.cliName()
        + ", source=" + source.cliName() + ", collapseRepeats=" + collapseRepeats + ", exclusions=" + exclusions + "}";
  }

  /** Collects the settings; {@link #build()} checks them. Not thread-safe. */
  public static final class Builder {
    private String event;
    private int steps = DEFAULT_STEPS;
    private int top = DEFAULT_TOP;
    private Direction direction = Direction.AFTER;
    private Funnel.Unit unit = Funnel.Unit.USER;
    private Source source = Source.EVENTS;
    private boolean collapseRepeats = true;
    private final List<String> exclusions = new ArrayList<>();

    private Builder() {}

    /** The anchor: an event name (exact, case-sensitive), or a page path with {@link Source#PAGEVIEWS}. */
    public Builder event(String event) {
      this.event = Analyses.checkText(WHAT, "event", event);
      return this;
    }

    /** Items per path, 1 to {@value #MAX_STEPS}. */
    public Builder steps(int steps) {
      this.steps = steps;
      return this;
    }

    /** How many paths to report, 1 to {@value #MAX_TOP}. */
    public Builder top(int top) {
      this.top = top;
      return this;
    }

    public Builder direction(Direction direction) {
      this.direction = Analyses.notNull(WHAT, "direction", direction, "after or before");
      return this;
    }

    public Builder unit(Funnel.Unit unit) {
      this.unit = Analyses.notNull(WHAT, "unit", unit, "user or session");
      return this;
    }

    public Builder source(Source source) {
      this.source = Analyses.notNull(WHAT, "source", source, "events or pageviews");
      return this;
    }

    /** Whether consecutive repeats of an item count as one step (default true). */
    public Builder collapseRepeats(boolean collapse) {
      this.collapseRepeats = collapse;
      return this;
    }

    /** Leaves these items (event names, or page paths) out of every path, as if they had not happened. */
    public Builder exclude(String... items) {
      Analyses.notNull(WHAT, "exclusions", items, "event names");
      for (String item : items) {
        exclusions.add(Analyses.checkText(WHAT, "exclusions[" + exclusions.size() + "]", item));
      }
      return this;
    }

    /** The paths analysis; a {@link HeapAnalysisException} naming the setting when one is wrong. */
    public Paths build() {
      if (event == null) {
        throw new HeapAnalysisException(WHAT, "event", "expected the event the paths start (or end) at, got none");
      }
      return new Paths(this);
    }
  }
}
