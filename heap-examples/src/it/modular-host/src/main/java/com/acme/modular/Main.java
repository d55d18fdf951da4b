package com.acme.modular;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.run.RunResult;
import io.heapsdk.testing.HeapRow;
import io.heapsdk.testing.HeapTestDatabase;
import io.heapsdk.warehouse.SqlRenderer;
import io.heapsdk.warehouse.Warehouse;
import io.heapsdk.warehouse.Warehouses;
import java.util.List;
import java.util.Map;
import org.apache.calcite.tools.RelBuilder;

/**
 * The host's program, run on the module path: a model of its own over a standard fact, its SQL for three
 * warehouses, and every model built on an H2 database, the rows checked against ones worked out by hand.
 * Exits non-zero (an exception) when anything differs.
 */
public final class Main {
  private static final String PURCHASES_PER_USER = "purchases_per_user";

  private Main() {}

  public static void main(String[] args) {
    if (!Main.class.getModule().isNamed()) {
      throw new IllegalStateException("not run as a named module: " + Main.class.getModule());
    }
    HeapConfig config =
        HeapConfig.builder().funnelEvents(List.of("view", "purchase")).conversionEvents(List.of("purchase")).build();
    HeapProject project = HeapProject.standard(config);
    project
        .model(PURCHASES_PER_USER)
        .description("Purchases per user")
        .plan(
            ctx -> {
              RelBuilder b = ctx.ref("stg_heap_events_all_inc_fct");
              b.filter(b.field("heap_event_is_conversion"));
              return b.aggregate(b.groupKey("heap_user_id"), b.count().as("purchases")).build();
            });

    for (Warehouse w : List.of(Warehouses.SNOWFLAKE, Warehouses.BIGQUERY, Warehouses.REDSHIFT)) {
      String sql = new SqlRenderer(w, project.plan()).select(PURCHASES_PER_USER);
      check(sql.contains(w.quote("heap_models")) || sql.contains(w.quote("HEAP_MODELS")), w.name() + " SQL names the target schema:\n" + sql);
    }

    try (HeapTestDatabase db = HeapTestDatabase.create(config)) {
      db.insert(
          event(1, 10, "2024-01-10T10:00:00", "view"),
          event(2, 10, "2024-01-10T10:05:00", "purchase"),
          event(3, 10, "2024-01-11T09:00:00", "purchase"),
          event(4, 11, "2024-01-10T12:00:00", "view"));
      RunResult run = db.build(project);
      // by hand: user 10 bought twice, user 11 never
      List<Map<String, Object>> rows = db.rows(PURCHASES_PER_USER, "heap_user_id");
      check(rows.size() == 1, "one user with purchases: " + rows);
      check(((Number) rows.get(0).get("heap_user_id")).longValue() == 10L, "user 10: " + rows);
      check(((Number) rows.get(0).get("purchases")).longValue() == 2L, "two purchases: " + rows);
      check(db.rows("stg_heap_events_all_inc_fct", "heap_event_id").size() == 4, "four events in the fact");
      System.out.println("module " + Main.class.getModule().getName() + ": " + run.models().size() + " models built, "
          + rows.size() + " user with purchases");
    }
  }

  private static HeapRow event(int id, int user, String time, String name) {
    return HeapRow.of("all_events")
        .set("event_id", id)
        .set("user_id", user)
        .set("session_id", 100 + user)
        .set("time", time)
        .set("event_table_name", name);
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException("on the module path: " + what);
    }
  }
}
