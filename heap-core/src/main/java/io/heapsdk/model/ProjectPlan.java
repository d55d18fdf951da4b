package io.heapsdk.model;

import io.heapsdk.internal.NearestNames;
import io.heapsdk.config.HeapConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every model of a project, planned, in dependency order (a model comes after every model it refs):
 * the full query of each model, and for projects with incremental models, the queries of an incremental
 * run ({@link #incremental()}). Warehouse-neutral; immutable.
 */
public final class ProjectPlan {
  private final HeapConfig config;
  private final Map<String, PlannedModel> models;
  private final Optional<IncrementalPlan> incremental;

  ProjectPlan(HeapConfig config, List<PlannedModel> inOrder, Optional<IncrementalPlan> incremental) {
    this.config = config;
    this.models = index(inOrder);
    this.incremental = incremental;
  }

  private static Map<String, PlannedModel> index(List<PlannedModel> inOrder) {
    Map<String, PlannedModel> m = new LinkedHashMap<>();
    inOrder.forEach(p -> m.put(p.name(), p));
    return m;
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

  /** The full query of a model. */
  public PlannedModel model(String name) {
    return find(models, name);
  }

  /**
   * The ephemeral models {@code name} reads, directly or through other ephemeral models, in dependency
   * order: the ones to inline as CTEs when rendering its full query.
   */
  public List<PlannedModel> ephemeralUpstream(String name) {
    return ephemeralUpstream(models, name);
  }

  /**
   * The queries of an incremental run; empty when the project has no incremental model, or when this plan
   * comes from {@link HeapProject#planFull()}, which does not plan them.
   */
  public Optional<IncrementalPlan> incremental() {
    return incremental;
  }

  /** The incremental models of a plan made by {@link HeapProject#planFull()}: there, they have no incremental queries. */
  public List<String> incrementalModelsWithoutQueries() {
    if (incremental.isPresent()) {
      return List.of();
    }
    return models.values().stream().filter(p -> p.model().materialization() == Materialization.INCREMENTAL).map(PlannedModel::name).toList();
  }

  /**
   * {@link #incremental()}, or an {@link IllegalStateException} saying why there is none: the project has
   * no incremental model, or the plan comes from {@link HeapProject#planFull()}.
   */
  public IncrementalPlan requireIncremental() {
    if (incremental.isPresent()) {
      return incremental.get();
    }
    List<String> unplanned = incrementalModelsWithoutQueries();
    throw new IllegalStateException(
        unplanned.isEmpty()
            ? "the project has no incremental model"
            : "the plan comes from HeapProject.planFull(), which plans no incremental queries (of " + String.join(", ", unplanned)
                + "): HeapProject.plan() does");
  }

  private static PlannedModel find(Map<String, PlannedModel> models, String name) {
    PlannedModel p = models.get(name);
    if (p == null) {
      throw new HeapModelException(name, "no such model" + NearestNames.didYouMean(name, models.keySet(), "models are", models.keySet().toString()));
    }
    return p;
  }

  private static List<PlannedModel> ephemeralUpstream(Map<String, PlannedModel> models, String name) {
    return ephemeralUpstream(models, find(models, name));
  }

  private static List<PlannedModel> ephemeralUpstream(Map<String, PlannedModel> models, PlannedModel model) {
    Set<String> seen = new LinkedHashSet<>();
    collectEphemeral(models, model, seen);
    List<PlannedModel> result = new ArrayList<>();
    for (PlannedModel p : models.values()) {
      if (seen.contains(p.name())) {
        result.add(p);
      }
    }
    return result;
  }

  private static void collectEphemeral(Map<String, PlannedModel> models, PlannedModel p, Set<String> seen) {
    for (String ref : p.refs()) {
      PlannedModel up = models.get(ref);
      if (up != null && up.model().materialization() == Materialization.EPHEMERAL && seen.add(ref)) {
        collectEphemeral(models, up, seen);
      }
    }
  }

  /**
   * The queries of an incremental run: the active users, then for every incremental model (in
   * dependency order) the query of its recomputed rows, which reads only active users' source rows and
   * the recomputed rows of the incremental models it refs.
   */
  public static final class IncrementalPlan {
    private final PlannedModel activeUsers;
    private final Map<String, PlannedModel> models;
    private final Map<String, PlannedModel> fullModels;

    private final List<PlannedModel> activeUsersEphemerals;

    private final PlannedModel highWaterMark;

    /** Plans the active users of a run that merges only the given facts; memoized per set. */
    private final Function<Set<String>, PlannedModel> activeUsersMerging;

    private final Map<Set<String>, PlannedModel> activeUsersByMerged = new ConcurrentHashMap<>();

    IncrementalPlan(
        PlannedModel highWaterMark,
        PlannedModel activeUsers,
        Function<Set<String>, PlannedModel> activeUsersMerging,
        List<PlannedModel> fullModels,
        List<PlannedModel> inOrder) {
      this.highWaterMark = highWaterMark;
      this.activeUsers = activeUsers;
      this.activeUsersMerging = activeUsersMerging;
      this.fullModels = index(fullModels);
      this.activeUsersEphemerals = List.copyOf(ProjectPlan.ephemeralUpstream(this.fullModels, activeUsers));
      this.models = index(inOrder);
    }

    /**
     * The query of the run's high-water mark: one row, one column {@code since} (NULL when some fact is
     * empty: then every user is active).
     */
    public PlannedModel highWaterMark() {
      return highWaterMark;
    }

    /** The query of the run's active users: one column, {@code heap_user_id}; reads the mark's table. */
    public PlannedModel activeUsers() {
      return activeUsers;
    }

    /**
     * The query of the active users of a run that rebuilds {@code rebuiltInFull} from their full query
     * and merges the other facts: a reconciling run reads the merged facts' keys (a vanished version of
     * an id is only there), and a fact rebuilt in full may have no table yet. The same as {@link
     * #activeUsers()} when every fact is merged.
     */
    public PlannedModel activeUsers(Set<String> rebuiltInFull) {
      Set<String> merged = new TreeSet<>();
      facts().forEach(f -> merged.add(f.name()));
      merged.removeAll(rebuiltInFull);
      if (merged.size() == facts().size()) {
        return activeUsers;
      }
      return activeUsersByMerged.computeIfAbsent(Set.copyOf(merged), activeUsersMerging);
    }

    /** The ephemeral models to inline as CTEs into the active users query (full queries). */
    public List<PlannedModel> activeUsersEphemerals() {
      return activeUsersEphemerals;
    }

    /** The ephemeral models to inline as CTEs into {@code activeUsers}, one of the queries above. */
    public List<PlannedModel> activeUsersEphemerals(PlannedModel activeUsers) {
      return activeUsers == this.activeUsers
          ? activeUsersEphemerals
          : List.copyOf(ProjectPlan.ephemeralUpstream(fullModels, activeUsers));
    }

    /** The incremental models, in dependency order. */
    public List<PlannedModel> facts() {
      return models.values().stream()
          .filter(p -> p.model().materialization() == Materialization.INCREMENTAL)
          .collect(Collectors.toList());
    }

    /** The incremental query of an incremental or ephemeral model. */
    public PlannedModel model(String name) {
      return find(models, name);
    }

    /** The ephemeral models to inline as CTEs into {@code name}'s incremental query. */
    public List<PlannedModel> ephemeralUpstream(String name) {
      return ProjectPlan.ephemeralUpstream(models, name);
    }
  }
}
