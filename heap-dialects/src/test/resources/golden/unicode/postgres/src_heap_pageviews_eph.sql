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
    "キャンペーン",
    "эксперимент 🧪",
      ROW_NUMBER() OVER (PARTITION BY "event_id" ORDER BY "time" DESC NULLS LAST, "user_id", "session_id", "domain", "path", "query", "hash", "title", "previous_page", "キャンペーン", "эксперимент 🧪") AS "heap__dedup_rank"
  FROM "ヒープ_本番"."ページビュー" AS "pageviews"
  WHERE "event_id" IS NOT NULL AND "user_id" IS NOT NULL
)
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
WHERE "heap__dedup_rank" <= 1
