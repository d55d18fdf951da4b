package io.heapsdk.warehouse.bigquery;

import java.util.regex.Pattern;
import java.util.Optional;
import java.util.Locale;
import java.util.List;
import io.heapsdk.source.ColumnType;
import io.heapsdk.config.PhysicalOptions;
import io.heapsdk.warehouse.Identifiers;
import io.heapsdk.warehouse.StringLiterals;
import io.heapsdk.warehouse.TableName;
import io.heapsdk.warehouse.Warehouse;
import org.apache.calcite.sql.SqlDialect;

/** BigQuery: backtick-quoted names, datasets as schemas, {@code CREATE OR REPLACE TABLE}. */
public final class BigQueryWarehouse extends Warehouse {
  @Override
  public String name() {
    return "bigquery";
  }

  @Override
  protected SqlDialect dialect() {
    return BigQueryDialect.INSTANCE;
  }

  /** Yes: Heap Connect syncs into it, and its schema is Heap's. */
  @Override
  protected boolean heapSyncsInto() {
    return true;
  }

  @Override
  public Identifiers identifiers() {
    return BigQueryDialect.IDENTIFIERS;
  }

  @Override
  public StringLiterals literals() {
    return BigQueryDialect.LITERALS;
  }

  @Override
  protected boolean hasCreateOrReplace() {
    return true;
  }

  /** Dataset names: ASCII letters, digits and underscores, at most 1,024 of them. */
  private static final Pattern DATASET = Pattern.compile("[A-Za-z0-9_]{1,1024}");

  /** The ASCII characters a flexible column name may hold besides letters, marks, numbers, connectors, dashes and spaces. */
  private static final String COLUMN_SYMBOLS = "&%=+:'<>#|";

  /** Prefixes BigQuery reserves for its own columns, in any case. */
  private static final List<String> RESERVED_COLUMN_PREFIXES =
      List.of("_TABLE_", "_FILE_", "_PARTITION", "_ROW_TIMESTAMP", "__ROOT__", "_COLIDENTIFIER");

  private static final int MAX_TABLE_BYTES = 1024;
  private static final int MAX_COLUMN_CHARACTERS = 300;

  @Override
  protected String kindName(NameKind kind) {
    return kind == NameKind.SCHEMA ? "dataset" : kind == NameKind.DATABASE ? "project" : super.kindName(kind);
  }

  /**
   * BigQuery's documented naming rules: a dataset holds only ASCII letters, digits and underscores; a table
   * only Unicode letters, marks, numbers, connectors, dashes and spaces (categories L, M, N, Pc, Pd, Zs),
   * at most 1,024 UTF-8 bytes; a column (flexible column names) the same characters plus
   * {@code & % = + : ' < > # |}, at most 300 characters, not starting with a reserved prefix. So no emoji,
   * no joiner or direction mark in a table or column name, and no non-ASCII dataset. Project ids are left
   * to BigQuery.
   */
  @Override
  protected Optional<String> nameProblem(NameKind kind, String name) {
    switch (kind) {
      case SCHEMA:
        return DATASET.matcher(name).matches()
            ? Optional.empty()
            : Optional.of("BigQuery dataset names hold only ASCII letters, digits and underscores (at most 1,024)");
      case TABLE:
        int refused = firstRefused(name, BigQueryWarehouse::tableCharacter);
        if (refused >= 0) {
          return Optional.of(
              "BigQuery table names hold only letters, marks, numbers, connectors, dashes and spaces (Unicode L, M,"
                  + " N, Pc, Pd, Zs), not " + describe(refused));
        }
        int bytes = utf8Bytes(name);
        return bytes > MAX_TABLE_BYTES
            ? Optional.of("BigQuery table names are at most " + MAX_TABLE_BYTES + " UTF-8 bytes; this one is " + bytes)
            : Optional.empty();
      case COLUMN:
        int bad = firstRefused(name, cp -> tableCharacter(cp) || COLUMN_SYMBOLS.indexOf(cp) >= 0);
        if (bad >= 0) {
          return Optional.of(
              "BigQuery column names hold only letters, marks, numbers, connectors, dashes, spaces and "
                  + COLUMN_SYMBOLS + ", not " + describe(bad));
        }
        int characters = name.codePointCount(0, name.length());
        if (characters > MAX_COLUMN_CHARACTERS) {
          return Optional.of("BigQuery column names are at most " + MAX_COLUMN_CHARACTERS + " characters; this one has " + characters);
        }
        String upper = name.toUpperCase(Locale.ROOT);
        return RESERVED_COLUMN_PREFIXES.stream()
            .filter(upper::startsWith)
            .findFirst()
            .map(p -> "BigQuery reserves column names starting with " + p);
      case DATABASE:
      default:
        return Optional.empty();
    }
  }

  /** Unicode categories L, M, N, Pc, Pd and Zs: what a BigQuery table name may hold. */
  private static boolean tableCharacter(int codePoint) {
    switch (Character.getType(codePoint)) {
      case Character.UPPERCASE_LETTER:
      case Character.LOWERCASE_LETTER:
      case Character.TITLECASE_LETTER:
      case Character.MODIFIER_LETTER:
      case Character.OTHER_LETTER:
      case Character.NON_SPACING_MARK:
      case Character.ENCLOSING_MARK:
      case Character.COMBINING_SPACING_MARK:
      case Character.DECIMAL_DIGIT_NUMBER:
      case Character.LETTER_NUMBER:
      case Character.OTHER_NUMBER:
      case Character.CONNECTOR_PUNCTUATION:
      case Character.DASH_PUNCTUATION:
      case Character.SPACE_SEPARATOR:
        return true;
      default:
        return false;
    }
  }

  @Override
  public String typeName(ColumnType type) {
    switch (type) {
      case BIGINT:
        return "INT64";
      case DOUBLE:
        return "FLOAT64";
      case BOOLEAN:
        return "BOOL";
      case TIMESTAMP:
        return "TIMESTAMP";
      case VARCHAR:
      default:
        return "STRING";
    }
  }

  /**
   * An administrator may set a project's or an organization's {@code default_time_zone}, which "time
   * zone-dependent SQL functions" take when no zone is given
   * (<a href="https://cloud.google.com/bigquery/docs/default-configuration">default configurations</a>):
   * {@code TIMESTAMP_TRUNC}, {@code DATE}, {@code EXTRACT}, a string read as a TIMESTAMP. Partitioning
   * is always UTC.
   */
  @Override
  public boolean namesUtcInTimeFunctions() {
    return true;
  }

  /** With its offset: a string without one is read in the default zone, which need not be UTC. */
  @Override
  public String timestampLiteral(String text) {
    return "CAST(" + literal(text + "+00") + " AS TIMESTAMP)";
  }

  /**
   * {@code CREATE SCHEMA IF NOT EXISTS … OPTIONS(location = '…')} with {@code target.location}: a new
   * dataset otherwise lands in BigQuery's default location (US), and a query cannot read a source
   * dataset in one location and write to a target in another
   * (https://cloud.google.com/bigquery/docs/locations,
   * https://cloud.google.com/bigquery/docs/reference/standard-sql/data-definition-language#create_schema_statement).
   * An existing dataset is left where it is: a dataset's location cannot be changed.
   */
  @Override
  public String createSchema(Optional<String> database, String schema, Optional<String> location) {
    return createSchema(database, schema) + location.map(l -> "\nOPTIONS(location = " + literal(l) + ")").orElse("");
  }

  /**
   * A full refresh builds {@code <table>__new} and then swaps it in ({@code DROP TABLE}, {@code ALTER
   * TABLE … RENAME TO}), where {@code CREATE OR REPLACE TABLE} would fail with "Cannot replace a table
   * with a different partitioning spec" whenever {@code partition_by}, {@code partition_granularity}
   * or {@code cluster_by} changed, or the old table was built without them
   * (https://github.com/dbt-labs/dbt-core/issues/2000). Building aside rather than dropping first keeps
   * the old table whole when the query fails. The swap is not atomic: BigQuery runs DDL on permanent
   * tables outside transactions (https://cloud.google.com/bigquery/docs/transactions), so for the moment
   * between DROP and RENAME the table does not exist, and the new table starts without the old one's
   * table-level IAM bindings, labels and description (dataset-level access is unaffected). The leftover
   * {@code __new} of a failed build is dropped first, whatever its partitioning.
   */
  @Override
  public List<String> buildStatements(TableName table, String select, PhysicalOptions options) {
    TableName fresh = table.withSuffix(NEW_TABLE_SUFFIX);
    String opts = tableOptions(options);
    return List.of(
        "DROP TABLE IF EXISTS " + fresh.qualified(),
        "CREATE TABLE " + fresh.qualified() + "\n" + (opts.isEmpty() ? "" : opts + "\n") + "AS\n" + select);
  }

  /**
   * The swap after {@link #buildStatements}: {@code DROP TABLE}, {@code ALTER TABLE __new RENAME TO}, a
   * step of its own so that the run records the fact as being replaced just before it (and the
   * definition it holds just after), and a failing query, before it, leaves the fact's state alone.
   */
  @Override
  public List<String> swapStatements(TableName table, List<String> indexedColumns) {
    return List.of(
        "DROP TABLE IF EXISTS " + table.qualified(),
        "ALTER TABLE " + table.withSuffix(NEW_TABLE_SUFFIX).qualified() + " RENAME TO " + quote(table.name()));
  }

  /** No: DDL on permanent tables cannot run inside a BigQuery transaction (see {@link #buildStatements}). */
  @Override
  public boolean swapsInOneTransaction() {
    return false;
  }

  /**
   * One {@code MERGE … USING (<select>) ON FALSE}: every row of the table is "not matched by source" and
   * deleted, every row of the query "not matched" and inserted, in one atomic DML statement (the form
   * dbt's BigQuery insert_overwrite uses), so readers see the old rows until it commits and a failure
   * leaves them. The table stays the same object: DML keeps its schema, and with it the columns' policy
   * tags, its row access policies ("Any operations that don't alter the table schema maintain any row
   * access policies on the table",
   * https://cloud.google.com/bigquery/docs/using-row-level-security-with-features), IAM bindings, labels,
   * description, partitioning and clustering. Not TRUNCATE and INSERT in a transaction: one statement
   * runs the same in the runner and in a script. The deletion reads the table, which a TRUNCATE would not
   * bill. DML on a table with row access policies needs heap's account to hold a TRUE filter on it, as
   * the incremental runs' MERGE does already; without one the statement fails and changes nothing.
   */
  @Override
  public boolean refillsInPlace() {
    return true;
  }

  @Override
  public List<String> refillStatements(TableName table, List<String> columns, String select) {
    return List.of(
        "MERGE " + table.qualified() + " AS " + quote("target")
            + "\nUSING (\n" + select + "\n) AS " + quote("source")
            + "\nON FALSE"
            + "\nWHEN NOT MATCHED BY SOURCE THEN DELETE"
            + "\nWHEN NOT MATCHED THEN INSERT (" + columnList(columns, "") + ")"
            + "\nVALUES (" + columnList(columns, quote("source") + ".") + ")");
  }

  /**
   * The table's row access policies ({@code INFORMATION_SCHEMA.ROW_ACCESS_POLICIES}: listing them needs
   * {@code bigquery.rowAccessPolicies.list}, which BigQuery Data Owner has and Data Editor has not, so
   * for heap's usual account this one says nothing) and its columns holding policy tags ({@code
   * INFORMATION_SCHEMA.COLUMN_FIELD_PATHS.policy_tags}, which Data Viewer may read), each of the target
   * dataset (https://cloud.google.com/bigquery/docs/information-schema-row-access-policies,
   * https://cloud.google.com/bigquery/docs/information-schema-column-field-paths).
   */
  @Override
  public List<String> attachedSecuritySelects(TableName table) {
    String dataset = table.database().map(d -> quote(d) + ".").orElse("") + quote(table.schema()) + ".INFORMATION_SCHEMA.";
    String name = literal(storedName(table.name()));
    return List.of(
        "SELECT CONCAT('row access policy ', row_access_policy_name) FROM " + dataset + "ROW_ACCESS_POLICIES WHERE table_name = " + name,
        "SELECT CONCAT('policy tags on column ', field_path) FROM " + dataset + "COLUMN_FIELD_PATHS WHERE table_name = " + name
            + " AND ARRAY_LENGTH(policy_tags) > 0");
  }

  /** What the dropped table takes with it ({@link #buildStatements}): the new one starts from {@code __new}'s. */
  @Override
  public Optional<String> newTableLoses() {
    return Optional.of("its row access policies, its columns' policy tags (column-level security and masking), its IAM bindings, labels and description");
  }

  @Override
  public boolean applyAsOneScript() {
    return true;
  }

  @Override
  public boolean buildsIntoNewTable() {
    return true;
  }

  @Override
  public java.util.Set<String> layoutKeys() {
    return java.util.Set.of("partition_by", "partition_granularity", "cluster_by");
  }

  /**
   * Partitions on the time column (pruned by the incremental run's {@code time >= mark} predicates, which
   * never cast the column): {@code DATE(t)} by day (the default), {@code TIMESTAMP_TRUNC(t, MONTH | YEAR)}
   * for long histories, since a table holds at most 10,000 partitions and one job may modify at most
   * 4,000 (https://cloud.google.com/bigquery/quotas#partitioned_tables,
   * https://cloud.google.com/bigquery/docs/partitioned-tables#choose_daily_hourly_monthly_or_yearly_partitioning);
   * then clustering.
   */
  @Override
  public String tableOptions(PhysicalOptions options) {
    StringBuilder b = new StringBuilder();
    options.partitionBy().ifPresent(p -> b.append(partitionExpression(quote(p), options.partitionGranularity())));
    if (!options.clusterBy().isEmpty()) {
      b.append(b.length() == 0 ? "" : "\n").append("CLUSTER BY ").append(columnList(options.clusterBy(), ""));
    }
    return b.toString();
  }

  private static String partitionExpression(String column, Optional<PhysicalOptions.Granularity> granularity) {
    PhysicalOptions.Granularity g = granularity.orElse(PhysicalOptions.Granularity.DAY);
    return g == PhysicalOptions.Granularity.DAY
        ? "PARTITION BY DATE(" + column + ")"
        : "PARTITION BY TIMESTAMP_TRUNC(" + column + ", " + g.name() + ")";
  }

  @Override
  public String beginTransaction() {
    return "BEGIN TRANSACTION";
  }

  @Override
  public String commitTransaction() {
    return "COMMIT TRANSACTION";
  }

  @Override
  protected String textHash(String text) {
    // a signed INT64; a TIMESTAMP's text is always UTC
    return "FARM_FINGERPRINT(" + text + ")";
  }

  @Override
  public Optional<String> unqualifiedNamesResolveIn() {
    return Optional.of("the job's default project (bq --project_id, the client's project)");
  }
}
