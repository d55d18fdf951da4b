package io.heapsdk.warehouse;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;

/**
 * A dedup's {@code rank = 1} written {@code rank <= 1}, for warehouses whose planner guesses how many rows
 * a comparison keeps without statistics of the column ({@link Warehouse#ranksOneAsRange}).
 *
 * <p>The rank is a window's {@code ROW_NUMBER()}: no value below 1, so both keep the same rows. PostgreSQL
 * has no statistics of a computed column and takes 0.5% of the rows for an equality, a third for a
 * range. In an incremental run its estimate of the active users' deduped pageviews (a few hundred users
 * recomputed, 4,027 pageviews) fell to one row, and it then joined the sessionized pageviews back to them
 * by a nested loop that ran the sessionization's windows again for every row: 15–25 s for a statement
 * that takes 50 ms as a hash join, growing with the square of the rows (found by a probe of daily runs;
 * measured on that database: 14.9 s → 50 ms with 290 users, 4.3 s → 49 ms with 130). With the range the
 * estimate is 66 times larger, and the plan a hash join. Only where the filter reads a {@link
 * DedupStage}'s rank ({@link DedupStage#rankOneOf}); after the other dedup rewrites, which look for the
 * equality.
 */
final class RankOneAsRange {
  private RankOneAsRange() {}

  /** {@code rel} with every dedup's rank-1 condition written as a range; {@code stages} gives the query's stages by name. */
  static RelNode rewrite(RelNode rel, Function<String, RelNode> stages) {
    List<RelNode> inputs = rel.getInputs();
    List<RelNode> rewritten = new ArrayList<>(inputs.size());
    boolean changed = false;
    for (RelNode input : inputs) {
      RelNode r = rewrite(input, stages);
      rewritten.add(r);
      changed |= r != input;
    }
    RelNode result = changed ? rel.copy(rel.getTraitSet(), rewritten) : rel;
    if (!(result instanceof Filter filter)) {
      return result;
    }
    return DedupStage.rankOneOf(filter, stages)
        .<RelNode>map(stage -> filter.copy(filter.getTraitSet(), filter.getInput(), asRange(filter, stage.rank())))
        .orElse(result);
  }

  private static RexNode asRange(Filter filter, int rank) {
    RexBuilder rex = filter.getCluster().getRexBuilder();
    List<RexNode> conditions = new ArrayList<>();
    for (RexNode c : RelOptUtil.conjunctions(filter.getCondition())) {
      conditions.add(DedupStage.isRankOne(c, rank) ? rex.makeCall(SqlStdOperatorTable.LESS_THAN_OR_EQUAL, ((RexCall) c).getOperands()) : c);
    }
    return RexUtil.composeConjunction(rex, conditions);
  }
}
