package io.heapsdk.model;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.standard.StandardModels;
import io.heapsdk.quality.DataTest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A set of models over one config: the standard Heap models and the user's own, defined the same way.
 *
 * <pre>{@code
 * HeapProject project = HeapProject.standard(config);
 * project.model("sessions_per_country")
 *     .description("Sessions per country")
 *     .plan(ctx -> ctx.ref("stg_heap_sessions_inc_fct")
 *         .aggregate(ctx.builder().groupKey("heap_session_country"),
 *                    ctx.builder().count().as("sessions"))
 *         .build());
 * ProjectPlan plan = project.plan();
 * }</pre>
 *
 * <p>Defining models is not thread-safe; {@link #plan()} returns an immutable result.
 */
public final class HeapProject {
  private final HeapConfig config;
  private final Map<String, Model> models = new LinkedHashMap<>();
  private final List<DataTest> tests = new ArrayList<>();
  /** Models begun with {@link #model} and not yet given their plan: planning refuses to drop them silently. */
  private final Set<String> unplanned = new java.util.LinkedHashSet<>();

  private HeapProject(HeapConfig config) {
    this.config = config;
  }

  /** A project with no models. */
  public static HeapProject empty(HeapConfig config) {
    return new HeapProject(config);
  }

  /** A project holding the standard Heap models (SPEC §2–3) for this config. */
  public static HeapProject standard(HeapConfig config) {
    HeapProject p = new HeapProject(config);
    StandardModels.addTo(p);
    return p;
  }

  public HeapConfig config() {
    return config;
  }

  /** Starts defining a model; finish with {@link ModelBuilder#plan}. */
  public ModelBuilder model(String name) {
    ModelBuilder builder = new ModelBuilder(this, name);
    unplanned.add(name);
    return builder;
  }

  /** Adds a model; its name must be new. */
  public HeapProject add(Model model) {
    if (models.containsKey(model.name())) {
      throw new HeapModelException(model.name(), "a model of this name is already defined");
    }
    models.put(model.name(), model);
    unplanned.remove(model.name());
    return this;
  }

  /**
   * Adds a data test on any target, a Heap source table included (e.g. every pageview's session exists
   * in sessions); tests on a model's own columns can also be declared with {@link ModelBuilder#test}.
   */
  public HeapProject test(DataTest test) {
    tests.add(test);
    return this;
  }

  /** The tests added with {@link #test(DataTest)}, in order; {@link io.heapsdk.quality.DataTests} adds the implied ones. */
  public List<DataTest> declaredTests() {
    return List.copyOf(tests);
  }

  public Optional<Model> find(String name) {
    return Optional.ofNullable(models.get(name));
  }

  /** The models in definition order. */
  public List<Model> models() {
    return new ArrayList<>(models.values());
  }

  /** Plans every model; refs are resolved, cycles and unknown refs reported. */
  public ProjectPlan plan() {
    requirePlanned();
    requireSourcesApartFromModels();
    List<PlannedModel> full = planFullQueries();
    List<Model> facts = new ArrayList<>();
    for (Model m : models.values()) {
      if (m.materialization() == Materialization.INCREMENTAL) {
        facts.add(m);
      }
    }
    if (facts.isEmpty()) {
      return new ProjectPlan(config, full, Optional.empty());
    }
    Map<String, PlannedModel> fullByName = new LinkedHashMap<>();
    full.forEach(p -> fullByName.put(p.name(), p));
    List<PlannedModel> incremental =
        new ProjectPlanner(config, new LinkedHashMap<>(models), PlanMode.INCREMENTAL, fullByName).planIncremental();
    Map<String, Model> withRunModels = new LinkedHashMap<>(models);
    Model mark = ActiveUsers.markModel(facts);
    Model activeUsers = ActiveUsers.model(facts);
    withRunModels.put(mark.name(), mark);
    withRunModels.put(activeUsers.name(), activeUsers);
    ProjectPlanner runPlanner = new ProjectPlanner(config, withRunModels);
    PlannedModel plannedMark = runPlanner.planOne(mark.name());
    PlannedModel active = runPlanner.planOne(activeUsers.name());
    // a run that rebuilds some facts in full: its active users read only the merged facts' tables
    Function<Set<String>, PlannedModel> activeMerging =
        merged -> {
          Map<String, Model> runModels = new LinkedHashMap<>(models);
          runModels.put(mark.name(), mark);
          Model a = ActiveUsers.model(facts.stream().filter(f -> merged.contains(f.name())).collect(Collectors.toList()));
          runModels.put(a.name(), a);
          return new ProjectPlanner(config, runModels).planOne(a.name());
        };
    return new ProjectPlan(
        config, full, Optional.of(new ProjectPlan.IncrementalPlan(plannedMark, active, activeMerging, full, incremental)));
  }

  /**
   * Plans the full query of every model, exactly as {@link #plan()} does, but not the queries of an
   * incremental run: its {@link ProjectPlan#incremental()} is empty. It is all that rendering a model's
   * SELECT needs (a funnel or an attribution, {@code heap compile}-style listings), at about half the
   * cost of {@link #plan()} for a project with incremental models.
   */
  public ProjectPlan planFull() {
    requirePlanned();
    requireSourcesApartFromModels();
    return new ProjectPlan(config, planFullQueries(), Optional.empty());
  }

  /**
   * Refuses a model begun with {@link #model} whose {@link ModelBuilder#plan} was never called: it was
   * left out of the plan without a word, its description and tests with it.
   */
  private void requirePlanned() {
    if (!unplanned.isEmpty()) {
      String name = unplanned.iterator().next();
      throw new HeapModelException(
          name, "begun with HeapProject.model(\"" + name + "\") but never given its query: finish it with .plan(ctx -> …), which adds it to"
              + " the project");
    }
  }

  /**
   * Where the models go into the schema of Heap's tables ({@code target.schema} the same as {@code
   * source.schema}, and the databases), no Heap table may have the name of a table a run writes: a
   * model's, one of its working tables ({@code <model>__…}) or heap's own ({@code heap__…}). A run
   * replaces, and drops, those: a config naming {@code source.tables.users:
   * stg_heap_sessions_inc_fct} in one schema had the users table replaced by the sessions fact, exit 0.
   * Compared without the double quotes of an exact name and ignoring case, as most warehouses fold
   * unquoted names (a false alarm costs a rename; a miss, a Heap table); a database left unset may be the
   * one set on the other side, the connection's.
   */
  private void requireSourcesApartFromModels() {
    boolean sameDatabase =
        config.sourceDatabase().isEmpty() || config.targetDatabase().isEmpty()
            || comparable(config.sourceDatabase().get()).equals(comparable(config.targetDatabase().get()));
    if (!sameDatabase || !comparable(config.sourceSchema()).equals(comparable(config.targetSchema()))) {
      return;
    }
    for (io.heapsdk.source.SourceTable t : config.catalog().tables()) {
      String name = comparable(t.physicalName());
      String writer = name.startsWith("heap__") ? "heap's own tables (heap__…)" : null;
      for (Model m : models.values()) {
        String model = m.name().toLowerCase(java.util.Locale.ROOT);
        if (name.equals(model) && m.materialization() != Materialization.EPHEMERAL) {
          writer = "the model " + m.name();
        } else if (name.startsWith(model + "__")) {
          writer = "the working tables of the model " + m.name();
        }
      }
      if (writer != null) {
        throw new io.heapsdk.config.HeapConfigException(
            config.origin(),
            "source.tables." + t.name(),
            "Heap's " + t.name() + " table is " + t.physicalName() + " in schema " + config.sourceSchema() + ", where target.schema"
                + " puts the models, and a run would replace it with " + writer + ": give the models a schema of their own"
                + " (target.schema), or name the Heap table as it is");
      }
    }
  }
  /** A name as compared above: without an exact name's double quotes, in lower case. */
  private static String comparable(String name) {
    String bare = name.length() > 1 && name.startsWith("\"") && name.endsWith("\"") ? name.substring(1, name.length() - 1) : name;
    return bare.toLowerCase(java.util.Locale.ROOT);
  }


  private List<PlannedModel> planFullQueries() {
    return new ProjectPlanner(config, new LinkedHashMap<>(models)).planAll();
  }
}
