WITH "events_ranked" AS (
  SELECT "events_ranked_input"."event_id" AS "heap_event_id",
    "events_ranked_input"."user_id" AS "heap_user_id",
    "events_ranked_input"."session_id" AS "heap_session_id",
    "events_ranked_input"."イベント名" AS "heap_event_name",
    "events_ranked_input"."time" AS "heap_event_time",
    1 AS "heap__dedup_rank"
  FROM (SELECT *
      FROM "ヒープ_本番"."all_events"
      WHERE "event_id" IS NOT NULL) AS "events_ranked_input"
    LEFT JOIN (SELECT "event_id",
        COUNT(*) AS "heap__rows"
      FROM "ヒープ_本番"."all_events"
      WHERE "event_id" IS NOT NULL
      GROUP BY "event_id"
      HAVING COUNT(*) > 1) AS "events_ranked_input_2" ON "events_ranked_input"."event_id" = "events_ranked_input_2"."event_id"
  WHERE "events_ranked_input_2"."heap__rows" IS NULL
  UNION ALL
  SELECT "events_ranked_input_3"."event_id" AS "heap_event_id",
    "events_ranked_input_3"."user_id" AS "heap_user_id",
    "events_ranked_input_3"."session_id" AS "heap_session_id",
    "events_ranked_input_3"."イベント名" AS "heap_event_name",
    "events_ranked_input_3"."time" AS "heap_event_time",
      ROW_NUMBER() OVER (PARTITION BY "events_ranked_input_3"."event_id" ORDER BY "events_ranked_input_3"."time" DESC NULLS LAST, "events_ranked_input_3"."user_id" NULLS LAST, "events_ranked_input_3"."session_id" NULLS LAST, "events_ranked_input_3"."イベント名" NULLS LAST) AS "heap__dedup_rank"
  FROM (SELECT *
      FROM "ヒープ_本番"."all_events"
      WHERE "event_id" IS NOT NULL) AS "events_ranked_input_3"
    INNER JOIN (SELECT "event_id",
        COUNT(*) AS "heap__rows"
      FROM "ヒープ_本番"."all_events"
      WHERE "event_id" IS NOT NULL
      GROUP BY "event_id"
      HAVING COUNT(*) > 1) AS "events_ranked_input_4" ON "events_ranked_input_3"."event_id" = "events_ranked_input_4"."event_id"
)
SELECT "heap_event_id",
  "heap_user_id",
  "heap_session_id",
  "heap_event_name",
  "heap_event_time",
    ROW_NUMBER() OVER (PARTITION BY "heap_user_id", "heap_session_id" ORDER BY "heap_event_time" NULLS LAST, "heap_event_id" NULLS LAST) AS "heap_session_event_sequence"
FROM "events_ranked"
WHERE "heap__dedup_rank" = 1
