CREATE OR REPLACE TABLE "models; DROP"."stg_heap_events_all_inc_fct"
AS
WITH "identity_merges_ranked" AS (
  SELECT "from_user_id" AS "heap_from_user_id",
    "to_user_id" AS "heap_to_user_id",
    "time" AS "heap_migration_time",
      ROW_NUMBER() OVER (PARTITION BY "from_user_id" ORDER BY "time" DESC, "to_user_id") AS "heap__dedup_rank"
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
  WHERE "heap__dedup_rank" = 1
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
"events_ranked" AS (
  SELECT "events_ranked_input"."heap_event_id",
    COALESCE("src_heap_identity_map_eph"."heap_to_user_id", "events_ranked_input"."heap_user_id") AS "heap_user_id",
    "events_ranked_input"."heap_session_id",
    "events_ranked_input"."heap_event_name",
    "events_ranked_input"."heap_event_time",
      ROW_NUMBER() OVER (PARTITION BY "events_ranked_input"."heap_event_id" ORDER BY CASE WHEN "events_ranked_input"."heap_event_name" IN ('Robert''); DROP TABLE students;--', 'back\slash', 'it''s', 'new
line', 'x'' -- y') THEN 0 WHEN "events_ranked_input"."heap_event_name" = 'pageviews' THEN 3 WHEN "events_ranked_input"."heap_event_name" IS NULL THEN 4 ELSE 2 END, "events_ranked_input"."heap_event_time" DESC, COALESCE("src_heap_identity_map_eph"."heap_to_user_id", "events_ranked_input"."heap_user_id"), "events_ranked_input"."heap_session_id", "events_ranked_input"."heap_event_name") AS "heap__dedup_rank"
  FROM (SELECT "event_id" AS "heap_event_id",
        "user_id" AS "heap_user_id",
        "session_id" AS "heap_session_id",
        "event name" AS "heap_event_name",
        "time" AS "heap_event_time"
      FROM "Raw Data"."heap-prod"."all_events"
      WHERE "event_id" IS NOT NULL AND "user_id" IS NOT NULL) AS "events_ranked_input"
    LEFT JOIN "src_heap_identity_map_eph" ON "events_ranked_input"."heap_user_id" = "src_heap_identity_map_eph"."heap_from_user_id"
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
    CASE WHEN "heap_event_name" = 'it''s' THEN 1 WHEN "heap_event_name" = 'back\slash' THEN 2 WHEN "heap_event_name" = 'new
line' THEN 3 WHEN "heap_event_name" = 'x'' -- y' THEN 4 ELSE 0 END AS "heap_event_funnel_position",
    CASE WHEN "heap_event_name" = 'Robert''); DROP TABLE students;--' THEN TRUE ELSE FALSE END AS "heap_event_is_conversion"
FROM "src_heap_events_all_eph"
WHERE "heap_event_id" IS NOT NULL;
