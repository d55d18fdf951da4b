WITH "funnel_strict_by_utm_source_of_step_2_events" AS (
  SELECT "heap_user_id",
    "heap_session_id",
    "heap_event_id",
    "heap_event_time",
      CASE WHEN "heap_event_name" = 'view_product' THEN TRUE ELSE FALSE END AS "is_step_1",
      CASE WHEN "heap_event_name" = 'add_to_cart' THEN TRUE ELSE FALSE END AS "is_step_2",
      CASE WHEN "heap_event_name" = 'purchase' THEN TRUE ELSE FALSE END AS "is_step_3",
      CASE WHEN "heap_event_name" = 'view_product' OR "heap_event_name" = 'add_to_cart' OR "heap_event_name" = 'purchase' THEN TRUE ELSE FALSE END AS "is_funnel_event",
      ROW_NUMBER() OVER (PARTITION BY "heap_user_id" ORDER BY "heap_event_time", "heap_event_id") AS "event_seq",
      MIN(CASE WHEN "heap_event_name" = 'remove_from_cart' THEN "heap_event_time" ELSE NULL END) OVER (PARTITION BY "heap_user_id" ORDER BY "heap_event_time", "heap_event_id" ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS "exclusion_1_next_time"
  FROM "heap_models"."stg_heap_events_all_inc_fct"
  WHERE "heap_event_time" IS NOT NULL AND "heap_user_id" IS NOT NULL AND ("heap_event_name" = 'view_product' OR "heap_event_name" = 'add_to_cart' OR "heap_event_name" = 'purchase' OR "heap_event_name" = 'remove_from_cart')
),
"funnel_strict_by_utm_source_of_step_2_exclusion_times" AS (
  SELECT "heap_user_id",
    "heap_session_id",
    "heap_event_time",
    "event_seq",
    "is_step_1",
    "is_step_2",
    "is_step_3",
    "is_funnel_event",
      MAX(CASE WHEN "exclusion_1_next_time" > "heap_event_time" THEN "exclusion_1_next_time" ELSE NULL END) OVER (PARTITION BY "heap_user_id", "heap_event_time") AS "exclusion_1_time"
  FROM "funnel_strict_by_utm_source_of_step_2_events"
),
"funnel_strict_by_utm_source_of_step_2_chain_2" AS (
  SELECT "heap_user_id",
    "heap_session_id",
    "heap_event_time",
    "event_seq",
    "is_step_1",
    "is_step_2",
    "is_step_3",
    "is_funnel_event",
    "exclusion_1_time",
      CASE WHEN (LEAD(CASE WHEN "is_step_3" THEN 1 ELSE 0 END) OVER (PARTITION BY "heap_user_id", "is_funnel_event" ORDER BY "event_seq")) = 1 THEN LEAD("event_seq") OVER (PARTITION BY "heap_user_id", "is_funnel_event" ORDER BY "event_seq") ELSE NULL END AS "chain_2_step_3_seq",
      CASE WHEN (LEAD(CASE WHEN "is_step_3" THEN 1 ELSE 0 END) OVER (PARTITION BY "heap_user_id", "is_funnel_event" ORDER BY "event_seq")) = 1 THEN LEAD("heap_event_time") OVER (PARTITION BY "heap_user_id", "is_funnel_event" ORDER BY "event_seq") ELSE NULL END AS "chain_2_step_3_time"
  FROM "funnel_strict_by_utm_source_of_step_2_exclusion_times"
  WHERE "is_funnel_event"
),
"funnel_strict_by_utm_source_of_step_2_chain_1" AS (
  SELECT "heap_user_id",
    "heap_session_id",
    "heap_event_time",
    "event_seq",
    "is_step_1",
    "is_step_2",
    "is_step_3",
    "is_funnel_event",
    "exclusion_1_time",
      CASE WHEN (LEAD(CASE WHEN "is_step_2" THEN 1 ELSE 0 END) OVER (PARTITION BY "heap_user_id", "is_funnel_event" ORDER BY "event_seq")) = 1 THEN LEAD("event_seq") OVER (PARTITION BY "heap_user_id", "is_funnel_event" ORDER BY "event_seq") ELSE NULL END AS "chain_1_step_2_seq",
      CASE WHEN (LEAD(CASE WHEN "is_step_2" THEN 1 ELSE 0 END) OVER (PARTITION BY "heap_user_id", "is_funnel_event" ORDER BY "event_seq")) = 1 THEN LEAD("heap_event_time") OVER (PARTITION BY "heap_user_id", "is_funnel_event" ORDER BY "event_seq") ELSE NULL END AS "chain_1_step_2_time",
      CASE WHEN (LEAD(CASE WHEN "is_step_2" THEN 1 ELSE 0 END) OVER (PARTITION BY "heap_user_id", "is_funnel_event" ORDER BY "event_seq")) = 1 THEN LEAD("chain_2_step_3_seq") OVER (PARTITION BY "heap_user_id", "is_funnel_event" ORDER BY "event_seq") ELSE NULL END AS "chain_1_step_3_seq",
      CASE WHEN (LEAD(CASE WHEN "is_step_2" THEN 1 ELSE 0 END) OVER (PARTITION BY "heap_user_id", "is_funnel_event" ORDER BY "event_seq")) = 1 THEN LEAD("chain_2_step_3_time") OVER (PARTITION BY "heap_user_id", "is_funnel_event" ORDER BY "event_seq") ELSE NULL END AS "chain_1_step_3_time",
      CASE WHEN (LEAD(CASE WHEN "is_step_2" THEN 1 ELSE 0 END) OVER (PARTITION BY "heap_user_id", "is_funnel_event" ORDER BY "event_seq")) = 1 THEN LEAD("exclusion_1_time") OVER (PARTITION BY "heap_user_id", "is_funnel_event" ORDER BY "event_seq") ELSE NULL END AS "chain_1_exclusion_1_time"
  FROM "funnel_strict_by_utm_source_of_step_2_chain_2"
),
"funnel_strict_by_utm_source_of_step_2_attempts" AS (
  SELECT "heap_user_id",
    "heap_session_id",
    "event_seq" AS "start_seq",
        1 + CASE WHEN CASE WHEN "chain_1_step_2_time" IS NOT NULL AND "chain_1_step_2_time" <= DATEADD(DAY, 14, "heap_event_time") THEN TRUE ELSE FALSE END THEN 1 ELSE 0 END + CASE WHEN CASE WHEN "chain_1_step_3_time" IS NOT NULL AND "chain_1_step_3_time" <= DATEADD(DAY, 14, "heap_event_time") THEN TRUE ELSE FALSE END THEN 1 ELSE 0 END AS "steps_reached",
    0 AS "seconds_to_step_1",
    CAST(CASE WHEN CASE WHEN "chain_1_step_2_time" IS NOT NULL AND "chain_1_step_2_time" <= DATEADD(DAY, 14, "heap_event_time") THEN TRUE ELSE FALSE END THEN DATEDIFF(SECOND, TIMESTAMP '1970-01-01 00:00:00', "chain_1_step_2_time") - DATEDIFF(SECOND, TIMESTAMP '1970-01-01 00:00:00', "heap_event_time") ELSE NULL END AS BIGINT) AS "seconds_to_step_2",
    CAST(CASE WHEN CASE WHEN "chain_1_step_3_time" IS NOT NULL AND "chain_1_step_3_time" <= DATEADD(DAY, 14, "heap_event_time") THEN TRUE ELSE FALSE END THEN DATEDIFF(SECOND, TIMESTAMP '1970-01-01 00:00:00', "chain_1_step_3_time") - DATEDIFF(SECOND, TIMESTAMP '1970-01-01 00:00:00', "heap_event_time") ELSE NULL END AS BIGINT) AS "seconds_to_step_3",
    "chain_1_step_2_seq" AS "step_2_event_seq",
      CASE WHEN "chain_1_exclusion_1_time" <= DATEADD(DAY, 14, "heap_event_time") THEN CASE WHEN NOT ("heap_event_time" IS NOT NULL AND "heap_event_time" <= "chain_1_exclusion_1_time") THEN 0 WHEN NOT ("chain_1_step_2_time" IS NOT NULL AND "chain_1_step_2_time" <= "chain_1_exclusion_1_time") THEN 1 WHEN NOT ("chain_1_step_3_time" IS NOT NULL AND "chain_1_step_3_time" <= "chain_1_exclusion_1_time") THEN 2 ELSE 3 END ELSE NULL END AS "exclusion_1_after_step"
  FROM "funnel_strict_by_utm_source_of_step_2_chain_1"
  WHERE "is_step_1"
),
"funnel_strict_by_utm_source_of_step_2_screened_attempts" AS (
  SELECT "heap_user_id",
    "heap_session_id",
    "start_seq",
    "steps_reached",
    "seconds_to_step_1",
    "seconds_to_step_2",
    "seconds_to_step_3",
    "step_2_event_seq",
    "exclusion_1_after_step",
      CASE WHEN "exclusion_1_after_step" < 3 THEN 1 ELSE 0 END AS "excluded",
          CASE WHEN "steps_reached" >= 1 AND NOT CASE WHEN "exclusion_1_after_step" < 3 AND "exclusion_1_after_step" < 0 THEN TRUE ELSE FALSE END THEN 1 ELSE 0 END + CASE WHEN "steps_reached" >= 2 AND NOT CASE WHEN "exclusion_1_after_step" < 3 AND "exclusion_1_after_step" < 1 THEN TRUE ELSE FALSE END THEN 1 ELSE 0 END + CASE WHEN "steps_reached" >= 3 AND NOT CASE WHEN "exclusion_1_after_step" < 3 AND "exclusion_1_after_step" < 2 THEN TRUE ELSE FALSE END THEN 1 ELSE 0 END AS "reach"
  FROM "funnel_strict_by_utm_source_of_step_2_attempts"
),
"funnel_strict_by_utm_source_of_step_2_ranked_attempts" AS (
  SELECT "heap_user_id",
    "heap_session_id",
    "start_seq",
    "steps_reached",
    "seconds_to_step_1",
    "seconds_to_step_2",
    "seconds_to_step_3",
    "step_2_event_seq",
    "exclusion_1_after_step",
    "excluded",
    "reach",
      ROW_NUMBER() OVER (PARTITION BY "heap_user_id" ORDER BY "reach" DESC, "excluded", "start_seq") AS "attempt_rank"
  FROM "funnel_strict_by_utm_source_of_step_2_screened_attempts"
),
"funnel_strict_by_utm_source_of_step_2_attribution_lookup" AS (
  SELECT "heap_user_id",
    "steps_reached",
    "seconds_to_step_1",
    "seconds_to_step_2",
    "seconds_to_step_3",
      CASE WHEN "steps_reached" >= 2 THEN "step_2_event_seq" ELSE NULL END AS "attributed_seq",
    CAST(NULL AS BIGINT) AS "event_session_id",
    1 AS "is_entry"
  FROM "funnel_strict_by_utm_source_of_step_2_ranked_attempts"
  WHERE "attempt_rank" = 1 AND "reach" >= 1 AND "excluded" = 0
  UNION ALL
  SELECT "heap_user_id",
    CAST(NULL AS INTEGER) AS "steps_reached",
    CAST(NULL AS BIGINT) AS "seconds_to_step_1",
    CAST(NULL AS BIGINT) AS "seconds_to_step_2",
    CAST(NULL AS BIGINT) AS "seconds_to_step_3",
    "event_seq" AS "attributed_seq",
    "heap_session_id" AS "event_session_id",
    0 AS "is_entry"
  FROM "funnel_strict_by_utm_source_of_step_2_events"
),
"funnel_strict_by_utm_source_of_step_2_attributed" AS (
  SELECT "heap_user_id",
    "steps_reached",
    "seconds_to_step_1",
    "seconds_to_step_2",
    "seconds_to_step_3",
      MAX("event_session_id") OVER (PARTITION BY "heap_user_id", "attributed_seq") AS "attributed_session_id",
    "is_entry"
  FROM "funnel_strict_by_utm_source_of_step_2_attribution_lookup"
),
"funnel_strict_by_utm_source_of_step_2_entries" AS (
  SELECT "funnel_strict_by_utm_source_of_step_2_entries_input"."heap_user_id",
    "stg_heap_sessions_inc_fct"."heap_session_utm_source" AS "breakdown_value",
    "funnel_strict_by_utm_source_of_step_2_entries_input"."steps_reached",
    "funnel_strict_by_utm_source_of_step_2_entries_input"."seconds_to_step_1",
    "funnel_strict_by_utm_source_of_step_2_entries_input"."seconds_to_step_2",
    "funnel_strict_by_utm_source_of_step_2_entries_input"."seconds_to_step_3"
  FROM (SELECT "heap_user_id",
        "steps_reached",
        "seconds_to_step_1",
        "seconds_to_step_2",
        "seconds_to_step_3",
        "attributed_session_id"
      FROM "funnel_strict_by_utm_source_of_step_2_attributed"
      WHERE "is_entry" = 1) AS "funnel_strict_by_utm_source_of_step_2_entries_input"
    LEFT JOIN "heap_models"."stg_heap_sessions_inc_fct" ON "funnel_strict_by_utm_source_of_step_2_entries_input"."attributed_session_id" = "stg_heap_sessions_inc_fct"."heap_session_id"
),
"funnel_strict_by_utm_source_of_step_2_steps" AS (
  SELECT "heap_user_id",
    "breakdown_value",
    1 AS "step",
    'view_product' AS "event",
      CASE WHEN "steps_reached" >= 1 THEN 1 ELSE 0 END AS "entered",
      CASE WHEN "steps_reached" >= 1 THEN CAST("seconds_to_step_1" AS DOUBLE PRECISION) ELSE NULL END AS "seconds_from_first"
  FROM "funnel_strict_by_utm_source_of_step_2_entries"
  UNION ALL
  SELECT "heap_user_id",
    "breakdown_value",
    2 AS "step",
    'add_to_cart' AS "event",
      CASE WHEN "steps_reached" >= 2 THEN 1 ELSE 0 END AS "entered",
      CASE WHEN "steps_reached" >= 2 THEN CAST("seconds_to_step_2" AS DOUBLE PRECISION) ELSE NULL END AS "seconds_from_first"
  FROM "funnel_strict_by_utm_source_of_step_2_entries"
  UNION ALL
  SELECT "heap_user_id",
    "breakdown_value",
    3 AS "step",
    'purchase' AS "event",
      CASE WHEN "steps_reached" >= 3 THEN 1 ELSE 0 END AS "entered",
      CASE WHEN "steps_reached" >= 3 THEN CAST("seconds_to_step_3" AS DOUBLE PRECISION) ELSE NULL END AS "seconds_from_first"
  FROM "funnel_strict_by_utm_source_of_step_2_entries"
),
"funnel_strict_by_utm_source_of_step_2_ranked" AS (
  SELECT "heap_user_id",
    "breakdown_value",
    "step",
    "event",
    "entered",
    "seconds_from_first",
      ROW_NUMBER() OVER (PARTITION BY "breakdown_value", "step" ORDER BY "seconds_from_first", "heap_user_id") AS "median_rank",
      COUNT("seconds_from_first") OVER (PARTITION BY "breakdown_value", "step") AS "timed_units"
  FROM "funnel_strict_by_utm_source_of_step_2_steps"
),
"funnel_strict_by_utm_source_of_step_2_step_counts" AS (
  SELECT "breakdown_value",
    "step",
    "event",
    SUM("entered") AS "entered",
    AVG(CASE WHEN 2 * "median_rank" >= "timed_units" AND 2 * "median_rank" <= "timed_units" + 2 THEN "seconds_from_first" ELSE NULL END) AS "median_seconds_from_first",
    AVG("seconds_from_first") AS "avg_seconds_from_first"
  FROM "funnel_strict_by_utm_source_of_step_2_ranked"
  GROUP BY "breakdown_value",
    "step",
    "event"
),
"funnel_strict_by_utm_source_of_step_2_compared" AS (
  SELECT "breakdown_value",
    "step",
    "event",
    "entered",
    "median_seconds_from_first",
    "avg_seconds_from_first",
      MAX(CASE WHEN "step" = 1 THEN "entered" ELSE NULL END) OVER (PARTITION BY "breakdown_value") AS "first_entered",
      LAG("entered") OVER (PARTITION BY "breakdown_value" ORDER BY "step") AS "previous_entered"
  FROM "funnel_strict_by_utm_source_of_step_2_step_counts"
)
SELECT "breakdown_value" AS "utm_source",
  "step",
  "event",
  "entered",
    CASE WHEN "first_entered" > 0 THEN CAST("entered" AS DOUBLE PRECISION) / CAST("first_entered" AS DOUBLE PRECISION) ELSE NULL END AS "conversion_from_first",
    CASE WHEN "previous_entered" > 0 THEN CAST("entered" AS DOUBLE PRECISION) / CAST("previous_entered" AS DOUBLE PRECISION) ELSE NULL END AS "conversion_from_previous",
    "previous_entered" - "entered" AS "drop_off",
  "median_seconds_from_first",
  "avg_seconds_from_first"
FROM "funnel_strict_by_utm_source_of_step_2_compared"
ORDER BY "breakdown_value",
  "step"
