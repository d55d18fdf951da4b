CREATE SCHEMA IF NOT EXISTS "分析_モデル";

CREATE TABLE IF NOT EXISTS "分析_モデル"."HEAP__MODEL_STATE" ("MODEL" VARCHAR, "FINGERPRINT" VARCHAR, "RUN_ID" VARCHAR, "BUILT_AT" TIMESTAMP_NTZ, "ROW_COUNT" BIGINT, "STATUS" VARCHAR);

UPDATE "分析_モデル"."HEAP__MODEL_STATE"
SET "STATUS" = 'written outside heap run'
WHERE "MODEL" IN ('stg_heap_events_all_inc_fct', 'stg_heap_pageview_sessions_inc_fct', 'stg_heap_sessions_inc_fct');
