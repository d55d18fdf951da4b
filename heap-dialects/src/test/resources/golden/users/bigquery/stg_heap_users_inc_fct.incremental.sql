CREATE OR REPLACE TABLE `heap_models`.`stg_heap_users_inc_fct__changes` AS
SELECT `heap_user_id`,
  `heap_user_first_session_time`,
  `heap_user_last_session_time`,
  `heap_user_session_cnt`,
  CAST(`heap_user_conversion_cnt` AS INT64) AS `heap_user_conversion_cnt`,
    CAST(`heap_user_conversion_cnt` AS INT64) > 0 AS `heap_user_is_converted`,
  `heap_user_initial_session_id`,
  `heap_user_initial_referrer`,
  `heap_user_initial_landing_page`,
  `heap_user_initial_landing_page_query`,
  `heap_user_initial_landing_page_hash`,
  `heap_user_initial_utm_source`,
  `heap_user_initial_utm_medium`,
  `heap_user_initial_utm_campaign`,
  `heap_user_initial_utm_term`,
  `heap_user_initial_utm_content`,
  `heap_user_initial_browser`,
  `heap_user_initial_country`,
  `heap_user_initial_region`,
  `heap_user_initial_city`,
  `heap_user_initial_platform`,
  `heap_user_initial_device_type`,
  `heap_user_initial_device`,
  `heap_user_initial_library`,
  `heap_user_initial_channel`
FROM (SELECT `heap_user_id`,
      MIN(`heap_session_start_time`) AS `heap_user_first_session_time`,
      MAX(`heap_session_start_time`) AS `heap_user_last_session_time`,
      COUNT(*) AS `heap_user_session_cnt`,
      SUM(`heap_session_conversion_cnt`) AS `heap_user_conversion_cnt`,
      MAX(CASE WHEN `heap_session_sequence_num` = 1 THEN `heap_session_id` ELSE NULL END) AS `heap_user_initial_session_id`,
      MAX(CASE WHEN `heap_session_sequence_num` = 1 THEN `heap_session_referrer` ELSE NULL END) AS `heap_user_initial_referrer`,
      MAX(CASE WHEN `heap_session_sequence_num` = 1 THEN `heap_session_landing_page` ELSE NULL END) AS `heap_user_initial_landing_page`,
      MAX(CASE WHEN `heap_session_sequence_num` = 1 THEN `heap_session_landing_page_query` ELSE NULL END) AS `heap_user_initial_landing_page_query`,
      MAX(CASE WHEN `heap_session_sequence_num` = 1 THEN `heap_session_landing_page_hash` ELSE NULL END) AS `heap_user_initial_landing_page_hash`,
      MAX(CASE WHEN `heap_session_sequence_num` = 1 THEN `heap_session_utm_source` ELSE NULL END) AS `heap_user_initial_utm_source`,
      MAX(CASE WHEN `heap_session_sequence_num` = 1 THEN `heap_session_utm_medium` ELSE NULL END) AS `heap_user_initial_utm_medium`,
      MAX(CASE WHEN `heap_session_sequence_num` = 1 THEN `heap_session_utm_campaign` ELSE NULL END) AS `heap_user_initial_utm_campaign`,
      MAX(CASE WHEN `heap_session_sequence_num` = 1 THEN `heap_session_utm_term` ELSE NULL END) AS `heap_user_initial_utm_term`,
      MAX(CASE WHEN `heap_session_sequence_num` = 1 THEN `heap_session_utm_content` ELSE NULL END) AS `heap_user_initial_utm_content`,
      MAX(CASE WHEN `heap_session_sequence_num` = 1 THEN `heap_session_browser` ELSE NULL END) AS `heap_user_initial_browser`,
      MAX(CASE WHEN `heap_session_sequence_num` = 1 THEN `heap_session_country` ELSE NULL END) AS `heap_user_initial_country`,
      MAX(CASE WHEN `heap_session_sequence_num` = 1 THEN `heap_session_region` ELSE NULL END) AS `heap_user_initial_region`,
      MAX(CASE WHEN `heap_session_sequence_num` = 1 THEN `heap_session_city` ELSE NULL END) AS `heap_user_initial_city`,
      MAX(CASE WHEN `heap_session_sequence_num` = 1 THEN `heap_session_platform` ELSE NULL END) AS `heap_user_initial_platform`,
      MAX(CASE WHEN `heap_session_sequence_num` = 1 THEN `heap_session_device_type` ELSE NULL END) AS `heap_user_initial_device_type`,
      MAX(CASE WHEN `heap_session_sequence_num` = 1 THEN `heap_session_device` ELSE NULL END) AS `heap_user_initial_device`,
      MAX(CASE WHEN `heap_session_sequence_num` = 1 THEN `heap_session_library` ELSE NULL END) AS `heap_user_initial_library`,
      MAX(CASE WHEN `heap_session_sequence_num` = 1 THEN `heap_session_defined_channel_attribution` ELSE NULL END) AS `heap_user_initial_channel`
    FROM `heap_models`.`stg_heap_sessions_inc_fct__changes` AS `stg_heap_sessions_inc_fct`
    WHERE `heap_user_id` IS NOT NULL
    GROUP BY `heap_user_id`
    HAVING `heap_user_id` IS NOT NULL) AS `stg_heap_users_inc_fct_input`;

BEGIN TRANSACTION;

DELETE FROM `heap_models`.`stg_heap_users_inc_fct`
WHERE `heap_user_id` IN (SELECT `heap_user_id` FROM `heap_models`.`heap__active_users`)
AND `heap_user_id` NOT IN (SELECT `heap_user_id` FROM `heap_models`.`stg_heap_users_inc_fct__changes` WHERE `heap_user_id` IS NOT NULL);

MERGE INTO `heap_models`.`stg_heap_users_inc_fct` AS `target`
USING `heap_models`.`stg_heap_users_inc_fct__changes` AS `changes`
ON `target`.`heap_user_id` = `changes`.`heap_user_id`
WHEN MATCHED AND (`target`.`heap_user_first_session_time` IS DISTINCT FROM `changes`.`heap_user_first_session_time` OR `target`.`heap_user_last_session_time` IS DISTINCT FROM `changes`.`heap_user_last_session_time` OR `target`.`heap_user_session_cnt` IS DISTINCT FROM `changes`.`heap_user_session_cnt` OR `target`.`heap_user_conversion_cnt` IS DISTINCT FROM `changes`.`heap_user_conversion_cnt` OR `target`.`heap_user_is_converted` IS DISTINCT FROM `changes`.`heap_user_is_converted` OR `target`.`heap_user_initial_session_id` IS DISTINCT FROM `changes`.`heap_user_initial_session_id` OR `target`.`heap_user_initial_referrer` IS DISTINCT FROM `changes`.`heap_user_initial_referrer` OR `target`.`heap_user_initial_landing_page` IS DISTINCT FROM `changes`.`heap_user_initial_landing_page` OR `target`.`heap_user_initial_landing_page_query` IS DISTINCT FROM `changes`.`heap_user_initial_landing_page_query` OR `target`.`heap_user_initial_landing_page_hash` IS DISTINCT FROM `changes`.`heap_user_initial_landing_page_hash` OR `target`.`heap_user_initial_utm_source` IS DISTINCT FROM `changes`.`heap_user_initial_utm_source` OR `target`.`heap_user_initial_utm_medium` IS DISTINCT FROM `changes`.`heap_user_initial_utm_medium` OR `target`.`heap_user_initial_utm_campaign` IS DISTINCT FROM `changes`.`heap_user_initial_utm_campaign` OR `target`.`heap_user_initial_utm_term` IS DISTINCT FROM `changes`.`heap_user_initial_utm_term` OR `target`.`heap_user_initial_utm_content` IS DISTINCT FROM `changes`.`heap_user_initial_utm_content` OR `target`.`heap_user_initial_browser` IS DISTINCT FROM `changes`.`heap_user_initial_browser` OR `target`.`heap_user_initial_country` IS DISTINCT FROM `changes`.`heap_user_initial_country` OR `target`.`heap_user_initial_region` IS DISTINCT FROM `changes`.`heap_user_initial_region` OR `target`.`heap_user_initial_city` IS DISTINCT FROM `changes`.`heap_user_initial_city` OR `target`.`heap_user_initial_platform` IS DISTINCT FROM `changes`.`heap_user_initial_platform` OR `target`.`heap_user_initial_device_type` IS DISTINCT FROM `changes`.`heap_user_initial_device_type` OR `target`.`heap_user_initial_device` IS DISTINCT FROM `changes`.`heap_user_initial_device` OR `target`.`heap_user_initial_library` IS DISTINCT FROM `changes`.`heap_user_initial_library` OR `target`.`heap_user_initial_channel` IS DISTINCT FROM `changes`.`heap_user_initial_channel`) THEN UPDATE SET `heap_user_first_session_time` = `changes`.`heap_user_first_session_time`, `heap_user_last_session_time` = `changes`.`heap_user_last_session_time`, `heap_user_session_cnt` = `changes`.`heap_user_session_cnt`, `heap_user_conversion_cnt` = `changes`.`heap_user_conversion_cnt`, `heap_user_is_converted` = `changes`.`heap_user_is_converted`, `heap_user_initial_session_id` = `changes`.`heap_user_initial_session_id`, `heap_user_initial_referrer` = `changes`.`heap_user_initial_referrer`, `heap_user_initial_landing_page` = `changes`.`heap_user_initial_landing_page`, `heap_user_initial_landing_page_query` = `changes`.`heap_user_initial_landing_page_query`, `heap_user_initial_landing_page_hash` = `changes`.`heap_user_initial_landing_page_hash`, `heap_user_initial_utm_source` = `changes`.`heap_user_initial_utm_source`, `heap_user_initial_utm_medium` = `changes`.`heap_user_initial_utm_medium`, `heap_user_initial_utm_campaign` = `changes`.`heap_user_initial_utm_campaign`, `heap_user_initial_utm_term` = `changes`.`heap_user_initial_utm_term`, `heap_user_initial_utm_content` = `changes`.`heap_user_initial_utm_content`, `heap_user_initial_browser` = `changes`.`heap_user_initial_browser`, `heap_user_initial_country` = `changes`.`heap_user_initial_country`, `heap_user_initial_region` = `changes`.`heap_user_initial_region`, `heap_user_initial_city` = `changes`.`heap_user_initial_city`, `heap_user_initial_platform` = `changes`.`heap_user_initial_platform`, `heap_user_initial_device_type` = `changes`.`heap_user_initial_device_type`, `heap_user_initial_device` = `changes`.`heap_user_initial_device`, `heap_user_initial_library` = `changes`.`heap_user_initial_library`, `heap_user_initial_channel` = `changes`.`heap_user_initial_channel`
WHEN NOT MATCHED THEN INSERT (`heap_user_id`, `heap_user_first_session_time`, `heap_user_last_session_time`, `heap_user_session_cnt`, `heap_user_conversion_cnt`, `heap_user_is_converted`, `heap_user_initial_session_id`, `heap_user_initial_referrer`, `heap_user_initial_landing_page`, `heap_user_initial_landing_page_query`, `heap_user_initial_landing_page_hash`, `heap_user_initial_utm_source`, `heap_user_initial_utm_medium`, `heap_user_initial_utm_campaign`, `heap_user_initial_utm_term`, `heap_user_initial_utm_content`, `heap_user_initial_browser`, `heap_user_initial_country`, `heap_user_initial_region`, `heap_user_initial_city`, `heap_user_initial_platform`, `heap_user_initial_device_type`, `heap_user_initial_device`, `heap_user_initial_library`, `heap_user_initial_channel`)
VALUES (`changes`.`heap_user_id`, `changes`.`heap_user_first_session_time`, `changes`.`heap_user_last_session_time`, `changes`.`heap_user_session_cnt`, `changes`.`heap_user_conversion_cnt`, `changes`.`heap_user_is_converted`, `changes`.`heap_user_initial_session_id`, `changes`.`heap_user_initial_referrer`, `changes`.`heap_user_initial_landing_page`, `changes`.`heap_user_initial_landing_page_query`, `changes`.`heap_user_initial_landing_page_hash`, `changes`.`heap_user_initial_utm_source`, `changes`.`heap_user_initial_utm_medium`, `changes`.`heap_user_initial_utm_campaign`, `changes`.`heap_user_initial_utm_term`, `changes`.`heap_user_initial_utm_content`, `changes`.`heap_user_initial_browser`, `changes`.`heap_user_initial_country`, `changes`.`heap_user_initial_region`, `changes`.`heap_user_initial_city`, `changes`.`heap_user_initial_platform`, `changes`.`heap_user_initial_device_type`, `changes`.`heap_user_initial_device`, `changes`.`heap_user_initial_library`, `changes`.`heap_user_initial_channel`);

COMMIT TRANSACTION;
