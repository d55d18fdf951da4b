package io.heapsdk.validation;

import com.google.zetasql.Analyzer;
import com.google.zetasql.AnalyzerOptions;
import com.google.zetasql.LanguageOptions;
import com.google.zetasql.ParseResumeLocation;
import com.google.zetasql.SimpleCatalog;
import com.google.zetasql.SimpleColumn;
import com.google.zetasql.SimpleTable;
import com.google.zetasql.SqlException;
import com.google.zetasql.TypeFactory;
import com.google.zetasql.ZetaSQLBuiltinFunctionOptions;
import com.google.zetasql.ZetaSQLOptions.LanguageFeature;
import com.google.zetasql.ZetaSQLOptions.ProductMode;
import com.google.zetasql.ZetaSQLResolvedNodeKind.ResolvedNodeKind;
import com.google.zetasql.ZetaSQLType.TypeKind;
import com.google.zetasql.resolvedast.ResolvedNodes.ResolvedStatement;
import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.PlanContext;
import io.heapsdk.model.PlannedModel;
import io.heapsdk.model.ProjectPlan;
import io.heapsdk.source.ColumnType;
import io.heapsdk.source.SourceColumn;
import io.heapsdk.source.SourceTable;
import io.heapsdk.warehouse.SourcePrints;
import io.heapsdk.warehouse.SqlRenderer;
import io.heapsdk.warehouse.StateSql;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeField;

/**
 * ZetaSQL, BigQuery's own SQL front end, set up as BigQuery: BigQuery's language features and
 * statement kinds, its external type names, and a catalog holding one project's Heap source tables and
 * target tables with their column types, so that a statement is resolved (every name, every type) and
 * not only parsed.
 */
final class BigQueryAnalyzer implements AutoCloseable {
  /**
   * The language features BigQuery's GoogleSQL reference documents that rendered statements may use;
   * anything else ZetaSQL knows stays off, so a ZetaSQL-only construct is rejected.
   */
  private static final Set<LanguageFeature> BIGQUERY_FEATURES =
      Set.of(
          // window function calls: ROW_NUMBER() OVER (…), FIRST_VALUE(…) OVER (… ROWS BETWEEN …)
          LanguageFeature.FEATURE_ANALYTIC_FUNCTIONS,
          // IGNORE NULLS / RESPECT NULLS in FIRST_VALUE, LAST_VALUE and aggregates
          LanguageFeature.FEATURE_V_1_1_NULL_HANDLING_MODIFIER_IN_ANALYTIC,
          LanguageFeature.FEATURE_V_1_1_NULL_HANDLING_MODIFIER_IN_AGGREGATE,
          // ORDER BY … NULLS FIRST | NULLS LAST, in queries and window specifications
          LanguageFeature.FEATURE_V_1_3_NULLS_FIRST_LAST_IN_ORDER_BY,
          // WITH inside subqueries
          LanguageFeature.FEATURE_V_1_1_WITH_ON_SUBQUERY,
          // CREATE TABLE … PARTITION BY DATE(…) CLUSTER BY …
          LanguageFeature.FEATURE_CREATE_TABLE_PARTITION_BY,
          LanguageFeature.FEATURE_CREATE_TABLE_CLUSTER_BY,
          // the QUALIFY clause
          LanguageFeature.FEATURE_V_1_3_QUALIFY,
          // NUMERIC, DATETIME / TIME, INTERVAL: BigQuery data types
          LanguageFeature.FEATURE_NUMERIC_TYPE,
          LanguageFeature.FEATURE_V_1_2_CIVIL_TIME,
          LanguageFeature.FEATURE_INTERVAL_TYPE,
          // SAFE. function calls, IS [NOT] DISTINCT FROM, string functions such as INSTR
          LanguageFeature.FEATURE_V_1_2_SAFE_FUNCTION_CALL,
          LanguageFeature.FEATURE_V_1_3_IS_DISTINCT,
          LanguageFeature.FEATURE_V_1_3_ADDITIONAL_STRING_FUNCTIONS);

  /** The statement kinds a BuildPlan may render for BigQuery (and queries, which BigQuery runs too). */
  private static final Set<ResolvedNodeKind> STATEMENT_KINDS =
      Set.of(
          ResolvedNodeKind.RESOLVED_QUERY_STMT,
          ResolvedNodeKind.RESOLVED_CREATE_SCHEMA_STMT,
          ResolvedNodeKind.RESOLVED_CREATE_TABLE_STMT,
          ResolvedNodeKind.RESOLVED_CREATE_TABLE_AS_SELECT_STMT,
          ResolvedNodeKind.RESOLVED_DROP_STMT,
          // ALTER TABLE … RENAME TO: a full refresh swaps <table>__new in
          ResolvedNodeKind.RESOLVED_ALTER_TABLE_STMT,
          ResolvedNodeKind.RESOLVED_DELETE_STMT,
          ResolvedNodeKind.RESOLVED_INSERT_STMT,
          ResolvedNodeKind.RESOLVED_MERGE_STMT,
          // a plan a host runs itself marks heap run's record of the models it writes (StateSql)
          ResolvedNodeKind.RESOLVED_UPDATE_STMT,
          ResolvedNodeKind.RESOLVED_BEGIN_STMT,
          ResolvedNodeKind.RESOLVED_COMMIT_STMT);

  // the in-process JNI channel never resolves host names; grpc's warning that it has no DNS resolver
  // is noise in every test run (a strong reference: JUL keeps loggers weakly)
  private static final Logger GRPC_RESOLVER_LOG = Logger.getLogger("com.google.zetasql.io.grpc.NameResolverRegistry");

  static {
    GRPC_RESOLVER_LOG.setLevel(Level.SEVERE);
  }

  /** A declared column: name and BigQuery type. */
  record Column(String name, TypeKind type) {}

  private final SimpleCatalog root;
  private final AnalyzerOptions options;
  private final Map<List<String>, SimpleCatalog> schemas = new HashMap<>();
  private final Map<List<String>, List<Column>> tables = new LinkedHashMap<>();
  private final SimpleCatalog.AutoUnregister registration;

  /**
   * A catalog for {@code plan}: the Heap source tables (physical names, the config's columns), every
   * materialized model's table, and the working tables of an incremental run ({@code <fact>__changes},
   * {@code heap__high_water_mark}, {@code heap__active_users}) and the {@code <table>__new} a full refresh
   * builds, typed from the model plans.
   */
  BigQueryAnalyzer(ProjectPlan plan) {
    options = new AnalyzerOptions();
    options.setLanguageOptions(language());
    root = new SimpleCatalog("bigquery");
    root.addZetaSQLFunctionsAndTypes(new ZetaSQLBuiltinFunctionOptions(language()));
    HeapConfig c = plan.config();
    for (SourceTable t : c.catalog().tables()) {
      List<Column> columns = new ArrayList<>();
      for (SourceColumn col : t.columns()) {
        columns.add(new Column(col.physicalName(), typeOf(col.type())));
      }
      declare(path(c.sourceDatabase(), c.sourceSchema(), t.physicalName()), columns);
    }
    for (PlannedModel m : plan.materialized()) {
      declare(path(c.targetDatabase(), c.targetSchema(), m.name()), columns(m.rowType()));
      // where a full refresh builds it before renaming it into place
      declare(path(c.targetDatabase(), c.targetSchema(), m.name() + "__new"), columns(m.rowType()));
    }
    plan.incremental()
        .ifPresent(
            inc -> {
              declare(path(c.targetDatabase(), c.targetSchema(), inc.highWaterMark().name()), columns(inc.highWaterMark().rowType()));
              declare(path(c.targetDatabase(), c.targetSchema(), SqlRenderer.ACTIVE_USERS_TABLE), columns(inc.activeUsers().rowType()));
              for (PlannedModel fact : inc.facts()) {
                declare(path(c.targetDatabase(), c.targetSchema(), SqlRenderer.changesTableName(fact.name())), columns(fact.rowType()));
              }
            });
    {
      // the fingerprints of a reconciling run: stored, current, and the users whose fingerprints changed;
      // every config's, since a plain run forgets stored ones (and a full refresh records them) wherever
      // a reconciling run stored some
      List<Column> prints =
          List.of(
              new Column("user_id", TypeKind.TYPE_INT64), new Column("source", TypeKind.TYPE_STRING),
              new Column("row_count", TypeKind.TYPE_INT64), new Column("hash_sum", TypeKind.TYPE_INT64));
      declare(path(c.targetDatabase(), c.targetSchema(), SourcePrints.TABLE), prints);
      declare(path(c.targetDatabase(), c.targetSchema(), SourcePrints.CURRENT), prints);
      declare(
          path(c.targetDatabase(), c.targetSchema(), PlanContext.RECONCILED_USERS),
          List.of(new Column(PlanContext.ACTIVE_USER_ID, TypeKind.TYPE_INT64)));
    }
    // heap run's record of each model, which the plans a host runs itself mark as written outside a run
    declare(
        path(c.targetDatabase(), c.targetSchema(), StateSql.MODEL_STATE),
        List.of(
            new Column("model", TypeKind.TYPE_STRING), new Column("fingerprint", TypeKind.TYPE_STRING),
            new Column("run_id", TypeKind.TYPE_STRING), new Column("built_at", TypeKind.TYPE_TIMESTAMP),
            new Column("row_count", TypeKind.TYPE_INT64), new Column("status", TypeKind.TYPE_STRING)));
    // registered once: each analysis then refers to the catalog instead of sending it again
    registration = root.register();
  }

  /** BigQuery's language: external product mode (INT64, FLOAT64 …), its features and statement kinds. */
  static LanguageOptions language() {
    LanguageOptions language = new LanguageOptions();
    language.setProductMode(ProductMode.PRODUCT_EXTERNAL);
    language.setEnabledLanguageFeatures(BIGQUERY_FEATURES);
    language.setSupportedStatementKinds(STATEMENT_KINDS);
    // BigQuery reserves QUALIFY (ZetaSQL leaves it a plain identifier unless asked)
    language.enableReservableKeyword("QUALIFY");
    return language;
  }

  /** Resolves one statement; a {@link SqlException} names what is wrong and where. */
  ResolvedStatement analyze(String sql) throws SqlException {
    return Analyzer.analyzeStatement(sql, options, root);
  }

  /** Resolves a script statement by statement, as BigQuery runs it. */
  List<ResolvedStatement> analyzeScript(String script) throws SqlException {
    byte[] utf8 = script.getBytes(StandardCharsets.UTF_8);
    ParseResumeLocation at = new ParseResumeLocation(script);
    List<ResolvedStatement> result = new ArrayList<>();
    // analyzeNextStatement moves the location past the statement and its semicolon
    while (!new String(utf8, at.getBytePosition(), utf8.length - at.getBytePosition(), StandardCharsets.UTF_8).isBlank()) {
      result.add(Analyzer.analyzeNextStatement(at, options, root));
    }
    return result;
  }

  /** The columns declared for a table path (case-insensitive, as BigQuery resolves names here). */
  Optional<List<Column>> declared(List<String> path) {
    return Optional.ofNullable(tables.get(lower(path)));
  }

  @Override
  public void close() {
    registration.close();
  }

  private void declare(List<String> path, List<Column> columns) {
    List<String> schemaPath = path.subList(0, path.size() - 1);
    SimpleCatalog schema = root;
    for (int i = 1; i <= schemaPath.size(); i++) {
      List<String> prefix = lower(schemaPath.subList(0, i));
      SimpleCatalog parent = schema;
      String name = schemaPath.get(i - 1);
      schema = schemas.computeIfAbsent(prefix, p -> parent.addNewSimpleCatalog(name));
    }
    String table = path.get(path.size() - 1);
    List<SimpleColumn> simple = new ArrayList<>();
    for (Column col : columns) {
      simple.add(new SimpleColumn(table, col.name(), TypeFactory.createSimpleType(col.type())));
    }
    schema.addSimpleTable(new SimpleTable(table, simple));
    tables.put(lower(path), List.copyOf(columns));
  }

  private static List<String> path(Optional<String> database, String schema, String table) {
    List<String> p = new ArrayList<>();
    database.ifPresent(p::add);
    p.add(schema);
    p.add(table);
    return p;
  }

  private static List<String> lower(List<String> path) {
    return path.stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
  }

  /** BigQuery's type for a Heap column type, from BigQuery's data type reference (not the SDK's mapping). */
  static TypeKind typeOf(ColumnType type) {
    return switch (type) {
      case BIGINT -> TypeKind.TYPE_INT64;
      case VARCHAR -> TypeKind.TYPE_STRING;
      case DOUBLE -> TypeKind.TYPE_DOUBLE; // FLOAT64
      case BOOLEAN -> TypeKind.TYPE_BOOL;
      case TIMESTAMP -> TypeKind.TYPE_TIMESTAMP;
    };
  }

  /** The BigQuery columns of a Calcite row type. */
  static List<Column> columns(RelDataType row) {
    List<Column> columns = new ArrayList<>();
    for (RelDataTypeField f : row.getFieldList()) {
      columns.add(new Column(f.getName(), typeOf(f.getType())));
    }
    return columns;
  }

  private static TypeKind typeOf(RelDataType t) {
    return switch (t.getSqlTypeName()) {
      case TINYINT, SMALLINT, INTEGER, BIGINT -> TypeKind.TYPE_INT64;
      case CHAR, VARCHAR -> TypeKind.TYPE_STRING;
      case FLOAT, REAL, DOUBLE -> TypeKind.TYPE_DOUBLE;
      case BOOLEAN -> TypeKind.TYPE_BOOL;
      case TIMESTAMP -> TypeKind.TYPE_TIMESTAMP;
      case DATE -> TypeKind.TYPE_DATE;
      case DECIMAL -> TypeKind.TYPE_NUMERIC;
      default -> throw new IllegalArgumentException("no BigQuery type for the model type " + t.getFullTypeString());
    };
  }
}
