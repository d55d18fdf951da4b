package io.heapsdk.cli;

import io.heapsdk.internal.JdbcValues;
import io.heapsdk.model.PlannedModel;
import io.heapsdk.model.ProjectPlan;
import io.heapsdk.warehouse.SqlRenderer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a run did to each incremental fact, row by row: rows added, changed and removed, found by
 * comparing the fact's rows by unique key before and after. Reads the tables into memory, so it is
 * for the demo's sizes.
 */
final class FactChanges {
  /** One fact's changes, and the rows it holds afterwards. */
  record Change(String fact, long added, long changed, long removed, long rows) {}

  private final Connection connection;
  private final SqlRenderer sql;
  private final Map<String, Map<Object, List<Object>>> before = new LinkedHashMap<>();

  private FactChanges(Connection connection, SqlRenderer sql) {
    this.connection = connection;
    this.sql = sql;
  }

  /** Remembers the rows of every incremental fact of {@code sql}'s plan now. */
  static FactChanges before(Connection connection, SqlRenderer sql) throws SQLException {
    FactChanges changes = new FactChanges(connection, sql);
    for (PlannedModel fact : facts(sql.plan())) {
      changes.before.put(fact.name(), changes.rows(fact));
    }
    return changes;
  }

  /** Compares every fact now with the rows remembered. */
  List<Change> after() throws SQLException {
    List<Change> result = new ArrayList<>();
    for (PlannedModel fact : facts(sql.plan())) {
      Map<Object, List<Object>> old = before.get(fact.name());
      Map<Object, List<Object>> now = rows(fact);
      long added = 0;
      long changed = 0;
      for (Map.Entry<Object, List<Object>> e : now.entrySet()) {
        List<Object> was = old.get(e.getKey());
        if (was == null) {
          added++;
        } else if (!was.equals(e.getValue())) {
          changed++;
        }
      }
      long removed = old.keySet().stream().filter(k -> !now.containsKey(k)).count();
      result.add(new Change(fact.name(), added, changed, removed, now.size()));
    }
    return result;
  }

  private static List<PlannedModel> facts(ProjectPlan plan) {
    return plan.incremental().map(ProjectPlan.IncrementalPlan::facts).orElse(List.of());
  }

  private Map<Object, List<Object>> rows(PlannedModel fact) throws SQLException {
    int key = fact.columnNames().indexOf(fact.model().uniqueKey().orElseThrow());
    Map<Object, List<Object>> rows = new HashMap<>();
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT * FROM " + sql.tableName(fact.name()))) {
      ResultSetMetaData md = rs.getMetaData();
      int n = md.getColumnCount();
      while (rs.next()) {
        List<Object> row = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
          row.add(JdbcValues.value(rs, md, i));
        }
        rows.put(row.get(key), row);
      }
    }
    return rows;
  }
}
