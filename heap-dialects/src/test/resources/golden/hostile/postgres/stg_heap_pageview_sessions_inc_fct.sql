DROP TABLE IF EXISTS "models; DROP"."stg_heap_pageview_sessions_inc_fct__new";

CREATE TABLE "models; DROP"."stg_heap_pageview_sessions_inc_fct__new"
AS
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
      WHERE "event_id" IS NOT NULL AND "user_id" IS NOT NULL) AS "pageviews_ranked_input"
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
  WHERE "heap__dedup_rank" <= 1
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
  CAST(FLOOR(EXTRACT(EPOCH FROM "pageviews_sessionized"."heap__session_end_time")) AS BIGINT) AS "heap_pageview_session_end_epoch"
FROM "pageviews_sessionized"
  INNER JOIN "src_heap_pageviews_eph" ON "pageviews_sessionized"."heap__session_of" = "src_heap_pageviews_eph"."heap_pageview_id"
WHERE "src_heap_pageviews_eph"."heap_pageview_id" IS NOT NULL;

BEGIN;

DO $heap$
DECLARE
  old_columns text[];
  new_columns text[];
  dependent_views text;
  referencing text;
  gone text;
  retyped text;
  old_owner oid;
  granted record;
  commented record;
  options text[];
  row_security boolean;
  forced_security boolean;
  policy record;
  attachments text[];
  attached text;
  indexed text;
BEGIN
  -- a script run without ON_ERROR_STOP comes here after the statement building the new table
  -- failed: say so, where the swap would warn of every column as dropped and then fail on the rename
  IF to_regclass('"models; DROP"."stg_heap_pageview_sessions_inc_fct__new"') IS NULL THEN
    RAISE EXCEPTION 'table % was not built (its statement failed before this one): % is left as it was',
      '"models; DROP"."stg_heap_pageview_sessions_inc_fct__new"', '"models; DROP"."stg_heap_pageview_sessions_inc_fct"' USING ERRCODE = 'undefined_table';
  END IF;
  -- the columns of the table and of the one just built, in order, with their types
  SELECT array_agg(quote_ident(attname) || ' ' || format_type(atttypid, atttypmod) ORDER BY attnum) INTO old_columns
  FROM pg_attribute WHERE attrelid = to_regclass('"models; DROP"."stg_heap_pageview_sessions_inc_fct"') AND attnum > 0 AND NOT attisdropped;
  SELECT array_agg(quote_ident(attname) || ' ' || format_type(atttypid, atttypmod) ORDER BY attnum) INTO new_columns
  FROM pg_attribute WHERE attrelid = to_regclass('"models; DROP"."stg_heap_pageview_sessions_inc_fct__new"') AND attnum > 0 AND NOT attisdropped;
  IF old_columns = new_columns THEN
    -- the same columns: the rows are replaced in place, and the table keeps its grants, owner,
    -- comments, indexes and the views on it
    IF has_table_privilege('"models; DROP"."stg_heap_pageview_sessions_inc_fct"', 'TRUNCATE') THEN
      TRUNCATE "models; DROP"."stg_heap_pageview_sessions_inc_fct";
    ELSIF row_security_active('"models; DROP"."stg_heap_pageview_sessions_inc_fct"') THEN
      -- a DELETE would remove only the rows its policies show to the user of heap, and the copy
      -- would then repeat the others
      RAISE EXCEPTION 'table %: heap''s user may not TRUNCATE it, and row security applies to that user there, so deleting its rows could leave some behind: grant TRUNCATE on it to heap''s user, or make that user its owner',
        '"models; DROP"."stg_heap_pageview_sessions_inc_fct"' USING ERRCODE = 'insufficient_privilege';
    ELSIF EXISTS (SELECT 1 FROM pg_constraint WHERE confrelid = to_regclass('"models; DROP"."stg_heap_pageview_sessions_inc_fct"') AND contype = 'f')
        OR EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = to_regclass('"models; DROP"."stg_heap_pageview_sessions_inc_fct"') AND NOT tgisinternal AND (tgtype & 8) <> 0)
        OR EXISTS (SELECT 1 FROM pg_rewrite WHERE ev_class = to_regclass('"models; DROP"."stg_heap_pageview_sessions_inc_fct"') AND ev_type = '4') THEN
      -- what a DELETE sets off and a TRUNCATE does not: the foreign key of another table (its ON
      -- DELETE action would empty or change that table, where TRUNCATE refuses), a DELETE trigger
      -- or rule of the team
      RAISE EXCEPTION 'table %: heap''s user may not TRUNCATE it, and deleting its rows instead would set off another table''s foreign key, or a DELETE trigger or rule on it: grant TRUNCATE on it to heap''s user, or make that user its owner',
        '"models; DROP"."stg_heap_pageview_sessions_inc_fct"' USING ERRCODE = 'insufficient_privilege';
    ELSE
      -- a user granted SELECT, INSERT, UPDATE and DELETE on a fact it does not own (all an
      -- incremental run needs) but not TRUNCATE: the same rows go, in the same transaction,
      -- leaving dead rows for VACUUM
      DELETE FROM "models; DROP"."stg_heap_pageview_sessions_inc_fct";
      RAISE WARNING 'table %: heap''s user may not TRUNCATE it, so its rows were deleted instead, which is slower and leaves dead rows for VACUUM: grant TRUNCATE on it to heap''s user',
        '"models; DROP"."stg_heap_pageview_sessions_inc_fct"';
    END IF;
    INSERT INTO "models; DROP"."stg_heap_pageview_sessions_inc_fct" SELECT * FROM "models; DROP"."stg_heap_pageview_sessions_inc_fct__new";
    DROP TABLE "models; DROP"."stg_heap_pageview_sessions_inc_fct__new";
  ELSE
    -- no table yet, or other columns: the new table takes its place, with its grants, owner and
    -- comments; a view cannot follow a table to other columns, and none is ever dropped here.
    -- The columns whose type alone changes first: the refusals below name them (the check the
    -- runner makes before the run compares the names only)
    SELECT string_agg(format('%I %s -> %s', o.attname, format_type(o.atttypid, o.atttypmod), format_type(n.atttypid, n.atttypmod)), ', ' ORDER BY o.attnum) INTO retyped
    FROM pg_attribute AS o JOIN pg_attribute AS n ON n.attrelid = to_regclass('"models; DROP"."stg_heap_pageview_sessions_inc_fct__new"') AND n.attname = o.attname AND NOT n.attisdropped
    WHERE o.attrelid = to_regclass('"models; DROP"."stg_heap_pageview_sessions_inc_fct"') AND o.attnum > 0 AND NOT o.attisdropped
    AND (o.atttypid, o.atttypmod) <> (n.atttypid, n.atttypmod);
    SELECT string_agg(DISTINCT v.oid::regclass::text, ', ') INTO dependent_views
    FROM pg_depend AS d JOIN pg_rewrite AS r ON r.oid = d.objid JOIN pg_class AS v ON v.oid = r.ev_class
    WHERE d.classid = 'pg_rewrite'::regclass AND d.refobjid = to_regclass('"models; DROP"."stg_heap_pageview_sessions_inc_fct"') AND v.oid <> d.refobjid;
    IF dependent_views IS NOT NULL THEN
      RAISE EXCEPTION 'table % gets other columns%, and views depend on it: drop them, run again, then create them again (heap never drops a view): %',
        '"models; DROP"."stg_heap_pageview_sessions_inc_fct"', COALESCE(' (of another type: ' || retyped || ')', ''), dependent_views;
    END IF;
    -- nor can another table's foreign key or row security policy: DROP would refuse, and heap drops
    -- nothing it did not build
    SELECT string_agg(x, ', ') INTO referencing FROM (
      SELECT format('foreign key %I on %s', conname, conrelid::regclass) AS x
      FROM pg_constraint WHERE confrelid = to_regclass('"models; DROP"."stg_heap_pageview_sessions_inc_fct"') AND contype = 'f' AND conrelid <> confrelid
      UNION ALL
      SELECT format('policy %I on %s', p.polname, p.polrelid::regclass)
      FROM pg_depend AS d JOIN pg_policy AS p ON p.oid = d.objid
      WHERE d.classid = 'pg_policy'::regclass AND d.refobjid = to_regclass('"models; DROP"."stg_heap_pageview_sessions_inc_fct"') AND p.polrelid <> d.refobjid) AS blockers;
    IF referencing IS NOT NULL THEN
      RAISE EXCEPTION 'table % gets other columns%, and other tables'' foreign keys or policies reference it: drop them, run again, then create them again: %',
        '"models; DROP"."stg_heap_pageview_sessions_inc_fct"', COALESCE(' (of another type: ' || retyped || ')', ''), referencing;
    END IF;
    -- what does not follow, said as warnings (psql prints them, the runner logs them)
    SELECT string_agg(quote_ident(o.attname), ', ' ORDER BY o.attnum) INTO gone
    FROM pg_attribute AS o
    WHERE o.attrelid = to_regclass('"models; DROP"."stg_heap_pageview_sessions_inc_fct"') AND o.attnum > 0 AND NOT o.attisdropped
    AND NOT EXISTS (SELECT 1 FROM pg_attribute AS n WHERE n.attrelid = to_regclass('"models; DROP"."stg_heap_pageview_sessions_inc_fct__new"') AND n.attname = o.attname AND NOT n.attisdropped);
    IF gone IS NOT NULL THEN
      RAISE WARNING 'table %: columns no longer built, dropped with their values: %', '"models; DROP"."stg_heap_pageview_sessions_inc_fct"', gone;
    END IF;
    IF retyped IS NOT NULL THEN
      RAISE WARNING 'table %: columns of another type now: %', '"models; DROP"."stg_heap_pageview_sessions_inc_fct"', retyped;
    END IF;
    FOR granted IN
      SELECT a.privilege_type, a.is_grantable, CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END AS grantee
      FROM pg_class AS c, aclexplode(c.relacl) AS a
      WHERE c.oid = to_regclass('"models; DROP"."stg_heap_pageview_sessions_inc_fct"') AND a.grantee <> c.relowner
    LOOP
      EXECUTE format('GRANT %s ON TABLE %s TO %s', granted.privilege_type, '"models; DROP"."stg_heap_pageview_sessions_inc_fct__new"', granted.grantee)
        || CASE WHEN granted.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END;
    END LOOP;
    FOR commented IN
      SELECT a.attname, d.description
      FROM pg_description AS d LEFT JOIN pg_attribute AS a ON a.attrelid = d.objoid AND a.attnum = d.objsubid
      WHERE d.classoid = 'pg_class'::regclass AND d.objoid = to_regclass('"models; DROP"."stg_heap_pageview_sessions_inc_fct"')
    LOOP
      IF commented.attname IS NULL THEN
        EXECUTE format('COMMENT ON TABLE %s IS %L', '"models; DROP"."stg_heap_pageview_sessions_inc_fct__new"', commented.description);
      ELSIF EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('"models; DROP"."stg_heap_pageview_sessions_inc_fct__new"') AND attname = commented.attname AND NOT attisdropped) THEN
        EXECUTE format('COMMENT ON COLUMN %s.%I IS %L', '"models; DROP"."stg_heap_pageview_sessions_inc_fct__new"', commented.attname, commented.description);
      END IF;
    END LOOP;
    -- column grants, on the columns still built
    FOR granted IN
      SELECT a.attname, x.privilege_type, x.is_grantable, CASE WHEN x.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(x.grantee)) END AS grantee
      FROM pg_class AS c JOIN pg_attribute AS a ON a.attrelid = c.oid, aclexplode(a.attacl) AS x
      WHERE c.oid = to_regclass('"models; DROP"."stg_heap_pageview_sessions_inc_fct"') AND a.attnum > 0 AND NOT a.attisdropped AND x.grantee <> c.relowner
    LOOP
      IF EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('"models; DROP"."stg_heap_pageview_sessions_inc_fct__new"') AND attname = granted.attname AND NOT attisdropped) THEN
        EXECUTE format('GRANT %s (%I) ON TABLE %s TO %s', granted.privilege_type, granted.attname, '"models; DROP"."stg_heap_pageview_sessions_inc_fct__new"', granted.grantee)
          || CASE WHEN granted.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END;
      ELSE
        RAISE WARNING 'table %: the grant of % on column % to % is not carried over: the column is no longer built',
          '"models; DROP"."stg_heap_pageview_sessions_inc_fct"', granted.privilege_type, quote_ident(granted.attname), granted.grantee;
      END IF;
    END LOOP;
    -- storage parameters (fillfactor, autovacuum_*), and those of its TOAST table (toast.*)
    SELECT c.reloptions || ARRAY(SELECT 'toast.' || o FROM pg_class AS t, unnest(t.reloptions) AS o WHERE t.oid = c.reltoastrelid),
      c.relrowsecurity, c.relforcerowsecurity
    INTO options, row_security, forced_security
    FROM pg_class AS c WHERE c.oid = to_regclass('"models; DROP"."stg_heap_pageview_sessions_inc_fct"');
    IF options IS NOT NULL AND cardinality(options) > 0 THEN
      EXECUTE format('ALTER TABLE %s SET (%s)', '"models; DROP"."stg_heap_pageview_sessions_inc_fct__new"', array_to_string(options, ', '));
    END IF;
    IF EXISTS (SELECT 1 FROM pg_class WHERE oid = to_regclass('"models; DROP"."stg_heap_pageview_sessions_inc_fct"') AND reltablespace <> 0) THEN
      RAISE WARNING 'table %: the new table is in the database''s default tablespace, not in the old one''s', '"models; DROP"."stg_heap_pageview_sessions_inc_fct"';
    END IF;
    -- row security: the grants above came over, so the policies must too, or the swap stops (a
    -- table with its grants and without its policies would show every row to its readers)
    IF row_security THEN
      EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', '"models; DROP"."stg_heap_pageview_sessions_inc_fct__new"');
    END IF;
    IF forced_security THEN
      EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', '"models; DROP"."stg_heap_pageview_sessions_inc_fct__new"');
    END IF;
    FOR policy IN
      SELECT p.polname, p.polpermissive, p.polcmd, pg_get_expr(p.polqual, p.polrelid) AS qual, pg_get_expr(p.polwithcheck, p.polrelid) AS checked,
        (SELECT string_agg(CASE WHEN r = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(r)) END, ', ') FROM unnest(p.polroles) AS r) AS roles
      FROM pg_policy AS p WHERE p.polrelid = to_regclass('"models; DROP"."stg_heap_pageview_sessions_inc_fct"')
    LOOP
      BEGIN
        EXECUTE format('CREATE POLICY %I ON %s AS %s FOR %s TO %s', policy.polname, '"models; DROP"."stg_heap_pageview_sessions_inc_fct__new"',
            CASE WHEN policy.polpermissive THEN 'PERMISSIVE' ELSE 'RESTRICTIVE' END,
            CASE policy.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE' WHEN 'd' THEN 'DELETE' ELSE 'ALL' END,
            policy.roles)
          || CASE WHEN policy.qual IS NULL THEN '' ELSE ' USING (' || policy.qual || ')' END
          || CASE WHEN policy.checked IS NULL THEN '' ELSE ' WITH CHECK (' || policy.checked || ')' END;
      EXCEPTION WHEN lock_not_available THEN
        -- the runner bounds the swap with lock_timeout and tries it again: not a policy problem
        RAISE;
      WHEN OTHERS THEN
        RAISE EXCEPTION 'table % gets other columns, and its row security policy % cannot follow them (%): change or drop the policy, run again, then create it again',
          '"models; DROP"."stg_heap_pageview_sessions_inc_fct"', quote_ident(policy.polname), SQLERRM;
      END;
    END LOOP;
    -- a policy whose expression reads the table itself now reads the old one, which cannot be dropped
    SELECT string_agg(quote_ident(p.polname), ', ') INTO referencing
    FROM pg_depend AS d JOIN pg_policy AS p ON p.oid = d.objid
    WHERE d.classid = 'pg_policy'::regclass AND d.refobjid = to_regclass('"models; DROP"."stg_heap_pageview_sessions_inc_fct"') AND p.polrelid = to_regclass('"models; DROP"."stg_heap_pageview_sessions_inc_fct__new"');
    IF referencing IS NOT NULL THEN
      RAISE EXCEPTION 'table % gets other columns, and its row security policies % read the table itself: drop them, run again, then create them again',
        '"models; DROP"."stg_heap_pageview_sessions_inc_fct"', referencing;
    END IF;
    -- what is created again once the new table has the name: the team's indexes, constraints,
    -- NOT NULLs, statistics, triggers and publications (each on its own: one that cannot follow
    -- the new columns is a warning with its statement)
    SELECT coalesce(array_agg(pg_get_indexdef(i.indexrelid) ORDER BY i.indexrelid), '{}') INTO attachments
    FROM pg_index AS i WHERE i.indrelid = to_regclass('"models; DROP"."stg_heap_pageview_sessions_inc_fct"')
    AND NOT EXISTS (SELECT 1 FROM pg_constraint AS k WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid AND k.contype IN ('p', 'u', 'x'));
    attachments := attachments || ARRAY(
      SELECT format('ALTER TABLE %s ADD CONSTRAINT %I %s', '"models; DROP"."stg_heap_pageview_sessions_inc_fct"', conname, pg_get_constraintdef(oid))
      FROM pg_constraint WHERE conrelid = to_regclass('"models; DROP"."stg_heap_pageview_sessions_inc_fct"') AND contype IN ('p', 'u', 'c', 'x', 'f')
      ORDER BY contype <> 'p', oid);
    attachments := attachments || ARRAY(
      SELECT format('ALTER TABLE %s ALTER COLUMN %I SET NOT NULL', '"models; DROP"."stg_heap_pageview_sessions_inc_fct"', attname)
      FROM pg_attribute WHERE attrelid = to_regclass('"models; DROP"."stg_heap_pageview_sessions_inc_fct"') AND attnum > 0 AND NOT attisdropped AND attnotnull ORDER BY attnum);
    attachments := attachments || ARRAY(
      SELECT pg_get_statisticsobjdef(oid) FROM pg_statistic_ext WHERE stxrelid = to_regclass('"models; DROP"."stg_heap_pageview_sessions_inc_fct"') ORDER BY oid);
    attachments := attachments || ARRAY(
      SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgrelid = to_regclass('"models; DROP"."stg_heap_pageview_sessions_inc_fct"') AND NOT tgisinternal ORDER BY oid);
    attachments := attachments || ARRAY(
      SELECT format('ALTER TABLE %s ALTER COLUMN %I SET DEFAULT %s', '"models; DROP"."stg_heap_pageview_sessions_inc_fct"', a.attname, pg_get_expr(d.adbin, d.adrelid))
      FROM pg_attrdef AS d JOIN pg_attribute AS a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
      WHERE d.adrelid = to_regclass('"models; DROP"."stg_heap_pageview_sessions_inc_fct"') AND NOT a.attisdropped AND a.attgenerated = '' ORDER BY a.attnum);
    attachments := attachments || ARRAY(
      SELECT format('ALTER TABLE %s ALTER COLUMN %I SET STATISTICS %s', '"models; DROP"."stg_heap_pageview_sessions_inc_fct"', attname, attstattarget)
      FROM pg_attribute WHERE attrelid = to_regclass('"models; DROP"."stg_heap_pageview_sessions_inc_fct"') AND attnum > 0 AND NOT attisdropped AND attstattarget >= 0 ORDER BY attnum);
    attachments := attachments || ARRAY(
      SELECT format('ALTER TABLE %s CLUSTER ON %I', '"models; DROP"."stg_heap_pageview_sessions_inc_fct"', c.relname)
      FROM pg_index AS i JOIN pg_class AS c ON c.oid = i.indexrelid WHERE i.indrelid = to_regclass('"models; DROP"."stg_heap_pageview_sessions_inc_fct"') AND i.indisclustered);
    -- replica identity before the publications: a published table without one refuses DELETE and UPDATE
    attachments := attachments || ARRAY(
      SELECT format('ALTER TABLE %s REPLICA IDENTITY %s', '"models; DROP"."stg_heap_pageview_sessions_inc_fct"',
          CASE c.relreplident WHEN 'f' THEN 'FULL' WHEN 'n' THEN 'NOTHING'
            ELSE 'USING INDEX ' || quote_ident((SELECT x.relname FROM pg_index AS i JOIN pg_class AS x ON x.oid = i.indexrelid
                                               WHERE i.indrelid = c.oid AND i.indisreplident)) END)
      FROM pg_class AS c WHERE c.oid = to_regclass('"models; DROP"."stg_heap_pageview_sessions_inc_fct"') AND c.relreplident IN ('f', 'n', 'i'));
    attachments := attachments || ARRAY(
      SELECT format('ALTER PUBLICATION %I ADD TABLE %s', p.pubname, '"models; DROP"."stg_heap_pageview_sessions_inc_fct"')
        || CASE WHEN r.prattrs IS NULL THEN '' ELSE ' (' || (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum)
             FROM pg_attribute AS a WHERE a.attrelid = r.prrelid AND a.attnum = ANY (r.prattrs)) || ')' END
        || CASE WHEN r.prqual IS NULL THEN '' ELSE ' WHERE (' || pg_get_expr(r.prqual, r.prrelid) || ')' END
      FROM pg_publication_rel AS r JOIN pg_publication AS p ON p.oid = r.prpubid
      WHERE r.prrelid = to_regclass('"models; DROP"."stg_heap_pageview_sessions_inc_fct"') ORDER BY p.pubname);
    SELECT relowner INTO old_owner FROM pg_class WHERE oid = to_regclass('"models; DROP"."stg_heap_pageview_sessions_inc_fct"');
    IF old_owner IS NOT NULL AND pg_get_userbyid(old_owner) <> current_user THEN
      EXECUTE format('ALTER TABLE %s OWNER TO %I', '"models; DROP"."stg_heap_pageview_sessions_inc_fct__new"', pg_get_userbyid(old_owner));
    END IF;
    DROP TABLE IF EXISTS "models; DROP"."stg_heap_pageview_sessions_inc_fct";
    ALTER TABLE "models; DROP"."stg_heap_pageview_sessions_inc_fct__new" RENAME TO "stg_heap_pageview_sessions_inc_fct";
    FOREACH attached IN ARRAY attachments LOOP
      BEGIN
        EXECUTE attached;
      EXCEPTION WHEN lock_not_available THEN
        -- a lock another session holds (the lock_timeout the runner sets): the whole swap is tried again, not
        -- committed without this
        RAISE;
      WHEN OTHERS THEN
        RAISE WARNING 'table %: not carried over to the new columns (%): %', '"models; DROP"."stg_heap_pageview_sessions_inc_fct"', SQLERRM, attached;
      END;
    END LOOP;
  END IF;
  FOREACH indexed IN ARRAY ARRAY['heap_pageview_id', 'heap_user_id', 'heap_pageview_time']::text[] LOOP
    IF NOT EXISTS (
      SELECT 1 FROM pg_index AS i JOIN pg_attribute AS a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
      WHERE i.indrelid = to_regclass('"models; DROP"."stg_heap_pageview_sessions_inc_fct"') AND i.indnatts = 1 AND i.indexprs IS NULL
      AND i.indpred IS NULL AND a.attname = indexed
    ) THEN
      EXECUTE format('CREATE INDEX ON %s (%I)', '"models; DROP"."stg_heap_pageview_sessions_inc_fct"', indexed);
    END IF;
  END LOOP;
END
$heap$;

ANALYZE "models; DROP"."stg_heap_pageview_sessions_inc_fct";

COMMIT;
