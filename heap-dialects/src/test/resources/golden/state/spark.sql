-- createTables
CREATE SCHEMA IF NOT EXISTS `heap_models`;

-- createTables
CREATE TABLE IF NOT EXISTS `heap_models`.`heap__runs` (`run_id` STRING, `owner` STRING, `mode` STRING, `status` STRING, `started_at` TIMESTAMP, `heartbeat_at` TIMESTAMP, `finished_at` TIMESTAMP, `mark` TIMESTAMP, `next_mark` TIMESTAMP, `work_tables` STRING, `detail` STRING) USING DELTA;

-- createTables
CREATE TABLE IF NOT EXISTS `heap_models`.`heap__model_state` (`model` STRING, `fingerprint` STRING, `run_id` STRING, `built_at` TIMESTAMP, `row_count` BIGINT, `status` STRING) USING DELTA;

-- createTables
CREATE TABLE IF NOT EXISTS `heap_models`.`heap__run_lock` (`lock_name` STRING, `run_id` STRING, `owner` STRING, `started_at` TIMESTAMP, `heartbeat_at` TIMESTAMP) USING DELTA;

-- createTables
CREATE TABLE IF NOT EXISTS `heap_models`.`heap__run_settings` (`name` STRING, `value` STRING, `run_id` STRING) USING DELTA;

-- ensureLockRow
INSERT INTO `heap_models`.`heap__run_lock` (`lock_name`, `run_id`, `owner`, `started_at`, `heartbeat_at`)
SELECT 'run', CAST(NULL AS STRING), CAST(NULL AS STRING), CAST(NULL AS TIMESTAMP), CAST(NULL AS TIMESTAMP)
WHERE NOT EXISTS (SELECT 1 FROM `heap_models`.`heap__run_lock` WHERE `lock_name` = 'run');

-- acquireLock
UPDATE `heap_models`.`heap__run_lock`
SET `run_id` = '9f4ab676', `owner` = 'build-host/4242/9f4ab676', `started_at` = CAST('2024-03-31 23:59:58.123456' AS TIMESTAMP), `heartbeat_at` = CAST('2024-03-31 23:59:58.123456' AS TIMESTAMP)
WHERE `lock_name` = 'run' AND `run_id` IS NULL;

-- acquireLockFromStaleHolder
UPDATE `heap_models`.`heap__run_lock`
SET `run_id` = '9f4ab676', `owner` = 'build-host/4242/9f4ab676', `started_at` = CAST('2024-03-31 23:59:58.123456' AS TIMESTAMP), `heartbeat_at` = CAST('2024-03-31 23:59:58.123456' AS TIMESTAMP)
WHERE `lock_name` = 'run' AND `run_id` = '0dead0ff' AND (`heartbeat_at` IS NULL OR `heartbeat_at` < CAST('2024-03-31 23:49:58.123456' AS TIMESTAMP));

-- selectLock
SELECT `run_id`, `owner`, `started_at`, `heartbeat_at` FROM `heap_models`.`heap__run_lock` WHERE `lock_name` = 'run';

-- selectUnfinishedRuns
SELECT `run_id`, `owner`, `mode`, `status`, `started_at`, `heartbeat_at`, `finished_at`, `mark`, `next_mark`, `work_tables`, `detail` FROM `heap_models`.`heap__runs` WHERE `status` = 'running' OR (`work_tables` IS NOT NULL AND `work_tables` <> '');

-- selectLastSuccess
SELECT `run_id`, `owner`, `mode`, `status`, `started_at`, `heartbeat_at`, `finished_at`, `mark`, `next_mark`, `work_tables`, `detail` FROM `heap_models`.`heap__runs` WHERE `status` = 'succeeded' ORDER BY `finished_at` DESC LIMIT 1;

-- selectModelState
SELECT `model`, `fingerprint`, `run_id`, `built_at`, `row_count`, `status` FROM `heap_models`.`heap__model_state`;

-- insertRun
INSERT INTO `heap_models`.`heap__runs` (`run_id`, `owner`, `mode`, `status`, `started_at`, `heartbeat_at`, `finished_at`, `mark`, `next_mark`, `work_tables`, `detail`)
VALUES ('9f4ab676', 'build-host/4242/9f4ab676', 'incremental', 'running', CAST('2024-03-31 23:59:58.123456' AS TIMESTAMP), CAST('2024-03-31 23:59:58.123456' AS TIMESTAMP), CAST(NULL AS TIMESTAMP), CAST('2024-03-28 00:00:00.000000' AS TIMESTAMP), CAST(NULL AS TIMESTAMP), 'heap__active_users__r9f4ab676\nfct__changes__r9f4ab676', '');

-- markSelect
SELECT CAST('2024-03-28 00:00:00.000000' AS TIMESTAMP) AS `since`;

-- markSelect (every user)
SELECT CAST(NULL AS TIMESTAMP) AS `since`;

-- heartbeatLock
UPDATE `heap_models`.`heap__run_lock` SET `heartbeat_at` = CAST('2024-04-01 00:04:02.000001' AS TIMESTAMP) WHERE `lock_name` = 'run' AND `run_id` = '9f4ab676';

-- heartbeatRun
UPDATE `heap_models`.`heap__runs` SET `heartbeat_at` = CAST('2024-04-01 00:04:02.000001' AS TIMESTAMP) WHERE `run_id` = '9f4ab676' AND `status` = 'running';

-- selectRunHeartbeat
SELECT `heartbeat_at` FROM `heap_models`.`heap__runs` WHERE `run_id` = '9f4ab676' AND `status` = 'running';

-- replaceModelState
DELETE FROM `heap_models`.`heap__model_state` WHERE `model` = 'stg_heap_sessions_inc_fct';

-- replaceModelState
INSERT INTO `heap_models`.`heap__model_state` (`model`, `fingerprint`, `run_id`, `built_at`, `row_count`, `status`)
VALUES ('stg_heap_sessions_inc_fct', '19e8b96524a3', '9f4ab676', CAST('2024-04-01 00:04:02.000001' AS TIMESTAMP), 1234567, 'merged incrementally');

-- finishRun (succeeded)
UPDATE `heap_models`.`heap__runs`
SET `status` = 'succeeded', `finished_at` = CAST('2024-04-01 00:04:02.000001' AS TIMESTAMP), `heartbeat_at` = CAST('2024-04-01 00:04:02.000001' AS TIMESTAMP), `next_mark` = CAST('2024-03-31 23:04:02.000001' AS TIMESTAMP), `work_tables` = '', `detail` = '3 models built'
WHERE `run_id` = '9f4ab676';

-- finishRun (failed)
UPDATE `heap_models`.`heap__runs`
SET `status` = 'failed', `finished_at` = CAST('2024-04-01 00:04:02.000001' AS TIMESTAMP), `heartbeat_at` = CAST('2024-04-01 00:04:02.000001' AS TIMESTAMP), `next_mark` = CAST(NULL AS TIMESTAMP), `work_tables` = 'fct__changes__r9f4ab676', `detail` = 'ERROR: relation "x" doesn\'t exist -- it\'s\nback\\slash'
WHERE `run_id` = '9f4ab676';

-- releaseLock
UPDATE `heap_models`.`heap__run_lock` SET `run_id` = CAST(NULL AS STRING), `owner` = CAST(NULL AS STRING), `started_at` = CAST(NULL AS TIMESTAMP), `heartbeat_at` = CAST(NULL AS TIMESTAMP) WHERE `lock_name` = 'run' AND `run_id` = '9f4ab676';

-- markCrashed
UPDATE `heap_models`.`heap__runs`
SET `status` = 'crashed', `finished_at` = CAST('2024-04-01 00:04:02.000001' AS TIMESTAMP), `work_tables` = '', `detail` = 'did not finish; found by run 0c1d2e3f'
WHERE `run_id` = '9f4ab676' AND `status` = 'running';

-- clearWorkTables
UPDATE `heap_models`.`heap__runs` SET `work_tables` = '' WHERE `run_id` = '9f4ab676';

-- pruneRuns
DELETE FROM `heap_models`.`heap__runs`
WHERE `status` IN ('succeeded', 'failed', 'crashed') AND `finished_at` < CAST('2024-01-02 00:04:02.000001' AS TIMESTAMP) AND `run_id` <> '0c1d2e3f' AND (`work_tables` IS NULL OR `work_tables` = '');

-- replaceSettings
DELETE FROM `heap_models`.`heap__run_settings` WHERE `name` IS NOT NULL;

-- replaceSettings
INSERT INTO `heap_models`.`heap__run_settings` (`name`, `value`, `run_id`)
VALUES ('heap_version', '0.1.0', '9f4ab676'),
  ('late_arrival_lookback_days', '3', '9f4ab676');

-- selectSettings
SELECT `name`, `value`, `run_id` FROM `heap_models`.`heap__run_settings`;

-- selectRuns
SELECT `run_id`, `owner`, `mode`, `status`, `started_at`, `heartbeat_at`, `finished_at`, `mark`, `next_mark`, `work_tables`, `detail` FROM `heap_models`.`heap__runs` ORDER BY `started_at` DESC LIMIT 20;

-- SourceRowsBehindMark.countSelect
SELECT 'all_events' AS `source`, COUNT(DISTINCT CASE WHEN `time` < CAST('2024-03-28 00:00:00.000000' AS TIMESTAMP) THEN `event_id` END) AS `behind_mark`, COUNT(DISTINCT CASE WHEN `time` < CAST('2024-03-29 00:04:02.000001' AS TIMESTAMP) THEN `event_id` END) AS `behind_next_mark` FROM `main_production`.`all_events` WHERE `time` < CAST('2024-03-29 00:04:02.000001' AS TIMESTAMP)
UNION ALL
SELECT 'pageviews' AS `source`, COUNT(DISTINCT CASE WHEN `time` < CAST('2024-03-28 00:00:00.000000' AS TIMESTAMP) THEN `event_id` END) AS `behind_mark`, COUNT(DISTINCT CASE WHEN `time` < CAST('2024-03-29 00:04:02.000001' AS TIMESTAMP) THEN `event_id` END) AS `behind_next_mark` FROM `main_production`.`pageviews` WHERE `time` < CAST('2024-03-29 00:04:02.000001' AS TIMESTAMP)
UNION ALL
SELECT 'sessions' AS `source`, COUNT(DISTINCT CASE WHEN `time` < CAST('2024-03-28 00:00:00.000000' AS TIMESTAMP) THEN `session_id` END) AS `behind_mark`, COUNT(DISTINCT CASE WHEN `time` < CAST('2024-03-29 00:04:02.000001' AS TIMESTAMP) THEN `session_id` END) AS `behind_next_mark` FROM `main_production`.`sessions` WHERE `time` < CAST('2024-03-29 00:04:02.000001' AS TIMESTAMP)
UNION ALL
SELECT 'user_migrations' AS `source`, COUNT(DISTINCT CASE WHEN `time` < CAST('2024-03-28 00:00:00.000000' AS TIMESTAMP) AND `to_user_id` IS NOT NULL THEN `from_user_id` END) AS `behind_mark`, COUNT(DISTINCT CASE WHEN `time` < CAST('2024-03-29 00:04:02.000001' AS TIMESTAMP) AND `to_user_id` IS NOT NULL THEN `from_user_id` END) AS `behind_next_mark` FROM `main_production`.`user_migrations` WHERE `time` < CAST('2024-03-29 00:04:02.000001' AS TIMESTAMP);

-- SourceRowsBehindMark.countSelect (no mark to compare)
SELECT 'all_events' AS `source`, CAST(NULL AS BIGINT) AS `behind_mark`, COUNT(DISTINCT CASE WHEN `time` < CAST('2024-03-29 00:04:02.000001' AS TIMESTAMP) THEN `event_id` END) AS `behind_next_mark` FROM `main_production`.`all_events` WHERE `time` < CAST('2024-03-29 00:04:02.000001' AS TIMESTAMP)
UNION ALL
SELECT 'pageviews' AS `source`, CAST(NULL AS BIGINT) AS `behind_mark`, COUNT(DISTINCT CASE WHEN `time` < CAST('2024-03-29 00:04:02.000001' AS TIMESTAMP) THEN `event_id` END) AS `behind_next_mark` FROM `main_production`.`pageviews` WHERE `time` < CAST('2024-03-29 00:04:02.000001' AS TIMESTAMP)
UNION ALL
SELECT 'sessions' AS `source`, CAST(NULL AS BIGINT) AS `behind_mark`, COUNT(DISTINCT CASE WHEN `time` < CAST('2024-03-29 00:04:02.000001' AS TIMESTAMP) THEN `session_id` END) AS `behind_next_mark` FROM `main_production`.`sessions` WHERE `time` < CAST('2024-03-29 00:04:02.000001' AS TIMESTAMP)
UNION ALL
SELECT 'user_migrations' AS `source`, CAST(NULL AS BIGINT) AS `behind_mark`, COUNT(DISTINCT CASE WHEN `time` < CAST('2024-03-29 00:04:02.000001' AS TIMESTAMP) AND `to_user_id` IS NOT NULL THEN `from_user_id` END) AS `behind_next_mark` FROM `main_production`.`user_migrations` WHERE `time` < CAST('2024-03-29 00:04:02.000001' AS TIMESTAMP);

-- SourcesWithRows.select
SELECT 'users' AS `source`, COUNT(*) AS `has_rows` FROM (SELECT 1 AS `one` FROM `main_production`.`users` LIMIT 1) `first_row`
UNION ALL
SELECT 'sessions' AS `source`, COUNT(*) AS `has_rows` FROM (SELECT 1 AS `one` FROM `main_production`.`sessions` LIMIT 1) `first_row`
UNION ALL
SELECT 'pageviews' AS `source`, COUNT(*) AS `has_rows` FROM (SELECT 1 AS `one` FROM `main_production`.`pageviews` LIMIT 1) `first_row`
UNION ALL
SELECT 'all_events' AS `source`, COUNT(*) AS `has_rows` FROM (SELECT 1 AS `one` FROM `main_production`.`all_events` LIMIT 1) `first_row`
UNION ALL
SELECT 'user_migrations' AS `source`, COUNT(*) AS `has_rows` FROM (SELECT 1 AS `one` FROM `main_production`.`user_migrations` LIMIT 1) `first_row`;
