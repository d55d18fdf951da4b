DROP TABLE IF EXISTS "models; DROP"."stg_heap_pageview_sessions_inc_fct__changes";

CREATE TABLE "models; DROP"."stg_heap_pageview_sessions_inc_fct__changes" AS
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
"pageviews_ranked" AS (
  SELECT "pageviews_ranked_input"."heap_pageview_id",
    COALESCE("src_heap_identity_map_eph"."heap_to_user_id", "pageviews_ranked_input"."heap_user_id") AS "heap_user_id",
    "pageviews_ranked_input"."heap_session_id",
    "pageviews_ranked_input"."heap_pageview_time",
    "pageviews_ranked_input"."heap_pageview_domain",
    "pageviews_ranked_input"."heap_pageview_path",
    "pageviews_ranked_input"."heap_pageview_query",
    "pageviews_ranked_input"."heap_pageview_hash",
    "pageviews_ranked_input"."heap_pageview_title",
    "pageviews_ranked_input"."heap_pageview_previous_page",
      ROW_NUMBER() OVER (PARTITION BY "pageviews_ranked_input"."heap_pageview_id" ORDER BY "pageviews_ranked_input"."heap_pageview_time" DESC NULLS LAST, COALESCE("src_heap_identity_map_eph"."heap_to_user_id", "pageviews_ranked_input"."heap_user_id"), "pageviews_ranked_input"."heap_session_id", "pageviews_ranked_input"."heap_pageview_domain", "pageviews_ranked_input"."heap_pageview_path", "pageviews_ranked_input"."heap_pageview_query", "pageviews_ranked_input"."heap_pageview_hash", "pageviews_ranked_input"."heap_pageview_title", "pageviews_ranked_input"."heap_pageview_previous_page") AS "heap__dedup_rank"
  FROM (SELECT "event_id" AS "heap_pageview_id",
        "user_id" AS "heap_user_id",
        "session_id" AS "heap_session_id",
        "time" AS "heap_pageview_time",
        "domain" AS "heap_pageview_domain",
        "path" AS "heap_pageview_path",
        "query" AS "heap_pageview_query",
        "hash" AS "heap_pageview_hash",
        "title" AS "heap_pageview_title",
        "previous_page" AS "heap_pageview_previous_page"
      FROM "Raw Data"."heap-prod"."PageViews ""v2""" AS "pageviews"
      WHERE "event_id" IN (SELECT "event_id"
            FROM "Raw Data"."heap-prod"."PageViews ""v2""" AS "pageviews"
            WHERE "user_id" IN (SELECT *
                  FROM "models; DROP"."heap__active_users" AS "active_users")) AND "event_id" IS NOT NULL AND "user_id" IS NOT NULL) AS "pageviews_ranked_input"
    LEFT JOIN "src_heap_identity_map_eph" ON "pageviews_ranked_input"."heap_user_id" = "src_heap_identity_map_eph"."heap_from_user_id"
),
"src_heap_pageviews_eph" AS (
  SELECT "heap_pageview_id",
    "heap_user_id",
    "heap_session_id",
    "heap_pageview_time",
    "heap_pageview_domain",
    "heap_pageview_path",
    "heap_pageview_query",
    "heap_pageview_hash",
    "heap_pageview_title",
    "heap_pageview_previous_page"
  FROM "pageviews_ranked"
  WHERE "heap__dedup_rank" = 1 AND "heap_user_id" IN (SELECT *
        FROM "models; DROP"."heap__active_users" AS "active_users")
),
"pageviews_with_previous" AS (
  SELECT "heap_pageview_id",
    "heap_user_id",
    "heap_pageview_time",
      LAG("heap_pageview_time") OVER (PARTITION BY "heap_user_id" ORDER BY "heap_pageview_time", "heap_pageview_id") AS "heap__previous_pageview_time"
  FROM "src_heap_pageviews_eph"
),
"pageviews_session_indexed" AS (
  SELECT "heap_pageview_id",
    "heap_user_id",
    "heap_pageview_time",
      CASE WHEN "heap_pageview_time" IS NULL THEN NULL ELSE COUNT(CASE WHEN "heap__previous_pageview_time" IS NULL OR "heap_pageview_time" > DATEADD(MINUTE, 30, "heap__previous_pageview_time") THEN 1 ELSE NULL END) OVER (PARTITION BY "heap_user_id" ORDER BY "heap_pageview_time", "heap_pageview_id" ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) END AS "heap_pageview_session_index"
  FROM "pageviews_with_previous"
),
"pageviews_sessionized" AS (
  SELECT "heap_pageview_id" AS "heap__session_of",
    "heap_pageview_session_index",
      ROW_NUMBER() OVER (PARTITION BY "heap_user_id", "heap_pageview_session_index" ORDER BY "heap_pageview_time", "heap_pageview_id") AS "heap__session_sequence_number",
      FIRST_VALUE("heap_pageview_time") OVER (PARTITION BY "heap_user_id", "heap_pageview_session_index" ORDER BY "heap_pageview_time", "heap_pageview_id" ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS "heap__session_start_time",
      LAST_VALUE("heap_pageview_time") OVER (PARTITION BY "heap_user_id", "heap_pageview_session_index" ORDER BY "heap_pageview_time", "heap_pageview_id" ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS "heap__session_end_time",
      FIRST_VALUE("heap_pageview_id") OVER (PARTITION BY "heap_user_id", "heap_pageview_session_index" ORDER BY "heap_pageview_time", "heap_pageview_id" ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS "heap__session_first_pageview_id",
      LAST_VALUE("heap_pageview_id") OVER (PARTITION BY "heap_user_id", "heap_pageview_session_index" ORDER BY "heap_pageview_time", "heap_pageview_id" ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS "heap__session_last_pageview_id"
  FROM "pageviews_session_indexed"
)
SELECT "src_heap_pageviews_eph"."heap_pageview_id",
  "src_heap_pageviews_eph"."heap_user_id",
  "src_heap_pageviews_eph"."heap_session_id",
  "src_heap_pageviews_eph"."heap_pageview_time",
  "src_heap_pageviews_eph"."heap_pageview_domain",
  "src_heap_pageviews_eph"."heap_pageview_path",
  "src_heap_pageviews_eph"."heap_pageview_query",
  "src_heap_pageviews_eph"."heap_pageview_hash",
  "src_heap_pageviews_eph"."heap_pageview_title",
  "src_heap_pageviews_eph"."heap_pageview_previous_page",
    CASE WHEN "pageviews_sessionized"."heap_pageview_session_index" IS NULL THEN NULL ELSE CAST("src_heap_pageviews_eph"."heap_user_id" AS VARCHAR) || '_' || CAST("pageviews_sessionized"."heap_pageview_session_index" AS VARCHAR) END AS "heap_pageview_session_id",
  "pageviews_sessionized"."heap_pageview_session_index",
    CASE WHEN "src_heap_pageviews_eph"."heap_pageview_time" IS NULL THEN NULL ELSE "pageviews_sessionized"."heap__session_sequence_number" END AS "heap_pageview_session_sequence_number",
  "pageviews_sessionized"."heap__session_start_time" AS "heap_pageview_session_start_time",
  "pageviews_sessionized"."heap__session_end_time" AS "heap_pageview_session_end_time",
    CASE WHEN "src_heap_pageviews_eph"."heap_pageview_time" IS NULL THEN NULL ELSE "pageviews_sessionized"."heap__session_first_pageview_id" END AS "heap_pageview_session_first_pageview_id",
    CASE WHEN "src_heap_pageviews_eph"."heap_pageview_time" IS NULL THEN NULL ELSE "pageviews_sessionized"."heap__session_last_pageview_id" END AS "heap_pageview_session_last_pageview_id",
  DATEDIFF(SECOND, TIMESTAMP '1970-01-01 00:00:00', "pageviews_sessionized"."heap__session_start_time") AS "heap_pageview_session_start_epoch",
  DATEDIFF(SECOND, TIMESTAMP '1970-01-01 00:00:00', "pageviews_sessionized"."heap__session_end_time") AS "heap_pageview_session_end_epoch"
FROM "pageviews_sessionized"
  INNER JOIN "src_heap_pageviews_eph" ON "pageviews_sessionized"."heap__session_of" = "src_heap_pageviews_eph"."heap_pageview_id"
WHERE "src_heap_pageviews_eph"."heap_pageview_id" IS NOT NULL;

BEGIN;

CREATE TEMPORARY TABLE "heap__differing_rows" AS
SELECT "heap_pageview_id", "heap_user_id", "heap_session_id", "heap_pageview_time", "heap_pageview_domain", "heap_pageview_path", "heap_pageview_query", "heap_pageview_hash", "heap_pageview_title", "heap_pageview_previous_page", "heap_pageview_session_id", "heap_pageview_session_index", "heap_pageview_session_sequence_number", "heap_pageview_session_start_time", "heap_pageview_session_end_time", "heap_pageview_session_first_pageview_id", "heap_pageview_session_last_pageview_id", "heap_pageview_session_start_epoch", "heap_pageview_session_end_epoch" FROM "models; DROP"."stg_heap_pageview_sessions_inc_fct__changes"
EXCEPT
SELECT "heap_pageview_id", "heap_user_id", "heap_session_id", "heap_pageview_time", "heap_pageview_domain", "heap_pageview_path", "heap_pageview_query", "heap_pageview_hash", "heap_pageview_title", "heap_pageview_previous_page", "heap_pageview_session_id", "heap_pageview_session_index", "heap_pageview_session_sequence_number", "heap_pageview_session_start_time", "heap_pageview_session_end_time", "heap_pageview_session_first_pageview_id", "heap_pageview_session_last_pageview_id", "heap_pageview_session_start_epoch", "heap_pageview_session_end_epoch" FROM "models; DROP"."stg_heap_pageview_sessions_inc_fct" WHERE "heap_user_id" IN (SELECT "heap_user_id" FROM "models; DROP"."heap__active_users");

DELETE FROM "models; DROP"."stg_heap_pageview_sessions_inc_fct"
WHERE ("heap_user_id" IN (SELECT "heap_user_id" FROM "models; DROP"."heap__active_users")
AND "heap_pageview_id" NOT IN (SELECT "heap_pageview_id" FROM "models; DROP"."stg_heap_pageview_sessions_inc_fct__changes" WHERE "heap_pageview_id" IS NOT NULL))
OR "heap_pageview_id" IN (SELECT "heap_pageview_id" FROM "heap__differing_rows");

INSERT INTO "models; DROP"."stg_heap_pageview_sessions_inc_fct" ("heap_pageview_id", "heap_user_id", "heap_session_id", "heap_pageview_time", "heap_pageview_domain", "heap_pageview_path", "heap_pageview_query", "heap_pageview_hash", "heap_pageview_title", "heap_pageview_previous_page", "heap_pageview_session_id", "heap_pageview_session_index", "heap_pageview_session_sequence_number", "heap_pageview_session_start_time", "heap_pageview_session_end_time", "heap_pageview_session_first_pageview_id", "heap_pageview_session_last_pageview_id", "heap_pageview_session_start_epoch", "heap_pageview_session_end_epoch")
SELECT "heap_pageview_id", "heap_user_id", "heap_session_id", "heap_pageview_time", "heap_pageview_domain", "heap_pageview_path", "heap_pageview_query", "heap_pageview_hash", "heap_pageview_title", "heap_pageview_previous_page", "heap_pageview_session_id", "heap_pageview_session_index", "heap_pageview_session_sequence_number", "heap_pageview_session_start_time", "heap_pageview_session_end_time", "heap_pageview_session_first_pageview_id", "heap_pageview_session_last_pageview_id", "heap_pageview_session_start_epoch", "heap_pageview_session_end_epoch" FROM "heap__differing_rows";

DROP TABLE "heap__differing_rows";

COMMIT;

ANALYZE "models; DROP"."stg_heap_pageview_sessions_inc_fct";
