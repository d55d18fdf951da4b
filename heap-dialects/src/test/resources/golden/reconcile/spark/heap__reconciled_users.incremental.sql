CREATE OR REPLACE TABLE `heap_models`.`heap__reconciled_users` USING DELTA AS
SELECT DISTINCT `heap_user_id`
FROM (
SELECT `user_id` AS `heap_user_id`
FROM (
  SELECT `user_id`, `source`, `row_count`, `hash_sum`, 1 AS `side` FROM `heap_models`.`heap__current_prints`
  UNION ALL
  SELECT `user_id`, `source`, `row_count`, `hash_sum`, -1 AS `side` FROM `heap_models`.`heap__source_prints`
) AS `prints`
GROUP BY `user_id`, `source`, `row_count`, `hash_sum`
HAVING SUM(`side`) <> 0
UNION ALL
SELECT `heap_user_id` AS `heap_user_id`
FROM `heap_models`.`stg_heap_events_all_inc_fct`
WHERE `heap_user_id` IS NOT NULL AND `heap_user_id` NOT IN (SELECT `user_id` FROM `heap_models`.`heap__current_prints` WHERE `user_id` IS NOT NULL)
UNION ALL
SELECT `heap_user_id` AS `heap_user_id`
FROM `heap_models`.`stg_heap_pageview_sessions_inc_fct`
WHERE `heap_user_id` IS NOT NULL AND `heap_user_id` NOT IN (SELECT `user_id` FROM `heap_models`.`heap__current_prints` WHERE `user_id` IS NOT NULL)
UNION ALL
SELECT `heap_user_id` AS `heap_user_id`
FROM `heap_models`.`stg_heap_sessions_inc_fct`
WHERE `heap_user_id` IS NOT NULL AND `heap_user_id` NOT IN (SELECT `user_id` FROM `heap_models`.`heap__current_prints` WHERE `user_id` IS NOT NULL)
) AS `reconciled`;
