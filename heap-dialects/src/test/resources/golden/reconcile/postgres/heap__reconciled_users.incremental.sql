DROP TABLE IF EXISTS "heap_models"."heap__reconciled_users";

CREATE TABLE "heap_models"."heap__reconciled_users" AS
SELECT DISTINCT "user_id" AS "heap_user_id"
FROM (
  SELECT "user_id", "source", "row_count", "hash_sum", 1 AS "side" FROM "heap_models"."heap__current_prints"
  UNION ALL
  SELECT "user_id", "source", "row_count", "hash_sum", -1 AS "side" FROM "heap_models"."heap__source_prints"
) AS "prints"
GROUP BY "user_id", "source", "row_count", "hash_sum"
HAVING SUM("side") <> 0;

ANALYZE "heap_models"."heap__reconciled_users";
