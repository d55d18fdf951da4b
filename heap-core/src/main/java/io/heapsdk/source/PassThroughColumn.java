package io.heapsdk.source;

import java.util.Objects;

/**
 * A custom property column that a table carries through to the facts unchanged (for example a
 * pageview's {@code gtm_campaign}); configured, never hard-coded.
 */
public record PassThroughColumn(String name, ColumnType type) {
  public PassThroughColumn {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
  }

  public static PassThroughColumn varchar(String name) {
    return new PassThroughColumn(name, ColumnType.VARCHAR);
  }
}
