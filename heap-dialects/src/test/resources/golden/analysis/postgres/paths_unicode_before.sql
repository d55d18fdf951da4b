WITH "paths_unicode_before_items" AS (
  SELECT "heap_user_id",
    "heap_event_time" AS "item_time",
    "heap_event_id" AS "item_id",
    "heap_event_name" AS "item",
      LAG("heap_event_name") OVER (PARTITION BY "heap_user_id" ORDER BY "heap_event_time", "heap_event_id") AS "previous_item"
  FROM "分析_モデル"."stg_heap_events_all_inc_fct"
  WHERE "heap_event_time" IS NOT NULL AND "heap_user_id" IS NOT NULL AND "heap_event_name" IS NOT NULL
),
"paths_unicode_before_sequenced" AS (
  SELECT "heap_user_id",
    "item",
      ROW_NUMBER() OVER (PARTITION BY "heap_user_id" ORDER BY "item_time", "item_id") AS "item_seq"
  FROM "paths_unicode_before_items"
  WHERE "previous_item" IS NULL OR "item" <> "previous_item"
),
"paths_unicode_before_anchored" AS (
  SELECT "heap_user_id",
    "item",
    "item_seq",
      MIN(CASE WHEN "item" = '👩‍💻 sign-up 🇯🇵' THEN "item_seq" ELSE NULL END) OVER (PARTITION BY "heap_user_id") AS "anchor_seq"
  FROM "paths_unicode_before_sequenced"
),
"paths_unicode_before_per_unit" AS (
  SELECT "heap_user_id",
    MAX(CASE WHEN "item_seq" - "anchor_seq" = -3 THEN "item" ELSE NULL END) AS "step_1",
    MAX(CASE WHEN "item_seq" - "anchor_seq" = -2 THEN "item" ELSE NULL END) AS "step_2",
    MAX(CASE WHEN "item_seq" - "anchor_seq" = -1 THEN "item" ELSE NULL END) AS "step_3"
  FROM "paths_unicode_before_anchored"
  WHERE "anchor_seq" IS NOT NULL AND "item_seq" - "anchor_seq" >= -3 AND "item_seq" - "anchor_seq" <= 0
  GROUP BY "heap_user_id"
),
"paths_unicode_before_counts" AS (
  SELECT "step_1",
    "step_2",
    "step_3",
    COUNT(*) AS "count"
  FROM "paths_unicode_before_per_unit"
  GROUP BY "step_1",
    "step_2",
    "step_3"
),
"paths_unicode_before_ranked" AS (
  SELECT "step_1",
    "step_2",
    "step_3",
    "count",
      CAST("count" AS DOUBLE PRECISION) / CAST(SUM("count") OVER () AS DOUBLE PRECISION) AS "share",
      ROW_NUMBER() OVER (ORDER BY "count" DESC, "step_1", "step_2", "step_3") AS "path_rank"
  FROM "paths_unicode_before_counts"
)
SELECT "path_rank" AS "rank",
  "step_1",
  "step_2",
  "step_3",
  "count",
  "share"
FROM "paths_unicode_before_ranked"
WHERE "path_rank" <= 10
ORDER BY "path_rank"
