package io.heapsdk.warehouse.bigquery;

import io.heapsdk.source.ColumnType;
import io.heapsdk.config.PhysicalOptions;
import io.heapsdk.warehouse.Identifiers;
import io.heapsdk.warehouse.StringLiterals;
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
   * Daily partitions on the time column (pruned by the incremental run's {@code time > mark}
   * predicates, which never cast the column) and clustering on the key the MERGE matches on.
   */
  @Override
  public String tableOptions(PhysicalOptions options) {
    StringBuilder b = new StringBuilder();
    options.partitionBy().ifPresent(p -> b.append("PARTITION BY DATE(").append(quote(p)).append(")"));
    if (!options.clusterBy().isEmpty()) {
      b.append(b.length() == 0 ? "" : "\n").append("CLUSTER BY ").append(columnList(options.clusterBy(), ""));
    }
    return b.toString();
  }

  @Override
  public String beginTransaction() {
    return "BEGIN TRANSACTION";
  }

  @Override
  public String commitTransaction() {
    return "COMMIT TRANSACTION";
  }
}
