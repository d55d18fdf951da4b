package io.heapsdk.config;

import java.util.List;
import java.util.Optional;

/**
 * How a materialized model's table is laid out, where the warehouse supports it: BigQuery
 * {@code PARTITION BY DATE(partitionBy)} (or by month or year, {@link #partitionGranularity}) and
 * {@code CLUSTER BY clusterBy}; Snowflake
 * {@code CLUSTER BY clusterBy}; Redshift {@code DISTKEY(distKey)} and {@code SORTKEY(sortKey)}. An empty
 * value means the model's default (see {@link #resolve}).
 */
public record PhysicalOptions(
    Optional<String> partitionBy,
    List<String> clusterBy,
    Optional<String> distKey,
    List<String> sortKey,
    Optional<Granularity> partitionGranularity) {
  public static final PhysicalOptions DEFAULTS =
      new PhysicalOptions(Optional.empty(), List.of(), Optional.empty(), List.of(), Optional.empty());

  /**
   * {@code models.<name>.partition_granularity}: the time unit of BigQuery's partitions on
   * {@code partition_by}. Day by default; month or year for long histories, since BigQuery caps a table
   * at 10,000 partitions and a job at 4,000 modified partitions (about 27 and 11 years of days), which a
   * full refresh of a long history, or stray client timestamps in 1970 or the future, can exceed.
   */
  public enum Granularity {
    DAY,
    MONTH,
    YEAR;

    /** The YAML value: {@code day}, {@code month}, {@code year}. */
    public String key() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Options with the default (daily) partition granularity. */
  public PhysicalOptions(Optional<String> partitionBy, List<String> clusterBy, Optional<String> distKey, List<String> sortKey) {
    this(partitionBy, clusterBy, distKey, sortKey, Optional.empty());
  }

  public PhysicalOptions {
    HeapConfigException.requireValue("PhysicalOptions", "partition_by", partitionBy, "a column or Optional.empty()");
    HeapConfigException.requireValue(
        "PhysicalOptions", "partition_granularity", partitionGranularity, "a granularity or Optional.empty()");
    clusterBy = columns("cluster_by", clusterBy);
    HeapConfigException.requireValue("PhysicalOptions", "dist_key", distKey, "a column or Optional.empty()");
    sortKey = columns("sort_key", sortKey);
  }

  private static List<String> columns(String key, List<String> columns) {
    HeapConfigException.requireValue("PhysicalOptions", key, columns, "a list of columns");
    for (int i = 0; i < columns.size(); i++) {
      HeapConfigException.requireValue("PhysicalOptions", key + "[" + i + "]", columns.get(i), "a column");
    }
    return List.copyOf(columns);
  }

  /**
   * These options with every unset value replaced by the defaults of a fact with this unique key and
   * time column: partition by the time column's day, cluster and distribute on the key, sort on the time
   * (the original project's settings).
   */
  public PhysicalOptions resolve(Optional<String> uniqueKey, Optional<String> timeColumn) {
    return new PhysicalOptions(
        partitionBy.or(() -> timeColumn),
        clusterBy.isEmpty() ? uniqueKey.map(List::of).orElse(List.of()) : clusterBy,
        distKey.or(() -> uniqueKey),
        sortKey.isEmpty() ? timeColumn.map(List::of).orElse(List.of()) : sortKey,
        partitionGranularity);
  }

  /** Every column these options name, for checking them against the model's columns. */
  public List<String> columns() {
    List<String> all = new java.util.ArrayList<>();
    partitionBy.ifPresent(all::add);
    all.addAll(clusterBy);
    distKey.ifPresent(all::add);
    all.addAll(sortKey);
    return all;
  }
}
