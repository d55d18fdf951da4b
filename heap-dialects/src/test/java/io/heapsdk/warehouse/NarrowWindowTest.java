package io.heapsdk.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.model.Placeholder;
import io.heapsdk.model.standard.StandardModels;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.prepare.RelOptTableImpl;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.logical.LogicalTableScan;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.tools.Frameworks;
import org.apache.calcite.tools.RelBuilder;
import org.junit.jupiter.api.Test;

/**
 * {@link NarrowWindow} on DuckDB: a window over the rank-1 rows of a dedup stage gives each row the same
 * number with the rewrite as without it, and those numbers are the ones written out below by hand. The
 * stage is a view named as the placeholder the rewritten plan scans, so both plans read the same rows.
 */
class NarrowWindowTest {
  /** k the key, t the time, u the user; the others only make the rows wide. */
  private static final String[] COLUMNS = {"k", "t", "u", "c1", "c2", "c3", "c4", "c5", "c6", "c7"};

  private static final Object[][] ROWS = {
    {1, 5, "x"}, {1, 7, "x"}, // the later row is kept: (1, 7, x)
    {2, 3, "x"},
    {3, null, "y"}, {3, 4, "y"}, // a NULL time loses: (3, 4, y)
    {4, 6, "x"}, {4, 6, "x"}, // the same row twice: one is kept
    {5, 1, "y"},
    {6, null, "y"}, // only a NULL time: kept, numbered last of its user
    {null, 2, "x"}, // no key: dropped before the dedup, as the models drop it
    {7, 7, "x"}, // the time of key 1: the key decides, 1 before 7
  };

  /**
   * Each key's number among its user's kept rows, by time (NULL last) then key, worked out from ROWS:
   * user x keeps 2 (t 3), 4 (t 6), 1 (t 7), 7 (t 7); user y keeps 5 (t 1), 3 (t 4), 6 (no time).
   */
  private static final List<String> NUMBERS = List.of("1|3", "2|1", "3|2", "4|2", "5|1", "6|3", "7|4");

  private static final String STAGE = "ranked";

  private static RelBuilder builder() {
    return RelBuilder.create(Frameworks.newConfigBuilder().defaultSchema(Frameworks.createRootSchema(true)).build());
  }

  private static Object[] values() {
    List<Object> v = new ArrayList<>();
    for (Object[] r : ROWS) {
      v.add(r[0]);
      v.add(r[1]);
      v.add(r[2]);
      for (int i = 3; i < COLUMNS.length; i++) {
        v.add(r[2] + COLUMNS[i]);
      }
    }
    return v.toArray();
  }

  /** The dedup stage: the rows with a key (when {@code keyNotNull}), numbered per key, latest t first. */
  private static RelNode stage(boolean keyNotNull) {
    RelBuilder b = builder();
    b.values(COLUMNS, values());
    if (keyNotNull) {
      b.filter(b.isNotNull(b.field("k")));
    }
    List<RexNode> order = new ArrayList<>();
    order.add(b.nullsLast(b.desc(b.field("t"))));
    for (int i = 2; i < COLUMNS.length; i++) {
      order.add(b.nullsLast(b.field(COLUMNS[i])));
    }
    return RepeatedKeyDedupRewriteTest.dedupStage(b, order);
  }

  /**
   * The next stage as a model writes it: the stage's rank-1 rows (its scan a placeholder, as in a model's
   * plan), the first {@code passedOn} columns and each user's number by time and key.
   */
  private static RelNode numbered(RelNode stage, int passedOn, boolean rankOne) {
    RelBuilder b = builder();
    RelOptTable table =
        RelOptTableImpl.create(null, stage.getRowType(), new Placeholder(Placeholder.Kind.STAGE, STAGE).qualifiedName(), null);
    b.push(LogicalTableScan.create(b.getCluster(), table, List.of()));
    b.filter(rankOne ? b.equals(b.field(StandardModels.DEDUP_RANK), b.literal(1)) : b.isNotNull(b.field("t")));
    List<RexNode> projects = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < passedOn; i++) {
      projects.add(b.field(COLUMNS[i]));
      names.add(COLUMNS[i]);
    }
    projects.add(
        b.aggregateCall(SqlStdOperatorTable.ROW_NUMBER)
            .over()
            .partitionBy(b.field("u"))
            .orderBy(b.nullsLast(b.field("t")), b.field("k"))
            .toRex());
    names.add("seq");
    return b.project(projects, names, true).build();
  }

  @Test
  void numbersEveryRowAsTheWindowDoes() throws SQLException {
    RelNode stage = stage(true);
    RelNode window = numbered(stage, COLUMNS.length, true);
    RelNode rewritten = NarrowWindow.rewrite(window, Map.of(STAGE, stage)::get);
    assertThat(rewritten).isNotSameAs(window);
    assertThat(rewritten.getInput(0)).isInstanceOf(Join.class);
    assertThat(rewritten.getRowType()).isEqualTo(window.getRowType());
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
      createStageView(c, stage);
      assertThat(run(c, window)).isEqualTo(NUMBERS);
      assertThat(run(c, rewritten)).isEqualTo(NUMBERS);
    }
  }

  @Test
  void leavesNarrowRowsAlone() {
    RelNode stage = stage(true);
    RelNode window = numbered(stage, NarrowWindow.WIDE_ROWS - 1, true);
    assertThat(NarrowWindow.rewrite(window, Map.of(STAGE, stage)::get)).isSameAs(window);
  }

  @Test
  void leavesRowsAloneWhenTheKeyMayRepeatOrBeNull() {
    RelNode stage = stage(true);
    // not only rank 1: a key has several rows
    RelNode allRanks = numbered(stage, COLUMNS.length, false);
    assertThat(NarrowWindow.rewrite(allRanks, Map.of(STAGE, stage)::get)).isSameAs(allRanks);
    // the stage keeps rows without a key: an inner join by the key would lose them
    RelNode nullableStage = stage(false);
    RelNode nullable = numbered(nullableStage, COLUMNS.length, true);
    assertThat(NarrowWindow.rewrite(nullable, Map.of(STAGE, nullableStage)::get)).isSameAs(nullable);
    // a scan that is not a dedup stage the query knows
    RelNode unknown = numbered(stage, COLUMNS.length, true);
    assertThat(NarrowWindow.rewrite(unknown, name -> null)).isSameAs(unknown);
  }

  private static void createStageView(Connection c, RelNode stage) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA \"heap$stage\"");
      s.execute("CREATE VIEW \"heap$stage\".\"" + STAGE + "\" AS " + sql(stage));
    }
  }

  private static String sql(RelNode rel) {
    return RepeatedKeyDedupRewriteTest.sql(Warehouses.DUCKDB, rel);
  }

  /** The rows of {@code rel} on DuckDB as "k|seq", sorted. */
  private static List<String> run(Connection c, RelNode rel) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql(rel))) {
      while (r.next()) {
        rows.add(r.getString("k") + "|" + r.getString("seq"));
      }
    }
    Collections.sort(rows);
    return rows;
  }
}
