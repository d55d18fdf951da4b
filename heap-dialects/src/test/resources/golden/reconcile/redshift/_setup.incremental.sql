CREATE SCHEMA IF NOT EXISTS "heap_models";

CREATE TABLE IF NOT EXISTS "heap_models"."heap__source_prints" ("user_id" BIGINT, "source" VARCHAR(65535), "row_count" BIGINT, "hash_sum" BIGINT);

CREATE TABLE IF NOT EXISTS "heap_models"."heap__model_state" ("model" VARCHAR(65535), "fingerprint" VARCHAR(65535), "run_id" VARCHAR(65535), "built_at" TIMESTAMP, "row_count" BIGINT, "status" VARCHAR(65535));

UPDATE "heap_models"."heap__model_state"
SET "status" = 'written outside heap run'
WHERE "model" IN ('stg_heap_events_all_inc_fct', 'stg_heap_pageview_sessions_inc_fct', 'stg_heap_sessions_inc_fct');
