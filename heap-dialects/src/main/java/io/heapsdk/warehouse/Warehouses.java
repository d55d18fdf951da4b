package io.heapsdk.warehouse;

import io.heapsdk.HeapException;
import io.heapsdk.internal.Compatibility;
import io.heapsdk.internal.NearestNames;
import io.heapsdk.warehouse.bigquery.BigQueryWarehouse;
import io.heapsdk.warehouse.duckdb.DuckDbWarehouse;
import io.heapsdk.warehouse.h2.H2Warehouse;
import io.heapsdk.warehouse.postgres.PostgresWarehouse;
import io.heapsdk.warehouse.redshift.RedshiftWarehouse;
import io.heapsdk.warehouse.snowflake.SnowflakeWarehouse;
import io.heapsdk.warehouse.spark.SparkWarehouse;
import io.heapsdk.warehouse.trino.TrinoWarehouse;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The warehouses this library renders for, by name; {@link #all()} is what the golden SQL tests and the
 * demo iterate. H2, DuckDB and PostgreSQL are also run by the tests; Spark (Databricks) and Trino
 * (Athena) are rendering targets for Heap's S3 exports.
 */
public final class Warehouses {
  static {
    // before the dialects below: a Calcite older than heap's can lack some of them (1.38 has no DuckDB dialect),
    // and a bare NoClassDefFoundError would name neither the library nor the fix
    Compatibility.requireCalcite();
  }

  public static final Warehouse SNOWFLAKE = new SnowflakeWarehouse();
  public static final Warehouse BIGQUERY = new BigQueryWarehouse();
  public static final Warehouse REDSHIFT = new RedshiftWarehouse();
  public static final Warehouse H2 = new H2Warehouse();
  public static final Warehouse POSTGRES = new PostgresWarehouse();
  public static final Warehouse DUCKDB = new DuckDbWarehouse();
  public static final Warehouse SPARK = new SparkWarehouse();
  public static final Warehouse TRINO = new TrinoWarehouse();

  private static final List<Warehouse> ALL = List.of(SNOWFLAKE, BIGQUERY, REDSHIFT, H2, POSTGRES, DUCKDB, SPARK, TRINO);

  private Warehouses() {}

  public static List<Warehouse> all() {
    return ALL;
  }

  /**
   * {@code "; Databricks is warehouse spark"} for a product heap renders for under another name (the
   * engine's): the README says Databricks and Athena, and {@code --warehouse databricks} was refused with
   * no hint, where {@code postgresql} got "did you mean 'postgres'".
   */
  public static Optional<String> productHint(String name) {
    return switch (name.strip().toLowerCase(Locale.ROOT)) {
      case "databricks" -> Optional.of("; Databricks is warehouse spark (Spark SQL on Delta tables)");
      case "athena" -> Optional.of("; Athena runs Trino's SQL: warehouse trino");
      default -> Optional.empty();
    };
  }

  /** The warehouse called {@code name} (case-insensitive); a {@link HeapException} listing the names otherwise. */
  public static Warehouse byName(String name) {
    for (Warehouse w : ALL) {
      if (w.name().equals(name.toLowerCase(Locale.ROOT))) {
        return w;
      }
    }
    throw new HeapException(
        "unknown warehouse \"" + name + "\"" + productHint(name).orElse("")
            + NearestNames.didYouMean(
                name, ALL.stream().map(Warehouse::name).toList(), "expected one of", ALL.stream().map(Warehouse::name).collect(Collectors.joining(", "))));
  }
}
