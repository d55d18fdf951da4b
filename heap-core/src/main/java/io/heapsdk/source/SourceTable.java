package io.heapsdk.source;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One Heap Connect table: its logical name, the physical name in the user's warehouse, its columns
 * (built-in ones plus configured pass-through properties) and its freshness rule.
 */
public record SourceTable(
    String name,
    String physicalName,
    String description,
    List<SourceColumn> columns,
    Optional<Freshness> freshness) {

  public SourceTable {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(physicalName, "physicalName");
    Objects.requireNonNull(description, "description");
    columns = List.copyOf(columns);
    Objects.requireNonNull(freshness, "freshness");
  }

  /** The column with this logical name; an {@link IllegalArgumentException} listing the columns otherwise. */
  public SourceColumn column(String logicalName) {
    return findColumn(logicalName)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "column ["
                        + logicalName
                        + "] not found in Heap table ["
                        + name
                        + "]; its columns are: "
                        + columnNames()));
  }

  public Optional<SourceColumn> findColumn(String logicalName) {
    return columns.stream().filter(c -> c.name().equals(logicalName)).findFirst();
  }

  public List<String> columnNames() {
    return columns.stream().map(SourceColumn::name).collect(Collectors.toList());
  }

  SourceTable withColumns(List<SourceColumn> newColumns) {
    return new SourceTable(name, physicalName, description, newColumns, freshness);
  }

  SourceTable withPhysicalName(String newPhysicalName) {
    return new SourceTable(name, newPhysicalName, description, columns, freshness);
  }
}
