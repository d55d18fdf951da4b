CREATE OR REPLACE TABLE `models_DROP`.`heap__high_water_mark` AS
WITH `heap__fact_marks` AS (
  SELECT MAX(`heap_event_time`) AS `mark`
  FROM `models_DROP`.`stg_heap_events_all_inc_fct`
  HAVING `mark` IS NOT NULL OR EXISTS (SELECT 1 AS `one`
      FROM `Raw Data`.`heap_prod`.`all_events`)
  UNION ALL
  SELECT MAX(`heap_pageview_time`) AS `mark`
  FROM `models_DROP`.`stg_heap_pageview_sessions_inc_fct`
  HAVING `mark` IS NOT NULL OR EXISTS (SELECT 1 AS `one`
      FROM `Raw Data`.`heap_prod`.`PageViews v2` AS `pageviews`)
  UNION ALL
  SELECT MAX(`heap_session_start_time`) AS `mark`
  FROM `models_DROP`.`stg_heap_sessions_inc_fct`
  HAVING `mark` IS NOT NULL OR EXISTS (SELECT 1 AS `one`
      FROM `Raw Data`.`heap_prod`.`sessions`)
)
SELECT CASE WHEN COUNT(`mark`) < COUNT(*) THEN NULL ELSE TIMESTAMP_ADD(MIN(`mark`), INTERVAL -3 DAY) END AS `since`
FROM `heap__fact_marks`;
