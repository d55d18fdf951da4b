CREATE OR REPLACE TABLE "分析_モデル"."heap__active_users" AS
WITH "heap__directly_active_users" AS (
  SELECT "all_events"."user_id" AS "heap_user_id"
  FROM "ヒープ_本番"."all_events",
    "分析_モデル"."heap__high_water_mark"
  WHERE "heap__high_water_mark"."since" IS NULL OR "all_events"."time" >= "heap__high_water_mark"."since"
  UNION
  SELECT "pageviews"."user_id" AS "heap_user_id"
  FROM "ヒープ_本番"."ページビュー" AS "pageviews",
    "分析_モデル"."heap__high_water_mark" AS "heap__high_water_mark0"
  WHERE "heap__high_water_mark0"."since" IS NULL OR "pageviews"."time" >= "heap__high_water_mark0"."since"
  UNION
  SELECT "sessions"."user_id" AS "heap_user_id"
  FROM "ヒープ_本番"."сессии" AS "sessions",
    "分析_モデル"."heap__high_water_mark" AS "heap__high_water_mark1"
  WHERE "heap__high_water_mark1"."since" IS NULL OR "sessions"."time" >= "heap__high_water_mark1"."since"
  UNION
  SELECT "user_migrations"."from_user_id" AS "heap_user_id"
  FROM "ヒープ_本番"."user_migrations",
    "分析_モデル"."heap__high_water_mark" AS "heap__high_water_mark2"
  WHERE "heap__high_water_mark2"."since" IS NULL OR "user_migrations"."time" >= "heap__high_water_mark2"."since"
  UNION
  SELECT "user_migrations0"."to_user_id" AS "heap_user_id"
  FROM "ヒープ_本番"."user_migrations" AS "user_migrations0",
    "分析_モデル"."heap__high_water_mark" AS "heap__high_water_mark3"
  WHERE "heap__high_water_mark3"."since" IS NULL OR "user_migrations0"."time" >= "heap__high_water_mark3"."since"
),
"heap__held_session_ids" AS (
  SELECT "session_id"
  FROM "ヒープ_本番"."сессии" AS "sessions"
  WHERE "user_id" IN (SELECT *
        FROM "heap__directly_active_users")
  UNION
  SELECT "session_id"
  FROM "ヒープ_本番"."all_events"
  WHERE "user_id" IN (SELECT *
        FROM "heap__directly_active_users")
)
SELECT *
FROM (SELECT "user_id" AS "heap_user_id"
      FROM "ヒープ_本番"."all_events"
      WHERE "event_id" IN (SELECT "event_id"
            FROM "ヒープ_本番"."all_events"
            WHERE "user_id" IN (SELECT *
                  FROM "heap__directly_active_users"))
      UNION
      SELECT "user_id" AS "heap_user_id"
      FROM "ヒープ_本番"."ページビュー" AS "pageviews"
      WHERE "event_id" IN (SELECT "event_id"
            FROM "ヒープ_本番"."ページビュー" AS "pageviews"
            WHERE "user_id" IN (SELECT *
                  FROM "heap__directly_active_users"))
      UNION
      SELECT "user_id" AS "heap_user_id"
      FROM "ヒープ_本番"."сессии" AS "sessions"
      WHERE "session_id" IN (SELECT *
            FROM "heap__held_session_ids")
      UNION
      SELECT "user_id" AS "heap_user_id"
      FROM "ヒープ_本番"."all_events"
      WHERE "session_id" IN (SELECT *
            FROM "heap__held_session_ids")
      UNION
      SELECT *
      FROM "heap__directly_active_users") AS "heap__active_users_input"
WHERE "heap_user_id" IS NOT NULL;
