WITH `events_ranked` AS (
  SELECT `event_id` AS `heap_event_id`,
    `user_id` AS `heap_user_id`,
    `session_id` AS `heap_session_id`,
    `イベント名` AS `heap_event_name`,
    `time` AS `heap_event_time`,
    ROW_NUMBER() OVER (PARTITION BY `event_id` ORDER BY CASE WHEN `イベント名` IN ('café', 'café', 'Покупка', 'רכישה', 'شراء', '‮gnp.exe', '購入する', '购买🛒', '閲覧', '👩‍💻 sign-up 🇯🇵', '𠮷野家で購入') THEN 0 WHEN `イベント名` = 'pageviews' THEN 3 WHEN `イベント名` IS NULL THEN 4 ELSE 2 END NULLS LAST, `time` DESC, `user_id` NULLS LAST, `session_id` NULLS LAST, `イベント名` NULLS LAST) AS `heap__dedup_rank`
  FROM `heap_honban`.`all_events`
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
