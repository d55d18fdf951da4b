DROP TABLE IF EXISTS "heap_models"."stg_heap_events_all_inc_fct__new";

CREATE TABLE "heap_models"."stg_heap_events_all_inc_fct__new"
DISTKEY("heap_user_id")
SORTKEY("heap_event_time")
AS
WITH "events_ranked" AS (
  SELECT "event_id" AS "heap_event_id",
    "user_id" AS "heap_user_id",
    "session_id" AS "heap_session_id",
    "event_table_name" AS "heap_event_name",
    "time" AS "heap_event_time",
      ROW_NUMBER() OVER (PARTITION BY "event_id" ORDER BY CASE WHEN "event_table_name" IN ('add_to_cart', 'begin_checkout', 'purchase', 'sign_up', 'view_product') THEN 0 WHEN "event_table_name" = 'pageviews' THEN 3 WHEN "event_table_name" IS NULL THEN 4 ELSE 2 END, "time" DESC NULLS LAST, "user_id", "session_id", "event_table_name") AS "heap__dedup_rank"
  FROM "main_production"."all_events"
  WHERE "event_id" IS NOT NULL AND "user_id" IS NOT NULL
),
"src_heap_events_all_eph" AS (
  SELECT "heap_event_id",
    "heap_user_id",
    "heap_session_id",
    "heap_event_name",
    "heap_event_time",
      ROW_NUMBER() OVER (PARTITION BY "heap_user_id", "heap_session_id" ORDER BY "heap_event_time", "heap_event_id") AS "heap_session_event_sequence"
  FROM "events_ranked"
  WHERE "heap__dedup_rank" = 1
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

BEGIN;

DROP TABLE IF EXISTS "heap_models"."stg_heap_events_all_inc_fct";

ALTER TABLE "heap_models"."stg_heap_events_all_inc_fct__new" RENAME TO "stg_heap_events_all_inc_fct";

COMMIT;
