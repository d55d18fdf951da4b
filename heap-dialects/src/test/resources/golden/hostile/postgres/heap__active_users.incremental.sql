DROP TABLE IF EXISTS "models; DROP"."heap__active_users";

CREATE TABLE "models; DROP"."heap__active_users" AS
WITH "identity_merges_ranked" AS (
  SELECT "from_user_id" AS "heap_from_user_id",
    "to_user_id" AS "heap_to_user_id",
    "time" AS "heap_migration_time",
      ROW_NUMBER() OVER (PARTITION BY "from_user_id" ORDER BY "time" DESC NULLS LAST, "to_user_id") AS "heap__dedup_rank"
  FROM "Raw Data"."heap-prod"."user_migrations"
  WHERE "from_user_id" IS NOT NULL AND "to_user_id" IS NOT NULL
),
"identity_chain_1" AS (
  SELECT "heap_from_user_id",
    "heap_to_user_id",
    "heap_migration_time" AS "heap__latest_merge_time",
    "heap_from_user_id" AS "heap__latest_merge_from",
    "heap_to_user_id" AS "heap__latest_merge_to"
  FROM "identity_merges_ranked"
  WHERE "heap__dedup_rank" <= 1
),
"identity_chain_2" AS (
  SELECT "identity_chain_1"."heap_from_user_id",
    COALESCE("identity_chain_10"."heap_to_user_id", "identity_chain_1"."heap_to_user_id") AS "heap_to_user_id",
      CASE WHEN "identity_chain_10"."heap__latest_merge_time" > "identity_chain_1"."heap__latest_merge_time" OR "identity_chain_10"."heap__latest_merge_time" = "identity_chain_1"."heap__latest_merge_time" AND "identity_chain_10"."heap__latest_merge_from" > "identity_chain_1"."heap__latest_merge_from" OR "identity_chain_1"."heap__latest_merge_time" IS NULL AND ("identity_chain_10"."heap__latest_merge_time" IS NOT NULL OR "identity_chain_10"."heap__latest_merge_from" > "identity_chain_1"."heap__latest_merge_from") THEN "identity_chain_10"."heap__latest_merge_time" ELSE "identity_chain_1"."heap__latest_merge_time" END AS "heap__latest_merge_time",
      CASE WHEN "identity_chain_10"."heap__latest_merge_time" > "identity_chain_1"."heap__latest_merge_time" OR "identity_chain_10"."heap__latest_merge_time" = "identity_chain_1"."heap__latest_merge_time" AND "identity_chain_10"."heap__latest_merge_from" > "identity_chain_1"."heap__latest_merge_from" OR "identity_chain_1"."heap__latest_merge_time" IS NULL AND ("identity_chain_10"."heap__latest_merge_time" IS NOT NULL OR "identity_chain_10"."heap__latest_merge_from" > "identity_chain_1"."heap__latest_merge_from") THEN "identity_chain_10"."heap__latest_merge_from" ELSE "identity_chain_1"."heap__latest_merge_from" END AS "heap__latest_merge_from",
      CASE WHEN "identity_chain_10"."heap__latest_merge_time" > "identity_chain_1"."heap__latest_merge_time" OR "identity_chain_10"."heap__latest_merge_time" = "identity_chain_1"."heap__latest_merge_time" AND "identity_chain_10"."heap__latest_merge_from" > "identity_chain_1"."heap__latest_merge_from" OR "identity_chain_1"."heap__latest_merge_time" IS NULL AND ("identity_chain_10"."heap__latest_merge_time" IS NOT NULL OR "identity_chain_10"."heap__latest_merge_from" > "identity_chain_1"."heap__latest_merge_from") THEN "identity_chain_10"."heap__latest_merge_to" ELSE "identity_chain_1"."heap__latest_merge_to" END AS "heap__latest_merge_to"
  FROM "identity_chain_1"
    LEFT JOIN "identity_chain_1" AS "identity_chain_10" ON "identity_chain_1"."heap_to_user_id" = "identity_chain_10"."heap_from_user_id"
),
"identity_chain_3" AS (
  SELECT "identity_chain_2"."heap_from_user_id",
    COALESCE("identity_chain_20"."heap_to_user_id", "identity_chain_2"."heap_to_user_id") AS "heap_to_user_id",
      CASE WHEN "identity_chain_20"."heap__latest_merge_time" > "identity_chain_2"."heap__latest_merge_time" OR "identity_chain_20"."heap__latest_merge_time" = "identity_chain_2"."heap__latest_merge_time" AND "identity_chain_20"."heap__latest_merge_from" > "identity_chain_2"."heap__latest_merge_from" OR "identity_chain_2"."heap__latest_merge_time" IS NULL AND ("identity_chain_20"."heap__latest_merge_time" IS NOT NULL OR "identity_chain_20"."heap__latest_merge_from" > "identity_chain_2"."heap__latest_merge_from") THEN "identity_chain_20"."heap__latest_merge_time" ELSE "identity_chain_2"."heap__latest_merge_time" END AS "heap__latest_merge_time",
      CASE WHEN "identity_chain_20"."heap__latest_merge_time" > "identity_chain_2"."heap__latest_merge_time" OR "identity_chain_20"."heap__latest_merge_time" = "identity_chain_2"."heap__latest_merge_time" AND "identity_chain_20"."heap__latest_merge_from" > "identity_chain_2"."heap__latest_merge_from" OR "identity_chain_2"."heap__latest_merge_time" IS NULL AND ("identity_chain_20"."heap__latest_merge_time" IS NOT NULL OR "identity_chain_20"."heap__latest_merge_from" > "identity_chain_2"."heap__latest_merge_from") THEN "identity_chain_20"."heap__latest_merge_from" ELSE "identity_chain_2"."heap__latest_merge_from" END AS "heap__latest_merge_from",
      CASE WHEN "identity_chain_20"."heap__latest_merge_time" > "identity_chain_2"."heap__latest_merge_time" OR "identity_chain_20"."heap__latest_merge_time" = "identity_chain_2"."heap__latest_merge_time" AND "identity_chain_20"."heap__latest_merge_from" > "identity_chain_2"."heap__latest_merge_from" OR "identity_chain_2"."heap__latest_merge_time" IS NULL AND ("identity_chain_20"."heap__latest_merge_time" IS NOT NULL OR "identity_chain_20"."heap__latest_merge_from" > "identity_chain_2"."heap__latest_merge_from") THEN "identity_chain_20"."heap__latest_merge_to" ELSE "identity_chain_2"."heap__latest_merge_to" END AS "heap__latest_merge_to"
  FROM "identity_chain_2"
    LEFT JOIN "identity_chain_2" AS "identity_chain_20" ON "identity_chain_2"."heap_to_user_id" = "identity_chain_20"."heap_from_user_id"
),
"identity_chain_4" AS (
  SELECT "identity_chain_3"."heap_from_user_id",
    COALESCE("identity_chain_30"."heap_to_user_id", "identity_chain_3"."heap_to_user_id") AS "heap_to_user_id",
      CASE WHEN "identity_chain_30"."heap__latest_merge_time" > "identity_chain_3"."heap__latest_merge_time" OR "identity_chain_30"."heap__latest_merge_time" = "identity_chain_3"."heap__latest_merge_time" AND "identity_chain_30"."heap__latest_merge_from" > "identity_chain_3"."heap__latest_merge_from" OR "identity_chain_3"."heap__latest_merge_time" IS NULL AND ("identity_chain_30"."heap__latest_merge_time" IS NOT NULL OR "identity_chain_30"."heap__latest_merge_from" > "identity_chain_3"."heap__latest_merge_from") THEN "identity_chain_30"."heap__latest_merge_time" ELSE "identity_chain_3"."heap__latest_merge_time" END AS "heap__latest_merge_time",
      CASE WHEN "identity_chain_30"."heap__latest_merge_time" > "identity_chain_3"."heap__latest_merge_time" OR "identity_chain_30"."heap__latest_merge_time" = "identity_chain_3"."heap__latest_merge_time" AND "identity_chain_30"."heap__latest_merge_from" > "identity_chain_3"."heap__latest_merge_from" OR "identity_chain_3"."heap__latest_merge_time" IS NULL AND ("identity_chain_30"."heap__latest_merge_time" IS NOT NULL OR "identity_chain_30"."heap__latest_merge_from" > "identity_chain_3"."heap__latest_merge_from") THEN "identity_chain_30"."heap__latest_merge_from" ELSE "identity_chain_3"."heap__latest_merge_from" END AS "heap__latest_merge_from",
      CASE WHEN "identity_chain_30"."heap__latest_merge_time" > "identity_chain_3"."heap__latest_merge_time" OR "identity_chain_30"."heap__latest_merge_time" = "identity_chain_3"."heap__latest_merge_time" AND "identity_chain_30"."heap__latest_merge_from" > "identity_chain_3"."heap__latest_merge_from" OR "identity_chain_3"."heap__latest_merge_time" IS NULL AND ("identity_chain_30"."heap__latest_merge_time" IS NOT NULL OR "identity_chain_30"."heap__latest_merge_from" > "identity_chain_3"."heap__latest_merge_from") THEN "identity_chain_30"."heap__latest_merge_to" ELSE "identity_chain_3"."heap__latest_merge_to" END AS "heap__latest_merge_to"
  FROM "identity_chain_3"
    LEFT JOIN "identity_chain_3" AS "identity_chain_30" ON "identity_chain_3"."heap_to_user_id" = "identity_chain_30"."heap_from_user_id"
),
"identity_chain_5" AS (
  SELECT "identity_chain_4"."heap_from_user_id",
    COALESCE("identity_chain_40"."heap_to_user_id", "identity_chain_4"."heap_to_user_id") AS "heap_to_user_id",
      CASE WHEN "identity_chain_40"."heap__latest_merge_time" > "identity_chain_4"."heap__latest_merge_time" OR "identity_chain_40"."heap__latest_merge_time" = "identity_chain_4"."heap__latest_merge_time" AND "identity_chain_40"."heap__latest_merge_from" > "identity_chain_4"."heap__latest_merge_from" OR "identity_chain_4"."heap__latest_merge_time" IS NULL AND ("identity_chain_40"."heap__latest_merge_time" IS NOT NULL OR "identity_chain_40"."heap__latest_merge_from" > "identity_chain_4"."heap__latest_merge_from") THEN "identity_chain_40"."heap__latest_merge_time" ELSE "identity_chain_4"."heap__latest_merge_time" END AS "heap__latest_merge_time",
      CASE WHEN "identity_chain_40"."heap__latest_merge_time" > "identity_chain_4"."heap__latest_merge_time" OR "identity_chain_40"."heap__latest_merge_time" = "identity_chain_4"."heap__latest_merge_time" AND "identity_chain_40"."heap__latest_merge_from" > "identity_chain_4"."heap__latest_merge_from" OR "identity_chain_4"."heap__latest_merge_time" IS NULL AND ("identity_chain_40"."heap__latest_merge_time" IS NOT NULL OR "identity_chain_40"."heap__latest_merge_from" > "identity_chain_4"."heap__latest_merge_from") THEN "identity_chain_40"."heap__latest_merge_from" ELSE "identity_chain_4"."heap__latest_merge_from" END AS "heap__latest_merge_from",
      CASE WHEN "identity_chain_40"."heap__latest_merge_time" > "identity_chain_4"."heap__latest_merge_time" OR "identity_chain_40"."heap__latest_merge_time" = "identity_chain_4"."heap__latest_merge_time" AND "identity_chain_40"."heap__latest_merge_from" > "identity_chain_4"."heap__latest_merge_from" OR "identity_chain_4"."heap__latest_merge_time" IS NULL AND ("identity_chain_40"."heap__latest_merge_time" IS NOT NULL OR "identity_chain_40"."heap__latest_merge_from" > "identity_chain_4"."heap__latest_merge_from") THEN "identity_chain_40"."heap__latest_merge_to" ELSE "identity_chain_4"."heap__latest_merge_to" END AS "heap__latest_merge_to"
  FROM "identity_chain_4"
    LEFT JOIN "identity_chain_4" AS "identity_chain_40" ON "identity_chain_4"."heap_to_user_id" = "identity_chain_40"."heap_from_user_id"
),
"identity_chain_6" AS (
  SELECT "identity_chain_5"."heap_from_user_id",
    COALESCE("identity_chain_50"."heap_to_user_id", "identity_chain_5"."heap_to_user_id") AS "heap_to_user_id",
      CASE WHEN "identity_chain_50"."heap__latest_merge_time" > "identity_chain_5"."heap__latest_merge_time" OR "identity_chain_50"."heap__latest_merge_time" = "identity_chain_5"."heap__latest_merge_time" AND "identity_chain_50"."heap__latest_merge_from" > "identity_chain_5"."heap__latest_merge_from" OR "identity_chain_5"."heap__latest_merge_time" IS NULL AND ("identity_chain_50"."heap__latest_merge_time" IS NOT NULL OR "identity_chain_50"."heap__latest_merge_from" > "identity_chain_5"."heap__latest_merge_from") THEN "identity_chain_50"."heap__latest_merge_time" ELSE "identity_chain_5"."heap__latest_merge_time" END AS "heap__latest_merge_time",
      CASE WHEN "identity_chain_50"."heap__latest_merge_time" > "identity_chain_5"."heap__latest_merge_time" OR "identity_chain_50"."heap__latest_merge_time" = "identity_chain_5"."heap__latest_merge_time" AND "identity_chain_50"."heap__latest_merge_from" > "identity_chain_5"."heap__latest_merge_from" OR "identity_chain_5"."heap__latest_merge_time" IS NULL AND ("identity_chain_50"."heap__latest_merge_time" IS NOT NULL OR "identity_chain_50"."heap__latest_merge_from" > "identity_chain_5"."heap__latest_merge_from") THEN "identity_chain_50"."heap__latest_merge_from" ELSE "identity_chain_5"."heap__latest_merge_from" END AS "heap__latest_merge_from",
      CASE WHEN "identity_chain_50"."heap__latest_merge_time" > "identity_chain_5"."heap__latest_merge_time" OR "identity_chain_50"."heap__latest_merge_time" = "identity_chain_5"."heap__latest_merge_time" AND "identity_chain_50"."heap__latest_merge_from" > "identity_chain_5"."heap__latest_merge_from" OR "identity_chain_5"."heap__latest_merge_time" IS NULL AND ("identity_chain_50"."heap__latest_merge_time" IS NOT NULL OR "identity_chain_50"."heap__latest_merge_from" > "identity_chain_5"."heap__latest_merge_from") THEN "identity_chain_50"."heap__latest_merge_to" ELSE "identity_chain_5"."heap__latest_merge_to" END AS "heap__latest_merge_to"
  FROM "identity_chain_5"
    LEFT JOIN "identity_chain_5" AS "identity_chain_50" ON "identity_chain_5"."heap_to_user_id" = "identity_chain_50"."heap_from_user_id"
),
"src_heap_identity_map_eph" AS (
  SELECT "identity_chain_6"."heap_from_user_id",
    COALESCE("identity_chain_60"."heap__latest_merge_to", "identity_chain_6"."heap_to_user_id") AS "heap_to_user_id"
  FROM "identity_chain_6"
    LEFT JOIN "identity_chain_6" AS "identity_chain_60" ON "identity_chain_6"."heap_to_user_id" = "identity_chain_60"."heap_from_user_id"
),
"heap__newly_active_users" AS (
  SELECT "all_events"."user_id" AS "heap_user_id"
  FROM "Raw Data"."heap-prod"."all_events",
    "models; DROP"."heap__high_water_mark"
  WHERE "all_events"."time" >= "heap__high_water_mark"."since"
  UNION
  SELECT "all_events0"."user_id" AS "heap_user_id"
  FROM "Raw Data"."heap-prod"."all_events" AS "all_events0",
    "models; DROP"."heap__high_water_mark" AS "heap__high_water_mark0"
  WHERE "heap__high_water_mark0"."since" IS NULL
  UNION
  SELECT "pageviews"."user_id" AS "heap_user_id"
  FROM "Raw Data"."heap-prod"."PageViews ""v2""" AS "pageviews",
    "models; DROP"."heap__high_water_mark" AS "heap__high_water_mark1"
  WHERE "pageviews"."time" >= "heap__high_water_mark1"."since"
  UNION
  SELECT "pageviews0"."user_id" AS "heap_user_id"
  FROM "Raw Data"."heap-prod"."PageViews ""v2""" AS "pageviews0",
    "models; DROP"."heap__high_water_mark" AS "heap__high_water_mark2"
  WHERE "heap__high_water_mark2"."since" IS NULL
  UNION
  SELECT "sessions"."user_id" AS "heap_user_id"
  FROM "Raw Data"."heap-prod"."sessions",
    "models; DROP"."heap__high_water_mark" AS "heap__high_water_mark3"
  WHERE "sessions"."time" >= "heap__high_water_mark3"."since"
  UNION
  SELECT "sessions0"."user_id" AS "heap_user_id"
  FROM "Raw Data"."heap-prod"."sessions" AS "sessions0",
    "models; DROP"."heap__high_water_mark" AS "heap__high_water_mark4"
  WHERE "heap__high_water_mark4"."since" IS NULL
  UNION
  SELECT "user_migrations"."from_user_id" AS "heap_user_id"
  FROM "Raw Data"."heap-prod"."user_migrations",
    "models; DROP"."heap__high_water_mark" AS "heap__high_water_mark5"
  WHERE "user_migrations"."time" >= "heap__high_water_mark5"."since"
  UNION
  SELECT "user_migrations0"."from_user_id" AS "heap_user_id"
  FROM "Raw Data"."heap-prod"."user_migrations" AS "user_migrations0",
    "models; DROP"."heap__high_water_mark" AS "heap__high_water_mark6"
  WHERE "heap__high_water_mark6"."since" IS NULL
  UNION
  SELECT "user_migrations1"."to_user_id" AS "heap_user_id"
  FROM "Raw Data"."heap-prod"."user_migrations" AS "user_migrations1",
    "models; DROP"."heap__high_water_mark" AS "heap__high_water_mark7"
  WHERE "user_migrations1"."time" >= "heap__high_water_mark7"."since"
  UNION
  SELECT "user_migrations2"."to_user_id" AS "heap_user_id"
  FROM "Raw Data"."heap-prod"."user_migrations" AS "user_migrations2",
    "models; DROP"."heap__high_water_mark" AS "heap__high_water_mark8"
  WHERE "heap__high_water_mark8"."since" IS NULL
),
"heap__raw_directly_active_users" AS (
  SELECT "to_user_id" AS "heap_user_id"
  FROM "Raw Data"."heap-prod"."user_migrations"
  WHERE "from_user_id" IN (SELECT *
        FROM "heap__newly_active_users")
  UNION
  SELECT *
  FROM "heap__newly_active_users"
),
"heap__resolved_directly_active_users" AS (
  SELECT COALESCE("src_heap_identity_map_eph"."heap_to_user_id", "heap__raw_directly_active_users"."heap_user_id") AS "heap_user_id"
  FROM "heap__raw_directly_active_users"
    LEFT JOIN "src_heap_identity_map_eph" ON "heap__raw_directly_active_users"."heap_user_id" = "src_heap_identity_map_eph"."heap_from_user_id"
),
"heap__directly_active_users" AS (
  SELECT "heap_from_user_id" AS "heap_user_id"
  FROM "src_heap_identity_map_eph"
  WHERE "heap_to_user_id" IN (SELECT *
        FROM "heap__resolved_directly_active_users")
  UNION
  SELECT *
  FROM "heap__raw_directly_active_users"
  UNION
  SELECT *
  FROM "heap__resolved_directly_active_users"
),
"heap__held_session_ids" AS (
  SELECT "session_id"
  FROM "Raw Data"."heap-prod"."sessions"
  WHERE "user_id" IN (SELECT *
        FROM "heap__directly_active_users")
  UNION
  SELECT "session_id"
  FROM "Raw Data"."heap-prod"."all_events"
  WHERE "user_id" IN (SELECT *
        FROM "heap__directly_active_users")
),
"heap__raw_active_users" AS (
  SELECT "user_id" AS "heap_user_id"
  FROM "Raw Data"."heap-prod"."all_events"
  WHERE "event_id" IN (SELECT "event_id"
        FROM "Raw Data"."heap-prod"."all_events"
        WHERE "user_id" IN (SELECT *
              FROM "heap__directly_active_users"))
  UNION
  SELECT "user_id" AS "heap_user_id"
  FROM "Raw Data"."heap-prod"."PageViews ""v2""" AS "pageviews"
  WHERE "event_id" IN (SELECT "event_id"
        FROM "Raw Data"."heap-prod"."PageViews ""v2""" AS "pageviews"
        WHERE "user_id" IN (SELECT *
              FROM "heap__directly_active_users"))
  UNION
  SELECT "user_id" AS "heap_user_id"
  FROM "Raw Data"."heap-prod"."sessions"
  WHERE "session_id" IN (SELECT *
        FROM "heap__held_session_ids")
  UNION
  SELECT "user_id" AS "heap_user_id"
  FROM "Raw Data"."heap-prod"."all_events"
  WHERE "session_id" IN (SELECT *
        FROM "heap__held_session_ids")
  UNION
  SELECT *
  FROM "heap__directly_active_users"
),
"heap__resolved_active_users" AS (
  SELECT COALESCE("src_heap_identity_map_eph"."heap_to_user_id", "heap__raw_active_users"."heap_user_id") AS "heap_user_id"
  FROM "heap__raw_active_users"
    LEFT JOIN "src_heap_identity_map_eph" ON "heap__raw_active_users"."heap_user_id" = "src_heap_identity_map_eph"."heap_from_user_id"
)
SELECT *
FROM (SELECT "heap_from_user_id" AS "heap_user_id"
      FROM "src_heap_identity_map_eph"
      WHERE "heap_to_user_id" IN (SELECT *
            FROM "heap__resolved_active_users")
      UNION
      SELECT *
      FROM "heap__raw_active_users"
      UNION
      SELECT *
      FROM "heap__resolved_active_users") AS "heap__active_users_input"
WHERE "heap_user_id" IS NOT NULL;

CREATE INDEX ON "models; DROP"."heap__active_users" ("heap_user_id");

ANALYZE "models; DROP"."heap__active_users";
