CREATE SCHEMA IF NOT EXISTS `bunseki_models`;

CREATE TABLE IF NOT EXISTS `bunseki_models`.`heap__model_state` (`model` STRING, `fingerprint` STRING, `run_id` STRING, `built_at` TIMESTAMP, `row_count` INT64, `status` STRING);

UPDATE `bunseki_models`.`heap__model_state`
SET `status` = 'written outside heap run'
WHERE `model` IN ('stg_heap_events_all_inc_fct', 'stg_heap_pageview_sessions_inc_fct', 'stg_heap_sessions_inc_fct');
