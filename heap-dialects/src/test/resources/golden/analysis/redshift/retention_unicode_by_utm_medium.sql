WITH "retention_unicode_by_utm_medium_first_starts" AS (
  SELECT "heap_user_id",
    "heap_session_id",
    "heap_event_time" AS "first_start_time",
      ROW_NUMBER() OVER (PARTITION BY "heap_user_id" ORDER BY "heap_event_time", "heap_event_id") AS "start_rank"
  FROM "分析_モデル"."stg_heap_events_all_inc_fct"
  WHERE "heap_event_time" IS NOT NULL AND "heap_user_id" IS NOT NULL AND "heap_event_name" = '閲覧'
),
"retention_unicode_by_utm_medium_cohort_users" AS (
  SELECT "retention_unicode_by_utm_medium_cohort_users_input"."heap_user_id",
    "retention_unicode_by_utm_medium_cohort_users_input"."cohort_start",
    "retention_unicode_by_utm_medium_cohort_users_input"."cohort_period",
    "stg_heap_sessions_inc_fct"."heap_session_utm_medium" AS "breakdown_value"
  FROM (SELECT "heap_user_id",
        DATE_TRUNC('week', "first_start_time") AS "cohort_start",
        CAST(CAST(DATEDIFF(SECOND, TIMESTAMP '1970-01-01 00:00:00', DATE_TRUNC('week', "first_start_time")) + 259200 AS DOUBLE PRECISION) / CAST(604800 AS DOUBLE PRECISION) AS BIGINT) AS "cohort_period",
        "heap_session_id"
      FROM "retention_unicode_by_utm_medium_first_starts"
      WHERE "start_rank" = 1) AS "retention_unicode_by_utm_medium_cohort_users_input"
    LEFT JOIN "分析_モデル"."stg_heap_sessions_inc_fct" ON "retention_unicode_by_utm_medium_cohort_users_input"."heap_session_id" = "stg_heap_sessions_inc_fct"."heap_session_id"
),
"retention_unicode_by_utm_medium_returns" AS (
  SELECT "heap_user_id",
    CAST(CAST(DATEDIFF(SECOND, TIMESTAMP '1970-01-01 00:00:00', DATE_TRUNC('week', "heap_event_time")) + 259200 AS DOUBLE PRECISION) / CAST(604800 AS DOUBLE PRECISION) AS BIGINT) AS "return_period"
  FROM "分析_モデル"."stg_heap_events_all_inc_fct"
  WHERE "heap_event_time" IS NOT NULL AND "heap_user_id" IS NOT NULL AND "heap_event_name" = '购买🛒'
  GROUP BY "heap_user_id",
    CAST(CAST(DATEDIFF(SECOND, TIMESTAMP '1970-01-01 00:00:00', DATE_TRUNC('week', "heap_event_time")) + 259200 AS DOUBLE PRECISION) / CAST(604800 AS DOUBLE PRECISION) AS BIGINT)
),
"retention_unicode_by_utm_medium_returned" AS (
  SELECT "retention_unicode_by_utm_medium_cohort_users"."cohort_start",
    "retention_unicode_by_utm_medium_cohort_users"."breakdown_value",
    "retention_unicode_by_utm_medium_cohort_users"."heap_user_id",
    CAST("retention_unicode_by_utm_medium_returns"."return_period" - "retention_unicode_by_utm_medium_cohort_users"."cohort_period" AS INTEGER) AS "period"
  FROM "retention_unicode_by_utm_medium_cohort_users"
    INNER JOIN "retention_unicode_by_utm_medium_returns" ON "retention_unicode_by_utm_medium_cohort_users"."heap_user_id" = "retention_unicode_by_utm_medium_returns"."heap_user_id" AND "retention_unicode_by_utm_medium_cohort_users"."cohort_period" < "retention_unicode_by_utm_medium_returns"."return_period" AND "retention_unicode_by_utm_medium_returns"."return_period" <= "retention_unicode_by_utm_medium_cohort_users"."cohort_period" + 4
),
"retention_unicode_by_utm_medium_return_counts" AS (
  SELECT "cohort_start",
    "breakdown_value",
    "period",
    COUNT(*) AS "returned"
  FROM "retention_unicode_by_utm_medium_returned"
  GROUP BY "cohort_start",
    "breakdown_value",
    "period"
),
"retention_unicode_by_utm_medium_cohorts" AS (
  SELECT "cohort_start",
    "cohort_period",
    "breakdown_value",
    COUNT(*) AS "cohort_size"
  FROM "retention_unicode_by_utm_medium_cohort_users"
  GROUP BY "cohort_start",
    "cohort_period",
    "breakdown_value"
),
"retention_unicode_by_utm_medium_data_end" AS (
  SELECT CAST(CAST(DATEDIFF(SECOND, TIMESTAMP '1970-01-01 00:00:00', DATE_TRUNC('week', MAX("heap_event_time"))) + 259200 AS DOUBLE PRECISION) / CAST(604800 AS DOUBLE PRECISION) AS BIGINT) AS "last_period"
  FROM "分析_モデル"."stg_heap_events_all_inc_fct"
),
"retention_unicode_by_utm_medium_periods" AS (
  SELECT 0 AS "period"
  UNION ALL
  SELECT 1 AS "period"
  UNION ALL
  SELECT 2 AS "period"
  UNION ALL
  SELECT 3 AS "period"
  UNION ALL
  SELECT 4 AS "period"
),
"retention_unicode_by_utm_medium_grid" AS (
  SELECT "retention_unicode_by_utm_medium_cohorts"."cohort_start",
    "retention_unicode_by_utm_medium_cohorts"."breakdown_value",
    CAST("retention_unicode_by_utm_medium_periods"."period" AS INTEGER) AS "period",
    "retention_unicode_by_utm_medium_cohorts"."cohort_size",
    0 AS "returned"
  FROM "retention_unicode_by_utm_medium_cohorts",
    "retention_unicode_by_utm_medium_data_end",
    "retention_unicode_by_utm_medium_periods"
  WHERE "retention_unicode_by_utm_medium_cohorts"."cohort_period" + "retention_unicode_by_utm_medium_periods"."period" <= "retention_unicode_by_utm_medium_data_end"."last_period"
),
"retention_unicode_by_utm_medium_cells" AS (
  SELECT "cohort_start",
    "breakdown_value",
    "period",
    SUM("cohort_size") AS "cohort_size",
    SUM("returned") AS "returned"
  FROM (SELECT *
        FROM "retention_unicode_by_utm_medium_grid"
        UNION ALL
        SELECT "cohort_start",
          "breakdown_value",
          "period",
          0 AS "cohort_size",
          CAST("returned" AS BIGINT) AS "returned"
        FROM "retention_unicode_by_utm_medium_return_counts") AS "retention_unicode_by_utm_medium_cells_input"
  GROUP BY "cohort_start",
    "breakdown_value",
    "period"
)
SELECT "breakdown_value" AS "utm_medium",
  CAST("cohort_start" AS DATE) AS "cohort",
  CAST("cohort_size" AS BIGINT) AS "cohort_size",
  "period",
  CAST(CASE WHEN "period" = 0 THEN "cohort_size" ELSE "returned" END AS BIGINT) AS "retained",
    CAST(CASE WHEN "period" = 0 THEN "cohort_size" ELSE "returned" END AS DOUBLE PRECISION) / CAST("cohort_size" AS DOUBLE PRECISION) AS "rate"
FROM "retention_unicode_by_utm_medium_cells"
ORDER BY "breakdown_value",
  2,
  "period"
