CREATE OR REPLACE TABLE "分析_モデル"."stg_heap_events_all_inc_fct__changes" AS
WITH "events_ranked" AS (
  SELECT "event_id" AS "heap_event_id",
    "user_id" AS "heap_user_id",
    "session_id" AS "heap_session_id",
    "イベント名" AS "heap_event_name",
    "time" AS "heap_event_time",
      ROW_NUMBER() OVER (PARTITION BY "event_id" ORDER BY CASE WHEN "イベント名" IN ('café', 'café', 'Покупка', 'רכישה', 'شراء', '‮gnp.exe', '購入する', '购买🛒', '閲覧', '👩‍💻 sign-up 🇯🇵', '𠮷野家で購入') THEN 0 WHEN "イベント名" = 'pageviews' THEN 3 WHEN "イベント名" IS NULL THEN 4 ELSE 2 END NULLS LAST, "time" DESC NULLS LAST, "user_id" NULLS LAST, "session_id" NULLS LAST, "イベント名" NULLS LAST) AS "heap__dedup_rank"
  FROM "ヒープ_本番"."all_events"
  WHERE "event_id" IN (SELECT "event_id"
        FROM "ヒープ_本番"."all_events"
        WHERE "user_id" IN (SELECT *
              FROM "分析_モデル"."heap__active_users" AS "active_users")) AND "event_id" IS NOT NULL AND "user_id" IS NOT NULL
),
"src_heap_events_all_eph" AS (
  SELECT "heap_event_id",
    "heap_user_id",
    "heap_session_id",
    "heap_event_name",
    "heap_event_time",
      ROW_NUMBER() OVER (PARTITION BY "heap_user_id", "heap_session_id" ORDER BY "heap_event_time" NULLS LAST, "heap_event_id" NULLS LAST) AS "heap_session_event_sequence"
  FROM "events_ranked"
  WHERE "heap__dedup_rank" = 1 AND "heap_user_id" IN (SELECT *
        FROM "分析_モデル"."heap__active_users" AS "active_users")
)
SELECT "heap_event_id",
  "heap_user_id",
  "heap_session_id",
  "heap_event_name",
  "heap_event_time",
  "heap_session_event_sequence",
    CASE WHEN "heap_event_name" = '閲覧' THEN 1 WHEN "heap_event_name" = '购买🛒' THEN 2 WHEN "heap_event_name" = 'Покупка' THEN 3 WHEN "heap_event_name" = 'café' THEN 4 WHEN "heap_event_name" = 'café' THEN 5 WHEN "heap_event_name" = '𠮷野家で購入' THEN 6 ELSE 0 END AS "heap_event_funnel_position",
    CASE WHEN "heap_event_name" IN ('רכישה', 'شراء', '‮gnp.exe', '購入する', '👩‍💻 sign-up 🇯🇵') THEN TRUE ELSE FALSE END AS "heap_event_is_conversion"
FROM "src_heap_events_all_eph"
WHERE "heap_event_id" IS NOT NULL;

BEGIN;

CREATE OR REPLACE TEMPORARY TABLE "heap__differing_rows" AS
SELECT "heap_event_id", "heap_user_id", "heap_session_id", "heap_event_name", "heap_event_time", "heap_session_event_sequence", "heap_event_funnel_position", "heap_event_is_conversion" FROM "分析_モデル"."stg_heap_events_all_inc_fct__changes"
EXCEPT
SELECT "heap_event_id", "heap_user_id", "heap_session_id", "heap_event_name", "heap_event_time", "heap_session_event_sequence", "heap_event_funnel_position", "heap_event_is_conversion" FROM "分析_モデル"."stg_heap_events_all_inc_fct" WHERE "heap_user_id" IN (SELECT "heap_user_id" FROM "分析_モデル"."heap__active_users");

DELETE FROM "分析_モデル"."stg_heap_events_all_inc_fct"
WHERE ("heap_user_id" IN (SELECT "heap_user_id" FROM "分析_モデル"."heap__active_users")
AND "heap_event_id" NOT IN (SELECT "heap_event_id" FROM "分析_モデル"."stg_heap_events_all_inc_fct__changes" WHERE "heap_event_id" IS NOT NULL))
OR "heap_event_id" IN (SELECT "heap_event_id" FROM "heap__differing_rows");

INSERT INTO "分析_モデル"."stg_heap_events_all_inc_fct" ("heap_event_id", "heap_user_id", "heap_session_id", "heap_event_name", "heap_event_time", "heap_session_event_sequence", "heap_event_funnel_position", "heap_event_is_conversion")
SELECT "heap_event_id", "heap_user_id", "heap_session_id", "heap_event_name", "heap_event_time", "heap_session_event_sequence", "heap_event_funnel_position", "heap_event_is_conversion" FROM "heap__differing_rows";

DROP TABLE "heap__differing_rows";

COMMIT;
