package io.heapsdk.model;

import io.heapsdk.HeapException;
import io.heapsdk.config.HeapConfig;
import io.heapsdk.internal.Compatibility;
import io.heapsdk.internal.NearestNames;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.calcite.plan.Contexts;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.hep.HepPlanner;
import org.apache.calcite.plan.hep.HepProgram;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.metadata.JaninoRelMetadataProvider;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.rel.metadata.RelMetadataQueryBase;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexOver;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.tools.RelBuilder;

/**
 * Plans the models of a project depth-first: a {@code ref} to a model not yet planned plans it on the
 * spot, so the finished order is a dependency order, and a ref back to a model still being planned is a
 * cycle. One per {@link HeapProject#plan()} call.
 */
final class ProjectPlanner {
  private static final Pattern STAGE_NAME = Pattern.compile("[a-z_][a-z0-9_]*");

  private final HeapConfig config;
  private final Map<String, Model> definitions;
  private final RelOptCluster cluster;
  private final RelBuilder.Config builderConfig;
  private final Map<String, PlannedModel> planned = new LinkedHashMap<>();
  private final List<String> inProgress = new ArrayList<>();
  private final Map<String, String> stageOwners = new HashMap<>();

  private final PlanMode mode;
  /** INCREMENTAL mode: the full plans, for models that have no incremental query of their own. */
  private final Map<String, PlannedModel> fullPlans;

  ProjectPlanner(HeapConfig config, Map<String, Model> definitions) {
    this(config, definitions, PlanMode.FULL, Map.of());
  }

  ProjectPlanner(HeapConfig config, Map<String, Model> definitions, PlanMode mode, Map<String, PlannedModel> fullPlans) {
    // before Calcite's first class: a Guava -android on the host's classpath fails there with an
    // IncompatibleClassChangeError, an older Calcite later with a NoSuchMethodError; these name the
    // cause and the fix instead
    Compatibility.requireGuavaJre();
    Compatibility.requireCalcite();
    this.mode = mode;
    this.fullPlans = fullPlans;
    this.config = config;
    this.definitions = definitions;
    this.cluster = newCluster();
    // No simplification: the plan keeps the expressions as written (Calcite would otherwise rewrite
    // CASE WHEN x THEN TRUE ELSE FALSE into `x IS TRUE`, which Snowflake does not parse).
    this.builderConfig = RelBuilder.Config.DEFAULT.withSimplify(false);
  }

  /**
   * A cluster whose metadata queries do not depend on the calling thread. {@code RelOptCluster.create}
   * puts Calcite's metadata handler provider into a ThreadLocal of the calling thread
   * ({@code RelMetadataQueryBase.THREAD_PROVIDERS}), where the cluster's default supplier reads it back.
   * Left there, it holds the class loader of the Calcite (and heap) that planned, on a thread the host
   * owns: a container's request thread kept every redeployed application's loader (a probe: 20
   * redeploys, 20 loaders kept, 466 MB of Metaspace). So the cluster keeps the provider itself, and the
   * thread's value is put back as it was.
   */
  private static RelOptCluster newCluster() {
    JaninoRelMetadataProvider before = RelMetadataQueryBase.THREAD_PROVIDERS.get();
    try {
      RelOptCluster cluster =
          RelOptCluster.create(new HepPlanner(HepProgram.builder().build()), new RexBuilder(HeapTypes.newTypeFactory()));
      JaninoRelMetadataProvider provider = RelMetadataQueryBase.THREAD_PROVIDERS.get();
      cluster.setMetadataQuerySupplier(() -> new RelMetadataQuery(provider));
      return cluster;
    } finally {
      if (before == null) {
        RelMetadataQueryBase.THREAD_PROVIDERS.remove();
      } else {
        RelMetadataQueryBase.THREAD_PROVIDERS.set(before);
      }
    }
  }

  /** Plans every model, in dependency order. */
  List<PlannedModel> planAll() {
    for (String name : definitions.keySet()) {
      plan(name);
    }
    return new ArrayList<>(planned.values());
  }

  /** INCREMENTAL mode: the incremental query of every incremental model and the ephemerals they read. */
  List<PlannedModel> planIncremental() {
    for (Model m : definitions.values()) {
      if (m.materialization() == Materialization.INCREMENTAL) {
        plan(m.name());
      }
    }
    return new ArrayList<>(planned.values());
  }

  /** Plans one model of the definitions (e.g. a synthetic one) and returns it. */
  PlannedModel planOne(String name) {
    return plan(name);
  }

  PlannedModel planForRef(String from, String name) {
    if (!definitions.containsKey(name)) {
      throw new HeapModelException(
          from, "refs unknown model [" + name + "]" + NearestNames.didYouMean(name, definitions.keySet(), "models are", definitions.keySet().toString()));
    }
    return plan(name);
  }

  void claimStageName(String model, String stage) {
    if (!STAGE_NAME.matcher(stage).matches()) {
      throw new HeapModelException(model, "stage name [" + stage + "] must be lower case letters, digits and underscores");
    }
    String owner = stageOwners.putIfAbsent(stage, model);
    if (owner != null || definitions.containsKey(stage)) {
      throw new HeapModelException(
          model,
          "stage name ["
              + stage
              + "] is already used by "
              + (owner != null ? "model " + owner : "a model of that name")
              + "; CTE names must be unique in a project");
    }
  }

  private PlannedModel plan(String name) {
    PlannedModel done = planned.get(name);
    if (done != null) {
      return done;
    }
    if (mode == PlanMode.INCREMENTAL && definitions.get(name).materialization() == Materialization.TABLE) {
      // a table is read as it stands in the target schema: only its row type is needed
      return fullPlans.get(name);
    }
    if (inProgress.contains(name)) {
      List<String> cycle = new ArrayList<>(inProgress.subList(inProgress.indexOf(name), inProgress.size()));
      cycle.add(name);
      throw new HeapModelException(name, "refs form a cycle: " + String.join(" -> ", cycle));
    }
    inProgress.add(name);
    Model model = definitions.get(name);
    RelBuilder builder = RelBuilder.proto(Contexts.of(builderConfig)).create(cluster, null);
    PlanContext ctx = new PlanContext(name, config, builder, this, mode);
    RelNode root;
    try {
      root = model.planner().plan(ctx);
    } catch (HeapException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new HeapModelException(name, "planning failed: " + e.getMessage(), e);
    }
    if (root == null) {
      throw new HeapModelException(name, "the plan function returned null; return builder.build()");
    }
    if (model.materialization() == Materialization.INCREMENTAL && model.uniqueKey().isPresent()) {
      root = dropNullKeys(model, builder, root);
    }
    List<Stage> stages = new ArrayList<>();
    WindowIsolation isolation = new WindowIsolation(ctx, stages);
    for (Stage s : ctx.stages()) {
      stages.add(new Stage(s.name(), isolation.isolate(s.name(), s.rel())));
    }
    RelNode isolated = isolation.isolate(name, root);
    for (Stage s : stages) {
      checkNames(name, "stage " + s.name(), s.rel());
    }
    checkNames(name, "output", isolated);
    model.uniqueKey().ifPresent(k -> requireColumn(model, "unique key", k, isolated));
    model.timeColumn().ifPresent(k -> requireTimeColumn(model, "time column", k, isolated, false));
    model.layoutTimeColumn().ifPresent(k -> requireTimeColumn(model, "layout time column", k, isolated, true));
    model.userColumn().ifPresent(k -> requireColumn(model, "user column", k, isolated));
    model.lookupColumns().forEach(k -> requireColumn(model, "lookup column", k, isolated));
    for (String documented : model.columnDescriptions().keySet()) {
      requireColumn(model, "documented column", documented, isolated);
    }
    PlannedModel result = new PlannedModel(model, stages, isolated, ctx.refs(), ctx.sources());
    inProgress.remove(name);
    planned.put(name, result);
    return result;
  }

  /**
   * An incremental model keeps no row whose unique key is NULL, in a full refresh and in an incremental
   * run alike: MERGE never matches a NULL key and the vanished-row DELETE never selects one, so such a
   * row would be inserted again by every incremental run while a full refresh holds it once. The filter
   * sits on top of the model's output; {@link WindowIsolation} then moves a windowed top projection into
   * a stage of its own, so the filter never changes what the model's windows see.
   */
  private static RelNode dropNullKeys(Model model, RelBuilder builder, RelNode root) {
    String key = model.uniqueKey().orElseThrow();
    requireColumn(model, "unique key", key, root);
    RexNode notNull = builder.push(root).isNotNull(builder.field(key));
    builder.build();
    if (root instanceof Project p && !RexOver.containsOver(p.getProjects(), null)) {
      // below a plain projection the filter renders as that SELECT's own WHERE, not a wrapping subquery
      return filtered(builder, p.getInput(), RelOptUtil.pushPastProject(notNull, p))
          .project(p.getProjects(), p.getRowType().getFieldNames(), true)
          .build();
    }
    return filtered(builder, root, notNull).build();
  }

  /** {@code rel} filtered on {@code condition}, merged into {@code rel}'s own filter when it has one. */
  private static RelBuilder filtered(RelBuilder builder, RelNode rel, RexNode condition) {
    if (rel instanceof Filter f) {
      return builder.push(f.getInput()).filter(f.getCondition(), condition);
    }
    return builder.push(rel).filter(condition);
  }

  private static void requireColumn(Model model, String what, String column, RelNode root) {
    if (!root.getRowType().getFieldNames().contains(column)) {
      throw new HeapModelException(
          model.name(),
          what + " [" + column + "] is not an output column; columns are " + root.getRowType().getFieldNames());
    }
  }

  /**
   * A column the model's time is read from: an output column holding a timestamp (a layout's, a date
   * too). The mark compares the time column with timestamps (a DATE there failed in planning, with
   * Calcite's "Cannot compute compatible row type"), and the table layouts use theirs as a day
   * (BigQuery's {@code PARTITION BY DATE(…)}, Snowflake's clustering date, Redshift's sort key): text or a
   * number there fails only on the warehouse, at the first incremental run or the first build.
   */
  private static void requireTimeColumn(Model model, String what, String column, RelNode root, boolean dateToo) {
    requireColumn(model, what, column, root);
    RelDataType type = root.getRowType().getField(column, true, false).getType();
    SqlTypeName name = type.getSqlTypeName();
    boolean time =
        (dateToo && name == SqlTypeName.DATE) || name == SqlTypeName.TIMESTAMP || name == SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE
            || name == SqlTypeName.TIMESTAMP_TZ;
    if (!time) {
      throw new HeapModelException(
          model.name(), what + " [" + column + "] is " + type.getFullTypeString() + "; it must be a " + (dateToo ? "DATE or a " : "") + "TIMESTAMP");
    }
  }

  private static void checkNames(String model, String where, RelNode rel) {
    List<RelDataTypeField> fields = rel.getRowType().getFieldList();
    Map<String, RelDataTypeField> folded = new HashMap<>();
    Set<String> names = new HashSet<>(rel.getRowType().getFieldNames());
    for (RelDataTypeField f : fields) {
      if (isGeneratedName(f.getName())) {
        throw new HeapModelException(
            model,
            where + " column #" + (f.getIndex() + 1) + " has no name (Calcite called it " + f.getName()
                + "); give every expression an alias with .as(\"name\")");
      }
      // two columns given one name: Calcite keeps the first and renames the next (id, id0), a name the
      // model never wrote that then reached the SQL
      Optional<String> renamedFrom = renamedDuplicate(f.getName(), names);
      if (renamedFrom.isPresent()) {
        throw new HeapModelException(
            model,
            where + " column #" + (f.getIndex() + 1) + " is named " + f.getName() + ", the name Calcite gives a second column named "
                + renamedFrom.get() + ": give each column a name of its own with .as(\"name\")");
      }
      // Snowflake and Redshift fold names to one case, and BigQuery's column names ignore it: Id and id
      // are one column there, and the CREATE TABLE failed on the warehouse
      RelDataTypeField before = folded.putIfAbsent(f.getName().toLowerCase(Locale.ROOT), f);
      if (before != null) {
        throw new HeapModelException(
            model,
            where + " columns #" + (before.getIndex() + 1) + " and #" + (f.getIndex() + 1) + " are named " + before.getName() + " and "
                + f.getName() + ", one name to warehouses that ignore case in names: give each column a name of its own");
      }
    }
  }

  /**
   * The name {@code name} is a renamed copy of, where it can be one: Calcite's {@code
   * SqlValidatorUtil.uniquify} renames a repeated {@code id} to {@code id0}, the next to {@code id1}, and
   * so on (and a repeated {@code id0} to {@code id00}). So {@code idK} counts as renamed only when the row
   * has {@code id} and {@code id0} to {@code id(K-1)} too: a model's own {@code line} and {@code line2} stay.
   */
  static Optional<String> renamedDuplicate(String name, Set<String> names) {
    for (int split = name.length() - 1; split > 0 && Character.isDigit(name.charAt(split)); split--) {
      String base = name.substring(0, split);
      String suffix = name.substring(split);
      if ((suffix.length() > 1 && suffix.charAt(0) == '0') || suffix.length() > 6 || !names.contains(base)) {
        continue;
      }
      int k = Integer.parseInt(suffix);
      boolean sequence = true;
      for (int j = 0; j < k && sequence; j++) {
        sequence = names.contains(base + j);
      }
      if (sequence) {
        return Optional.of(base);
      }
    }
    return Optional.empty();
  }

  /**
   * Whether {@code name} is one Calcite invents for an unnamed expression, {@code $f} or {@code EXPR$}
   * followed by ASCII digits; such a name must never reach the SQL. Checked without a regular
   * expression: every column of every stage comes through here.
   */
  static boolean isGeneratedName(String name) {
    int digits = name.startsWith("$f") ? 2 : name.startsWith("EXPR$") ? 5 : -1;
    if (digits < 0 || name.length() == digits) {
      return false;
    }
    for (int i = digits; i < name.length(); i++) {
      if (name.charAt(i) < '0' || name.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  /**
   * Moves every windowed projection that is not the top of its stage into a stage of its own, so window
   * functions only ever appear in the SELECT list of a CTE. This avoids the Calcite 1.42 renderings that
   * put a window call in GROUP BY or WHERE, or nest one window call inside another.
   */
  private static final class WindowIsolation {
    private final PlanContext ctx;
    private final List<Stage> out;

    WindowIsolation(PlanContext ctx, List<Stage> out) {
      this.ctx = ctx;
      this.out = out;
    }

    RelNode isolate(String owner, RelNode rel) {
      int[] counter = {0};
      return visit(owner, rel, counter);
    }

    private RelNode visit(String owner, RelNode rel, int[] counter) {
      List<RelNode> inputs = new ArrayList<>();
      boolean changed = false;
      for (RelNode input : rel.getInputs()) {
        RelNode in = visit(owner, input, counter);
        if (isWindowed(in)) {
          counter[0]++;
          String name = owner + "_windowed" + (counter[0] == 1 ? "" : "_" + counter[0]);
          ctx.addStage(name, in);
          out.add(new Stage(name, in));
          in = ctx.scan(new Placeholder(Placeholder.Kind.STAGE, name), in.getRowType());
        }
        changed |= in != input;
        inputs.add(in);
      }
      return changed ? rel.copy(rel.getTraitSet(), inputs) : rel;
    }

    private static boolean isWindowed(RelNode rel) {
      return rel instanceof Project p && RexOver.containsOver(p.getProjects(), null);
    }
  }
}
