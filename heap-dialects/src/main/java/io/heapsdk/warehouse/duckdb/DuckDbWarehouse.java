package io.heapsdk.warehouse.duckdb;

import io.heapsdk.source.ColumnType;
import io.heapsdk.warehouse.Identifiers;
import io.heapsdk.warehouse.StringLiterals;
import io.heapsdk.warehouse.Warehouse;
import org.apache.calcite.sql.SqlDialect;

/**
 * DuckDB 1.4 or later (for {@code MERGE INTO}): {@code CREATE OR REPLACE TABLE}, atomic since DuckDB's
 * DDL is transactional, and the standard {@code DELETE} + {@code MERGE} apply in one transaction. No
 * indexes: DuckDB joins by hashing, and its ART indexes would only slow the loads down.
 */
public final class DuckDbWarehouse extends Warehouse {
  @Override
  public String name() {
    return "duckdb";
  }

  @Override
  protected SqlDialect dialect() {
    return DuckDbDialect.INSTANCE;
  }

  @Override
  public Identifiers identifiers() {
    return DuckDbDialect.IDENTIFIERS;
  }

  @Override
  public StringLiterals literals() {
    return DuckDbDialect.LITERALS;
  }

  @Override
  protected boolean hasCreateOrReplace() {
    return true;
  }

  @Override
  public String typeName(ColumnType type) {
    // TIMESTAMP is microseconds without zone; VARCHAR has no length limit
    switch (type) {
      case DOUBLE:
        return "DOUBLE";
      case VARCHAR:
        return "VARCHAR";
      default:
        return super.typeName(type);
    }
  }

  @Override
  protected String textHash(String text) {
    // HASH is a UBIGINT; as a signed BIGINT so that the sums of the fingerprints stay in range
    return "CAST(HASH(" + text + ") % 9223372036854775807 AS BIGINT)";
  }

  /** DuckDB writes every updated row into new column segments, whatever the values: an incremental apply updates only the rows that changed. */
  @Override
  protected boolean mergesChangedRowsOnly() {
    return true;
  }
}
