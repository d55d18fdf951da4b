package io.heapsdk.model;

import com.google.common.collect.ImmutableList;
import io.heapsdk.config.HeapConfig;
import io.heapsdk.source.ColumnType;
import io.heapsdk.source.SourceCatalog;
import io.heapsdk.source.SourceColumn;
import io.heapsdk.source.SourceTable;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.prepare.RelOptTableImpl;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.logical.LogicalTableScan;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexSubQuery;
import org.apache.calcite.tools.RelBuilder;

/**
 * What a {@link ModelPlanner} builds its query with: the config, a {@code RelBuilder}, and scans of
 * upstream models ({@link #ref}) and Heap source tables ({@link #source}). One per model planning;
 * not thread-safe.
 */
public final class PlanContext {
  private final String modelName;
  private final HeapConfig config;
  private final RelBuilder builder;
  private final ProjectPlanner planner;
  private final List<Stage> stages = new ArrayList<>();
  private final Set<String> refs = new LinkedHashSet<>();
  private final Set<String> sources = new LinkedHashSet<>();

  /** Column of the active-users table. */
  public static final String ACTIVE_USER_ID = "heap_user_id";

  /**
   * The working table of a reconciling run's users whose source rows changed since the last reconciling
   * run (one column, {@value #ACTIVE_USER_ID}); the active users include them.
   */
  public static final String RECONCILED_USERS = "heap__reconciled_users";

  /**
   * The one column of an incremental run's high-water mark table: the time a source row must be later
   * than for its user to be active, NULL when there is no mark (every user is active).
   */
  public static final String HIGH_WATER_MARK_SINCE = "since";

  private final PlanMode mode;

  PlanContext(String modelName, HeapConfig config, RelBuilder builder, ProjectPlanner planner, PlanMode mode) {
    this.modelName = modelName;
    this.config = config;
    this.builder = builder;
    this.planner = planner;
    this.mode = mode;
  }

  /** Whether the query being planned is the full one or an incremental run's. */
  public PlanMode mode() {
    return mode;
  }

  /** The name of the model being planned. */
  public String modelName() {
    return modelName;
  }

  public HeapConfig config() {
    return config;
  }

  /** The builder to build the query with; {@link #ref} and {@link #source} push scans onto it. */
  public RelBuilder builder() {
    return builder;
  }

  /** Pushes a scan of another model (planning it first if needed) and returns the builder. */
  public RelBuilder ref(String model) {
    PlannedModel upstream = planner.planForRef(modelName, model);
    refs.add(model);
    Placeholder.Kind kind =
        mode == PlanMode.INCREMENTAL && upstream.model().materialization() == Materialization.INCREMENTAL
            // an incremental run reads the rows the upstream fact recomputes for the same users
            ? Placeholder.Kind.CHANGES
            : Placeholder.Kind.MODEL;
    return builder.push(scan(new Placeholder(kind, model), upstream.rowType()));
  }

  /**
   * Pushes the rows an incremental model will hold once the run's apply is done: in an incremental run,
   * its table's rows of users the run does not recompute whose key the run does not recompute either,
   * and the rows the run recomputed ({@link #ref}); in a full build, the same as {@link #ref}. For a
   * model that aggregates another's rows across users (the sessions fact counts a session's events by
   * the session's id, whoever holds an event), so that a recomputed row counts the rows of users the run
   * leaves alone too.
   */
  public RelBuilder refAfterApply(String model) {
    ref(model);
    PlannedModel upstream = planner.planForRef(modelName, model);
    if (mode != PlanMode.INCREMENTAL || upstream.model().materialization() != Materialization.INCREMENTAL) {
      return builder;
    }
    String key = upstream.model().uniqueKey().orElseThrow();
    String user = upstream.model().userColumn().orElseThrow();
    RelNode changes = builder.build();
    RelNode recomputedKeys = builder.push(changes).project(builder.field(key)).build();
    builder.push(scan(new Placeholder(Placeholder.Kind.MODEL, model), upstream.rowType()));
    builder.filter(
        // a row without a user belongs to no active user (and NOT IN would drop it)
        builder.or(builder.isNull(builder.field(user)), builder.not(isActiveUser(builder.field(user)))),
        builder.not(RexSubQuery.in(recomputedKeys, ImmutableList.of(builder.field(key)))));
    builder.push(changes);
    return builder.union(true, 2);
  }

  /**
   * Pushes a scan of a Heap Connect table by logical name ({@code pageviews}); its columns carry the
   * physical names of the config, see {@link #column}.
   */
  public RelBuilder source(String table) {
    return source(table, false);
  }

  /**
   * Pushes a scan of every row of a Heap table, even in an incremental run: for lookups that must see
   * the whole table, such as the identity map.
   */
  public RelBuilder sourceAllRows(String table) {
    return source(table, true);
  }

  private RelBuilder source(String table, boolean allRows) {
    SourceCatalog catalog = config.catalog();
    SourceTable t =
        catalog
            .findTable(table)
            .orElseThrow(
                () ->
                    new HeapModelException(
                        modelName, "unknown Heap table [" + table + "]; tables are " + catalog.tableNames()));
    sources.add(table);
    RelDataTypeFactory f = builder.getTypeFactory();
    RelDataTypeFactory.Builder row = f.builder();
    for (SourceColumn c : t.columns()) {
      row.add(c.physicalName(), HeapTypes.of(f, c.type()));
    }
    builder.push(scan(new Placeholder(Placeholder.Kind.SOURCE, table), row.build()));
    if (mode == PlanMode.INCREMENTAL && !allRows) {
      keepActiveUsers(t);
    }
    return builder;
  }

  /**
   * Pushes a scan of a Heap table whose rows are versions of an id, for a model that keeps one version
   * per id (the latest, whichever user holds it) before anything else: in an incremental run, every
   * version of each id an active user holds, so that the dedup picks among the same versions as a full
   * build would, even those of users the run does not recompute. The model then keeps its active users'
   * rows after the dedup ({@link #isActiveUser}); a version that wins for an inactive user is already in
   * the fact, from the build that last recomputed that user. In a full build, the same as {@link
   * #source}.
   */
  public RelBuilder sourceVersions(String table, String idColumn) {
    if (mode != PlanMode.INCREMENTAL) {
      return source(table);
    }
    RelNode versions = source(table, true).build();
    builder.push(versions);
    keepActiveUsers(config.catalog().table(table));
    builder.project(builder.field(column(table, idColumn)));
    RelNode activeIds = builder.build();
    builder.push(versions);
    return builder.filter(RexSubQuery.in(activeIds, ImmutableList.of(builder.field(column(table, idColumn)))));
  }

  /**
   * Whether {@code user} is one of the run's active users: in an incremental run, the condition that
   * keeps an active user's rows after a dedup over {@link #sourceVersions}; in a full build, TRUE.
   */
  public RexNode isActiveUser(RexNode user) {
    if (mode != PlanMode.INCREMENTAL) {
      return builder.literal(true);
    }
    RelNode active = scan(new Placeholder(Placeholder.Kind.ACTIVE_USERS, "active_users"), activeUserRowType());
    return RexSubQuery.in(active, ImmutableList.of(user));
  }

  /**
   * Keeps the source rows of the run's active users. Every standard model partitions its windows by
   * user (or by ids that belong to one user), so an active user's rows come out exactly as in a full
   * build; a model that dedups versions of ids held by several users reads them with {@link
   * #sourceVersions} instead.
   */
  private void keepActiveUsers(SourceTable t) {
    List<String> userColumns =
        t.name().equals(SourceCatalog.USER_MIGRATIONS) ? List.of("from_user_id", "to_user_id") : List.of("user_id");
    RelDataType activeRow = activeUserRowType();
    List<RexNode> conditions = new ArrayList<>();
    for (String c : userColumns) {
      RelNode active = scan(new Placeholder(Placeholder.Kind.ACTIVE_USERS, "active_users"), activeRow);
      conditions.add(RexSubQuery.in(active, ImmutableList.of(builder.field(column(t.name(), c)))));
    }
    builder.filter(builder.or(conditions));
  }

  /** The row type of a table of user ids (active users, reconciled users). */
  RelDataType activeUserRowType() {
    RelDataTypeFactory f = builder.getTypeFactory();
    return f.builder().add(ACTIVE_USER_ID, HeapTypes.of(f, ColumnType.BIGINT)).build();
  }

  /** The physical name of a source column, after the config's renames. */
  public String column(String table, String logicalColumn) {
    try {
      return config.catalog().table(table).column(logicalColumn).physicalName();
    } catch (IllegalArgumentException e) {
      throw new HeapModelException(modelName, e.getMessage(), e);
    }
  }

  /** A reference to a source column of the scan on top of the builder, by logical name. */
  public RexNode field(String table, String logicalColumn) {
    return builder.field(column(table, logicalColumn));
  }

  /**
   * Ends a named step of the query: the builder's top becomes a CTE called {@code name}, and is replaced
   * by a scan of it. Use it to give intermediate results readable names in the SQL.
   */
  public RelBuilder stage(String name) {
    RelNode rel = builder.build();
    addStage(name, rel);
    return builder.push(scan(new Placeholder(Placeholder.Kind.STAGE, name), rel.getRowType()));
  }

  /** A scan of a working table of an incremental run (not pushed onto the builder). */
  RelNode scanWorkTable(String name, RelDataType rowType) {
    return scan(new Placeholder(Placeholder.Kind.WORK, name), rowType);
  }

  /** The row type of a model already planned (for synthetic models reading each other's tables). */
  RelDataType plannedRowType(String model) {
    return planner.planForRef(modelName, model).rowType();
  }

  void addStage(String name, RelNode rel) {
    planner.claimStageName(modelName, name);
    stages.add(new Stage(name, rel));
  }

  List<Stage> stages() {
    return stages;
  }

  Set<String> refs() {
    return refs;
  }

  Set<String> sources() {
    return sources;
  }

  RelNode scan(Placeholder placeholder, RelDataType rowType) {
    RelOptTable table =
        RelOptTableImpl.create(null, rowType, placeholder.qualifiedName(), (Expression) null);
    return LogicalTableScan.create(builder.getCluster(), table, List.of());
  }
}
