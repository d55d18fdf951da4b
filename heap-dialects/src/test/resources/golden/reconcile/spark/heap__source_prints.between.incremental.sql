CREATE TABLE IF NOT EXISTS `heap_models`.`heap__source_prints` (`user_id` BIGINT, `source` STRING, `row_count` BIGINT, `hash_sum` BIGINT) USING DELTA;

MERGE INTO `heap_models`.`heap__source_prints` AS `target`
USING (SELECT DISTINCT `heap_user_id` FROM `heap_models`.`heap__active_users`) AS `keys`
ON `target`.`user_id` = `keys`.`heap_user_id`
WHEN MATCHED THEN DELETE;
