package io.heapsdk.analysis;

import io.heapsdk.model.Exprs;
import io.heapsdk.model.PlanContext;
import io.heapsdk.model.standard.StandardModels;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.tools.RelBuilder;

/**
 * Plans {@link Paths} with window functions and two aggregations, no self-join:
 *
 * <ol>
 *   <li>{@code _items}: each unit's items (event names or page paths) but the excluded ones, with the
 *       previous item, so consecutive repeats can be dropped;
 *   <li>{@code _sequenced}: the items left, numbered per unit by time, then id;
 *   <li>{@code _anchored}: the number of the unit's first anchor item, on every row of the unit;
 *   <li>{@code _per_unit}: one row per unit with an anchor: the item at each offset from it, pivoted into
 *       {@code step_1} … {@code step_K};
 *   <li>{@code _counts}, {@code _ranked}: units per path, their share, and the paths ranked.
 * </ol>
 *
 * Every ordering ends with a unique key. Not thread-safe; one per planning.
 */
final class PathsPlanner {
  private static final String ITEM = "item";
  private static final String ITEM_TIME = "item_time";
  private static final String ITEM_ID = "item_id";

  private final Paths paths;
  private final PlanContext ctx;
  private final RelBuilder b;
  private final String prefix;
  private final int k;
  private final List<String> unit;

  PathsPlanner(Paths paths, PlanContext ctx) {
    this.paths = paths;
    this.ctx = ctx;
    this.b = ctx.builder();
    this.prefix = ctx.modelName();
    this.k = paths.steps();
    this.unit =
        paths.unit() == Funnel.Unit.SESSION ? List.of(Analyses.USER_ID, Analyses.SESSION_ID) : List.of(Analyses.USER_ID);
  }

  static String step(int j) {
    return "step_" + j;
  }

  RelNode plan() {
    items();
    sequenced();
    anchored();
    perUnit();
    return ranked();
  }

  private void items() {
    boolean pages = paths.source() == Paths.Source.PAGEVIEWS;
    ctx.ref(pages ? StandardModels.PAGEVIEW_SESSIONS_FACT : Analyses.EVENTS_FACT);
    String id = pages ? "heap_pageview_id" : Analyses.EVENT_ID;
    String time = pages ? "heap_pageview_time" : Analyses.EVENT_TIME;
    String item = pages ? "heap_pageview_path" : Analyses.EVENT_NAME;
    List<RexNode> keep = new ArrayList<>();
    // without a time there is no order; without a name, nothing to show as a step
    keep.add(b.isNotNull(b.field(time)));
    keep.add(b.isNotNull(b.field(Analyses.USER_ID)));
    keep.add(b.isNotNull(b.field(item)));
    if (paths.unit() == Funnel.Unit.SESSION) {
      keep.add(b.isNotNull(b.field(Analyses.SESSION_ID)));
    }
    if (!paths.exclusions().isEmpty()) {
      keep.add(b.not(Exprs.isIn(b, b.field(item), paths.exclusions())));
    }
    b.filter(keep);
    List<RexNode> p = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (String c : unit) {
      add(p, names, b.field(c), c);
    }
    add(p, names, b.field(time), ITEM_TIME);
    add(p, names, b.field(id), ITEM_ID);
    add(p, names, b.field(item), ITEM);
    if (paths.collapseRepeats()) {
      add(
          p,
          names,
          b.aggregateCall(SqlStdOperatorTable.LAG, b.field(item)).over().partitionBy(b.fields(unit)).orderBy(b.field(time), b.field(id)).toRex(),
          "previous_item");
    }
    b.project(p, names, true);
    ctx.stage(prefix + "_items");
    if (paths.collapseRepeats()) {
      // items are never NULL here: no previous item means the unit's first
      b.filter(b.or(b.isNull(b.field("previous_item")), b.notEquals(b.field(ITEM), b.field("previous_item"))));
    }
  }

  private void sequenced() {
    List<RexNode> p = new ArrayList<>(b.fields(unit));
    List<String> names = new ArrayList<>(unit);
    add(p, names, b.field(ITEM), ITEM);
    add(
        p,
        names,
        b.aggregateCall(SqlStdOperatorTable.ROW_NUMBER).over().partitionBy(b.fields(unit)).orderBy(b.field(ITEM_TIME), b.field(ITEM_ID)).toRex(),
        "item_seq");
    b.project(p, names, true);
    ctx.stage(prefix + "_sequenced");
  }

  private void anchored() {
    List<RexNode> p = new ArrayList<>(b.fields());
    List<String> names = new ArrayList<>(b.peek().getRowType().getFieldNames());
    RexNode isAnchor = b.equals(b.field(ITEM), b.literal(paths.event()));
    add(p, names, b.aggregateCall(SqlStdOperatorTable.MIN, caseWhen(isAnchor, b.field("item_seq"))).over().partitionBy(b.fields(unit)).toRex(), "anchor_seq");
    b.project(p, names, true);
    ctx.stage(prefix + "_anchored");
  }

  private void perUnit() {
    RexNode offset = b.call(SqlStdOperatorTable.MINUS, b.field("item_seq"), b.field("anchor_seq"));
    boolean after = paths.direction() == Paths.Direction.AFTER;
    // the anchor's own row (offset 0) too, so a unit with nothing after (or before) it keeps its empty path
    b.filter(
        b.isNotNull(b.field("anchor_seq")),
        after ? b.greaterThanOrEqual(offset, b.literal(0)) : b.greaterThanOrEqual(offset, b.literal(-k)),
        after ? b.lessThanOrEqual(offset, b.literal(k)) : b.lessThanOrEqual(offset, b.literal(0)));
    List<RexNode> p = new ArrayList<>(b.fields(unit));
    List<String> names = new ArrayList<>(unit);
    offset = b.call(SqlStdOperatorTable.MINUS, b.field("item_seq"), b.field("anchor_seq"));
    for (int j = 1; j <= k; j++) {
      // after: step j is j items after the anchor; before: step K is the item right before it
      int at = after ? j : j - k - 1;
      add(p, names, caseWhen(b.equals(offset, b.literal(at)), b.field(ITEM)), step(j) + "_item");
    }
    b.project(p, names, true);
    List<RelBuilder.AggCall> steps = new ArrayList<>();
    for (int j = 1; j <= k; j++) {
      steps.add(b.max(b.field(step(j) + "_item")).as(step(j)));
    }
    b.aggregate(b.groupKey(b.fields(unit)), steps);
    ctx.stage(prefix + "_per_unit");
  }

  private RelNode ranked() {
    List<RexNode> stepFields = new ArrayList<>();
    for (int j = 1; j <= k; j++) {
      stepFields.add(b.field(step(j)));
    }
    b.aggregate(b.groupKey(stepFields), b.count().as("count"));
    ctx.stage(prefix + "_counts");

    List<RexNode> p = new ArrayList<>(b.fields());
    List<String> names = new ArrayList<>(b.peek().getRowType().getFieldNames());
    RexNode count = b.field("count");
    RexNode all = b.aggregateCall(SqlStdOperatorTable.SUM, count).over().toRex();
    add(p, names, b.call(SqlStdOperatorTable.DIVIDE, Exprs.asDouble(b, count), Exprs.asDouble(b, all)), "share");
    List<RexNode> order = new ArrayList<>();
    order.add(b.desc(count));
    for (int j = 1; j <= k; j++) {
      order.add(b.nullsLast(b.field(step(j))));
    }
    add(p, names, b.aggregateCall(SqlStdOperatorTable.ROW_NUMBER).over().orderBy(order).toRex(), "path_rank");
    b.project(p, names, true);
    ctx.stage(prefix + "_ranked");

    b.filter(b.lessThanOrEqual(b.field("path_rank"), b.literal(paths.top())));
    List<RexNode> out = new ArrayList<>();
    List<String> outNames = new ArrayList<>();
    add(out, outNames, b.field("path_rank"), "rank");
    for (int j = 1; j <= k; j++) {
      add(out, outNames, b.field(step(j)), step(j));
    }
    add(out, outNames, b.field("count"), "count");
    add(out, outNames, b.field("share"), "share");
    b.project(out, outNames, true);
    return b.sort(b.field("rank")).build();
  }

  /** {@code CASE WHEN condition THEN value END}: NULL otherwise. */
  private RexNode caseWhen(RexNode condition, RexNode value) {
    return b.call(SqlStdOperatorTable.CASE, condition, value, b.getRexBuilder().makeNullLiteral(value.getType()));
  }

  private static void add(List<RexNode> p, List<String> names, RexNode value, String name) {
    p.add(value);
    names.add(name);
  }
}
