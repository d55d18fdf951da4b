WITH `paths_before_purchase_per_session_with_repeats_items` AS (
  SELECT `heap_user_id`,
    `heap_session_id`,
    `heap_event_time` AS `item_time`,
    `heap_event_id` AS `item_id`,
    `heap_event_name` AS `item`
  FROM `heap_models`.`stg_heap_events_all_inc_fct`
  WHERE `heap_event_time` IS NOT NULL AND `heap_user_id` IS NOT NULL AND `heap_event_name` IS NOT NULL AND `heap_session_id` IS NOT NULL
),
`paths_before_purchase_per_session_with_repeats_sequenced` AS (
  SELECT `heap_user_id`,
    `heap_session_id`,
    `item`,
      ROW_NUMBER() OVER (PARTITION BY `heap_user_id`, `heap_session_id` ORDER BY `item_time` NULLS LAST, `item_id` NULLS LAST) AS `item_seq`
  FROM `paths_before_purchase_per_session_with_repeats_items`
),
`paths_before_purchase_per_session_with_repeats_anchored` AS (
  SELECT `heap_user_id`,
    `heap_session_id`,
    `item`,
    `item_seq`,
      MIN(CASE WHEN `item` = 'purchase' THEN `item_seq` ELSE NULL END) OVER (PARTITION BY `heap_user_id`, `heap_session_id`) AS `anchor_seq`
  FROM `paths_before_purchase_per_session_with_repeats_sequenced`
),
`paths_before_purchase_per_session_with_repeats_per_unit` AS (
  SELECT `heap_user_id`,
    `heap_session_id`,
    MAX(CASE WHEN `item_seq` - `anchor_seq` = -4 THEN `item` ELSE NULL END) AS `step_1`,
    MAX(CASE WHEN `item_seq` - `anchor_seq` = -3 THEN `item` ELSE NULL END) AS `step_2`,
    MAX(CASE WHEN `item_seq` - `anchor_seq` = -2 THEN `item` ELSE NULL END) AS `step_3`,
    MAX(CASE WHEN `item_seq` - `anchor_seq` = -1 THEN `item` ELSE NULL END) AS `step_4`
  FROM `paths_before_purchase_per_session_with_repeats_anchored`
  WHERE `anchor_seq` IS NOT NULL AND `item_seq` - `anchor_seq` >= -4 AND `item_seq` - `anchor_seq` <= 0
  GROUP BY `heap_user_id`,
    `heap_session_id`
),
`paths_before_purchase_per_session_with_repeats_counts` AS (
  SELECT `step_1`,
    `step_2`,
    `step_3`,
    `step_4`,
    COUNT(*) AS `count`
  FROM `paths_before_purchase_per_session_with_repeats_per_unit`
  GROUP BY `step_1`,
    `step_2`,
    `step_3`,
    `step_4`
),
`paths_before_purchase_per_session_with_repeats_ranked` AS (
  SELECT `step_1`,
    `step_2`,
    `step_3`,
    `step_4`,
    `count`,
      CAST(`count` AS DOUBLE) / CAST(SUM(`count`) OVER () AS DOUBLE) AS `share`,
      ROW_NUMBER() OVER (ORDER BY `count` DESC NULLS FIRST, `step_1` NULLS LAST, `step_2` NULLS LAST, `step_3` NULLS LAST, `step_4` NULLS LAST) AS `path_rank`
  FROM `paths_before_purchase_per_session_with_repeats_counts`
)
SELECT `path_rank` AS `rank`,
  `step_1`,
  `step_2`,
  `step_3`,
  `step_4`,
  `count`,
  `share`
FROM `paths_before_purchase_per_session_with_repeats_ranked`
WHERE `path_rank` <= 20
ORDER BY `path_rank` NULLS LAST
