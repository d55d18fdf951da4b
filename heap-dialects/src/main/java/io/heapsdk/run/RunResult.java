package io.heapsdk.run;

import java.time.Duration;
import java.util.List;

/** What a run built: one entry per model, in build order. */
public record RunResult(List<ModelResult> models) {
  /** One built model: its table, the rows it now holds and how long building it took. */
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
