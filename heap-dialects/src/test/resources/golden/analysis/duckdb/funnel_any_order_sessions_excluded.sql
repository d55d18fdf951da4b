WITH "funnel_any_order_sessions_excluded_events" AS (
  SELECT "heap_user_id",
    "heap_session_id",
    "heap_event_id",
    "heap_event_time",
      CASE WHEN "heap_event_name" = 'view_product' THEN TRUE ELSE FALSE END AS "is_step_1",
      CASE WHEN "heap_event_name" = 'add_to_cart' THEN TRUE ELSE FALSE END AS "is_step_2",
      CASE WHEN "heap_event_name" = 'view_product' OR "heap_event_name" = 'add_to_cart' THEN TRUE ELSE FALSE END AS "is_funnel_event",
      ROW_NUMBER() OVER (PARTITION BY "heap_user_id", "heap_session_id" ORDER BY "heap_event_time" NULLS LAST, "heap_event_id" NULLS LAST) AS "event_seq",
      MIN(CASE WHEN "heap_event_name" = 'refund' THEN "heap_event_time" ELSE NULL END) OVER (PARTITION BY "heap_user_id", "heap_session_id" ORDER BY "heap_event_time" NULLS LAST, "heap_event_id" NULLS LAST ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS "exclusion_1_next_time"
  FROM "heap_models"."stg_heap_events_all_inc_fct"
  WHERE "heap_event_time" IS NOT NULL AND "heap_user_id" IS NOT NULL AND "heap_session_id" IS NOT NULL AND ("heap_event_name" = 'view_product' OR "heap_event_name" = 'add_to_cart' OR "heap_event_name" = 'refund')
),
"funnel_any_order_sessions_excluded_exclusion_times" AS (
  SELECT "heap_user_id",
    "heap_session_id",
    "heap_event_time",
    "event_seq",
    "is_step_1",
    "is_step_2",
    "is_funnel_event",
      MAX(CASE WHEN "exclusion_1_next_time" > "heap_event_time" THEN "exclusion_1_next_time" ELSE NULL END) OVER (PARTITION BY "heap_user_id", "heap_session_id", "heap_event_time") AS "exclusion_1_time"
  FROM "funnel_any_order_sessions_excluded_events"
),
"funnel_any_order_sessions_excluded_chain" AS (
  SELECT "heap_user_id",
    "heap_session_id",
    "heap_event_time",
    "event_seq",
    "is_step_1",
    "is_step_2",
    "is_funnel_event",
    "exclusion_1_time",
      MIN(CASE WHEN "is_step_1" THEN "heap_event_time" ELSE NULL END) OVER (PARTITION BY "heap_user_id", "heap_session_id" ORDER BY "event_seq" NULLS LAST ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS "step_1_time",
      MIN(CASE WHEN "is_step_2" THEN "heap_event_time" ELSE NULL END) OVER (PARTITION BY "heap_user_id", "heap_session_id" ORDER BY "event_seq" NULLS LAST ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS "step_2_time"
  FROM "funnel_any_order_sessions_excluded_exclusion_times"
  WHERE "is_funnel_event"
),
"funnel_any_order_sessions_excluded_attempts" AS (
  SELECT "heap_user_id",
    "heap_session_id",
    "event_seq" AS "start_seq",
      CASE WHEN NOT CASE WHEN "step_1_time" IS NOT NULL AND "step_1_time" <= "heap_event_time" + INTERVAL '14' DAY THEN TRUE ELSE FALSE END THEN 0 WHEN NOT CASE WHEN "step_2_time" IS NOT NULL AND "step_2_time" <= "heap_event_time" + INTERVAL '14' DAY THEN TRUE ELSE FALSE END THEN 1 ELSE 2 END AS "steps_reached",
    CAST(CASE WHEN CASE WHEN "step_1_time" IS NOT NULL AND "step_1_time" <= "heap_event_time" + INTERVAL '14' DAY THEN TRUE ELSE FALSE END THEN CAST(FLOOR(EXTRACT(EPOCH FROM "step_1_time")) AS BIGINT) - CAST(FLOOR(EXTRACT(EPOCH FROM "heap_event_time")) AS BIGINT) ELSE NULL END AS BIGINT) AS "seconds_to_step_1",
    CAST(CASE WHEN CASE WHEN "step_2_time" IS NOT NULL AND "step_2_time" <= "heap_event_time" + INTERVAL '14' DAY THEN TRUE ELSE FALSE END THEN CAST(FLOOR(EXTRACT(EPOCH FROM "step_2_time")) AS BIGINT) - CAST(FLOOR(EXTRACT(EPOCH FROM "heap_event_time")) AS BIGINT) ELSE NULL END AS BIGINT) AS "seconds_to_step_2",
      CASE WHEN "exclusion_1_time" <= "heap_event_time" + INTERVAL '14' DAY THEN CASE WHEN NOT ("step_1_time" IS NOT NULL AND "step_1_time" <= "exclusion_1_time") THEN 0 WHEN NOT ("step_2_time" IS NOT NULL AND "step_2_time" <= "exclusion_1_time") THEN 1 ELSE 2 END ELSE NULL END AS "exclusion_1_after_step"
  FROM "funnel_any_order_sessions_excluded_chain"
  WHERE "is_funnel_event"
),
"funnel_any_order_sessions_excluded_screened_attempts" AS (
  SELECT "heap_user_id",
    "heap_session_id",
    "start_seq",
    "steps_reached",
    "seconds_to_step_1",
    "seconds_to_step_2",
    "exclusion_1_after_step",
      CASE WHEN "exclusion_1_after_step" < 2 THEN 1 ELSE 0 END AS "excluded",
        CASE WHEN "steps_reached" >= 1 AND NOT CASE WHEN "exclusion_1_after_step" < 2 AND "exclusion_1_after_step" < 0 THEN TRUE ELSE FALSE END THEN 1 ELSE 0 END + CASE WHEN "steps_reached" >= 2 AND NOT CASE WHEN "exclusion_1_after_step" < 2 AND "exclusion_1_after_step" < 1 THEN TRUE ELSE FALSE END THEN 1 ELSE 0 END AS "reach"
  FROM "funnel_any_order_sessions_excluded_attempts"
),
"funnel_any_order_sessions_excluded_ranked_attempts" AS (
  SELECT "heap_user_id",
    "heap_session_id",
    "start_seq",
    "steps_reached",
    "seconds_to_step_1",
    "seconds_to_step_2",
    "exclusion_1_after_step",
    "excluded",
    "reach",
      ROW_NUMBER() OVER (PARTITION BY "heap_user_id", "heap_session_id" ORDER BY "reach" DESC NULLS FIRST, "excluded" NULLS LAST, "start_seq" NULLS LAST) AS "attempt_rank"
  FROM "funnel_any_order_sessions_excluded_screened_attempts"
),
"funnel_any_order_sessions_excluded_entries" AS (
  SELECT "heap_user_id",
    "heap_session_id",
    "steps_reached",
    "seconds_to_step_1",
    "seconds_to_step_2"
  FROM "funnel_any_order_sessions_excluded_ranked_attempts"
  WHERE "attempt_rank" = 1 AND "reach" >= 1 AND "excluded" = 0
),
"funnel_any_order_sessions_excluded_steps" AS (
  SELECT "heap_user_id",
    "heap_session_id",
    1 AS "step",
    'view_product' AS "event",
      CASE WHEN "steps_reached" >= 1 THEN 1 ELSE 0 END AS "entered",
      CASE WHEN "steps_reached" >= 1 THEN CAST("seconds_to_step_1" AS DOUBLE) ELSE NULL END AS "seconds_from_first"
  FROM "funnel_any_order_sessions_excluded_entries"
  UNION ALL
  SELECT "heap_user_id",
    "heap_session_id",
    2 AS "step",
    'add_to_cart' AS "event",
      CASE WHEN "steps_reached" >= 2 THEN 1 ELSE 0 END AS "entered",
      CASE WHEN "steps_reached" >= 2 THEN CAST("seconds_to_step_2" AS DOUBLE) ELSE NULL END AS "seconds_from_first"
  FROM "funnel_any_order_sessions_excluded_entries"
),
"funnel_any_order_sessions_excluded_steps_done" AS (
  SELECT "heap_user_id",
    "heap_session_id",
    "step",
    "event",
    "entered",
      CASE WHEN "entered" = 1 THEN MAX("seconds_from_first") OVER (PARTITION BY "heap_user_id", "heap_session_id" ORDER BY "step" NULLS LAST ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) ELSE NULL END AS "seconds_from_first"
  FROM "funnel_any_order_sessions_excluded_steps"
),
"funnel_any_order_sessions_excluded_ranked" AS (
  SELECT "heap_user_id",
    "heap_session_id",
    "step",
    "event",
    "entered",
    "seconds_from_first",
      ROW_NUMBER() OVER (PARTITION BY "step" ORDER BY "seconds_from_first" NULLS LAST, "heap_user_id" NULLS LAST, "heap_session_id" NULLS LAST) AS "median_rank",
      COUNT("seconds_from_first") OVER (PARTITION BY "step") AS "timed_units"
  FROM "funnel_any_order_sessions_excluded_steps_done"
),
"funnel_any_order_sessions_excluded_step_counts" AS (
  SELECT "step",
    "event",
    SUM("entered") AS "entered",
    AVG(CASE WHEN 2 * "median_rank" >= "timed_units" AND 2 * "median_rank" <= "timed_units" + 2 THEN "seconds_from_first" ELSE NULL END) AS "median_seconds_from_first",
    AVG("seconds_from_first") AS "avg_seconds_from_first"
  FROM "funnel_any_order_sessions_excluded_ranked"
  GROUP BY "step",
    "event"
),
"funnel_any_order_sessions_excluded_compared" AS (
  SELECT "step",
    "event",
    "entered",
    "median_seconds_from_first",
    "avg_seconds_from_first",
      MAX(CASE WHEN "step" = 1 THEN "entered" ELSE NULL END) OVER () AS "first_entered",
      LAG("entered") OVER (ORDER BY "step" NULLS LAST) AS "previous_entered"
  FROM "funnel_any_order_sessions_excluded_step_counts"
)
SELECT "step",
  "event",
  "entered",
    CASE WHEN "first_entered" > 0 THEN CAST("entered" AS DOUBLE) / CAST("first_entered" AS DOUBLE) ELSE NULL END AS "conversion_from_first",
    CASE WHEN "previous_entered" > 0 THEN CAST("entered" AS DOUBLE) / CAST("previous_entered" AS DOUBLE) ELSE NULL END AS "conversion_from_previous",
    "previous_entered" - "entered" AS "drop_off",
  "median_seconds_from_first",
  "avg_seconds_from_first"
FROM "funnel_any_order_sessions_excluded_compared"
ORDER BY "step" NULLS LAST
