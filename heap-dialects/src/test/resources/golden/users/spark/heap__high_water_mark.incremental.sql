CREATE OR REPLACE TABLE `heap_models`.`heap__high_water_mark` USING DELTA AS
WITH `heap__fact_marks` AS (
  SELECT MAX(`heap_event_time`) AS `mark`
  FROM `heap_models`.`stg_heap_events_all_inc_fct`
  HAVING MAX(`heap_event_time`) IS NOT NULL OR EXISTS (SELECT 1 AS `one`
      FROM `main_production`.`all_events`)
  UNION ALL
  SELECT MAX(`heap_pageview_time`) AS `mark`
  FROM `heap_models`.`stg_heap_pageview_sessions_inc_fct`
  HAVING MAX(`heap_pageview_time`) IS NOT NULL OR EXISTS (SELECT 1 AS `one`
      FROM `main_production`.`pageviews`)
  UNION ALL
  SELECT MAX(`heap_session_start_time`) AS `mark`
  FROM `heap_models`.`stg_heap_sessions_inc_fct`
  HAVING MAX(`heap_session_start_time`) IS NOT NULL OR EXISTS (SELECT 1 AS `one`
      FROM `main_production`.`sessions`)
  UNION ALL
  SELECT MAX(`heap_user_last_session_time`) AS `mark`
  FROM `heap_models`.`stg_heap_users_inc_fct`
  HAVING MAX(`heap_user_last_session_time`) IS NOT NULL OR EXISTS (SELECT 1 AS `one`
      FROM `main_production`.`sessions`)
)
SELECT CASE WHEN COUNT(`mark`) < COUNT(*) THEN NULL ELSE MIN(`mark`) - INTERVAL '3' DAY END AS `since`
FROM `heap__fact_marks`;
