package io.heapsdk.warehouse;

import java.util.List;

/**
 * What the statements applying an incremental run to one fact need: the fact's table and columns, its
 * unique key and user column, the run's changes table for it and the active users table.
 */
public record IncrementalTarget(
    TableName table,
    List<String> columns,
    String uniqueKey,
    String userColumn,
    TableName changes,
    TableName activeUsers,
    String activeUserColumn) {
  public IncrementalTarget {
    columns = List.copyOf(columns);
  }
}
