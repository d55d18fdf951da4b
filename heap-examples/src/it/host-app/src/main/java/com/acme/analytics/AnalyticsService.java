package com.acme.analytics;

import io.heapsdk.analysis.Funnel;
import io.heapsdk.config.HeapConfig;
import io.heapsdk.config.HeapConfigLoader;
import io.heapsdk.model.HeapProject;
import io.heapsdk.run.AnalysisRunner;
import io.heapsdk.warehouse.SqlRenderer;
import io.heapsdk.warehouse.Warehouse;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.calcite.tools.RelBuilder;

/** The host's use of the SDK: its config file, a model of its own, SQL for the warehouse it runs on. */
public final class AnalyticsService {
  /** The host's own model: sessions and pageviews per user. */
  public static final String SESSIONS_PER_USER = "sessions_per_user";

  private final HeapConfig config;
  private final HeapProject project;

  private AnalyticsService(HeapConfig config) {
    this.config = config;
    this.project = HeapProject.standard(config);
    project
        .model(SESSIONS_PER_USER)
        .description("Sessions and pageviews per user")
        .plan(
            ctx -> {
              RelBuilder b = ctx.ref("stg_heap_pageview_sessions_inc_fct");
              return b.aggregate(
                      b.groupKey("heap_user_id"),
                      b.count(true, "sessions", b.field("heap_pageview_session_id")),
                      b.count().as("pageviews"))
                  .build();
            });
  }

  /** Reads the Heap Connect config from a YAML file. */
  public static AnalyticsService fromConfigFile(Path file) {
    return new AnalyticsService(HeapConfigLoader.load(file));
  }

  public HeapConfig config() {
    return config;
  }

  public HeapProject project() {
    return project;
  }

  /** The SELECT of one model for a warehouse. */
  public String modelSql(Warehouse warehouse, String model) {
    return new SqlRenderer(warehouse, project.plan()).select(model);
  }

  /** The funnel through the config's funnel events, one week, broken down by channel. */
  public Funnel checkoutFunnel() {
    return Funnel.builder().steps(config.funnelEvents()).window(Duration.ofDays(7)).breakdown("channel").build();
  }

  /** The checkout funnel's SQL for a warehouse. */
  public String checkoutFunnelSql(Warehouse warehouse) {
    return new AnalysisRunner(warehouse, project).sql(checkoutFunnel());
  }
}
