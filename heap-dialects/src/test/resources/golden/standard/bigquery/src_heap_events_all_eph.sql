WITH `events_ranked` AS (
  SELECT `event_id` AS `heap_event_id`,
    `user_id` AS `heap_user_id`,
    `session_id` AS `heap_session_id`,
    `event_table_name` AS `heap_event_name`,
    `time` AS `heap_event_time`,
    ROW_NUMBER() OVER (PARTITION BY `event_id` ORDER BY CASE WHEN `event_table_name` IN ('add_to_cart', 'begin_checkout', 'purchase', 'sign_up', 'view_product') THEN 0 WHEN `event_table_name` = 'pageviews' THEN 3 WHEN `event_table_name` IS NULL THEN 4 ELSE 2 END NULLS LAST, `time` DESC, `user_id` NULLS LAST, `session_id` NULLS LAST, `event_table_name` NULLS LAST) AS `heap__dedup_rank`
  FROM `main_production`.`all_events`
  WHERE `event_id` IS NOT NULL AND `user_id` IS NOT NULL
)
SELECT `heap_event_id`,
  `heap_user_id`,
  `heap_session_id`,
  `heap_event_name`,
  `heap_event_time`,
  ROW_NUMBER() OVER (PARTITION BY `heap_user_id`, `heap_session_id` ORDER BY `heap_event_time` NULLS LAST, `heap_event_id` NULLS LAST) AS `heap_session_event_sequence`
FROM `events_ranked`
WHERE `heap__dedup_rank` = 1
