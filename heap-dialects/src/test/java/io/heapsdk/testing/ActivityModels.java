package io.heapsdk.testing;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.Exprs;
import io.heapsdk.model.HeapProject;
import io.heapsdk.model.TimeGrain;
import java.util.List;

/**
 * Custom models as a product team writes them, with the portable expressions of {@link Exprs} and no
 * Calcite type named: a session's start cut to every {@link TimeGrain} (with the first funnel step's
 * events per conversion, which needs at least one funnel event), and daily active users per
 * channel with a conversion rate. Golden SQL, the validators and the engines all check them.
 */
public final class ActivityModels {
  /** The channels {@code session_periods.is_paid} counts as paid. */
  public static final List<String> PAID_CHANNELS = List.of("Paid Google Search", "Paid Bing Search", "Facebook Paid");

  private ActivityModels() {}

  /** The standard models and the two activity models. */
  public static HeapProject project(HeapConfig config) {
    HeapProject project = HeapProject.standard(config);
    project
        .model("session_periods")
        .description("Each session's start cut to hour, day, ISO week, month, quarter and year")
        .plan(
            ctx -> {
              var b = ctx.ref("stg_heap_sessions_inc_fct");
              var start = b.field("heap_session_start_time");
              return b.project(
                      b.field("heap_session_id"),
                      b.alias(Exprs.truncate(b, start, TimeGrain.HOUR), "start_hour"),
                      b.alias(Exprs.truncate(b, start, TimeGrain.DAY), "start_day"),
                      b.alias(Exprs.truncate(b, start, TimeGrain.WEEK), "start_week"),
                      b.alias(Exprs.truncate(b, start, TimeGrain.MONTH), "start_month"),
                      b.alias(Exprs.truncate(b, start, TimeGrain.QUARTER), "start_quarter"),
                      b.alias(Exprs.truncate(b, start, TimeGrain.YEAR), "start_year"),
                      b.alias(Exprs.date(b, start), "start_date"),
                      b.alias(Exprs.isIn(b, b.field("heap_session_defined_channel_attribution"), PAID_CHANNELS), "is_paid"),
                      b.alias(Exprs.coalesce(b, b.field("heap_session_utm_source"), b.literal("(none)")), "utm_source"),
                      // NULL for a session without a conversion, not a division by zero
                      b.alias(
                          Exprs.safeDivide(b, b.field("heap_session_funnel_step_1_cnt"), b.field("heap_session_conversion_cnt")),
                          "first_steps_per_conversion"))
                  .build();
            });
    project
        .model("daily_active_users")
        .description("Active users, sessions and the share of converting sessions per UTC day and channel")
        .plan(
            ctx -> {
              var b = ctx.ref("stg_heap_sessions_inc_fct");
              b.aggregate(
                  b.groupKey(
                      b.alias(Exprs.date(b, b.field("heap_session_start_time")), "activity_date"),
                      b.alias(b.field("heap_session_defined_channel_attribution"), "channel")),
                  Exprs.countDistinct(b, "active_users", b.field("heap_user_id")),
                  b.count().as("sessions"),
                  b.sum(Exprs.oneIf(b, b.field("heap_session_is_conversion"))).as("converting_sessions"));
              return b.project(
                      b.field("activity_date"),
                      b.field("channel"),
                      b.field("active_users"),
                      b.field("sessions"),
                      b.alias(Exprs.safeDivide(b, b.field("converting_sessions"), b.field("sessions")), "conversion_rate"))
                  .build();
            });
    return project;
  }
}
