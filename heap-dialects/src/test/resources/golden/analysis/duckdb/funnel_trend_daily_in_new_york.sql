WITH "funnel_trend_daily_in_new_york_events" AS (
  SELECT "heap_user_id",
    "heap_session_id",
    "heap_event_id",
    "heap_event_time",
      CASE WHEN "heap_event_name" = 'view_product' THEN TRUE ELSE FALSE END AS "is_step_1",
      CASE WHEN "heap_event_name" = 'purchase' THEN TRUE ELSE FALSE END AS "is_step_2",
      ROW_NUMBER() OVER (PARTITION BY "heap_user_id" ORDER BY "heap_event_time" NULLS LAST, "heap_event_id" NULLS LAST) AS "event_seq"
  FROM "heap_models"."stg_heap_events_all_inc_fct"
  WHERE "heap_event_time" IS NOT NULL AND "heap_user_id" IS NOT NULL AND ("heap_event_name" = 'view_product' OR "heap_event_name" = 'purchase')
),
"funnel_trend_daily_in_new_york_chain_1" AS (
  SELECT "heap_user_id",
    "heap_session_id",
    "heap_event_time",
    "event_seq",
    "is_step_1",
    "is_step_2",
      MIN(CASE WHEN "is_step_2" THEN "heap_event_time" ELSE NULL END) OVER (PARTITION BY "heap_user_id" ORDER BY "event_seq" NULLS LAST ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS "chain_1_step_2_time"
  FROM "funnel_trend_daily_in_new_york_events"
),
"funnel_trend_daily_in_new_york_attempts" AS (
  SELECT "heap_user_id",
    "heap_session_id",
    "event_seq" AS "start_seq",
    CAST(DATE_TRUNC('day', ((CAST("heap_event_time" AS TIMESTAMP) AT TIME ZONE 'UTC') AT TIME ZONE 'America/New_York')) AS DATE) AS "period",
      1 + CASE WHEN CASE WHEN "chain_1_step_2_time" IS NOT NULL AND "chain_1_step_2_time" <= "heap_event_time" + INTERVAL '14' DAY THEN TRUE ELSE FALSE END THEN 1 ELSE 0 END AS "steps_reached",
    0 AS "seconds_to_step_1",
    CAST(CASE WHEN CASE WHEN "chain_1_step_2_time" IS NOT NULL AND "chain_1_step_2_time" <= "heap_event_time" + INTERVAL '14' DAY THEN TRUE ELSE FALSE END THEN CAST(FLOOR(EXTRACT(EPOCH FROM "chain_1_step_2_time")) AS BIGINT) - CAST(FLOOR(EXTRACT(EPOCH FROM "heap_event_time")) AS BIGINT) ELSE NULL END AS BIGINT) AS "seconds_to_step_2"
  FROM "funnel_trend_daily_in_new_york_chain_1"
  WHERE "is_step_1" AND "heap_event_time" >= TIMESTAMP '2024-03-01 05:00:00' AND "heap_event_time" < TIMESTAMP '2024-04-01 04:00:00'
),
"funnel_trend_daily_in_new_york_ranked_attempts" AS (
  SELECT "heap_user_id",
    "heap_session_id",
    "start_seq",
    "period",
    "steps_reached",
    "seconds_to_step_1",
    "seconds_to_step_2",
      ROW_NUMBER() OVER (PARTITION BY "heap_user_id", "period" ORDER BY "steps_reached" DESC NULLS FIRST, "start_seq" NULLS LAST) AS "attempt_rank"
  FROM "funnel_trend_daily_in_new_york_attempts"
),
"funnel_trend_daily_in_new_york_entries" AS (
  SELECT "heap_user_id",
    "period",
    "steps_reached",
    "seconds_to_step_1",
    "seconds_to_step_2"
  FROM "funnel_trend_daily_in_new_york_ranked_attempts"
  WHERE "attempt_rank" = 1 AND "steps_reached" >= 1
)
SELECT "period",
  COUNT(*) AS "entered",
  SUM(CASE WHEN "steps_reached" >= 2 THEN 1 ELSE 0 END) AS "converted",
    CASE WHEN COUNT(*) > 0 THEN CAST(SUM(CASE WHEN "steps_reached" >= 2 THEN 1 ELSE 0 END) AS DOUBLE) / CAST(COUNT(*) AS DOUBLE) ELSE NULL END AS "conversion"
FROM "funnel_trend_daily_in_new_york_entries"
GROUP BY "period"
ORDER BY "period" NULLS LAST
