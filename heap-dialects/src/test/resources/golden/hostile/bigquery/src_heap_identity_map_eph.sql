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
)
SELECT `identity_chain_6`.`heap_from_user_id`,
  COALESCE(`identity_chain_60`.`heap__latest_merge_to`, `identity_chain_6`.`heap_to_user_id`) AS `heap_to_user_id`
FROM `identity_chain_6`
  LEFT JOIN `identity_chain_6` AS `identity_chain_60` ON `identity_chain_6`.`heap_to_user_id` = `identity_chain_60`.`heap_from_user_id`
