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
import org.apache.calcite.rel.core.Union;
import org.apache.calcite.rel.rel2sql.RelToSqlConverter;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlDialect;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.tools.Frameworks;
import org.apache.calcite.tools.RelBuilder;
import org.junit.jupiter.api.Test;

/**
 * {@link RepeatedKeyDedup} against the window it replaces, both run on DuckDB over the same rows: every
 * row keeps its number, whatever the key — once, repeated, repeated with equal sort values, or NULL (the
 * window puts all NULL keys in one partition, so the rewrite must match NULL with NULL).
 */
class RepeatedKeyDedupRewriteTest {
  private static final String[] COLUMNS = {"k", "t", "a", "b", "c", "d", "e", "f", "g"};

  private static Object[] rows() {
    List<Object> v = new ArrayList<>();
    Object[][] rows = {
      {1, 5, "a"}, {1, 7, "a"}, // the later time first
      {2, 3, "b"}, // once
      {null, 1, "p"}, {null, 2, "q"}, {null, 2, "p"}, // NULL keys, one partition: (2, p), (2, q), (1, p)
      {3, null, "z"}, {3, 4, "z"}, // a NULL time last
      {4, 6, "x"}, {4, 6, "x"}, // the same row twice
      {5, 1, "y"},
      {6, 2, "m"},
    };
    for (Object[] r : rows) {
      v.add(r[0]);
      v.add(r[1]);
      v.add(r[2]);
      for (int i = 3; i < COLUMNS.length; i++) {
        v.add(r[2] + String.valueOf(i)); // the other sort columns follow "a"
      }
    }
    return v.toArray();
  }

  /** A dedup stage: every column and ROW_NUMBER() by k, latest t first, then {@code sortColumns - 1} others. */
  private static RelNode ranked(int sortColumns) {
    RelBuilder b =
        RelBuilder.create(Frameworks.newConfigBuilder().defaultSchema(Frameworks.createRootSchema(true)).build());
    b.values(COLUMNS, rows());
    List<RexNode> order = new ArrayList<>();
    order.add(b.nullsLast(b.desc(b.field("t"))));
    for (int i = 2; i < sortColumns + 1; i++) {
      order.add(b.nullsLast(b.field(COLUMNS[i])));
    }
    return dedupStage(b, order);
  }

  /** On the builder's top: every column and {@code ROW_NUMBER()} by column k in {@code order}, as a model's dedup stage. */
  static RelNode dedupStage(RelBuilder b, List<RexNode> order) {
    List<RexNode> projects = new ArrayList<>(b.fields());
    projects.add(
        b.aggregateCall(SqlStdOperatorTable.ROW_NUMBER)
            .over()
            .partitionBy(b.field("k"))
            .orderBy(order)
            .as(StandardModels.DEDUP_RANK));
    return b.project(projects).build();
  }

  @Test
  void numbersEveryRowAsTheWindowDoes() throws SQLException {
    RelNode window = ranked(RepeatedKeyDedup.WIDE_SORT);
    RelNode rewritten = RepeatedKeyDedup.rewrite(window);
    assertThat(rewritten).isInstanceOf(Union.class);
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
      List<String> expected = run(c, window);
      assertThat(expected).hasSize(12).contains("null|2|p|1", "null|2|q|2", "null|1|p|3", "4|6|x|1", "4|6|x|2");
      assertThat(run(c, rewritten)).isEqualTo(expected);
    }
  }

  @Test
  void leavesAStageWithAnotherWindowAlone() {
    RelNode window = ranked(RepeatedKeyDedup.WIDE_SORT);
    RelBuilder b =
        RelBuilder.create(Frameworks.newConfigBuilder().defaultSchema(Frameworks.createRootSchema(true)).build());
    b.push(window.getInput(0));
    List<RexNode> projects = new ArrayList<>(((org.apache.calcite.rel.core.Project) window).getProjects());
    projects.add(b.aggregateCall(SqlStdOperatorTable.COUNT).over().partitionBy(b.field("t")).as("per_t"));
    List<String> names = new ArrayList<>(window.getRowType().getFieldNames());
    names.add("per_t");
    RelNode twoWindows = b.project(projects, names).build();
    assertThat(RepeatedKeyDedup.rewrite(twoWindows)).isSameAs(twoWindows);
  }

  @Test
  void leavesANarrowSortAlone() {
    RelNode window = ranked(RepeatedKeyDedup.WIDE_SORT - 1);
    assertThat(RepeatedKeyDedup.rewrite(window)).isSameAs(window);
  }

  /** {@code rel} as Calcite writes it for {@code warehouse}'s dialect, none of the renderer's rewrites applied. */
  static String sql(Warehouse warehouse, RelNode rel) {
    SqlDialect dialect = warehouse.dialect();
    return new RelToSqlConverter(dialect).visitRoot(rel).asStatement().toSqlString(dialect).getSql();
  }

  /** The rows of {@code rel} on DuckDB as "k|t|a|rank", sorted. */
  private static List<String> run(Connection c, RelNode rel) throws SQLException {
    String sql = sql(Warehouses.DUCKDB, rel);
    List<String> rows = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
      while (r.next()) {
        rows.add(
            r.getString("k") + "|" + r.getString("t") + "|" + r.getString("a") + "|"
                + r.getString(StandardModels.DEDUP_RANK));
      }
    }
    Collections.sort(rows);
    return rows;
  }
}
