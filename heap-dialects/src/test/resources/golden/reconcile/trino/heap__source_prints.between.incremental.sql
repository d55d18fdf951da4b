CREATE TABLE IF NOT EXISTS "heap_models"."heap__source_prints" ("user_id" BIGINT, "source" VARCHAR, "row_count" BIGINT, "hash_sum" BIGINT);

DELETE FROM "heap_models"."heap__source_prints" WHERE "user_id" IN (SELECT "heap_user_id" FROM "heap_models"."heap__active_users");
