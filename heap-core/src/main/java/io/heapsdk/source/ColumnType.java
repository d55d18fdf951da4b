package io.heapsdk.source;

import java.util.Locale;

/** The few column types Heap Connect tables and pass-through properties use, warehouse-neutral. */
public enum ColumnType {
  BIGINT,
  VARCHAR,
  DOUBLE,
  BOOLEAN,
  TIMESTAMP;

  /** Parses a YAML type name such as {@code varchar} or {@code bigint}; null when unknown. */
  public static ColumnType parse(String name) {
    String n = name.trim().toUpperCase(Locale.ROOT);
    switch (n) {
      case "STRING":
      case "TEXT":
      case "VARCHAR":
        return VARCHAR;
      case "INT":
      case "INTEGER":
      case "INT64":
      case "BIGINT":
        return BIGINT;
      case "FLOAT":
      case "FLOAT64":
      case "DOUBLE":
        return DOUBLE;
      case "BOOL":
      case "BOOLEAN":
        return BOOLEAN;
      case "TIMESTAMP":
        return TIMESTAMP;
      default:
        return null;
    }
  }
}
