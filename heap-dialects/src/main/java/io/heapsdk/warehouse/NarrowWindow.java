package io.heapsdk.warehouse;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.RelFactories;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexOver;
import org.apache.calcite.tools.RelBuilder;

/**
 * A window over a deduped source's wide rows, computed over the few columns it reads and joined back by
 * the source's key, for warehouses that ask for it ({@link Warehouse#windowsOverKeyColumns}).
 *
 * <p>The sessions' ephemeral model numbers each user's sessions ({@code ROW_NUMBER() OVER (PARTITION BY
 * user ORDER BY start, id)}) in the projection that also passes on the session's twenty other columns.
 * An engine that sorts whole rows for a window (DuckDB) then sorts all of them: at 1.6M events the
 * window took 0.64 s of the sessions fact's 0.64 s. Here the window runs over the key and the columns it
 * names, and the other columns join back by the key:
 *
 * <pre>
 * SELECT s.…, n.w FROM (SELECT … FROM ranked WHERE rank = 1) s
 * INNER JOIN (SELECT key, ROW_NUMBER() OVER (…) AS w FROM ranked WHERE rank = 1) n ON s.key = n.key
 * </pre>
 *
 * The rows and their numbers are the same: both sides read the same rows, in which the key occurs once
 * and is never NULL, so each row meets exactly its own number. That is why the rewrite applies only where
 * the plan shows it: the input is a dedup stage ({@link DedupStage}, its key NOT NULL) filtered to rank 1,
 * the rows the next stage keeps, one per key. The dedup stage is then read twice; the warehouse writes
 * it {@code NOT MATERIALIZED} ({@link Warehouse#inlinesRepeatedKeyDedups}), so each side reads its own
 * columns.
 */
final class NarrowWindow {
  /**
   * The fewest columns passed on as they are for which the rewrite pays: with the sessions' 21 the
   * sessions fact took 0.39-0.61 s instead of 0.60-0.78 on DuckDB at 1.6M events; the events' window
   * passes on 5, four of which it reads itself, and would only add the join.
   */
  static final int WIDE_ROWS = 8;

  private NarrowWindow() {}

  /**
   * {@code rel} with its windows computed over the key and their own columns, when it is a projection
   * of input columns and windows over the rank-1 rows of a dedup stage; any other relation as it is.
   * {@code stages} gives the query's CTEs by name (null for a name that is not one).
   */
  static RelNode rewrite(RelNode rel, Function<String, RelNode> stages) {
    if (!(rel instanceof Project project) || !(project.getInput() instanceof Filter filter)) {
      return rel;
    }
    int key = uniqueKey(filter, stages);
    if (key < 0) {
      return rel;
    }
    List<Integer> overs = new ArrayList<>();
    int passedOn = 0;
    for (int i = 0; i < project.getProjects().size(); i++) {
      RexNode e = project.getProjects().get(i);
      if (e instanceof RexOver) {
        overs.add(i);
      } else if (e instanceof RexInputRef) {
        passedOn++;
      } else {
        return rel; // a computed column: keep the plan as the model wrote it
      }
    }
    if (overs.isEmpty() || passedOn < WIDE_ROWS) {
      return rel;
    }
    RelBuilder b = RelFactories.LOGICAL_BUILDER.create(project.getCluster(), null);
    List<String> names = project.getRowType().getFieldNames();
    int width = filter.getRowType().getFieldCount();

    // the numbers: the key and the windows, over the same rows (the windows' references keep their
    // indexes: the projection is over the same input)
    List<RexNode> narrow = new ArrayList<>();
    List<String> narrowNames = new ArrayList<>();
    narrow.add(b.getRexBuilder().makeInputRef(filter, key));
    narrowNames.add(filter.getRowType().getFieldNames().get(key));
    for (int i : overs) {
      narrow.add(project.getProjects().get(i));
      narrowNames.add(names.get(i));
    }
    b.push(filter);
    b.push(filter).project(narrow, narrowNames, true);
    b.join(JoinRelType.INNER, b.equals(b.field(2, 0, key), b.field(2, 1, 0)));

    List<RexNode> out = new ArrayList<>();
    int next = 1;
    for (RexNode e : project.getProjects()) {
      out.add(e instanceof RexOver ? b.field(width + next++) : b.field(((RexInputRef) e).getIndex()));
    }
    return b.project(out, names, true).build();
  }

  /**
   * The column of {@code filter}'s rows that is unique and never NULL, or -1: its input the rank-1 rows
   * of a dedup stage ({@link DedupStage#rankOneOf}) whose key the plan keeps NOT NULL.
   */
  private static int uniqueKey(Filter filter, Function<String, RelNode> stages) {
    return DedupStage.rankOneOf(filter, stages).filter(DedupStage::keyNeverNull).map(NarrowWindow::keyColumn).orElse(-1);
  }

  /** The stage's output column that is its partition key, or -1 when the stage does not pass it on. */
  private static int keyColumn(DedupStage stage) {
    List<RexNode> projects = stage.project().getProjects();
    for (int i = 0; i < projects.size(); i++) {
      if (projects.get(i) instanceof RexInputRef ref && ref.getIndex() == stage.key()) {
        return i;
      }
    }
    return -1;
  }
}
