package io.heapsdk.model;

import io.heapsdk.config.HeapConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every model of a project, planned, in dependency order (a model comes after every model it refs).
 * Warehouse-neutral; immutable.
 */
public final class ProjectPlan {
  private final HeapConfig config;
  private final Map<String, PlannedModel> models;

  ProjectPlan(HeapConfig config, List<PlannedModel> inOrder) {
    this.config = config;
    Map<String, PlannedModel> m = new LinkedHashMap<>();
    inOrder.forEach(p -> m.put(p.name(), p));
    this.models = m;
  }

  public HeapConfig config() {
    return config;
  }

  /** All models in dependency order. */
  public List<PlannedModel> models() {
    return List.copyOf(models.values());
  }

  /** The models that become tables, in build order. */
  public List<PlannedModel> materialized() {
    return models.values().stream()
        .filter(p -> p.model().materialization().isMaterialized())
        .collect(Collectors.toList());
  }

  public PlannedModel model(String name) {
    PlannedModel p = models.get(name);
    if (p == null) {
      throw new HeapModelException(name, "no such model; models are " + models.keySet());
    }
    return p;
  }

  /**
   * The ephemeral models {@code name} reads, directly or through other ephemeral models, in dependency
   * order: the ones to inline as CTEs when rendering it.
   */
  public List<PlannedModel> ephemeralUpstream(String name) {
    Set<String> seen = new LinkedHashSet<>();
    collectEphemeral(model(name), seen);
    List<PlannedModel> result = new ArrayList<>();
    for (PlannedModel p : models.values()) {
      if (seen.contains(p.name())) {
        result.add(p);
      }
    }
    return result;
  }

  private void collectEphemeral(PlannedModel p, Set<String> seen) {
    for (String ref : p.refs()) {
      PlannedModel up = model(ref);
      if (up.model().materialization() == Materialization.EPHEMERAL && seen.add(ref)) {
        collectEphemeral(up, seen);
      }
    }
  }
}
