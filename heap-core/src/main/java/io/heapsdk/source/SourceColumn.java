package io.heapsdk.source;

import java.util.List;
import java.util.Objects;

/**
 * One column of a Heap Connect table.
 *
 * @param name the logical (Heap Connect default) name, used in config keys and by the models
 * @param physicalName the name in the user's warehouse, after config overrides
 * @param type the column's type
 * @param description what the column holds
 * @param tests data tests Heap really guarantees for this column
 */
public record SourceColumn(
    String name, String physicalName, ColumnType type, String description, List<ColumnTest> tests) {

  public SourceColumn {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(physicalName, "physicalName");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(description, "description");
    tests = List.copyOf(tests);
  }

  static SourceColumn of(String name, ColumnType type, String description, ColumnTest... tests) {
    return new SourceColumn(name, name, type, description, List.of(tests));
  }

  /** This column under another physical name. */
  public SourceColumn withPhysicalName(String newPhysicalName) {
    return new SourceColumn(name, newPhysicalName, type, description, tests);
  }
}
