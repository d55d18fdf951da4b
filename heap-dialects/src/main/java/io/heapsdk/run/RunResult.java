package io.heapsdk.run;

import io.heapsdk.warehouse.BuildPlan;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;

/**
 * What a run did: its mode; per model (in build order) the rows its table holds and the time its own
 * statements took; every step of the run in order with its time ({@link StepTiming}); and the wall time
 * of the whole run, from taking the lock to releasing it. The steps cover the whole run, so their times
 * add up to {@code total} (up to the logging in between); the models' times are the part spent in
 * their own statements only. An incremental run also says how many users it recomputed (the rows of its
 * active-users working table): every user with a source row at or after the mark minus the late-arrival
 * lookback, so a daily run recomputes about that many days of users, not one day's; empty for a full
 * refresh. {@code warnings} are what the run found and could not do anything about, also logged at WARN:
 * source rows that arrived behind its mark since the last run ({@code SourceRowsBehindMark}), which no
 * incremental run sees.
 */
public record RunResult(
    BuildPlan.Mode mode,
    List<ModelResult> models,
    List<StepTiming> steps,
    Duration total,
    OptionalLong recomputedUsers,
    List<String> warnings) {
  /** One built model: its table, the rows it now holds and how long its statements took. */
  public record ModelResult(String model, String table, long rows, Duration elapsed) {}

  /** The phase of the run-state bookkeeping: state tables, lock, heartbeats, leftovers, recording the run. */
  public static final String RUN_STATE = "run state";

  /** The phase of deciding the run: reading the catalog and the recorded state. */
  public static final String PLAN = "plan";

  /** The phase of counting each built model's rows for the summary. */
  public static final String ROW_COUNTS = "row counts";

  /**
   * One step of a run: its phase (a {@link BuildPlan.Phase} in lower case, or {@link #RUN_STATE},
   * {@link #PLAN}, {@link #ROW_COUNTS}), what it worked on (a model, a working table's model, or the
   * models of the one apply transaction joined by {@code ", "}), how many statements it ran and its time.
   */
  public record StepTiming(String phase, String model, int statements, Duration elapsed) {}

  public RunResult {
    models = List.copyOf(models);
    steps = List.copyOf(steps);
    warnings = List.copyOf(warnings);
  }

  /** A result without warnings. */
  public RunResult(BuildPlan.Mode mode, List<ModelResult> models, List<StepTiming> steps, Duration total, OptionalLong recomputedUsers) {
    this(mode, models, steps, total, recomputedUsers, List.of());
  }

  /** A result that does not say how many users were recomputed. */
  public RunResult(BuildPlan.Mode mode, List<ModelResult> models, List<StepTiming> steps, Duration total) {
    this(mode, models, steps, total, OptionalLong.empty());
  }

  /** A result without step timings: its total is the sum of the models' times. */
  public RunResult(BuildPlan.Mode mode, List<ModelResult> models) {
    this(mode, models, List.of(), models.stream().map(ModelResult::elapsed).reduce(Duration.ZERO, Duration::plus));
  }

  public ModelResult model(String name) {
    return models.stream()
        .filter(m -> m.model().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("model " + name + " was not built"));
  }

  /** The sum of the steps' times. */
  public Duration stepsTotal() {
    return steps.stream().map(StepTiming::elapsed).reduce(Duration.ZERO, Duration::plus);
  }
}
