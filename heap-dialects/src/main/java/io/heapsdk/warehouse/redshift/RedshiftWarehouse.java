package io.heapsdk.warehouse.redshift;

import io.heapsdk.warehouse.Identifiers;
import io.heapsdk.warehouse.StringLiterals;
import io.heapsdk.warehouse.Warehouse;
import org.apache.calcite.sql.SqlDialect;

/** Redshift: no {@code CREATE OR REPLACE TABLE}, so a drop and a create in one transaction. */
public final class RedshiftWarehouse extends Warehouse {
  @Override
  public String name() {
    return "redshift";
  }

  @Override
  public SqlDialect dialect() {
    return RedshiftDialect.INSTANCE;
  }

  @Override
  public Identifiers identifiers() {
    return RedshiftDialect.IDENTIFIERS;
  }

  @Override
  public StringLiterals literals() {
    return RedshiftDialect.LITERALS;
  }

  @Override
  protected boolean hasCreateOrReplace() {
    return false;
  }
}
