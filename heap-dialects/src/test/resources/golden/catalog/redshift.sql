-- "models; DROP"."stg_heap_sessions_inc_fct"

-- attachedSecuritySelects
SELECT 'row-level security' FROM svv_rls_relation WHERE relschema = 'models; DROP' AND relname = 'stg_heap_sessions_inc_fct' AND (is_rls_on OR is_rls_datashare_on);

-- "Prod's ""db"""."team`s schema"."fact's ""x"""

-- attachedSecuritySelects
SELECT 'row-level security' FROM svv_rls_relation WHERE relschema = 'team`s schema' AND relname = 'fact''s "x"' AND (is_rls_on OR is_rls_datashare_on);
