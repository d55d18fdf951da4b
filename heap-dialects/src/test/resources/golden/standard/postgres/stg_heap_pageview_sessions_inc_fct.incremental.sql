DROP TABLE IF EXISTS "heap_models"."stg_heap_pageview_sessions_inc_fct__changes";

CREATE TABLE "heap_models"."stg_heap_pageview_sessions_inc_fct__changes" AS
WITH "pageviews_ranked" AS (
  SELECT "event_id" AS "heap_pageview_id",
    "user_id" AS "heap_user_id",
    "session_id" AS "heap_session_id",
    "time" AS "heap_pageview_time",
    "domain" AS "heap_pageview_domain",
    "path" AS "heap_pageview_path",
    "query" AS "heap_pageview_query",
    "hash" AS "heap_pageview_hash",
    "title" AS "heap_pageview_title",
    "previous_page" AS "heap_pageview_previous_page",
    "gtm_campaign",
    "experiment_bucket",
      ROW_NUMBER() OVER (PARTITION BY "event_id" ORDER BY "time" DESC NULLS LAST, "user_id", "session_id", "domain", "path", "query", "hash", "title", "previous_page", "gtm_campaign", "experiment_bucket") AS "heap__dedup_rank"
  FROM "main_production"."pageviews"
  WHERE "event_id" IN (SELECT "event_id"
        FROM "main_production"."pageviews"
        WHERE "user_id" IN (SELECT *
              FROM "heap_models"."heap__active_users" AS "active_users")) AND "event_id" IS NOT NULL AND "user_id" IS NOT NULL
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
    "heap_pageview_previous_page",
    "gtm_campaign",
    "experiment_bucket"
  FROM "pageviews_ranked"
  WHERE "heap__dedup_rank" <= 1 AND "heap_user_id" IN (SELECT *
        FROM "heap_models"."heap__active_users" AS "active_users")
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
      CASE WHEN "heap_pageview_time" IS NULL THEN NULL ELSE COUNT(CASE WHEN "heap__previous_pageview_time" IS NULL OR "heap_pageview_time" > "heap__previous_pageview_time" + INTERVAL '30' MINUTE THEN 1 ELSE NULL END) OVER (PARTITION BY "heap_user_id" ORDER BY "heap_pageview_time", "heap_pageview_id" ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) END AS "heap_pageview_session_index"
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
  CAST(FLOOR(EXTRACT(EPOCH FROM "pageviews_sessionized"."heap__session_start_time")) AS BIGINT) AS "heap_pageview_session_start_epoch",
  CAST(FLOOR(EXTRACT(EPOCH FROM "pageviews_sessionized"."heap__session_end_time")) AS BIGINT) AS "heap_pageview_session_end_epoch",
  "src_heap_pageviews_eph"."gtm_campaign",
  "src_heap_pageviews_eph"."experiment_bucket"
FROM "pageviews_sessionized"
  INNER JOIN "src_heap_pageviews_eph" ON "pageviews_sessionized"."heap__session_of" = "src_heap_pageviews_eph"."heap_pageview_id"
WHERE "src_heap_pageviews_eph"."heap_pageview_id" IS NOT NULL;

CREATE INDEX ON "heap_models"."stg_heap_pageview_sessions_inc_fct__changes" ("heap_pageview_id");

CREATE INDEX ON "heap_models"."stg_heap_pageview_sessions_inc_fct__changes" ("heap_user_id");

CREATE INDEX ON "heap_models"."stg_heap_pageview_sessions_inc_fct__changes" ("heap_pageview_time");

ANALYZE "heap_models"."stg_heap_pageview_sessions_inc_fct__changes";

BEGIN;

DELETE FROM "heap_models"."stg_heap_pageview_sessions_inc_fct" AS "target"
USING "heap_models"."heap__active_users" AS "active"
WHERE "target"."heap_user_id" = "active"."heap_user_id"
AND NOT EXISTS (SELECT 1 FROM "heap_models"."stg_heap_pageview_sessions_inc_fct__changes" AS "changes" WHERE "changes"."heap_pageview_id" = "target"."heap_pageview_id");

MERGE INTO "heap_models"."stg_heap_pageview_sessions_inc_fct" AS "target"
USING "heap_models"."stg_heap_pageview_sessions_inc_fct__changes" AS "changes"
ON "target"."heap_pageview_id" = "changes"."heap_pageview_id"
WHEN MATCHED AND ("target"."heap_user_id" IS DISTINCT FROM "changes"."heap_user_id" OR "target"."heap_session_id" IS DISTINCT FROM "changes"."heap_session_id" OR "target"."heap_pageview_time" IS DISTINCT FROM "changes"."heap_pageview_time" OR "target"."heap_pageview_domain" IS DISTINCT FROM "changes"."heap_pageview_domain" OR "target"."heap_pageview_path" IS DISTINCT FROM "changes"."heap_pageview_path" OR "target"."heap_pageview_query" IS DISTINCT FROM "changes"."heap_pageview_query" OR "target"."heap_pageview_hash" IS DISTINCT FROM "changes"."heap_pageview_hash" OR "target"."heap_pageview_title" IS DISTINCT FROM "changes"."heap_pageview_title" OR "target"."heap_pageview_previous_page" IS DISTINCT FROM "changes"."heap_pageview_previous_page" OR "target"."heap_pageview_session_id" IS DISTINCT FROM "changes"."heap_pageview_session_id" OR "target"."heap_pageview_session_index" IS DISTINCT FROM "changes"."heap_pageview_session_index" OR "target"."heap_pageview_session_sequence_number" IS DISTINCT FROM "changes"."heap_pageview_session_sequence_number" OR "target"."heap_pageview_session_start_time" IS DISTINCT FROM "changes"."heap_pageview_session_start_time" OR "target"."heap_pageview_session_end_time" IS DISTINCT FROM "changes"."heap_pageview_session_end_time" OR "target"."heap_pageview_session_first_pageview_id" IS DISTINCT FROM "changes"."heap_pageview_session_first_pageview_id" OR "target"."heap_pageview_session_last_pageview_id" IS DISTINCT FROM "changes"."heap_pageview_session_last_pageview_id" OR "target"."heap_pageview_session_start_epoch" IS DISTINCT FROM "changes"."heap_pageview_session_start_epoch" OR "target"."heap_pageview_session_end_epoch" IS DISTINCT FROM "changes"."heap_pageview_session_end_epoch" OR "target"."gtm_campaign" IS DISTINCT FROM "changes"."gtm_campaign" OR "target"."experiment_bucket" IS DISTINCT FROM "changes"."experiment_bucket") THEN UPDATE SET "heap_user_id" = "changes"."heap_user_id", "heap_session_id" = "changes"."heap_session_id", "heap_pageview_time" = "changes"."heap_pageview_time", "heap_pageview_domain" = "changes"."heap_pageview_domain", "heap_pageview_path" = "changes"."heap_pageview_path", "heap_pageview_query" = "changes"."heap_pageview_query", "heap_pageview_hash" = "changes"."heap_pageview_hash", "heap_pageview_title" = "changes"."heap_pageview_title", "heap_pageview_previous_page" = "changes"."heap_pageview_previous_page", "heap_pageview_session_id" = "changes"."heap_pageview_session_id", "heap_pageview_session_index" = "changes"."heap_pageview_session_index", "heap_pageview_session_sequence_number" = "changes"."heap_pageview_session_sequence_number", "heap_pageview_session_start_time" = "changes"."heap_pageview_session_start_time", "heap_pageview_session_end_time" = "changes"."heap_pageview_session_end_time", "heap_pageview_session_first_pageview_id" = "changes"."heap_pageview_session_first_pageview_id", "heap_pageview_session_last_pageview_id" = "changes"."heap_pageview_session_last_pageview_id", "heap_pageview_session_start_epoch" = "changes"."heap_pageview_session_start_epoch", "heap_pageview_session_end_epoch" = "changes"."heap_pageview_session_end_epoch", "gtm_campaign" = "changes"."gtm_campaign", "experiment_bucket" = "changes"."experiment_bucket"
WHEN NOT MATCHED THEN INSERT ("heap_pageview_id", "heap_user_id", "heap_session_id", "heap_pageview_time", "heap_pageview_domain", "heap_pageview_path", "heap_pageview_query", "heap_pageview_hash", "heap_pageview_title", "heap_pageview_previous_page", "heap_pageview_session_id", "heap_pageview_session_index", "heap_pageview_session_sequence_number", "heap_pageview_session_start_time", "heap_pageview_session_end_time", "heap_pageview_session_first_pageview_id", "heap_pageview_session_last_pageview_id", "heap_pageview_session_start_epoch", "heap_pageview_session_end_epoch", "gtm_campaign", "experiment_bucket")
VALUES ("changes"."heap_pageview_id", "changes"."heap_user_id", "changes"."heap_session_id", "changes"."heap_pageview_time", "changes"."heap_pageview_domain", "changes"."heap_pageview_path", "changes"."heap_pageview_query", "changes"."heap_pageview_hash", "changes"."heap_pageview_title", "changes"."heap_pageview_previous_page", "changes"."heap_pageview_session_id", "changes"."heap_pageview_session_index", "changes"."heap_pageview_session_sequence_number", "changes"."heap_pageview_session_start_time", "changes"."heap_pageview_session_end_time", "changes"."heap_pageview_session_first_pageview_id", "changes"."heap_pageview_session_last_pageview_id", "changes"."heap_pageview_session_start_epoch", "changes"."heap_pageview_session_end_epoch", "changes"."gtm_campaign", "changes"."experiment_bucket");

COMMIT;

ANALYZE "heap_models"."stg_heap_pageview_sessions_inc_fct";
