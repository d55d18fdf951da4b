CREATE OR REPLACE TABLE `models_DROP`.`stg_heap_sessions_inc_fct__changes` AS
WITH `identity_merges_ranked` AS (
  SELECT `from_user_id` AS `heap_from_user_id`,
    `to_user_id` AS `heap_to_user_id`,
    `time` AS `heap_migration_time`,
    ROW_NUMBER() OVER (PARTITION BY `from_user_id` ORDER BY `time` DESC, `to_user_id` NULLS LAST) AS `heap__dedup_rank`
  FROM `Raw Data`.`heap_prod`.`user_migrations`
  WHERE `from_user_id` IS NOT NULL AND `to_user_id` IS NOT NULL
),
`identity_chain_1` AS (
  SELECT `heap_from_user_id`,
    `heap_to_user_id`,
    `heap_migration_time` AS `heap__latest_merge_time`,
    `heap_from_user_id` AS `heap__latest_merge_from`,
    `heap_to_user_id` AS `heap__latest_merge_to`
  FROM `identity_merges_ranked`
  WHERE `heap__dedup_rank` = 1
),
`identity_chain_2` AS (
  SELECT `identity_chain_1`.`heap_from_user_id`,
    COALESCE(`identity_chain_10`.`heap_to_user_id`, `identity_chain_1`.`heap_to_user_id`) AS `heap_to_user_id`,
      CASE WHEN `identity_chain_10`.`heap__latest_merge_time` > `identity_chain_1`.`heap__latest_merge_time` OR `identity_chain_10`.`heap__latest_merge_time` = `identity_chain_1`.`heap__latest_merge_time` AND `identity_chain_10`.`heap__latest_merge_from` > `identity_chain_1`.`heap__latest_merge_from` OR `identity_chain_1`.`heap__latest_merge_time` IS NULL AND (`identity_chain_10`.`heap__latest_merge_time` IS NOT NULL OR `identity_chain_10`.`heap__latest_merge_from` > `identity_chain_1`.`heap__latest_merge_from`) THEN `identity_chain_10`.`heap__latest_merge_time` ELSE `identity_chain_1`.`heap__latest_merge_time` END AS `heap__latest_merge_time`,
      CASE WHEN `identity_chain_10`.`heap__latest_merge_time` > `identity_chain_1`.`heap__latest_merge_time` OR `identity_chain_10`.`heap__latest_merge_time` = `identity_chain_1`.`heap__latest_merge_time` AND `identity_chain_10`.`heap__latest_merge_from` > `identity_chain_1`.`heap__latest_merge_from` OR `identity_chain_1`.`heap__latest_merge_time` IS NULL AND (`identity_chain_10`.`heap__latest_merge_time` IS NOT NULL OR `identity_chain_10`.`heap__latest_merge_from` > `identity_chain_1`.`heap__latest_merge_from`) THEN `identity_chain_10`.`heap__latest_merge_from` ELSE `identity_chain_1`.`heap__latest_merge_from` END AS `heap__latest_merge_from`,
      CASE WHEN `identity_chain_10`.`heap__latest_merge_time` > `identity_chain_1`.`heap__latest_merge_time` OR `identity_chain_10`.`heap__latest_merge_time` = `identity_chain_1`.`heap__latest_merge_time` AND `identity_chain_10`.`heap__latest_merge_from` > `identity_chain_1`.`heap__latest_merge_from` OR `identity_chain_1`.`heap__latest_merge_time` IS NULL AND (`identity_chain_10`.`heap__latest_merge_time` IS NOT NULL OR `identity_chain_10`.`heap__latest_merge_from` > `identity_chain_1`.`heap__latest_merge_from`) THEN `identity_chain_10`.`heap__latest_merge_to` ELSE `identity_chain_1`.`heap__latest_merge_to` END AS `heap__latest_merge_to`
  FROM `identity_chain_1`
    LEFT JOIN `identity_chain_1` AS `identity_chain_10` ON `identity_chain_1`.`heap_to_user_id` = `identity_chain_10`.`heap_from_user_id`
),
`identity_chain_3` AS (
  SELECT `identity_chain_2`.`heap_from_user_id`,
    COALESCE(`identity_chain_20`.`heap_to_user_id`, `identity_chain_2`.`heap_to_user_id`) AS `heap_to_user_id`,
      CASE WHEN `identity_chain_20`.`heap__latest_merge_time` > `identity_chain_2`.`heap__latest_merge_time` OR `identity_chain_20`.`heap__latest_merge_time` = `identity_chain_2`.`heap__latest_merge_time` AND `identity_chain_20`.`heap__latest_merge_from` > `identity_chain_2`.`heap__latest_merge_from` OR `identity_chain_2`.`heap__latest_merge_time` IS NULL AND (`identity_chain_20`.`heap__latest_merge_time` IS NOT NULL OR `identity_chain_20`.`heap__latest_merge_from` > `identity_chain_2`.`heap__latest_merge_from`) THEN `identity_chain_20`.`heap__latest_merge_time` ELSE `identity_chain_2`.`heap__latest_merge_time` END AS `heap__latest_merge_time`,
      CASE WHEN `identity_chain_20`.`heap__latest_merge_time` > `identity_chain_2`.`heap__latest_merge_time` OR `identity_chain_20`.`heap__latest_merge_time` = `identity_chain_2`.`heap__latest_merge_time` AND `identity_chain_20`.`heap__latest_merge_from` > `identity_chain_2`.`heap__latest_merge_from` OR `identity_chain_2`.`heap__latest_merge_time` IS NULL AND (`identity_chain_20`.`heap__latest_merge_time` IS NOT NULL OR `identity_chain_20`.`heap__latest_merge_from` > `identity_chain_2`.`heap__latest_merge_from`) THEN `identity_chain_20`.`heap__latest_merge_from` ELSE `identity_chain_2`.`heap__latest_merge_from` END AS `heap__latest_merge_from`,
      CASE WHEN `identity_chain_20`.`heap__latest_merge_time` > `identity_chain_2`.`heap__latest_merge_time` OR `identity_chain_20`.`heap__latest_merge_time` = `identity_chain_2`.`heap__latest_merge_time` AND `identity_chain_20`.`heap__latest_merge_from` > `identity_chain_2`.`heap__latest_merge_from` OR `identity_chain_2`.`heap__latest_merge_time` IS NULL AND (`identity_chain_20`.`heap__latest_merge_time` IS NOT NULL OR `identity_chain_20`.`heap__latest_merge_from` > `identity_chain_2`.`heap__latest_merge_from`) THEN `identity_chain_20`.`heap__latest_merge_to` ELSE `identity_chain_2`.`heap__latest_merge_to` END AS `heap__latest_merge_to`
  FROM `identity_chain_2`
    LEFT JOIN `identity_chain_2` AS `identity_chain_20` ON `identity_chain_2`.`heap_to_user_id` = `identity_chain_20`.`heap_from_user_id`
),
`identity_chain_4` AS (
  SELECT `identity_chain_3`.`heap_from_user_id`,
    COALESCE(`identity_chain_30`.`heap_to_user_id`, `identity_chain_3`.`heap_to_user_id`) AS `heap_to_user_id`,
      CASE WHEN `identity_chain_30`.`heap__latest_merge_time` > `identity_chain_3`.`heap__latest_merge_time` OR `identity_chain_30`.`heap__latest_merge_time` = `identity_chain_3`.`heap__latest_merge_time` AND `identity_chain_30`.`heap__latest_merge_from` > `identity_chain_3`.`heap__latest_merge_from` OR `identity_chain_3`.`heap__latest_merge_time` IS NULL AND (`identity_chain_30`.`heap__latest_merge_time` IS NOT NULL OR `identity_chain_30`.`heap__latest_merge_from` > `identity_chain_3`.`heap__latest_merge_from`) THEN `identity_chain_30`.`heap__latest_merge_time` ELSE `identity_chain_3`.`heap__latest_merge_time` END AS `heap__latest_merge_time`,
      CASE WHEN `identity_chain_30`.`heap__latest_merge_time` > `identity_chain_3`.`heap__latest_merge_time` OR `identity_chain_30`.`heap__latest_merge_time` = `identity_chain_3`.`heap__latest_merge_time` AND `identity_chain_30`.`heap__latest_merge_from` > `identity_chain_3`.`heap__latest_merge_from` OR `identity_chain_3`.`heap__latest_merge_time` IS NULL AND (`identity_chain_30`.`heap__latest_merge_time` IS NOT NULL OR `identity_chain_30`.`heap__latest_merge_from` > `identity_chain_3`.`heap__latest_merge_from`) THEN `identity_chain_30`.`heap__latest_merge_from` ELSE `identity_chain_3`.`heap__latest_merge_from` END AS `heap__latest_merge_from`,
      CASE WHEN `identity_chain_30`.`heap__latest_merge_time` > `identity_chain_3`.`heap__latest_merge_time` OR `identity_chain_30`.`heap__latest_merge_time` = `identity_chain_3`.`heap__latest_merge_time` AND `identity_chain_30`.`heap__latest_merge_from` > `identity_chain_3`.`heap__latest_merge_from` OR `identity_chain_3`.`heap__latest_merge_time` IS NULL AND (`identity_chain_30`.`heap__latest_merge_time` IS NOT NULL OR `identity_chain_30`.`heap__latest_merge_from` > `identity_chain_3`.`heap__latest_merge_from`) THEN `identity_chain_30`.`heap__latest_merge_to` ELSE `identity_chain_3`.`heap__latest_merge_to` END AS `heap__latest_merge_to`
  FROM `identity_chain_3`
    LEFT JOIN `identity_chain_3` AS `identity_chain_30` ON `identity_chain_3`.`heap_to_user_id` = `identity_chain_30`.`heap_from_user_id`
),
`identity_chain_5` AS (
  SELECT `identity_chain_4`.`heap_from_user_id`,
    COALESCE(`identity_chain_40`.`heap_to_user_id`, `identity_chain_4`.`heap_to_user_id`) AS `heap_to_user_id`,
      CASE WHEN `identity_chain_40`.`heap__latest_merge_time` > `identity_chain_4`.`heap__latest_merge_time` OR `identity_chain_40`.`heap__latest_merge_time` = `identity_chain_4`.`heap__latest_merge_time` AND `identity_chain_40`.`heap__latest_merge_from` > `identity_chain_4`.`heap__latest_merge_from` OR `identity_chain_4`.`heap__latest_merge_time` IS NULL AND (`identity_chain_40`.`heap__latest_merge_time` IS NOT NULL OR `identity_chain_40`.`heap__latest_merge_from` > `identity_chain_4`.`heap__latest_merge_from`) THEN `identity_chain_40`.`heap__latest_merge_time` ELSE `identity_chain_4`.`heap__latest_merge_time` END AS `heap__latest_merge_time`,
      CASE WHEN `identity_chain_40`.`heap__latest_merge_time` > `identity_chain_4`.`heap__latest_merge_time` OR `identity_chain_40`.`heap__latest_merge_time` = `identity_chain_4`.`heap__latest_merge_time` AND `identity_chain_40`.`heap__latest_merge_from` > `identity_chain_4`.`heap__latest_merge_from` OR `identity_chain_4`.`heap__latest_merge_time` IS NULL AND (`identity_chain_40`.`heap__latest_merge_time` IS NOT NULL OR `identity_chain_40`.`heap__latest_merge_from` > `identity_chain_4`.`heap__latest_merge_from`) THEN `identity_chain_40`.`heap__latest_merge_from` ELSE `identity_chain_4`.`heap__latest_merge_from` END AS `heap__latest_merge_from`,
      CASE WHEN `identity_chain_40`.`heap__latest_merge_time` > `identity_chain_4`.`heap__latest_merge_time` OR `identity_chain_40`.`heap__latest_merge_time` = `identity_chain_4`.`heap__latest_merge_time` AND `identity_chain_40`.`heap__latest_merge_from` > `identity_chain_4`.`heap__latest_merge_from` OR `identity_chain_4`.`heap__latest_merge_time` IS NULL AND (`identity_chain_40`.`heap__latest_merge_time` IS NOT NULL OR `identity_chain_40`.`heap__latest_merge_from` > `identity_chain_4`.`heap__latest_merge_from`) THEN `identity_chain_40`.`heap__latest_merge_to` ELSE `identity_chain_4`.`heap__latest_merge_to` END AS `heap__latest_merge_to`
  FROM `identity_chain_4`
    LEFT JOIN `identity_chain_4` AS `identity_chain_40` ON `identity_chain_4`.`heap_to_user_id` = `identity_chain_40`.`heap_from_user_id`
),
`identity_chain_6` AS (
  SELECT `identity_chain_5`.`heap_from_user_id`,
    COALESCE(`identity_chain_50`.`heap_to_user_id`, `identity_chain_5`.`heap_to_user_id`) AS `heap_to_user_id`,
      CASE WHEN `identity_chain_50`.`heap__latest_merge_time` > `identity_chain_5`.`heap__latest_merge_time` OR `identity_chain_50`.`heap__latest_merge_time` = `identity_chain_5`.`heap__latest_merge_time` AND `identity_chain_50`.`heap__latest_merge_from` > `identity_chain_5`.`heap__latest_merge_from` OR `identity_chain_5`.`heap__latest_merge_time` IS NULL AND (`identity_chain_50`.`heap__latest_merge_time` IS NOT NULL OR `identity_chain_50`.`heap__latest_merge_from` > `identity_chain_5`.`heap__latest_merge_from`) THEN `identity_chain_50`.`heap__latest_merge_time` ELSE `identity_chain_5`.`heap__latest_merge_time` END AS `heap__latest_merge_time`,
      CASE WHEN `identity_chain_50`.`heap__latest_merge_time` > `identity_chain_5`.`heap__latest_merge_time` OR `identity_chain_50`.`heap__latest_merge_time` = `identity_chain_5`.`heap__latest_merge_time` AND `identity_chain_50`.`heap__latest_merge_from` > `identity_chain_5`.`heap__latest_merge_from` OR `identity_chain_5`.`heap__latest_merge_time` IS NULL AND (`identity_chain_50`.`heap__latest_merge_time` IS NOT NULL OR `identity_chain_50`.`heap__latest_merge_from` > `identity_chain_5`.`heap__latest_merge_from`) THEN `identity_chain_50`.`heap__latest_merge_from` ELSE `identity_chain_5`.`heap__latest_merge_from` END AS `heap__latest_merge_from`,
      CASE WHEN `identity_chain_50`.`heap__latest_merge_time` > `identity_chain_5`.`heap__latest_merge_time` OR `identity_chain_50`.`heap__latest_merge_time` = `identity_chain_5`.`heap__latest_merge_time` AND `identity_chain_50`.`heap__latest_merge_from` > `identity_chain_5`.`heap__latest_merge_from` OR `identity_chain_5`.`heap__latest_merge_time` IS NULL AND (`identity_chain_50`.`heap__latest_merge_time` IS NOT NULL OR `identity_chain_50`.`heap__latest_merge_from` > `identity_chain_5`.`heap__latest_merge_from`) THEN `identity_chain_50`.`heap__latest_merge_to` ELSE `identity_chain_5`.`heap__latest_merge_to` END AS `heap__latest_merge_to`
  FROM `identity_chain_5`
    LEFT JOIN `identity_chain_5` AS `identity_chain_50` ON `identity_chain_5`.`heap_to_user_id` = `identity_chain_50`.`heap_from_user_id`
),
`src_heap_identity_map_eph` AS (
  SELECT `identity_chain_6`.`heap_from_user_id`,
    COALESCE(`identity_chain_60`.`heap__latest_merge_to`, `identity_chain_6`.`heap_to_user_id`) AS `heap_to_user_id`
  FROM `identity_chain_6`
    LEFT JOIN `identity_chain_6` AS `identity_chain_60` ON `identity_chain_6`.`heap_to_user_id` = `identity_chain_60`.`heap_from_user_id`
),
`sessions_ranked` AS (
  SELECT `sessions_ranked_input`.`heap_session_id`,
    COALESCE(`src_heap_identity_map_eph`.`heap_to_user_id`, `sessions_ranked_input`.`heap_user_id`) AS `heap_user_id`,
    `sessions_ranked_input`.`heap_session_start_time`,
    `sessions_ranked_input`.`heap_session_country`,
    `sessions_ranked_input`.`heap_session_region`,
    `sessions_ranked_input`.`heap_session_city`,
    `sessions_ranked_input`.`heap_session_ip`,
    `sessions_ranked_input`.`heap_session_referrer`,
    `sessions_ranked_input`.`heap_session_landing_page`,
    `sessions_ranked_input`.`heap_session_landing_page_query`,
    `sessions_ranked_input`.`heap_session_landing_page_hash`,
    `sessions_ranked_input`.`heap_session_browser`,
    `sessions_ranked_input`.`heap_session_utm_source`,
    `sessions_ranked_input`.`heap_session_utm_campaign`,
    `sessions_ranked_input`.`heap_session_utm_medium`,
    `sessions_ranked_input`.`heap_session_utm_term`,
    `sessions_ranked_input`.`heap_session_utm_content`,
    `sessions_ranked_input`.`heap_session_library`,
    `sessions_ranked_input`.`heap_session_platform`,
    `sessions_ranked_input`.`heap_session_device_type`,
    `sessions_ranked_input`.`heap_session_device`,
    ROW_NUMBER() OVER (PARTITION BY `sessions_ranked_input`.`heap_session_id` ORDER BY `sessions_ranked_input`.`heap_session_start_time` DESC, COALESCE(`src_heap_identity_map_eph`.`heap_to_user_id`, `sessions_ranked_input`.`heap_user_id`) NULLS LAST, `sessions_ranked_input`.`heap_session_country` NULLS LAST, `sessions_ranked_input`.`heap_session_region` NULLS LAST, `sessions_ranked_input`.`heap_session_city` NULLS LAST, `sessions_ranked_input`.`heap_session_ip` NULLS LAST, `sessions_ranked_input`.`heap_session_referrer` NULLS LAST, `sessions_ranked_input`.`heap_session_landing_page` NULLS LAST, `sessions_ranked_input`.`heap_session_landing_page_query` NULLS LAST, `sessions_ranked_input`.`heap_session_landing_page_hash` NULLS LAST, `sessions_ranked_input`.`heap_session_browser` NULLS LAST, `sessions_ranked_input`.`heap_session_utm_source` NULLS LAST, `sessions_ranked_input`.`heap_session_utm_campaign` NULLS LAST, `sessions_ranked_input`.`heap_session_utm_medium` NULLS LAST, `sessions_ranked_input`.`heap_session_utm_term` NULLS LAST, `sessions_ranked_input`.`heap_session_utm_content` NULLS LAST, `sessions_ranked_input`.`heap_session_library` NULLS LAST, `sessions_ranked_input`.`heap_session_platform` NULLS LAST, `sessions_ranked_input`.`heap_session_device_type` NULLS LAST, `sessions_ranked_input`.`heap_session_device` NULLS LAST) AS `heap__dedup_rank`
  FROM (SELECT `session_id` AS `heap_session_id`,
        `user_id` AS `heap_user_id`,
        `time` AS `heap_session_start_time`,
        `country` AS `heap_session_country`,
        `region` AS `heap_session_region`,
        `city` AS `heap_session_city`,
        `ip` AS `heap_session_ip`,
        `referrer` AS `heap_session_referrer`,
        `landing_page` AS `heap_session_landing_page`,
        `landing_page_query` AS `heap_session_landing_page_query`,
        `landing_page_hash` AS `heap_session_landing_page_hash`,
        `browser` AS `heap_session_browser`,
        `utm_source` AS `heap_session_utm_source`,
        `utm_campaign` AS `heap_session_utm_campaign`,
        `utm_medium` AS `heap_session_utm_medium`,
        `utm_term` AS `heap_session_utm_term`,
        `utm_content` AS `heap_session_utm_content`,
        `library` AS `heap_session_library`,
        `platform` AS `heap_session_platform`,
        `device_type` AS `heap_session_device_type`,
        `device` AS `heap_session_device`
      FROM `Raw Data`.`heap_prod`.`sessions`
      WHERE `session_id` IN (SELECT `session_id`
            FROM `Raw Data`.`heap_prod`.`sessions`
            WHERE `user_id` IN (SELECT *
                  FROM `models_DROP`.`heap__active_users` AS `active_users`)) AND `session_id` IS NOT NULL AND `user_id` IS NOT NULL) AS `sessions_ranked_input`
    LEFT JOIN `src_heap_identity_map_eph` ON `sessions_ranked_input`.`heap_user_id` = `src_heap_identity_map_eph`.`heap_from_user_id`
),
`src_heap_sessions_eph` AS (
  SELECT `heap_session_id`,
    `heap_user_id`,
    `heap_session_start_time`,
    `heap_session_country`,
    `heap_session_region`,
    `heap_session_city`,
    `heap_session_ip`,
    `heap_session_referrer`,
    `heap_session_landing_page`,
    `heap_session_landing_page_query`,
    `heap_session_landing_page_hash`,
    `heap_session_browser`,
    `heap_session_utm_source`,
    `heap_session_utm_campaign`,
    `heap_session_utm_medium`,
    `heap_session_utm_term`,
    `heap_session_utm_content`,
    `heap_session_library`,
    `heap_session_platform`,
    `heap_session_device_type`,
    `heap_session_device`,
    ROW_NUMBER() OVER (PARTITION BY `heap_user_id` ORDER BY `heap_session_start_time` NULLS LAST, `heap_session_id` NULLS LAST) AS `heap_session_sequence_num`
  FROM `sessions_ranked`
  WHERE `heap__dedup_rank` = 1 AND `heap_user_id` IN (SELECT *
        FROM `models_DROP`.`heap__active_users` AS `active_users`)
),
`session_event_counts` AS (
  SELECT `heap_session_id`,
    COUNT(CASE WHEN `heap_event_funnel_position` = 1 THEN 1 ELSE NULL END) AS `heap_session_funnel_step_1_cnt`,
    COUNT(CASE WHEN `heap_event_funnel_position` = 2 THEN 1 ELSE NULL END) AS `heap_session_funnel_step_2_cnt`,
    COUNT(CASE WHEN `heap_event_funnel_position` = 3 THEN 1 ELSE NULL END) AS `heap_session_funnel_step_3_cnt`,
    COUNT(CASE WHEN `heap_event_funnel_position` = 4 THEN 1 ELSE NULL END) AS `heap_session_funnel_step_4_cnt`,
    COUNT(CASE WHEN `heap_event_is_conversion` THEN 1 ELSE NULL END) AS `heap_session_conversion_cnt`
  FROM (SELECT *
        FROM `models_DROP`.`stg_heap_events_all_inc_fct`
        WHERE (`heap_user_id` IS NULL OR `heap_user_id` NOT IN (SELECT *
                  FROM `models_DROP`.`heap__active_users` AS `active_users`)) AND `heap_event_id` NOT IN (SELECT `heap_event_id`
              FROM `models_DROP`.`stg_heap_events_all_inc_fct__changes` AS `stg_heap_events_all_inc_fct`)
        UNION ALL
        SELECT *
        FROM `models_DROP`.`stg_heap_events_all_inc_fct__changes` AS `stg_heap_events_all_inc_fct`) AS `session_event_counts_input`
  WHERE `heap_session_id` IN (SELECT `session_id`
        FROM `Raw Data`.`heap_prod`.`sessions`
        WHERE `user_id` IN (SELECT *
              FROM `models_DROP`.`heap__active_users` AS `active_users`))
  GROUP BY `heap_session_id`
)
SELECT `src_heap_sessions_eph`.`heap_session_id`,
  `src_heap_sessions_eph`.`heap_user_id`,
  `src_heap_sessions_eph`.`heap_session_sequence_num`,
  `src_heap_sessions_eph`.`heap_session_start_time`,
  TIMESTAMP_ADD(`src_heap_sessions_eph`.`heap_session_start_time`, INTERVAL -14 DAY) AS `heap_session_conversion_lookback_14d`,
  TIMESTAMP_ADD(`src_heap_sessions_eph`.`heap_session_start_time`, INTERVAL 14 DAY) AS `heap_session_conversion_lookforward_14d`,
  `src_heap_sessions_eph`.`heap_session_country`,
  `src_heap_sessions_eph`.`heap_session_region`,
  `src_heap_sessions_eph`.`heap_session_city`,
  `src_heap_sessions_eph`.`heap_session_ip`,
  `src_heap_sessions_eph`.`heap_session_referrer`,
  `src_heap_sessions_eph`.`heap_session_landing_page`,
  `src_heap_sessions_eph`.`heap_session_landing_page_query`,
  `src_heap_sessions_eph`.`heap_session_landing_page_hash`,
  `src_heap_sessions_eph`.`heap_session_browser`,
  `src_heap_sessions_eph`.`heap_session_utm_source`,
  `src_heap_sessions_eph`.`heap_session_utm_campaign`,
  `src_heap_sessions_eph`.`heap_session_utm_medium`,
  `src_heap_sessions_eph`.`heap_session_utm_term`,
  `src_heap_sessions_eph`.`heap_session_utm_content`,
  `src_heap_sessions_eph`.`heap_session_library`,
  `src_heap_sessions_eph`.`heap_session_platform`,
  `src_heap_sessions_eph`.`heap_session_device_type`,
  `src_heap_sessions_eph`.`heap_session_device`,
    CASE WHEN STRPOS(LOWER(`src_heap_sessions_eph`.`heap_session_utm_medium`), 'c\'p\\c') > 0 THEN 'Paid "Search"' WHEN LOWER(`src_heap_sessions_eph`.`heap_session_referrer`) = '--' THEN 'tab\there' ELSE 'N/A -- none' END AS `heap_session_defined_channel_attribution`,
  COALESCE(`session_event_counts`.`heap_session_funnel_step_1_cnt`, 0) AS `heap_session_funnel_step_1_cnt`,
  COALESCE(`session_event_counts`.`heap_session_funnel_step_2_cnt`, 0) AS `heap_session_funnel_step_2_cnt`,
  COALESCE(`session_event_counts`.`heap_session_funnel_step_3_cnt`, 0) AS `heap_session_funnel_step_3_cnt`,
  COALESCE(`session_event_counts`.`heap_session_funnel_step_4_cnt`, 0) AS `heap_session_funnel_step_4_cnt`,
  COALESCE(`session_event_counts`.`heap_session_conversion_cnt`, 0) AS `heap_session_conversion_cnt`,
    COALESCE(`session_event_counts`.`heap_session_conversion_cnt`, 0) > 0 AS `heap_session_is_conversion`
FROM `src_heap_sessions_eph`
  LEFT JOIN `session_event_counts` ON `src_heap_sessions_eph`.`heap_session_id` = `session_event_counts`.`heap_session_id`
WHERE `src_heap_sessions_eph`.`heap_session_id` IS NOT NULL;

BEGIN TRANSACTION;

DELETE FROM `models_DROP`.`stg_heap_sessions_inc_fct`
WHERE `heap_user_id` IN (SELECT `heap_user_id` FROM `models_DROP`.`heap__active_users`)
AND `heap_session_id` NOT IN (SELECT `heap_session_id` FROM `models_DROP`.`stg_heap_sessions_inc_fct__changes` WHERE `heap_session_id` IS NOT NULL);

MERGE INTO `models_DROP`.`stg_heap_sessions_inc_fct` AS `target`
USING `models_DROP`.`stg_heap_sessions_inc_fct__changes` AS `changes`
ON `target`.`heap_session_id` = `changes`.`heap_session_id`
WHEN MATCHED AND (`target`.`heap_user_id` IS DISTINCT FROM `changes`.`heap_user_id` OR `target`.`heap_session_sequence_num` IS DISTINCT FROM `changes`.`heap_session_sequence_num` OR `target`.`heap_session_start_time` IS DISTINCT FROM `changes`.`heap_session_start_time` OR `target`.`heap_session_conversion_lookback_14d` IS DISTINCT FROM `changes`.`heap_session_conversion_lookback_14d` OR `target`.`heap_session_conversion_lookforward_14d` IS DISTINCT FROM `changes`.`heap_session_conversion_lookforward_14d` OR `target`.`heap_session_country` IS DISTINCT FROM `changes`.`heap_session_country` OR `target`.`heap_session_region` IS DISTINCT FROM `changes`.`heap_session_region` OR `target`.`heap_session_city` IS DISTINCT FROM `changes`.`heap_session_city` OR `target`.`heap_session_ip` IS DISTINCT FROM `changes`.`heap_session_ip` OR `target`.`heap_session_referrer` IS DISTINCT FROM `changes`.`heap_session_referrer` OR `target`.`heap_session_landing_page` IS DISTINCT FROM `changes`.`heap_session_landing_page` OR `target`.`heap_session_landing_page_query` IS DISTINCT FROM `changes`.`heap_session_landing_page_query` OR `target`.`heap_session_landing_page_hash` IS DISTINCT FROM `changes`.`heap_session_landing_page_hash` OR `target`.`heap_session_browser` IS DISTINCT FROM `changes`.`heap_session_browser` OR `target`.`heap_session_utm_source` IS DISTINCT FROM `changes`.`heap_session_utm_source` OR `target`.`heap_session_utm_campaign` IS DISTINCT FROM `changes`.`heap_session_utm_campaign` OR `target`.`heap_session_utm_medium` IS DISTINCT FROM `changes`.`heap_session_utm_medium` OR `target`.`heap_session_utm_term` IS DISTINCT FROM `changes`.`heap_session_utm_term` OR `target`.`heap_session_utm_content` IS DISTINCT FROM `changes`.`heap_session_utm_content` OR `target`.`heap_session_library` IS DISTINCT FROM `changes`.`heap_session_library` OR `target`.`heap_session_platform` IS DISTINCT FROM `changes`.`heap_session_platform` OR `target`.`heap_session_device_type` IS DISTINCT FROM `changes`.`heap_session_device_type` OR `target`.`heap_session_device` IS DISTINCT FROM `changes`.`heap_session_device` OR `target`.`heap_session_defined_channel_attribution` IS DISTINCT FROM `changes`.`heap_session_defined_channel_attribution` OR `target`.`heap_session_funnel_step_1_cnt` IS DISTINCT FROM `changes`.`heap_session_funnel_step_1_cnt` OR `target`.`heap_session_funnel_step_2_cnt` IS DISTINCT FROM `changes`.`heap_session_funnel_step_2_cnt` OR `target`.`heap_session_funnel_step_3_cnt` IS DISTINCT FROM `changes`.`heap_session_funnel_step_3_cnt` OR `target`.`heap_session_funnel_step_4_cnt` IS DISTINCT FROM `changes`.`heap_session_funnel_step_4_cnt` OR `target`.`heap_session_conversion_cnt` IS DISTINCT FROM `changes`.`heap_session_conversion_cnt` OR `target`.`heap_session_is_conversion` IS DISTINCT FROM `changes`.`heap_session_is_conversion`) THEN UPDATE SET `heap_user_id` = `changes`.`heap_user_id`, `heap_session_sequence_num` = `changes`.`heap_session_sequence_num`, `heap_session_start_time` = `changes`.`heap_session_start_time`, `heap_session_conversion_lookback_14d` = `changes`.`heap_session_conversion_lookback_14d`, `heap_session_conversion_lookforward_14d` = `changes`.`heap_session_conversion_lookforward_14d`, `heap_session_country` = `changes`.`heap_session_country`, `heap_session_region` = `changes`.`heap_session_region`, `heap_session_city` = `changes`.`heap_session_city`, `heap_session_ip` = `changes`.`heap_session_ip`, `heap_session_referrer` = `changes`.`heap_session_referrer`, `heap_session_landing_page` = `changes`.`heap_session_landing_page`, `heap_session_landing_page_query` = `changes`.`heap_session_landing_page_query`, `heap_session_landing_page_hash` = `changes`.`heap_session_landing_page_hash`, `heap_session_browser` = `changes`.`heap_session_browser`, `heap_session_utm_source` = `changes`.`heap_session_utm_source`, `heap_session_utm_campaign` = `changes`.`heap_session_utm_campaign`, `heap_session_utm_medium` = `changes`.`heap_session_utm_medium`, `heap_session_utm_term` = `changes`.`heap_session_utm_term`, `heap_session_utm_content` = `changes`.`heap_session_utm_content`, `heap_session_library` = `changes`.`heap_session_library`, `heap_session_platform` = `changes`.`heap_session_platform`, `heap_session_device_type` = `changes`.`heap_session_device_type`, `heap_session_device` = `changes`.`heap_session_device`, `heap_session_defined_channel_attribution` = `changes`.`heap_session_defined_channel_attribution`, `heap_session_funnel_step_1_cnt` = `changes`.`heap_session_funnel_step_1_cnt`, `heap_session_funnel_step_2_cnt` = `changes`.`heap_session_funnel_step_2_cnt`, `heap_session_funnel_step_3_cnt` = `changes`.`heap_session_funnel_step_3_cnt`, `heap_session_funnel_step_4_cnt` = `changes`.`heap_session_funnel_step_4_cnt`, `heap_session_conversion_cnt` = `changes`.`heap_session_conversion_cnt`, `heap_session_is_conversion` = `changes`.`heap_session_is_conversion`
WHEN NOT MATCHED THEN INSERT (`heap_session_id`, `heap_user_id`, `heap_session_sequence_num`, `heap_session_start_time`, `heap_session_conversion_lookback_14d`, `heap_session_conversion_lookforward_14d`, `heap_session_country`, `heap_session_region`, `heap_session_city`, `heap_session_ip`, `heap_session_referrer`, `heap_session_landing_page`, `heap_session_landing_page_query`, `heap_session_landing_page_hash`, `heap_session_browser`, `heap_session_utm_source`, `heap_session_utm_campaign`, `heap_session_utm_medium`, `heap_session_utm_term`, `heap_session_utm_content`, `heap_session_library`, `heap_session_platform`, `heap_session_device_type`, `heap_session_device`, `heap_session_defined_channel_attribution`, `heap_session_funnel_step_1_cnt`, `heap_session_funnel_step_2_cnt`, `heap_session_funnel_step_3_cnt`, `heap_session_funnel_step_4_cnt`, `heap_session_conversion_cnt`, `heap_session_is_conversion`)
VALUES (`changes`.`heap_session_id`, `changes`.`heap_user_id`, `changes`.`heap_session_sequence_num`, `changes`.`heap_session_start_time`, `changes`.`heap_session_conversion_lookback_14d`, `changes`.`heap_session_conversion_lookforward_14d`, `changes`.`heap_session_country`, `changes`.`heap_session_region`, `changes`.`heap_session_city`, `changes`.`heap_session_ip`, `changes`.`heap_session_referrer`, `changes`.`heap_session_landing_page`, `changes`.`heap_session_landing_page_query`, `changes`.`heap_session_landing_page_hash`, `changes`.`heap_session_browser`, `changes`.`heap_session_utm_source`, `changes`.`heap_session_utm_campaign`, `changes`.`heap_session_utm_medium`, `changes`.`heap_session_utm_term`, `changes`.`heap_session_utm_content`, `changes`.`heap_session_library`, `changes`.`heap_session_platform`, `changes`.`heap_session_device_type`, `changes`.`heap_session_device`, `changes`.`heap_session_defined_channel_attribution`, `changes`.`heap_session_funnel_step_1_cnt`, `changes`.`heap_session_funnel_step_2_cnt`, `changes`.`heap_session_funnel_step_3_cnt`, `changes`.`heap_session_funnel_step_4_cnt`, `changes`.`heap_session_conversion_cnt`, `changes`.`heap_session_is_conversion`);

COMMIT TRANSACTION;
