WITH "attribution_time_decay_collapsed_by_campaign_conversions" AS (
  SELECT "heap_event_id" AS "conversion_id",
    "heap_user_id",
    "heap_event_time" AS "conversion_time",
    CAST(NULL AS DOUBLE PRECISION) AS "conversion_value"
  FROM "heap_models"."stg_heap_events_all_inc_fct"
  WHERE "heap_event_time" IS NOT NULL AND "heap_user_id" IS NOT NULL AND "heap_event_is_conversion" AND "heap_event_time" >= TIMESTAMP '2024-01-01 00:00:00'
),
"attribution_time_decay_collapsed_by_campaign_touches" AS (
  SELECT "attribution_time_decay_collapsed_by_campaign_conversions"."conversion_id",
    "attribution_time_decay_collapsed_by_campaign_conversions"."conversion_time",
    "attribution_time_decay_collapsed_by_campaign_conversions"."conversion_value",
    "stg_heap_sessions_inc_fct"."heap_session_id" AS "touch_session_id",
    "stg_heap_sessions_inc_fct"."heap_session_start_time" AS "touch_time",
      CASE WHEN "stg_heap_sessions_inc_fct"."heap_session_id" IS NULL THEN '(none)' ELSE "stg_heap_sessions_inc_fct"."heap_session_utm_campaign" END AS "touch_label",
      CASE WHEN "stg_heap_sessions_inc_fct"."heap_session_defined_channel_attribution" = 'Direct' THEN TRUE ELSE FALSE END AS "touch_is_direct"
  FROM "attribution_time_decay_collapsed_by_campaign_conversions"
    LEFT JOIN "heap_models"."stg_heap_sessions_inc_fct" ON "attribution_time_decay_collapsed_by_campaign_conversions"."heap_user_id" = "stg_heap_sessions_inc_fct"."heap_user_id" AND "attribution_time_decay_collapsed_by_campaign_conversions"."conversion_time" >= "stg_heap_sessions_inc_fct"."heap_session_start_time" AND "stg_heap_sessions_inc_fct"."heap_session_start_time" >= DATEADD(DAY, -30, "attribution_time_decay_collapsed_by_campaign_conversions"."conversion_time")
),
"attribution_time_decay_collapsed_by_campaign_touch_runs" AS (
  SELECT "conversion_id",
    "conversion_time",
    "conversion_value",
    "touch_session_id",
    "touch_time",
    "touch_label",
    "touch_is_direct",
      LAG("touch_label") OVER (PARTITION BY "conversion_id" ORDER BY "touch_time", "touch_session_id") AS "previous_label",
      LAG("touch_session_id") OVER (PARTITION BY "conversion_id" ORDER BY "touch_time", "touch_session_id") AS "previous_session_id"
  FROM "attribution_time_decay_collapsed_by_campaign_touches"
),
"attribution_time_decay_collapsed_by_campaign_weights" AS (
  SELECT "conversion_id",
    "conversion_time",
    "conversion_value",
    "touch_session_id",
    "touch_time",
    "touch_label",
    "touch_is_direct",
    POWER(CAST(2.0 AS DOUBLE PRECISION), - (CAST(DATEDIFF(SECOND, TIMESTAMP '1970-01-01 00:00:00', "conversion_time") - DATEDIFF(SECOND, TIMESTAMP '1970-01-01 00:00:00', "touch_time") AS DOUBLE PRECISION) / CAST(259200.0 AS DOUBLE PRECISION))) AS "decay_weight",
      SUM(POWER(CAST(2.0 AS DOUBLE PRECISION), - (CAST(DATEDIFF(SECOND, TIMESTAMP '1970-01-01 00:00:00', "conversion_time") - DATEDIFF(SECOND, TIMESTAMP '1970-01-01 00:00:00', "touch_time") AS DOUBLE PRECISION) / CAST(259200.0 AS DOUBLE PRECISION)))) OVER (PARTITION BY "conversion_id") AS "decay_total"
  FROM "attribution_time_decay_collapsed_by_campaign_touch_runs"
  WHERE "previous_session_id" IS NULL OR NOT CASE WHEN "touch_label" IS NULL AND "previous_label" IS NULL OR "touch_label" = "previous_label" THEN TRUE ELSE FALSE END
)
SELECT "touch_label" AS "utm_campaign",
  SUM(CASE WHEN "touch_session_id" IS NULL THEN CAST(1.0 AS DOUBLE PRECISION) ELSE "decay_weight" / "decay_total" END) AS "conversions",
  SUM(CASE WHEN "touch_session_id" IS NULL THEN CAST(1.0 AS DOUBLE PRECISION) ELSE "decay_weight" / "decay_total" END * "conversion_value") AS "value"
FROM "attribution_time_decay_collapsed_by_campaign_weights"
GROUP BY "touch_label"
ORDER BY 2 DESC,
  "touch_label"
