WITH "sessions_ranked_keys" AS (
  SELECT "heap_session_id"
  FROM (SELECT "session_id" AS "heap_session_id"
      FROM "ヒープ_本番"."сессии" AS "sessions"
      WHERE "session_id" IS NOT NULL) AS "sessions_ranked_keys_input"
  WHERE "heap_session_id" IS NOT NULL
  GROUP BY "heap_session_id"
  HAVING COUNT(*) > 1
),
"sessions_ranked" AS (
  SELECT "heap_session_id",
    "heap_user_id",
    "heap_session_start_time",
    "heap_session_country",
    "heap_session_region",
    "heap_session_city",
    "heap_session_ip",
    "heap_session_referrer",
    "heap_session_landing_page",
    "heap_session_landing_page_query",
    "heap_session_landing_page_hash",
    "heap_session_browser",
    "heap_session_utm_source",
    "heap_session_utm_campaign",
    "heap_session_utm_medium",
    "heap_session_utm_term",
    "heap_session_utm_content",
    "heap_session_library",
    "heap_session_platform",
    "heap_session_device_type",
    "heap_session_device",
      ROW_NUMBER() OVER (PARTITION BY "heap_session_id" ORDER BY "heap_session_start_time" DESC NULLS LAST, "heap_user_id" NULLS LAST, "heap_session_country" NULLS LAST, "heap_session_region" NULLS LAST, "heap_session_city" NULLS LAST, "heap_session_ip" NULLS LAST, "heap_session_referrer" NULLS LAST, "heap_session_landing_page" NULLS LAST, "heap_session_landing_page_query" NULLS LAST, "heap_session_landing_page_hash" NULLS LAST, "heap_session_browser" NULLS LAST, "heap_session_utm_source" NULLS LAST, "heap_session_utm_campaign" NULLS LAST, "heap_session_utm_medium" NULLS LAST, "heap_session_utm_term" NULLS LAST, "heap_session_utm_content" NULLS LAST, "heap_session_library" NULLS LAST, "heap_session_platform" NULLS LAST, "heap_session_device_type" NULLS LAST, "heap_session_device" NULLS LAST) AS "heap__dedup_rank"
  FROM (SELECT "session_id" AS "heap_session_id",
        "user_id" AS "heap_user_id",
        "time" AS "heap_session_start_time",
        "country" AS "heap_session_country",
        "region" AS "heap_session_region",
        "city" AS "heap_session_city",
        "ip" AS "heap_session_ip",
        "referrer" AS "heap_session_referrer",
        "landing_page" AS "heap_session_landing_page",
        "landing_page_query" AS "heap_session_landing_page_query",
        "landing_page_hash" AS "heap_session_landing_page_hash",
        "browser" AS "heap_session_browser",
        "utm_source" AS "heap_session_utm_source",
        "utm_campaign" AS "heap_session_utm_campaign",
        "média_utm" AS "heap_session_utm_medium",
        "utm_term" AS "heap_session_utm_term",
        "utm_content" AS "heap_session_utm_content",
        "library" AS "heap_session_library",
        "platform" AS "heap_session_platform",
        "device_type" AS "heap_session_device_type",
        "device" AS "heap_session_device"
      FROM "ヒープ_本番"."сессии" AS "sessions"
      WHERE "session_id" IS NOT NULL) AS "sessions_ranked_input"
  WHERE "heap_session_id" IS NULL OR "heap_session_id" IN (SELECT *
        FROM "sessions_ranked_keys")
)
SELECT "heap_session_id",
  "heap_user_id",
  "heap_session_start_time",
  "heap_session_country",
  "heap_session_region",
  "heap_session_city",
  "heap_session_ip",
  "heap_session_referrer",
  "heap_session_landing_page",
  "heap_session_landing_page_query",
  "heap_session_landing_page_hash",
  "heap_session_browser",
  "heap_session_utm_source",
  "heap_session_utm_campaign",
  "heap_session_utm_medium",
  "heap_session_utm_term",
  "heap_session_utm_content",
  "heap_session_library",
  "heap_session_platform",
  "heap_session_device_type",
  "heap_session_device",
    ROW_NUMBER() OVER (PARTITION BY "heap_user_id" ORDER BY "heap_session_start_time" NULLS LAST, "heap_session_id" NULLS LAST) AS "heap_session_sequence_num"
FROM (SELECT *
      FROM (SELECT "session_id" AS "heap_session_id",
            "user_id" AS "heap_user_id",
            "time" AS "heap_session_start_time",
            "country" AS "heap_session_country",
            "region" AS "heap_session_region",
            "city" AS "heap_session_city",
            "ip" AS "heap_session_ip",
            "referrer" AS "heap_session_referrer",
            "landing_page" AS "heap_session_landing_page",
            "landing_page_query" AS "heap_session_landing_page_query",
            "landing_page_hash" AS "heap_session_landing_page_hash",
            "browser" AS "heap_session_browser",
            "utm_source" AS "heap_session_utm_source",
            "utm_campaign" AS "heap_session_utm_campaign",
            "média_utm" AS "heap_session_utm_medium",
            "utm_term" AS "heap_session_utm_term",
            "utm_content" AS "heap_session_utm_content",
            "library" AS "heap_session_library",
            "platform" AS "heap_session_platform",
            "device_type" AS "heap_session_device_type",
            "device" AS "heap_session_device"
          FROM "ヒープ_本番"."сессии" AS "sessions"
          WHERE "session_id" IS NOT NULL) AS "src_heap_sessions_eph_input_2"
      WHERE "heap_session_id" IS NOT NULL AND "heap_session_id" NOT IN (SELECT *
            FROM "sessions_ranked_keys")
      UNION ALL
      SELECT "heap_session_id",
        "heap_user_id",
        "heap_session_start_time",
        "heap_session_country",
        "heap_session_region",
        "heap_session_city",
        "heap_session_ip",
        "heap_session_referrer",
        "heap_session_landing_page",
        "heap_session_landing_page_query",
        "heap_session_landing_page_hash",
        "heap_session_browser",
        "heap_session_utm_source",
        "heap_session_utm_campaign",
        "heap_session_utm_medium",
        "heap_session_utm_term",
        "heap_session_utm_content",
        "heap_session_library",
        "heap_session_platform",
        "heap_session_device_type",
        "heap_session_device"
      FROM "sessions_ranked"
      WHERE "heap__dedup_rank" = 1) AS "src_heap_sessions_eph_input"
