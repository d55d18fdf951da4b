WITH "funnel_ordered_users_events" AS (
  SELECT "heap_user_id",
    "heap_session_id",
    "heap_event_id",
    "heap_event_time",
      CASE WHEN "heap_event_name" = 'view_product' THEN TRUE ELSE FALSE END AS "is_step_1",
      CASE WHEN "heap_event_name" = 'add_to_cart' THEN TRUE ELSE FALSE END AS "is_step_2",
      CASE WHEN "heap_event_name" = 'purchase' THEN TRUE ELSE FALSE END AS "is_step_3",
      ROW_NUMBER() OVER (PARTITION BY "heap_user_id" ORDER BY "heap_event_time", "heap_event_id") AS "event_seq"
  FROM "heap_models"."stg_heap_events_all_inc_fct"
  WHERE "heap_event_time" IS NOT NULL AND "heap_user_id" IS NOT NULL AND ("heap_event_name" = 'view_product' OR "heap_event_name" = 'add_to_cart' OR "heap_event_name" = 'purchase')
),
"funnel_ordered_users_chain_2" AS (
  SELECT "heap_user_id",
    "heap_session_id",
    "heap_event_time",
    "event_seq",
    "is_step_1",
    "is_step_2",
    "is_step_3",
      MIN(CASE WHEN "is_step_3" THEN "heap_event_time" ELSE NULL END) OVER (PARTITION BY "heap_user_id" ORDER BY "event_seq" ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS "chain_2_step_3_time"
  FROM "funnel_ordered_users_events"
),
"funnel_ordered_users_chain_1" AS (
  SELECT "heap_user_id",
    "heap_session_id",
    "heap_event_time",
    "event_seq",
    "is_step_1",
    "is_step_2",
    "is_step_3",
      MIN(CASE WHEN "is_step_2" THEN "heap_event_time" ELSE NULL END) OVER (PARTITION BY "heap_user_id" ORDER BY "event_seq" ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS "chain_1_step_2_time",
      MIN(CASE WHEN "is_step_2" THEN "chain_2_step_3_time" ELSE NULL END) OVER (PARTITION BY "heap_user_id" ORDER BY "event_seq" ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS "chain_1_step_3_time"
  FROM "funnel_ordered_users_chain_2"
),
"funnel_ordered_users_attempts" AS (
  SELECT "heap_user_id",
    "heap_session_id",
    "event_seq" AS "start_seq",
        1 + CASE WHEN CASE WHEN "chain_1_step_2_time" IS NOT NULL AND "chain_1_step_2_time" <= "heap_event_time" + INTERVAL '14' DAY THEN TRUE ELSE FALSE END THEN 1 ELSE 0 END + CASE WHEN CASE WHEN "chain_1_step_3_time" IS NOT NULL AND "chain_1_step_3_time" <= "heap_event_time" + INTERVAL '14' DAY THEN TRUE ELSE FALSE END THEN 1 ELSE 0 END AS "steps_reached",
    0 AS "seconds_to_step_1",
    CAST(CASE WHEN CASE WHEN "chain_1_step_2_time" IS NOT NULL AND "chain_1_step_2_time" <= "heap_event_time" + INTERVAL '14' DAY THEN TRUE ELSE FALSE END THEN CAST(FLOOR(EXTRACT(EPOCH FROM "chain_1_step_2_time")) AS BIGINT) - CAST(FLOOR(EXTRACT(EPOCH FROM "heap_event_time")) AS BIGINT) ELSE NULL END AS BIGINT) AS "seconds_to_step_2",
    CAST(CASE WHEN CASE WHEN "chain_1_step_3_time" IS NOT NULL AND "chain_1_step_3_time" <= "heap_event_time" + INTERVAL '14' DAY THEN TRUE ELSE FALSE END THEN CAST(FLOOR(EXTRACT(EPOCH FROM "chain_1_step_3_time")) AS BIGINT) - CAST(FLOOR(EXTRACT(EPOCH FROM "heap_event_time")) AS BIGINT) ELSE NULL END AS BIGINT) AS "seconds_to_step_3"
  FROM "funnel_ordered_users_chain_1"
  WHERE "is_step_1"
),
"funnel_ordered_users_ranked_attempts" AS (
  SELECT "heap_user_id",
    "heap_session_id",
    "start_seq",
    "steps_reached",
    "seconds_to_step_1",
    "seconds_to_step_2",
    "seconds_to_step_3",
      ROW_NUMBER() OVER (PARTITION BY "heap_user_id" ORDER BY "steps_reached" DESC, "start_seq") AS "attempt_rank"
  FROM "funnel_ordered_users_attempts"
),
"funnel_ordered_users_entries" AS (
  SELECT "heap_user_id",
    "steps_reached",
    "seconds_to_step_1",
    "seconds_to_step_2",
    "seconds_to_step_3"
  FROM "funnel_ordered_users_ranked_attempts"
  WHERE "attempt_rank" = 1 AND "steps_reached" >= 1
),
"funnel_ordered_users_steps" AS (
  SELECT "heap_user_id",
    1 AS "step",
    'view_product' AS "event",
      CASE WHEN "steps_reached" >= 1 THEN 1 ELSE 0 END AS "entered",
      CASE WHEN "steps_reached" >= 1 THEN CAST("seconds_to_step_1" AS DOUBLE PRECISION) ELSE NULL END AS "seconds_from_first"
  FROM "funnel_ordered_users_entries"
  UNION ALL
  SELECT "heap_user_id",
    2 AS "step",
    'add_to_cart' AS "event",
      CASE WHEN "steps_reached" >= 2 THEN 1 ELSE 0 END AS "entered",
      CASE WHEN "steps_reached" >= 2 THEN CAST("seconds_to_step_2" AS DOUBLE PRECISION) ELSE NULL END AS "seconds_from_first"
  FROM "funnel_ordered_users_entries"
  UNION ALL
  SELECT "heap_user_id",
    3 AS "step",
    'purchase' AS "event",
      CASE WHEN "steps_reached" >= 3 THEN 1 ELSE 0 END AS "entered",
      CASE WHEN "steps_reached" >= 3 THEN CAST("seconds_to_step_3" AS DOUBLE PRECISION) ELSE NULL END AS "seconds_from_first"
  FROM "funnel_ordered_users_entries"
),
"funnel_ordered_users_ranked" AS (
  SELECT "heap_user_id",
    "step",
    "event",
    "entered",
    "seconds_from_first",
      ROW_NUMBER() OVER (PARTITION BY "step" ORDER BY "seconds_from_first", "heap_user_id") AS "median_rank",
      COUNT("seconds_from_first") OVER (PARTITION BY "step") AS "timed_units"
  FROM "funnel_ordered_users_steps"
),
"funnel_ordered_users_step_counts" AS (
  SELECT "step",
    "event",
    SUM("entered") AS "entered",
    AVG(CASE WHEN 2 * "median_rank" >= "timed_units" AND 2 * "median_rank" <= "timed_units" + 2 THEN "seconds_from_first" ELSE NULL END) AS "median_seconds_from_first",
    AVG("seconds_from_first") AS "avg_seconds_from_first"
  FROM "funnel_ordered_users_ranked"
  GROUP BY "step",
    "event"
),
"funnel_ordered_users_compared" AS (
  SELECT "step",
    "event",
    "entered",
    "median_seconds_from_first",
    "avg_seconds_from_first",
      MAX(CASE WHEN "step" = 1 THEN "entered" ELSE NULL END) OVER () AS "first_entered",
      LAG("entered") OVER (ORDER BY "step") AS "previous_entered"
  FROM "funnel_ordered_users_step_counts"
)
SELECT "step",
  "event",
  "entered",
    CASE WHEN "first_entered" > 0 THEN CAST("entered" AS DOUBLE PRECISION) / CAST("first_entered" AS DOUBLE PRECISION) ELSE NULL END AS "conversion_from_first",
    CASE WHEN "previous_entered" > 0 THEN CAST("entered" AS DOUBLE PRECISION) / CAST("previous_entered" AS DOUBLE PRECISION) ELSE NULL END AS "conversion_from_previous",
    "previous_entered" - "entered" AS "drop_off",
  "median_seconds_from_first",
  "avg_seconds_from_first"
FROM "funnel_ordered_users_compared"
ORDER BY "step"
