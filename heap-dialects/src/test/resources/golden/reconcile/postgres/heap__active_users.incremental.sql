DROP TABLE IF EXISTS "heap_models"."heap__active_users";

CREATE TABLE "heap_models"."heap__active_users" AS
WITH "heap__directly_active_users" AS (
  SELECT "all_events"."user_id" AS "heap_user_id"
  FROM "main_production"."all_events",
    "heap_models"."heap__high_water_mark"
  WHERE "all_events"."time" >= "heap__high_water_mark"."since"
  UNION
  SELECT "all_events0"."user_id" AS "heap_user_id"
  FROM "main_production"."all_events" AS "all_events0",
    "heap_models"."heap__high_water_mark" AS "heap__high_water_mark0"
  WHERE "heap__high_water_mark0"."since" IS NULL
  UNION
  SELECT "pageviews"."user_id" AS "heap_user_id"
  FROM "main_production"."pageviews",
    "heap_models"."heap__high_water_mark" AS "heap__high_water_mark1"
  WHERE "pageviews"."time" >= "heap__high_water_mark1"."since"
  UNION
  SELECT "pageviews0"."user_id" AS "heap_user_id"
  FROM "main_production"."pageviews" AS "pageviews0",
    "heap_models"."heap__high_water_mark" AS "heap__high_water_mark2"
  WHERE "heap__high_water_mark2"."since" IS NULL
  UNION
  SELECT "sessions"."user_id" AS "heap_user_id"
  FROM "main_production"."sessions",
    "heap_models"."heap__high_water_mark" AS "heap__high_water_mark3"
  WHERE "sessions"."time" >= "heap__high_water_mark3"."since"
  UNION
  SELECT "sessions0"."user_id" AS "heap_user_id"
  FROM "main_production"."sessions" AS "sessions0",
    "heap_models"."heap__high_water_mark" AS "heap__high_water_mark4"
  WHERE "heap__high_water_mark4"."since" IS NULL
  UNION
  SELECT "user_migrations"."from_user_id" AS "heap_user_id"
  FROM "main_production"."user_migrations",
    "heap_models"."heap__high_water_mark" AS "heap__high_water_mark5"
  WHERE "user_migrations"."time" >= "heap__high_water_mark5"."since"
  UNION
  SELECT "user_migrations0"."from_user_id" AS "heap_user_id"
  FROM "main_production"."user_migrations" AS "user_migrations0",
    "heap_models"."heap__high_water_mark" AS "heap__high_water_mark6"
  WHERE "heap__high_water_mark6"."since" IS NULL
  UNION
  SELECT "user_migrations1"."to_user_id" AS "heap_user_id"
  FROM "main_production"."user_migrations" AS "user_migrations1",
    "heap_models"."heap__high_water_mark" AS "heap__high_water_mark7"
  WHERE "user_migrations1"."time" >= "heap__high_water_mark7"."since"
  UNION
  SELECT "user_migrations2"."to_user_id" AS "heap_user_id"
  FROM "main_production"."user_migrations" AS "user_migrations2",
    "heap_models"."heap__high_water_mark" AS "heap__high_water_mark8"
  WHERE "heap__high_water_mark8"."since" IS NULL
  UNION
  SELECT *
  FROM "heap_models"."heap__reconciled_users"
),
"heap__held_session_ids" AS (
  SELECT "session_id"
  FROM "main_production"."sessions"
  WHERE "user_id" IN (SELECT *
        FROM "heap__directly_active_users")
  UNION
  SELECT "session_id"
  FROM "main_production"."all_events"
  WHERE "user_id" IN (SELECT *
        FROM "heap__directly_active_users")
  UNION
  SELECT "heap_session_id"
  FROM "heap_models"."stg_heap_sessions_inc_fct"
  WHERE "heap_user_id" IN (SELECT *
        FROM "heap__directly_active_users")
)
SELECT *
FROM (SELECT "user_id" AS "heap_user_id"
      FROM "main_production"."all_events"
      WHERE "event_id" IN (SELECT "event_id"
            FROM "main_production"."all_events"
            WHERE "user_id" IN (SELECT *
                  FROM "heap__directly_active_users"))
      UNION
      SELECT "user_id" AS "heap_user_id"
      FROM "main_production"."all_events"
      WHERE "event_id" IN (SELECT "heap_event_id"
            FROM "heap_models"."stg_heap_events_all_inc_fct"
            WHERE "heap_user_id" IN (SELECT *
                  FROM "heap__directly_active_users"))
      UNION
      SELECT "user_id" AS "heap_user_id"
      FROM "main_production"."pageviews"
      WHERE "event_id" IN (SELECT "event_id"
            FROM "main_production"."pageviews"
            WHERE "user_id" IN (SELECT *
                  FROM "heap__directly_active_users"))
      UNION
      SELECT "user_id" AS "heap_user_id"
      FROM "main_production"."pageviews"
      WHERE "event_id" IN (SELECT "heap_pageview_id"
            FROM "heap_models"."stg_heap_pageview_sessions_inc_fct"
            WHERE "heap_user_id" IN (SELECT *
                  FROM "heap__directly_active_users"))
      UNION
      SELECT "user_id" AS "heap_user_id"
      FROM "main_production"."sessions"
      WHERE "session_id" IN (SELECT *
            FROM "heap__held_session_ids")
      UNION
      SELECT "user_id" AS "heap_user_id"
      FROM "main_production"."all_events"
      WHERE "session_id" IN (SELECT *
            FROM "heap__held_session_ids")
      UNION
      SELECT *
      FROM "heap__directly_active_users") AS "heap__active_users_input"
WHERE "heap_user_id" IS NOT NULL;

CREATE INDEX ON "heap_models"."heap__active_users" ("heap_user_id");

ANALYZE "heap_models"."heap__active_users";
