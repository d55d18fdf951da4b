CREATE SCHEMA IF NOT EXISTS `heap_models`
OPTIONS(location = 'EU');

CREATE TABLE IF NOT EXISTS `heap_models`.`heap__source_prints` (`user_id` INT64, `source` STRING, `row_count` INT64, `hash_sum` INT64);
