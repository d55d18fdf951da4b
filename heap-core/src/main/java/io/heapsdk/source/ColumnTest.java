package io.heapsdk.source;

/** A data test declared on a column, as in dbt's {@code tests:} list. */
public enum ColumnTest {
  /** No row has a NULL in the column. */
  NOT_NULL,
  /** No two rows share a value in the column. */
  UNIQUE
}
