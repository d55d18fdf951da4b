package io.heapsdk.run;

import io.heapsdk.warehouse.BuildPlan;
import java.time.Duration;
import java.util.List;

/** What a run did: its mode, and per model (in build order) the rows its table holds and the time spent. */
public record RunResult(BuildPlan.Mode mode, List<ModelResult> models) {
  /** One built model: its table, the rows it now holds and how long its statements took. */
  public record ModelResult(String model, String table, long rows, Duration elapsed) {}

  public RunResult {
    models = List.copyOf(models);
  }

  public ModelResult model(String name) {
    return models.stream()
        .filter(m -> m.model().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("model " + name + " was not built"));
  }
}
