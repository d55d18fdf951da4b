package io.heapsdk.warehouse;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.util.SqlBasicVisitor;
import org.apache.calcite.sql.util.SqlShuttle;

/**
 * Gives the derived tables Calcite names {@code t}, {@code t0}, {@code t1} … readable names:
 * {@code <cte>_input}, {@code <cte>_input_2}, …, so no generated alias reaches the SQL.
 */
final class SubqueryAliases {
  private SubqueryAliases() {}

  static SqlNode rename(SqlNode node, String owner) {
    Map<String, String> renames = new LinkedHashMap<>();
    node.accept(
        new SqlBasicVisitor<Void>() {
          @Override
          public Void visit(SqlCall call) {
            if (isGeneratedAlias(call)) {
              String alias = ((SqlIdentifier) call.operand(1)).getSimple();
              int n = renames.size() + 1;
              renames.putIfAbsent(alias, owner + "_input" + (n == 1 ? "" : "_" + n));
            }
            return super.visit(call);
          }
        });
    if (renames.isEmpty()) {
      return node;
    }
    return node.accept(
        new SqlShuttle() {
          @Override
          public SqlNode visit(SqlIdentifier id) {
            // a column of the derived table: "t0"."x"
            if (id.names.size() > 1 && renames.containsKey(id.names.get(0))) {
              return id.setName(0, renames.get(id.names.get(0)));
            }
            return id;
          }

          @Override
          public SqlNode visit(SqlCall call) {
            SqlNode result = super.visit(call);
            if (result instanceof SqlBasicCall as && isGeneratedAlias(as)) {
              String alias = ((SqlIdentifier) as.operand(1)).getSimple();
              as.setOperand(1, new SqlIdentifier(renames.get(alias), as.operand(1).getParserPosition()));
            }
            return result;
          }
        });
  }

  /**
   * {@code (subquery) AS t0}, or {@code (VALUES …) AS t (c)} with its column names: an alias Calcite made
   * up for a derived table.
   */
  private static boolean isGeneratedAlias(SqlCall call) {
    return call.getKind() == SqlKind.AS
        && call.operandCount() >= 2
        && !(call.operand(0) instanceof SqlIdentifier)
        && call.operand(1) instanceof SqlIdentifier id
        && id.isSimple()
        && isGenerated(id.getSimple());
  }

  /**
   * Whether {@code alias} is {@code t} followed by ASCII digits only ({@code t}, {@code t0}, {@code t12}),
   * checked without a regular expression: every AS of every rendered statement comes through here.
   */
  static boolean isGenerated(String alias) {
    if (alias.isEmpty() || alias.charAt(0) != 't') {
      return false;
    }
    for (int i = 1; i < alias.length(); i++) {
      if (alias.charAt(i) < '0' || alias.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }
}
