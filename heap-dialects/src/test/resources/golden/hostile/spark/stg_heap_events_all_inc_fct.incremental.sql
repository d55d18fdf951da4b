CREATE OR REPLACE TABLE `models; DROP`.`stg_heap_events_all_inc_fct__identity_chain_1` USING DELTA AS
WITH `identity_merges_ranked` AS (
  SELECT `from_user_id` AS `heap_from_user_id`,
    `to_user_id` AS `heap_to_user_id`,
    `time` AS `heap_migration_time`,
      ROW_NUMBER() OVER (PARTITION BY `from_user_id` ORDER BY `time` DESC, `to_user_id` NULLS LAST) AS `heap__dedup_rank`
  FROM `Raw Data`.`heap-prod`.`user_migrations`
  WHERE `from_user_id` IS NOT NULL AND `to_user_id` IS NOT NULL
)
SELECT `heap_from_user_id`,
  `heap_to_user_id`,
  `heap_migration_time` AS `heap__latest_merge_time`,
  `heap_from_user_id` AS `heap__latest_merge_from`,
  `heap_to_user_id` AS `heap__latest_merge_to`
FROM `identity_merges_ranked`
WHERE `heap__dedup_rank` = 1;

CREATE OR REPLACE TABLE `models; DROP`.`stg_heap_events_all_inc_fct__identity_chain_2` USING DELTA AS
SELECT `identity_chain_1`.`heap_from_user_id`,
  COALESCE(`identity_chain_10`.`heap_to_user_id`, `identity_chain_1`.`heap_to_user_id`) AS `heap_to_user_id`,
    CASE WHEN `identity_chain_10`.`heap__latest_merge_time` > `identity_chain_1`.`heap__latest_merge_time` OR `identity_chain_10`.`heap__latest_merge_time` = `identity_chain_1`.`heap__latest_merge_time` AND `identity_chain_10`.`heap__latest_merge_from` > `identity_chain_1`.`heap__latest_merge_from` OR `identity_chain_1`.`heap__latest_merge_time` IS NULL AND (`identity_chain_10`.`heap__latest_merge_time` IS NOT NULL OR `identity_chain_10`.`heap__latest_merge_from` > `identity_chain_1`.`heap__latest_merge_from`) THEN `identity_chain_10`.`heap__latest_merge_time` ELSE `identity_chain_1`.`heap__latest_merge_time` END AS `heap__latest_merge_time`,
    CASE WHEN `identity_chain_10`.`heap__latest_merge_time` > `identity_chain_1`.`heap__latest_merge_time` OR `identity_chain_10`.`heap__latest_merge_time` = `identity_chain_1`.`heap__latest_merge_time` AND `identity_chain_10`.`heap__latest_merge_from` > `identity_chain_1`.`heap__latest_merge_from` OR `identity_chain_1`.`heap__latest_merge_time` IS NULL AND (`identity_chain_10`.`heap__latest_merge_time` IS NOT NULL OR `identity_chain_10`.`heap__latest_merge_from` > `identity_chain_1`.`heap__latest_merge_from`) THEN `identity_chain_10`.`heap__latest_merge_from` ELSE `identity_chain_1`.`heap__latest_merge_from` END AS `heap__latest_merge_from`,
    CASE WHEN `identity_chain_10`.`heap__latest_merge_time` > `identity_chain_1`.`heap__latest_merge_time` OR `identity_chain_10`.`heap__latest_merge_time` = `identity_chain_1`.`heap__latest_merge_time` AND `identity_chain_10`.`heap__latest_merge_from` > `identity_chain_1`.`heap__latest_merge_from` OR `identity_chain_1`.`heap__latest_merge_time` IS NULL AND (`identity_chain_10`.`heap__latest_merge_time` IS NOT NULL OR `identity_chain_10`.`heap__latest_merge_from` > `identity_chain_1`.`heap__latest_merge_from`) THEN `identity_chain_10`.`heap__latest_merge_to` ELSE `identity_chain_1`.`heap__latest_merge_to` END AS `heap__latest_merge_to`
FROM `models; DROP`.`stg_heap_events_all_inc_fct__identity_chain_1` AS `identity_chain_1`
  LEFT JOIN `models; DROP`.`stg_heap_events_all_inc_fct__identity_chain_1` AS `identity_chain_10` ON `identity_chain_1`.`heap_to_user_id` = `identity_chain_10`.`heap_from_user_id`;

CREATE OR REPLACE TABLE `models; DROP`.`stg_heap_events_all_inc_fct__identity_chain_3` USING DELTA AS
SELECT `identity_chain_2`.`heap_from_user_id`,
  COALESCE(`identity_chain_20`.`heap_to_user_id`, `identity_chain_2`.`heap_to_user_id`) AS `heap_to_user_id`,
    CASE WHEN `identity_chain_20`.`heap__latest_merge_time` > `identity_chain_2`.`heap__latest_merge_time` OR `identity_chain_20`.`heap__latest_merge_time` = `identity_chain_2`.`heap__latest_merge_time` AND `identity_chain_20`.`heap__latest_merge_from` > `identity_chain_2`.`heap__latest_merge_from` OR `identity_chain_2`.`heap__latest_merge_time` IS NULL AND (`identity_chain_20`.`heap__latest_merge_time` IS NOT NULL OR `identity_chain_20`.`heap__latest_merge_from` > `identity_chain_2`.`heap__latest_merge_from`) THEN `identity_chain_20`.`heap__latest_merge_time` ELSE `identity_chain_2`.`heap__latest_merge_time` END AS `heap__latest_merge_time`,
    CASE WHEN `identity_chain_20`.`heap__latest_merge_time` > `identity_chain_2`.`heap__latest_merge_time` OR `identity_chain_20`.`heap__latest_merge_time` = `identity_chain_2`.`heap__latest_merge_time` AND `identity_chain_20`.`heap__latest_merge_from` > `identity_chain_2`.`heap__latest_merge_from` OR `identity_chain_2`.`heap__latest_merge_time` IS NULL AND (`identity_chain_20`.`heap__latest_merge_time` IS NOT NULL OR `identity_chain_20`.`heap__latest_merge_from` > `identity_chain_2`.`heap__latest_merge_from`) THEN `identity_chain_20`.`heap__latest_merge_from` ELSE `identity_chain_2`.`heap__latest_merge_from` END AS `heap__latest_merge_from`,
    CASE WHEN `identity_chain_20`.`heap__latest_merge_time` > `identity_chain_2`.`heap__latest_merge_time` OR `identity_chain_20`.`heap__latest_merge_time` = `identity_chain_2`.`heap__latest_merge_time` AND `identity_chain_20`.`heap__latest_merge_from` > `identity_chain_2`.`heap__latest_merge_from` OR `identity_chain_2`.`heap__latest_merge_time` IS NULL AND (`identity_chain_20`.`heap__latest_merge_time` IS NOT NULL OR `identity_chain_20`.`heap__latest_merge_from` > `identity_chain_2`.`heap__latest_merge_from`) THEN `identity_chain_20`.`heap__latest_merge_to` ELSE `identity_chain_2`.`heap__latest_merge_to` END AS `heap__latest_merge_to`
FROM `models; DROP`.`stg_heap_events_all_inc_fct__identity_chain_2` AS `identity_chain_2`
  LEFT JOIN `models; DROP`.`stg_heap_events_all_inc_fct__identity_chain_2` AS `identity_chain_20` ON `identity_chain_2`.`heap_to_user_id` = `identity_chain_20`.`heap_from_user_id`;

CREATE OR REPLACE TABLE `models; DROP`.`stg_heap_events_all_inc_fct__identity_chain_4` USING DELTA AS
SELECT `identity_chain_3`.`heap_from_user_id`,
  COALESCE(`identity_chain_30`.`heap_to_user_id`, `identity_chain_3`.`heap_to_user_id`) AS `heap_to_user_id`,
    CASE WHEN `identity_chain_30`.`heap__latest_merge_time` > `identity_chain_3`.`heap__latest_merge_time` OR `identity_chain_30`.`heap__latest_merge_time` = `identity_chain_3`.`heap__latest_merge_time` AND `identity_chain_30`.`heap__latest_merge_from` > `identity_chain_3`.`heap__latest_merge_from` OR `identity_chain_3`.`heap__latest_merge_time` IS NULL AND (`identity_chain_30`.`heap__latest_merge_time` IS NOT NULL OR `identity_chain_30`.`heap__latest_merge_from` > `identity_chain_3`.`heap__latest_merge_from`) THEN `identity_chain_30`.`heap__latest_merge_time` ELSE `identity_chain_3`.`heap__latest_merge_time` END AS `heap__latest_merge_time`,
    CASE WHEN `identity_chain_30`.`heap__latest_merge_time` > `identity_chain_3`.`heap__latest_merge_time` OR `identity_chain_30`.`heap__latest_merge_time` = `identity_chain_3`.`heap__latest_merge_time` AND `identity_chain_30`.`heap__latest_merge_from` > `identity_chain_3`.`heap__latest_merge_from` OR `identity_chain_3`.`heap__latest_merge_time` IS NULL AND (`identity_chain_30`.`heap__latest_merge_time` IS NOT NULL OR `identity_chain_30`.`heap__latest_merge_from` > `identity_chain_3`.`heap__latest_merge_from`) THEN `identity_chain_30`.`heap__latest_merge_from` ELSE `identity_chain_3`.`heap__latest_merge_from` END AS `heap__latest_merge_from`,
    CASE WHEN `identity_chain_30`.`heap__latest_merge_time` > `identity_chain_3`.`heap__latest_merge_time` OR `identity_chain_30`.`heap__latest_merge_time` = `identity_chain_3`.`heap__latest_merge_time` AND `identity_chain_30`.`heap__latest_merge_from` > `identity_chain_3`.`heap__latest_merge_from` OR `identity_chain_3`.`heap__latest_merge_time` IS NULL AND (`identity_chain_30`.`heap__latest_merge_time` IS NOT NULL OR `identity_chain_30`.`heap__latest_merge_from` > `identity_chain_3`.`heap__latest_merge_from`) THEN `identity_chain_30`.`heap__latest_merge_to` ELSE `identity_chain_3`.`heap__latest_merge_to` END AS `heap__latest_merge_to`
FROM `models; DROP`.`stg_heap_events_all_inc_fct__identity_chain_3` AS `identity_chain_3`
  LEFT JOIN `models; DROP`.`stg_heap_events_all_inc_fct__identity_chain_3` AS `identity_chain_30` ON `identity_chain_3`.`heap_to_user_id` = `identity_chain_30`.`heap_from_user_id`;

CREATE OR REPLACE TABLE `models; DROP`.`stg_heap_events_all_inc_fct__identity_chain_5` USING DELTA AS
SELECT `identity_chain_4`.`heap_from_user_id`,
  COALESCE(`identity_chain_40`.`heap_to_user_id`, `identity_chain_4`.`heap_to_user_id`) AS `heap_to_user_id`,
    CASE WHEN `identity_chain_40`.`heap__latest_merge_time` > `identity_chain_4`.`heap__latest_merge_time` OR `identity_chain_40`.`heap__latest_merge_time` = `identity_chain_4`.`heap__latest_merge_time` AND `identity_chain_40`.`heap__latest_merge_from` > `identity_chain_4`.`heap__latest_merge_from` OR `identity_chain_4`.`heap__latest_merge_time` IS NULL AND (`identity_chain_40`.`heap__latest_merge_time` IS NOT NULL OR `identity_chain_40`.`heap__latest_merge_from` > `identity_chain_4`.`heap__latest_merge_from`) THEN `identity_chain_40`.`heap__latest_merge_time` ELSE `identity_chain_4`.`heap__latest_merge_time` END AS `heap__latest_merge_time`,
    CASE WHEN `identity_chain_40`.`heap__latest_merge_time` > `identity_chain_4`.`heap__latest_merge_time` OR `identity_chain_40`.`heap__latest_merge_time` = `identity_chain_4`.`heap__latest_merge_time` AND `identity_chain_40`.`heap__latest_merge_from` > `identity_chain_4`.`heap__latest_merge_from` OR `identity_chain_4`.`heap__latest_merge_time` IS NULL AND (`identity_chain_40`.`heap__latest_merge_time` IS NOT NULL OR `identity_chain_40`.`heap__latest_merge_from` > `identity_chain_4`.`heap__latest_merge_from`) THEN `identity_chain_40`.`heap__latest_merge_from` ELSE `identity_chain_4`.`heap__latest_merge_from` END AS `heap__latest_merge_from`,
    CASE WHEN `identity_chain_40`.`heap__latest_merge_time` > `identity_chain_4`.`heap__latest_merge_time` OR `identity_chain_40`.`heap__latest_merge_time` = `identity_chain_4`.`heap__latest_merge_time` AND `identity_chain_40`.`heap__latest_merge_from` > `identity_chain_4`.`heap__latest_merge_from` OR `identity_chain_4`.`heap__latest_merge_time` IS NULL AND (`identity_chain_40`.`heap__latest_merge_time` IS NOT NULL OR `identity_chain_40`.`heap__latest_merge_from` > `identity_chain_4`.`heap__latest_merge_from`) THEN `identity_chain_40`.`heap__latest_merge_to` ELSE `identity_chain_4`.`heap__latest_merge_to` END AS `heap__latest_merge_to`
FROM `models; DROP`.`stg_heap_events_all_inc_fct__identity_chain_4` AS `identity_chain_4`
  LEFT JOIN `models; DROP`.`stg_heap_events_all_inc_fct__identity_chain_4` AS `identity_chain_40` ON `identity_chain_4`.`heap_to_user_id` = `identity_chain_40`.`heap_from_user_id`;

CREATE OR REPLACE TABLE `models; DROP`.`stg_heap_events_all_inc_fct__identity_chain_6` USING DELTA AS
SELECT `identity_chain_5`.`heap_from_user_id`,
  COALESCE(`identity_chain_50`.`heap_to_user_id`, `identity_chain_5`.`heap_to_user_id`) AS `heap_to_user_id`,
    CASE WHEN `identity_chain_50`.`heap__latest_merge_time` > `identity_chain_5`.`heap__latest_merge_time` OR `identity_chain_50`.`heap__latest_merge_time` = `identity_chain_5`.`heap__latest_merge_time` AND `identity_chain_50`.`heap__latest_merge_from` > `identity_chain_5`.`heap__latest_merge_from` OR `identity_chain_5`.`heap__latest_merge_time` IS NULL AND (`identity_chain_50`.`heap__latest_merge_time` IS NOT NULL OR `identity_chain_50`.`heap__latest_merge_from` > `identity_chain_5`.`heap__latest_merge_from`) THEN `identity_chain_50`.`heap__latest_merge_time` ELSE `identity_chain_5`.`heap__latest_merge_time` END AS `heap__latest_merge_time`,
    CASE WHEN `identity_chain_50`.`heap__latest_merge_time` > `identity_chain_5`.`heap__latest_merge_time` OR `identity_chain_50`.`heap__latest_merge_time` = `identity_chain_5`.`heap__latest_merge_time` AND `identity_chain_50`.`heap__latest_merge_from` > `identity_chain_5`.`heap__latest_merge_from` OR `identity_chain_5`.`heap__latest_merge_time` IS NULL AND (`identity_chain_50`.`heap__latest_merge_time` IS NOT NULL OR `identity_chain_50`.`heap__latest_merge_from` > `identity_chain_5`.`heap__latest_merge_from`) THEN `identity_chain_50`.`heap__latest_merge_from` ELSE `identity_chain_5`.`heap__latest_merge_from` END AS `heap__latest_merge_from`,
    CASE WHEN `identity_chain_50`.`heap__latest_merge_time` > `identity_chain_5`.`heap__latest_merge_time` OR `identity_chain_50`.`heap__latest_merge_time` = `identity_chain_5`.`heap__latest_merge_time` AND `identity_chain_50`.`heap__latest_merge_from` > `identity_chain_5`.`heap__latest_merge_from` OR `identity_chain_5`.`heap__latest_merge_time` IS NULL AND (`identity_chain_50`.`heap__latest_merge_time` IS NOT NULL OR `identity_chain_50`.`heap__latest_merge_from` > `identity_chain_5`.`heap__latest_merge_from`) THEN `identity_chain_50`.`heap__latest_merge_to` ELSE `identity_chain_5`.`heap__latest_merge_to` END AS `heap__latest_merge_to`
FROM `models; DROP`.`stg_heap_events_all_inc_fct__identity_chain_5` AS `identity_chain_5`
  LEFT JOIN `models; DROP`.`stg_heap_events_all_inc_fct__identity_chain_5` AS `identity_chain_50` ON `identity_chain_5`.`heap_to_user_id` = `identity_chain_50`.`heap_from_user_id`;

CREATE OR REPLACE TABLE `models; DROP`.`stg_heap_events_all_inc_fct__events_ranked` USING DELTA AS
WITH `src_heap_identity_map_eph` AS (
  SELECT `identity_chain_6`.`heap_from_user_id`,
    COALESCE(`identity_chain_60`.`heap__latest_merge_to`, `identity_chain_6`.`heap_to_user_id`) AS `heap_to_user_id`
  FROM `models; DROP`.`stg_heap_events_all_inc_fct__identity_chain_6` AS `identity_chain_6`
    LEFT JOIN `models; DROP`.`stg_heap_events_all_inc_fct__identity_chain_6` AS `identity_chain_60` ON `identity_chain_6`.`heap_to_user_id` = `identity_chain_60`.`heap_from_user_id`
)
SELECT `events_ranked_input`.`heap_event_id`,
  COALESCE(`src_heap_identity_map_eph`.`heap_to_user_id`, `events_ranked_input`.`heap_user_id`) AS `heap_user_id`,
  `events_ranked_input`.`heap_session_id`,
  `events_ranked_input`.`heap_event_name`,
  `events_ranked_input`.`heap_event_time`,
    ROW_NUMBER() OVER (PARTITION BY `events_ranked_input`.`heap_event_id` ORDER BY CASE WHEN `events_ranked_input`.`heap_event_name` IN ('Robert\'); DROP TABLE students;--', 'back\\slash', 'it\'s', 'new\nline', 'x\' -- y') THEN 0 WHEN `events_ranked_input`.`heap_event_name` = 'pageviews' THEN 3 WHEN `events_ranked_input`.`heap_event_name` IS NULL THEN 4 ELSE 2 END NULLS LAST, `events_ranked_input`.`heap_event_time` DESC, COALESCE(`src_heap_identity_map_eph`.`heap_to_user_id`, `events_ranked_input`.`heap_user_id`) NULLS LAST, `events_ranked_input`.`heap_session_id` NULLS LAST, `events_ranked_input`.`heap_event_name` NULLS LAST) AS `heap__dedup_rank`
FROM (SELECT `event_id` AS `heap_event_id`,
      `user_id` AS `heap_user_id`,
      `session_id` AS `heap_session_id`,
      `event name` AS `heap_event_name`,
      `time` AS `heap_event_time`
    FROM `Raw Data`.`heap-prod`.`all_events`
    WHERE `event_id` IN (SELECT `event_id`
          FROM `Raw Data`.`heap-prod`.`all_events`
          WHERE `user_id` IN (SELECT *
                FROM `models; DROP`.`heap__active_users` AS `active_users`)) AND `event_id` IS NOT NULL AND `user_id` IS NOT NULL) AS `events_ranked_input`
  LEFT JOIN `src_heap_identity_map_eph` ON `events_ranked_input`.`heap_user_id` = `src_heap_identity_map_eph`.`heap_from_user_id`;

CREATE OR REPLACE TABLE `models; DROP`.`stg_heap_events_all_inc_fct__changes` USING DELTA AS
WITH `src_heap_events_all_eph` AS (
  SELECT `heap_event_id`,
    `heap_user_id`,
    `heap_session_id`,
    `heap_event_name`,
    `heap_event_time`,
      ROW_NUMBER() OVER (PARTITION BY `heap_user_id`, `heap_session_id` ORDER BY `heap_event_time` NULLS LAST, `heap_event_id` NULLS LAST) AS `heap_session_event_sequence`
  FROM `models; DROP`.`stg_heap_events_all_inc_fct__events_ranked` AS `events_ranked`
  WHERE `heap__dedup_rank` = 1 AND `heap_user_id` IN (SELECT *
        FROM `models; DROP`.`heap__active_users` AS `active_users`)
)
SELECT `heap_event_id`,
  `heap_user_id`,
  `heap_session_id`,
  `heap_event_name`,
  `heap_event_time`,
  `heap_session_event_sequence`,
    CASE WHEN `heap_event_name` = 'it\'s' THEN 1 WHEN `heap_event_name` = 'back\\slash' THEN 2 WHEN `heap_event_name` = 'new\nline' THEN 3 WHEN `heap_event_name` = 'x\' -- y' THEN 4 ELSE 0 END AS `heap_event_funnel_position`,
    CASE WHEN `heap_event_name` = 'Robert\'); DROP TABLE students;--' THEN TRUE ELSE FALSE END AS `heap_event_is_conversion`
FROM `src_heap_events_all_eph`
WHERE `heap_event_id` IS NOT NULL;

DROP TABLE IF EXISTS `models; DROP`.`stg_heap_events_all_inc_fct__identity_chain_1`;

DROP TABLE IF EXISTS `models; DROP`.`stg_heap_events_all_inc_fct__identity_chain_2`;

DROP TABLE IF EXISTS `models; DROP`.`stg_heap_events_all_inc_fct__identity_chain_3`;

DROP TABLE IF EXISTS `models; DROP`.`stg_heap_events_all_inc_fct__identity_chain_4`;

DROP TABLE IF EXISTS `models; DROP`.`stg_heap_events_all_inc_fct__identity_chain_5`;

DROP TABLE IF EXISTS `models; DROP`.`stg_heap_events_all_inc_fct__identity_chain_6`;

DROP TABLE IF EXISTS `models; DROP`.`stg_heap_events_all_inc_fct__events_ranked`;

MERGE INTO `models; DROP`.`stg_heap_events_all_inc_fct` AS `target`
USING (
  SELECT `heap_event_id`, `heap_user_id`, `heap_session_id`, `heap_event_name`, `heap_event_time`, `heap_session_event_sequence`, `heap_event_funnel_position`, `heap_event_is_conversion`, FALSE AS `heap__vanished`
  FROM `models; DROP`.`stg_heap_events_all_inc_fct__changes`
  UNION ALL
  SELECT `vanished`.`heap_event_id`, `vanished`.`heap_user_id`, `vanished`.`heap_session_id`, `vanished`.`heap_event_name`, `vanished`.`heap_event_time`, `vanished`.`heap_session_event_sequence`, `vanished`.`heap_event_funnel_position`, `vanished`.`heap_event_is_conversion`, TRUE AS `heap__vanished`
  FROM `models; DROP`.`stg_heap_events_all_inc_fct` AS `vanished`
  WHERE `vanished`.`heap_user_id` IN (SELECT `heap_user_id` FROM `models; DROP`.`heap__active_users`)
  AND `vanished`.`heap_event_id` NOT IN (SELECT `heap_event_id` FROM `models; DROP`.`stg_heap_events_all_inc_fct__changes` WHERE `heap_event_id` IS NOT NULL)
) AS `changes`
ON `target`.`heap_event_id` = `changes`.`heap_event_id`
WHEN MATCHED AND `changes`.`heap__vanished` THEN DELETE
WHEN MATCHED AND (`target`.`heap_user_id` IS DISTINCT FROM `changes`.`heap_user_id` OR `target`.`heap_session_id` IS DISTINCT FROM `changes`.`heap_session_id` OR `target`.`heap_event_name` IS DISTINCT FROM `changes`.`heap_event_name` OR `target`.`heap_event_time` IS DISTINCT FROM `changes`.`heap_event_time` OR `target`.`heap_session_event_sequence` IS DISTINCT FROM `changes`.`heap_session_event_sequence` OR `target`.`heap_event_funnel_position` IS DISTINCT FROM `changes`.`heap_event_funnel_position` OR `target`.`heap_event_is_conversion` IS DISTINCT FROM `changes`.`heap_event_is_conversion`) THEN UPDATE SET `heap_user_id` = `changes`.`heap_user_id`, `heap_session_id` = `changes`.`heap_session_id`, `heap_event_name` = `changes`.`heap_event_name`, `heap_event_time` = `changes`.`heap_event_time`, `heap_session_event_sequence` = `changes`.`heap_session_event_sequence`, `heap_event_funnel_position` = `changes`.`heap_event_funnel_position`, `heap_event_is_conversion` = `changes`.`heap_event_is_conversion`
WHEN NOT MATCHED AND NOT `changes`.`heap__vanished` THEN INSERT (`heap_event_id`, `heap_user_id`, `heap_session_id`, `heap_event_name`, `heap_event_time`, `heap_session_event_sequence`, `heap_event_funnel_position`, `heap_event_is_conversion`)
VALUES (`changes`.`heap_event_id`, `changes`.`heap_user_id`, `changes`.`heap_session_id`, `changes`.`heap_event_name`, `changes`.`heap_event_time`, `changes`.`heap_session_event_sequence`, `changes`.`heap_event_funnel_position`, `changes`.`heap_event_is_conversion`);
