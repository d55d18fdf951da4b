WITH "retention_weekly_on_or_after_by_channel_first_starts" AS (
  SELECT "heap_user_id",
    "heap_session_id",
    "heap_event_time" AS "first_start_time",
      ROW_NUMBER() OVER (PARTITION BY "heap_user_id" ORDER BY "heap_event_time", "heap_event_id") AS "start_rank"
  FROM "heap_models"."stg_heap_events_all_inc_fct"
  WHERE "heap_event_time" IS NOT NULL AND "heap_user_id" IS NOT NULL
),
"retention_weekly_on_or_after_by_channel_cohort_users" AS (
  SELECT "retention_weekly_on_or_after_by_channel_cohort_users_input"."heap_user_id",
    "retention_weekly_on_or_after_by_channel_cohort_users_input"."cohort_start",
    "retention_weekly_on_or_after_by_channel_cohort_users_input"."cohort_period",
    "stg_heap_sessions_inc_fct"."heap_session_defined_channel_attribution" AS "breakdown_value"
  FROM (SELECT "heap_user_id",
        DATE_TRUNC('week', "first_start_time") AS "cohort_start",
        CAST(CAST(DATEDIFF(SECOND, TIMESTAMP '1970-01-01 00:00:00', DATE_TRUNC('week', "first_start_time")) + 259200 AS DOUBLE PRECISION) / CAST(604800 AS DOUBLE PRECISION) AS BIGINT) AS "cohort_period",
        "heap_session_id"
      FROM "retention_weekly_on_or_after_by_channel_first_starts"
      WHERE "start_rank" = 1 AND "first_start_time" >= TIMESTAMP '2024-01-01 00:00:00' AND "first_start_time" < TIMESTAMP '2024-04-01 00:00:00') AS "retention_weekly_on_or_after_by_channel_cohort_users_input"
    LEFT JOIN "heap_models"."stg_heap_sessions_inc_fct" ON "retention_weekly_on_or_after_by_channel_cohort_users_input"."heap_session_id" = "stg_heap_sessions_inc_fct"."heap_session_id"
),
"retention_weekly_on_or_after_by_channel_returns" AS (
  SELECT "heap_user_id",
    CAST(CAST(DATEDIFF(SECOND, TIMESTAMP '1970-01-01 00:00:00', DATE_TRUNC('week', "heap_event_time")) + 259200 AS DOUBLE PRECISION) / CAST(604800 AS DOUBLE PRECISION) AS BIGINT) AS "return_period"
  FROM "heap_models"."stg_heap_events_all_inc_fct"
  WHERE "heap_event_time" IS NOT NULL AND "heap_user_id" IS NOT NULL AND "heap_event_name" = 'view_product'
  GROUP BY "heap_user_id",
    CAST(CAST(DATEDIFF(SECOND, TIMESTAMP '1970-01-01 00:00:00', DATE_TRUNC('week', "heap_event_time")) + 259200 AS DOUBLE PRECISION) / CAST(604800 AS DOUBLE PRECISION) AS BIGINT)
),
"retention_weekly_on_or_after_by_channel_returned" AS (
  SELECT "retention_weekly_on_or_after_by_channel_cohort_users"."cohort_start",
    "retention_weekly_on_or_after_by_channel_cohort_users"."breakdown_value",
    "retention_weekly_on_or_after_by_channel_cohort_users"."heap_user_id",
    CAST(CASE WHEN "retention_weekly_on_or_after_by_channel_returns"."return_period" - "retention_weekly_on_or_after_by_channel_cohort_users"."cohort_period" > 8 THEN 8 ELSE "retention_weekly_on_or_after_by_channel_returns"."return_period" - "retention_weekly_on_or_after_by_channel_cohort_users"."cohort_period" END AS INTEGER) AS "period"
  FROM "retention_weekly_on_or_after_by_channel_cohort_users"
    INNER JOIN "retention_weekly_on_or_after_by_channel_returns" ON "retention_weekly_on_or_after_by_channel_cohort_users"."heap_user_id" = "retention_weekly_on_or_after_by_channel_returns"."heap_user_id" AND "retention_weekly_on_or_after_by_channel_cohort_users"."cohort_period" < "retention_weekly_on_or_after_by_channel_returns"."return_period"
),
"retention_weekly_on_or_after_by_channel_last_returns" AS (
  SELECT "cohort_start",
    "breakdown_value",
    "heap_user_id",
    MAX("period") AS "period"
  FROM "retention_weekly_on_or_after_by_channel_returned"
  GROUP BY "cohort_start",
    "breakdown_value",
    "heap_user_id"
),
"retention_weekly_on_or_after_by_channel_return_counts" AS (
  SELECT "cohort_start",
    "breakdown_value",
    "period",
    COUNT(*) AS "returned"
  FROM "retention_weekly_on_or_after_by_channel_last_returns"
  GROUP BY "cohort_start",
    "breakdown_value",
    "period"
),
"retention_weekly_on_or_after_by_channel_cohorts" AS (
  SELECT "cohort_start",
    "cohort_period",
    "breakdown_value",
    COUNT(*) AS "cohort_size"
  FROM "retention_weekly_on_or_after_by_channel_cohort_users"
  GROUP BY "cohort_start",
    "cohort_period",
    "breakdown_value"
),
"retention_weekly_on_or_after_by_channel_data_end" AS (
  SELECT CAST(CAST(DATEDIFF(SECOND, TIMESTAMP '1970-01-01 00:00:00', DATE_TRUNC('week', MAX("heap_event_time"))) + 259200 AS DOUBLE PRECISION) / CAST(604800 AS DOUBLE PRECISION) AS BIGINT) AS "last_period"
  FROM "heap_models"."stg_heap_events_all_inc_fct"
),
"retention_weekly_on_or_after_by_channel_periods" AS (
  SELECT 0 AS "period"
  UNION ALL
  SELECT 1 AS "period"
  UNION ALL
  SELECT 2 AS "period"
  UNION ALL
  SELECT 3 AS "period"
  UNION ALL
  SELECT 4 AS "period"
  UNION ALL
  SELECT 5 AS "period"
  UNION ALL
  SELECT 6 AS "period"
  UNION ALL
  SELECT 7 AS "period"
  UNION ALL
  SELECT 8 AS "period"
),
"retention_weekly_on_or_after_by_channel_grid" AS (
  SELECT "retention_weekly_on_or_after_by_channel_cohorts"."cohort_start",
    "retention_weekly_on_or_after_by_channel_cohorts"."breakdown_value",
    CAST("retention_weekly_on_or_after_by_channel_periods"."period" AS INTEGER) AS "period",
    "retention_weekly_on_or_after_by_channel_cohorts"."cohort_size",
    0 AS "returned"
  FROM "retention_weekly_on_or_after_by_channel_cohorts",
    "retention_weekly_on_or_after_by_channel_data_end",
    "retention_weekly_on_or_after_by_channel_periods"
  WHERE "retention_weekly_on_or_after_by_channel_cohorts"."cohort_period" + "retention_weekly_on_or_after_by_channel_periods"."period" <= "retention_weekly_on_or_after_by_channel_data_end"."last_period"
),
"retention_weekly_on_or_after_by_channel_cells" AS (
  SELECT "cohort_start",
    "breakdown_value",
    "period",
    SUM("cohort_size") AS "cohort_size",
    SUM("returned") AS "returned"
  FROM (SELECT *
        FROM "retention_weekly_on_or_after_by_channel_grid"
        UNION ALL
        SELECT "cohort_start",
          "breakdown_value",
          "period",
          0 AS "cohort_size",
          CAST("returned" AS BIGINT) AS "returned"
        FROM "retention_weekly_on_or_after_by_channel_return_counts") AS "retention_weekly_on_or_after_by_channel_cells_input"
  GROUP BY "cohort_start",
    "breakdown_value",
    "period"
),
"retention_weekly_on_or_after_by_channel_cumulative" AS (
  SELECT "cohort_start",
    "breakdown_value",
    "period",
    "cohort_size",
    "returned",
      SUM("returned") OVER (PARTITION BY "cohort_start", "breakdown_value" ORDER BY "period" DESC ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS "returned_then_or_later"
  FROM "retention_weekly_on_or_after_by_channel_cells"
)
SELECT "breakdown_value" AS "channel",
  CAST("cohort_start" AS DATE) AS "cohort",
  CAST("cohort_size" AS BIGINT) AS "cohort_size",
  "period",
  CAST(CASE WHEN "period" = 0 THEN "cohort_size" ELSE "returned_then_or_later" END AS BIGINT) AS "retained",
    CAST(CASE WHEN "period" = 0 THEN "cohort_size" ELSE "returned_then_or_later" END AS DOUBLE PRECISION) / CAST("cohort_size" AS DOUBLE PRECISION) AS "rate"
FROM "retention_weekly_on_or_after_by_channel_cumulative"
ORDER BY "breakdown_value",
  2,
  "period"
