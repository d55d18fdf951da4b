DROP TABLE IF EXISTS "分析_モデル"."heap__high_water_mark";

CREATE TABLE "分析_モデル"."heap__high_water_mark" AS
WITH "heap__fact_marks" AS (
  SELECT MAX("heap_event_time") AS "mark"
  FROM "分析_モデル"."stg_heap_events_all_inc_fct"
  HAVING MAX("heap_event_time") IS NOT NULL OR EXISTS (SELECT 1 AS "one"
      FROM "ヒープ_本番"."all_events")
  UNION ALL
  SELECT MAX("heap_pageview_time") AS "mark"
  FROM "分析_モデル"."stg_heap_pageview_sessions_inc_fct"
  HAVING MAX("heap_pageview_time") IS NOT NULL OR EXISTS (SELECT 1 AS "one"
      FROM "ヒープ_本番"."ページビュー" AS "pageviews")
  UNION ALL
  SELECT MAX("heap_session_start_time") AS "mark"
  FROM "分析_モデル"."stg_heap_sessions_inc_fct"
  HAVING MAX("heap_session_start_time") IS NOT NULL OR EXISTS (SELECT 1 AS "one"
      FROM "ヒープ_本番"."сессии" AS "sessions")
)
SELECT CASE WHEN COUNT("mark") < COUNT(*) THEN NULL ELSE DATEADD(DAY, -3, MIN("mark")) END AS "since"
FROM "heap__fact_marks";
