package io.heapsdk.warehouse.trino;

import io.heapsdk.source.ColumnType;
import io.heapsdk.warehouse.Identifiers;
import io.heapsdk.warehouse.IncrementalTarget;
import io.heapsdk.warehouse.StringLiterals;
import io.heapsdk.warehouse.Warehouse;
import java.util.List;
import java.util.Optional;
import org.apache.calcite.sql.SqlDialect;

/**
 * Trino 431 or later on a connector with {@code MERGE} and {@code CREATE OR REPLACE TABLE} (Iceberg,
 * Delta Lake), rendering only (no engine runs here). Those connectors write only in auto-commit mode,
 * so there is no transaction across statements: each fact's incremental apply is one MERGE that also
 * deletes the vanished rows, and tables are replaced by one atomic statement.
 */
public final class TrinoWarehouse extends Warehouse {
  @Override
  public String name() {
    return "trino";
  }

  @Override
  protected SqlDialect dialect() {
    return TrinoDialect.INSTANCE;
  }

  @Override
  public Identifiers identifiers() {
    return TrinoDialect.IDENTIFIERS;
  }

  @Override
  public StringLiterals literals() {
    return TrinoDialect.LITERALS;
  }

  @Override
  protected boolean hasCreateOrReplace() {
    return true;
  }

  @Override
  public boolean hasTransactions() {
    return false;
  }

  @Override
  public String typeName(ColumnType type) {
    switch (type) {
      case DOUBLE:
        return "DOUBLE";
      case TIMESTAMP:
        // Trino's TIMESTAMP is milliseconds; Heap's times have microseconds
        return "TIMESTAMP(6)";
      case VARCHAR:
        return "VARCHAR";
      default:
        return super.typeName(type);
    }
  }

  @Override
  public List<String> applyStatements(IncrementalTarget t) {
    return applyAsOneMerge(t);
  }

  @Override
  protected String textHash(String text) {
    return "FROM_BIG_ENDIAN_64(XXHASH64(TO_UTF8(" + text + ")))";
  }

  @Override
  public Optional<String> unqualifiedNamesResolveIn() {
    return Optional.of("the session's catalog (the Trino CLI's --catalog, USE catalog.schema)");
  }
}
