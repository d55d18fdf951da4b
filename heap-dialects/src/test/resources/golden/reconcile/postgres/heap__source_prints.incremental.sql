DROP TABLE IF EXISTS "heap_models"."heap__current_prints";

CREATE TABLE "heap_models"."heap__current_prints" AS
SELECT "user_id" AS "user_id", CAST('all_events' AS VARCHAR) AS "source", CAST(COUNT(*) AS BIGINT) AS "row_count", CAST(SUM(MOD(('x' || SUBSTR(MD5(CONCAT(COALESCE(CAST(LENGTH(CAST("event_id" AS VARCHAR)) AS VARCHAR) || ':' || CAST("event_id" AS VARCHAR), '-'), ',', COALESCE(CAST(LENGTH(CAST("user_id" AS VARCHAR)) AS VARCHAR) || ':' || CAST("user_id" AS VARCHAR), '-'), ',', COALESCE(CAST(LENGTH(CAST("session_id" AS VARCHAR)) AS VARCHAR) || ':' || CAST("session_id" AS VARCHAR), '-'), ',', COALESCE(CAST(LENGTH(TO_CHAR("time", 'YYYY-MM-DD HH24:MI:SS.US')) AS VARCHAR) || ':' || TO_CHAR("time", 'YYYY-MM-DD HH24:MI:SS.US'), '-'), ',', COALESCE(CAST(LENGTH(CAST("event_table_name" AS VARCHAR)) AS VARCHAR) || ':' || CAST("event_table_name" AS VARCHAR), '-'))), 1, 16))::BIT(64)::BIGINT, 2147483647)) AS BIGINT) AS "hash_sum"
FROM "main_production"."all_events"
WHERE "user_id" IS NOT NULL
GROUP BY "user_id"
UNION ALL
SELECT "user_id" AS "user_id", CAST('pageviews' AS VARCHAR) AS "source", CAST(COUNT(*) AS BIGINT) AS "row_count", CAST(SUM(MOD(('x' || SUBSTR(MD5(CONCAT(COALESCE(CAST(LENGTH(CAST("event_id" AS VARCHAR)) AS VARCHAR) || ':' || CAST("event_id" AS VARCHAR), '-'), ',', COALESCE(CAST(LENGTH(CAST("user_id" AS VARCHAR)) AS VARCHAR) || ':' || CAST("user_id" AS VARCHAR), '-'), ',', COALESCE(CAST(LENGTH(CAST("session_id" AS VARCHAR)) AS VARCHAR) || ':' || CAST("session_id" AS VARCHAR), '-'), ',', COALESCE(CAST(LENGTH(TO_CHAR("time", 'YYYY-MM-DD HH24:MI:SS.US')) AS VARCHAR) || ':' || TO_CHAR("time", 'YYYY-MM-DD HH24:MI:SS.US'), '-'), ',', COALESCE(CAST(LENGTH(CAST("domain" AS VARCHAR)) AS VARCHAR) || ':' || CAST("domain" AS VARCHAR), '-'), ',', COALESCE(CAST(LENGTH(CAST("path" AS VARCHAR)) AS VARCHAR) || ':' || CAST("path" AS VARCHAR), '-'), ',', COALESCE(CAST(LENGTH(CAST("query" AS VARCHAR)) AS VARCHAR) || ':' || CAST("query" AS VARCHAR), '-'), ',', COALESCE(CAST(LENGTH(CAST("hash" AS VARCHAR)) AS VARCHAR) || ':' || CAST("hash" AS VARCHAR), '-'), ',', COALESCE(CAST(LENGTH(CAST("title" AS VARCHAR)) AS VARCHAR) || ':' || CAST("title" AS VARCHAR), '-'), ',', COALESCE(CAST(LENGTH(CAST("previous_page" AS VARCHAR)) AS VARCHAR) || ':' || CAST("previous_page" AS VARCHAR), '-'), ',', COALESCE(CAST(LENGTH(CAST("gtm_campaign" AS VARCHAR)) AS VARCHAR) || ':' || CAST("gtm_campaign" AS VARCHAR), '-'), ',', COALESCE(CAST(LENGTH(CAST("experiment_bucket" AS VARCHAR)) AS VARCHAR) || ':' || CAST("experiment_bucket" AS VARCHAR), '-'))), 1, 16))::BIT(64)::BIGINT, 2147483647)) AS BIGINT) AS "hash_sum"
FROM "main_production"."pageviews"
WHERE "user_id" IS NOT NULL
GROUP BY "user_id"
UNION ALL
SELECT "user_id" AS "user_id", CAST('sessions' AS VARCHAR) AS "source", CAST(COUNT(*) AS BIGINT) AS "row_count", CAST(SUM(MOD(('x' || SUBSTR(MD5(CONCAT(COALESCE(CAST(LENGTH(CAST("session_id" AS VARCHAR)) AS VARCHAR) || ':' || CAST("session_id" AS VARCHAR), '-'), ',', COALESCE(CAST(LENGTH(CAST("user_id" AS VARCHAR)) AS VARCHAR) || ':' || CAST("user_id" AS VARCHAR), '-'), ',', COALESCE(CAST(LENGTH(TO_CHAR("time", 'YYYY-MM-DD HH24:MI:SS.US')) AS VARCHAR) || ':' || TO_CHAR("time", 'YYYY-MM-DD HH24:MI:SS.US'), '-'), ',', COALESCE(CAST(LENGTH(CAST("library" AS VARCHAR)) AS VARCHAR) || ':' || CAST("library" AS VARCHAR), '-'), ',', COALESCE(CAST(LENGTH(CAST("platform" AS VARCHAR)) AS VARCHAR) || ':' || CAST("platform" AS VARCHAR), '-'), ',', COALESCE(CAST(LENGTH(CAST("device_type" AS VARCHAR)) AS VARCHAR) || ':' || CAST("device_type" AS VARCHAR), '-'), ',', COALESCE(CAST(LENGTH(CAST("device" AS VARCHAR)) AS VARCHAR) || ':' || CAST("device" AS VARCHAR), '-'), ',', COALESCE(CAST(LENGTH(CAST("country" AS VARCHAR)) AS VARCHAR) || ':' || CAST("country" AS VARCHAR), '-'), ',', COALESCE(CAST(LENGTH(CAST("region" AS VARCHAR)) AS VARCHAR) || ':' || CAST("region" AS VARCHAR), '-'), ',', COALESCE(CAST(LENGTH(CAST("city" AS VARCHAR)) AS VARCHAR) || ':' || CAST("city" AS VARCHAR), '-'), ',', COALESCE(CAST(LENGTH(CAST("ip" AS VARCHAR)) AS VARCHAR) || ':' || CAST("ip" AS VARCHAR), '-'), ',', COALESCE(CAST(LENGTH(CAST("referrer" AS VARCHAR)) AS VARCHAR) || ':' || CAST("referrer" AS VARCHAR), '-'), ',', COALESCE(CAST(LENGTH(CAST("landing_page" AS VARCHAR)) AS VARCHAR) || ':' || CAST("landing_page" AS VARCHAR), '-'), ',', COALESCE(CAST(LENGTH(CAST("landing_page_query" AS VARCHAR)) AS VARCHAR) || ':' || CAST("landing_page_query" AS VARCHAR), '-'), ',', COALESCE(CAST(LENGTH(CAST("landing_page_hash" AS VARCHAR)) AS VARCHAR) || ':' || CAST("landing_page_hash" AS VARCHAR), '-'), ',', COALESCE(CAST(LENGTH(CAST("browser" AS VARCHAR)) AS VARCHAR) || ':' || CAST("browser" AS VARCHAR), '-'), ',', COALESCE(CAST(LENGTH(CAST("utm_source" AS VARCHAR)) AS VARCHAR) || ':' || CAST("utm_source" AS VARCHAR), '-'), ',', COALESCE(CAST(LENGTH(CAST("utm_campaign" AS VARCHAR)) AS VARCHAR) || ':' || CAST("utm_campaign" AS VARCHAR), '-'), ',', COALESCE(CAST(LENGTH(CAST("utm_medium" AS VARCHAR)) AS VARCHAR) || ':' || CAST("utm_medium" AS VARCHAR), '-'), ',', COALESCE(CAST(LENGTH(CAST("utm_term" AS VARCHAR)) AS VARCHAR) || ':' || CAST("utm_term" AS VARCHAR), '-'), ',', COALESCE(CAST(LENGTH(CAST("utm_content" AS VARCHAR)) AS VARCHAR) || ':' || CAST("utm_content" AS VARCHAR), '-'), ',', COALESCE(CAST(LENGTH(CAST("campaign_type" AS VARCHAR)) AS VARCHAR) || ':' || CAST("campaign_type" AS VARCHAR), '-'))), 1, 16))::BIT(64)::BIGINT, 2147483647)) AS BIGINT) AS "hash_sum"
FROM "main_production"."sessions"
WHERE "user_id" IS NOT NULL
GROUP BY "user_id"
UNION ALL
SELECT "from_user_id" AS "user_id", CAST('user_migrations.from_user_id' AS VARCHAR) AS "source", CAST(COUNT(*) AS BIGINT) AS "row_count", CAST(SUM(MOD(('x' || SUBSTR(MD5(CONCAT(COALESCE(CAST(LENGTH(CAST("from_user_id" AS VARCHAR)) AS VARCHAR) || ':' || CAST("from_user_id" AS VARCHAR), '-'), ',', COALESCE(CAST(LENGTH(CAST("to_user_id" AS VARCHAR)) AS VARCHAR) || ':' || CAST("to_user_id" AS VARCHAR), '-'), ',', COALESCE(CAST(LENGTH(TO_CHAR("time", 'YYYY-MM-DD HH24:MI:SS.US')) AS VARCHAR) || ':' || TO_CHAR("time", 'YYYY-MM-DD HH24:MI:SS.US'), '-'))), 1, 16))::BIT(64)::BIGINT, 2147483647)) AS BIGINT) AS "hash_sum"
FROM "main_production"."user_migrations"
WHERE "from_user_id" IS NOT NULL
GROUP BY "from_user_id"
UNION ALL
SELECT "to_user_id" AS "user_id", CAST('user_migrations.to_user_id' AS VARCHAR) AS "source", CAST(COUNT(*) AS BIGINT) AS "row_count", CAST(SUM(MOD(('x' || SUBSTR(MD5(CONCAT(COALESCE(CAST(LENGTH(CAST("from_user_id" AS VARCHAR)) AS VARCHAR) || ':' || CAST("from_user_id" AS VARCHAR), '-'), ',', COALESCE(CAST(LENGTH(CAST("to_user_id" AS VARCHAR)) AS VARCHAR) || ':' || CAST("to_user_id" AS VARCHAR), '-'), ',', COALESCE(CAST(LENGTH(TO_CHAR("time", 'YYYY-MM-DD HH24:MI:SS.US')) AS VARCHAR) || ':' || TO_CHAR("time", 'YYYY-MM-DD HH24:MI:SS.US'), '-'))), 1, 16))::BIT(64)::BIGINT, 2147483647)) AS BIGINT) AS "hash_sum"
FROM "main_production"."user_migrations"
WHERE "to_user_id" IS NOT NULL
GROUP BY "to_user_id";

ANALYZE "heap_models"."heap__current_prints";

CREATE TABLE IF NOT EXISTS "heap_models"."heap__source_prints" ("user_id" BIGINT, "source" VARCHAR, "row_count" BIGINT, "hash_sum" BIGINT);

DELETE FROM "heap_models"."heap__source_prints" WHERE "user_id" IN (SELECT "heap_user_id" FROM "heap_models"."heap__active_users");

BEGIN;

DELETE FROM "heap_models"."heap__source_prints" WHERE 1 = 1;

INSERT INTO "heap_models"."heap__source_prints" ("user_id", "source", "row_count", "hash_sum")
SELECT "user_id", "source", "row_count", "hash_sum" FROM "heap_models"."heap__current_prints"
WHERE "user_id" NOT IN (
SELECT "user_id" AS "heap_user_id"
FROM (
  SELECT "user_id", "source", "row_count", "hash_sum", 1 AS "side" FROM "heap_models"."heap__current_prints"
  WHERE "user_id" IN (SELECT "heap_user_id" FROM "heap_models"."heap__active_users")
  UNION ALL
  SELECT "user_id", "source", "row_count", "hash_sum", -1 AS "side" FROM (
SELECT "user_id" AS "user_id", CAST('all_events' AS VARCHAR) AS "source", CAST(COUNT(*) AS BIGINT) AS "row_count", CAST(SUM(MOD(('x' || SUBSTR(MD5(CONCAT(COALESCE(CAST(LENGTH(CAST("event_id" AS VARCHAR)) AS VARCHAR) || ':' || CAST("event_id" AS VARCHAR), '-'), ',', COALESCE(CAST(LENGTH(CAST("user_id" AS VARCHAR)) AS VARCHAR) || ':' || CAST("user_id" AS VARCHAR), '-'), ',', COALESCE(CAST(LENGTH(CAST("session_id" AS VARCHAR)) AS VARCHAR) || ':' || CAST("session_id" AS VARCHAR), '-'), ',', COALESCE(CAST(LENGTH(TO_CHAR("time", 'YYYY-MM-DD HH24:MI:SS.US')) AS VARCHAR) || ':' || TO_CHAR("time", 'YYYY-MM-DD HH24:MI:SS.US'), '-'), ',', COALESCE(CAST(LENGTH(CAST("event_table_name" AS VARCHAR)) AS VARCHAR) || ':' || CAST("event_table_name" AS VARCHAR), '-'))), 1, 16))::BIT(64)::BIGINT, 2147483647)) AS BIGINT) AS "hash_sum"
FROM "main_production"."all_events"
WHERE "user_id" IS NOT NULL AND "user_id" IN (SELECT "heap_user_id" FROM "heap_models"."heap__active_users")
GROUP BY "user_id"
UNION ALL
SELECT "user_id" AS "user_id", CAST('pageviews' AS VARCHAR) AS "source", CAST(COUNT(*) AS BIGINT) AS "row_count", CAST(SUM(MOD(('x' || SUBSTR(MD5(CONCAT(COALESCE(CAST(LENGTH(CAST("event_id" AS VARCHAR)) AS VARCHAR) || ':' || CAST("event_id" AS VARCHAR), '-'), ',', COALESCE(CAST(LENGTH(CAST("user_id" AS VARCHAR)) AS VARCHAR) || ':' || CAST("user_id" AS VARCHAR), '-'), ',', COALESCE(CAST(LENGTH(CAST("session_id" AS VARCHAR)) AS VARCHAR) || ':' || CAST("session_id" AS VARCHAR), '-'), ',', COALESCE(CAST(LENGTH(TO_CHAR("time", 'YYYY-MM-DD HH24:MI:SS.US')) AS VARCHAR) || ':' || TO_CHAR("time", 'YYYY-MM-DD HH24:MI:SS.US'), '-'), ',', COALESCE(CAST(LENGTH(CAST("domain" AS VARCHAR)) AS VARCHAR) || ':' || CAST("domain" AS VARCHAR), '-'), ',', COALESCE(CAST(LENGTH(CAST("path" AS VARCHAR)) AS VARCHAR) || ':' || CAST("path" AS VARCHAR), '-'), ',', COALESCE(CAST(LENGTH(CAST("query" AS VARCHAR)) AS VARCHAR) || ':' || CAST("query" AS VARCHAR), '-'), ',', COALESCE(CAST(LENGTH(CAST("hash" AS VARCHAR)) AS VARCHAR) || ':' || CAST("hash" AS VARCHAR), '-'), ',', COALESCE(CAST(LENGTH(CAST("title" AS VARCHAR)) AS VARCHAR) || ':' || CAST("title" AS VARCHAR), '-'), ',', COALESCE(CAST(LENGTH(CAST("previous_page" AS VARCHAR)) AS VARCHAR) || ':' || CAST("previous_page" AS VARCHAR), '-'), ',', COALESCE(CAST(LENGTH(CAST("gtm_campaign" AS VARCHAR)) AS VARCHAR) || ':' || CAST("gtm_campaign" AS VARCHAR), '-'), ',', COALESCE(CAST(LENGTH(CAST("experiment_bucket" AS VARCHAR)) AS VARCHAR) || ':' || CAST("experiment_bucket" AS VARCHAR), '-'))), 1, 16))::BIT(64)::BIGINT, 2147483647)) AS BIGINT) AS "hash_sum"
FROM "main_production"."pageviews"
WHERE "user_id" IS NOT NULL AND "user_id" IN (SELECT "heap_user_id" FROM "heap_models"."heap__active_users")
GROUP BY "user_id"
UNION ALL
SELECT "user_id" AS "user_id", CAST('sessions' AS VARCHAR) AS "source", CAST(COUNT(*) AS BIGINT) AS "row_count", CAST(SUM(MOD(('x' || SUBSTR(MD5(CONCAT(COALESCE(CAST(LENGTH(CAST("session_id" AS VARCHAR)) AS VARCHAR) || ':' || CAST("session_id" AS VARCHAR), '-'), ',', COALESCE(CAST(LENGTH(CAST("user_id" AS VARCHAR)) AS VARCHAR) || ':' || CAST("user_id" AS VARCHAR), '-'), ',', COALESCE(CAST(LENGTH(TO_CHAR("time", 'YYYY-MM-DD HH24:MI:SS.US')) AS VARCHAR) || ':' || TO_CHAR("time", 'YYYY-MM-DD HH24:MI:SS.US'), '-'), ',', COALESCE(CAST(LENGTH(CAST("library" AS VARCHAR)) AS VARCHAR) || ':' || CAST("library" AS VARCHAR), '-'), ',', COALESCE(CAST(LENGTH(CAST("platform" AS VARCHAR)) AS VARCHAR) || ':' || CAST("platform" AS VARCHAR), '-'), ',', COALESCE(CAST(LENGTH(CAST("device_type" AS VARCHAR)) AS VARCHAR) || ':' || CAST("device_type" AS VARCHAR), '-'), ',', COALESCE(CAST(LENGTH(CAST("device" AS VARCHAR)) AS VARCHAR) || ':' || CAST("device" AS VARCHAR), '-'), ',', COALESCE(CAST(LENGTH(CAST("country" AS VARCHAR)) AS VARCHAR) || ':' || CAST("country" AS VARCHAR), '-'), ',', COALESCE(CAST(LENGTH(CAST("region" AS VARCHAR)) AS VARCHAR) || ':' || CAST("region" AS VARCHAR), '-'), ',', COALESCE(CAST(LENGTH(CAST("city" AS VARCHAR)) AS VARCHAR) || ':' || CAST("city" AS VARCHAR), '-'), ',', COALESCE(CAST(LENGTH(CAST("ip" AS VARCHAR)) AS VARCHAR) || ':' || CAST("ip" AS VARCHAR), '-'), ',', COALESCE(CAST(LENGTH(CAST("referrer" AS VARCHAR)) AS VARCHAR) || ':' || CAST("referrer" AS VARCHAR), '-'), ',', COALESCE(CAST(LENGTH(CAST("landing_page" AS VARCHAR)) AS VARCHAR) || ':' || CAST("landing_page" AS VARCHAR), '-'), ',', COALESCE(CAST(LENGTH(CAST("landing_page_query" AS VARCHAR)) AS VARCHAR) || ':' || CAST("landing_page_query" AS VARCHAR), '-'), ',', COALESCE(CAST(LENGTH(CAST("landing_page_hash" AS VARCHAR)) AS VARCHAR) || ':' || CAST("landing_page_hash" AS VARCHAR), '-'), ',', COALESCE(CAST(LENGTH(CAST("browser" AS VARCHAR)) AS VARCHAR) || ':' || CAST("browser" AS VARCHAR), '-'), ',', COALESCE(CAST(LENGTH(CAST("utm_source" AS VARCHAR)) AS VARCHAR) || ':' || CAST("utm_source" AS VARCHAR), '-'), ',', COALESCE(CAST(LENGTH(CAST("utm_campaign" AS VARCHAR)) AS VARCHAR) || ':' || CAST("utm_campaign" AS VARCHAR), '-'), ',', COALESCE(CAST(LENGTH(CAST("utm_medium" AS VARCHAR)) AS VARCHAR) || ':' || CAST("utm_medium" AS VARCHAR), '-'), ',', COALESCE(CAST(LENGTH(CAST("utm_term" AS VARCHAR)) AS VARCHAR) || ':' || CAST("utm_term" AS VARCHAR), '-'), ',', COALESCE(CAST(LENGTH(CAST("utm_content" AS VARCHAR)) AS VARCHAR) || ':' || CAST("utm_content" AS VARCHAR), '-'), ',', COALESCE(CAST(LENGTH(CAST("campaign_type" AS VARCHAR)) AS VARCHAR) || ':' || CAST("campaign_type" AS VARCHAR), '-'))), 1, 16))::BIT(64)::BIGINT, 2147483647)) AS BIGINT) AS "hash_sum"
FROM "main_production"."sessions"
WHERE "user_id" IS NOT NULL AND "user_id" IN (SELECT "heap_user_id" FROM "heap_models"."heap__active_users")
GROUP BY "user_id"
UNION ALL
SELECT "from_user_id" AS "user_id", CAST('user_migrations.from_user_id' AS VARCHAR) AS "source", CAST(COUNT(*) AS BIGINT) AS "row_count", CAST(SUM(MOD(('x' || SUBSTR(MD5(CONCAT(COALESCE(CAST(LENGTH(CAST("from_user_id" AS VARCHAR)) AS VARCHAR) || ':' || CAST("from_user_id" AS VARCHAR), '-'), ',', COALESCE(CAST(LENGTH(CAST("to_user_id" AS VARCHAR)) AS VARCHAR) || ':' || CAST("to_user_id" AS VARCHAR), '-'), ',', COALESCE(CAST(LENGTH(TO_CHAR("time", 'YYYY-MM-DD HH24:MI:SS.US')) AS VARCHAR) || ':' || TO_CHAR("time", 'YYYY-MM-DD HH24:MI:SS.US'), '-'))), 1, 16))::BIT(64)::BIGINT, 2147483647)) AS BIGINT) AS "hash_sum"
FROM "main_production"."user_migrations"
WHERE "from_user_id" IS NOT NULL AND "from_user_id" IN (SELECT "heap_user_id" FROM "heap_models"."heap__active_users")
GROUP BY "from_user_id"
UNION ALL
SELECT "to_user_id" AS "user_id", CAST('user_migrations.to_user_id' AS VARCHAR) AS "source", CAST(COUNT(*) AS BIGINT) AS "row_count", CAST(SUM(MOD(('x' || SUBSTR(MD5(CONCAT(COALESCE(CAST(LENGTH(CAST("from_user_id" AS VARCHAR)) AS VARCHAR) || ':' || CAST("from_user_id" AS VARCHAR), '-'), ',', COALESCE(CAST(LENGTH(CAST("to_user_id" AS VARCHAR)) AS VARCHAR) || ':' || CAST("to_user_id" AS VARCHAR), '-'), ',', COALESCE(CAST(LENGTH(TO_CHAR("time", 'YYYY-MM-DD HH24:MI:SS.US')) AS VARCHAR) || ':' || TO_CHAR("time", 'YYYY-MM-DD HH24:MI:SS.US'), '-'))), 1, 16))::BIT(64)::BIGINT, 2147483647)) AS BIGINT) AS "hash_sum"
FROM "main_production"."user_migrations"
WHERE "to_user_id" IS NOT NULL AND "to_user_id" IN (SELECT "heap_user_id" FROM "heap_models"."heap__active_users")
GROUP BY "to_user_id"
  ) AS "now"
) AS "prints"
GROUP BY "user_id", "source", "row_count", "hash_sum"
HAVING SUM("side") <> 0
);

COMMIT;
