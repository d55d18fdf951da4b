WITH "funnel_strict_sessions_by_channel_events" AS (
  SELECT "heap_user_id",
    "heap_session_id",
    "heap_event_id",
    "heap_event_time",
      CASE WHEN "heap_event_name" = 'view_product' THEN TRUE ELSE FALSE END AS "is_step_1",
      CASE WHEN "heap_event_name" = 'add_to_cart' THEN TRUE ELSE FALSE END AS "is_step_2",
      CASE WHEN "heap_event_name" = 'begin_checkout' THEN TRUE ELSE FALSE END AS "is_step_3",
      CASE WHEN "heap_event_name" = 'purchase' THEN TRUE ELSE FALSE END AS "is_step_4",
      CASE WHEN "heap_event_name" = 'view_product' OR "heap_event_name" = 'add_to_cart' OR "heap_event_name" = 'begin_checkout' OR "heap_event_name" = 'purchase' THEN TRUE ELSE FALSE END AS "is_funnel_event",
      ROW_NUMBER() OVER (PARTITION BY "heap_user_id", "heap_session_id" ORDER BY "heap_event_time" NULLS LAST, "heap_event_id" NULLS LAST) AS "event_seq",
      MIN(CASE WHEN "heap_event_name" = 'refund' THEN "heap_event_time" ELSE NULL END) OVER (PARTITION BY "heap_user_id", "heap_session_id" ORDER BY "heap_event_time" NULLS LAST, "heap_event_id" NULLS LAST ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS "exclusion_1_next_time"
  FROM "heap_models"."stg_heap_events_all_inc_fct"
  WHERE "heap_event_time" IS NOT NULL AND "heap_user_id" IS NOT NULL AND "heap_session_id" IS NOT NULL AND ("heap_event_name" = 'view_product' OR "heap_event_name" = 'add_to_cart' OR "heap_event_name" = 'begin_checkout' OR "heap_event_name" = 'purchase' OR "heap_event_name" = 'refund')
),
"funnel_strict_sessions_by_channel_exclusion_times" AS (
  SELECT "heap_user_id",
    "heap_session_id",
    "heap_event_time",
    "event_seq",
    "is_step_1",
    "is_step_2",
    "is_step_3",
    "is_step_4",
    "is_funnel_event",
      MAX(CASE WHEN "exclusion_1_next_time" > "heap_event_time" THEN "exclusion_1_next_time" ELSE NULL END) OVER (PARTITION BY "heap_user_id", "heap_session_id", "heap_event_time") AS "exclusion_1_time"
  FROM "funnel_strict_sessions_by_channel_events"
),
"funnel_strict_sessions_by_channel_chain_3" AS (
  SELECT "heap_user_id",
    "heap_session_id",
    "heap_event_time",
    "event_seq",
    "is_step_1",
    "is_step_2",
    "is_step_3",
    "is_step_4",
    "is_funnel_event",
    "exclusion_1_time",
      CASE WHEN (LEAD(CASE WHEN "is_step_4" THEN 1 ELSE 0 END) OVER (PARTITION BY "heap_user_id", "heap_session_id", "is_funnel_event" ORDER BY "event_seq" NULLS LAST)) = 1 THEN LEAD("heap_event_time") OVER (PARTITION BY "heap_user_id", "heap_session_id", "is_funnel_event" ORDER BY "event_seq" NULLS LAST) ELSE NULL END AS "chain_3_step_4_time"
  FROM "funnel_strict_sessions_by_channel_exclusion_times"
  WHERE "is_funnel_event"
),
"funnel_strict_sessions_by_channel_chain_2" AS (
  SELECT "heap_user_id",
    "heap_session_id",
    "heap_event_time",
    "event_seq",
    "is_step_1",
    "is_step_2",
    "is_step_3",
    "is_step_4",
    "is_funnel_event",
    "exclusion_1_time",
      CASE WHEN (LEAD(CASE WHEN "is_step_3" THEN 1 ELSE 0 END) OVER (PARTITION BY "heap_user_id", "heap_session_id", "is_funnel_event" ORDER BY "event_seq" NULLS LAST)) = 1 THEN LEAD("heap_event_time") OVER (PARTITION BY "heap_user_id", "heap_session_id", "is_funnel_event" ORDER BY "event_seq" NULLS LAST) ELSE NULL END AS "chain_2_step_3_time",
      CASE WHEN (LEAD(CASE WHEN "is_step_3" THEN 1 ELSE 0 END) OVER (PARTITION BY "heap_user_id", "heap_session_id", "is_funnel_event" ORDER BY "event_seq" NULLS LAST)) = 1 THEN LEAD("chain_3_step_4_time") OVER (PARTITION BY "heap_user_id", "heap_session_id", "is_funnel_event" ORDER BY "event_seq" NULLS LAST) ELSE NULL END AS "chain_2_step_4_time"
  FROM "funnel_strict_sessions_by_channel_chain_3"
),
"funnel_strict_sessions_by_channel_chain_1" AS (
  SELECT "heap_user_id",
    "heap_session_id",
    "heap_event_time",
    "event_seq",
    "is_step_1",
    "is_step_2",
    "is_step_3",
    "is_step_4",
    "is_funnel_event",
    "exclusion_1_time",
      CASE WHEN (LEAD(CASE WHEN "is_step_2" THEN 1 ELSE 0 END) OVER (PARTITION BY "heap_user_id", "heap_session_id", "is_funnel_event" ORDER BY "event_seq" NULLS LAST)) = 1 THEN LEAD("heap_event_time") OVER (PARTITION BY "heap_user_id", "heap_session_id", "is_funnel_event" ORDER BY "event_seq" NULLS LAST) ELSE NULL END AS "chain_1_step_2_time",
      CASE WHEN (LEAD(CASE WHEN "is_step_2" THEN 1 ELSE 0 END) OVER (PARTITION BY "heap_user_id", "heap_session_id", "is_funnel_event" ORDER BY "event_seq" NULLS LAST)) = 1 THEN LEAD("chain_2_step_3_time") OVER (PARTITION BY "heap_user_id", "heap_session_id", "is_funnel_event" ORDER BY "event_seq" NULLS LAST) ELSE NULL END AS "chain_1_step_3_time",
      CASE WHEN (LEAD(CASE WHEN "is_step_2" THEN 1 ELSE 0 END) OVER (PARTITION BY "heap_user_id", "heap_session_id", "is_funnel_event" ORDER BY "event_seq" NULLS LAST)) = 1 THEN LEAD("chain_2_step_4_time") OVER (PARTITION BY "heap_user_id", "heap_session_id", "is_funnel_event" ORDER BY "event_seq" NULLS LAST) ELSE NULL END AS "chain_1_step_4_time"
  FROM "funnel_strict_sessions_by_channel_chain_2"
),
"funnel_strict_sessions_by_channel_attempts" AS (
  SELECT "heap_user_id",
    "heap_session_id",
    "event_seq" AS "start_seq",
          1 + CASE WHEN CASE WHEN "chain_1_step_2_time" IS NOT NULL AND "chain_1_step_2_time" <= "heap_event_time" + INTERVAL '2' HOUR THEN TRUE ELSE FALSE END THEN 1 ELSE 0 END + CASE WHEN CASE WHEN "chain_1_step_3_time" IS NOT NULL AND "chain_1_step_3_time" <= "heap_event_time" + INTERVAL '2' HOUR THEN TRUE ELSE FALSE END THEN 1 ELSE 0 END + CASE WHEN CASE WHEN "chain_1_step_4_time" IS NOT NULL AND "chain_1_step_4_time" <= "heap_event_time" + INTERVAL '2' HOUR THEN TRUE ELSE FALSE END THEN 1 ELSE 0 END AS "steps_reached",
    0 AS "seconds_to_step_1",
    CAST(CASE WHEN CASE WHEN "chain_1_step_2_time" IS NOT NULL AND "chain_1_step_2_time" <= "heap_event_time" + INTERVAL '2' HOUR THEN TRUE ELSE FALSE END THEN CAST(FLOOR(EXTRACT(EPOCH FROM "chain_1_step_2_time")) AS BIGINT) - CAST(FLOOR(EXTRACT(EPOCH FROM "heap_event_time")) AS BIGINT) ELSE NULL END AS BIGINT) AS "seconds_to_step_2",
    CAST(CASE WHEN CASE WHEN "chain_1_step_3_time" IS NOT NULL AND "chain_1_step_3_time" <= "heap_event_time" + INTERVAL '2' HOUR THEN TRUE ELSE FALSE END THEN CAST(FLOOR(EXTRACT(EPOCH FROM "chain_1_step_3_time")) AS BIGINT) - CAST(FLOOR(EXTRACT(EPOCH FROM "heap_event_time")) AS BIGINT) ELSE NULL END AS BIGINT) AS "seconds_to_step_3",
    CAST(CASE WHEN CASE WHEN "chain_1_step_4_time" IS NOT NULL AND "chain_1_step_4_time" <= "heap_event_time" + INTERVAL '2' HOUR THEN TRUE ELSE FALSE END THEN CAST(FLOOR(EXTRACT(EPOCH FROM "chain_1_step_4_time")) AS BIGINT) - CAST(FLOOR(EXTRACT(EPOCH FROM "heap_event_time")) AS BIGINT) ELSE NULL END AS BIGINT) AS "seconds_to_step_4",
      CASE WHEN "exclusion_1_time" <= "heap_event_time" + INTERVAL '2' HOUR THEN CASE WHEN NOT ("heap_event_time" IS NOT NULL AND "heap_event_time" <= "exclusion_1_time") THEN 0 WHEN NOT ("chain_1_step_2_time" IS NOT NULL AND "chain_1_step_2_time" <= "exclusion_1_time") THEN 1 WHEN NOT ("chain_1_step_3_time" IS NOT NULL AND "chain_1_step_3_time" <= "exclusion_1_time") THEN 2 WHEN NOT ("chain_1_step_4_time" IS NOT NULL AND "chain_1_step_4_time" <= "exclusion_1_time") THEN 3 ELSE 4 END ELSE NULL END AS "exclusion_1_after_step"
  FROM "funnel_strict_sessions_by_channel_chain_1"
  WHERE "is_step_1" AND "heap_event_time" >= TIMESTAMP '2024-01-01 00:00:00' AND "heap_event_time" < TIMESTAMP '2024-02-01 00:00:00'
),
"funnel_strict_sessions_by_channel_screened_attempts" AS (
  SELECT "heap_user_id",
    "heap_session_id",
    "start_seq",
    "steps_reached",
    "seconds_to_step_1",
    "seconds_to_step_2",
    "seconds_to_step_3",
    "seconds_to_step_4",
    "exclusion_1_after_step",
      CASE WHEN "exclusion_1_after_step" < 4 THEN 1 ELSE 0 END AS "excluded",
            CASE WHEN "steps_reached" >= 1 AND NOT CASE WHEN "exclusion_1_after_step" < 4 AND "exclusion_1_after_step" < 0 THEN TRUE ELSE FALSE END THEN 1 ELSE 0 END + CASE WHEN "steps_reached" >= 2 AND NOT CASE WHEN "exclusion_1_after_step" < 4 AND "exclusion_1_after_step" < 1 THEN TRUE ELSE FALSE END THEN 1 ELSE 0 END + CASE WHEN "steps_reached" >= 3 AND NOT CASE WHEN "exclusion_1_after_step" < 4 AND "exclusion_1_after_step" < 2 THEN TRUE ELSE FALSE END THEN 1 ELSE 0 END + CASE WHEN "steps_reached" >= 4 AND NOT CASE WHEN "exclusion_1_after_step" < 4 AND "exclusion_1_after_step" < 3 THEN TRUE ELSE FALSE END THEN 1 ELSE 0 END AS "reach"
  FROM "funnel_strict_sessions_by_channel_attempts"
),
"funnel_strict_sessions_by_channel_ranked_attempts" AS (
  SELECT "heap_user_id",
    "heap_session_id",
    "start_seq",
    "steps_reached",
    "seconds_to_step_1",
    "seconds_to_step_2",
    "seconds_to_step_3",
    "seconds_to_step_4",
    "exclusion_1_after_step",
    "excluded",
    "reach",
      ROW_NUMBER() OVER (PARTITION BY "heap_user_id", "heap_session_id" ORDER BY "reach" DESC NULLS FIRST, "excluded" NULLS LAST, "start_seq" NULLS LAST) AS "attempt_rank"
  FROM "funnel_strict_sessions_by_channel_screened_attempts"
),
"funnel_strict_sessions_by_channel_entries" AS (
  SELECT "funnel_strict_sessions_by_channel_entries_input"."heap_user_id",
    "funnel_strict_sessions_by_channel_entries_input"."heap_session_id",
    "stg_heap_sessions_inc_fct"."heap_session_defined_channel_attribution" AS "breakdown_value",
    "funnel_strict_sessions_by_channel_entries_input"."steps_reached",
    "funnel_strict_sessions_by_channel_entries_input"."seconds_to_step_1",
    "funnel_strict_sessions_by_channel_entries_input"."seconds_to_step_2",
    "funnel_strict_sessions_by_channel_entries_input"."seconds_to_step_3",
    "funnel_strict_sessions_by_channel_entries_input"."seconds_to_step_4"
  FROM (SELECT "heap_user_id",
        "heap_session_id",
        "steps_reached",
        "seconds_to_step_1",
        "seconds_to_step_2",
        "seconds_to_step_3",
        "seconds_to_step_4",
        "heap_session_id" AS "attributed_session_id"
      FROM "funnel_strict_sessions_by_channel_ranked_attempts"
      WHERE "attempt_rank" = 1 AND "reach" >= 1 AND "excluded" = 0) AS "funnel_strict_sessions_by_channel_entries_input"
    LEFT JOIN "heap_models"."stg_heap_sessions_inc_fct" ON "funnel_strict_sessions_by_channel_entries_input"."attributed_session_id" = "stg_heap_sessions_inc_fct"."heap_session_id"
),
"funnel_strict_sessions_by_channel_steps" AS (
  SELECT "heap_user_id",
    "heap_session_id",
    "breakdown_value",
    1 AS "step",
    'view_product' AS "event",
      CASE WHEN "steps_reached" >= 1 THEN 1 ELSE 0 END AS "entered",
      CASE WHEN "steps_reached" >= 1 THEN CAST("seconds_to_step_1" AS DOUBLE) ELSE NULL END AS "seconds_from_first"
  FROM "funnel_strict_sessions_by_channel_entries"
  UNION ALL
  SELECT "heap_user_id",
    "heap_session_id",
    "breakdown_value",
    2 AS "step",
    'add_to_cart' AS "event",
      CASE WHEN "steps_reached" >= 2 THEN 1 ELSE 0 END AS "entered",
      CASE WHEN "steps_reached" >= 2 THEN CAST("seconds_to_step_2" AS DOUBLE) ELSE NULL END AS "seconds_from_first"
  FROM "funnel_strict_sessions_by_channel_entries"
  UNION ALL
  SELECT "heap_user_id",
    "heap_session_id",
    "breakdown_value",
    3 AS "step",
    'begin_checkout' AS "event",
      CASE WHEN "steps_reached" >= 3 THEN 1 ELSE 0 END AS "entered",
      CASE WHEN "steps_reached" >= 3 THEN CAST("seconds_to_step_3" AS DOUBLE) ELSE NULL END AS "seconds_from_first"
  FROM "funnel_strict_sessions_by_channel_entries"
  UNION ALL
  SELECT "heap_user_id",
    "heap_session_id",
    "breakdown_value",
    4 AS "step",
    'purchase' AS "event",
      CASE WHEN "steps_reached" >= 4 THEN 1 ELSE 0 END AS "entered",
      CASE WHEN "steps_reached" >= 4 THEN CAST("seconds_to_step_4" AS DOUBLE) ELSE NULL END AS "seconds_from_first"
  FROM "funnel_strict_sessions_by_channel_entries"
),
"funnel_strict_sessions_by_channel_ranked" AS (
  SELECT "heap_user_id",
    "heap_session_id",
    "breakdown_value",
    "step",
    "event",
    "entered",
    "seconds_from_first",
      ROW_NUMBER() OVER (PARTITION BY "breakdown_value", "step" ORDER BY "seconds_from_first" NULLS LAST, "heap_user_id" NULLS LAST, "heap_session_id" NULLS LAST) AS "median_rank",
      COUNT("seconds_from_first") OVER (PARTITION BY "breakdown_value", "step") AS "timed_units"
  FROM "funnel_strict_sessions_by_channel_steps"
),
"funnel_strict_sessions_by_channel_step_counts" AS (
  SELECT "breakdown_value",
    "step",
    "event",
    SUM("entered") AS "entered",
    AVG(CASE WHEN 2 * "median_rank" >= "timed_units" AND 2 * "median_rank" <= "timed_units" + 2 THEN "seconds_from_first" ELSE NULL END) AS "median_seconds_from_first",
    AVG("seconds_from_first") AS "avg_seconds_from_first"
  FROM "funnel_strict_sessions_by_channel_ranked"
  GROUP BY "breakdown_value",
    "step",
    "event"
),
"funnel_strict_sessions_by_channel_compared" AS (
  SELECT "breakdown_value",
    "step",
    "event",
    "entered",
    "median_seconds_from_first",
    "avg_seconds_from_first",
      MAX(CASE WHEN "step" = 1 THEN "entered" ELSE NULL END) OVER (PARTITION BY "breakdown_value") AS "first_entered",
      LAG("entered") OVER (PARTITION BY "breakdown_value" ORDER BY "step" NULLS LAST) AS "previous_entered"
  FROM "funnel_strict_sessions_by_channel_step_counts"
)
SELECT "breakdown_value" AS "channel",
  "step",
  "event",
  "entered",
    CASE WHEN "first_entered" > 0 THEN CAST("entered" AS DOUBLE) / CAST("first_entered" AS DOUBLE) ELSE NULL END AS "conversion_from_first",
    CASE WHEN "previous_entered" > 0 THEN CAST("entered" AS DOUBLE) / CAST("previous_entered" AS DOUBLE) ELSE NULL END AS "conversion_from_previous",
    "previous_entered" - "entered" AS "drop_off",
  "median_seconds_from_first",
  "avg_seconds_from_first"
FROM "funnel_strict_sessions_by_channel_compared"
ORDER BY "breakdown_value" NULLS LAST,
  "step" NULLS LAST
