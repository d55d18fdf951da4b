CREATE OR REPLACE TABLE `bunseki_models`.`stg_heap_events_all_inc_fct__changes` AS
WITH `events_ranked` AS (
  SELECT `event_id` AS `heap_event_id`,
    `user_id` AS `heap_user_id`,
    `session_id` AS `heap_session_id`,
    `イベント名` AS `heap_event_name`,
    `time` AS `heap_event_time`,
    ROW_NUMBER() OVER (PARTITION BY `event_id` ORDER BY CASE WHEN `イベント名` IN ('café', 'café', 'Покупка', 'רכישה', 'شراء', '‮gnp.exe', '購入する', '购买🛒', '閲覧', '👩‍💻 sign-up 🇯🇵', '𠮷野家で購入') THEN 0 WHEN `イベント名` = 'pageviews' THEN 3 WHEN `イベント名` IS NULL THEN 4 ELSE 2 END NULLS LAST, `time` DESC, `user_id` NULLS LAST, `session_id` NULLS LAST, `イベント名` NULLS LAST) AS `heap__dedup_rank`
  FROM `heap_honban`.`all_events`
  WHERE `event_id` IN (SELECT `event_id`
        FROM `heap_honban`.`all_events`
        WHERE `user_id` IN (SELECT *
              FROM `bunseki_models`.`heap__active_users` AS `active_users`)) AND `event_id` IS NOT NULL AND `user_id` IS NOT NULL
),
`src_heap_events_all_eph` AS (
  SELECT `heap_event_id`,
    `heap_user_id`,
    `heap_session_id`,
    `heap_event_name`,
    `heap_event_time`,
    ROW_NUMBER() OVER (PARTITION BY `heap_user_id`, `heap_session_id` ORDER BY `heap_event_time` NULLS LAST, `heap_event_id` NULLS LAST) AS `heap_session_event_sequence`
  FROM `events_ranked`
  WHERE `heap__dedup_rank` = 1 AND `heap_user_id` IN (SELECT *
        FROM `bunseki_models`.`heap__active_users` AS `active_users`)
)
SELECT `heap_event_id`,
  `heap_user_id`,
  `heap_session_id`,
  `heap_event_name`,
  `heap_event_time`,
  `heap_session_event_sequence`,
    CASE WHEN `heap_event_name` = '閲覧' THEN 1 WHEN `heap_event_name` = '购买🛒' THEN 2 WHEN `heap_event_name` = 'Покупка' THEN 3 WHEN `heap_event_name` = 'café' THEN 4 WHEN `heap_event_name` = 'café' THEN 5 WHEN `heap_event_name` = '𠮷野家で購入' THEN 6 ELSE 0 END AS `heap_event_funnel_position`,
    CASE WHEN `heap_event_name` IN ('רכישה', 'شراء', '‮gnp.exe', '購入する', '👩‍💻 sign-up 🇯🇵') THEN TRUE ELSE FALSE END AS `heap_event_is_conversion`
FROM `src_heap_events_all_eph`
WHERE `heap_event_id` IS NOT NULL;

BEGIN TRANSACTION;

DELETE FROM `bunseki_models`.`stg_heap_events_all_inc_fct`
WHERE `heap_user_id` IN (SELECT `heap_user_id` FROM `bunseki_models`.`heap__active_users`)
AND `heap_event_id` NOT IN (SELECT `heap_event_id` FROM `bunseki_models`.`stg_heap_events_all_inc_fct__changes` WHERE `heap_event_id` IS NOT NULL);

MERGE INTO `bunseki_models`.`stg_heap_events_all_inc_fct` AS `target`
USING `bunseki_models`.`stg_heap_events_all_inc_fct__changes` AS `changes`
ON `target`.`heap_event_id` = `changes`.`heap_event_id`
WHEN MATCHED AND (`target`.`heap_user_id` IS DISTINCT FROM `changes`.`heap_user_id` OR `target`.`heap_session_id` IS DISTINCT FROM `changes`.`heap_session_id` OR `target`.`heap_event_name` IS DISTINCT FROM `changes`.`heap_event_name` OR `target`.`heap_event_time` IS DISTINCT FROM `changes`.`heap_event_time` OR `target`.`heap_session_event_sequence` IS DISTINCT FROM `changes`.`heap_session_event_sequence` OR `target`.`heap_event_funnel_position` IS DISTINCT FROM `changes`.`heap_event_funnel_position` OR `target`.`heap_event_is_conversion` IS DISTINCT FROM `changes`.`heap_event_is_conversion`) THEN UPDATE SET `heap_user_id` = `changes`.`heap_user_id`, `heap_session_id` = `changes`.`heap_session_id`, `heap_event_name` = `changes`.`heap_event_name`, `heap_event_time` = `changes`.`heap_event_time`, `heap_session_event_sequence` = `changes`.`heap_session_event_sequence`, `heap_event_funnel_position` = `changes`.`heap_event_funnel_position`, `heap_event_is_conversion` = `changes`.`heap_event_is_conversion`
WHEN NOT MATCHED THEN INSERT (`heap_event_id`, `heap_user_id`, `heap_session_id`, `heap_event_name`, `heap_event_time`, `heap_session_event_sequence`, `heap_event_funnel_position`, `heap_event_is_conversion`)
VALUES (`changes`.`heap_event_id`, `changes`.`heap_user_id`, `changes`.`heap_session_id`, `changes`.`heap_event_name`, `changes`.`heap_event_time`, `changes`.`heap_session_event_sequence`, `changes`.`heap_event_funnel_position`, `changes`.`heap_event_is_conversion`);

COMMIT TRANSACTION;
