package io.heapsdk.engines;

import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.model.ProjectPlan;
import io.heapsdk.model.standard.StandardModels;
import io.heapsdk.run.SourceTables;
import io.heapsdk.warehouse.SqlRenderer;
import io.heapsdk.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The sources' dedup on hand-made rows with every kind of repeated key, on an engine that ranks only the
 * repeated keys (DuckDB, {@code Warehouse.ranksRepeatedKeysOnly}) and on ones whose window ranks every
 * row (H2, PostgreSQL): each keeps the rows worked out by hand below from SPEC §2 (latest time, NULL
 * times last, ties broken by the other columns in order, NULLs last).
 */
class RepeatedKeyDedupTest {
  private static final HeapConfig CONFIG = HeapConfig.builder().resolveMigrations(true).build();

  private static LocalDateTime at(int hour, int minute) {
    return LocalDateTime.of(2024, 3, 1, hour, minute);
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void keepsTheHandPickedRowOfEachKey(Engine engine) throws SQLException {
    Warehouse w = engine.warehouse();
    ProjectPlan plan = HeapProject.standard(CONFIG).plan();
    SqlRenderer renderer = new SqlRenderer(w, plan);
    try (Connection c = engine.open()) {
      SourceTables sources = new SourceTables(w, CONFIG);
      sources.create(c);
      // pageviews: event_id, user_id, session_id, time, domain, path, query, hash, title, previous_page
      sources.insert(c, "pageviews", List.of(
          pageview(1, at(10, 0), "/one"),
          pageview(2, at(10, 5), "/two-early"),
          pageview(2, at(10, 6), "/two-late"), // the latest time wins
          pageview(3, at(10, 10), "x"),
          pageview(3, at(10, 10), "a"), // same time: the path decides, "a" first
          pageview(3, at(10, 10), null), // NULL path last
          pageview(4, null, "/four-no-time"), // NULL time last
          pageview(4, at(10, 20), "/four"),
          pageview(5, at(10, 30), "/five"),
          pageview(5, at(10, 30), "/five"))); // the same row twice: once
      // all_events: event_id, user_id, session_id, time, event_table_name
      sources.insert(c, "all_events", List.of(
          new Object[] {1L, 10L, 100L, at(9, 0), "older"},
          new Object[] {1L, 10L, 100L, at(10, 0), "view"},
          new Object[] {2L, 10L, 100L, at(10, 1), "b"},
          new Object[] {2L, 10L, 100L, at(10, 1), "a"},
          new Object[] {3L, 11L, 101L, at(10, 2), "c"}));
      // user_migrations: from_user_id, to_user_id, time; a merge without either id merges nothing and is
      // dropped before the dedup (README, "Rows without an id")
      sources.insert(c, "user_migrations", List.of(
          new Object[] {20L, 30L, at(8, 0)},
          new Object[] {20L, 31L, at(9, 0)},
          new Object[] {21L, 30L, at(8, 0)},
          new Object[] {null, 40L, at(8, 0)},
          new Object[] {null, 41L, at(9, 0)}));

      assertThat(rows(c, renderer, StandardModels.PAGEVIEWS_EPHEMERAL, "heap_pageview_id", "heap_pageview_path"))
          .containsExactly("1|/one", "2|/two-late", "3|a", "4|/four", "5|/five");
      assertThat(rows(c, renderer, StandardModels.EVENTS_EPHEMERAL, "heap_event_id", "heap_event_name"))
          .containsExactly("1|view", "2|a", "3|c");
      assertThat(rows(c, renderer, StandardModels.IDENTITY_MAP, "heap_from_user_id", "heap_to_user_id"))
          .containsExactly("20|31", "21|30");
    }
    // the engine under test really took the path it is meant to test
    String select = renderer.select(StandardModels.PAGEVIEWS_EPHEMERAL);
    assertThat(select.contains("\"heap__rows\"")).isEqualTo(w.ranksRepeatedKeysOnly());
  }

  private static Object[] pageview(long id, LocalDateTime time, String path) {
    return new Object[] {id, 10L, 100L, time, "example.com", path, null, null, null, null};
  }

  /** Two columns of an ephemeral model's rows as "a|b", ordered by the first (NULL last), then the second. */
  private static List<String> rows(Connection c, SqlRenderer renderer, String model, String first, String second)
      throws SQLException {
    Warehouse w = renderer.warehouse();
    String sql =
        "SELECT " + w.quote(first) + ", " + w.quote(second) + " FROM (" + renderer.select(model) + ") AS m"
            + " ORDER BY " + w.quote(first) + " NULLS LAST, " + w.quote(second);
    List<String> result = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
      while (r.next()) {
        result.add(r.getString(1) + "|" + r.getString(2));
      }
    }
    return result;
  }
}
