WITH "pageviews_ranked_keys" AS (
  SELECT "heap_pageview_id"
  FROM (SELECT "event_id" AS "heap_pageview_id"
      FROM "main_production"."pageviews"
      WHERE "event_id" IS NOT NULL) AS "pageviews_ranked_keys_input"
  WHERE "heap_pageview_id" IS NOT NULL
  GROUP BY "heap_pageview_id"
  HAVING COUNT(*) > 1
),
"pageviews_ranked" AS (
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
    "experiment_bucket",
      ROW_NUMBER() OVER (PARTITION BY "heap_pageview_id" ORDER BY "heap_pageview_time" DESC NULLS LAST, "heap_user_id", "heap_session_id", "heap_pageview_domain", "heap_pageview_path", "heap_pageview_query", "heap_pageview_hash", "heap_pageview_title", "heap_pageview_previous_page", "gtm_campaign", "experiment_bucket") AS "heap__dedup_rank"
  FROM (SELECT "event_id" AS "heap_pageview_id",
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
        "experiment_bucket"
      FROM "main_production"."pageviews"
      WHERE "event_id" IS NOT NULL) AS "pageviews_ranked_input"
  WHERE "heap_pageview_id" IS NULL OR "heap_pageview_id" IN (SELECT *
        FROM "pageviews_ranked_keys")
)
SELECT *
FROM (SELECT "event_id" AS "heap_pageview_id",
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
      "experiment_bucket"
    FROM "main_production"."pageviews"
    WHERE "event_id" IS NOT NULL) AS "src_heap_pageviews_eph_input"
WHERE "heap_pageview_id" IS NOT NULL AND "heap_pageview_id" NOT IN (SELECT *
      FROM "pageviews_ranked_keys")
UNION ALL
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
WHERE "heap__dedup_rank" = 1
