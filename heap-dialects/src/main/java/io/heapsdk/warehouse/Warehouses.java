package io.heapsdk.warehouse;

import io.heapsdk.HeapException;
import io.heapsdk.warehouse.bigquery.BigQueryWarehouse;
import io.heapsdk.warehouse.h2.H2Warehouse;
import io.heapsdk.warehouse.redshift.RedshiftWarehouse;
import io.heapsdk.warehouse.snowflake.SnowflakeWarehouse;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The warehouses this library renders for, by name. */
public final class Warehouses {
  public static final Warehouse SNOWFLAKE = new SnowflakeWarehouse();
  public static final Warehouse BIGQUERY = new BigQueryWarehouse();
  public static final Warehouse REDSHIFT = new RedshiftWarehouse();
  public static final Warehouse H2 = new H2Warehouse();

  private static final List<Warehouse> ALL = List.of(SNOWFLAKE, BIGQUERY, REDSHIFT, H2);

  private Warehouses() {}

  public static List<Warehouse> all() {
    return ALL;
  }

  /** The warehouse called {@code name} (case-insensitive); a {@link HeapException} listing the names otherwise. */
  public static Warehouse byName(String name) {
    for (Warehouse w : ALL) {
      if (w.name().equals(name.toLowerCase(Locale.ROOT))) {
        return w;
      }
    }
    throw new HeapException(
        "unknown warehouse \"" + name + "\"; expected one of "
            + ALL.stream().map(Warehouse::name).collect(Collectors.joining(", ")));
  }
}
