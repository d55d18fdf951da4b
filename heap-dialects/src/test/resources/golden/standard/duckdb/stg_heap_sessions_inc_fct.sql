CREATE OR REPLACE TABLE "heap_models"."stg_heap_sessions_inc_fct"
AS
WITH "sessions_ranked" AS NOT MATERIALIZED (
  SELECT "sessions_ranked_input"."session_id" AS "heap_session_id",
    "sessions_ranked_input"."user_id" AS "heap_user_id",
    "sessions_ranked_input"."time" AS "heap_session_start_time",
    "sessions_ranked_input"."country" AS "heap_session_country",
    "sessions_ranked_input"."region" AS "heap_session_region",
    "sessions_ranked_input"."city" AS "heap_session_city",
    "sessions_ranked_input"."ip" AS "heap_session_ip",
    "sessions_ranked_input"."referrer" AS "heap_session_referrer",
    "sessions_ranked_input"."landing_page" AS "heap_session_landing_page",
    "sessions_ranked_input"."landing_page_query" AS "heap_session_landing_page_query",
    "sessions_ranked_input"."landing_page_hash" AS "heap_session_landing_page_hash",
    "sessions_ranked_input"."browser" AS "heap_session_browser",
    "sessions_ranked_input"."utm_source" AS "heap_session_utm_source",
    "sessions_ranked_input"."utm_campaign" AS "heap_session_utm_campaign",
    "sessions_ranked_input"."utm_medium" AS "heap_session_utm_medium",
    "sessions_ranked_input"."utm_term" AS "heap_session_utm_term",
    "sessions_ranked_input"."utm_content" AS "heap_session_utm_content",
    "sessions_ranked_input"."library" AS "heap_session_library",
    "sessions_ranked_input"."platform" AS "heap_session_platform",
    "sessions_ranked_input"."device_type" AS "heap_session_device_type",
    "sessions_ranked_input"."device" AS "heap_session_device",
    "sessions_ranked_input"."campaign_type",
    1 AS "heap__dedup_rank"
  FROM (SELECT *
      FROM "main_production"."sessions"
      WHERE "session_id" IS NOT NULL AND "user_id" IS NOT NULL) AS "sessions_ranked_input"
    LEFT JOIN (SELECT "session_id",
        COUNT(*) AS "heap__rows"
      FROM "main_production"."sessions"
      WHERE "session_id" IS NOT NULL AND "user_id" IS NOT NULL
      GROUP BY "session_id"
      HAVING COUNT(*) > 1) AS "sessions_ranked_input_2" ON "sessions_ranked_input"."session_id" = "sessions_ranked_input_2"."session_id"
  WHERE "sessions_ranked_input_2"."heap__rows" IS NULL
  UNION ALL
  SELECT "sessions_ranked_input_3"."session_id" AS "heap_session_id",
    "sessions_ranked_input_3"."user_id" AS "heap_user_id",
    "sessions_ranked_input_3"."time" AS "heap_session_start_time",
    "sessions_ranked_input_3"."country" AS "heap_session_country",
    "sessions_ranked_input_3"."region" AS "heap_session_region",
    "sessions_ranked_input_3"."city" AS "heap_session_city",
    "sessions_ranked_input_3"."ip" AS "heap_session_ip",
    "sessions_ranked_input_3"."referrer" AS "heap_session_referrer",
    "sessions_ranked_input_3"."landing_page" AS "heap_session_landing_page",
    "sessions_ranked_input_3"."landing_page_query" AS "heap_session_landing_page_query",
    "sessions_ranked_input_3"."landing_page_hash" AS "heap_session_landing_page_hash",
    "sessions_ranked_input_3"."browser" AS "heap_session_browser",
    "sessions_ranked_input_3"."utm_source" AS "heap_session_utm_source",
    "sessions_ranked_input_3"."utm_campaign" AS "heap_session_utm_campaign",
    "sessions_ranked_input_3"."utm_medium" AS "heap_session_utm_medium",
    "sessions_ranked_input_3"."utm_term" AS "heap_session_utm_term",
    "sessions_ranked_input_3"."utm_content" AS "heap_session_utm_content",
    "sessions_ranked_input_3"."library" AS "heap_session_library",
    "sessions_ranked_input_3"."platform" AS "heap_session_platform",
    "sessions_ranked_input_3"."device_type" AS "heap_session_device_type",
    "sessions_ranked_input_3"."device" AS "heap_session_device",
    "sessions_ranked_input_3"."campaign_type",
      ROW_NUMBER() OVER (PARTITION BY "sessions_ranked_input_3"."session_id" ORDER BY "sessions_ranked_input_3"."time" DESC NULLS LAST, "sessions_ranked_input_3"."user_id" NULLS LAST, "sessions_ranked_input_3"."country" NULLS LAST, "sessions_ranked_input_3"."region" NULLS LAST, "sessions_ranked_input_3"."city" NULLS LAST, "sessions_ranked_input_3"."ip" NULLS LAST, "sessions_ranked_input_3"."referrer" NULLS LAST, "sessions_ranked_input_3"."landing_page" NULLS LAST, "sessions_ranked_input_3"."landing_page_query" NULLS LAST, "sessions_ranked_input_3"."landing_page_hash" NULLS LAST, "sessions_ranked_input_3"."browser" NULLS LAST, "sessions_ranked_input_3"."utm_source" NULLS LAST, "sessions_ranked_input_3"."utm_campaign" NULLS LAST, "sessions_ranked_input_3"."utm_medium" NULLS LAST, "sessions_ranked_input_3"."utm_term" NULLS LAST, "sessions_ranked_input_3"."utm_content" NULLS LAST, "sessions_ranked_input_3"."library" NULLS LAST, "sessions_ranked_input_3"."platform" NULLS LAST, "sessions_ranked_input_3"."device_type" NULLS LAST, "sessions_ranked_input_3"."device" NULLS LAST, "sessions_ranked_input_3"."campaign_type" NULLS LAST) AS "heap__dedup_rank"
  FROM (SELECT *
      FROM "main_production"."sessions"
      WHERE "session_id" IS NOT NULL AND "user_id" IS NOT NULL) AS "sessions_ranked_input_3"
    INNER JOIN (SELECT "session_id",
        COUNT(*) AS "heap__rows"
      FROM "main_production"."sessions"
      WHERE "session_id" IS NOT NULL AND "user_id" IS NOT NULL
      GROUP BY "session_id"
      HAVING COUNT(*) > 1) AS "sessions_ranked_input_4" ON "sessions_ranked_input_3"."session_id" = "sessions_ranked_input_4"."session_id"
),
"src_heap_sessions_eph" AS (
  SELECT "src_heap_sessions_eph_input"."heap_session_id",
    "src_heap_sessions_eph_input"."heap_user_id",
    "src_heap_sessions_eph_input"."heap_session_start_time",
    "src_heap_sessions_eph_input"."heap_session_country",
    "src_heap_sessions_eph_input"."heap_session_region",
    "src_heap_sessions_eph_input"."heap_session_city",
    "src_heap_sessions_eph_input"."heap_session_ip",
    "src_heap_sessions_eph_input"."heap_session_referrer",
    "src_heap_sessions_eph_input"."heap_session_landing_page",
    "src_heap_sessions_eph_input"."heap_session_landing_page_query",
    "src_heap_sessions_eph_input"."heap_session_landing_page_hash",
    "src_heap_sessions_eph_input"."heap_session_browser",
    "src_heap_sessions_eph_input"."heap_session_utm_source",
    "src_heap_sessions_eph_input"."heap_session_utm_campaign",
    "src_heap_sessions_eph_input"."heap_session_utm_medium",
    "src_heap_sessions_eph_input"."heap_session_utm_term",
    "src_heap_sessions_eph_input"."heap_session_utm_content",
    "src_heap_sessions_eph_input"."heap_session_library",
    "src_heap_sessions_eph_input"."heap_session_platform",
    "src_heap_sessions_eph_input"."heap_session_device_type",
    "src_heap_sessions_eph_input"."heap_session_device",
    "src_heap_sessions_eph_input"."campaign_type",
    "src_heap_sessions_eph_input_2"."heap_session_sequence_num"
  FROM (SELECT *
      FROM "sessions_ranked"
      WHERE "heap__dedup_rank" = 1) AS "src_heap_sessions_eph_input"
    INNER JOIN (SELECT "heap_session_id",
          ROW_NUMBER() OVER (PARTITION BY "heap_user_id" ORDER BY "heap_session_start_time" NULLS LAST, "heap_session_id" NULLS LAST) AS "heap_session_sequence_num"
      FROM "sessions_ranked"
      WHERE "heap__dedup_rank" = 1) AS "src_heap_sessions_eph_input_2" ON "src_heap_sessions_eph_input"."heap_session_id" = "src_heap_sessions_eph_input_2"."heap_session_id"
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
    "src_heap_sessions_eph"."heap_session_start_time" - INTERVAL '14' DAY AS "heap_session_conversion_lookback_14d",
    "src_heap_sessions_eph"."heap_session_start_time" + INTERVAL '14' DAY AS "heap_session_conversion_lookforward_14d",
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
