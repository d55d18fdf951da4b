package io.heapsdk.warehouse.snowflake;

import io.heapsdk.source.ColumnType;
import io.heapsdk.config.PhysicalOptions;
import io.heapsdk.warehouse.Identifiers;
import io.heapsdk.warehouse.StringLiterals;
import io.heapsdk.warehouse.Warehouse;
import org.apache.calcite.sql.SqlDialect;

/** Snowflake: {@code CREATE OR REPLACE TABLE}, upper-case identifiers, backslash-escaping literals. */
public final class SnowflakeWarehouse extends Warehouse {
  @Override
  public String name() {
    return "snowflake";
  }

  @Override
  protected SqlDialect dialect() {
    return SnowflakeDialect.INSTANCE;
  }

  @Override
  public Identifiers identifiers() {
    return SnowflakeDialect.IDENTIFIERS;
  }

  @Override
  public StringLiterals literals() {
    return SnowflakeDialect.LITERALS;
  }

  @Override
  protected boolean hasCreateOrReplace() {
    return true;
  }

  @Override
  public String typeName(ColumnType type) {
    // Heap Connect's times are UTC without zone
    return type == ColumnType.TIMESTAMP ? "TIMESTAMP_NTZ" : type == ColumnType.VARCHAR ? "VARCHAR" : super.typeName(type);
  }


  @Override
  public String tableOptions(PhysicalOptions options) {
    return options.clusterBy().isEmpty() ? "" : "CLUSTER BY (" + columnList(options.clusterBy(), "") + ")";
  }
}
