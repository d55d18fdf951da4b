WITH "paths_pages_after_home_items" AS (
  SELECT "heap_user_id",
    "heap_pageview_time" AS "item_time",
    "heap_pageview_id" AS "item_id",
    "heap_pageview_path" AS "item",
      LAG("heap_pageview_path") OVER (PARTITION BY "heap_user_id" ORDER BY "heap_pageview_time", "heap_pageview_id") AS "previous_item"
  FROM "heap_models"."stg_heap_pageview_sessions_inc_fct"
  WHERE "heap_pageview_time" IS NOT NULL AND "heap_user_id" IS NOT NULL AND "heap_pageview_path" IS NOT NULL
),
"paths_pages_after_home_sequenced" AS (
  SELECT "heap_user_id",
    "item",
      ROW_NUMBER() OVER (PARTITION BY "heap_user_id" ORDER BY "item_time", "item_id") AS "item_seq"
  FROM "paths_pages_after_home_items"
  WHERE "previous_item" IS NULL OR "item" <> "previous_item"
),
"paths_pages_after_home_anchored" AS (
  SELECT "heap_user_id",
    "item",
    "item_seq",
      MIN(CASE WHEN "item" = '/' THEN "item_seq" ELSE NULL END) OVER (PARTITION BY "heap_user_id") AS "anchor_seq"
  FROM "paths_pages_after_home_sequenced"
),
"paths_pages_after_home_per_unit" AS (
  SELECT "heap_user_id",
    MAX(CASE WHEN "item_seq" - "anchor_seq" = 1 THEN "item" ELSE NULL END) AS "step_1",
    MAX(CASE WHEN "item_seq" - "anchor_seq" = 2 THEN "item" ELSE NULL END) AS "step_2"
  FROM "paths_pages_after_home_anchored"
  WHERE "anchor_seq" IS NOT NULL AND "item_seq" - "anchor_seq" >= 0 AND "item_seq" - "anchor_seq" <= 2
  GROUP BY "heap_user_id"
),
"paths_pages_after_home_counts" AS (
  SELECT "step_1",
    "step_2",
    COUNT(*) AS "count"
  FROM "paths_pages_after_home_per_unit"
  GROUP BY "step_1",
    "step_2"
),
"paths_pages_after_home_ranked" AS (
  SELECT "step_1",
    "step_2",
    "count",
      CAST("count" AS DOUBLE) / CAST(SUM("count") OVER () AS DOUBLE) AS "share",
      ROW_NUMBER() OVER (ORDER BY "count" DESC NULLS FIRST, "step_1", "step_2") AS "path_rank"
  FROM "paths_pages_after_home_counts"
)
SELECT "path_rank" AS "rank",
  "step_1",
  "step_2",
  "count",
  "share"
FROM "paths_pages_after_home_ranked"
WHERE "path_rank" <= 10
ORDER BY "path_rank"
