package io.heapsdk.warehouse.spark;

import io.heapsdk.config.PhysicalOptions;
import io.heapsdk.source.ColumnType;
import io.heapsdk.warehouse.Identifiers;
import io.heapsdk.warehouse.IncrementalTarget;
import io.heapsdk.warehouse.StringLiterals;
import io.heapsdk.warehouse.TableName;
import io.heapsdk.warehouse.Warehouse;
import java.util.List;
import java.util.Optional;
import org.apache.calcite.sql.SqlDialect;

/**
 * Databricks and Spark SQL with Delta Lake, rendering only (no engine runs here): every table is
 * {@code USING DELTA}, the format with {@code CREATE OR REPLACE TABLE … AS} (atomic) and {@code MERGE
 * INTO}. Delta has no transactions across statements, so each fact's incremental apply is one MERGE
 * that also deletes the vanished rows.
 */
public final class SparkWarehouse extends Warehouse {
  /** Delta, explicitly: Spark's default format (Parquet) can neither replace a table nor MERGE. */
  private static final String FORMAT = "USING DELTA";

  /**
   * Delta refuses a subquery in a DELETE's condition ({@code DELTA_UNSUPPORTED_SUBQUERY}, Delta 4.0 on
   * Spark 4.0, measured); a MERGE whose only clause deletes the matched rows does the same. The keys are
   * made distinct: Delta refuses a MERGE where several source rows match one target row.
   */
  @Override
  public String deleteWhereIn(TableName table, String column, TableName keys, String keyColumn) {
    return "MERGE INTO " + table.qualified() + " AS " + quote("target") + "\nUSING (SELECT DISTINCT " + quote(keyColumn) + " FROM "
        + keys.qualified() + ") AS " + quote("keys") + "\nON " + quote("target") + "." + quote(column) + " = " + quote("keys") + "."
        + quote(keyColumn) + "\nWHEN MATCHED THEN DELETE";
  }

  @Override
  public String name() {
    return "spark";
  }

  @Override
  protected SqlDialect dialect() {
    return SparkDialect.INSTANCE;
  }

  @Override
  public Identifiers identifiers() {
    return SparkDialect.IDENTIFIERS;
  }

  @Override
  public StringLiterals literals() {
    return SparkDialect.LITERALS;
  }

  @Override
  protected boolean hasCreateOrReplace() {
    return true;
  }

  @Override
  public boolean hasTransactions() {
    return false;
  }

  /**
   * Spark inlines every deterministic CTE at each reference before planning (its {@code InlineCTE}
   * rule), so a CTE read twice by a CTE that is itself read twice is planned four times: the identity
   * map's path doubling (five levels, each reading the one before twice) became 32 copies of the merges'
   * window per reference, and an incremental run's active users with identity resolution, which reads
   * the map in many places, hundreds. Spark's planner spent minutes on that one statement (75 s with
   * adaptive execution off, over 6 minutes with it on before it was stopped, on 2 busy cores; the test
   * sample has 300 users). Stored in working tables, each level is planned once ({@link
   * io.heapsdk.warehouse.BuildPlan}).
   */
  @Override
  public boolean evaluatesCtePerReference() {
    return true;
  }

  @Override
  public String typeName(ColumnType type) {
    switch (type) {
      case DOUBLE:
        return "DOUBLE";
      case VARCHAR:
        return "STRING";
      default:
        return super.typeName(type);
    }
  }

  @Override
  public java.util.Set<String> layoutKeys() {
    return java.util.Set.of("cluster_by");
  }

  /** {@code USING DELTA}, then liquid clustering ({@code CLUSTER BY}) on the cluster columns. */
  @Override
  public String tableOptions(PhysicalOptions options) {
    return options.clusterBy().isEmpty() ? FORMAT : FORMAT + "\nCLUSTER BY (" + columnList(options.clusterBy(), "") + ")";
  }

  @Override
  public String stateTableClause() {
    return FORMAT;
  }

  @Override
  public List<String> workTableStatements(TableName table, String select) {
    return List.of("CREATE OR REPLACE TABLE " + table.qualified() + " " + FORMAT + " AS\n" + select);
  }

  @Override
  public List<String> applyStatements(IncrementalTarget t) {
    return applyAsOneMerge(t);
  }

  @Override
  protected String textHash(String text) {
    return "XXHASH64(" + text + ")";
  }

  @Override
  protected String hashText(String column, ColumnType type) {
    // a timestamp's text follows spark.sql.session.timeZone; its microseconds do not
    return type == ColumnType.TIMESTAMP ? "CAST(UNIX_MICROS(" + column + ") AS STRING)" : super.hashText(column, type);
  }

  @Override
  public Optional<String> unqualifiedNamesResolveIn() {
    return Optional.of("the session's current catalog (USE CATALOG, spark.sql.defaultCatalog)");
  }
}
