WITH `events_ranked_keys` AS (
  SELECT `heap_event_id`
  FROM (SELECT `heap_event_id`,
        COUNT(*) AS `heap__rows`
      FROM (SELECT `event_id` AS `heap_event_id`
          FROM `main_production`.`all_events`
          WHERE `event_id` IS NOT NULL) AS `events_ranked_keys_input_2`
      WHERE `heap_event_id` IS NOT NULL
      GROUP BY `heap_event_id`
      HAVING `heap__rows` > 1) AS `events_ranked_keys_input`
),
`events_ranked` AS (
  SELECT `heap_event_id`,
    `heap_user_id`,
    `heap_session_id`,
    `heap_event_name`,
    `heap_event_time`,
    ROW_NUMBER() OVER (PARTITION BY `heap_event_id` ORDER BY `heap_event_time` DESC, `heap_user_id` NULLS LAST, `heap_session_id` NULLS LAST, `heap_event_name` NULLS LAST) AS `heap__dedup_rank`
  FROM (SELECT `event_id` AS `heap_event_id`,
        `user_id` AS `heap_user_id`,
        `session_id` AS `heap_session_id`,
        `event_table_name` AS `heap_event_name`,
        `time` AS `heap_event_time`
      FROM `main_production`.`all_events`
      WHERE `event_id` IS NOT NULL) AS `events_ranked_input`
  WHERE `heap_event_id` IS NULL OR `heap_event_id` IN (SELECT *
        FROM `events_ranked_keys`)
)
SELECT `heap_event_id`,
  `heap_user_id`,
  `heap_session_id`,
  `heap_event_name`,
  `heap_event_time`,
  ROW_NUMBER() OVER (PARTITION BY `heap_user_id`, `heap_session_id` ORDER BY `heap_event_time` NULLS LAST, `heap_event_id` NULLS LAST) AS `heap_session_event_sequence`
FROM (SELECT *
      FROM (SELECT `event_id` AS `heap_event_id`,
            `user_id` AS `heap_user_id`,
            `session_id` AS `heap_session_id`,
            `event_table_name` AS `heap_event_name`,
            `time` AS `heap_event_time`
          FROM `main_production`.`all_events`
          WHERE `event_id` IS NOT NULL) AS `src_heap_events_all_eph_input_2`
      WHERE `heap_event_id` IS NOT NULL AND `heap_event_id` NOT IN (SELECT *
            FROM `events_ranked_keys`)
      UNION ALL
      SELECT `heap_event_id`,
        `heap_user_id`,
        `heap_session_id`,
        `heap_event_name`,
        `heap_event_time`
      FROM `events_ranked`
      WHERE `heap__dedup_rank` = 1) AS `src_heap_events_all_eph_input`
