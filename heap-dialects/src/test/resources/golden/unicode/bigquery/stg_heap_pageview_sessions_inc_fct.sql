DROP TABLE IF EXISTS `bunseki_models`.`stg_heap_pageview_sessions_inc_fct__new`;

CREATE TABLE `bunseki_models`.`stg_heap_pageview_sessions_inc_fct__new`
PARTITION BY DATE(`heap_pageview_time`)
CLUSTER BY `heap_user_id`
AS
WITH `pageviews_ranked` AS (
  SELECT `event_id` AS `heap_pageview_id`,
    `user_id` AS `heap_user_id`,
    `session_id` AS `heap_session_id`,
    `time` AS `heap_pageview_time`,
    `domain` AS `heap_pageview_domain`,
    `path` AS `heap_pageview_path`,
    `query` AS `heap_pageview_query`,
    `hash` AS `heap_pageview_hash`,
    `title` AS `heap_pageview_title`,
    `previous_page` AS `heap_pageview_previous_page`,
    `キャンペーン`,
    `эксперимент`,
    ROW_NUMBER() OVER (PARTITION BY `event_id` ORDER BY `time` DESC, `user_id` NULLS LAST, `session_id` NULLS LAST, `domain` NULLS LAST, `path` NULLS LAST, `query` NULLS LAST, `hash` NULLS LAST, `title` NULLS LAST, `previous_page` NULLS LAST, `キャンペーン` NULLS LAST, `эксперимент` NULLS LAST) AS `heap__dedup_rank`
  FROM `heap_honban`.`ページビュー` AS `pageviews`
  WHERE `event_id` IS NOT NULL AND `user_id` IS NOT NULL
),
`src_heap_pageviews_eph` AS (
  SELECT `heap_pageview_id`,
    `heap_user_id`,
    `heap_session_id`,
    `heap_pageview_time`,
    `heap_pageview_domain`,
    `heap_pageview_path`,
    `heap_pageview_query`,
    `heap_pageview_hash`,
    `heap_pageview_title`,
    `heap_pageview_previous_page`,
    `キャンペーン`,
    `эксперимент`
  FROM `pageviews_ranked`
  WHERE `heap__dedup_rank` = 1
),
`pageviews_with_previous` AS (
  SELECT `heap_pageview_id`,
    `heap_user_id`,
    `heap_pageview_time`,
    LAG(`heap_pageview_time`) OVER (PARTITION BY `heap_user_id` ORDER BY `heap_pageview_time` NULLS LAST, `heap_pageview_id` NULLS LAST) AS `heap__previous_pageview_time`
  FROM `src_heap_pageviews_eph`
),
`pageviews_session_indexed` AS (
  SELECT `heap_pageview_id`,
    `heap_user_id`,
    `heap_pageview_time`,
      CASE WHEN `heap_pageview_time` IS NULL THEN NULL ELSE COUNT(CASE WHEN `heap__previous_pageview_time` IS NULL OR `heap_pageview_time` > TIMESTAMP_ADD(`heap__previous_pageview_time`, INTERVAL 30 MINUTE) THEN 1 ELSE NULL END) OVER (PARTITION BY `heap_user_id` ORDER BY `heap_pageview_time` NULLS LAST, `heap_pageview_id` NULLS LAST ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) END AS `heap_pageview_session_index`
  FROM `pageviews_with_previous`
),
`pageviews_sessionized` AS (
  SELECT `heap_pageview_id` AS `heap__session_of`,
    `heap_pageview_session_index`,
    ROW_NUMBER() OVER (PARTITION BY `heap_user_id`, `heap_pageview_session_index` ORDER BY `heap_pageview_time` NULLS LAST, `heap_pageview_id` NULLS LAST) AS `heap__session_sequence_number`,
    FIRST_VALUE(`heap_pageview_time`) OVER (PARTITION BY `heap_user_id`, `heap_pageview_session_index` ORDER BY `heap_pageview_time` NULLS LAST, `heap_pageview_id` NULLS LAST ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS `heap__session_start_time`,
    LAST_VALUE(`heap_pageview_time`) OVER (PARTITION BY `heap_user_id`, `heap_pageview_session_index` ORDER BY `heap_pageview_time` NULLS LAST, `heap_pageview_id` NULLS LAST ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS `heap__session_end_time`,
    FIRST_VALUE(`heap_pageview_id`) OVER (PARTITION BY `heap_user_id`, `heap_pageview_session_index` ORDER BY `heap_pageview_time` NULLS LAST, `heap_pageview_id` NULLS LAST ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS `heap__session_first_pageview_id`,
    LAST_VALUE(`heap_pageview_id`) OVER (PARTITION BY `heap_user_id`, `heap_pageview_session_index` ORDER BY `heap_pageview_time` NULLS LAST, `heap_pageview_id` NULLS LAST ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS `heap__session_last_pageview_id`
  FROM `pageviews_session_indexed`
)
SELECT `src_heap_pageviews_eph`.`heap_pageview_id`,
  `src_heap_pageviews_eph`.`heap_user_id`,
  `src_heap_pageviews_eph`.`heap_session_id`,
  `src_heap_pageviews_eph`.`heap_pageview_time`,
  `src_heap_pageviews_eph`.`heap_pageview_domain`,
  `src_heap_pageviews_eph`.`heap_pageview_path`,
  `src_heap_pageviews_eph`.`heap_pageview_query`,
  `src_heap_pageviews_eph`.`heap_pageview_hash`,
  `src_heap_pageviews_eph`.`heap_pageview_title`,
  `src_heap_pageviews_eph`.`heap_pageview_previous_page`,
    CASE WHEN `pageviews_sessionized`.`heap_pageview_session_index` IS NULL THEN NULL ELSE CAST(`src_heap_pageviews_eph`.`heap_user_id` AS STRING) || '_' || CAST(`pageviews_sessionized`.`heap_pageview_session_index` AS STRING) END AS `heap_pageview_session_id`,
  `pageviews_sessionized`.`heap_pageview_session_index`,
    CASE WHEN `src_heap_pageviews_eph`.`heap_pageview_time` IS NULL THEN NULL ELSE `pageviews_sessionized`.`heap__session_sequence_number` END AS `heap_pageview_session_sequence_number`,
  `pageviews_sessionized`.`heap__session_start_time` AS `heap_pageview_session_start_time`,
  `pageviews_sessionized`.`heap__session_end_time` AS `heap_pageview_session_end_time`,
    CASE WHEN `src_heap_pageviews_eph`.`heap_pageview_time` IS NULL THEN NULL ELSE `pageviews_sessionized`.`heap__session_first_pageview_id` END AS `heap_pageview_session_first_pageview_id`,
    CASE WHEN `src_heap_pageviews_eph`.`heap_pageview_time` IS NULL THEN NULL ELSE `pageviews_sessionized`.`heap__session_last_pageview_id` END AS `heap_pageview_session_last_pageview_id`,
  UNIX_SECONDS(`pageviews_sessionized`.`heap__session_start_time`) AS `heap_pageview_session_start_epoch`,
  UNIX_SECONDS(`pageviews_sessionized`.`heap__session_end_time`) AS `heap_pageview_session_end_epoch`,
  `src_heap_pageviews_eph`.`キャンペーン`,
  `src_heap_pageviews_eph`.`эксперимент`
FROM `pageviews_sessionized`
  INNER JOIN `src_heap_pageviews_eph` ON `pageviews_sessionized`.`heap__session_of` = `src_heap_pageviews_eph`.`heap_pageview_id`
WHERE `src_heap_pageviews_eph`.`heap_pageview_id` IS NOT NULL;

DROP TABLE IF EXISTS `bunseki_models`.`stg_heap_pageview_sessions_inc_fct`;

ALTER TABLE `bunseki_models`.`stg_heap_pageview_sessions_inc_fct__new` RENAME TO `stg_heap_pageview_sessions_inc_fct`;
