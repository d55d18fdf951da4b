package io.heapsdk.examples;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.Exprs;
import io.heapsdk.model.HeapProject;
import io.heapsdk.model.ProjectPlan;
import io.heapsdk.model.TimeGrain;
import io.heapsdk.run.JdbcRunner;
import io.heapsdk.sample.SampleData;
import io.heapsdk.warehouse.SqlRenderer;
import io.heapsdk.warehouse.Warehouses;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Locale;

/**
 * Custom models on top of a standard one, as the README shows them: their Snowflake SQL, then their
 * rows on H2 with sample data. No Calcite type is named: {@code var} holds the builder, and {@link
 * Exprs} has the portable expressions (week truncation, distinct counts).
 */
public final class CustomModelExample {
  private CustomModelExample() {}

  public static void main(String[] args) throws SQLException {
    run(System.out);
  }

  static void run(PrintStream out) throws SQLException {
    HeapConfig config =
        HeapConfig.builder()
            .funnelEvents(List.of("view_product", "add_to_cart", "begin_checkout", "purchase"))
            .conversionEvents(List.of("purchase", "sign_up"))
            .ownDomain("example.com")
            .build();
    HeapProject project = HeapProject.standard(config);
    project
        .model("converting_sessions_per_country")
        .description("Sessions with a conversion, per country")
        .plan(ctx -> {
          var b = ctx.ref("stg_heap_sessions_inc_fct");
          return b.filter(b.field("heap_session_is_conversion"))
              .aggregate(b.groupKey("heap_session_country"), b.count().as("sessions"))
              .build();
        });
    project
        .model("weekly_active_users")
        .description("Users with a session per ISO week (Monday to Sunday, UTC) and channel")
        .plan(ctx -> {
          var b = ctx.ref("stg_heap_sessions_inc_fct");
          var week = Exprs.truncate(b, b.field("heap_session_start_time"), TimeGrain.WEEK);
          return b.aggregate(
                  b.groupKey(b.alias(week, "week"), b.alias(b.field("heap_session_defined_channel_attribution"), "channel")),
                  Exprs.countDistinct(b, "active_users", b.field("heap_user_id")))
              .build();
        });
    ProjectPlan plan = project.plan();
    SqlRenderer snowflake = new SqlRenderer(Warehouses.SNOWFLAKE, plan);
    out.println(snowflake.select("converting_sessions_per_country"));
    out.println(snowflake.select("weekly_active_users"));

    try (Connection db = DriverManager.getConnection("jdbc:h2:mem:custom-model-example")) {
      SampleData.of(1000, 42).load(db, Warehouses.H2, config);
      new JdbcRunner(Warehouses.H2).run(plan, db);
      String table = new SqlRenderer(Warehouses.H2, plan).tableName("converting_sessions_per_country");
      try (Statement query = db.createStatement();
          ResultSet rs = query.executeQuery("SELECT * FROM " + table + " ORDER BY 2 DESC, 1")) {
        while (rs.next()) {
          // Locale.ROOT: under an Arabic or Hindi locale %d prints that script's digits
          out.printf(Locale.ROOT, "%-16s %5d%n", rs.getString(1), rs.getLong(2));
        }
      }
      // columns by name: a group key's columns come in the order of the fact's columns
      String weekly = new SqlRenderer(Warehouses.H2, plan).tableName("weekly_active_users");
      String byWeek = " ORDER BY " + Warehouses.H2.quote("week") + ", " + Warehouses.H2.quote("channel");
      try (Statement query = db.createStatement();
          ResultSet rs = query.executeQuery("SELECT * FROM " + weekly + byWeek + " FETCH FIRST 5 ROWS ONLY")) {
        while (rs.next()) {
          // as a LocalDateTime, the value stored: getTimestamp goes through the JVM's time zone
          out.printf(
              Locale.ROOT,
              "week of %s  %-20s %5d%n",
              rs.getObject("week", LocalDateTime.class).toLocalDate(), rs.getString("channel"), rs.getLong("active_users"));
        }
      }
    }
  }
}
