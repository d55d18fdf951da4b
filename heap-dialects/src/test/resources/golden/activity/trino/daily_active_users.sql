SELECT CAST("heap_session_start_time" AS DATE) AS "activity_date",
  "heap_session_defined_channel_attribution" AS "channel",
  COUNT(DISTINCT "heap_user_id") AS "active_users",
  COUNT(*) AS "sessions",
    CASE WHEN COUNT(*) = 0 THEN NULL ELSE CAST(SUM(CASE WHEN "heap_session_is_conversion" THEN 1 ELSE 0 END) AS DOUBLE) / CAST(COUNT(*) AS DOUBLE) END AS "conversion_rate"
FROM "heap_models"."stg_heap_sessions_inc_fct"
GROUP BY "heap_session_defined_channel_attribution",
  CAST("heap_session_start_time" AS DATE)
