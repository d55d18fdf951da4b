package io.heapsdk.warehouse;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.Materialization;
import io.heapsdk.model.Placeholder;
import io.heapsdk.model.PlannedModel;
import io.heapsdk.model.ProjectPlan;
import io.heapsdk.model.Stage;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.SingleRel;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.JoinInfo;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.rel2sql.RelToSqlConverter;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexOver;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexSubQuery;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDialect;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlWindow;
import org.apache.calcite.sql.SqlWriterConfig;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.pretty.SqlPrettyWriter;
import org.apache.calcite.sql.util.SqlBasicVisitor;
import org.apache.calcite.sql.util.SqlShuttle;
import org.apache.calcite.util.ReflectUtil;
import org.apache.calcite.util.Util;

/**
 * Renders planned models as SELECT text for one warehouse.
 *
 * <p>Each stage of a model (and each ephemeral model it reads) is converted on its own by Calcite's
 * {@code RelToSqlConverter} and becomes a named CTE, so the SQL reads as a list of named steps instead of
 * nested {@code t0}/{@code t1} subqueries. Placeholder scans are resolved here: source tables to their
 * qualified physical names, materialized models to target tables, stages and ephemeral models to CTE
 * names. Thread-safe.
 *
 * <p>A renderer keeps the text of each relation it rendered, by the relation (its identity: plans are
 * immutable) and the name it was rendered under: an ephemeral model is inlined into every model that
 * reads it, and {@code heap compile} also writes its own SELECT. Everything else the text depends on is
 * fixed for the renderer's life: the warehouse, the plan with its config, the working-table suffix. The
 * texts kept are at most one per relation of that plan and name, and go with the renderer.
 */
public final class SqlRenderer {
  private final Warehouse warehouse;
  private final ProjectPlan plan;
  private final SqlWriterConfig writerConfig;
  private final String workSuffix;
  private final Map<Rendered, String> rendered = new ConcurrentHashMap<>();
  /** CTEs read from tables stored before the statement ({@link #storingShared}); empty otherwise. */
  private final Map<String, TableName> storedCtes;

  /**
   * An idle converter for each dialect class, taken by one conversion at a time and put back: building
   * one (Calcite gives each its own type factory) was 3% of a warm render's profile, and a converter is
   * not thread-safe. {@link Converter#convert} forgets what the previous conversion left, so a converter
   * taken from here converts as a new one would. Keyed by class, so the slots go with the dialect's
   * class; one holding another instance of that class is not used.
   */
  private static final ClassValue<AtomicReference<Converter>> IDLE_CONVERTERS =
      new ClassValue<>() {
        @Override
        protected AtomicReference<Converter> computeValue(Class<?> dialectClass) {
          return new AtomicReference<>();
        }
      };

  /** A relation, by identity ({@code RelNode.equals} is identity), and the name it is rendered under. */
  private record Rendered(RelNode rel, String name) {}

  /**
   * A renderer of {@code plan}'s models for {@code warehouse}; refuses at once, with a {@link
   * io.heapsdk.HeapException} naming the config key or model, a schema, table or column name the
   * warehouse cannot store ({@link Warehouse#checkName}).
   */
  public SqlRenderer(Warehouse warehouse, ProjectPlan plan) {
    this(warehouse, plan, "");
  }

  /**
   * A renderer whose working tables (active users, high-water mark, {@code __changes}) carry {@code
   * workSuffix}, so that runs never share them: {@code heap run} gives each run its own suffix.
   */
  public SqlRenderer(Warehouse warehouse, ProjectPlan plan, String workSuffix) {
    warehouse.checkNames(plan);
    this.warehouse = warehouse;
    this.plan = plan;
    this.workSuffix = workSuffix;
    this.storedCtes = Map.of();
    this.writerConfig =
        SqlPrettyWriter.config()
            .withDialect(warehouse.dialect())
            .withIndentation(2)
            .withClauseStartsLine(true)
            .withSelectListItemsOnSeparateLines(true)
            .withAlwaysUseParentheses(false)
            .withQuoteAllIdentifiers(true);
  }

  /** {@code base}, reading the CTEs of {@code stored} from those tables instead. */
  private SqlRenderer(SqlRenderer base, Map<String, TableName> stored) {
    this.warehouse = base.warehouse;
    this.plan = base.plan;
    this.workSuffix = base.workSuffix;
    this.writerConfig = base.writerConfig;
    this.storedCtes = Map.copyOf(stored);
  }

  public Warehouse warehouse() {
    return warehouse;
  }

  public ProjectPlan plan() {
    return plan;
  }

  String workSuffix() {
    return workSuffix;
  }

  /** The qualified name of a materialized model's table. */
  public String tableName(String model) {
    HeapConfig c = plan.config();
    return warehouse.qualified(c.targetDatabase(), c.targetSchema(), model);
  }

  /** The qualified name of a Heap source table (logical name), after the config's renames. */
  public String sourceName(String table) {
    HeapConfig c = plan.config();
    return warehouse.qualified(c.sourceDatabase(), c.sourceSchema(), c.catalog().table(table).physicalName());
  }

  /**
   * The full SELECT of a model: its ephemeral upstream models and its own stages as CTEs, in dependency
   * order, then its final query.
   */
  public String select(String model) {
    return render(plan.model(model), plan.ephemeralUpstream(model));
  }

  /**
   * The SELECT of the rows an incremental run recomputes for an incremental model: the rows of the
   * run's active users, read from their source rows and from the recomputed rows of the incremental
   * models it refs.
   */
  public String incrementalSelect(String model) {
    ProjectPlan.IncrementalPlan inc = incrementalPlan();
    return render(inc.model(model), inc.ephemeralUpstream(model));
  }

  /** The SELECT of an incremental run's high-water mark (one row). */
  public String highWaterMarkSelect() {
    return render(incrementalPlan().highWaterMark(), List.of());
  }

  /** The working table of an incremental run called {@code name} (e.g. the high-water mark). */
  public String workTable(String name) {
    HeapConfig c = plan.config();
    return warehouse.qualified(c.targetDatabase(), c.targetSchema(), name + workSuffix);
  }

  /** The SELECT of an incremental run's active users. */
  public String activeUsersSelect() {
    return activeUsersSelect(Set.of());
  }

  /** The SELECT of the active users of a run that rebuilds {@code rebuiltInFull} in full ({@link ProjectPlan.IncrementalPlan#activeUsers(Set)}). */
  public String activeUsersSelect(Set<String> rebuiltInFull) {
    ProjectPlan.IncrementalPlan inc = incrementalPlan();
    PlannedModel active = inc.activeUsers(rebuiltInFull);
    return render(active, inc.activeUsersEphemerals(active));
  }

  /** {@link #activeUsersSelect(Set)}, each CTE read more than once stored first, as {@link #selectStoringShared} stores them. */
  public StoredSelect activeUsersSelectStoringShared(Set<String> rebuiltInFull) {
    ProjectPlan.IncrementalPlan inc = incrementalPlan();
    PlannedModel active = inc.activeUsers(rebuiltInFull);
    return storingShared(active, inc.activeUsersEphemerals(active), workTable(active));
  }

  /** The working table holding the rows an incremental run recomputes for a model. */
  public String changesTable(String model) {
    HeapConfig c = plan.config();
    return warehouse.qualified(c.targetDatabase(), c.targetSchema(), changesTableName(model) + workSuffix);
  }

  /** The working table holding an incremental run's active users. */
  public String activeUsersTable() {
    HeapConfig c = plan.config();
    return warehouse.qualified(c.targetDatabase(), c.targetSchema(), ACTIVE_USERS_TABLE + workSuffix);
  }

  /** Unqualified name of a model's changes table. */
  public static String changesTableName(String model) {
    return model + "__changes";
  }

  /** Unqualified name of the active users table. */
  public static final String ACTIVE_USERS_TABLE = "heap__active_users";

  private ProjectPlan.IncrementalPlan incrementalPlan() {
    return plan.requireIncremental();
  }

  private String render(PlannedModel target, List<PlannedModel> ephemerals) {
    return render(target.root(), target.name(), ctes(target, ephemerals));
  }

  /** The CTEs of a model's SELECT, by name, in dependency order: its ephemeral upstream models, its stages. */
  private static Map<String, RelNode> ctes(PlannedModel target, List<PlannedModel> ephemerals) {
    Map<String, RelNode> ctes = new LinkedHashMap<>();
    for (PlannedModel upstream : ephemerals) {
      addStages(ctes, upstream);
      ctes.put(upstream.name(), upstream.root());
    }
    addStages(ctes, target);
    return ctes;
  }

  /**
   * One CTE of a SELECT: its name (unquoted), its body, and whether it is written {@code AS NOT
   * MATERIALIZED} ({@link Warehouse#inlinesRepeatedKeyDedups}).
   */
  private record Cte(String name, String body, boolean inlined) {}

  private String render(RelNode root, String name, Map<String, RelNode> ctes) {
    List<Cte> parts = new ArrayList<>(ctes.size());
    int length = 0;
    for (Map.Entry<String, RelNode> cte : ctes.entrySet()) {
      boolean inlined = warehouse.inlinesRepeatedKeyDedups()
          && warehouse.ranksRepeatedKeysOnly()
          && (RepeatedKeyDedup.applies(cte.getValue()) || keepsRankOneOfInlined(cte.getValue(), ctes));
      Cte part = new Cte(cte.getKey(), toSql(cte.getValue(), cte.getKey(), ctes), inlined);
      parts.add(part);
      length += part.body().length();
    }
    String query = toSql(root, name, ctes);
    // room for the indentation (two characters a line) and the CTE names: growing a long statement's
    // buffer by copying it again and again cost more than the text itself
    StringBuilder sql = new StringBuilder(query.length() + length + length / 8 + 64 * parts.size());
    boolean first = true;
    for (Cte cte : parts) {
      sql.append(first ? "WITH " : ",\n");
      warehouse.identifiers().quote(sql, warehouse.cteName(cte.name())).append(cte.inlined() ? " AS NOT MATERIALIZED (\n" : " AS (\n");
      indent(sql, cte.body());
      sql.append("\n)");
      first = false;
    }
    if (!first) {
      sql.append('\n');
    }
    return sql.append(query).toString();
  }

  /**
   * Whether {@code rel} only filters (and projects, no window) the rank-1 rows of a dedup that is
   * written {@code NOT MATERIALIZED}: an ephemeral source model over its dedup stage, in an incremental
   * run with the active users' condition. Buffered, it would copy the wide rows the dedup was inlined not
   * to copy (DuckDB buffers such a CTE once it has two readers and a sub-query). A window would be
   * computed again by each reader: such a CTE stays as it is.
   */
  private static boolean keepsRankOneOfInlined(RelNode rel, Map<String, RelNode> ctes) {
    if (rel instanceof Project p && p.getProjects().stream().anyMatch(RexOver::containsOver)) {
      return false;
    }
    RelNode below = rel instanceof Project p ? p.getInput() : rel;
    return below instanceof Filter filter
        && DedupStage.rankOneOf(filter, ctes::get).filter(RepeatedKeyDedup::applies).isPresent();
  }

  private static void addStages(Map<String, RelNode> ctes, PlannedModel model) {
    for (Stage s : model.stages()) {
      ctes.put(s.name(), s.rel());
    }
  }

  /**
   * One relation as a single SELECT statement, placeholders resolved; {@code name} (the CTE or model it
   * becomes) names the subqueries Calcite would call {@code t}, {@code t0}, …. {@code ctes} are the
   * query's CTEs by name, for the rewrites that look at the stage a relation reads ({@link NarrowWindow}):
   * a stage name belongs to one model of a plan (the planner refuses a second), and every query that
   * renders {@code rel} has that model's stages among its CTEs, so the cached text holds for all of them.
   */
  private String toSql(RelNode rel, String name, Map<String, RelNode> ctes) {
    return rendered.computeIfAbsent(new Rendered(rel, name), r -> convert(r.rel(), r.name(), ctes));
  }

  private String convert(RelNode rel, String name, Map<String, RelNode> ctes) {
    if (warehouse.windowsOverKeyColumns()) {
      rel = NarrowWindow.rewrite(rel, ctes::get);
    }
    if (warehouse.ranksRepeatedKeysOnly()) {
      rel = RepeatedKeyDedup.rewrite(rel);
    }
    if (warehouse.dedupsInOneSort()) {
      rel = KeyOrderDedup.rewrite(rel);
    }
    if (warehouse.ranksOneAsRange()) {
      rel = RankOneAsRange.rewrite(rel, ctes::get);
    }
    if (warehouse.splitsMarkComparison()) {
      rel = MarkComparisonSplit.rewrite(rel);
    }
    if (warehouse.namesUtcInTimeFunctions()) {
      rel = UtcTimes.rewrite(rel);
    }
    SqlDialect dialect = warehouse.dialect();
    AtomicReference<Converter> idle = IDLE_CONVERTERS.get(dialect.getClass());
    Converter converter = idle.getAndSet(null);
    if (converter == null || converter.dialect != dialect) {
      converter = new Converter(dialect);
    }
    SqlNode node = converter.convert(rel).asStatement();
    idle.set(converter); // not after a failure: the converter's state is then unknown
    node = new InPlaceResolver(new Resolver()).resolve(node);
    node = SubqueryAliases.rename(node, name);
    Writer writer = new Writer(writerConfig);
    node.unparse(writer, 0, 0);
    return writer.toString();
  }

  /**
   * Appends a CTE body to {@code sql}, indented by two spaces, except where a line break is inside a
   * string literal or a quoted name (H2 and Redshift keep a newline of a value raw): indenting there
   * would change the value. The text goes in a line at a time, straight into the statement: a character
   * at a time into a copy of its own was 5% of a warm render's profile.
   */
  private void indent(StringBuilder sql, String text) {
    boolean backslashEscapes = warehouse.literals() != StringLiterals.STANDARD;
    boolean backticks = warehouse.identifiers() == Identifiers.BACKTICKS_AS_WRITTEN;
    char nameQuote = backticks ? '`' : '"';
    int n = text.length();
    if (n > 0 && text.charAt(0) != '\n') {
      sql.append("  ");
    }
    int from = 0; // the first character not yet appended
    char quote = 0; // the quote of the literal or name we are in, 0 outside
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (quote == 0) {
        if (c == '\'' || c == nameQuote) {
          quote = c;
        } else if (c == '\n' && i + 1 < n && text.charAt(i + 1) != '\n') {
          // a line outside any quote starts after this break (an empty one is left empty)
          sql.append(text, from, i + 1).append("  ");
          from = i + 1;
        }
      } else if (c == '\\' && (quote == '\'' ? backslashEscapes : backticks) && i + 1 < n) {
        i++; // an escaped character, the closing quote included
      } else if (c == quote) {
        if (i + 1 < n && text.charAt(i + 1) == quote && !(quote == '`')) {
          i++; // a doubled quote stands for itself
        } else {
          quote = 0;
        }
      }
    }
    sql.append(text, from, n);
  }

  /** A CTE stored in a working table before the statement that reads it: the columns joins look it up by. */
  public record StoredCte(String name, TableName table, String select, List<String> lookupColumns) {}

  /** A SELECT whose CTEs read more than once are {@code stored} first; {@code query} reads their tables. */
  public record StoredSelect(List<StoredCte> stored, String query) {}

  /**
   * {@link #select} for an engine that evaluates a CTE again at each reference ({@link
   * Warehouse#evaluatesCtePerReference}): each CTE the SELECT reads more than once (counted on the plan,
   * subqueries included) goes into a working table {@code <model>__<cte>} (with the run's suffix) first,
   * and the rest reads that table.
   */
  public StoredSelect selectStoringShared(String model) {
    PlannedModel target = plan.model(model);
    return storingShared(target, plan.ephemeralUpstream(model), workTable(target));
  }

  /**
   * {@link #selectStoringShared}, each stored CTE in the table {@code tableOf} names for it (an analysis:
   * a temporary table of the session, which must not write to the target schema).
   */
  public StoredSelect selectStoringShared(String model, Function<String, TableName> tableOf) {
    return storingShared(plan.model(model), plan.ephemeralUpstream(model), tableOf);
  }

  /** {@link #incrementalSelect}, stored as {@link #selectStoringShared} stores it. */
  public StoredSelect incrementalSelectStoringShared(String model) {
    ProjectPlan.IncrementalPlan inc = incrementalPlan();
    PlannedModel target = inc.model(model);
    return storingShared(target, inc.ephemeralUpstream(model), workTable(target));
  }

  /** A build's table for a CTE of {@code target}: {@code <model>__<cte>} with the run's suffix, in the target schema. */
  private Function<String, TableName> workTable(PlannedModel target) {
    HeapConfig c = plan.config();
    return cte -> warehouse.table(c.targetDatabase(), c.targetSchema(), target.name() + "__" + cte + workSuffix);
  }

  private StoredSelect storingShared(PlannedModel target, List<PlannedModel> ephemerals, Function<String, TableName> tableOf) {
    Map<String, RelNode> ctes = ctes(target, ephemerals);
    List<RelNode> all = new ArrayList<>(ctes.values());
    all.add(target.root());
    Map<String, Integer> reads = new HashMap<>();
    all.forEach(r -> walk(r, rel -> cteRead(rel, ctes.keySet()).ifPresent(n -> reads.merge(n, 1, Integer::sum))));
    Map<String, Set<String>> lookups = new HashMap<>();
    all.forEach(r -> walk(r, rel -> addComputedInLookups(rel, ctes, lookups)));
    Map<String, TableName> tables = new LinkedHashMap<>();
    for (String name : ctes.keySet()) {
      if (reads.getOrDefault(name, 0) > 1 || lookups.containsKey(name)) {
        tables.put(name, tableOf.apply(name));
      }
    }
    if (tables.isEmpty()) {
      return new StoredSelect(List.of(), render(target, ephemerals));
    }
    all.forEach(r -> walk(r, rel -> addLookupColumns(rel, tables.keySet(), lookups)));
    SqlRenderer reading = new SqlRenderer(this, tables);
    List<StoredCte> stored = new ArrayList<>();
    for (Map.Entry<String, TableName> t : tables.entrySet()) {
      RelNode rel = ctes.get(t.getKey());
      stored.add(
          new StoredCte(
              t.getKey(),
              t.getValue(),
              reading.render(rel, t.getKey(), needed(rel, ctes, tables.keySet())),
              List.copyOf(lookups.getOrDefault(t.getKey(), Set.of()))));
    }
    return new StoredSelect(stored, reading.render(target.root(), target.name(), needed(target.root(), ctes, tables.keySet())));
  }

  /** The CTEs of {@code ctes} that {@code rel} reads, directly or through one another, except {@code stored}; in order. */
  private Map<String, RelNode> needed(RelNode rel, Map<String, RelNode> ctes, Set<String> stored) {
    Set<String> read = new HashSet<>();
    List<RelNode> todo = new ArrayList<>(List.of(rel));
    while (!todo.isEmpty()) {
      walk(
          todo.remove(todo.size() - 1),
          r ->
              cteRead(r, ctes.keySet())
                  .filter(n -> !stored.contains(n) && read.add(n))
                  .ifPresent(n -> todo.add(ctes.get(n))));
    }
    Map<String, RelNode> result = new LinkedHashMap<>();
    ctes.forEach((n, r) -> {
      if (read.contains(n)) {
        result.put(n, r);
      }
    });
    return result;
  }

  /** The CTE of {@code names} that {@code rel} scans, if it is such a scan. */
  private Optional<String> cteRead(RelNode rel, Set<String> names) {
    if (!(rel instanceof TableScan)) {
      return Optional.empty();
    }
    return Placeholder.decode(rel.getTable().getQualifiedName())
        .filter(p -> isCte(p) && names.contains(p.name()))
        .map(Placeholder::name);
  }

  /** Whether a placeholder is rendered as a CTE: a stage, or an ephemeral model. */
  private boolean isCte(Placeholder p) {
    return p.kind() == Placeholder.Kind.STAGE
        || (p.kind() == Placeholder.Kind.MODEL
            && plan.model(p.name()).model().materialization() == Materialization.EPHEMERAL);
  }

  /**
   * For a filter that reads a CTE directly and looks a column the CTE computes (not one it passes on)
   * up in a subquery ({@code user IN (SELECT … active users)}): that CTE and column. H2 turns such an
   * {@code IN} into an index on the CTE, evaluating the whole CTE once per value looked up; with a
   * column passed on from a table it looks the table's index up inside instead. With identity
   * resolution the dedup stage's user is {@code COALESCE(merged into, user)}: an incremental run's
   * events changes took 6.2 s at 3,000 users (growing with the active users) where the stage stored
   * first, then read, took 0.4 s. So such a CTE is stored, indexed on the column.
   */
  private void addComputedInLookups(RelNode rel, Map<String, RelNode> ctes, Map<String, Set<String>> lookups) {
    if (!(rel instanceof Filter filter)) {
      return;
    }
    Optional<String> cte = cteRead(filter.getInput(), ctes.keySet());
    if (cte.isEmpty() || !(ctes.get(cte.get()) instanceof Project defined)) {
      return;
    }
    filter.getCondition().accept(
        new RexShuttle() {
          @Override
          public RexNode visitSubQuery(RexSubQuery subQuery) {
            if (subQuery.getKind() == SqlKind.IN) {
              for (RexNode operand : subQuery.getOperands()) {
                if (operand instanceof RexInputRef ref && !(defined.getProjects().get(ref.getIndex()) instanceof RexInputRef)) {
                  String field = filter.getInput().getRowType().getFieldNames().get(ref.getIndex());
                  lookups.computeIfAbsent(cte.get(), k -> new LinkedHashSet<>()).add(field);
                }
              }
            }
            return subQuery;
          }
        });
  }

  /** For a join, the columns of each stored CTE its equality condition looks up (through projections and filters). */
  private void addLookupColumns(RelNode rel, Set<String> stored, Map<String, Set<String>> lookups) {
    if (!(rel instanceof Join join)) {
      return;
    }
    JoinInfo info = join.analyzeCondition();
    for (int side = 0; side < 2; side++) {
      for (int key : side == 0 ? info.leftKeys : info.rightKeys) {
        RelNode input = side == 0 ? join.getLeft() : join.getRight();
        int column = key;
        while (true) {
          if (input instanceof Project project && project.getProjects().get(column) instanceof RexInputRef ref) {
            column = ref.getIndex();
            input = project.getInput();
          } else if (input instanceof Filter filter) {
            input = filter.getInput();
          } else {
            break;
          }
        }
        String field = input.getRowType().getFieldNames().get(column);
        cteRead(input, stored).ifPresent(n -> lookups.computeIfAbsent(n, k -> new LinkedHashSet<>()).add(field));
      }
    }
  }

  /** Calls {@code visit} on {@code rel} and every relation under it, those of subqueries included. */
  private static void walk(RelNode rel, Consumer<RelNode> visit) {
    visit.accept(rel);
    rel.accept(
        new RexShuttle() {
          @Override
          public RexNode visitSubQuery(RexSubQuery subQuery) {
            walk(subQuery.rel, visit);
            return subQuery;
          }
        });
    rel.getInputs().forEach(input -> walk(input, visit));
  }

  /**
   * Calcite's converter, with the look-up of its {@code visit} method for each kind of relation kept
   * across converters. Calcite finds it by reflection and caches it per converter; a converter renders
   * one relation, so every render searched the methods again ({@code Class.getMethod}, about a tenth of a
   * warm render). The method found is the same, {@link ReflectUtil#lookupVisitMethod}, so is the SQL.
   */
  private static final class Converter extends RelToSqlConverter {
    private static final ClassValue<Optional<Method>> VISIT =
        new ClassValue<>() {
          @Override
          protected Optional<Method> computeValue(Class<?> relClass) {
            return Optional.ofNullable(ReflectUtil.lookupVisitMethod(Converter.class, relClass, "visit"));
          }
        };

    Converter(SqlDialect dialect) {
      super(dialect);
    }

    /**
     * {@link #visitRoot}, as a new converter would do it: the aliases and correlations of the relation
     * converted before are forgotten first. Calcite's {@code visitRoot} first gives the relation to a
     * {@code HepPlanner} with the rules the dialect asks for (Redshift: literals out of GROUP BY), which
     * copies the whole tree even when no rule applies: 7% of a warm render's profile, all of it on
     * Redshift. Where no rule can match, the relation is converted as it stands, exactly as {@code
     * visitRoot} converts the planner's unchanged copy.
     */
    Result convert(RelNode rel) {
      aliasSet.clear();
      correlTableMap.clear();
      if (rewritable(rel)) {
        return visitRoot(rel);
      }
      try {
        // visitRoot's own holder: the relation visited as the input of a parent that is no clause
        return visitInput(new SingleRel(rel.getCluster(), rel.getTraitSet(), rel) {}, 0);
      } catch (Error | RuntimeException e) {
        throw Util.throwAsRuntime("Error while converting RelNode to SqlNode:\n" + RelOptUtil.toString(rel), e);
      }
    }

    /**
     * Whether a rule of {@code visitRoot}'s planner could match {@code rel} or a relation below it: an
     * aggregate grouping by a literal of the projection below it (the condition of {@code
     * AggregateProjectConstantToDummyJoinRule}), a FULL or RIGHT join, any sort (whether its keys are
     * constant takes metadata; the planner decides), each only where the dialect needs that rule.
     */
    private boolean rewritable(RelNode rel) {
      if (rel instanceof Aggregate a
          && a.getInput() instanceof Project p
          && !dialect.supportsGroupByLiteral()
          && groupsByLiteral(a, p)) {
        return true;
      }
      if (rel instanceof Join j
          && (j.getJoinType() == JoinRelType.FULL || j.getJoinType() == JoinRelType.RIGHT)
          && !dialect.supportsJoinType(j.getJoinType())) {
        return true;
      }
      if (rel instanceof Sort && !dialect.supportsOrderByLiteral()) {
        return true;
      }
      for (RelNode input : rel.getInputs()) {
        if (rewritable(input)) {
          return true;
        }
      }
      return false;
    }

    private static boolean groupsByLiteral(Aggregate a, Project p) {
      for (int key : a.getGroupSet().asList()) {
        if (key < a.getRowType().getFieldCount() && p.getProjects().get(key) instanceof RexLiteral) {
          return true;
        }
      }
      return false;
    }

    @Override
    protected Result dispatch(RelNode e) {
      Optional<Method> visit = VISIT.get(e.getClass());
      if (visit.isEmpty()) {
        return super.dispatch(e); // Calcite's own error
      }
      try {
        return (Result) visit.get().invoke(this, e);
      } catch (IllegalAccessException x) {
        throw new IllegalStateException("cannot call " + visit.get(), x);
      } catch (InvocationTargetException x) {
        // unwrapped, as Calcite's dispatcher does
        Throwable cause = x.getCause();
        if (cause instanceof RuntimeException r) {
          throw r;
        }
        if (cause instanceof Error err) {
          throw err;
        }
        throw new IllegalStateException("while invoking " + visit.get(), cause);
      }
    }
  }

  /**
   * Calcite's pretty writer, without its line-length check before every token: with no maximum line
   * length configured (ours) the check always says no, but it also logged each token at TRACE: 6% of a
   * warm render's profile. The text written is the same. Its buffer starts at the size of a typical
   * relation's text rather than 16 characters, doubled again and again.
   */
  private static final class Writer extends SqlPrettyWriter {
    private final boolean lineLength;

    Writer(SqlWriterConfig config) {
      super(config, new StringBuilder(1024));
      lineLength = config.lineLength() > 0;
    }

    @Override
    protected boolean tooLong(String s) {
      return lineLength && super.tooLong(s);
    }
  }

  /**
   * {@link Resolver}'s work done in place, without copying every call on the way (the shuttle copies the
   * operands of each call it visits, 6% of the rendering in a warm render's profile). The converter's
   * tree is this conversion's own, so changing it changes nothing else. A placeholder under a call that
   * cannot take a new operand is left for the {@link Resolver}, which then copies as before.
   */
  private static final class InPlaceResolver extends SqlBasicVisitor<Void> {
    private final Resolver resolver;
    private boolean incomplete;

    InPlaceResolver(Resolver resolver) {
      this.resolver = resolver;
    }

    /** {@code node} resolved: itself, changed in place, or what the shuttle made of it if it had to. */
    SqlNode resolve(SqlNode node) {
      if (node instanceof SqlIdentifier id) {
        return resolver.resolve(id);
      }
      node.accept(this);
      return incomplete ? node.accept(resolver) : node;
    }

    @Override
    public Void visit(SqlCall call) {
      if (resolver.resolveAliasedTable(call)) {
        return null;
      }
      resolver.fixFrame(call);
      List<SqlNode> operands = call.getOperandList();
      for (int i = 0; i < operands.size(); i++) {
        SqlNode operand = operands.get(i);
        if (operand instanceof SqlIdentifier id) {
          SqlNode resolved = resolver.resolve(id);
          if (resolved != id) {
            try {
              call.setOperand(i, resolved);
            } catch (UnsupportedOperationException e) {
              incomplete = true;
            }
          }
        } else if (operand != null) {
          operand.accept(this);
        }
      }
      return null;
    }

    @Override
    public Void visit(SqlNodeList list) {
      for (int i = 0; i < list.size(); i++) {
        SqlNode item = list.get(i);
        if (item instanceof SqlIdentifier id) {
          SqlNode resolved = resolver.resolve(id);
          if (resolved != id) {
            list.set(i, resolved);
          }
        } else if (item != null) {
          item.accept(this);
        }
      }
      return null;
    }
  }

  /** Resolves placeholder table names and makes every whole-partition window frame a ROWS frame. */
  private final class Resolver extends SqlShuttle {
    /**
     * A bare placeholder table: Calcite qualified its columns with the placeholder's name, so when the
     * physical table is called something else ({@code pageviews} renamed by config, a fact read from
     * its {@code __changes} table) that name becomes the table's alias.
     */
    @Override
    public SqlNode visit(SqlIdentifier id) {
      return resolve(id);
    }

    @Override
    public SqlNode visit(SqlCall call) {
      if (resolveAliasedTable(call)) {
        return call;
      }
      fixFrame(call);
      return super.visit(call);
    }

    /** {@code id}, or what it stands for if it is a placeholder table (see {@link #visit(SqlIdentifier)}). */
    SqlNode resolve(SqlIdentifier id) {
      return Placeholder.decode(id.names)
          .<SqlNode>map(
              p -> {
                List<String> physical = physicalNames(p);
                SqlIdentifier table = new SqlIdentifier(physical, id.getParserPosition());
                if (physical.get(physical.size() - 1).equals(p.name())) {
                  return table;
                }
                return SqlStdOperatorTable.AS.createCall(
                    id.getParserPosition(), table, new SqlIdentifier(p.name(), id.getParserPosition()));
              })
          .orElse(id);
    }

    /** Whether {@code call} is {@code placeholder AS alias}, its table now resolved in place. */
    boolean resolveAliasedTable(SqlCall call) {
      if (call.getKind() == SqlKind.AS
          && call.operand(0) instanceof SqlIdentifier table
          && Placeholder.decode(table.names).isPresent()) {
        // Calcite aliased the table itself (a second scan of it): keep that alias
        Placeholder p = Placeholder.decode(table.names).get();
        call.setOperand(0, new SqlIdentifier(physicalNames(p), table.getParserPosition()));
        return true;
      }
      return false;
    }

    /** Makes a window's whole-partition frame a ROWS frame, or no frame without ORDER BY (in place). */
    void fixFrame(SqlCall call) {
      if (call instanceof SqlWindow w && isWholePartition(w)) {
        if (w.getOrderList() == null || w.getOrderList().size() == 0) {
          // without ORDER BY the frame is the whole partition anyway; Redshift rejects a frame there
          w.setLowerBound(null);
          w.setUpperBound(null);
        } else if (!w.isRows()) {
          // Calcite turns ROWS UNBOUNDED PRECEDING..UNBOUNDED FOLLOWING into RANGE; same rows, but
          // Redshift accepts only ROWS frames and BigQuery rejects RANGE with two order keys
          w.setRows(SqlLiteral.createBoolean(true, w.getParserPosition()));
        }
      }
    }

    private boolean isWholePartition(SqlWindow w) {
      return w.getLowerBound() != null
          && w.getUpperBound() != null
          && SqlWindow.isUnboundedPreceding(w.getLowerBound())
          && SqlWindow.isUnboundedFollowing(w.getUpperBound());
    }

    private List<String> physicalNames(Placeholder p) {
      HeapConfig c = plan.config();
      List<String> names = new ArrayList<>();
      TableName stored = storedCtes.get(p.name());
      if (stored != null && isCte(p)) {
        stored.database().ifPresent(names::add);
        names.add(stored.schema());
        names.add(stored.name());
        return names;
      }
      switch (p.kind()) {
        case SOURCE:
          c.sourceDatabase().ifPresent(names::add);
          names.add(c.sourceSchema());
          names.add(c.catalog().table(p.name()).physicalName());
          break;
        case MODEL:
          if (plan.model(p.name()).model().materialization() != Materialization.EPHEMERAL) {
            c.targetDatabase().ifPresent(names::add);
            names.add(c.targetSchema());
            names.add(p.name());
          } else {
            names.add(warehouse.cteName(p.name()));
          }
          break;
        case CHANGES:
          c.targetDatabase().ifPresent(names::add);
          names.add(c.targetSchema());
          names.add(changesTableName(p.name()) + workSuffix);
          break;
        case ACTIVE_USERS:
          c.targetDatabase().ifPresent(names::add);
          names.add(c.targetSchema());
          names.add(ACTIVE_USERS_TABLE + workSuffix);
          break;
        case WORK:
          c.targetDatabase().ifPresent(names::add);
          names.add(c.targetSchema());
          names.add(p.name() + workSuffix);
          break;
        case STAGE:
        default:
          names.add(warehouse.cteName(p.name()));
          break;
      }
      return names;
    }
  }
}
