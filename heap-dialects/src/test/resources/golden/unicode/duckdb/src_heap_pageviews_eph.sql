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
      WHERE "event_id" IS NOT NULL AND "user_id" IS NOT NULL) AS "pageviews_ranked_input"
    LEFT JOIN (SELECT "event_id",
        COUNT(*) AS "heap__rows"
      FROM "ヒープ_本番"."ページビュー" AS "pageviews"
      WHERE "event_id" IS NOT NULL AND "user_id" IS NOT NULL
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
      WHERE "event_id" IS NOT NULL AND "user_id" IS NOT NULL) AS "pageviews_ranked_input_3"
    INNER JOIN (SELECT "event_id",
        COUNT(*) AS "heap__rows"
      FROM "ヒープ_本番"."ページビュー" AS "pageviews"
      WHERE "event_id" IS NOT NULL AND "user_id" IS NOT NULL
      GROUP BY "event_id"
      HAVING COUNT(*) > 1) AS "pageviews_ranked_input_4" ON "pageviews_ranked_input_3"."event_id" = "pageviews_ranked_input_4"."event_id"
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
WHERE "heap__dedup_rank" = 1
