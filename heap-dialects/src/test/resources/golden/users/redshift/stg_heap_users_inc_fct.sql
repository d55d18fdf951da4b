DROP TABLE IF EXISTS "heap_models"."stg_heap_users_inc_fct__new";

CREATE TABLE "heap_models"."stg_heap_users_inc_fct__new"
DISTKEY("heap_user_id")
SORTKEY("heap_user_first_session_time")
AS
SELECT "heap_user_id",
  MIN("heap_session_start_time") AS "heap_user_first_session_time",
  MAX("heap_session_start_time") AS "heap_user_last_session_time",
  COUNT(*) AS "heap_user_session_cnt",
  CAST(SUM("heap_session_conversion_cnt") AS BIGINT) AS "heap_user_conversion_cnt",
    CAST(SUM("heap_session_conversion_cnt") AS BIGINT) > 0 AS "heap_user_is_converted",
  MAX(CASE WHEN "heap_session_sequence_num" = 1 THEN "heap_session_id" ELSE NULL END) AS "heap_user_initial_session_id",
  MAX(CASE WHEN "heap_session_sequence_num" = 1 THEN "heap_session_referrer" ELSE NULL END) AS "heap_user_initial_referrer",
  MAX(CASE WHEN "heap_session_sequence_num" = 1 THEN "heap_session_landing_page" ELSE NULL END) AS "heap_user_initial_landing_page",
  MAX(CASE WHEN "heap_session_sequence_num" = 1 THEN "heap_session_landing_page_query" ELSE NULL END) AS "heap_user_initial_landing_page_query",
  MAX(CASE WHEN "heap_session_sequence_num" = 1 THEN "heap_session_landing_page_hash" ELSE NULL END) AS "heap_user_initial_landing_page_hash",
  MAX(CASE WHEN "heap_session_sequence_num" = 1 THEN "heap_session_utm_source" ELSE NULL END) AS "heap_user_initial_utm_source",
  MAX(CASE WHEN "heap_session_sequence_num" = 1 THEN "heap_session_utm_medium" ELSE NULL END) AS "heap_user_initial_utm_medium",
  MAX(CASE WHEN "heap_session_sequence_num" = 1 THEN "heap_session_utm_campaign" ELSE NULL END) AS "heap_user_initial_utm_campaign",
  MAX(CASE WHEN "heap_session_sequence_num" = 1 THEN "heap_session_utm_term" ELSE NULL END) AS "heap_user_initial_utm_term",
  MAX(CASE WHEN "heap_session_sequence_num" = 1 THEN "heap_session_utm_content" ELSE NULL END) AS "heap_user_initial_utm_content",
  MAX(CASE WHEN "heap_session_sequence_num" = 1 THEN "heap_session_browser" ELSE NULL END) AS "heap_user_initial_browser",
  MAX(CASE WHEN "heap_session_sequence_num" = 1 THEN "heap_session_country" ELSE NULL END) AS "heap_user_initial_country",
  MAX(CASE WHEN "heap_session_sequence_num" = 1 THEN "heap_session_region" ELSE NULL END) AS "heap_user_initial_region",
  MAX(CASE WHEN "heap_session_sequence_num" = 1 THEN "heap_session_city" ELSE NULL END) AS "heap_user_initial_city",
  MAX(CASE WHEN "heap_session_sequence_num" = 1 THEN "heap_session_platform" ELSE NULL END) AS "heap_user_initial_platform",
  MAX(CASE WHEN "heap_session_sequence_num" = 1 THEN "heap_session_device_type" ELSE NULL END) AS "heap_user_initial_device_type",
  MAX(CASE WHEN "heap_session_sequence_num" = 1 THEN "heap_session_device" ELSE NULL END) AS "heap_user_initial_device",
  MAX(CASE WHEN "heap_session_sequence_num" = 1 THEN "heap_session_library" ELSE NULL END) AS "heap_user_initial_library",
  MAX(CASE WHEN "heap_session_sequence_num" = 1 THEN "heap_session_defined_channel_attribution" ELSE NULL END) AS "heap_user_initial_channel"
FROM "heap_models"."stg_heap_sessions_inc_fct"
WHERE "heap_user_id" IS NOT NULL
GROUP BY "heap_user_id"
HAVING "heap_user_id" IS NOT NULL;

BEGIN;

DROP TABLE IF EXISTS "heap_models"."stg_heap_users_inc_fct";

ALTER TABLE "heap_models"."stg_heap_users_inc_fct__new" RENAME TO "stg_heap_users_inc_fct";

COMMIT;
