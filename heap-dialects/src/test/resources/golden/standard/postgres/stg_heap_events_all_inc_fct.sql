DROP TABLE IF EXISTS "heap_models"."stg_heap_events_all_inc_fct__new";

CREATE TABLE "heap_models"."stg_heap_events_all_inc_fct__new"
AS
WITH "events_ranked" AS (
  SELECT "event_id" AS "heap_event_id",
    "user_id" AS "heap_user_id",
    "session_id" AS "heap_session_id",
    "event_table_name" AS "heap_event_name",
    "time" AS "heap_event_time",
      ROW_NUMBER() OVER (PARTITION BY "event_id" ORDER BY "time" DESC NULLS LAST, "user_id", "session_id", "event_table_name") AS "heap__dedup_rank"
  FROM "main_production"."all_events"
  WHERE "event_id" IS NOT NULL
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
    CASE WHEN "heap_event_name" = 'view_product' THEN 1 WHEN "heap_event_name" = 'add_to_cart' THEN 2 WHEN "heap_event_name" = 'begin_checkout' THEN 3 WHEN "heap_event_name" = 'purchase' THEN 4 ELSE 0 END AS "heap_event_funnel_position",
    CASE WHEN "heap_event_name" IN ('purchase', 'sign_up') THEN TRUE ELSE FALSE END AS "heap_event_is_conversion"
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
  FROM pg_attribute WHERE attrelid = to_regclass('"heap_models"."stg_heap_events_all_inc_fct"') AND attnum > 0 AND NOT attisdropped;
  SELECT array_agg(quote_ident(attname) || ' ' || format_type(atttypid, atttypmod) ORDER BY attnum) INTO new_columns
  FROM pg_attribute WHERE attrelid = to_regclass('"heap_models"."stg_heap_events_all_inc_fct__new"') AND attnum > 0 AND NOT attisdropped;
  IF old_columns = new_columns THEN
    -- the same columns: the rows are replaced in place, and the table keeps its grants, owner,
    -- comments, indexes and the views on it
    TRUNCATE "heap_models"."stg_heap_events_all_inc_fct";
    INSERT INTO "heap_models"."stg_heap_events_all_inc_fct" SELECT * FROM "heap_models"."stg_heap_events_all_inc_fct__new";
    DROP TABLE "heap_models"."stg_heap_events_all_inc_fct__new";
  ELSE
    -- no table yet, or other columns: the new table takes its place, with its grants, owner and
    -- comments; a view cannot follow a table to other columns, and none is ever dropped here
    SELECT string_agg(DISTINCT v.oid::regclass::text, ', ') INTO dependent_views
    FROM pg_depend AS d JOIN pg_rewrite AS r ON r.oid = d.objid JOIN pg_class AS v ON v.oid = r.ev_class
    WHERE d.classid = 'pg_rewrite'::regclass AND d.refobjid = to_regclass('"heap_models"."stg_heap_events_all_inc_fct"') AND v.oid <> d.refobjid;
    IF dependent_views IS NOT NULL THEN
      RAISE EXCEPTION 'table % gets other columns, and views depend on it: drop them, run again, then create them again (heap never drops a view): %',
        '"heap_models"."stg_heap_events_all_inc_fct"', dependent_views;
    END IF;
    FOR granted IN
      SELECT a.privilege_type, a.is_grantable, CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END AS grantee
      FROM pg_class AS c, aclexplode(c.relacl) AS a
      WHERE c.oid = to_regclass('"heap_models"."stg_heap_events_all_inc_fct"') AND a.grantee <> c.relowner
    LOOP
      EXECUTE format('GRANT %s ON TABLE %s TO %s', granted.privilege_type, '"heap_models"."stg_heap_events_all_inc_fct__new"', granted.grantee)
        || CASE WHEN granted.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END;
    END LOOP;
    FOR commented IN
      SELECT a.attname, d.description
      FROM pg_description AS d LEFT JOIN pg_attribute AS a ON a.attrelid = d.objoid AND a.attnum = d.objsubid
      WHERE d.classoid = 'pg_class'::regclass AND d.objoid = to_regclass('"heap_models"."stg_heap_events_all_inc_fct"')
    LOOP
      IF commented.attname IS NULL THEN
        EXECUTE format('COMMENT ON TABLE %s IS %L', '"heap_models"."stg_heap_events_all_inc_fct__new"', commented.description);
      ELSIF EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('"heap_models"."stg_heap_events_all_inc_fct__new"') AND attname = commented.attname AND NOT attisdropped) THEN
        EXECUTE format('COMMENT ON COLUMN %s.%I IS %L', '"heap_models"."stg_heap_events_all_inc_fct__new"', commented.attname, commented.description);
      END IF;
    END LOOP;
    SELECT relowner INTO old_owner FROM pg_class WHERE oid = to_regclass('"heap_models"."stg_heap_events_all_inc_fct"');
    IF old_owner IS NOT NULL AND pg_get_userbyid(old_owner) <> current_user THEN
      EXECUTE format('ALTER TABLE %s OWNER TO %I', '"heap_models"."stg_heap_events_all_inc_fct__new"', pg_get_userbyid(old_owner));
    END IF;
    DROP TABLE IF EXISTS "heap_models"."stg_heap_events_all_inc_fct";
    ALTER TABLE "heap_models"."stg_heap_events_all_inc_fct__new" RENAME TO "stg_heap_events_all_inc_fct";
  END IF;
  FOREACH indexed IN ARRAY ARRAY['heap_event_id', 'heap_user_id', 'heap_event_time', 'heap_session_id']::text[] LOOP
    IF NOT EXISTS (
      SELECT 1 FROM pg_index AS i JOIN pg_attribute AS a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
      WHERE i.indrelid = to_regclass('"heap_models"."stg_heap_events_all_inc_fct"') AND i.indnatts = 1 AND i.indexprs IS NULL
      AND i.indpred IS NULL AND a.attname = indexed
    ) THEN
      EXECUTE format('CREATE INDEX ON %s (%I)', '"heap_models"."stg_heap_events_all_inc_fct"', indexed);
    END IF;
  END LOOP;
END
$heap$;

ANALYZE "heap_models"."stg_heap_events_all_inc_fct";

COMMIT;
