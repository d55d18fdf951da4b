package io.heapsdk.model.standard;

import io.heapsdk.config.ChannelRule;
import io.heapsdk.config.Condition;
import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.Exprs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.tools.RelBuilder;

/**
 * Turns the configured channel rules into one {@code CASE} expression: first matching rule wins, the
 * fallback channel otherwise. Rule values are literals, never spliced into SQL text.
 */
final class ChannelAttribution {
  private ChannelAttribution() {}

  /**
   * The channel expression over the builder's top row.
   *
   * @param columns logical sessions column to the name of the field holding it
   */
  static RexNode channel(RelBuilder b, HeapConfig config, Map<String, String> columns) {
    List<RexNode> conditions = new ArrayList<>();
    List<RexNode> labels = new ArrayList<>();
    for (ChannelRule rule : config.effectiveChannelRules()) {
      conditions.add(condition(b, rule.when(), columns));
      labels.add(b.literal(rule.channel()));
    }
    return Exprs.firstMatch(b, conditions, labels, b.literal(config.fallbackChannel()));
  }

  private static RexNode condition(RelBuilder b, Condition c, Map<String, String> columns) {
    if (c instanceof Condition.All all) {
      return b.and(all.conditions().stream().map(x -> condition(b, x, columns)).toArray(RexNode[]::new));
    } else if (c instanceof Condition.Any any) {
      return b.or(any.conditions().stream().map(x -> condition(b, x, columns)).toArray(RexNode[]::new));
    } else if (c instanceof Condition.Contains x) {
      return Exprs.containsIgnoreCase(b, field(b, x.field(), columns), x.value());
    } else if (c instanceof Condition.EqualTo x) {
      return Exprs.equalsIgnoreCase(b, field(b, x.field(), columns), x.value());
    } else if (c instanceof Condition.IsNull x) {
      return b.isNull(field(b, x.field(), columns));
    } else if (c instanceof Condition.IsNotNull x) {
      return b.isNotNull(field(b, x.field(), columns));
    }
    throw new IllegalStateException("unknown condition " + c);
  }

  private static RexNode field(RelBuilder b, String logical, Map<String, String> columns) {
    String name = columns.get(logical);
    if (name == null) {
      throw new IllegalStateException("sessions column " + logical + " has no model column; known: " + columns.keySet());
    }
    return b.field(name);
  }
}
