CREATE TABLE IF NOT EXISTS `heap_models`.`heap__source_prints` (`user_id` INT64, `source` STRING, `row_count` INT64, `hash_sum` INT64);

DELETE FROM `heap_models`.`heap__source_prints` WHERE `user_id` IN (SELECT `heap_user_id` FROM `heap_models`.`heap__active_users`);
