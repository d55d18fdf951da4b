package io.heapsdk.warehouse;

import io.heapsdk.warehouse.internal.UtcTimeOperators;
import org.apache.calcite.avatica.util.TimeUnitRange;
import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * The calls that read a TIMESTAMP's calendar fields marked as UTC ({@link UtcTimeOperators}), for a
 * warehouse whose time functions follow a zone the account may set ({@link Warehouse#namesUtcInTimeFunctions}).
 * Only where the operand is a TIMESTAMP: the same call on a DATE or a string has no zone to name, and
 * BigQuery refuses a zone there. The rows are those of the portable calls in UTC, which Heap's times are.
 */
final class UtcTimes {
  private UtcTimes() {}

  static RelNode rewrite(RelNode rel) {
    RexBuilder rex = rel.getCluster().getRexBuilder();
    RexShuttle calls =
        new RexShuttle() {
          @Override
          public RexNode visitCall(RexCall call) {
            RexNode visited = super.visitCall(call);
            if (!(visited instanceof RexCall c)) {
              return visited;
            }
            if (c.getKind() == SqlKind.CAST
                && c.getType().getSqlTypeName() == SqlTypeName.DATE
                && isTimestamp(c.getOperands().get(0))) {
              return rex.makeCall(c.getType(), UtcTimeOperators.UTC_DATE, c.getOperands());
            }
            if (c.getKind() == SqlKind.EXTRACT
                && c.getOperands().size() == 2
                && c.getOperands().get(0) instanceof RexLiteral unit
                && unit.getValue() instanceof TimeUnitRange range
                && range != TimeUnitRange.EPOCH
                && isTimestamp(c.getOperands().get(1))) {
              return rex.makeCall(c.getType(), UtcTimeOperators.UTC_EXTRACT, c.getOperands());
            }
            return c;
          }
        };
    return rel.accept(
        new RelHomogeneousShuttle() {
          @Override
          public RelNode visit(RelNode other) {
            return super.visit(other).accept(calls);
          }
        });
  }

  private static boolean isTimestamp(RexNode operand) {
    return operand.getType().getSqlTypeName() == SqlTypeName.TIMESTAMP;
  }
}
