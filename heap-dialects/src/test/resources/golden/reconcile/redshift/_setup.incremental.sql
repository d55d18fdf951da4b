CREATE SCHEMA IF NOT EXISTS "heap_models";

CREATE TABLE IF NOT EXISTS "heap_models"."heap__source_prints" ("user_id" BIGINT, "source" VARCHAR(65535), "row_count" BIGINT, "hash_sum" BIGINT);
