CREATE OR REPLACE TABLE `heap_models`.`heap__current_prints` AS
SELECT `user_id` AS `user_id`, CAST('all_events' AS STRING) AS `source`, CAST(COUNT(*) AS INT64) AS `row_count`, CAST(SUM(MOD(FARM_FINGERPRINT(CONCAT(COALESCE(CAST(LENGTH(CAST(`event_id` AS STRING)) AS STRING) || ':' || CAST(`event_id` AS STRING), '-'), ',', COALESCE(CAST(LENGTH(CAST(`user_id` AS STRING)) AS STRING) || ':' || CAST(`user_id` AS STRING), '-'), ',', COALESCE(CAST(LENGTH(CAST(`session_id` AS STRING)) AS STRING) || ':' || CAST(`session_id` AS STRING), '-'), ',', COALESCE(CAST(LENGTH(CAST(`time` AS STRING)) AS STRING) || ':' || CAST(`time` AS STRING), '-'), ',', COALESCE(CAST(LENGTH(CAST(`event_table_name` AS STRING)) AS STRING) || ':' || CAST(`event_table_name` AS STRING), '-'))), 2147483647)) AS INT64) AS `hash_sum`
FROM `main_production`.`all_events`
WHERE `user_id` IS NOT NULL
GROUP BY `user_id`
UNION ALL
SELECT `user_id` AS `user_id`, CAST('pageviews' AS STRING) AS `source`, CAST(COUNT(*) AS INT64) AS `row_count`, CAST(SUM(MOD(FARM_FINGERPRINT(CONCAT(COALESCE(CAST(LENGTH(CAST(`event_id` AS STRING)) AS STRING) || ':' || CAST(`event_id` AS STRING), '-'), ',', COALESCE(CAST(LENGTH(CAST(`user_id` AS STRING)) AS STRING) || ':' || CAST(`user_id` AS STRING), '-'), ',', COALESCE(CAST(LENGTH(CAST(`session_id` AS STRING)) AS STRING) || ':' || CAST(`session_id` AS STRING), '-'), ',', COALESCE(CAST(LENGTH(CAST(`time` AS STRING)) AS STRING) || ':' || CAST(`time` AS STRING), '-'), ',', COALESCE(CAST(LENGTH(CAST(`domain` AS STRING)) AS STRING) || ':' || CAST(`domain` AS STRING), '-'), ',', COALESCE(CAST(LENGTH(CAST(`path` AS STRING)) AS STRING) || ':' || CAST(`path` AS STRING), '-'), ',', COALESCE(CAST(LENGTH(CAST(`query` AS STRING)) AS STRING) || ':' || CAST(`query` AS STRING), '-'), ',', COALESCE(CAST(LENGTH(CAST(`hash` AS STRING)) AS STRING) || ':' || CAST(`hash` AS STRING), '-'), ',', COALESCE(CAST(LENGTH(CAST(`title` AS STRING)) AS STRING) || ':' || CAST(`title` AS STRING), '-'), ',', COALESCE(CAST(LENGTH(CAST(`previous_page` AS STRING)) AS STRING) || ':' || CAST(`previous_page` AS STRING), '-'), ',', COALESCE(CAST(LENGTH(CAST(`gtm_campaign` AS STRING)) AS STRING) || ':' || CAST(`gtm_campaign` AS STRING), '-'), ',', COALESCE(CAST(LENGTH(CAST(`experiment_bucket` AS STRING)) AS STRING) || ':' || CAST(`experiment_bucket` AS STRING), '-'))), 2147483647)) AS INT64) AS `hash_sum`
FROM `main_production`.`pageviews`
WHERE `user_id` IS NOT NULL
GROUP BY `user_id`
UNION ALL
SELECT `user_id` AS `user_id`, CAST('sessions' AS STRING) AS `source`, CAST(COUNT(*) AS INT64) AS `row_count`, CAST(SUM(MOD(FARM_FINGERPRINT(CONCAT(COALESCE(CAST(LENGTH(CAST(`session_id` AS STRING)) AS STRING) || ':' || CAST(`session_id` AS STRING), '-'), ',', COALESCE(CAST(LENGTH(CAST(`user_id` AS STRING)) AS STRING) || ':' || CAST(`user_id` AS STRING), '-'), ',', COALESCE(CAST(LENGTH(CAST(`time` AS STRING)) AS STRING) || ':' || CAST(`time` AS STRING), '-'), ',', COALESCE(CAST(LENGTH(CAST(`library` AS STRING)) AS STRING) || ':' || CAST(`library` AS STRING), '-'), ',', COALESCE(CAST(LENGTH(CAST(`platform` AS STRING)) AS STRING) || ':' || CAST(`platform` AS STRING), '-'), ',', COALESCE(CAST(LENGTH(CAST(`device_type` AS STRING)) AS STRING) || ':' || CAST(`device_type` AS STRING), '-'), ',', COALESCE(CAST(LENGTH(CAST(`device` AS STRING)) AS STRING) || ':' || CAST(`device` AS STRING), '-'), ',', COALESCE(CAST(LENGTH(CAST(`country` AS STRING)) AS STRING) || ':' || CAST(`country` AS STRING), '-'), ',', COALESCE(CAST(LENGTH(CAST(`region` AS STRING)) AS STRING) || ':' || CAST(`region` AS STRING), '-'), ',', COALESCE(CAST(LENGTH(CAST(`city` AS STRING)) AS STRING) || ':' || CAST(`city` AS STRING), '-'), ',', COALESCE(CAST(LENGTH(CAST(`ip` AS STRING)) AS STRING) || ':' || CAST(`ip` AS STRING), '-'), ',', COALESCE(CAST(LENGTH(CAST(`referrer` AS STRING)) AS STRING) || ':' || CAST(`referrer` AS STRING), '-'), ',', COALESCE(CAST(LENGTH(CAST(`landing_page` AS STRING)) AS STRING) || ':' || CAST(`landing_page` AS STRING), '-'), ',', COALESCE(CAST(LENGTH(CAST(`landing_page_query` AS STRING)) AS STRING) || ':' || CAST(`landing_page_query` AS STRING), '-'), ',', COALESCE(CAST(LENGTH(CAST(`landing_page_hash` AS STRING)) AS STRING) || ':' || CAST(`landing_page_hash` AS STRING), '-'), ',', COALESCE(CAST(LENGTH(CAST(`browser` AS STRING)) AS STRING) || ':' || CAST(`browser` AS STRING), '-'), ',', COALESCE(CAST(LENGTH(CAST(`utm_source` AS STRING)) AS STRING) || ':' || CAST(`utm_source` AS STRING), '-'), ',', COALESCE(CAST(LENGTH(CAST(`utm_campaign` AS STRING)) AS STRING) || ':' || CAST(`utm_campaign` AS STRING), '-'), ',', COALESCE(CAST(LENGTH(CAST(`utm_medium` AS STRING)) AS STRING) || ':' || CAST(`utm_medium` AS STRING), '-'), ',', COALESCE(CAST(LENGTH(CAST(`utm_term` AS STRING)) AS STRING) || ':' || CAST(`utm_term` AS STRING), '-'), ',', COALESCE(CAST(LENGTH(CAST(`utm_content` AS STRING)) AS STRING) || ':' || CAST(`utm_content` AS STRING), '-'), ',', COALESCE(CAST(LENGTH(CAST(`campaign_type` AS STRING)) AS STRING) || ':' || CAST(`campaign_type` AS STRING), '-'))), 2147483647)) AS INT64) AS `hash_sum`
FROM `main_production`.`sessions`
WHERE `user_id` IS NOT NULL
GROUP BY `user_id`
UNION ALL
SELECT `from_user_id` AS `user_id`, CAST('user_migrations.from_user_id' AS STRING) AS `source`, CAST(COUNT(*) AS INT64) AS `row_count`, CAST(SUM(MOD(FARM_FINGERPRINT(CONCAT(COALESCE(CAST(LENGTH(CAST(`from_user_id` AS STRING)) AS STRING) || ':' || CAST(`from_user_id` AS STRING), '-'), ',', COALESCE(CAST(LENGTH(CAST(`to_user_id` AS STRING)) AS STRING) || ':' || CAST(`to_user_id` AS STRING), '-'), ',', COALESCE(CAST(LENGTH(CAST(`time` AS STRING)) AS STRING) || ':' || CAST(`time` AS STRING), '-'))), 2147483647)) AS INT64) AS `hash_sum`
FROM `main_production`.`user_migrations`
WHERE `from_user_id` IS NOT NULL
GROUP BY `from_user_id`
UNION ALL
SELECT `to_user_id` AS `user_id`, CAST('user_migrations.to_user_id' AS STRING) AS `source`, CAST(COUNT(*) AS INT64) AS `row_count`, CAST(SUM(MOD(FARM_FINGERPRINT(CONCAT(COALESCE(CAST(LENGTH(CAST(`from_user_id` AS STRING)) AS STRING) || ':' || CAST(`from_user_id` AS STRING), '-'), ',', COALESCE(CAST(LENGTH(CAST(`to_user_id` AS STRING)) AS STRING) || ':' || CAST(`to_user_id` AS STRING), '-'), ',', COALESCE(CAST(LENGTH(CAST(`time` AS STRING)) AS STRING) || ':' || CAST(`time` AS STRING), '-'))), 2147483647)) AS INT64) AS `hash_sum`
FROM `main_production`.`user_migrations`
WHERE `to_user_id` IS NOT NULL
GROUP BY `to_user_id`;

CREATE TABLE IF NOT EXISTS `heap_models`.`heap__source_prints` (`user_id` INT64, `source` STRING, `row_count` INT64, `hash_sum` INT64);

DELETE FROM `heap_models`.`heap__source_prints` WHERE `user_id` IN (SELECT `heap_user_id` FROM `heap_models`.`heap__active_users`);

BEGIN TRANSACTION;

DELETE FROM `heap_models`.`heap__source_prints` WHERE 1 = 1;

INSERT INTO `heap_models`.`heap__source_prints` (`user_id`, `source`, `row_count`, `hash_sum`)
SELECT `user_id`, `source`, `row_count`, `hash_sum` FROM `heap_models`.`heap__current_prints`
WHERE `user_id` NOT IN (
SELECT `user_id` AS `heap_user_id`
FROM (
  SELECT `user_id`, `source`, `row_count`, `hash_sum`, 1 AS `side` FROM `heap_models`.`heap__current_prints`
  WHERE `user_id` IN (SELECT `heap_user_id` FROM `heap_models`.`heap__active_users`)
  UNION ALL
  SELECT `user_id`, `source`, `row_count`, `hash_sum`, -1 AS `side` FROM (
SELECT `user_id` AS `user_id`, CAST('all_events' AS STRING) AS `source`, CAST(COUNT(*) AS INT64) AS `row_count`, CAST(SUM(MOD(FARM_FINGERPRINT(CONCAT(COALESCE(CAST(LENGTH(CAST(`event_id` AS STRING)) AS STRING) || ':' || CAST(`event_id` AS STRING), '-'), ',', COALESCE(CAST(LENGTH(CAST(`user_id` AS STRING)) AS STRING) || ':' || CAST(`user_id` AS STRING), '-'), ',', COALESCE(CAST(LENGTH(CAST(`session_id` AS STRING)) AS STRING) || ':' || CAST(`session_id` AS STRING), '-'), ',', COALESCE(CAST(LENGTH(CAST(`time` AS STRING)) AS STRING) || ':' || CAST(`time` AS STRING), '-'), ',', COALESCE(CAST(LENGTH(CAST(`event_table_name` AS STRING)) AS STRING) || ':' || CAST(`event_table_name` AS STRING), '-'))), 2147483647)) AS INT64) AS `hash_sum`
FROM `main_production`.`all_events`
WHERE `user_id` IS NOT NULL AND `user_id` IN (SELECT `heap_user_id` FROM `heap_models`.`heap__active_users`)
GROUP BY `user_id`
UNION ALL
SELECT `user_id` AS `user_id`, CAST('pageviews' AS STRING) AS `source`, CAST(COUNT(*) AS INT64) AS `row_count`, CAST(SUM(MOD(FARM_FINGERPRINT(CONCAT(COALESCE(CAST(LENGTH(CAST(`event_id` AS STRING)) AS STRING) || ':' || CAST(`event_id` AS STRING), '-'), ',', COALESCE(CAST(LENGTH(CAST(`user_id` AS STRING)) AS STRING) || ':' || CAST(`user_id` AS STRING), '-'), ',', COALESCE(CAST(LENGTH(CAST(`session_id` AS STRING)) AS STRING) || ':' || CAST(`session_id` AS STRING), '-'), ',', COALESCE(CAST(LENGTH(CAST(`time` AS STRING)) AS STRING) || ':' || CAST(`time` AS STRING), '-'), ',', COALESCE(CAST(LENGTH(CAST(`domain` AS STRING)) AS STRING) || ':' || CAST(`domain` AS STRING), '-'), ',', COALESCE(CAST(LENGTH(CAST(`path` AS STRING)) AS STRING) || ':' || CAST(`path` AS STRING), '-'), ',', COALESCE(CAST(LENGTH(CAST(`query` AS STRING)) AS STRING) || ':' || CAST(`query` AS STRING), '-'), ',', COALESCE(CAST(LENGTH(CAST(`hash` AS STRING)) AS STRING) || ':' || CAST(`hash` AS STRING), '-'), ',', COALESCE(CAST(LENGTH(CAST(`title` AS STRING)) AS STRING) || ':' || CAST(`title` AS STRING), '-'), ',', COALESCE(CAST(LENGTH(CAST(`previous_page` AS STRING)) AS STRING) || ':' || CAST(`previous_page` AS STRING), '-'), ',', COALESCE(CAST(LENGTH(CAST(`gtm_campaign` AS STRING)) AS STRING) || ':' || CAST(`gtm_campaign` AS STRING), '-'), ',', COALESCE(CAST(LENGTH(CAST(`experiment_bucket` AS STRING)) AS STRING) || ':' || CAST(`experiment_bucket` AS STRING), '-'))), 2147483647)) AS INT64) AS `hash_sum`
FROM `main_production`.`pageviews`
WHERE `user_id` IS NOT NULL AND `user_id` IN (SELECT `heap_user_id` FROM `heap_models`.`heap__active_users`)
GROUP BY `user_id`
UNION ALL
SELECT `user_id` AS `user_id`, CAST('sessions' AS STRING) AS `source`, CAST(COUNT(*) AS INT64) AS `row_count`, CAST(SUM(MOD(FARM_FINGERPRINT(CONCAT(COALESCE(CAST(LENGTH(CAST(`session_id` AS STRING)) AS STRING) || ':' || CAST(`session_id` AS STRING), '-'), ',', COALESCE(CAST(LENGTH(CAST(`user_id` AS STRING)) AS STRING) || ':' || CAST(`user_id` AS STRING), '-'), ',', COALESCE(CAST(LENGTH(CAST(`time` AS STRING)) AS STRING) || ':' || CAST(`time` AS STRING), '-'), ',', COALESCE(CAST(LENGTH(CAST(`library` AS STRING)) AS STRING) || ':' || CAST(`library` AS STRING), '-'), ',', COALESCE(CAST(LENGTH(CAST(`platform` AS STRING)) AS STRING) || ':' || CAST(`platform` AS STRING), '-'), ',', COALESCE(CAST(LENGTH(CAST(`device_type` AS STRING)) AS STRING) || ':' || CAST(`device_type` AS STRING), '-'), ',', COALESCE(CAST(LENGTH(CAST(`device` AS STRING)) AS STRING) || ':' || CAST(`device` AS STRING), '-'), ',', COALESCE(CAST(LENGTH(CAST(`country` AS STRING)) AS STRING) || ':' || CAST(`country` AS STRING), '-'), ',', COALESCE(CAST(LENGTH(CAST(`region` AS STRING)) AS STRING) || ':' || CAST(`region` AS STRING), '-'), ',', COALESCE(CAST(LENGTH(CAST(`city` AS STRING)) AS STRING) || ':' || CAST(`city` AS STRING), '-'), ',', COALESCE(CAST(LENGTH(CAST(`ip` AS STRING)) AS STRING) || ':' || CAST(`ip` AS STRING), '-'), ',', COALESCE(CAST(LENGTH(CAST(`referrer` AS STRING)) AS STRING) || ':' || CAST(`referrer` AS STRING), '-'), ',', COALESCE(CAST(LENGTH(CAST(`landing_page` AS STRING)) AS STRING) || ':' || CAST(`landing_page` AS STRING), '-'), ',', COALESCE(CAST(LENGTH(CAST(`landing_page_query` AS STRING)) AS STRING) || ':' || CAST(`landing_page_query` AS STRING), '-'), ',', COALESCE(CAST(LENGTH(CAST(`landing_page_hash` AS STRING)) AS STRING) || ':' || CAST(`landing_page_hash` AS STRING), '-'), ',', COALESCE(CAST(LENGTH(CAST(`browser` AS STRING)) AS STRING) || ':' || CAST(`browser` AS STRING), '-'), ',', COALESCE(CAST(LENGTH(CAST(`utm_source` AS STRING)) AS STRING) || ':' || CAST(`utm_source` AS STRING), '-'), ',', COALESCE(CAST(LENGTH(CAST(`utm_campaign` AS STRING)) AS STRING) || ':' || CAST(`utm_campaign` AS STRING), '-'), ',', COALESCE(CAST(LENGTH(CAST(`utm_medium` AS STRING)) AS STRING) || ':' || CAST(`utm_medium` AS STRING), '-'), ',', COALESCE(CAST(LENGTH(CAST(`utm_term` AS STRING)) AS STRING) || ':' || CAST(`utm_term` AS STRING), '-'), ',', COALESCE(CAST(LENGTH(CAST(`utm_content` AS STRING)) AS STRING) || ':' || CAST(`utm_content` AS STRING), '-'), ',', COALESCE(CAST(LENGTH(CAST(`campaign_type` AS STRING)) AS STRING) || ':' || CAST(`campaign_type` AS STRING), '-'))), 2147483647)) AS INT64) AS `hash_sum`
FROM `main_production`.`sessions`
WHERE `user_id` IS NOT NULL AND `user_id` IN (SELECT `heap_user_id` FROM `heap_models`.`heap__active_users`)
GROUP BY `user_id`
UNION ALL
SELECT `from_user_id` AS `user_id`, CAST('user_migrations.from_user_id' AS STRING) AS `source`, CAST(COUNT(*) AS INT64) AS `row_count`, CAST(SUM(MOD(FARM_FINGERPRINT(CONCAT(COALESCE(CAST(LENGTH(CAST(`from_user_id` AS STRING)) AS STRING) || ':' || CAST(`from_user_id` AS STRING), '-'), ',', COALESCE(CAST(LENGTH(CAST(`to_user_id` AS STRING)) AS STRING) || ':' || CAST(`to_user_id` AS STRING), '-'), ',', COALESCE(CAST(LENGTH(CAST(`time` AS STRING)) AS STRING) || ':' || CAST(`time` AS STRING), '-'))), 2147483647)) AS INT64) AS `hash_sum`
FROM `main_production`.`user_migrations`
WHERE `from_user_id` IS NOT NULL AND `from_user_id` IN (SELECT `heap_user_id` FROM `heap_models`.`heap__active_users`)
GROUP BY `from_user_id`
UNION ALL
SELECT `to_user_id` AS `user_id`, CAST('user_migrations.to_user_id' AS STRING) AS `source`, CAST(COUNT(*) AS INT64) AS `row_count`, CAST(SUM(MOD(FARM_FINGERPRINT(CONCAT(COALESCE(CAST(LENGTH(CAST(`from_user_id` AS STRING)) AS STRING) || ':' || CAST(`from_user_id` AS STRING), '-'), ',', COALESCE(CAST(LENGTH(CAST(`to_user_id` AS STRING)) AS STRING) || ':' || CAST(`to_user_id` AS STRING), '-'), ',', COALESCE(CAST(LENGTH(CAST(`time` AS STRING)) AS STRING) || ':' || CAST(`time` AS STRING), '-'))), 2147483647)) AS INT64) AS `hash_sum`
FROM `main_production`.`user_migrations`
WHERE `to_user_id` IS NOT NULL AND `to_user_id` IN (SELECT `heap_user_id` FROM `heap_models`.`heap__active_users`)
GROUP BY `to_user_id`
  ) AS `now`
) AS `prints`
GROUP BY `user_id`, `source`, `row_count`, `hash_sum`
HAVING SUM(`side`) <> 0
);

COMMIT TRANSACTION;
