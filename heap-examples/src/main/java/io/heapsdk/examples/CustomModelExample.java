package io.heapsdk.examples;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.model.ProjectPlan;
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
import java.util.List;
import org.apache.calcite.tools.RelBuilder;

/** A custom model on top of a standard one: its Snowflake SQL, then its rows on H2 with sample data. */
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
          RelBuilder b = ctx.ref("stg_heap_sessions_inc_fct");
          return b.filter(b.field("heap_session_is_conversion"))
              .aggregate(b.groupKey("heap_session_country"), b.count().as("sessions"))
              .build();
        });
    ProjectPlan plan = project.plan();
    out.println(new SqlRenderer(Warehouses.SNOWFLAKE, plan).select("converting_sessions_per_country"));

    try (Connection db = DriverManager.getConnection("jdbc:h2:mem:custom-model-example")) {
      SampleData.of(1000, 42).load(db, Warehouses.H2, config);
      new JdbcRunner(Warehouses.H2).run(plan, db);
      String table = new SqlRenderer(Warehouses.H2, plan).tableName("converting_sessions_per_country");
      try (Statement query = db.createStatement();
          ResultSet rs = query.executeQuery("SELECT * FROM " + table + " ORDER BY 2 DESC, 1")) {
        while (rs.next()) {
          out.printf("%-16s %5d%n", rs.getString(1), rs.getLong(2));
        }
      }
    }
  }
}
