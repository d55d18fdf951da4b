WITH "funnel_trend_daily_any_order_events" AS (
  SELECT "heap_user_id",
    "heap_session_id",
    "heap_event_id",
    "heap_event_time",
      CASE WHEN "heap_event_name" = 'view_product' THEN TRUE ELSE FALSE END AS "is_step_1",
      CASE WHEN "heap_event_name" = 'purchase' THEN TRUE ELSE FALSE END AS "is_step_2",
      CASE WHEN "heap_event_name" = 'view_product' OR "heap_event_name" = 'purchase' THEN TRUE ELSE FALSE END AS "is_funnel_event",
      ROW_NUMBER() OVER (PARTITION BY "heap_user_id" ORDER BY "heap_event_time", "heap_event_id") AS "event_seq"
  FROM "heap_models"."stg_heap_events_all_inc_fct"
  WHERE "heap_event_time" IS NOT NULL AND "heap_user_id" IS NOT NULL AND ("heap_event_name" = 'view_product' OR "heap_event_name" = 'purchase')
),
"funnel_trend_daily_any_order_chain" AS (
  SELECT "heap_user_id",
    "heap_session_id",
    "heap_event_time",
    "event_seq",
    "is_step_1",
    "is_step_2",
    "is_funnel_event",
      MIN(CASE WHEN "is_step_1" THEN "heap_event_time" ELSE NULL END) OVER (PARTITION BY "heap_user_id" ORDER BY "event_seq" ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS "step_1_time",
      MIN(CASE WHEN "is_step_2" THEN "heap_event_time" ELSE NULL END) OVER (PARTITION BY "heap_user_id" ORDER BY "event_seq" ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS "step_2_time"
  FROM "funnel_trend_daily_any_order_events"
),
"funnel_trend_daily_any_order_attempts" AS (
  SELECT "heap_user_id",
    "heap_session_id",
    "event_seq" AS "start_seq",
    CAST(DATE_TRUNC('day', "heap_event_time") AS DATE) AS "period",
      CASE WHEN NOT CASE WHEN "step_1_time" IS NOT NULL AND "step_1_time" <= DATEADD(DAY, 14, "heap_event_time") THEN TRUE ELSE FALSE END THEN 0 WHEN NOT CASE WHEN "step_2_time" IS NOT NULL AND "step_2_time" <= DATEADD(DAY, 14, "heap_event_time") THEN TRUE ELSE FALSE END THEN 1 ELSE 2 END AS "steps_reached",
    CAST(CASE WHEN CASE WHEN "step_1_time" IS NOT NULL AND "step_1_time" <= DATEADD(DAY, 14, "heap_event_time") THEN TRUE ELSE FALSE END THEN DATEDIFF(SECOND, TIMESTAMP '1970-01-01 00:00:00', "step_1_time") - DATEDIFF(SECOND, TIMESTAMP '1970-01-01 00:00:00', "heap_event_time") ELSE NULL END AS BIGINT) AS "seconds_to_step_1",
    CAST(CASE WHEN CASE WHEN "step_2_time" IS NOT NULL AND "step_2_time" <= DATEADD(DAY, 14, "heap_event_time") THEN TRUE ELSE FALSE END THEN DATEDIFF(SECOND, TIMESTAMP '1970-01-01 00:00:00', "step_2_time") - DATEDIFF(SECOND, TIMESTAMP '1970-01-01 00:00:00', "heap_event_time") ELSE NULL END AS BIGINT) AS "seconds_to_step_2"
  FROM "funnel_trend_daily_any_order_chain"
  WHERE "is_funnel_event" AND "heap_event_time" >= TIMESTAMP '2024-01-01 00:00:00'
),
"funnel_trend_daily_any_order_ranked_attempts" AS (
  SELECT "heap_user_id",
    "heap_session_id",
    "start_seq",
    "period",
    "steps_reached",
    "seconds_to_step_1",
    "seconds_to_step_2",
      ROW_NUMBER() OVER (PARTITION BY "heap_user_id", "period" ORDER BY "steps_reached" DESC, "start_seq") AS "attempt_rank"
  FROM "funnel_trend_daily_any_order_attempts"
),
"funnel_trend_daily_any_order_entries" AS (
  SELECT "heap_user_id",
    "period",
    "steps_reached",
    "seconds_to_step_1",
    "seconds_to_step_2"
  FROM "funnel_trend_daily_any_order_ranked_attempts"
  WHERE "attempt_rank" = 1 AND "steps_reached" >= 1
)
SELECT "period",
  COUNT(*) AS "entered",
  SUM(CASE WHEN "steps_reached" >= 2 THEN 1 ELSE 0 END) AS "converted",
    CASE WHEN COUNT(*) > 0 THEN CAST(SUM(CASE WHEN "steps_reached" >= 2 THEN 1 ELSE 0 END) AS DOUBLE PRECISION) / CAST(COUNT(*) AS DOUBLE PRECISION) ELSE NULL END AS "conversion"
FROM "funnel_trend_daily_any_order_entries"
GROUP BY "period"
ORDER BY "period"
