package io.heapsdk.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.model.standard.StandardModels;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.tools.Frameworks;
import org.apache.calcite.tools.RelBuilder;
import org.junit.jupiter.api.Test;

/**
 * {@link KeyOrderDedup} against the window it replaces, both run on H2 over the same hand-made rows: the
 * rows numbered 1 are the same (the next stage keeps those), whatever the key — once, repeated with the
 * later time first or last, tied on the time and decided by the next column, NULL times, the same row
 * twice; and the first row of all the rows is a key's first too. The rows each keeps are written out
 * below by hand from the dedup's rule (latest time, NULL times last, then the other columns ascending).
 */
class KeyOrderDedupTest {
  private static final String[] COLUMNS = {"k", "t", "a", "b"};

  private static final Object[][] ROWS = {
    {1, 5, "a", "x"}, {1, 7, "a", "x"}, // the later time wins: (1, 7)
    {2, 3, "b", "x"}, // once
    {3, null, "z", "x"}, {3, 4, "z", "x"}, // a NULL time loses: (3, 4)
    {4, 6, "x", "x"}, {4, 6, "x", "x"}, // the same row twice: one is kept
    {5, 2, "n", "x"}, {5, 2, "m", "x"}, {5, 1, "a", "x"}, // tied on the time: the lower a wins: (5, 2, m)
    {0, 1, "q", "x"}, // the key that sorts first: no row before it
    {6, null, "c", "x"}, {6, null, "b", "x"}, // only NULL times: the lower a: (6, null, b)
  };

  /**
   * The dedup stage over {@code rows} (a NULL key among them), its key kept NOT NULL as the models keep it
   * ({@code WHERE k IS NOT NULL}) when {@code dropNullKeys}.
   */
  private static RelNode ranked(boolean dropNullKeys) {
    RelBuilder b = builder();
    b.values(COLUMNS, valuesWithANullKey());
    if (dropNullKeys) {
      b.filter(b.isNotNull(b.field("k")));
    }
    List<RexNode> order = List.of(b.nullsLast(b.desc(b.field("t"))), b.nullsLast(b.field("a")), b.nullsLast(b.field("b")));
    return RepeatedKeyDedupRewriteTest.dedupStage(b, order);
  }

  private static RelBuilder builder() {
    return RelBuilder.create(Frameworks.newConfigBuilder().defaultSchema(Frameworks.createRootSchema(true)).build());
  }

  /** {@code ROWS} and a row with a NULL key, as one array of values. */
  private static Object[] valuesWithANullKey() {
    List<Object> values = new ArrayList<>();
    for (Object[] r : ROWS) {
      Collections.addAll(values, r);
    }
    Collections.addAll(values, null, 9, "n", "x");
    return values.toArray();
  }

  @Test
  void keepsTheRowsTheWindowNumbersOne() throws SQLException {
    RelNode window = ranked(true);
    RelNode rewritten = KeyOrderDedup.rewrite(window);
    assertThat(rewritten).isNotSameAs(window);
    List<String> kept = List.of("0|1|q", "1|7|a", "2|3|b", "3|4|z", "4|6|x", "5|2|m", "6|null|b");
    try (Connection c = DriverManager.getConnection("jdbc:h2:mem:")) {
      assertThat(firsts(c, window)).isEqualTo(kept);
      assertThat(firsts(c, rewritten)).isEqualTo(kept);
      assertThat(sql(rewritten)).contains("LAG(").doesNotContain("PARTITION BY");
    }
  }

  @Test
  void leavesAKeyThatMayBeNullAlone() {
    // a NULL key could not be told from "no row before"
    RelNode window = ranked(false);
    assertThat(KeyOrderDedup.rewrite(window)).isSameAs(window);
  }

  @Test
  void findsTheKeyKeptNotNullBelowALeftJoinAsUnderIdentityResolution() throws SQLException {
    // the rows filtered on k, renamed, then LEFT JOINed with a map: k is NOT NULL on the join's left side
    RelBuilder b = builder();
    b.values(COLUMNS, valuesWithANullKey()).filter(b.isNotNull(b.field("k"))).project(b.fields(), List.of(COLUMNS), true);
    b.values(new String[] {"from_a", "to_a"}, "x", "X");
    b.join(JoinRelType.LEFT, b.equals(b.field(2, 0, "a"), b.field(2, 1, "from_a")));
    List<RexNode> order = List.of(b.nullsLast(b.desc(b.field("t"))), b.nullsLast(b.field("a")), b.nullsLast(b.field("b")));
    RelNode window = RepeatedKeyDedupRewriteTest.dedupStage(b, order);
    RelNode rewritten = KeyOrderDedup.rewrite(window);
    assertThat(rewritten).isNotSameAs(window);
    try (Connection c = DriverManager.getConnection("jdbc:h2:mem:")) {
      assertThat(firsts(c, rewritten)).isEqualTo(firsts(c, window)).hasSize(7);
    }

    // a key from the join's right side may be NULL (no match): left alone
    b.push(window.getInput(0));
    RelNode byRightSide =
        b.project(
                b.field("k"), b.field("t"), b.field("a"), b.field("to_a"),
                b.aggregateCall(SqlStdOperatorTable.ROW_NUMBER).over().partitionBy(b.field("to_a")).orderBy(order)
                    .as(StandardModels.DEDUP_RANK))
            .build();
    assertThat(KeyOrderDedup.rewrite(byRightSide)).isSameAs(byRightSide);
  }

  private static String sql(RelNode rel) {
    return RepeatedKeyDedupRewriteTest.sql(Warehouses.H2, rel);
  }

  /** The rows of {@code rel} numbered 1, as "k|t|a", sorted. */
  private static List<String> firsts(Connection c, RelNode rel) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql(rel))) {
      while (r.next()) {
        if (r.getLong(StandardModels.DEDUP_RANK) == 1) {
          rows.add(r.getString("k") + "|" + r.getString("t") + "|" + r.getString("a"));
        }
      }
    }
    Collections.sort(rows);
    return rows;
  }
}
