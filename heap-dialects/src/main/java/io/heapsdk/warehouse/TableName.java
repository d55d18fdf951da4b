package io.heapsdk.warehouse;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A table's database (optional), schema and name on one warehouse. */
public record TableName(Warehouse warehouse, Optional<String> database, String schema, String name) {
  /** The quoted, qualified name. */
  public String qualified() {
    List<String> parts = new ArrayList<>();
    database.ifPresent(parts::add);
    parts.add(schema);
    parts.add(name);
    return warehouse.qualified(parts);
  }

  /** The table named {@code name + suffix} in the same schema. */
  public TableName withSuffix(String suffix) {
    return new TableName(warehouse, database, schema, name + suffix);
  }

  @Override
  public String toString() {
    return qualified();
  }
}
