CREATE OR REPLACE TABLE "分析_モデル"."stg_heap_pageview_sessions_inc_fct__changes" AS
WITH "pageviews_ranked" AS NOT MATERIALIZED (
  SELECT "pageviews_ranked_input"."event_id" AS "heap_pageview_id",
    "pageviews_ranked_input"."user_id" AS "heap_user_id",
    "pageviews_ranked_input"."session_id" AS "heap_session_id",
    "pageviews_ranked_input"."time" AS "heap_pageview_time",
    "pageviews_ranked_input"."domain" AS "heap_pageview_domain",
    "pageviews_ranked_input"."path" AS "heap_pageview_path",
    "pageviews_ranked_input"."query" AS "heap_pageview_query",
    "pageviews_ranked_input"."hash" AS "heap_pageview_hash",
    "pageviews_ranked_input"."title" AS "heap_pageview_title",
    "pageviews_ranked_input"."previous_page" AS "heap_pageview_previous_page",
    "pageviews_ranked_input"."キャンペーン",
    "pageviews_ranked_input"."эксперимент 🧪",
    1 AS "heap__dedup_rank"
  FROM (SELECT *
      FROM "ヒープ_本番"."ページビュー" AS "pageviews"
      WHERE "event_id" IN (SELECT "event_id"
            FROM "ヒープ_本番"."ページビュー" AS "pageviews"
            WHERE "user_id" IN (SELECT *
                  FROM "分析_モデル"."heap__active_users" AS "active_users")) AND "event_id" IS NOT NULL AND "user_id" IS NOT NULL) AS "pageviews_ranked_input"
    LEFT JOIN (SELECT "event_id",
        COUNT(*) AS "heap__rows"
      FROM "ヒープ_本番"."ページビュー" AS "pageviews"
      WHERE "event_id" IN (SELECT "event_id"
            FROM "ヒープ_本番"."ページビュー" AS "pageviews"
            WHERE "user_id" IN (SELECT *
                  FROM "分析_モデル"."heap__active_users" AS "active_users")) AND "event_id" IS NOT NULL AND "user_id" IS NOT NULL
      GROUP BY "event_id"
      HAVING COUNT(*) > 1) AS "pageviews_ranked_input_2" ON "pageviews_ranked_input"."event_id" = "pageviews_ranked_input_2"."event_id"
  WHERE "pageviews_ranked_input_2"."heap__rows" IS NULL
  UNION ALL
  SELECT "pageviews_ranked_input_3"."event_id" AS "heap_pageview_id",
    "pageviews_ranked_input_3"."user_id" AS "heap_user_id",
    "pageviews_ranked_input_3"."session_id" AS "heap_session_id",
    "pageviews_ranked_input_3"."time" AS "heap_pageview_time",
    "pageviews_ranked_input_3"."domain" AS "heap_pageview_domain",
    "pageviews_ranked_input_3"."path" AS "heap_pageview_path",
    "pageviews_ranked_input_3"."query" AS "heap_pageview_query",
    "pageviews_ranked_input_3"."hash" AS "heap_pageview_hash",
    "pageviews_ranked_input_3"."title" AS "heap_pageview_title",
    "pageviews_ranked_input_3"."previous_page" AS "heap_pageview_previous_page",
    "pageviews_ranked_input_3"."キャンペーン",
    "pageviews_ranked_input_3"."эксперимент 🧪",
      ROW_NUMBER() OVER (PARTITION BY "pageviews_ranked_input_3"."event_id" ORDER BY "pageviews_ranked_input_3"."time" DESC NULLS LAST, "pageviews_ranked_input_3"."user_id" NULLS LAST, "pageviews_ranked_input_3"."session_id" NULLS LAST, "pageviews_ranked_input_3"."domain" NULLS LAST, "pageviews_ranked_input_3"."path" NULLS LAST, "pageviews_ranked_input_3"."query" NULLS LAST, "pageviews_ranked_input_3"."hash" NULLS LAST, "pageviews_ranked_input_3"."title" NULLS LAST, "pageviews_ranked_input_3"."previous_page" NULLS LAST, "pageviews_ranked_input_3"."キャンペーン" NULLS LAST, "pageviews_ranked_input_3"."эксперимент 🧪" NULLS LAST) AS "heap__dedup_rank"
  FROM (SELECT *
      FROM "ヒープ_本番"."ページビュー" AS "pageviews"
      WHERE "event_id" IN (SELECT "event_id"
            FROM "ヒープ_本番"."ページビュー" AS "pageviews"
            WHERE "user_id" IN (SELECT *
                  FROM "分析_モデル"."heap__active_users" AS "active_users")) AND "event_id" IS NOT NULL AND "user_id" IS NOT NULL) AS "pageviews_ranked_input_3"
    INNER JOIN (SELECT "event_id",
        COUNT(*) AS "heap__rows"
      FROM "ヒープ_本番"."ページビュー" AS "pageviews"
      WHERE "event_id" IN (SELECT "event_id"
            FROM "ヒープ_本番"."ページビュー" AS "pageviews"
            WHERE "user_id" IN (SELECT *
                  FROM "分析_モデル"."heap__active_users" AS "active_users")) AND "event_id" IS NOT NULL AND "user_id" IS NOT NULL
      GROUP BY "event_id"
      HAVING COUNT(*) > 1) AS "pageviews_ranked_input_4" ON "pageviews_ranked_input_3"."event_id" = "pageviews_ranked_input_4"."event_id"
),
"src_heap_pageviews_eph" AS NOT MATERIALIZED (
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
    "キャンペーン",
    "эксперимент 🧪"
  FROM "pageviews_ranked"
  WHERE "heap__dedup_rank" = 1 AND "heap_user_id" IN (SELECT *
        FROM "分析_モデル"."heap__active_users" AS "active_users")
),
"pageviews_with_previous" AS (
  SELECT "heap_pageview_id",
    "heap_user_id",
    "heap_pageview_time",
      LAG("heap_pageview_time") OVER (PARTITION BY "heap_user_id" ORDER BY "heap_pageview_time" NULLS LAST, "heap_pageview_id" NULLS LAST) AS "heap__previous_pageview_time"
  FROM "src_heap_pageviews_eph"
),
"pageviews_session_indexed" AS (
  SELECT "heap_pageview_id",
    "heap_user_id",
    "heap_pageview_time",
      CASE WHEN "heap_pageview_time" IS NULL THEN NULL ELSE COUNT(CASE WHEN "heap__previous_pageview_time" IS NULL OR "heap_pageview_time" > "heap__previous_pageview_time" + INTERVAL '30' MINUTE THEN 1 ELSE NULL END) OVER (PARTITION BY "heap_user_id" ORDER BY "heap_pageview_time" NULLS LAST, "heap_pageview_id" NULLS LAST ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) END AS "heap_pageview_session_index"
  FROM "pageviews_with_previous"
),
"pageviews_sessionized" AS (
  SELECT "heap_pageview_id" AS "heap__session_of",
    "heap_pageview_session_index",
      ROW_NUMBER() OVER (PARTITION BY "heap_user_id", "heap_pageview_session_index" ORDER BY "heap_pageview_time" NULLS LAST, "heap_pageview_id" NULLS LAST) AS "heap__session_sequence_number",
      FIRST_VALUE("heap_pageview_time") OVER (PARTITION BY "heap_user_id", "heap_pageview_session_index" ORDER BY "heap_pageview_time" NULLS LAST, "heap_pageview_id" NULLS LAST ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS "heap__session_start_time",
      LAST_VALUE("heap_pageview_time") OVER (PARTITION BY "heap_user_id", "heap_pageview_session_index" ORDER BY "heap_pageview_time" NULLS LAST, "heap_pageview_id" NULLS LAST ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS "heap__session_end_time",
      FIRST_VALUE("heap_pageview_id") OVER (PARTITION BY "heap_user_id", "heap_pageview_session_index" ORDER BY "heap_pageview_time" NULLS LAST, "heap_pageview_id" NULLS LAST ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS "heap__session_first_pageview_id",
      LAST_VALUE("heap_pageview_id") OVER (PARTITION BY "heap_user_id", "heap_pageview_session_index" ORDER BY "heap_pageview_time" NULLS LAST, "heap_pageview_id" NULLS LAST ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS "heap__session_last_pageview_id"
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
  "src_heap_pageviews_eph"."キャンペーン",
  "src_heap_pageviews_eph"."эксперимент 🧪"
FROM "pageviews_sessionized"
  INNER JOIN "src_heap_pageviews_eph" ON "pageviews_sessionized"."heap__session_of" = "src_heap_pageviews_eph"."heap_pageview_id"
WHERE "src_heap_pageviews_eph"."heap_pageview_id" IS NOT NULL;

BEGIN;

CREATE OR REPLACE TEMPORARY TABLE "heap__differing_rows" AS
SELECT "heap_pageview_id", "heap_user_id", "heap_session_id", "heap_pageview_time", "heap_pageview_domain", "heap_pageview_path", "heap_pageview_query", "heap_pageview_hash", "heap_pageview_title", "heap_pageview_previous_page", "heap_pageview_session_id", "heap_pageview_session_index", "heap_pageview_session_sequence_number", "heap_pageview_session_start_time", "heap_pageview_session_end_time", "heap_pageview_session_first_pageview_id", "heap_pageview_session_last_pageview_id", "heap_pageview_session_start_epoch", "heap_pageview_session_end_epoch", "キャンペーン", "эксперимент 🧪" FROM "分析_モデル"."stg_heap_pageview_sessions_inc_fct__changes"
EXCEPT
SELECT "heap_pageview_id", "heap_user_id", "heap_session_id", "heap_pageview_time", "heap_pageview_domain", "heap_pageview_path", "heap_pageview_query", "heap_pageview_hash", "heap_pageview_title", "heap_pageview_previous_page", "heap_pageview_session_id", "heap_pageview_session_index", "heap_pageview_session_sequence_number", "heap_pageview_session_start_time", "heap_pageview_session_end_time", "heap_pageview_session_first_pageview_id", "heap_pageview_session_last_pageview_id", "heap_pageview_session_start_epoch", "heap_pageview_session_end_epoch", "キャンペーン", "эксперимент 🧪" FROM "分析_モデル"."stg_heap_pageview_sessions_inc_fct" WHERE "heap_user_id" IN (SELECT "heap_user_id" FROM "分析_モデル"."heap__active_users");

DELETE FROM "分析_モデル"."stg_heap_pageview_sessions_inc_fct"
WHERE ("heap_user_id" IN (SELECT "heap_user_id" FROM "分析_モデル"."heap__active_users")
AND "heap_pageview_id" NOT IN (SELECT "heap_pageview_id" FROM "分析_モデル"."stg_heap_pageview_sessions_inc_fct__changes" WHERE "heap_pageview_id" IS NOT NULL))
OR "heap_pageview_id" IN (SELECT "heap_pageview_id" FROM "heap__differing_rows");

INSERT INTO "分析_モデル"."stg_heap_pageview_sessions_inc_fct" ("heap_pageview_id", "heap_user_id", "heap_session_id", "heap_pageview_time", "heap_pageview_domain", "heap_pageview_path", "heap_pageview_query", "heap_pageview_hash", "heap_pageview_title", "heap_pageview_previous_page", "heap_pageview_session_id", "heap_pageview_session_index", "heap_pageview_session_sequence_number", "heap_pageview_session_start_time", "heap_pageview_session_end_time", "heap_pageview_session_first_pageview_id", "heap_pageview_session_last_pageview_id", "heap_pageview_session_start_epoch", "heap_pageview_session_end_epoch", "キャンペーン", "эксперимент 🧪")
SELECT "heap_pageview_id", "heap_user_id", "heap_session_id", "heap_pageview_time", "heap_pageview_domain", "heap_pageview_path", "heap_pageview_query", "heap_pageview_hash", "heap_pageview_title", "heap_pageview_previous_page", "heap_pageview_session_id", "heap_pageview_session_index", "heap_pageview_session_sequence_number", "heap_pageview_session_start_time", "heap_pageview_session_end_time", "heap_pageview_session_first_pageview_id", "heap_pageview_session_last_pageview_id", "heap_pageview_session_start_epoch", "heap_pageview_session_end_epoch", "キャンペーン", "эксперимент 🧪" FROM "heap__differing_rows";

DROP TABLE "heap__differing_rows";

COMMIT;
