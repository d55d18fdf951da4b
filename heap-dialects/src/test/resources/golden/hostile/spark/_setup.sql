CREATE SCHEMA IF NOT EXISTS `models; DROP`;

CREATE TABLE IF NOT EXISTS `models; DROP`.`heap__model_state` (`model` STRING, `fingerprint` STRING, `run_id` STRING, `built_at` TIMESTAMP, `row_count` BIGINT, `status` STRING) USING DELTA;

UPDATE `models; DROP`.`heap__model_state`
SET `status` = 'written outside heap run'
WHERE `model` IN ('stg_heap_events_all_inc_fct', 'stg_heap_pageview_sessions_inc_fct', 'stg_heap_sessions_inc_fct');
