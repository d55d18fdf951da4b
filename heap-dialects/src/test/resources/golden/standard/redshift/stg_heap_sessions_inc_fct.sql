DROP TABLE IF EXISTS "heap_models"."stg_heap_sessions_inc_fct__new";

CREATE TABLE "heap_models"."stg_heap_sessions_inc_fct__new"
DISTKEY("heap_user_id")
SORTKEY("heap_session_start_time")
AS
WITH "sessions_ranked" AS (
  SELECT "session_id" AS "heap_session_id",
    "user_id" AS "heap_user_id",
    "time" AS "heap_session_start_time",
    "country" AS "heap_session_country",
    "region" AS "heap_session_region",
    "city" AS "heap_session_city",
    "ip" AS "heap_session_ip",
    "referrer" AS "heap_session_referrer",
    "landing_page" AS "heap_session_landing_page",
    "landing_page_query" AS "heap_session_landing_page_query",
    "landing_page_hash" AS "heap_session_landing_page_hash",
    "browser" AS "heap_session_browser",
    "utm_source" AS "heap_session_utm_source",
    "utm_campaign" AS "heap_session_utm_campaign",
    "utm_medium" AS "heap_session_utm_medium",
    "utm_term" AS "heap_session_utm_term",
    "utm_content" AS "heap_session_utm_content",
    "library" AS "heap_session_library",
    "platform" AS "heap_session_platform",
    "device_type" AS "heap_session_device_type",
    "device" AS "heap_session_device",
    "campaign_type",
      ROW_NUMBER() OVER (PARTITION BY "session_id" ORDER BY "time" DESC NULLS LAST, "user_id", "country", "region", "city", "ip", "referrer", "landing_page", "landing_page_query", "landing_page_hash", "browser", "utm_source", "utm_campaign", "utm_medium", "utm_term", "utm_content", "library", "platform", "device_type", "device", "campaign_type") AS "heap__dedup_rank"
  FROM "main_production"."sessions"
  WHERE "session_id" IS NOT NULL AND "user_id" IS NOT NULL
),
"src_heap_sessions_eph" AS (
  SELECT "heap_session_id",
    "heap_user_id",
    "heap_session_start_time",
    "heap_session_country",
    "heap_session_region",
    "heap_session_city",
    "heap_session_ip",
    "heap_session_referrer",
    "heap_session_landing_page",
    "heap_session_landing_page_query",
    "heap_session_landing_page_hash",
    "heap_session_browser",
    "heap_session_utm_source",
    "heap_session_utm_campaign",
    "heap_session_utm_medium",
    "heap_session_utm_term",
    "heap_session_utm_content",
    "heap_session_library",
    "heap_session_platform",
    "heap_session_device_type",
    "heap_session_device",
    "campaign_type",
      ROW_NUMBER() OVER (PARTITION BY "heap_user_id" ORDER BY "heap_session_start_time", "heap_session_id") AS "heap_session_sequence_num"
  FROM "sessions_ranked"
  WHERE "heap__dedup_rank" = 1
),
"session_event_counts" AS (
  SELECT "heap_session_id",
    COUNT(CASE WHEN "heap_event_funnel_position" = 1 THEN 1 ELSE NULL END) AS "heap_session_funnel_step_1_cnt",
    COUNT(CASE WHEN "heap_event_funnel_position" = 2 THEN 1 ELSE NULL END) AS "heap_session_funnel_step_2_cnt",
    COUNT(CASE WHEN "heap_event_funnel_position" = 3 THEN 1 ELSE NULL END) AS "heap_session_funnel_step_3_cnt",
    COUNT(CASE WHEN "heap_event_funnel_position" = 4 THEN 1 ELSE NULL END) AS "heap_session_funnel_step_4_cnt",
    COUNT(CASE WHEN "heap_event_is_conversion" THEN 1 ELSE NULL END) AS "heap_session_conversion_cnt"
  FROM "heap_models"."stg_heap_events_all_inc_fct"
  GROUP BY "heap_session_id"
)
SELECT "src_heap_sessions_eph"."heap_session_id",
  "src_heap_sessions_eph"."heap_user_id",
  "src_heap_sessions_eph"."heap_session_sequence_num",
  "src_heap_sessions_eph"."heap_session_start_time",
  DATEADD(DAY, -14, "src_heap_sessions_eph"."heap_session_start_time") AS "heap_session_conversion_lookback_14d",
  DATEADD(DAY, 14, "src_heap_sessions_eph"."heap_session_start_time") AS "heap_session_conversion_lookforward_14d",
  "src_heap_sessions_eph"."heap_session_country",
  "src_heap_sessions_eph"."heap_session_region",
  "src_heap_sessions_eph"."heap_session_city",
  "src_heap_sessions_eph"."heap_session_ip",
  "src_heap_sessions_eph"."heap_session_referrer",
  "src_heap_sessions_eph"."heap_session_landing_page",
  "src_heap_sessions_eph"."heap_session_landing_page_query",
  "src_heap_sessions_eph"."heap_session_landing_page_hash",
  "src_heap_sessions_eph"."heap_session_browser",
  "src_heap_sessions_eph"."heap_session_utm_source",
  "src_heap_sessions_eph"."heap_session_utm_campaign",
  "src_heap_sessions_eph"."heap_session_utm_medium",
  "src_heap_sessions_eph"."heap_session_utm_term",
  "src_heap_sessions_eph"."heap_session_utm_content",
  "src_heap_sessions_eph"."heap_session_library",
  "src_heap_sessions_eph"."heap_session_platform",
  "src_heap_sessions_eph"."heap_session_device_type",
  "src_heap_sessions_eph"."heap_session_device",
    CASE WHEN POSITION('cpc' IN LOWER("src_heap_sessions_eph"."heap_session_utm_medium")) > 0 AND LOWER("src_heap_sessions_eph"."heap_session_utm_source") = 'facebook' THEN 'Facebook Paid' WHEN POSITION('bing' IN LOWER("src_heap_sessions_eph"."heap_session_utm_source")) > 0 AND POSITION('cpc' IN LOWER("src_heap_sessions_eph"."heap_session_utm_medium")) > 0 THEN 'Paid Bing Search' WHEN (POSITION('cpc' IN LOWER("src_heap_sessions_eph"."heap_session_utm_medium")) > 0 OR POSITION('gclid' IN LOWER("src_heap_sessions_eph"."heap_session_landing_page_query")) > 0) AND POSITION('google' IN LOWER("src_heap_sessions_eph"."heap_session_referrer")) > 0 THEN 'Paid Google Search' WHEN "src_heap_sessions_eph"."heap_session_referrer" IS NULL THEN 'Direct' WHEN (POSITION('google' IN LOWER("src_heap_sessions_eph"."heap_session_referrer")) > 0 OR POSITION('bing' IN LOWER("src_heap_sessions_eph"."heap_session_referrer")) > 0 OR POSITION('yahoo' IN LOWER("src_heap_sessions_eph"."heap_session_referrer")) > 0 OR POSITION('duckduck' IN LOWER("src_heap_sessions_eph"."heap_session_referrer")) > 0) AND "src_heap_sessions_eph"."heap_session_utm_source" IS NULL AND "src_heap_sessions_eph"."heap_session_utm_medium" IS NULL THEN 'Organic Search' WHEN POSITION('example.com' IN LOWER("src_heap_sessions_eph"."heap_session_referrer")) > 0 THEN 'example.com' ELSE 'Unattributed' END AS "heap_session_defined_channel_attribution",
  COALESCE("session_event_counts"."heap_session_funnel_step_1_cnt", 0) AS "heap_session_funnel_step_1_cnt",
  COALESCE("session_event_counts"."heap_session_funnel_step_2_cnt", 0) AS "heap_session_funnel_step_2_cnt",
  COALESCE("session_event_counts"."heap_session_funnel_step_3_cnt", 0) AS "heap_session_funnel_step_3_cnt",
  COALESCE("session_event_counts"."heap_session_funnel_step_4_cnt", 0) AS "heap_session_funnel_step_4_cnt",
  COALESCE("session_event_counts"."heap_session_conversion_cnt", 0) AS "heap_session_conversion_cnt",
    COALESCE("session_event_counts"."heap_session_conversion_cnt", 0) > 0 AS "heap_session_is_conversion",
  "src_heap_sessions_eph"."campaign_type"
FROM "src_heap_sessions_eph"
  LEFT JOIN "session_event_counts" ON "src_heap_sessions_eph"."heap_session_id" = "session_event_counts"."heap_session_id"
WHERE "src_heap_sessions_eph"."heap_session_id" IS NOT NULL;

BEGIN;

DROP TABLE IF EXISTS "heap_models"."stg_heap_sessions_inc_fct";

ALTER TABLE "heap_models"."stg_heap_sessions_inc_fct__new" RENAME TO "stg_heap_sessions_inc_fct";

COMMIT;
