WITH `funnel_time_to_convert_12_bins_any_order_events` AS (
  SELECT `heap_user_id`,
    `heap_session_id`,
    `heap_event_id`,
    `heap_event_time`,
      CASE WHEN `heap_event_name` = 'view_product' THEN TRUE ELSE FALSE END AS `is_step_1`,
      CASE WHEN `heap_event_name` = 'add_to_cart' THEN TRUE ELSE FALSE END AS `is_step_2`,
      CASE WHEN `heap_event_name` = 'purchase' THEN TRUE ELSE FALSE END AS `is_step_3`,
      CASE WHEN `heap_event_name` = 'view_product' OR `heap_event_name` = 'add_to_cart' OR `heap_event_name` = 'purchase' THEN TRUE ELSE FALSE END AS `is_funnel_event`,
      ROW_NUMBER() OVER (PARTITION BY `heap_user_id`, `heap_session_id` ORDER BY `heap_event_time` NULLS LAST, `heap_event_id` NULLS LAST) AS `event_seq`
  FROM `heap_models`.`stg_heap_events_all_inc_fct`
  WHERE `heap_event_time` IS NOT NULL AND `heap_user_id` IS NOT NULL AND `heap_session_id` IS NOT NULL AND (`heap_event_name` = 'view_product' OR `heap_event_name` = 'add_to_cart' OR `heap_event_name` = 'purchase')
),
`funnel_time_to_convert_12_bins_any_order_chain` AS (
  SELECT `heap_user_id`,
    `heap_session_id`,
    `heap_event_time`,
    `event_seq`,
    `is_step_1`,
    `is_step_2`,
    `is_step_3`,
    `is_funnel_event`,
      MIN(CASE WHEN `is_step_1` THEN `heap_event_time` ELSE NULL END) OVER (PARTITION BY `heap_user_id`, `heap_session_id` ORDER BY `event_seq` NULLS LAST ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS `step_1_time`,
      MIN(CASE WHEN `is_step_2` THEN `heap_event_time` ELSE NULL END) OVER (PARTITION BY `heap_user_id`, `heap_session_id` ORDER BY `event_seq` NULLS LAST ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS `step_2_time`,
      MIN(CASE WHEN `is_step_3` THEN `heap_event_time` ELSE NULL END) OVER (PARTITION BY `heap_user_id`, `heap_session_id` ORDER BY `event_seq` NULLS LAST ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS `step_3_time`
  FROM `funnel_time_to_convert_12_bins_any_order_events`
),
`funnel_time_to_convert_12_bins_any_order_attempts` AS (
  SELECT `heap_user_id`,
    `heap_session_id`,
    `event_seq` AS `start_seq`,
      CASE WHEN NOT CASE WHEN `step_1_time` IS NOT NULL AND `step_1_time` <= `heap_event_time` + INTERVAL '14' DAY THEN TRUE ELSE FALSE END THEN 0 WHEN NOT CASE WHEN `step_2_time` IS NOT NULL AND `step_2_time` <= `heap_event_time` + INTERVAL '14' DAY THEN TRUE ELSE FALSE END THEN 1 WHEN NOT CASE WHEN `step_3_time` IS NOT NULL AND `step_3_time` <= `heap_event_time` + INTERVAL '14' DAY THEN TRUE ELSE FALSE END THEN 2 ELSE 3 END AS `steps_reached`,
    CAST(CASE WHEN CASE WHEN `step_1_time` IS NOT NULL AND `step_1_time` <= `heap_event_time` + INTERVAL '14' DAY THEN TRUE ELSE FALSE END THEN UNIX_SECONDS(`step_1_time`) - UNIX_SECONDS(`heap_event_time`) ELSE NULL END AS BIGINT) AS `seconds_to_step_1`,
    CAST(CASE WHEN CASE WHEN `step_2_time` IS NOT NULL AND `step_2_time` <= `heap_event_time` + INTERVAL '14' DAY THEN TRUE ELSE FALSE END THEN UNIX_SECONDS(`step_2_time`) - UNIX_SECONDS(`heap_event_time`) ELSE NULL END AS BIGINT) AS `seconds_to_step_2`,
    CAST(CASE WHEN CASE WHEN `step_3_time` IS NOT NULL AND `step_3_time` <= `heap_event_time` + INTERVAL '14' DAY THEN TRUE ELSE FALSE END THEN UNIX_SECONDS(`step_3_time`) - UNIX_SECONDS(`heap_event_time`) ELSE NULL END AS BIGINT) AS `seconds_to_step_3`
  FROM `funnel_time_to_convert_12_bins_any_order_chain`
  WHERE `is_funnel_event`
),
`funnel_time_to_convert_12_bins_any_order_ranked_attempts` AS (
  SELECT `heap_user_id`,
    `heap_session_id`,
    `start_seq`,
    `steps_reached`,
    `seconds_to_step_1`,
    `seconds_to_step_2`,
    `seconds_to_step_3`,
      ROW_NUMBER() OVER (PARTITION BY `heap_user_id`, `heap_session_id` ORDER BY `steps_reached` DESC NULLS FIRST, `start_seq` NULLS LAST) AS `attempt_rank`
  FROM `funnel_time_to_convert_12_bins_any_order_attempts`
),
`funnel_time_to_convert_12_bins_any_order_entries` AS (
  SELECT `heap_user_id`,
    `heap_session_id`,
    `steps_reached`,
    `seconds_to_step_1`,
    `seconds_to_step_2`,
    `seconds_to_step_3`
  FROM `funnel_time_to_convert_12_bins_any_order_ranked_attempts`
  WHERE `attempt_rank` = 1 AND `steps_reached` >= 1
),
`funnel_time_to_convert_12_bins_any_order_conversion_times` AS (
  SELECT `heap_user_id`,
    `heap_session_id`,
        CASE WHEN `seconds_to_step_1` >= `seconds_to_step_2` AND `seconds_to_step_1` >= `seconds_to_step_3` THEN `seconds_to_step_1` WHEN `seconds_to_step_2` >= `seconds_to_step_3` THEN `seconds_to_step_2` ELSE `seconds_to_step_3` END - CASE WHEN `seconds_to_step_1` >= `seconds_to_step_2` THEN `seconds_to_step_1` ELSE `seconds_to_step_2` END AS `seconds`
  FROM `funnel_time_to_convert_12_bins_any_order_entries`
  WHERE `steps_reached` >= 3
),
`funnel_time_to_convert_12_bins_any_order_conversion_spread` AS (
  SELECT `seconds`,
      COUNT(*) OVER () AS `converted`,
      MIN(`seconds`) OVER () AS `min_seconds`,
      MAX(`seconds`) OVER () AS `max_seconds`
  FROM `funnel_time_to_convert_12_bins_any_order_conversion_times`
),
`funnel_time_to_convert_12_bins_any_order_histogram` AS (
  SELECT `seconds`,
    `converted`,
    `min_seconds`,
    `max_seconds`,
    12 AS `bins`
  FROM `funnel_time_to_convert_12_bins_any_order_conversion_spread`
),
`funnel_time_to_convert_12_bins_any_order_bin_width` AS (
  SELECT `seconds`,
    `converted`,
    `min_seconds`,
    `bins`,
      CASE WHEN `max_seconds` - `min_seconds` > 0 THEN CAST(CEIL(CAST(`max_seconds` - `min_seconds` AS DOUBLE) / CAST(`bins` AS DOUBLE)) AS BIGINT) ELSE 1 END AS `bin_width`
  FROM `funnel_time_to_convert_12_bins_any_order_histogram`
),
`funnel_time_to_convert_12_bins_any_order_unit_bins` AS (
  SELECT CAST(CASE WHEN 1 + FLOOR(CAST(`seconds` - `min_seconds` AS DOUBLE) / CAST(`bin_width` AS DOUBLE)) > `bins` THEN `bins` ELSE 1 + FLOOR(CAST(`seconds` - `min_seconds` AS DOUBLE) / CAST(`bin_width` AS DOUBLE)) END AS INTEGER) AS `bin`,
    `converted`,
    `min_seconds`,
    `bins`,
    `bin_width`
  FROM `funnel_time_to_convert_12_bins_any_order_bin_width`
)
SELECT `funnel_time_to_convert_12_bins_any_order_input`.`bin_number` AS `bin`,
  MIN(`funnel_time_to_convert_12_bins_any_order_unit_bins`.`min_seconds` + (`funnel_time_to_convert_12_bins_any_order_input`.`bin_number` - 1) * `funnel_time_to_convert_12_bins_any_order_unit_bins`.`bin_width`) AS `from_seconds`,
  MIN(`funnel_time_to_convert_12_bins_any_order_unit_bins`.`min_seconds` + `funnel_time_to_convert_12_bins_any_order_input`.`bin_number` * `funnel_time_to_convert_12_bins_any_order_unit_bins`.`bin_width`) AS `to_seconds`,
  CAST(SUM(CASE WHEN `funnel_time_to_convert_12_bins_any_order_unit_bins`.`bin` = `funnel_time_to_convert_12_bins_any_order_input`.`bin_number` THEN 1 ELSE 0 END) AS BIGINT) AS `units`,
    CAST(CAST(SUM(CASE WHEN `funnel_time_to_convert_12_bins_any_order_unit_bins`.`bin` = `funnel_time_to_convert_12_bins_any_order_input`.`bin_number` THEN 1 ELSE 0 END) AS BIGINT) AS DOUBLE) / CAST(MIN(`funnel_time_to_convert_12_bins_any_order_unit_bins`.`converted`) AS DOUBLE) AS `share`
FROM `funnel_time_to_convert_12_bins_any_order_unit_bins`
  CROSS JOIN (VALUES (1),
        (2),
        (3),
        (4),
        (5),
        (6),
        (7),
        (8),
        (9),
        (10),
        (11),
        (12)) AS `funnel_time_to_convert_12_bins_any_order_input` (`bin_number`)
GROUP BY `funnel_time_to_convert_12_bins_any_order_input`.`bin_number`
ORDER BY `funnel_time_to_convert_12_bins_any_order_input`.`bin_number` NULLS LAST
