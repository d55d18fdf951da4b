package com.acme.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heapsdk.testing.HeapRow;
import io.heapsdk.testing.HeapTestDatabase;
import io.heapsdk.warehouse.Warehouse;
import io.heapsdk.warehouse.Warehouses;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The host's own tests: its config file, its model, its SQL, its model run on a test database. */
class AnalyticsServiceTest {
  private final AnalyticsService service = AnalyticsService.fromConfigFile(Path.of("config", "heap.yml"));

  @Test
  void readsTheConfigFile() {
    assertEquals("acme_analytics", service.config().targetSchema());
    assertEquals("heap_main", service.config().sourceSchema());
    assertEquals(List.of("view_product", "add_to_cart", "purchase"), service.config().funnelEvents());
  }

  @Test
  void rendersTheFunnelForThreeWarehouses() {
    for (Warehouse warehouse : List.of(Warehouses.SNOWFLAKE, Warehouses.BIGQUERY, Warehouses.REDSHIFT)) {
      String sql = service.checkoutFunnelSql(warehouse);
      for (String step : service.config().funnelEvents()) {
        assertTrue(sql.contains("'" + step + "'"), warehouse + " funnel SQL has the step " + step + ":\n" + sql);
      }
      // the funnel reads the facts from the target schema of the config file
      assertTrue(sql.contains(warehouse.quote("acme_analytics")), warehouse + ":\n" + sql);
    }
  }

  /** Under every profile's Jackson and SnakeYAML (Spring Boot 2.7's are 2.13 and 1.30). */
  @Test
  void readsAConfigInJapaneseAndRussian() {
    AnalyticsService unicode = AnalyticsService.fromConfigFile(Path.of("config", "heap-unicode.yml"));
    assertEquals("分析", unicode.config().targetSchema());
    assertEquals(List.of("閲覧", "カートに入れる", "购买🛒"), unicode.config().funnelEvents());
    assertEquals("пример.рф", unicode.config().ownDomain().orElseThrow());
    String sql = unicode.checkoutFunnelSql(Warehouses.SNOWFLAKE);
    assertTrue(sql.contains("'购买🛒'") && sql.contains(Warehouses.SNOWFLAKE.quote("分析")), sql);
  }

  @Test
  void rendersTheHostsModel() {
    String sql = service.modelSql(Warehouses.REDSHIFT, AnalyticsService.SESSIONS_PER_USER);
    assertTrue(sql.contains("COUNT(DISTINCT \"heap_pageview_session_id\")"), sql);
  }

  @Test
  void buildsTheHostsModelOnATestDatabase() {
    try (HeapTestDatabase db = HeapTestDatabase.create(service.config())) {
      db.insert(
          pageview(1, 10, "2024-01-10T10:00:00"),
          pageview(2, 10, "2024-01-10T10:20:00"),
          // 40 minutes after the previous pageview: more than the 30 of heap.yml, a new session
          pageview(3, 10, "2024-01-10T11:00:00"),
          pageview(4, 10, "2024-01-10T11:10:00"),
          pageview(5, 11, "2024-01-10T10:05:00"));
      db.build(service.project());
      List<Map<String, Object>> rows = db.rows(AnalyticsService.SESSIONS_PER_USER, "heap_user_id");
      // by hand: user 10 has 4 pageviews in 2 sessions, user 11 one pageview in one session
      assertEquals(2, rows.size(), rows.toString());
      assertEquals(List.of(10L, 2L, 4L), values(rows.get(0)), rows.toString());
      assertEquals(List.of(11L, 1L, 1L), values(rows.get(1)), rows.toString());
    }
  }

  @Test
  void buildsTheUsersFactWithEachUsersInitialChannel() {
    assertTrue(service.config().usersEnabled(), "users.enabled in heap.yml");
    try (HeapTestDatabase db = HeapTestDatabase.create(service.config())) {
      db.insert(
          session(101, 10, "2024-01-12T10:00:00", null),
          session(100, 10, "2024-01-10T10:00:00", "https://www.google.com/"),
          session(110, 11, "2024-01-11T09:00:00", "https://acme.example/blog"));
      db.build(service.project());
      List<Map<String, Object>> rows = db.rows("stg_heap_users_inc_fct", "heap_user_id");
      // by hand: user 10 first came from a search engine without UTM fields (Organic Search), then
      // directly; user 11 from a page of the own domain (acme.example), once
      assertEquals(2, rows.size(), rows.toString());
      assertEquals(List.of(10L, 100L, 2L), ids(rows.get(0)), rows.toString());
      assertEquals("Organic Search", rows.get(0).get("heap_user_initial_channel"), rows.toString());
      assertEquals(List.of(11L, 110L, 1L), ids(rows.get(1)), rows.toString());
      assertEquals("acme.example", rows.get(1).get("heap_user_initial_channel"), rows.toString());
    }
  }

  private static HeapRow session(int id, int user, String time, String referrer) {
    return HeapRow.of("sessions").set("session_id", id).set("user_id", user).set("time", time).set("referrer", referrer);
  }

  private static List<Long> ids(Map<String, Object> row) {
    return List.of(
        ((Number) row.get("heap_user_id")).longValue(),
        ((Number) row.get("heap_user_initial_session_id")).longValue(),
        ((Number) row.get("heap_user_session_cnt")).longValue());
  }

  private static HeapRow pageview(int id, int user, String time) {
    return HeapRow.of("pageviews")
        .set("event_id", id)
        .set("user_id", user)
        .set("session_id", 100 + user)
        .set("time", time)
        .set("path", "/p" + id);
  }

  private static List<Long> values(Map<String, Object> row) {
    return List.of(
        ((Number) row.get("heap_user_id")).longValue(),
        ((Number) row.get("sessions")).longValue(),
        ((Number) row.get("pageviews")).longValue());
  }
}
