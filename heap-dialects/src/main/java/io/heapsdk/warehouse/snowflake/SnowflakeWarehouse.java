package io.heapsdk.warehouse.snowflake;

import java.util.Optional;
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

  private static final int MAX_NAME_CHARACTERS = 255;

  /** Snowflake: a quoted name may hold any character, at most 255 of them. */
  @Override
  protected Optional<String> nameProblem(NameKind kind, String name) {
    int characters = name.codePointCount(0, name.length());
    return characters > MAX_NAME_CHARACTERS
        ? Optional.of("Snowflake names are at most " + MAX_NAME_CHARACTERS + " characters; this one has " + characters)
        : Optional.empty();
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
