WITH `identity_merges_ranked` AS (
  SELECT `from_user_id` AS `heap_from_user_id`,
    `to_user_id` AS `heap_to_user_id`,
    `time` AS `heap_migration_time`,
      ROW_NUMBER() OVER (PARTITION BY `from_user_id` ORDER BY `time` DESC, `to_user_id` NULLS LAST) AS `heap__dedup_rank`
  FROM `Raw Data`.`heap-prod`.`user_migrations`
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
      FROM `Raw Data`.`heap-prod`.`sessions`
      WHERE `session_id` IS NOT NULL AND `user_id` IS NOT NULL) AS `sessions_ranked_input`
    LEFT JOIN `src_heap_identity_map_eph` ON `sessions_ranked_input`.`heap_user_id` = `src_heap_identity_map_eph`.`heap_from_user_id`
)
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
WHERE `heap__dedup_rank` = 1
