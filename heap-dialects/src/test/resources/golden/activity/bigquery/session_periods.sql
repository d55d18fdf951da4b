SELECT `heap_session_id`,
  TIMESTAMP_TRUNC(`heap_session_start_time`, HOUR, 'UTC') AS `start_hour`,
  TIMESTAMP_TRUNC(`heap_session_start_time`, DAY, 'UTC') AS `start_day`,
  TIMESTAMP_TRUNC(`heap_session_start_time`, ISOWEEK, 'UTC') AS `start_week`,
  TIMESTAMP_TRUNC(`heap_session_start_time`, MONTH, 'UTC') AS `start_month`,
  TIMESTAMP_TRUNC(`heap_session_start_time`, QUARTER, 'UTC') AS `start_quarter`,
  TIMESTAMP_TRUNC(`heap_session_start_time`, YEAR, 'UTC') AS `start_year`,
  DATE(`heap_session_start_time`, 'UTC') AS `start_date`,
        `heap_session_defined_channel_attribution` = 'Paid Google Search' OR `heap_session_defined_channel_attribution` = 'Paid Bing Search' OR `heap_session_defined_channel_attribution` = 'Facebook Paid' AS `is_paid`,
  COALESCE(`heap_session_utm_source`, '(none)') AS `utm_source`,
    CASE WHEN `heap_session_conversion_cnt` = 0 THEN NULL ELSE CAST(`heap_session_funnel_step_1_cnt` AS FLOAT64) / CAST(`heap_session_conversion_cnt` AS FLOAT64) END AS `first_steps_per_conversion`
FROM `heap_models`.`stg_heap_sessions_inc_fct`
