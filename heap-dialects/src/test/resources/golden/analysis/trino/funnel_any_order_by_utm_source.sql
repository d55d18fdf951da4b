WITH "funnel_any_order_by_utm_source_events" AS (
  SELECT "heap_user_id",
    "heap_session_id",
    "heap_event_id",
    "heap_event_time",
      CASE WHEN "heap_event_name" = 'view_product' THEN TRUE ELSE FALSE END AS "is_step_1",
      CASE WHEN "heap_event_name" = 'add_to_cart' THEN TRUE ELSE FALSE END AS "is_step_2",
      CASE WHEN "heap_event_name" = 'purchase' THEN TRUE ELSE FALSE END AS "is_step_3",
      CASE WHEN "heap_event_name" = 'view_product' OR "heap_event_name" = 'add_to_cart' OR "heap_event_name" = 'purchase' THEN TRUE ELSE FALSE END AS "is_funnel_event",
      ROW_NUMBER() OVER (PARTITION BY "heap_user_id" ORDER BY "heap_event_time", "heap_event_id") AS "event_seq"
  FROM "heap_models"."stg_heap_events_all_inc_fct"
  WHERE "heap_event_time" IS NOT NULL AND "heap_user_id" IS NOT NULL AND ("heap_event_name" = 'view_product' OR "heap_event_name" = 'add_to_cart' OR "heap_event_name" = 'purchase')
),
"funnel_any_order_by_utm_source_chain" AS (
  SELECT "heap_user_id",
    "heap_session_id",
    "heap_event_time",
    "event_seq",
    "is_step_1",
    "is_step_2",
    "is_step_3",
    "is_funnel_event",
      MIN(CASE WHEN "is_step_1" THEN "heap_event_time" ELSE NULL END) OVER (PARTITION BY "heap_user_id" ORDER BY "event_seq" ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS "step_1_time",
      MIN(CASE WHEN "is_step_2" THEN "heap_event_time" ELSE NULL END) OVER (PARTITION BY "heap_user_id" ORDER BY "event_seq" ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS "step_2_time",
      MIN(CASE WHEN "is_step_3" THEN "heap_event_time" ELSE NULL END) OVER (PARTITION BY "heap_user_id" ORDER BY "event_seq" ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS "step_3_time"
  FROM "funnel_any_order_by_utm_source_events"
),
"funnel_any_order_by_utm_source_attempts" AS (
  SELECT "heap_user_id",
    "heap_session_id",
    "event_seq" AS "start_seq",
      CASE WHEN NOT CASE WHEN "step_1_time" IS NOT NULL AND "step_1_time" <= DATE_ADD('day', 7, "heap_event_time") THEN TRUE ELSE FALSE END THEN 0 WHEN NOT CASE WHEN "step_2_time" IS NOT NULL AND "step_2_time" <= DATE_ADD('day', 7, "heap_event_time") THEN TRUE ELSE FALSE END THEN 1 WHEN NOT CASE WHEN "step_3_time" IS NOT NULL AND "step_3_time" <= DATE_ADD('day', 7, "heap_event_time") THEN TRUE ELSE FALSE END THEN 2 ELSE 3 END AS "steps_reached",
    CAST(CASE WHEN CASE WHEN "step_1_time" IS NOT NULL AND "step_1_time" <= DATE_ADD('day', 7, "heap_event_time") THEN TRUE ELSE FALSE END THEN CAST(FLOOR(TO_UNIXTIME(WITH_TIMEZONE("step_1_time", 'UTC'))) AS BIGINT) - CAST(FLOOR(TO_UNIXTIME(WITH_TIMEZONE("heap_event_time", 'UTC'))) AS BIGINT) ELSE NULL END AS BIGINT) AS "seconds_to_step_1",
    CAST(CASE WHEN CASE WHEN "step_2_time" IS NOT NULL AND "step_2_time" <= DATE_ADD('day', 7, "heap_event_time") THEN TRUE ELSE FALSE END THEN CAST(FLOOR(TO_UNIXTIME(WITH_TIMEZONE("step_2_time", 'UTC'))) AS BIGINT) - CAST(FLOOR(TO_UNIXTIME(WITH_TIMEZONE("heap_event_time", 'UTC'))) AS BIGINT) ELSE NULL END AS BIGINT) AS "seconds_to_step_2",
    CAST(CASE WHEN CASE WHEN "step_3_time" IS NOT NULL AND "step_3_time" <= DATE_ADD('day', 7, "heap_event_time") THEN TRUE ELSE FALSE END THEN CAST(FLOOR(TO_UNIXTIME(WITH_TIMEZONE("step_3_time", 'UTC'))) AS BIGINT) - CAST(FLOOR(TO_UNIXTIME(WITH_TIMEZONE("heap_event_time", 'UTC'))) AS BIGINT) ELSE NULL END AS BIGINT) AS "seconds_to_step_3"
  FROM "funnel_any_order_by_utm_source_chain"
  WHERE "is_funnel_event"
),
"funnel_any_order_by_utm_source_ranked_attempts" AS (
  SELECT "heap_user_id",
    "heap_session_id",
    "start_seq",
    "steps_reached",
    "seconds_to_step_1",
    "seconds_to_step_2",
    "seconds_to_step_3",
      ROW_NUMBER() OVER (PARTITION BY "heap_user_id" ORDER BY "steps_reached" DESC NULLS FIRST, "start_seq") AS "attempt_rank"
  FROM "funnel_any_order_by_utm_source_attempts"
),
"funnel_any_order_by_utm_source_entries" AS (
  SELECT "funnel_any_order_by_utm_source_entries_input"."heap_user_id",
    "stg_heap_sessions_inc_fct"."heap_session_utm_source" AS "breakdown_value",
    "funnel_any_order_by_utm_source_entries_input"."steps_reached",
    "funnel_any_order_by_utm_source_entries_input"."seconds_to_step_1",
    "funnel_any_order_by_utm_source_entries_input"."seconds_to_step_2",
    "funnel_any_order_by_utm_source_entries_input"."seconds_to_step_3"
  FROM (SELECT "heap_user_id",
        "steps_reached",
        "seconds_to_step_1",
        "seconds_to_step_2",
        "seconds_to_step_3",
        "heap_session_id" AS "attributed_session_id"
      FROM "funnel_any_order_by_utm_source_ranked_attempts"
      WHERE "attempt_rank" = 1 AND "steps_reached" >= 1) AS "funnel_any_order_by_utm_source_entries_input"
    LEFT JOIN "heap_models"."stg_heap_sessions_inc_fct" ON "funnel_any_order_by_utm_source_entries_input"."attributed_session_id" = "stg_heap_sessions_inc_fct"."heap_session_id"
),
"funnel_any_order_by_utm_source_steps" AS (
  SELECT "heap_user_id",
    "breakdown_value",
    1 AS "step",
    'view_product' AS "event",
      CASE WHEN "steps_reached" >= 1 THEN 1 ELSE 0 END AS "entered",
      CASE WHEN "steps_reached" >= 1 THEN CAST("seconds_to_step_1" AS DOUBLE) ELSE NULL END AS "seconds_from_first"
  FROM "funnel_any_order_by_utm_source_entries"
  UNION ALL
  SELECT "heap_user_id",
    "breakdown_value",
    2 AS "step",
    'add_to_cart' AS "event",
      CASE WHEN "steps_reached" >= 2 THEN 1 ELSE 0 END AS "entered",
      CASE WHEN "steps_reached" >= 2 THEN CAST("seconds_to_step_2" AS DOUBLE) ELSE NULL END AS "seconds_from_first"
  FROM "funnel_any_order_by_utm_source_entries"
  UNION ALL
  SELECT "heap_user_id",
    "breakdown_value",
    3 AS "step",
    'purchase' AS "event",
      CASE WHEN "steps_reached" >= 3 THEN 1 ELSE 0 END AS "entered",
      CASE WHEN "steps_reached" >= 3 THEN CAST("seconds_to_step_3" AS DOUBLE) ELSE NULL END AS "seconds_from_first"
  FROM "funnel_any_order_by_utm_source_entries"
),
"funnel_any_order_by_utm_source_steps_done" AS (
  SELECT "heap_user_id",
    "breakdown_value",
    "step",
    "event",
    "entered",
      CASE WHEN "entered" = 1 THEN MAX("seconds_from_first") OVER (PARTITION BY "heap_user_id" ORDER BY "step" ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) ELSE NULL END AS "seconds_from_first"
  FROM "funnel_any_order_by_utm_source_steps"
),
"funnel_any_order_by_utm_source_ranked" AS (
  SELECT "heap_user_id",
    "breakdown_value",
    "step",
    "event",
    "entered",
    "seconds_from_first",
      ROW_NUMBER() OVER (PARTITION BY "breakdown_value", "step" ORDER BY "seconds_from_first", "heap_user_id") AS "median_rank",
      COUNT("seconds_from_first") OVER (PARTITION BY "breakdown_value", "step") AS "timed_units"
  FROM "funnel_any_order_by_utm_source_steps_done"
),
"funnel_any_order_by_utm_source_step_counts" AS (
  SELECT "breakdown_value",
    "step",
    "event",
    SUM("entered") AS "entered",
    AVG(CASE WHEN 2 * "median_rank" >= "timed_units" AND 2 * "median_rank" <= "timed_units" + 2 THEN "seconds_from_first" ELSE NULL END) AS "median_seconds_from_first",
    AVG("seconds_from_first") AS "avg_seconds_from_first"
  FROM "funnel_any_order_by_utm_source_ranked"
  GROUP BY "breakdown_value",
    "step",
    "event"
),
"funnel_any_order_by_utm_source_compared" AS (
  SELECT "breakdown_value",
    "step",
    "event",
    "entered",
    "median_seconds_from_first",
    "avg_seconds_from_first",
      MAX(CASE WHEN "step" = 1 THEN "entered" ELSE NULL END) OVER (PARTITION BY "breakdown_value") AS "first_entered",
      LAG("entered") OVER (PARTITION BY "breakdown_value" ORDER BY "step") AS "previous_entered"
  FROM "funnel_any_order_by_utm_source_step_counts"
)
SELECT "breakdown_value" AS "utm_source",
  "step",
  "event",
  "entered",
    CASE WHEN "first_entered" > 0 THEN CAST("entered" AS DOUBLE) / CAST("first_entered" AS DOUBLE) ELSE NULL END AS "conversion_from_first",
    CASE WHEN "previous_entered" > 0 THEN CAST("entered" AS DOUBLE) / CAST("previous_entered" AS DOUBLE) ELSE NULL END AS "conversion_from_previous",
    "previous_entered" - "entered" AS "drop_off",
  "median_seconds_from_first",
  "avg_seconds_from_first"
FROM "funnel_any_order_by_utm_source_compared"
ORDER BY "breakdown_value",
  "step"
