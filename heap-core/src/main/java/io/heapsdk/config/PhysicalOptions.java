package io.heapsdk.config;

import java.util.List;
import java.util.Optional;

/**
 * How a materialized model's table is laid out, where the warehouse supports it: BigQuery
 * {@code PARTITION BY DATE(partitionBy)} (or by month or year, {@link #partitionGranularity}) and
 * {@code CLUSTER BY clusterBy}; Snowflake
 * {@code CLUSTER BY ([TO_DATE(clusterDate),] clusterBy)}; Redshift {@code DISTKEY(distKey)} and
 * {@code SORTKEY(sortKey)}. An empty value means the model's default (see {@link #resolve}).
 * {@code clusterDate} is never configured: {@link #resolve} sets it to the time column when it also
 * chooses the default {@code clusterBy}, so a configured {@code cluster_by} is used exactly as written.
 * {@code unclustered} ({@code cluster_by: none}) keeps the table without a clustering key where the
 * default would give it one: on Snowflake a clustering key costs credits to maintain, and Snowflake's own
 * guidance is that clustering keys are not intended for all tables
 * (https://docs.snowflake.com/en/user-guide/tables-clustering-keys, "Attention").
 */
public record PhysicalOptions(
    Optional<String> partitionBy,
    List<String> clusterBy,
    Optional<String> distKey,
    List<String> sortKey,
    Optional<Granularity> partitionGranularity,
    Optional<String> clusterDate,
    boolean unclustered) {
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

  /** Options with a clustering key where the model's default or {@code clusterBy} gives one. */
  public PhysicalOptions(
      Optional<String> partitionBy,
      List<String> clusterBy,
      Optional<String> distKey,
      List<String> sortKey,
      Optional<Granularity> partitionGranularity,
      Optional<String> clusterDate) {
    this(partitionBy, clusterBy, distKey, sortKey, partitionGranularity, clusterDate, false);
  }

  /** Options as configured ({@code models.<name>} in YAML): no {@code clusterDate}. */
  public PhysicalOptions(
      Optional<String> partitionBy,
      List<String> clusterBy,
      Optional<String> distKey,
      List<String> sortKey,
      Optional<Granularity> partitionGranularity) {
    this(partitionBy, clusterBy, distKey, sortKey, partitionGranularity, Optional.empty());
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
    HeapConfigException.requireValue("PhysicalOptions", "cluster_date", clusterDate, "a column or Optional.empty()");
    if (unclustered && (!clusterBy.isEmpty() || clusterDate.isPresent())) {
      throw new HeapConfigException("PhysicalOptions", "cluster_by", "none (unclustered) and columns " + clusterBy + " at once");
    }
  }

  /** These options, but with no clustering key: {@code cluster_by: none}. */
  public PhysicalOptions withoutClustering() {
    return new PhysicalOptions(partitionBy, List.of(), distKey, sortKey, partitionGranularity, Optional.empty(), true);
  }

  private static List<String> columns(String key, List<String> columns) {
    HeapConfigException.requireValue("PhysicalOptions", key, columns, "a list of columns");
    for (int i = 0; i < columns.size(); i++) {
      HeapConfigException.requireValue("PhysicalOptions", key + "[" + i + "]", columns.get(i), "a column");
    }
    return List.copyOf(columns);
  }

  /**
   * These options with every unset value replaced by the defaults of a model with this unique key, time
   * column and user column: partition and sort by the time column; cluster and distribute by the user
   * column, or by the unique key where the model has no user column.
   *
   * <p>By user and time, not by the unique id, because that is what an incremental run reads and writes:
   * it reads every row of the active users (to find the rows that changed, and those no longer produced)
   * and reads the fact's newest time. Redshift
   * distributing on the user id keeps that join on each slice instead of redistributing the fact; BigQuery
   * clustering on it within the daily partitions lets the delete and merge skip blocks. Snowflake
   * clusters on the time's date first and the user id second (with {@link #clusterDate}): its
   * guidance is to order a multi-column key from lower to higher cardinality and to reduce a
   * high-cardinality column such as a timestamp with an expression like {@code TO_DATE}
   * (https://docs.snowflake.com/en/user-guide/tables-clustering-keys, "Strategies for selecting
   * clustering keys"); a unique id is the highest cardinality there is, and reclustering on it buys the
   * run nothing.
   */
  public PhysicalOptions resolve(Optional<String> uniqueKey, Optional<String> timeColumn, Optional<String> userColumn) {
    Optional<String> byRow = userColumn.or(() -> uniqueKey);
    boolean defaultClustering = clusterBy.isEmpty() && !unclustered;
    return new PhysicalOptions(
        partitionBy.or(() -> timeColumn),
        defaultClustering ? byRow.map(List::of).orElse(List.of()) : clusterBy,
        distKey.or(() -> byRow),
        sortKey.isEmpty() ? timeColumn.map(List::of).orElse(List.of()) : sortKey,
        partitionGranularity,
        defaultClustering && byRow.isPresent() ? timeColumn : clusterDate,
        unclustered);
  }

  /** The keys these options set, as the config names them ({@code cluster_by} for {@code cluster_by: none} too). */
  public List<String> setKeys() {
    List<String> keys = new java.util.ArrayList<>();
    partitionBy.ifPresent(c -> keys.add("partition_by"));
    partitionGranularity.ifPresent(g -> keys.add("partition_granularity"));
    if (!clusterBy.isEmpty() || unclustered) {
      keys.add("cluster_by");
    }
    distKey.ifPresent(c -> keys.add("dist_key"));
    if (!sortKey.isEmpty()) {
      keys.add("sort_key");
    }
    return keys;
  }

  /** Every column these options name, for checking them against the model's columns. */
  public List<String> columns() {
    return List.copyOf(columnsByKey().values());
  }

  /**
   * Every column these options name, by the key that names it ({@code partition_by}, {@code
   * cluster_by[1]}, {@code dist_key}, {@code sort_key[0]}): so that a column the model lacks is reported
   * at its own key.
   */
  public java.util.Map<String, String> columnsByKey() {
    java.util.Map<String, String> all = new java.util.LinkedHashMap<>();
    partitionBy.ifPresent(c -> all.put("partition_by", c));
    for (int i = 0; i < clusterBy.size(); i++) {
      all.put("cluster_by[" + i + "]", clusterBy.get(i));
    }
    distKey.ifPresent(c -> all.put("dist_key", c));
    for (int i = 0; i < sortKey.size(); i++) {
      all.put("sort_key[" + i + "]", sortKey.get(i));
    }
    return all;
  }
}
