SELECT "heap_session_id",
  DATE_TRUNC('hour', "heap_session_start_time") AS "start_hour",
  DATE_TRUNC('day', "heap_session_start_time") AS "start_day",
  DATE_TRUNC('week', "heap_session_start_time") AS "start_week",
  DATE_TRUNC('month', "heap_session_start_time") AS "start_month",
  DATE_TRUNC('quarter', "heap_session_start_time") AS "start_quarter",
  DATE_TRUNC('year', "heap_session_start_time") AS "start_year",
  CAST("heap_session_start_time" AS DATE) AS "start_date",
        "heap_session_defined_channel_attribution" = 'Paid Google Search' OR "heap_session_defined_channel_attribution" = 'Paid Bing Search' OR "heap_session_defined_channel_attribution" = 'Facebook Paid' AS "is_paid",
  COALESCE("heap_session_utm_source", '(none)') AS "utm_source",
    CASE WHEN "heap_session_conversion_cnt" = 0 THEN NULL ELSE CAST("heap_session_funnel_step_1_cnt" AS DOUBLE) / CAST("heap_session_conversion_cnt" AS DOUBLE) END AS "first_steps_per_conversion"
FROM "heap_models"."stg_heap_sessions_inc_fct"
