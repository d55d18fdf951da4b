WITH "retention_weekly_in_kolkata_first_starts" AS (
  SELECT "heap_user_id",
    "heap_session_id",
    "heap_event_time" AS "first_start_time",
      ROW_NUMBER() OVER (PARTITION BY "heap_user_id" ORDER BY "heap_event_time", "heap_event_id") AS "start_rank"
  FROM "heap_models"."stg_heap_events_all_inc_fct"
  WHERE "heap_event_time" IS NOT NULL AND "heap_user_id" IS NOT NULL
),
"retention_weekly_in_kolkata_cohort_users" AS (
  SELECT "heap_user_id",
    DATE_TRUNC('week', ((CAST("first_start_time" AS TIMESTAMP) AT TIME ZONE 'UTC') AT TIME ZONE 'Asia/Kolkata')) AS "cohort_start",
    CAST(CAST(CAST(FLOOR(EXTRACT(EPOCH FROM DATE_TRUNC('week', ((CAST("first_start_time" AS TIMESTAMP) AT TIME ZONE 'UTC') AT TIME ZONE 'Asia/Kolkata')))) AS BIGINT) + 259200 AS DOUBLE PRECISION) / CAST(604800 AS DOUBLE PRECISION) AS BIGINT) AS "cohort_period"
  FROM "retention_weekly_in_kolkata_first_starts"
  WHERE "start_rank" = 1 AND "first_start_time" >= TIMESTAMP '2023-12-31 18:30:00' AND "first_start_time" < TIMESTAMP '2024-02-04 18:30:00'
),
"retention_weekly_in_kolkata_returns" AS (
  SELECT "heap_user_id",
    CAST(CAST(CAST(FLOOR(EXTRACT(EPOCH FROM DATE_TRUNC('week', ((CAST("heap_event_time" AS TIMESTAMP) AT TIME ZONE 'UTC') AT TIME ZONE 'Asia/Kolkata')))) AS BIGINT) + 259200 AS DOUBLE PRECISION) / CAST(604800 AS DOUBLE PRECISION) AS BIGINT) AS "return_period"
  FROM "heap_models"."stg_heap_events_all_inc_fct"
  WHERE "heap_event_time" IS NOT NULL AND "heap_user_id" IS NOT NULL
  GROUP BY "heap_user_id",
    CAST(CAST(CAST(FLOOR(EXTRACT(EPOCH FROM DATE_TRUNC('week', ((CAST("heap_event_time" AS TIMESTAMP) AT TIME ZONE 'UTC') AT TIME ZONE 'Asia/Kolkata')))) AS BIGINT) + 259200 AS DOUBLE PRECISION) / CAST(604800 AS DOUBLE PRECISION) AS BIGINT)
),
"retention_weekly_in_kolkata_returned" AS (
  SELECT "retention_weekly_in_kolkata_cohort_users"."cohort_start",
    "retention_weekly_in_kolkata_cohort_users"."heap_user_id",
    CAST("retention_weekly_in_kolkata_returns"."return_period" - "retention_weekly_in_kolkata_cohort_users"."cohort_period" AS INTEGER) AS "period"
  FROM "retention_weekly_in_kolkata_cohort_users"
    INNER JOIN "retention_weekly_in_kolkata_returns" ON "retention_weekly_in_kolkata_cohort_users"."heap_user_id" = "retention_weekly_in_kolkata_returns"."heap_user_id" AND "retention_weekly_in_kolkata_cohort_users"."cohort_period" < "retention_weekly_in_kolkata_returns"."return_period" AND "retention_weekly_in_kolkata_returns"."return_period" <= "retention_weekly_in_kolkata_cohort_users"."cohort_period" + 4
),
"retention_weekly_in_kolkata_return_counts" AS (
  SELECT "cohort_start",
    "period",
    COUNT(*) AS "returned"
  FROM "retention_weekly_in_kolkata_returned"
  GROUP BY "cohort_start",
    "period"
),
"retention_weekly_in_kolkata_cohorts" AS (
  SELECT "cohort_start",
    "cohort_period",
    COUNT(*) AS "cohort_size"
  FROM "retention_weekly_in_kolkata_cohort_users"
  GROUP BY "cohort_start",
    "cohort_period"
),
"retention_weekly_in_kolkata_data_end" AS (
  SELECT CAST(CAST(CAST(FLOOR(EXTRACT(EPOCH FROM DATE_TRUNC('week', ((CAST(MAX("heap_event_time") AS TIMESTAMP) AT TIME ZONE 'UTC') AT TIME ZONE 'Asia/Kolkata')))) AS BIGINT) + 259200 AS DOUBLE PRECISION) / CAST(604800 AS DOUBLE PRECISION) AS BIGINT) AS "last_period"
  FROM "heap_models"."stg_heap_events_all_inc_fct"
),
"retention_weekly_in_kolkata_periods" AS (
  SELECT *
  FROM (VALUES (0),
          (1),
          (2),
          (3),
          (4)) AS "retention_weekly_in_kolkata_periods_input" ("period")
),
"retention_weekly_in_kolkata_grid" AS (
  SELECT "retention_weekly_in_kolkata_cohorts"."cohort_start",
    CAST("retention_weekly_in_kolkata_periods"."period" AS INTEGER) AS "period",
    "retention_weekly_in_kolkata_cohorts"."cohort_size",
    0 AS "returned"
  FROM "retention_weekly_in_kolkata_cohorts",
    "retention_weekly_in_kolkata_data_end",
    "retention_weekly_in_kolkata_periods"
  WHERE "retention_weekly_in_kolkata_cohorts"."cohort_period" + "retention_weekly_in_kolkata_periods"."period" <= "retention_weekly_in_kolkata_data_end"."last_period"
),
"retention_weekly_in_kolkata_cells" AS (
  SELECT "cohort_start",
    "period",
    SUM("cohort_size") AS "cohort_size",
    SUM("returned") AS "returned"
  FROM (SELECT *
        FROM "retention_weekly_in_kolkata_grid"
        UNION ALL
        SELECT "cohort_start",
          "period",
          0 AS "cohort_size",
          CAST("returned" AS BIGINT) AS "returned"
        FROM "retention_weekly_in_kolkata_return_counts") AS "retention_weekly_in_kolkata_cells_input"
  GROUP BY "cohort_start",
    "period"
)
SELECT CAST("cohort_start" AS DATE) AS "cohort",
  CAST("cohort_size" AS BIGINT) AS "cohort_size",
  "period",
  CAST(CASE WHEN "period" = 0 THEN "cohort_size" ELSE "returned" END AS BIGINT) AS "retained",
    CAST(CASE WHEN "period" = 0 THEN "cohort_size" ELSE "returned" END AS DOUBLE PRECISION) / CAST("cohort_size" AS DOUBLE PRECISION) AS "rate"
FROM "retention_weekly_in_kolkata_cells"
ORDER BY 1,
  "period"
