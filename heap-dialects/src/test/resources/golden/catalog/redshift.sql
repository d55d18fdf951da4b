-- "models; DROP"."stg_heap_sessions_inc_fct"

-- swapBlockersSelect
SELECT DISTINCT tgtnsp.nspname || '.' || tgtobj.relname || ' (a view)'
FROM pg_class srcobj
JOIN pg_namespace srcnsp ON srcobj.relnamespace = srcnsp.oid
JOIN pg_depend srcdep ON srcobj.oid = srcdep.refobjid
JOIN pg_depend tgtdep ON srcdep.objid = tgtdep.objid
JOIN pg_class tgtobj ON tgtdep.refobjid = tgtobj.oid AND srcobj.oid <> tgtobj.oid
JOIN pg_namespace tgtnsp ON tgtobj.relnamespace = tgtnsp.oid
WHERE tgtdep.deptype = 'i'::"char" AND tgtobj.relkind = 'v'::"char" AND srcnsp.nspname = 'models; DROP' AND srcobj.relname = 'stg_heap_sessions_inc_fct';

-- attachedSecuritySelects
SELECT 'row-level security' FROM svv_rls_relation WHERE datname = current_database() AND relschema = 'models; DROP' AND relname = 'stg_heap_sessions_inc_fct' AND (is_rls_on OR is_rls_datashare_on);

-- attachedSecuritySelects
SELECT 'masking policy ' || policy_name FROM svv_attached_masking_policy WHERE schema_name = 'models; DROP' AND table_name = 'stg_heap_sessions_inc_fct';

-- "Prod's ""db"""."team`s schema"."fact's ""x"""

-- swapBlockersSelect
SELECT DISTINCT tgtnsp.nspname || '.' || tgtobj.relname || ' (a view)'
FROM pg_class srcobj
JOIN pg_namespace srcnsp ON srcobj.relnamespace = srcnsp.oid
JOIN pg_depend srcdep ON srcobj.oid = srcdep.refobjid
JOIN pg_depend tgtdep ON srcdep.objid = tgtdep.objid
JOIN pg_class tgtobj ON tgtdep.refobjid = tgtobj.oid AND srcobj.oid <> tgtobj.oid
JOIN pg_namespace tgtnsp ON tgtobj.relnamespace = tgtnsp.oid
WHERE tgtdep.deptype = 'i'::"char" AND tgtobj.relkind = 'v'::"char" AND srcnsp.nspname = 'team`s schema' AND srcobj.relname = 'fact''s "x"';

-- attachedSecuritySelects
SELECT 'row-level security' FROM svv_rls_relation WHERE datname = 'Prod''s "db"' AND relschema = 'team`s schema' AND relname = 'fact''s "x"' AND (is_rls_on OR is_rls_datashare_on);

-- attachedSecuritySelects
SELECT 'masking policy ' || policy_name FROM svv_attached_masking_policy WHERE schema_name = 'team`s schema' AND table_name = 'fact''s "x"';
