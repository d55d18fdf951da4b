package io.heapsdk.warehouse.bigquery;

import io.heapsdk.source.ColumnType;
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
  public SqlDialect dialect() {
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
}
