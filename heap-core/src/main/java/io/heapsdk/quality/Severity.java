package io.heapsdk.quality;

/** What a failing data test means: an error fails the run, a warning is reported only (as dbt's severity). */
public enum Severity {
  WARN,
  ERROR
}
