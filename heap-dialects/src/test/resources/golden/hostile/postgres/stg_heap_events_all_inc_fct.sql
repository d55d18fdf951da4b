DROP TABLE IF EXISTS "models; DROP"."stg_heap_events_all_inc_fct__new";

CREATE TABLE "models; DROP"."stg_heap_events_all_inc_fct__new"
AS
WITH "identity_merges_ranked" AS (
  SELECT "from_user_id" AS "heap_from_user_id",
    "to_user_id" AS "heap_to_user_id",
    "time" AS "heap_migration_time",
      ROW_NUMBER() OVER (PARTITION BY "from_user_id" ORDER BY "time" DESC NULLS LAST, "to_user_id") AS "heap__dedup_rank"
  FROM "Raw Data"."heap-prod"."user_migrations"
),
"identity_chain_1" AS (
  SELECT "heap_from_user_id",
    "heap_to_user_id"
  FROM "identity_merges_ranked"
  WHERE "heap__dedup_rank" = 1
),
"identity_chain_2" AS (
  SELECT "identity_chain_1"."heap_from_user_id",
    COALESCE("identity_chain_10"."heap_to_user_id", "identity_chain_1"."heap_to_user_id") AS "heap_to_user_id"
  FROM "identity_chain_1"
    LEFT JOIN "identity_chain_1" AS "identity_chain_10" ON "identity_chain_1"."heap_to_user_id" = "identity_chain_10"."heap_from_user_id"
),
"identity_chain_3" AS (
  SELECT "identity_chain_2"."heap_from_user_id",
    COALESCE("identity_chain_20"."heap_to_user_id", "identity_chain_2"."heap_to_user_id") AS "heap_to_user_id"
  FROM "identity_chain_2"
    LEFT JOIN "identity_chain_2" AS "identity_chain_20" ON "identity_chain_2"."heap_to_user_id" = "identity_chain_20"."heap_from_user_id"
),
"identity_chain_4" AS (
  SELECT "identity_chain_3"."heap_from_user_id",
    COALESCE("identity_chain_30"."heap_to_user_id", "identity_chain_3"."heap_to_user_id") AS "heap_to_user_id"
  FROM "identity_chain_3"
    LEFT JOIN "identity_chain_3" AS "identity_chain_30" ON "identity_chain_3"."heap_to_user_id" = "identity_chain_30"."heap_from_user_id"
),
"identity_chain_5" AS (
  SELECT "identity_chain_4"."heap_from_user_id",
    COALESCE("identity_chain_40"."heap_to_user_id", "identity_chain_4"."heap_to_user_id") AS "heap_to_user_id"
  FROM "identity_chain_4"
    LEFT JOIN "identity_chain_4" AS "identity_chain_40" ON "identity_chain_4"."heap_to_user_id" = "identity_chain_40"."heap_from_user_id"
),
"src_heap_identity_map_eph" AS (
  SELECT "identity_chain_5"."heap_from_user_id",
    COALESCE("identity_chain_50"."heap_to_user_id", "identity_chain_5"."heap_to_user_id") AS "heap_to_user_id"
  FROM "identity_chain_5"
    LEFT JOIN "identity_chain_5" AS "identity_chain_50" ON "identity_chain_5"."heap_to_user_id" = "identity_chain_50"."heap_from_user_id"
),
"events_ranked" AS (
  SELECT "events_ranked_input"."heap_event_id",
    COALESCE("src_heap_identity_map_eph"."heap_to_user_id", "events_ranked_input"."heap_user_id") AS "heap_user_id",
    "events_ranked_input"."heap_session_id",
    "events_ranked_input"."heap_event_name",
    "events_ranked_input"."heap_event_time",
      ROW_NUMBER() OVER (PARTITION BY "events_ranked_input"."heap_event_id" ORDER BY "events_ranked_input"."heap_event_time" DESC NULLS LAST, COALESCE("src_heap_identity_map_eph"."heap_to_user_id", "events_ranked_input"."heap_user_id"), "events_ranked_input"."heap_session_id", "events_ranked_input"."heap_event_name") AS "heap__dedup_rank"
  FROM (SELECT "event_id" AS "heap_event_id",
        "user_id" AS "heap_user_id",
        "session_id" AS "heap_session_id",
        "event name" AS "heap_event_name",
        "time" AS "heap_event_time"
      FROM "Raw Data"."heap-prod"."all_events"
      WHERE "event_id" IS NOT NULL) AS "events_ranked_input"
    LEFT JOIN "src_heap_identity_map_eph" ON "events_ranked_input"."heap_user_id" = "src_heap_identity_map_eph"."heap_from_user_id"
),
"src_heap_events_all_eph" AS (
  SELECT "heap_event_id",
    "heap_user_id",
    "heap_session_id",
    "heap_event_name",
    "heap_event_time",
      ROW_NUMBER() OVER (PARTITION BY "heap_user_id", "heap_session_id" ORDER BY "heap_event_time", "heap_event_id") AS "heap_session_event_sequence"
  FROM "events_ranked"
  WHERE "heap__dedup_rank" = 1
)
SELECT "heap_event_id",
  "heap_user_id",
  "heap_session_id",
  "heap_event_name",
  "heap_event_time",
  "heap_session_event_sequence",
    CASE WHEN "heap_event_name" = 'it''s' THEN 1 WHEN "heap_event_name" = E'back\\slash' THEN 2 WHEN "heap_event_name" = 'new
line' THEN 3 WHEN "heap_event_name" = 'x'' -- y' THEN 4 ELSE 0 END AS "heap_event_funnel_position",
    CASE WHEN "heap_event_name" = 'Robert''); DROP TABLE students;--' THEN TRUE ELSE FALSE END AS "heap_event_is_conversion"
FROM "src_heap_events_all_eph"
WHERE "heap_event_id" IS NOT NULL;

BEGIN;

DO $heap$
DECLARE
  old_columns text[];
  new_columns text[];
  dependent_views text;
  old_owner oid;
  granted record;
  commented record;
  indexed text;
BEGIN
  -- the columns of the table and of the one just built, in order, with their types
  SELECT array_agg(quote_ident(attname) || ' ' || format_type(atttypid, atttypmod) ORDER BY attnum) INTO old_columns
  FROM pg_attribute WHERE attrelid = to_regclass('"models; DROP"."stg_heap_events_all_inc_fct"') AND attnum > 0 AND NOT attisdropped;
  SELECT array_agg(quote_ident(attname) || ' ' || format_type(atttypid, atttypmod) ORDER BY attnum) INTO new_columns
  FROM pg_attribute WHERE attrelid = to_regclass('"models; DROP"."stg_heap_events_all_inc_fct__new"') AND attnum > 0 AND NOT attisdropped;
  IF old_columns = new_columns THEN
    -- the same columns: the rows are replaced in place, and the table keeps its grants, owner,
    -- comments, indexes and the views on it
    TRUNCATE "models; DROP"."stg_heap_events_all_inc_fct";
    INSERT INTO "models; DROP"."stg_heap_events_all_inc_fct" SELECT * FROM "models; DROP"."stg_heap_events_all_inc_fct__new";
    DROP TABLE "models; DROP"."stg_heap_events_all_inc_fct__new";
  ELSE
    -- no table yet, or other columns: the new table takes its place, with its grants, owner and
    -- comments; a view cannot follow a table to other columns, and none is ever dropped here
    SELECT string_agg(DISTINCT v.oid::regclass::text, ', ') INTO dependent_views
    FROM pg_depend AS d JOIN pg_rewrite AS r ON r.oid = d.objid JOIN pg_class AS v ON v.oid = r.ev_class
    WHERE d.classid = 'pg_rewrite'::regclass AND d.refobjid = to_regclass('"models; DROP"."stg_heap_events_all_inc_fct"') AND v.oid <> d.refobjid;
    IF dependent_views IS NOT NULL THEN
      RAISE EXCEPTION 'table % gets other columns, and views depend on it: drop them, run again, then create them again (heap never drops a view): %',
        '"models; DROP"."stg_heap_events_all_inc_fct"', dependent_views;
    END IF;
    FOR granted IN
      SELECT a.privilege_type, a.is_grantable, CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END AS grantee
      FROM pg_class AS c, aclexplode(c.relacl) AS a
      WHERE c.oid = to_regclass('"models; DROP"."stg_heap_events_all_inc_fct"') AND a.grantee <> c.relowner
    LOOP
      EXECUTE format('GRANT %s ON TABLE %s TO %s', granted.privilege_type, '"models; DROP"."stg_heap_events_all_inc_fct__new"', granted.grantee)
        || CASE WHEN granted.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END;
    END LOOP;
    FOR commented IN
      SELECT a.attname, d.description
      FROM pg_description AS d LEFT JOIN pg_attribute AS a ON a.attrelid = d.objoid AND a.attnum = d.objsubid
      WHERE d.classoid = 'pg_class'::regclass AND d.objoid = to_regclass('"models; DROP"."stg_heap_events_all_inc_fct"')
    LOOP
      IF commented.attname IS NULL THEN
        EXECUTE format('COMMENT ON TABLE %s IS %L', '"models; DROP"."stg_heap_events_all_inc_fct__new"', commented.description);
      ELSIF EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('"models; DROP"."stg_heap_events_all_inc_fct__new"') AND attname = commented.attname AND NOT attisdropped) THEN
        EXECUTE format('COMMENT ON COLUMN %s.%I IS %L', '"models; DROP"."stg_heap_events_all_inc_fct__new"', commented.attname, commented.description);
      END IF;
    END LOOP;
    SELECT relowner INTO old_owner FROM pg_class WHERE oid = to_regclass('"models; DROP"."stg_heap_events_all_inc_fct"');
    IF old_owner IS NOT NULL AND pg_get_userbyid(old_owner) <> current_user THEN
      EXECUTE format('ALTER TABLE %s OWNER TO %I', '"models; DROP"."stg_heap_events_all_inc_fct__new"', pg_get_userbyid(old_owner));
    END IF;
    DROP TABLE IF EXISTS "models; DROP"."stg_heap_events_all_inc_fct";
    ALTER TABLE "models; DROP"."stg_heap_events_all_inc_fct__new" RENAME TO "stg_heap_events_all_inc_fct";
  END IF;
  FOREACH indexed IN ARRAY ARRAY['heap_event_id', 'heap_user_id', 'heap_event_time', 'heap_session_id']::text[] LOOP
    IF NOT EXISTS (
      SELECT 1 FROM pg_index AS i JOIN pg_attribute AS a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
      WHERE i.indrelid = to_regclass('"models; DROP"."stg_heap_events_all_inc_fct"') AND i.indnatts = 1 AND i.indexprs IS NULL
      AND i.indpred IS NULL AND a.attname = indexed
    ) THEN
      EXECUTE format('CREATE INDEX ON %s (%I)', '"models; DROP"."stg_heap_events_all_inc_fct"', indexed);
    END IF;
  END LOOP;
END
$heap$;

ANALYZE "models; DROP"."stg_heap_events_all_inc_fct";

COMMIT;
