CREATE SCHEMA IF NOT EXISTS "heap_models";

CREATE TABLE IF NOT EXISTS "heap_models"."heap__model_state" ("model" VARCHAR, "fingerprint" VARCHAR, "run_id" VARCHAR, "built_at" TIMESTAMP(6), "row_count" BIGINT, "status" VARCHAR);

UPDATE "heap_models"."heap__model_state"
SET "status" = 'written outside heap run'
WHERE "model" IN ('stg_heap_events_all_inc_fct', 'stg_heap_pageview_sessions_inc_fct', 'stg_heap_sessions_inc_fct');
