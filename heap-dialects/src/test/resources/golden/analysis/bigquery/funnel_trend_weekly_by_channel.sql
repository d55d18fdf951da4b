WITH `funnel_trend_weekly_by_channel_events` AS (
  SELECT `heap_user_id`,
    `heap_session_id`,
    `heap_event_id`,
    `heap_event_time`,
      CASE WHEN `heap_event_name` = 'view_product' THEN TRUE ELSE FALSE END AS `is_step_1`,
      CASE WHEN `heap_event_name` = 'add_to_cart' THEN TRUE ELSE FALSE END AS `is_step_2`,
      CASE WHEN `heap_event_name` = 'begin_checkout' THEN TRUE ELSE FALSE END AS `is_step_3`,
      CASE WHEN `heap_event_name` = 'purchase' THEN TRUE ELSE FALSE END AS `is_step_4`,
      CASE WHEN `heap_event_name` = 'view_product' OR `heap_event_name` = 'add_to_cart' OR `heap_event_name` = 'begin_checkout' OR `heap_event_name` = 'purchase' THEN TRUE ELSE FALSE END AS `is_funnel_event`,
    ROW_NUMBER() OVER (PARTITION BY `heap_user_id` ORDER BY `heap_event_time` NULLS LAST, `heap_event_id` NULLS LAST) AS `event_seq`,
    MIN(CASE WHEN `heap_event_name` = 'refund' THEN `heap_event_time` ELSE NULL END) OVER (PARTITION BY `heap_user_id` ORDER BY `heap_event_time` NULLS LAST, `heap_event_id` NULLS LAST ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS `exclusion_1_next_time`,
    MIN(CASE WHEN `heap_event_name` = 'coupon_removed' THEN `heap_event_time` ELSE NULL END) OVER (PARTITION BY `heap_user_id` ORDER BY `heap_event_time` NULLS LAST, `heap_event_id` NULLS LAST ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS `exclusion_2_next_time`
  FROM `heap_models`.`stg_heap_events_all_inc_fct`
  WHERE `heap_event_time` IS NOT NULL AND `heap_user_id` IS NOT NULL AND (`heap_event_name` = 'view_product' OR (`heap_event_name` = 'add_to_cart' OR `heap_event_name` = 'begin_checkout') OR (`heap_event_name` = 'purchase' OR (`heap_event_name` = 'refund' OR `heap_event_name` = 'coupon_removed')))
),
`funnel_trend_weekly_by_channel_exclusion_times` AS (
  SELECT `heap_user_id`,
    `heap_session_id`,
    `heap_event_time`,
    `event_seq`,
    `is_step_1`,
    `is_step_2`,
    `is_step_3`,
    `is_step_4`,
    `is_funnel_event`,
    MAX(CASE WHEN `exclusion_1_next_time` > `heap_event_time` THEN `exclusion_1_next_time` ELSE NULL END) OVER (PARTITION BY `heap_user_id`, `heap_event_time`) AS `exclusion_1_time`,
    MAX(CASE WHEN `exclusion_2_next_time` > `heap_event_time` THEN `exclusion_2_next_time` ELSE NULL END) OVER (PARTITION BY `heap_user_id`, `heap_event_time`) AS `exclusion_2_time`
  FROM `funnel_trend_weekly_by_channel_events`
),
`funnel_trend_weekly_by_channel_chain_3` AS (
  SELECT `heap_user_id`,
    `heap_session_id`,
    `heap_event_time`,
    `event_seq`,
    `is_step_1`,
    `is_step_2`,
    `is_step_3`,
    `is_step_4`,
    `is_funnel_event`,
    `exclusion_1_time`,
    `exclusion_2_time`,
    MIN(CASE WHEN `is_step_4` THEN `heap_event_time` ELSE NULL END) OVER (PARTITION BY `heap_user_id` ORDER BY `event_seq` NULLS LAST ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS `chain_3_step_4_time`
  FROM `funnel_trend_weekly_by_channel_exclusion_times`
  WHERE `is_funnel_event`
),
`funnel_trend_weekly_by_channel_chain_2` AS (
  SELECT `heap_user_id`,
    `heap_session_id`,
    `heap_event_time`,
    `event_seq`,
    `is_step_1`,
    `is_step_2`,
    `is_step_3`,
    `is_step_4`,
    `is_funnel_event`,
    `exclusion_1_time`,
    `exclusion_2_time`,
    MIN(CASE WHEN `is_step_3` THEN `heap_event_time` ELSE NULL END) OVER (PARTITION BY `heap_user_id` ORDER BY `event_seq` NULLS LAST ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS `chain_2_step_3_time`,
    MIN(CASE WHEN `is_step_3` THEN `chain_3_step_4_time` ELSE NULL END) OVER (PARTITION BY `heap_user_id` ORDER BY `event_seq` NULLS LAST ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS `chain_2_step_4_time`
  FROM `funnel_trend_weekly_by_channel_chain_3`
),
`funnel_trend_weekly_by_channel_chain_1` AS (
  SELECT `heap_user_id`,
    `heap_session_id`,
    `heap_event_time`,
    `event_seq`,
    `is_step_1`,
    `is_step_2`,
    `is_step_3`,
    `is_step_4`,
    `is_funnel_event`,
    `exclusion_1_time`,
    `exclusion_2_time`,
    MIN(CASE WHEN `is_step_2` THEN `heap_event_time` ELSE NULL END) OVER (PARTITION BY `heap_user_id` ORDER BY `event_seq` NULLS LAST ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS `chain_1_step_2_time`,
    MIN(CASE WHEN `is_step_2` THEN `chain_2_step_3_time` ELSE NULL END) OVER (PARTITION BY `heap_user_id` ORDER BY `event_seq` NULLS LAST ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS `chain_1_step_3_time`,
    MIN(CASE WHEN `is_step_2` THEN `chain_2_step_4_time` ELSE NULL END) OVER (PARTITION BY `heap_user_id` ORDER BY `event_seq` NULLS LAST ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS `chain_1_step_4_time`,
    MIN(CASE WHEN `is_step_2` THEN `exclusion_2_time` ELSE NULL END) OVER (PARTITION BY `heap_user_id` ORDER BY `event_seq` NULLS LAST ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS `chain_1_exclusion_2_time`
  FROM `funnel_trend_weekly_by_channel_chain_2`
),
`funnel_trend_weekly_by_channel_attempts` AS (
  SELECT `heap_user_id`,
    `heap_session_id`,
    `event_seq` AS `start_seq`,
    DATE(TIMESTAMP_TRUNC(`heap_event_time`, ISOWEEK, 'UTC'), 'UTC') AS `period`,
          1 + CASE WHEN CASE WHEN `chain_1_step_2_time` IS NOT NULL AND `chain_1_step_2_time` <= TIMESTAMP_ADD(`heap_event_time`, INTERVAL 3 DAY) THEN TRUE ELSE FALSE END THEN 1 ELSE 0 END + CASE WHEN CASE WHEN `chain_1_step_3_time` IS NOT NULL AND `chain_1_step_3_time` <= TIMESTAMP_ADD(`heap_event_time`, INTERVAL 3 DAY) THEN TRUE ELSE FALSE END THEN 1 ELSE 0 END + CASE WHEN CASE WHEN `chain_1_step_4_time` IS NOT NULL AND `chain_1_step_4_time` <= TIMESTAMP_ADD(`heap_event_time`, INTERVAL 3 DAY) THEN TRUE ELSE FALSE END THEN 1 ELSE 0 END AS `steps_reached`,
    0 AS `seconds_to_step_1`,
    CAST(CASE WHEN CASE WHEN `chain_1_step_2_time` IS NOT NULL AND `chain_1_step_2_time` <= TIMESTAMP_ADD(`heap_event_time`, INTERVAL 3 DAY) THEN TRUE ELSE FALSE END THEN UNIX_SECONDS(`chain_1_step_2_time`) - UNIX_SECONDS(`heap_event_time`) ELSE NULL END AS INT64) AS `seconds_to_step_2`,
    CAST(CASE WHEN CASE WHEN `chain_1_step_3_time` IS NOT NULL AND `chain_1_step_3_time` <= TIMESTAMP_ADD(`heap_event_time`, INTERVAL 3 DAY) THEN TRUE ELSE FALSE END THEN UNIX_SECONDS(`chain_1_step_3_time`) - UNIX_SECONDS(`heap_event_time`) ELSE NULL END AS INT64) AS `seconds_to_step_3`,
    CAST(CASE WHEN CASE WHEN `chain_1_step_4_time` IS NOT NULL AND `chain_1_step_4_time` <= TIMESTAMP_ADD(`heap_event_time`, INTERVAL 3 DAY) THEN TRUE ELSE FALSE END THEN UNIX_SECONDS(`chain_1_step_4_time`) - UNIX_SECONDS(`heap_event_time`) ELSE NULL END AS INT64) AS `seconds_to_step_4`,
      CASE WHEN `exclusion_1_time` <= TIMESTAMP_ADD(`heap_event_time`, INTERVAL 3 DAY) THEN CASE WHEN NOT (`heap_event_time` IS NOT NULL AND `heap_event_time` <= `exclusion_1_time`) THEN 0 WHEN NOT (`chain_1_step_2_time` IS NOT NULL AND `chain_1_step_2_time` <= `exclusion_1_time`) THEN 1 WHEN NOT (`chain_1_step_3_time` IS NOT NULL AND `chain_1_step_3_time` <= `exclusion_1_time`) THEN 2 WHEN NOT (`chain_1_step_4_time` IS NOT NULL AND `chain_1_step_4_time` <= `exclusion_1_time`) THEN 3 ELSE 4 END ELSE NULL END AS `exclusion_1_after_step`,
      CASE WHEN `chain_1_exclusion_2_time` <= TIMESTAMP_ADD(`heap_event_time`, INTERVAL 3 DAY) THEN CASE WHEN NOT (`heap_event_time` IS NOT NULL AND `heap_event_time` <= `chain_1_exclusion_2_time`) THEN 0 WHEN NOT (`chain_1_step_2_time` IS NOT NULL AND `chain_1_step_2_time` <= `chain_1_exclusion_2_time`) THEN 1 WHEN NOT (`chain_1_step_3_time` IS NOT NULL AND `chain_1_step_3_time` <= `chain_1_exclusion_2_time`) THEN 2 WHEN NOT (`chain_1_step_4_time` IS NOT NULL AND `chain_1_step_4_time` <= `chain_1_exclusion_2_time`) THEN 3 ELSE 4 END ELSE NULL END AS `exclusion_2_after_step`
  FROM `funnel_trend_weekly_by_channel_chain_1`
  WHERE `is_step_1`
),
`funnel_trend_weekly_by_channel_screened_attempts` AS (
  SELECT `heap_user_id`,
    `heap_session_id`,
    `start_seq`,
    `period`,
    `steps_reached`,
    `seconds_to_step_1`,
    `seconds_to_step_2`,
    `seconds_to_step_3`,
    `seconds_to_step_4`,
    `exclusion_1_after_step`,
    `exclusion_2_after_step`,
      CASE WHEN `exclusion_1_after_step` < 4 OR `exclusion_2_after_step` < 3 THEN 1 ELSE 0 END AS `excluded`,
            CASE WHEN `steps_reached` >= 1 AND NOT CASE WHEN `exclusion_1_after_step` < 4 AND `exclusion_1_after_step` < 0 THEN TRUE ELSE FALSE END AND NOT CASE WHEN `exclusion_2_after_step` < 3 AND `exclusion_2_after_step` < 0 THEN TRUE ELSE FALSE END THEN 1 ELSE 0 END + CASE WHEN `steps_reached` >= 2 AND NOT CASE WHEN `exclusion_1_after_step` < 4 AND `exclusion_1_after_step` < 1 THEN TRUE ELSE FALSE END AND NOT CASE WHEN `exclusion_2_after_step` < 3 AND `exclusion_2_after_step` < 1 THEN TRUE ELSE FALSE END THEN 1 ELSE 0 END + CASE WHEN `steps_reached` >= 3 AND NOT CASE WHEN `exclusion_1_after_step` < 4 AND `exclusion_1_after_step` < 2 THEN TRUE ELSE FALSE END AND NOT CASE WHEN `exclusion_2_after_step` < 3 AND `exclusion_2_after_step` < 2 THEN TRUE ELSE FALSE END THEN 1 ELSE 0 END + CASE WHEN `steps_reached` >= 4 AND NOT CASE WHEN `exclusion_1_after_step` < 4 AND `exclusion_1_after_step` < 3 THEN TRUE ELSE FALSE END AND NOT CASE WHEN `exclusion_2_after_step` < 3 THEN TRUE ELSE FALSE END THEN 1 ELSE 0 END AS `reach`
  FROM `funnel_trend_weekly_by_channel_attempts`
),
`funnel_trend_weekly_by_channel_ranked_attempts` AS (
  SELECT `heap_user_id`,
    `heap_session_id`,
    `start_seq`,
    `period`,
    `steps_reached`,
    `seconds_to_step_1`,
    `seconds_to_step_2`,
    `seconds_to_step_3`,
    `seconds_to_step_4`,
    `exclusion_1_after_step`,
    `exclusion_2_after_step`,
    `excluded`,
    `reach`,
    ROW_NUMBER() OVER (PARTITION BY `heap_user_id`, `period` ORDER BY `reach` DESC NULLS FIRST, `excluded` NULLS LAST, `start_seq` NULLS LAST) AS `attempt_rank`
  FROM `funnel_trend_weekly_by_channel_screened_attempts`
),
`funnel_trend_weekly_by_channel_entries` AS (
  SELECT `funnel_trend_weekly_by_channel_entries_input`.`heap_user_id`,
    `stg_heap_sessions_inc_fct`.`heap_session_defined_channel_attribution` AS `breakdown_value`,
    `funnel_trend_weekly_by_channel_entries_input`.`period`,
    `funnel_trend_weekly_by_channel_entries_input`.`steps_reached`,
    `funnel_trend_weekly_by_channel_entries_input`.`seconds_to_step_1`,
    `funnel_trend_weekly_by_channel_entries_input`.`seconds_to_step_2`,
    `funnel_trend_weekly_by_channel_entries_input`.`seconds_to_step_3`,
    `funnel_trend_weekly_by_channel_entries_input`.`seconds_to_step_4`
  FROM (SELECT `heap_user_id`,
        `period`,
        `steps_reached`,
        `seconds_to_step_1`,
        `seconds_to_step_2`,
        `seconds_to_step_3`,
        `seconds_to_step_4`,
        `heap_session_id` AS `attributed_session_id`
      FROM `funnel_trend_weekly_by_channel_ranked_attempts`
      WHERE `attempt_rank` = 1 AND `reach` >= 1 AND `excluded` = 0) AS `funnel_trend_weekly_by_channel_entries_input`
    LEFT JOIN `heap_models`.`stg_heap_sessions_inc_fct` ON `funnel_trend_weekly_by_channel_entries_input`.`attributed_session_id` = `stg_heap_sessions_inc_fct`.`heap_session_id`
)
SELECT `breakdown_value` AS `channel`,
  `period`,
  COUNT(*) AS `entered`,
  SUM(CASE WHEN `steps_reached` >= 4 THEN 1 ELSE 0 END) AS `converted`,
    CASE WHEN COUNT(*) > 0 THEN CAST(SUM(CASE WHEN `steps_reached` >= 4 THEN 1 ELSE 0 END) AS FLOAT64) / CAST(COUNT(*) AS FLOAT64) ELSE NULL END AS `conversion`
FROM `funnel_trend_weekly_by_channel_entries`
GROUP BY `breakdown_value`,
  `period`
ORDER BY `breakdown_value` NULLS LAST,
  `period` NULLS LAST
