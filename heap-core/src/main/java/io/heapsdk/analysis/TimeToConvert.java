package io.heapsdk.analysis;

import com.fasterxml.jackson.annotation.JsonValue;
import io.heapsdk.model.HeapProject;
import io.heapsdk.model.Model;
import io.heapsdk.model.PlanContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import org.apache.calcite.rel.RelNode;

/**
 * How long units take from one step of a funnel to a later one: a histogram of whole seconds between
 * the counting attempt's two steps, over the units that reached the later step (the funnel's counting
 * rule, exclusions included). Immutable; made by {@link Funnel#timeToConvert}.
 *
 * <p>The bins are equal-width, from the smallest time to the largest, as PostHog draws its
 * time-to-convert chart: the width is ⌈(largest − smallest) / bins⌉ seconds, at least 1; each bin holds
 * the times from its {@code from_seconds} up to, not including, its {@code to_seconds}, except the last,
 * which also holds its upper edge (numpy's {@code histogram} convention). Without a bin count, it is
 * ⌈∛units⌉ between 1 and {@value #AUTO_MAX_BINS} (PostHog's rule). Every bin has a row, empty ones
 * too; no unit reaching the later step, no rows.
 */
public final class TimeToConvert {
  /** The most bins one may ask for. */
  public static final int MAX_BINS = 100;

  /** The most bins the automatic count gives (PostHog's limit). */
  public static final int AUTO_MAX_BINS = 60;

  static final List<String> COLUMNS = List.of("bin", "from_seconds", "to_seconds", "units", "share");

  private final Funnel funnel;
  private final int fromStep;
  private final int toStep;
  private final OptionalInt bins;

  TimeToConvert(Funnel funnel, int fromStep, int toStep, OptionalInt bins) {
    this.funnel = Objects.requireNonNull(funnel, "funnel");
    int k = funnel.steps().size();
    if (fromStep < 1 || toStep > k || fromStep >= toStep) {
      throw new HeapAnalysisException(
          Funnel.WHAT, "timeToConvert", "expected two steps from 1 to " + k + ", the first before the second, got " + fromStep + "-" + toStep);
    }
    if (bins.isPresent() && (bins.getAsInt() < 1 || bins.getAsInt() > MAX_BINS)) {
      throw new HeapAnalysisException(Funnel.WHAT, "bins", "expected 1 to " + MAX_BINS + " bins, got " + bins.getAsInt());
    }
    if (funnel.breakdown().isPresent()) {
      throw new HeapAnalysisException(
          Funnel.WHAT, "timeToConvert", "gives one histogram for all units; remove the breakdown (" + funnel.breakdown().get() + ")");
    }
    this.fromStep = fromStep;
    this.toStep = toStep;
    this.bins = bins;
  }

  public Funnel funnel() {
    return funnel;
  }

  /** The step the time is measured from (1-based). */
  public int fromStep() {
    return fromStep;
  }

  /** The step the time is measured to (1-based); only units that reached it count. */
  public int toStep() {
    return toStep;
  }

  /** The number of bins asked for; empty for the automatic ⌈∛units⌉ (1 to {@value #AUTO_MAX_BINS}). */
  public OptionalInt bins() {
    return bins;
  }

  /** The output columns: {@code bin}, {@code from_seconds}, {@code to_seconds}, {@code units}, {@code share}. */
  public List<String> outputColumns() {
    return COLUMNS;
  }

  RelNode plan(PlanContext ctx) {
    return new FunnelPlanner(funnel, ctx).timeToConvert(this);
  }

  /** Adds the histogram to {@code project} as a table model called {@code name}, one row per bin. */
  public Model addTo(HeapProject project, String name) {
    var m = project.model(name).description("Time to convert from step " + fromStep + " to step " + toStep + ": " + funnel);
    columnDocs().forEach(m::column);
    return m.plan(this::plan);
  }

  private static Map<String, String> columnDocs() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("bin", "1-based position of the bin");
    m.put("from_seconds", "Shortest time in the bin, whole seconds");
    m.put("to_seconds", "End of the bin: times up to it, not including it (the last bin includes it)");
    m.put("units", "Units whose time falls in the bin");
    m.put("share", "units / all units that reached the later step");
    return m;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TimeToConvert t && funnel.equals(t.funnel) && fromStep == t.fromStep && toStep == t.toStep && bins.equals(t.bins);
  }

  @Override
  public int hashCode() {
    return Objects.hash(funnel, fromStep, toStep, bins);
  }

  /**
   * The settings, as one line; also what Jackson writes for this {@code @JsonValue}, so a result holding
   * it serializes with a plain {@code ObjectMapper}.
   */
  @JsonValue
  @Override
  public String toString() {
    return "TimeToConvert{" + fromStep + "-" + toStep + ", bins=" + (bins.isPresent() ? String.valueOf(bins.getAsInt()) : "auto") + ", " + funnel + "}";
  }
}
