package io.heapsdk.warehouse;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.RelFactories;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.tools.RelBuilder;

/**
 * The dedup of a source ranked only where a key repeats, for warehouses that ask for it ({@link
 * Warehouse#ranksRepeatedKeysOnly}).
 *
 * <p>A model's dedup stage ({@code pageviews_ranked} and the like) numbers the rows of each key by the
 * latest time, ties broken by every other column, and the next stage keeps number 1. A window partitioned
 * by the key sorts every row with all of those columns as its sort key, although nearly every key has one
 * row. Here the rows whose key occurs once get number 1 directly, and only the rows of repeated keys are
 * numbered by the same window (where the sort is wide: {@link #WIDE_SORT}):
 *
 * <pre>
 * repeated = SELECT key FROM input GROUP BY key HAVING COUNT(*) &gt; 1
 * SELECT …, 1 AS heap__dedup_rank FROM input LEFT JOIN repeated ON key WHERE repeated.rows IS NULL
 * UNION ALL
 * SELECT …, ROW_NUMBER() OVER (PARTITION BY key ORDER BY …) FROM input INNER JOIN repeated ON key
 * </pre>
 *
 * The rows and their numbers are those of the window over all rows: a key that occurs once has number 1
 * in both, and a repeated key's rows are all in the second branch, in the same partition. The input (the
 * source scan and its filters) is read three times, which an engine with hash joins and a columnar scan
 * pays far less for than for the wide sort. The joins are LEFT and INNER on purpose: Calcite renders
 * semi- and anti-joins as {@code EXISTS} sub-queries whose correlated column can lose its qualifier when
 * both sides have a column of that name, as the key column does here.
 */
final class RepeatedKeyDedup {
  /**
   * The fewest sort columns for which the rewrite pays: measured on DuckDB at 1.6M events, the pageviews'
   * dedup (11 sort columns) took 37% less CPU and the sessions' (20) 28% less, while the events' (4)
   * took as much CPU and more time, its sort being as cheap as the two extra reads (measured before the
   * events' sort gained its definition rank: 5 columns now, still below).
   */
  static final int WIDE_SORT = 8;

  /** The repeated keys' row counts: a helper name (config rejects custom columns starting with heap__). */
  static final String ROWS = "heap__rows";

  private RepeatedKeyDedup() {}

  /**
   * {@code rel} with its dedup ranked only where the key repeats, when {@code rel} is a {@link
   * DedupStage} ordered by at least {@link #WIDE_SORT} columns. Any other relation is returned as it is.
   */
  static RelNode rewrite(RelNode rel) {
    if (!applies(rel)) {
      return rel;
    }
    DedupStage stage = DedupStage.of(rel).orElseThrow();
    Project project = stage.project();
    List<String> names = stage.names();
    int rank = stage.rank();
    RelNode input = stage.input();
    int key = stage.key();
    int width = input.getRowType().getFieldCount();
    RelBuilder b = RelFactories.LOGICAL_BUILDER.create(project.getCluster(), null);

    // the keys with more than one row, and their rows' count: never NULL where the LEFT JOIN matched
    RelNode repeated =
        b.push(input)
            .aggregate(b.groupKey(b.field(key)), b.countStar(ROWS))
            .filter(b.greaterThan(b.field(1), b.literal(1)))
            .build();
    boolean keyNeverNull = stage.keyNeverNull();

    // keys that occur once: the projection with the rank a literal 1 of the window's type. The
    // projection's references into the input keep their indexes: the input is the join's left side.
    List<RexNode> once = new ArrayList<>(project.getProjects());
    once.set(rank, b.getRexBuilder().makeExactLiteral(BigDecimal.ONE, stage.over().getType()));
    b.push(input).push(repeated);
    b.join(JoinRelType.LEFT, sameKey(b, key, keyNeverNull))
        .filter(b.isNull(b.field(width + 1)))
        .project(once, names, true);

    b.push(input).push(repeated);
    b.join(JoinRelType.INNER, sameKey(b, key, keyNeverNull))
        .project(project.getProjects(), names, true);

    return b.union(true).build();
  }

  /** Whether {@link #rewrite} changes {@code rel}: a dedup stage ordered by at least {@link #WIDE_SORT} columns. */
  static boolean applies(RelNode rel) {
    return DedupStage.of(rel).filter(RepeatedKeyDedup::applies).isPresent();
  }

  /** Whether {@link #rewrite} changes the dedup stage {@code stage}: ordered by at least {@link #WIDE_SORT} columns. */
  static boolean applies(DedupStage stage) {
    return stage.over().getWindow().orderKeys.size() >= WIDE_SORT;
  }

  /**
   * The join condition of an input row and a repeated key. Where the key can be NULL as far as the plan
   * shows ({@link DedupStage#keyNeverNull}), the window puts every NULL-key row in one partition, so NULL
   * must match NULL: {@code IS NOT DISTINCT FROM}. Where the plan keeps the key NOT NULL (the models'
   * {@code Dedup.dropMissingKeys}, under identity resolution too), the plain equality is the same and
   * reads as usual.
   */
  private static RexNode sameKey(RelBuilder b, int key, boolean keyNeverNull) {
    RexNode left = b.field(2, 0, key);
    RexNode right = b.field(2, 1, 0);
    return keyNeverNull ? b.equals(left, right) : b.isNotDistinctFrom(left, right);
  }
}
