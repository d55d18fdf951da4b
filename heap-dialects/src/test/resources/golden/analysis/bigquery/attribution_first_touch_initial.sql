WITH `attribution_first_touch_initial_conversions` AS (
  SELECT `heap_event_id` AS `conversion_id`,
    `heap_user_id`,
    `heap_event_time` AS `conversion_time`,
    CAST(NULL AS FLOAT64) AS `conversion_value`
  FROM `heap_models`.`stg_heap_events_all_inc_fct`
  WHERE `heap_event_time` IS NOT NULL AND `heap_user_id` IS NOT NULL AND `heap_event_is_conversion`
),
`attribution_first_touch_initial_touches` AS (
  SELECT `attribution_first_touch_initial_conversions`.`conversion_id`,
    `attribution_first_touch_initial_conversions`.`conversion_time`,
    `attribution_first_touch_initial_conversions`.`conversion_value`,
    `stg_heap_sessions_inc_fct`.`heap_session_id` AS `touch_session_id`,
    `stg_heap_sessions_inc_fct`.`heap_session_start_time` AS `touch_time`,
      CASE WHEN `stg_heap_sessions_inc_fct`.`heap_session_id` IS NULL THEN '(none)' ELSE `stg_heap_sessions_inc_fct`.`heap_session_defined_channel_attribution` END AS `touch_label`,
      CASE WHEN `stg_heap_sessions_inc_fct`.`heap_session_defined_channel_attribution` = 'Direct' THEN TRUE ELSE FALSE END AS `touch_is_direct`
  FROM `attribution_first_touch_initial_conversions`
    LEFT JOIN `heap_models`.`stg_heap_sessions_inc_fct` ON `attribution_first_touch_initial_conversions`.`heap_user_id` = `stg_heap_sessions_inc_fct`.`heap_user_id` AND `attribution_first_touch_initial_conversions`.`conversion_time` >= `stg_heap_sessions_inc_fct`.`heap_session_start_time`
),
`attribution_first_touch_initial_weights` AS (
  SELECT `conversion_id`,
    `conversion_time`,
    `conversion_value`,
    `touch_session_id`,
    `touch_time`,
    `touch_label`,
    `touch_is_direct`,
    ROW_NUMBER() OVER (PARTITION BY `conversion_id` ORDER BY `touch_time` NULLS LAST, `touch_session_id` NULLS LAST) AS `touch_rank`
  FROM `attribution_first_touch_initial_touches`
)
SELECT `touch_label` AS `channel`,
  SUM(CASE WHEN `touch_session_id` IS NULL THEN CAST(1.0 AS FLOAT64) ELSE CASE WHEN `touch_rank` = 1 THEN CAST(1.0 AS FLOAT64) ELSE CAST(0.0 AS FLOAT64) END END) AS `conversions`,
  SUM(CASE WHEN `touch_session_id` IS NULL THEN CAST(1.0 AS FLOAT64) ELSE CASE WHEN `touch_rank` = 1 THEN CAST(1.0 AS FLOAT64) ELSE CAST(0.0 AS FLOAT64) END END * `conversion_value`) AS `value`
FROM `attribution_first_touch_initial_weights`
GROUP BY `touch_label`
ORDER BY 2 DESC NULLS FIRST,
  `touch_label` NULLS LAST
