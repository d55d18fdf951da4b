CREATE SCHEMA IF NOT EXISTS `heap_models`;

CREATE TABLE IF NOT EXISTS `heap_models`.`heap__source_prints` (`user_id` BIGINT, `source` STRING, `row_count` BIGINT, `hash_sum` BIGINT) USING DELTA;

CREATE TABLE IF NOT EXISTS `heap_models`.`heap__model_state` (`model` STRING, `fingerprint` STRING, `run_id` STRING, `built_at` TIMESTAMP, `row_count` BIGINT, `status` STRING) USING DELTA;

UPDATE `heap_models`.`heap__model_state`
SET `status` = 'written outside heap run'
WHERE `model` IN ('stg_heap_events_all_inc_fct', 'stg_heap_pageview_sessions_inc_fct', 'stg_heap_sessions_inc_fct');
