WITH "funnel_time_to_convert_auto_bins_events" AS (
  SELECT "heap_user_id",
    "heap_session_id",
    "heap_event_id",
    "heap_event_time",
      CASE WHEN "heap_event_name" = 'view_product' THEN TRUE ELSE FALSE END AS "is_step_1",
      CASE WHEN "heap_event_name" = 'add_to_cart' THEN TRUE ELSE FALSE END AS "is_step_2",
      CASE WHEN "heap_event_name" = 'begin_checkout' THEN TRUE ELSE FALSE END AS "is_step_3",
      CASE WHEN "heap_event_name" = 'purchase' THEN TRUE ELSE FALSE END AS "is_step_4",
      CASE WHEN "heap_event_name" = 'view_product' OR "heap_event_name" = 'add_to_cart' OR "heap_event_name" = 'begin_checkout' OR "heap_event_name" = 'purchase' THEN TRUE ELSE FALSE END AS "is_funnel_event",
      ROW_NUMBER() OVER (PARTITION BY "heap_user_id" ORDER BY "heap_event_time", "heap_event_id") AS "event_seq",
      MIN(CASE WHEN "heap_event_name" = 'refund' THEN "heap_event_time" ELSE NULL END) OVER (PARTITION BY "heap_user_id" ORDER BY "heap_event_time", "heap_event_id" ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS "exclusion_1_next_time",
      MIN(CASE WHEN "heap_event_name" = 'coupon_removed' THEN "heap_event_time" ELSE NULL END) OVER (PARTITION BY "heap_user_id" ORDER BY "heap_event_time", "heap_event_id" ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS "exclusion_2_next_time"
  FROM "heap_models"."stg_heap_events_all_inc_fct"
  WHERE "heap_event_time" IS NOT NULL AND "heap_user_id" IS NOT NULL AND ("heap_event_name" = 'view_product' OR ("heap_event_name" = 'add_to_cart' OR "heap_event_name" = 'begin_checkout') OR ("heap_event_name" = 'purchase' OR ("heap_event_name" = 'refund' OR "heap_event_name" = 'coupon_removed')))
),
"funnel_time_to_convert_auto_bins_exclusion_times" AS (
  SELECT "heap_user_id",
    "heap_session_id",
    "heap_event_time",
    "event_seq",
    "is_step_1",
    "is_step_2",
    "is_step_3",
    "is_step_4",
    "is_funnel_event",
      MAX(CASE WHEN "exclusion_1_next_time" > "heap_event_time" THEN "exclusion_1_next_time" ELSE NULL END) OVER (PARTITION BY "heap_user_id", "heap_event_time") AS "exclusion_1_time",
      MAX(CASE WHEN "exclusion_2_next_time" > "heap_event_time" THEN "exclusion_2_next_time" ELSE NULL END) OVER (PARTITION BY "heap_user_id", "heap_event_time") AS "exclusion_2_time"
  FROM "funnel_time_to_convert_auto_bins_events"
),
"funnel_time_to_convert_auto_bins_chain_3" AS (
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
    "exclusion_2_time",
      MIN(CASE WHEN "is_step_4" THEN "heap_event_time" ELSE NULL END) OVER (PARTITION BY "heap_user_id" ORDER BY "event_seq" ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS "chain_3_step_4_time"
  FROM "funnel_time_to_convert_auto_bins_exclusion_times"
  WHERE "is_funnel_event"
),
"funnel_time_to_convert_auto_bins_chain_2" AS (
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
    "exclusion_2_time",
      MIN(CASE WHEN "is_step_3" THEN "heap_event_time" ELSE NULL END) OVER (PARTITION BY "heap_user_id" ORDER BY "event_seq" ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS "chain_2_step_3_time",
      MIN(CASE WHEN "is_step_3" THEN "chain_3_step_4_time" ELSE NULL END) OVER (PARTITION BY "heap_user_id" ORDER BY "event_seq" ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS "chain_2_step_4_time"
  FROM "funnel_time_to_convert_auto_bins_chain_3"
),
"funnel_time_to_convert_auto_bins_chain_1" AS (
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
    "exclusion_2_time",
      MIN(CASE WHEN "is_step_2" THEN "heap_event_time" ELSE NULL END) OVER (PARTITION BY "heap_user_id" ORDER BY "event_seq" ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS "chain_1_step_2_time",
      MIN(CASE WHEN "is_step_2" THEN "chain_2_step_3_time" ELSE NULL END) OVER (PARTITION BY "heap_user_id" ORDER BY "event_seq" ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS "chain_1_step_3_time",
      MIN(CASE WHEN "is_step_2" THEN "chain_2_step_4_time" ELSE NULL END) OVER (PARTITION BY "heap_user_id" ORDER BY "event_seq" ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS "chain_1_step_4_time",
      MIN(CASE WHEN "is_step_2" THEN "exclusion_2_time" ELSE NULL END) OVER (PARTITION BY "heap_user_id" ORDER BY "event_seq" ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS "chain_1_exclusion_2_time"
  FROM "funnel_time_to_convert_auto_bins_chain_2"
),
"funnel_time_to_convert_auto_bins_attempts" AS (
  SELECT "heap_user_id",
    "heap_session_id",
    "event_seq" AS "start_seq",
          1 + CASE WHEN CASE WHEN "chain_1_step_2_time" IS NOT NULL AND "chain_1_step_2_time" <= DATEADD(DAY, 3, "heap_event_time") THEN TRUE ELSE FALSE END THEN 1 ELSE 0 END + CASE WHEN CASE WHEN "chain_1_step_3_time" IS NOT NULL AND "chain_1_step_3_time" <= DATEADD(DAY, 3, "heap_event_time") THEN TRUE ELSE FALSE END THEN 1 ELSE 0 END + CASE WHEN CASE WHEN "chain_1_step_4_time" IS NOT NULL AND "chain_1_step_4_time" <= DATEADD(DAY, 3, "heap_event_time") THEN TRUE ELSE FALSE END THEN 1 ELSE 0 END AS "steps_reached",
    0 AS "seconds_to_step_1",
    CAST(CASE WHEN CASE WHEN "chain_1_step_2_time" IS NOT NULL AND "chain_1_step_2_time" <= DATEADD(DAY, 3, "heap_event_time") THEN TRUE ELSE FALSE END THEN DATEDIFF(SECOND, TIMESTAMP '1970-01-01 00:00:00', "chain_1_step_2_time") - DATEDIFF(SECOND, TIMESTAMP '1970-01-01 00:00:00', "heap_event_time") ELSE NULL END AS BIGINT) AS "seconds_to_step_2",
    CAST(CASE WHEN CASE WHEN "chain_1_step_3_time" IS NOT NULL AND "chain_1_step_3_time" <= DATEADD(DAY, 3, "heap_event_time") THEN TRUE ELSE FALSE END THEN DATEDIFF(SECOND, TIMESTAMP '1970-01-01 00:00:00', "chain_1_step_3_time") - DATEDIFF(SECOND, TIMESTAMP '1970-01-01 00:00:00', "heap_event_time") ELSE NULL END AS BIGINT) AS "seconds_to_step_3",
    CAST(CASE WHEN CASE WHEN "chain_1_step_4_time" IS NOT NULL AND "chain_1_step_4_time" <= DATEADD(DAY, 3, "heap_event_time") THEN TRUE ELSE FALSE END THEN DATEDIFF(SECOND, TIMESTAMP '1970-01-01 00:00:00', "chain_1_step_4_time") - DATEDIFF(SECOND, TIMESTAMP '1970-01-01 00:00:00', "heap_event_time") ELSE NULL END AS BIGINT) AS "seconds_to_step_4",
      CASE WHEN "exclusion_1_time" <= DATEADD(DAY, 3, "heap_event_time") THEN CASE WHEN NOT ("heap_event_time" IS NOT NULL AND "heap_event_time" <= "exclusion_1_time") THEN 0 WHEN NOT ("chain_1_step_2_time" IS NOT NULL AND "chain_1_step_2_time" <= "exclusion_1_time") THEN 1 WHEN NOT ("chain_1_step_3_time" IS NOT NULL AND "chain_1_step_3_time" <= "exclusion_1_time") THEN 2 WHEN NOT ("chain_1_step_4_time" IS NOT NULL AND "chain_1_step_4_time" <= "exclusion_1_time") THEN 3 ELSE 4 END ELSE NULL END AS "exclusion_1_after_step",
      CASE WHEN "chain_1_exclusion_2_time" <= DATEADD(DAY, 3, "heap_event_time") THEN CASE WHEN NOT ("heap_event_time" IS NOT NULL AND "heap_event_time" <= "chain_1_exclusion_2_time") THEN 0 WHEN NOT ("chain_1_step_2_time" IS NOT NULL AND "chain_1_step_2_time" <= "chain_1_exclusion_2_time") THEN 1 WHEN NOT ("chain_1_step_3_time" IS NOT NULL AND "chain_1_step_3_time" <= "chain_1_exclusion_2_time") THEN 2 WHEN NOT ("chain_1_step_4_time" IS NOT NULL AND "chain_1_step_4_time" <= "chain_1_exclusion_2_time") THEN 3 ELSE 4 END ELSE NULL END AS "exclusion_2_after_step"
  FROM "funnel_time_to_convert_auto_bins_chain_1"
  WHERE "is_step_1"
),
"funnel_time_to_convert_auto_bins_screened_attempts" AS (
  SELECT "heap_user_id",
    "heap_session_id",
    "start_seq",
    "steps_reached",
    "seconds_to_step_1",
    "seconds_to_step_2",
    "seconds_to_step_3",
    "seconds_to_step_4",
    "exclusion_1_after_step",
    "exclusion_2_after_step",
      CASE WHEN "exclusion_1_after_step" < 4 OR "exclusion_2_after_step" < 3 THEN 1 ELSE 0 END AS "excluded",
            CASE WHEN "steps_reached" >= 1 AND NOT CASE WHEN "exclusion_1_after_step" < 4 AND "exclusion_1_after_step" < 0 THEN TRUE ELSE FALSE END AND NOT CASE WHEN "exclusion_2_after_step" < 3 AND "exclusion_2_after_step" < 0 THEN TRUE ELSE FALSE END THEN 1 ELSE 0 END + CASE WHEN "steps_reached" >= 2 AND NOT CASE WHEN "exclusion_1_after_step" < 4 AND "exclusion_1_after_step" < 1 THEN TRUE ELSE FALSE END AND NOT CASE WHEN "exclusion_2_after_step" < 3 AND "exclusion_2_after_step" < 1 THEN TRUE ELSE FALSE END THEN 1 ELSE 0 END + CASE WHEN "steps_reached" >= 3 AND NOT CASE WHEN "exclusion_1_after_step" < 4 AND "exclusion_1_after_step" < 2 THEN TRUE ELSE FALSE END AND NOT CASE WHEN "exclusion_2_after_step" < 3 AND "exclusion_2_after_step" < 2 THEN TRUE ELSE FALSE END THEN 1 ELSE 0 END + CASE WHEN "steps_reached" >= 4 AND NOT CASE WHEN "exclusion_1_after_step" < 4 AND "exclusion_1_after_step" < 3 THEN TRUE ELSE FALSE END AND NOT CASE WHEN "exclusion_2_after_step" < 3 THEN TRUE ELSE FALSE END THEN 1 ELSE 0 END AS "reach"
  FROM "funnel_time_to_convert_auto_bins_attempts"
),
"funnel_time_to_convert_auto_bins_ranked_attempts" AS (
  SELECT "heap_user_id",
    "heap_session_id",
    "start_seq",
    "steps_reached",
    "seconds_to_step_1",
    "seconds_to_step_2",
    "seconds_to_step_3",
    "seconds_to_step_4",
    "exclusion_1_after_step",
    "exclusion_2_after_step",
    "excluded",
    "reach",
      ROW_NUMBER() OVER (PARTITION BY "heap_user_id" ORDER BY "reach" DESC, "excluded", "start_seq") AS "attempt_rank"
  FROM "funnel_time_to_convert_auto_bins_screened_attempts"
),
"funnel_time_to_convert_auto_bins_entries" AS (
  SELECT "heap_user_id",
    "steps_reached",
    "seconds_to_step_1",
    "seconds_to_step_2",
    "seconds_to_step_3",
    "seconds_to_step_4"
  FROM "funnel_time_to_convert_auto_bins_ranked_attempts"
  WHERE "attempt_rank" = 1 AND "reach" >= 1 AND "excluded" = 0
),
"funnel_time_to_convert_auto_bins_conversion_times" AS (
  SELECT "heap_user_id",
      "seconds_to_step_4" - "seconds_to_step_1" AS "seconds"
  FROM "funnel_time_to_convert_auto_bins_entries"
  WHERE "steps_reached" >= 4
),
"funnel_time_to_convert_auto_bins_conversion_spread" AS (
  SELECT "seconds",
      COUNT(*) OVER () AS "converted",
      MIN("seconds") OVER () AS "min_seconds",
      MAX("seconds") OVER () AS "max_seconds"
  FROM "funnel_time_to_convert_auto_bins_conversion_times"
),
"funnel_time_to_convert_auto_bins_histogram" AS (
  SELECT "seconds",
    "converted",
    "min_seconds",
    "max_seconds",
      CASE WHEN "converted" <= 1 THEN 1 WHEN "converted" <= 8 THEN 2 WHEN "converted" <= 27 THEN 3 WHEN "converted" <= 64 THEN 4 WHEN "converted" <= 125 THEN 5 WHEN "converted" <= 216 THEN 6 WHEN "converted" <= 343 THEN 7 WHEN "converted" <= 512 THEN 8 WHEN "converted" <= 729 THEN 9 WHEN "converted" <= 1000 THEN 10 WHEN "converted" <= 1331 THEN 11 WHEN "converted" <= 1728 THEN 12 WHEN "converted" <= 2197 THEN 13 WHEN "converted" <= 2744 THEN 14 WHEN "converted" <= 3375 THEN 15 WHEN "converted" <= 4096 THEN 16 WHEN "converted" <= 4913 THEN 17 WHEN "converted" <= 5832 THEN 18 WHEN "converted" <= 6859 THEN 19 WHEN "converted" <= 8000 THEN 20 WHEN "converted" <= 9261 THEN 21 WHEN "converted" <= 10648 THEN 22 WHEN "converted" <= 12167 THEN 23 WHEN "converted" <= 13824 THEN 24 WHEN "converted" <= 15625 THEN 25 WHEN "converted" <= 17576 THEN 26 WHEN "converted" <= 19683 THEN 27 WHEN "converted" <= 21952 THEN 28 WHEN "converted" <= 24389 THEN 29 WHEN "converted" <= 27000 THEN 30 WHEN "converted" <= 29791 THEN 31 WHEN "converted" <= 32768 THEN 32 WHEN "converted" <= 35937 THEN 33 WHEN "converted" <= 39304 THEN 34 WHEN "converted" <= 42875 THEN 35 WHEN "converted" <= 46656 THEN 36 WHEN "converted" <= 50653 THEN 37 WHEN "converted" <= 54872 THEN 38 WHEN "converted" <= 59319 THEN 39 WHEN "converted" <= 64000 THEN 40 WHEN "converted" <= 68921 THEN 41 WHEN "converted" <= 74088 THEN 42 WHEN "converted" <= 79507 THEN 43 WHEN "converted" <= 85184 THEN 44 WHEN "converted" <= 91125 THEN 45 WHEN "converted" <= 97336 THEN 46 WHEN "converted" <= 103823 THEN 47 WHEN "converted" <= 110592 THEN 48 WHEN "converted" <= 117649 THEN 49 WHEN "converted" <= 125000 THEN 50 WHEN "converted" <= 132651 THEN 51 WHEN "converted" <= 140608 THEN 52 WHEN "converted" <= 148877 THEN 53 WHEN "converted" <= 157464 THEN 54 WHEN "converted" <= 166375 THEN 55 WHEN "converted" <= 175616 THEN 56 WHEN "converted" <= 185193 THEN 57 WHEN "converted" <= 195112 THEN 58 WHEN "converted" <= 205379 THEN 59 ELSE 60 END AS "bins"
  FROM "funnel_time_to_convert_auto_bins_conversion_spread"
),
"funnel_time_to_convert_auto_bins_bin_width" AS (
  SELECT "seconds",
    "converted",
    "min_seconds",
    "bins",
      CASE WHEN "max_seconds" - "min_seconds" > 0 THEN CAST(CEIL(CAST("max_seconds" - "min_seconds" AS DOUBLE PRECISION) / CAST("bins" AS DOUBLE PRECISION)) AS BIGINT) ELSE 1 END AS "bin_width"
  FROM "funnel_time_to_convert_auto_bins_histogram"
),
"funnel_time_to_convert_auto_bins_unit_bins" AS (
  SELECT CAST(CASE WHEN 1 + FLOOR(CAST("seconds" - "min_seconds" AS DOUBLE PRECISION) / CAST("bin_width" AS DOUBLE PRECISION)) > "bins" THEN "bins" ELSE 1 + FLOOR(CAST("seconds" - "min_seconds" AS DOUBLE PRECISION) / CAST("bin_width" AS DOUBLE PRECISION)) END AS INTEGER) AS "bin",
    "converted",
    "min_seconds",
    "bins",
    "bin_width"
  FROM "funnel_time_to_convert_auto_bins_bin_width"
)
SELECT "funnel_time_to_convert_auto_bins_input"."bin_number" AS "bin",
  MIN("funnel_time_to_convert_auto_bins_unit_bins"."min_seconds" + ("funnel_time_to_convert_auto_bins_input"."bin_number" - 1) * "funnel_time_to_convert_auto_bins_unit_bins"."bin_width") AS "from_seconds",
  MIN("funnel_time_to_convert_auto_bins_unit_bins"."min_seconds" + "funnel_time_to_convert_auto_bins_input"."bin_number" * "funnel_time_to_convert_auto_bins_unit_bins"."bin_width") AS "to_seconds",
  CAST(SUM(CASE WHEN "funnel_time_to_convert_auto_bins_unit_bins"."bin" = "funnel_time_to_convert_auto_bins_input"."bin_number" THEN 1 ELSE 0 END) AS BIGINT) AS "units",
    CAST(CAST(SUM(CASE WHEN "funnel_time_to_convert_auto_bins_unit_bins"."bin" = "funnel_time_to_convert_auto_bins_input"."bin_number" THEN 1 ELSE 0 END) AS BIGINT) AS DOUBLE PRECISION) / CAST(MIN("funnel_time_to_convert_auto_bins_unit_bins"."converted") AS DOUBLE PRECISION) AS "share"
FROM "funnel_time_to_convert_auto_bins_unit_bins",
    (SELECT 1 AS "bin_number"
      UNION ALL
      SELECT 2 AS "bin_number"
      UNION ALL
      SELECT 3 AS "bin_number"
      UNION ALL
      SELECT 4 AS "bin_number"
      UNION ALL
      SELECT 5 AS "bin_number"
      UNION ALL
      SELECT 6 AS "bin_number"
      UNION ALL
      SELECT 7 AS "bin_number"
      UNION ALL
      SELECT 8 AS "bin_number"
      UNION ALL
      SELECT 9 AS "bin_number"
      UNION ALL
      SELECT 10 AS "bin_number"
      UNION ALL
      SELECT 11 AS "bin_number"
      UNION ALL
      SELECT 12 AS "bin_number"
      UNION ALL
      SELECT 13 AS "bin_number"
      UNION ALL
      SELECT 14 AS "bin_number"
      UNION ALL
      SELECT 15 AS "bin_number"
      UNION ALL
      SELECT 16 AS "bin_number"
      UNION ALL
      SELECT 17 AS "bin_number"
      UNION ALL
      SELECT 18 AS "bin_number"
      UNION ALL
      SELECT 19 AS "bin_number"
      UNION ALL
      SELECT 20 AS "bin_number"
      UNION ALL
      SELECT 21 AS "bin_number"
      UNION ALL
      SELECT 22 AS "bin_number"
      UNION ALL
      SELECT 23 AS "bin_number"
      UNION ALL
      SELECT 24 AS "bin_number"
      UNION ALL
      SELECT 25 AS "bin_number"
      UNION ALL
      SELECT 26 AS "bin_number"
      UNION ALL
      SELECT 27 AS "bin_number"
      UNION ALL
      SELECT 28 AS "bin_number"
      UNION ALL
      SELECT 29 AS "bin_number"
      UNION ALL
      SELECT 30 AS "bin_number"
      UNION ALL
      SELECT 31 AS "bin_number"
      UNION ALL
      SELECT 32 AS "bin_number"
      UNION ALL
      SELECT 33 AS "bin_number"
      UNION ALL
      SELECT 34 AS "bin_number"
      UNION ALL
      SELECT 35 AS "bin_number"
      UNION ALL
      SELECT 36 AS "bin_number"
      UNION ALL
      SELECT 37 AS "bin_number"
      UNION ALL
      SELECT 38 AS "bin_number"
      UNION ALL
      SELECT 39 AS "bin_number"
      UNION ALL
      SELECT 40 AS "bin_number"
      UNION ALL
      SELECT 41 AS "bin_number"
      UNION ALL
      SELECT 42 AS "bin_number"
      UNION ALL
      SELECT 43 AS "bin_number"
      UNION ALL
      SELECT 44 AS "bin_number"
      UNION ALL
      SELECT 45 AS "bin_number"
      UNION ALL
      SELECT 46 AS "bin_number"
      UNION ALL
      SELECT 47 AS "bin_number"
      UNION ALL
      SELECT 48 AS "bin_number"
      UNION ALL
      SELECT 49 AS "bin_number"
      UNION ALL
      SELECT 50 AS "bin_number"
      UNION ALL
      SELECT 51 AS "bin_number"
      UNION ALL
      SELECT 52 AS "bin_number"
      UNION ALL
      SELECT 53 AS "bin_number"
      UNION ALL
      SELECT 54 AS "bin_number"
      UNION ALL
      SELECT 55 AS "bin_number"
      UNION ALL
      SELECT 56 AS "bin_number"
      UNION ALL
      SELECT 57 AS "bin_number"
      UNION ALL
      SELECT 58 AS "bin_number"
      UNION ALL
      SELECT 59 AS "bin_number"
      UNION ALL
      SELECT 60 AS "bin_number") AS "funnel_time_to_convert_auto_bins_input"
GROUP BY "funnel_time_to_convert_auto_bins_input"."bin_number"
HAVING "funnel_time_to_convert_auto_bins_input"."bin_number" <= MIN("funnel_time_to_convert_auto_bins_unit_bins"."bins")
ORDER BY "funnel_time_to_convert_auto_bins_input"."bin_number"
