CREATE SCHEMA IF NOT EXISTS "models; DROP";

CREATE TABLE IF NOT EXISTS "models; DROP"."heap__model_state" ("model" VARCHAR, "fingerprint" VARCHAR, "run_id" VARCHAR, "built_at" TIMESTAMP, "row_count" BIGINT, "status" VARCHAR);

UPDATE "models; DROP"."heap__model_state"
SET "status" = 'written outside heap run'
WHERE "model" IN ('stg_heap_events_all_inc_fct', 'stg_heap_pageview_sessions_inc_fct', 'stg_heap_sessions_inc_fct');
