package io.heapsdk.warehouse;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.config.HeapConfigException;
import io.heapsdk.internal.NearestNames;
import io.heapsdk.config.PhysicalOptions;
import io.heapsdk.model.Materialization;
import io.heapsdk.model.Model;
import io.heapsdk.model.PlanContext;
import io.heapsdk.model.PlannedModel;
import io.heapsdk.model.ProjectPlan;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * The statements of one run on one warehouse, in order: a full refresh of every materialized model, or
 * an incremental run. Text only: write it to files ({@link #script()}, {@link #script(String)}) or hand
 * it to a {@link io.heapsdk.run.JdbcRunner}. Immutable.
 *
 * <p>An incremental run (SPEC §3): the active users go into a working table; each incremental model's
 * rows for those users are computed into a working {@code <model>__changes} table; then, in ONE
 * transaction, every fact drops its active users' vanished rows and merges the recomputed ones; tables
 * are rebuilt; the working tables are dropped. Nothing touches a fact before that transaction, so a run
 * that fails leaves every fact as it was, and the next run recomputes the same users again.
 */
public final class BuildPlan {
  /** Which kind of run. */
  public enum Mode {
    FULL_REFRESH,
    INCREMENTAL
  }

  /** What a step is for; the runner runs every {@code APPLY} step of a run in one transaction. */
  public enum Phase {
    /** Creates the target schema. */
    SETUP,
    /** Builds a table from its full query (into {@code <table>__new} where the warehouse swaps). */
    BUILD,
    /** Puts a freshly built table in place; one transaction. */
    SWAP,
    /** Builds a working table of an incremental run. */
    WORK,
    /**
     * Forgets stored source fingerprints ({@link SourcePrints}) that the facts are about to outdate, before
     * the first apply or swap; each statement on its own (a run that stops after it leaves more users to
     * the next reconciling run, never fewer).
     */
    FORGET,
    /** Applies an incremental model's recomputed rows; all of a run's APPLY steps are one transaction. */
    APPLY,
    /**
     * Maintenance of an incremental fact after the apply committed (statistics); each statement on its
     * own, outside any transaction.
     */
    ANALYZE,
    /**
     * Records the sources' per-user fingerprints for the next reconciling run ({@link SourcePrints}),
     * after everything else succeeded; one transaction.
     */
    RECORD,
    /**
     * Drops the working tables; in a plan a host runs itself, also marks the run state once more (see
     * {@code markedWrittenOutsideRuns}).
     */
    CLEANUP
  }

  /** The statements of one step, for one model ({@code (setup)} and {@code (cleanup)} for the run's own). */
  public record Step(String model, Phase phase, List<String> statements) {
    public Step {
      statements = List.copyOf(statements);
    }

    /**
     * Whether the step's statements must run in one transaction (a SWAP only where {@link
     * Warehouse#swapsInOneTransaction}).
     */
    public boolean transactional() {
      return phase == Phase.SWAP || phase == Phase.APPLY || phase == Phase.RECORD;
    }
  }

  private final Warehouse warehouse;
  private final Mode mode;
  private final List<Step> steps;
  private final List<TableName> workTables;
  private final Set<String> refilledInPlace;

  private BuildPlan(Warehouse warehouse, Mode mode, List<Step> steps, List<TableName> workTables, Set<String> refilledInPlace) {
    this.warehouse = warehouse;
    this.mode = mode;
    this.steps = List.copyOf(steps);
    this.workTables = List.copyOf(workTables);
    this.refilledInPlace = Set.copyOf(refilledInPlace);
  }

  /** A full refresh, or an incremental run when asked for one and the project has incremental models. */
  public static BuildPlan of(Warehouse warehouse, ProjectPlan plan, Mode mode) {
    return mode == Mode.INCREMENTAL && plan.incremental().isPresent()
        ? incremental(warehouse, plan)
        : fullRefresh(warehouse, plan);
  }

  /** Every materialized model rebuilt from its full query, in dependency order. */
  public static BuildPlan fullRefresh(Warehouse warehouse, ProjectPlan plan) {
    checkPhysicalOptions(plan);
    return markedWrittenOutsideRuns(fullRefresh(warehouse, plan, ""), plan);
  }

  /**
   * A full refresh whose working tables carry {@code workSuffix}; with {@code incremental.reconcile}
   * it records the sources' fingerprints, so the next reconciling run starts from them.
   */
  public static BuildPlan fullRefresh(Warehouse warehouse, ProjectPlan plan, String workSuffix) {
    return fullRefresh(warehouse, plan, workSuffix, Set.of());
  }

  /**
   * A full refresh (as {@link #fullRefresh(Warehouse, ProjectPlan, String)}) in which the models of {@code
   * refilledInPlace} keep their tables: their rows are replaced by {@link Warehouse#refillStatements}
   * where the warehouse has them. The runner names the tables that hold their model's definition already.
   */
  public static BuildPlan fullRefresh(Warehouse warehouse, ProjectPlan plan, String workSuffix, Set<String> refilledInPlace) {
    return fullRefresh(warehouse, plan, workSuffix, refilledInPlace, false);
  }

  /**
   * The same, on a schema where a reconciling run recorded source fingerprints ({@code storedPrints}):
   * the full refresh records them too, reconciling or not. The facts it builds hold every source row as
   * it is now; the fingerprints of an earlier time would let the next reconciling run miss a row that
   * came and went between them (inserted before this refresh, which built it in, deleted after).
   */
  public static BuildPlan fullRefresh(
      Warehouse warehouse, ProjectPlan plan, String workSuffix, Set<String> refilledInPlace, boolean storedPrints) {
    checkPhysicalOptions(plan);
    return fullRefresh(new SqlRenderer(warehouse, plan, workSuffix), refilledInPlace, storedPrints);
  }

  /**
   * A full refresh rendered by {@code renderer} (its warehouse, plan and working-table suffix): a caller
   * that renders more of the same plan with it, such as the SELECTs of the ephemeral models, reuses
   * what the build rendered ({@link SqlRenderer} keeps each relation's text).
   */
  public static BuildPlan fullRefresh(SqlRenderer renderer) {
    return markedWrittenOutsideRuns(fullRefresh(renderer, Set.of(), false), renderer.plan());
  }

  private static BuildPlan fullRefresh(SqlRenderer renderer, Set<String> refilledInPlace, boolean storedPrints) {
    Warehouse warehouse = renderer.warehouse();
    ProjectPlan plan = renderer.plan();
    String workSuffix = renderer.workSuffix();
    checkPhysicalOptions(plan);
    List<Step> steps = new ArrayList<>();
    steps.add(setup(warehouse, plan));
    List<TableName> work = new ArrayList<>();
    Optional<TableName> prints = addCurrentPrints(steps, work, warehouse, plan, workSuffix, storedPrints);
    // before the first swap: a refresh that stops after one and before its record leaves none stored
    prints.ifPresent(current -> steps.add(new Step(SourcePrints.TABLE, Phase.FORGET, List.of(new SourcePrints(warehouse, plan.config()).forgetAll()))));
    Set<String> refilled = new HashSet<>();
    for (PlannedModel m : plan.materialized()) {
      if (addFullBuild(steps, work, warehouse, renderer, m, refilledInPlace.contains(m.name()))) {
        refilled.add(m.name());
      }
    }
    // every user rebuilt from the rows as they were after the fingerprints were taken
    prints.ifPresent(current -> addRecordPrints(steps, warehouse, plan, current, Optional.empty()));
    if (!work.isEmpty()) {
      steps.add(new Step("(cleanup)", Phase.CLEANUP, work.stream().map(warehouse::dropTable).collect(Collectors.toList())));
    }
    return new BuildPlan(warehouse, Mode.FULL_REFRESH, steps, work, refilled);
  }

  /**
   * How one run of {@code heap run} differs from the plain incremental script: its working tables carry
   * {@code workSuffix} (so two runs never share them), the facts in {@code rebuiltInFull} (definition
   * changed, or downstream of one that did) are rebuilt from their full query instead of merged, and
   * the high-water mark comes from {@code markSelect} (one row, one column {@code since}: the mark the
   * last successful run recorded) instead of the facts' newest times.
   */
  public record RunShape(
      String workSuffix, Set<String> rebuiltInFull, Optional<String> markSelect, Set<String> refilledInPlace, boolean storedPrints) {
    public RunShape {
      rebuiltInFull = Set.copyOf(rebuiltInFull);
      refilledInPlace = Set.copyOf(refilledInPlace);
    }

    /**
     * A shape for a schema without source fingerprints recorded ({@code storedPrints} false); with them, a
     * run that does not reconcile keeps them true to the facts (see {@link SourcePrints#forget}).
     */
    public RunShape(String workSuffix, Set<String> rebuiltInFull, Optional<String> markSelect, Set<String> refilledInPlace) {
      this(workSuffix, rebuiltInFull, markSelect, refilledInPlace, false);
    }

    /** A shape that keeps no table in place. */
    public RunShape(String workSuffix, Set<String> rebuiltInFull, Optional<String> markSelect) {
      this(workSuffix, rebuiltInFull, markSelect, Set.of());
    }

    /** The compiled script's shape: fixed working-table names, every fact merged, the mark from the facts. */
    public static RunShape plain() {
      return new RunShape("", Set.of(), Optional.empty());
    }
  }

  /** An incremental run: see the class comment. Tables (non-incremental models) are rebuilt in full. */
  public static BuildPlan incremental(Warehouse warehouse, ProjectPlan plan) {
    return markedWrittenOutsideRuns(incremental(warehouse, plan, RunShape.plain()), plan);
  }

  /**
   * {@code built} with its setup also marking, in {@code heap run}'s state, every model it writes as
   * written outside a run ({@link StateSql#markWrittenOutsideRuns}): the plans a host runs itself (the
   * compiled script, these factories' {@link #steps()}). Without it, a script run on a schema {@code heap
   * run} also builds left the run's record of the old definition in place: the next run merged its active
   * users into tables of the script's definition, the other users' rows stayed, and nothing was said. The
   * state table is created when missing (empty), so the script works on a schema no run has used. Before
   * any fact is touched: a script that stops part-way has marked them already. Once more at the end: a
   * {@code heap run} that ran beside the script (which takes no lock) and recorded its state after the
   * first mark wiped it (a review: 2 of 10 overlaps), and one recording before the last cannot. The
   * runner's own plans (the overloads taking a working-table suffix or a {@link RunShape}) record the
   * state themselves.
   */
  private static BuildPlan markedWrittenOutsideRuns(BuildPlan built, ProjectPlan plan) {
    StateSql state = new StateSql(built.warehouse, plan.config());
    List<String> models = plan.materialized().stream().map(PlannedModel::name).collect(Collectors.toList());
    List<Step> steps = new ArrayList<>(built.steps);
    Step setup = steps.get(0);
    if (setup.phase() != Phase.SETUP) {
      throw new IllegalStateException("a build plan begins with its setup, not " + setup.phase());
    }
    String mark = state.markWrittenOutsideRuns(models);
    steps.set(0, new Step(setup.model(), Phase.SETUP, concat(setup.statements(), List.of(state.createModelState(), mark))));
    steps.add(new Step("(cleanup)", Phase.CLEANUP, List.of(mark)));
    return new BuildPlan(built.warehouse, built.mode, steps, built.workTables, built.refilledInPlace);
  }

  /** An incremental run shaped by {@code shape} (see {@link RunShape}). */
  public static BuildPlan incremental(Warehouse warehouse, ProjectPlan plan, RunShape shape) {
    checkPhysicalOptions(plan);
    ProjectPlan.IncrementalPlan inc = plan.requireIncremental();
    SqlRenderer renderer = new SqlRenderer(warehouse, plan, shape.workSuffix());
    HeapConfig c = plan.config();
    String suffix = shape.workSuffix();
    TableName active = warehouse.table(c.targetDatabase(), c.targetSchema(), SqlRenderer.ACTIVE_USERS_TABLE + suffix);
    TableName mark = warehouse.table(c.targetDatabase(), c.targetSchema(), inc.highWaterMark().name() + suffix);
    List<PlannedModel> merged =
        inc.facts().stream().filter(f -> !shape.rebuiltInFull().contains(f.name())).collect(Collectors.toList());
    List<Step> steps = new ArrayList<>();
    Step setup = setup(warehouse, plan);
    // the merged facts' indexes, where a full refresh's swap cut off after its rename may have left a
    // fact without them (Warehouse#restoreIndexStatements): each run after it would read that fact by
    // full scans, many times slower, and no later run would notice
    List<String> restore = new ArrayList<>();
    for (PlannedModel fact : merged) {
      TableName table = warehouse.table(c.targetDatabase(), c.targetSchema(), fact.name());
      restore.addAll(warehouse.restoreIndexStatements(table, indexed(warehouse, fact.model())));
    }
    steps.add(new Step(setup.model(), Phase.SETUP, concat(setup.statements(), restore)));
    List<TableName> work = new ArrayList<>();
    Optional<TableName> prints = addCurrentPrints(steps, work, warehouse, plan, suffix, false);
    prints.ifPresent(
        current -> {
          TableName reconciled = warehouse.table(c.targetDatabase(), c.targetSchema(), PlanContext.RECONCILED_USERS + suffix);
          work.add(reconciled);
          steps.add(
              new Step(
                  PlanContext.RECONCILED_USERS,
                  Phase.WORK,
                  analyzedWorkTable(
                      warehouse,
                      reconciled,
                      new SourcePrints(warehouse, c)
                          .changedUsersSelect(
                              current,
                              merged.stream()
                                  .map(f -> new SourcePrints.FactUsers(
                                      warehouse.table(c.targetDatabase(), c.targetSchema(), f.name()),
                                      f.model().userColumn().orElseThrow()))
                                  .collect(Collectors.toList())))));
        });
    steps.add(
        new Step(
            inc.highWaterMark().name(),
            Phase.WORK,
            analyzedWorkTable(warehouse, mark, shape.markSelect().orElseGet(renderer::highWaterMarkSelect))));
    steps.add(
        new Step(
            inc.activeUsers().name(),
            Phase.WORK,
            concat(
                activeUsersStatements(warehouse, renderer, shape.rebuiltInFull(), active, work),
                warehouse.indexStatements(active, List.of(PlanContext.ACTIVE_USER_ID)))));
    SourcePrints stored = new SourcePrints(warehouse, c);
    if ((c.reconcile() || shape.storedPrints()) && !shape.rebuiltInFull().isEmpty()) {
      // a fact rebuilt from every source row, inactive users' included: no stored fingerprint describes it
      steps.add(new Step(SourcePrints.TABLE, Phase.FORGET, List.of(stored.createStored(), stored.forgetAll())));
    } else if (c.reconcile() || shape.storedPrints()) {
      // before the apply: a run that fails after it leaves the next reconciling run more users, never fewer.
      // A reconciling run too: stopped between its apply and its record, it left the fingerprints of before
      // against facts rebuilt since, and a change Heap took back before the next reconciling run stayed
      steps.add(new Step(SourcePrints.TABLE, Phase.FORGET, List.of(stored.createStored(), stored.forget(active))));
    }
    work.addAll(List.of(mark, active));
    for (PlannedModel fact : merged) {
      TableName changes =
          warehouse.table(c.targetDatabase(), c.targetSchema(), SqlRenderer.changesTableName(fact.name()) + suffix);
      // made in this order (a CTE stored first, then the changes): recorded, and so dropped, in it
      List<String> statements =
          withSharedCtes(warehouse, renderer, fact.name(), true, work, select -> warehouse.workTableStatements(changes, select));
      work.add(changes);
      statements.addAll(warehouse.indexStatements(changes, indexed(warehouse, fact.model())));
      steps.add(new Step(fact.name(), Phase.WORK, statements));
    }
    for (PlannedModel fact : merged) {
      Model m = fact.model();
      IncrementalTarget target =
          new IncrementalTarget(
              warehouse.table(c.targetDatabase(), c.targetSchema(), m.name()),
              fact.columnNames(),
              m.uniqueKey().orElseThrow(),
              m.userColumn().orElseThrow(),
              warehouse.table(c.targetDatabase(), c.targetSchema(), SqlRenderer.changesTableName(m.name()) + suffix),
              active,
              PlanContext.ACTIVE_USER_ID);
      steps.add(new Step(m.name(), Phase.APPLY, warehouse.applyStatements(target)));
    }
    // after every APPLY step: a step in between would split the run's one apply transaction
    for (PlannedModel fact : merged) {
      List<String> after = warehouse.afterApplyStatements(warehouse.table(c.targetDatabase(), c.targetSchema(), fact.name()));
      if (!after.isEmpty()) {
        steps.add(new Step(fact.name(), Phase.ANALYZE, after));
      }
    }
    // after the apply: a fact rebuilt in full is never read through a __changes table by a merged one,
    // since everything downstream of it is rebuilt in full too
    Set<String> refilled = new HashSet<>();
    for (PlannedModel m : plan.materialized()) {
      if ((m.model().materialization() == Materialization.TABLE || shape.rebuiltInFull().contains(m.name()))
          && addFullBuild(steps, work, warehouse, renderer, m, shape.refilledInPlace().contains(m.name()))) {
        refilled.add(m.name());
      }
    }
    // the active users rebuilt (every user where a fact was rebuilt in full) from rows read after the fingerprints
    Optional<TableName> rebuilt = shape.rebuiltInFull().isEmpty() ? Optional.of(active) : Optional.empty();
    prints.ifPresent(current -> addRecordPrints(steps, warehouse, plan, current, rebuilt));
    steps.add(new Step("(cleanup)", Phase.CLEANUP, work.stream().map(warehouse::dropTable).collect(Collectors.toList())));
    return new BuildPlan(warehouse, Mode.INCREMENTAL, steps, work, refilled);
  }

  private static Step setup(Warehouse warehouse, ProjectPlan plan) {
    HeapConfig c = plan.config();
    List<String> statements = new ArrayList<>();
    statements.add(warehouse.createSchema(c.targetDatabase(), c.targetSchema(), c.targetLocation()));
    if (c.reconcile()) {
      statements.add(new SourcePrints(warehouse, c).createStored());
    }
    return new Step("(setup)", Phase.SETUP, statements);
  }

  /**
   * With {@code incremental.reconcile}: the sources' current per-user fingerprints into a working table,
   * before any other statement reads a source (see {@link SourcePrints}).
   */
  private static Optional<TableName> addCurrentPrints(
      List<Step> steps, List<TableName> work, Warehouse warehouse, ProjectPlan plan, String suffix, boolean storedPrints) {
    HeapConfig c = plan.config();
    if (!c.reconcile() && !storedPrints) {
      return Optional.empty();
    }
    TableName current = warehouse.table(c.targetDatabase(), c.targetSchema(), SourcePrints.CURRENT + suffix);
    work.add(current);
    SourcePrints prints = new SourcePrints(warehouse, c);
    // not reconciling, the setup did not create the stored table (it is there, unless dropped since)
    List<String> create = c.reconcile() ? List.of() : List.of(prints.createStored());
    steps.add(new Step(SourcePrints.TABLE, Phase.WORK, concat(create, analyzedWorkTable(warehouse, current, prints.currentSelect()))));
    return Optional.of(current);
  }

  /**
   * A working table that no index serves, with the statistics of the warehouses that keep them
   * ({@link Warehouse#indexStatements} with no column: PostgreSQL's {@code ANALYZE}). Without them
   * PostgreSQL takes the one-row mark for 2,260 rows and plans every source joined with it for
   * hundreds of millions: the active users took 0.84 s instead of 0.37 s at 200k events.
   */
  private static List<String> analyzedWorkTable(Warehouse warehouse, TableName table, String select) {
    return concat(warehouse.workTableStatements(table, select), warehouse.indexStatements(table, List.of()));
  }

  private static void addRecordPrints(List<Step> steps, Warehouse warehouse, ProjectPlan plan, TableName current, Optional<TableName> rebuilt) {
    steps.add(new Step(SourcePrints.TABLE, Phase.RECORD, new SourcePrints(warehouse, plan.config()).record(current, rebuilt)));
  }

  /**
   * The full build of {@code m}: into a new table (then swapped in), or, with {@code inPlace} where the
   * warehouse has {@link Warehouse#refillStatements}, by replacing the rows of the table that is there
   * (one BUILD step, no swap). Says whether it kept the table.
   */
  private static boolean addFullBuild(
      List<Step> steps, List<TableName> work, Warehouse warehouse, SqlRenderer renderer, PlannedModel m, boolean inPlace) {
    HeapConfig c = renderer.plan().config();
    TableName table = warehouse.table(c.targetDatabase(), c.targetSchema(), m.name());
    if (inPlace && warehouse.refillsInPlace()) {
      steps.add(
          new Step(
              m.name(),
              Phase.BUILD,
              withSharedCtes(
                  warehouse, renderer, m.name(), false, work, select -> warehouse.refillStatements(table, m.columnNames(), select))));
      return true;
    }
    PhysicalOptions options = c.physicalOptions(m.name()).resolve(m.model().uniqueKey(), m.model().tableTimeColumn(), m.model().userColumn());
    List<String> build =
        withSharedCtes(warehouse, renderer, m.name(), false, work, select -> warehouse.buildStatements(table, select, options));
    List<String> swap = warehouse.swapStatements(table, indexed(warehouse, m.model()));
    if (swap.isEmpty()) {
      build.addAll(warehouse.indexStatements(table, indexed(warehouse, m.model())));
    }
    steps.add(new Step(m.name(), Phase.BUILD, build));
    if (!swap.isEmpty()) {
      steps.add(new Step(m.name(), Phase.SWAP, swap));
    }
    return false;
  }

  /**
   * The statements of {@code statementsFor} the SELECT of {@code model}, on an engine that evaluates a
   * CTE per reference ({@link Warehouse#evaluatesCtePerReference}) with each CTE read more than once
   * stored in a working table first, indexed on the columns joins look it up by (that engine joins by
   * nested loops), and dropped once read (its rows take memory); the tables also go to {@code work},
   * so a run that fails drops them.
   */
  private static List<String> withSharedCtes(
      Warehouse warehouse,
      SqlRenderer renderer,
      String model,
      boolean incremental,
      List<TableName> work,
      Function<String, List<String>> statementsFor) {
    if (!warehouse.evaluatesCtePerReference()) {
      return new ArrayList<>(statementsFor.apply(incremental ? renderer.incrementalSelect(model) : renderer.select(model)));
    }
    return storedFirst(
        warehouse,
        incremental ? renderer.incrementalSelectStoringShared(model) : renderer.selectStoringShared(model),
        work,
        statementsFor);
  }

  /** Each stored CTE of {@code select} into its working table (indexed, recorded in {@code work}), the statements of its query, the drops. */
  private static List<String> storedFirst(
      Warehouse warehouse, SqlRenderer.StoredSelect select, List<TableName> work, Function<String, List<String>> statementsFor) {
    List<String> statements = new ArrayList<>();
    for (SqlRenderer.StoredCte cte : select.stored()) {
      statements.addAll(warehouse.workTableStatements(cte.table(), cte.select()));
      statements.addAll(warehouse.indexStatements(cte.table(), cte.lookupColumns()));
      work.add(cte.table());
    }
    statements.addAll(statementsFor.apply(select.query()));
    select.stored().forEach(cte -> statements.add(warehouse.dropTable(cte.table())));
    return statements;
  }

  /**
   * The statements that fill the active users' working table; on an engine that evaluates a CTE per
   * reference, the directly active users (read once per source the shared ids are looked up in) are
   * stored first, as {@link #withSharedCtes} stores a model's CTEs.
   */
  private static List<String> activeUsersStatements(
      Warehouse warehouse, SqlRenderer renderer, Set<String> rebuiltInFull, TableName active, List<TableName> work) {
    if (!warehouse.evaluatesCtePerReference()) {
      return warehouse.workTableStatements(active, renderer.activeUsersSelect(rebuiltInFull));
    }
    return storedFirst(
        warehouse,
        renderer.activeUsersSelectStoringShared(rebuiltInFull),
        work,
        select -> warehouse.workTableStatements(active, select));
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /**
   * The columns a model's table is looked up by: unique key, user and time columns (the time where the
   * warehouse wants it, {@link Warehouse#indexesTimeColumn}), declared lookup columns.
   */
  private static List<String> indexed(Warehouse warehouse, Model m) {
    Set<String> columns = new LinkedHashSet<>();
    m.uniqueKey().ifPresent(columns::add);
    m.userColumn().ifPresent(columns::add);
    if (warehouse.indexesTimeColumn()) {
      m.timeColumn().ifPresent(columns::add);
    }
    columns.addAll(m.lookupColumns());
    return new ArrayList<>(columns);
  }

  /**
   * Every {@code models.<name>} entry of the config names a materialized model and its columns; a
   * config error, so it names the config's file and key as the loader's own checks do.
   */
  private static void checkPhysicalOptions(ProjectPlan plan) {
    HeapConfig config = plan.config();
    config
        .physicalOptions()
        .forEach(
            (name, options) -> {
              PlannedModel m =
                  plan.materialized().stream()
                      .filter(p -> p.name().equals(name))
                      .findFirst()
                      .orElseThrow(
                          () ->
                              new HeapConfigException(
                                  config.origin(),
                                  "models." + name,
                                  "names no materialized model"
                                      + NearestNames.didYouMean(
                                          name, plan.materialized().stream().map(PlannedModel::name).toList(), "they are",
                                          plan.materialized().stream().map(PlannedModel::name).collect(Collectors.toList()).toString())));
              options.columnsByKey().forEach((key, column) -> {
                if (!m.columnNames().contains(column)) {
                  throw new HeapConfigException(
                      config.origin(),
                      "models." + name + "." + key,
                      "names column [" + column + "], which model " + name + " does not have"
                          + NearestNames.didYouMean(column, m.columnNames(), "its columns are", m.columnNames().toString()));
                }
              });
              // BigQuery partitions a table by a DATE or TIMESTAMP column (or an integer range, which this
              // option does not write): PARTITION BY DATE(<text>) is refused there, so it is here, on
              // every warehouse, as the config's mistake
              options.partitionBy().ifPresent(p -> {
                SqlTypeName type = m.rowType().getField(p, true, false).getType().getSqlTypeName();
                if (type != SqlTypeName.TIMESTAMP && type != SqlTypeName.DATE && type != SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE) {
                  throw new HeapConfigException(
                      config.origin(),
                      "models." + name + ".partition_by",
                      "column " + p + " is " + type + "; partitions are by time: name a TIMESTAMP or DATE column of " + name);
                }
              });
            });
  }

  public Warehouse warehouse() {
    return warehouse;
  }

  public Mode mode() {
    return mode;
  }

  public List<Step> steps() {
    return steps;
  }

  /**
   * The working tables the run creates (and drops at its end); a full refresh has some only when it
   * records the sources' fingerprints.
   */
  public List<TableName> workTables() {
    return workTables;
  }

  /** The models whose full build keeps their table, replacing its rows ({@link Warehouse#refillStatements}). */
  public Set<String> refilledInPlace() {
    return refilledInPlace;
  }

  /** The models this run builds or updates, in order. */
  public List<String> models() {
    Set<String> names = new LinkedHashSet<>();
    for (Step s : steps) {
      if (s.phase() == Phase.BUILD || s.phase() == Phase.APPLY || s.phase() == Phase.WORK) {
        names.add(s.model());
      }
    }
    return new ArrayList<>(names);
  }

  /** The whole run as one script, after the warehouse's {@link Warehouse#scriptPrologue}; transactional groups are wrapped in BEGIN / COMMIT. */
  public String script() {
    return warehouse.scriptPrologue() + render(steps);
  }

  /** The statements of one model's steps, in run order (its part of {@link #script()}). */
  public String script(String model) {
    return render(steps.stream().filter(s -> s.model().equals(model)).collect(Collectors.toList()));
  }

  private String render(List<Step> selected) {
    // sized for the statements and their separators (a transaction adds a few words): growing a
    // script's buffer by copying was most of what a script cost beyond its SELECTs
    int length = 0;
    for (Step s : selected) {
      for (String statement : s.statements()) {
        length += statement.length() + 4;
      }
    }
    StringBuilder b = new StringBuilder(length + 64);
    // without multi-statement transactions each statement stands alone (see Warehouse.hasTransactions)
    boolean transactions = warehouse.hasTransactions();
    // all of a run's APPLY steps form one transaction; each SWAP step forms its own
    List<String> apply = new ArrayList<>();
    for (Step s : selected) {
      if (!apply.isEmpty() && s.phase() != Phase.APPLY) {
        b.append(warehouse.transactionScript(apply));
        apply.clear();
      }
      if (transactions && s.phase() == Phase.APPLY) {
        apply.addAll(s.statements());
      } else if (transactions && ((s.phase() == Phase.SWAP && warehouse.swapsInOneTransaction()) || s.phase() == Phase.RECORD)) {
        b.append(warehouse.transactionScript(s.statements()));
      } else {
        for (String statement : s.statements()) {
          b.append(statement).append(";\n\n");
        }
      }
    }
    if (!apply.isEmpty()) {
      b.append(warehouse.transactionScript(apply));
    }
    // String.stripTrailing, without copying the script twice more
    int end = b.length();
    while (end > 0 && Character.isWhitespace(b.charAt(end - 1))) {
      end--;
    }
    b.setLength(end);
    return b.append('\n').toString();
  }
}
