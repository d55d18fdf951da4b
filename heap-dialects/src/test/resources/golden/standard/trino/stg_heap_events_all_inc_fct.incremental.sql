CREATE OR REPLACE TABLE "heap_models"."stg_heap_events_all_inc_fct__changes" AS
WITH "events_ranked" AS (
  SELECT "event_id" AS "heap_event_id",
    "user_id" AS "heap_user_id",
    "session_id" AS "heap_session_id",
    "event_table_name" AS "heap_event_name",
    "time" AS "heap_event_time",
      ROW_NUMBER() OVER (PARTITION BY "event_id" ORDER BY CASE WHEN "event_table_name" IN ('add_to_cart', 'begin_checkout', 'purchase', 'sign_up', 'view_product') THEN 0 WHEN "event_table_name" = 'pageviews' THEN 3 WHEN "event_table_name" IS NULL THEN 4 ELSE 2 END, "time" DESC, "user_id", "session_id", "event_table_name") AS "heap__dedup_rank"
  FROM "main_production"."all_events"
  WHERE "event_id" IN (SELECT "event_id"
        FROM "main_production"."all_events"
        WHERE "user_id" IN (SELECT *
              FROM "heap_models"."heap__active_users" AS "active_users")) AND "event_id" IS NOT NULL AND "user_id" IS NOT NULL
),
"src_heap_events_all_eph" AS (
  SELECT "heap_event_id",
    "heap_user_id",
    "heap_session_id",
    "heap_event_name",
    "heap_event_time",
      ROW_NUMBER() OVER (PARTITION BY "heap_user_id", "heap_session_id" ORDER BY "heap_event_time", "heap_event_id") AS "heap_session_event_sequence"
  FROM "events_ranked"
  WHERE "heap__dedup_rank" = 1 AND "heap_user_id" IN (SELECT *
        FROM "heap_models"."heap__active_users" AS "active_users")
)
SELECT "heap_event_id",
  "heap_user_id",
  "heap_session_id",
  "heap_event_name",
  "heap_event_time",
  "heap_session_event_sequence",
    CASE WHEN "heap_event_name" = 'view_product' THEN 1 WHEN "heap_event_name" = 'add_to_cart' THEN 2 WHEN "heap_event_name" = 'begin_checkout' THEN 3 WHEN "heap_event_name" = 'purchase' THEN 4 ELSE 0 END AS "heap_event_funnel_position",
    CASE WHEN "heap_event_name" IN ('purchase', 'sign_up') THEN TRUE ELSE FALSE END AS "heap_event_is_conversion"
FROM "src_heap_events_all_eph"
WHERE "heap_event_id" IS NOT NULL;

MERGE INTO "heap_models"."stg_heap_events_all_inc_fct" AS "target"
USING (
  SELECT "heap_event_id", "heap_user_id", "heap_session_id", "heap_event_name", "heap_event_time", "heap_session_event_sequence", "heap_event_funnel_position", "heap_event_is_conversion", FALSE AS "heap__vanished"
  FROM "heap_models"."stg_heap_events_all_inc_fct__changes"
  UNION ALL
  SELECT "vanished"."heap_event_id", "vanished"."heap_user_id", "vanished"."heap_session_id", "vanished"."heap_event_name", "vanished"."heap_event_time", "vanished"."heap_session_event_sequence", "vanished"."heap_event_funnel_position", "vanished"."heap_event_is_conversion", TRUE AS "heap__vanished"
  FROM "heap_models"."stg_heap_events_all_inc_fct" AS "vanished"
  WHERE "vanished"."heap_user_id" IN (SELECT "heap_user_id" FROM "heap_models"."heap__active_users")
  AND "vanished"."heap_event_id" NOT IN (SELECT "heap_event_id" FROM "heap_models"."stg_heap_events_all_inc_fct__changes" WHERE "heap_event_id" IS NOT NULL)
) AS "changes"
ON "target"."heap_event_id" = "changes"."heap_event_id"
WHEN MATCHED AND "changes"."heap__vanished" THEN DELETE
WHEN MATCHED AND ("target"."heap_user_id" IS DISTINCT FROM "changes"."heap_user_id" OR "target"."heap_session_id" IS DISTINCT FROM "changes"."heap_session_id" OR "target"."heap_event_name" IS DISTINCT FROM "changes"."heap_event_name" OR "target"."heap_event_time" IS DISTINCT FROM "changes"."heap_event_time" OR "target"."heap_session_event_sequence" IS DISTINCT FROM "changes"."heap_session_event_sequence" OR "target"."heap_event_funnel_position" IS DISTINCT FROM "changes"."heap_event_funnel_position" OR "target"."heap_event_is_conversion" IS DISTINCT FROM "changes"."heap_event_is_conversion") THEN UPDATE SET "heap_user_id" = "changes"."heap_user_id", "heap_session_id" = "changes"."heap_session_id", "heap_event_name" = "changes"."heap_event_name", "heap_event_time" = "changes"."heap_event_time", "heap_session_event_sequence" = "changes"."heap_session_event_sequence", "heap_event_funnel_position" = "changes"."heap_event_funnel_position", "heap_event_is_conversion" = "changes"."heap_event_is_conversion"
WHEN NOT MATCHED AND NOT "changes"."heap__vanished" THEN INSERT ("heap_event_id", "heap_user_id", "heap_session_id", "heap_event_name", "heap_event_time", "heap_session_event_sequence", "heap_event_funnel_position", "heap_event_is_conversion")
VALUES ("changes"."heap_event_id", "changes"."heap_user_id", "changes"."heap_session_id", "changes"."heap_event_name", "changes"."heap_event_time", "changes"."heap_session_event_sequence", "changes"."heap_event_funnel_position", "changes"."heap_event_is_conversion");
