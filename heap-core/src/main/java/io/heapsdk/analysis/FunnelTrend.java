package io.heapsdk.analysis;

import com.fasterxml.jackson.annotation.JsonValue;
import io.heapsdk.model.HeapProject;
import io.heapsdk.model.Model;
import io.heapsdk.model.ModelBuilder;
import io.heapsdk.model.PlanContext;
import io.heapsdk.model.TimeGrain;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apache.calcite.rel.RelNode;

/**
 * A funnel's conversion over time: per day, week or month of entry, how many units entered (had a
 * counting attempt that started then) and how many of them reached the last step. A unit counts once
 * per period, with the best of the attempts that started in it (the funnel's rule for choosing the
 * counting attempt, exclusions included), so it may count in several periods. Periods nobody entered
 * in have no row. Immutable; made by {@link Funnel#trend}.
 */
public final class FunnelTrend {
  /** The output columns after the breakdown (when the funnel has one). */
  static final List<String> COLUMNS = List.of("period", "entered", "converted", "conversion");

  private final Funnel funnel;
  private final TimeGrain grain;

  FunnelTrend(Funnel funnel, TimeGrain grain) {
    this.funnel = Objects.requireNonNull(funnel, "funnel");
    this.grain = Analyses.notNull(Funnel.WHAT, "trend", grain, "a time grain (day, week or month)");
  }

  public Funnel funnel() {
    return funnel;
  }

  /** The length of a period; a week starts on Monday (UTC), as {@link io.heapsdk.model.Exprs#truncate} does everywhere. */
  public TimeGrain grain() {
    return grain;
  }

  /** The output columns, in order: the breakdown (when set), {@code period}, {@code entered}, {@code converted}, {@code conversion}. */
  public List<String> outputColumns() {
    List<String> c = new ArrayList<>();
    funnel.breakdown().ifPresent(c::add);
    c.addAll(COLUMNS);
    return c;
  }

  /** Plans the trend's query: as {@link Funnel#plan}, reading the same facts. */
  RelNode plan(PlanContext ctx) {
    return new FunnelPlanner(funnel, ctx).trend(grain);
  }

  /** Adds the trend to {@code project} as a table model called {@code name}, one row per period (and breakdown value). */
  public Model addTo(HeapProject project, String name) {
    ModelBuilder m = project.model(name).description("Conversion per " + grain.name().toLowerCase(Locale.ROOT) + " of entry: " + funnel);
    funnel.breakdown().ifPresent(c -> m.column(c, funnel.breakdownDoc()));
    columnDocs().forEach(m::column);
    return m.plan(this::plan);
  }

  private static Map<String, String> columnDocs() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("period", "First day (UTC) of the day, week (Monday) or month the counting attempts started in");
    m.put("entered", "Units with a counting attempt that started in the period");
    m.put("converted", "Those of them whose attempt reached the last step");
    m.put("conversion", "converted / entered");
    return m;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FunnelTrend t && funnel.equals(t.funnel) && grain == t.grain;
  }

  @Override
  public int hashCode() {
    return Objects.hash(funnel, grain);
  }

  /**
   * The settings, as one line; also what Jackson writes for this {@code @JsonValue}, so a result holding
   * it serializes with a plain {@code ObjectMapper}.
   */
  @JsonValue
  @Override
  public String toString() {
    return "FunnelTrend{" + grain.name().toLowerCase(Locale.ROOT) + ", " + funnel + "}";
  }
}
