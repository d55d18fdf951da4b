SELECT DATE(`heap_session_start_time`, 'UTC') AS `activity_date`,
  `heap_session_defined_channel_attribution` AS `channel`,
  COUNT(DISTINCT `heap_user_id`) AS `active_users`,
  COUNT(*) AS `sessions`,
    CASE WHEN COUNT(*) = 0 THEN NULL ELSE CAST(SUM(CASE WHEN `heap_session_is_conversion` THEN 1 ELSE 0 END) AS FLOAT64) / CAST(COUNT(*) AS FLOAT64) END AS `conversion_rate`
FROM `heap_models`.`stg_heap_sessions_inc_fct`
GROUP BY `heap_session_defined_channel_attribution`,
  DATE(`heap_session_start_time`, 'UTC')
