-- "models; DROP"."stg_heap_sessions_inc_fct"

-- swapBlockersSelect
SELECT DISTINCT v.oid::regclass::text || ' (a view)'
FROM pg_depend AS d JOIN pg_rewrite AS r ON r.oid = d.objid JOIN pg_class AS v ON v.oid = r.ev_class
WHERE d.classid = 'pg_rewrite'::regclass AND d.refobjid = to_regclass('"models; DROP"."stg_heap_sessions_inc_fct"') AND v.oid <> d.refobjid
UNION
SELECT conrelid::regclass::text || ' (its foreign key ' || quote_ident(conname) || ')'
FROM pg_constraint WHERE confrelid = to_regclass('"models; DROP"."stg_heap_sessions_inc_fct"') AND contype = 'f' AND conrelid <> confrelid
UNION
SELECT p.polrelid::regclass::text || ' (its row security policy ' || quote_ident(p.polname) || ')'
FROM pg_depend AS d JOIN pg_policy AS p ON p.oid = d.objid
WHERE d.classid = 'pg_policy'::regclass AND d.refobjid = to_regclass('"models; DROP"."stg_heap_sessions_inc_fct"') AND p.polrelid <> d.refobjid
ORDER BY 1;

-- "Prod's ""db"""."team`s schema"."fact's ""x"""

-- swapBlockersSelect
SELECT DISTINCT v.oid::regclass::text || ' (a view)'
FROM pg_depend AS d JOIN pg_rewrite AS r ON r.oid = d.objid JOIN pg_class AS v ON v.oid = r.ev_class
WHERE d.classid = 'pg_rewrite'::regclass AND d.refobjid = to_regclass('"Prod''s ""db"""."team`s schema"."fact''s ""x"""') AND v.oid <> d.refobjid
UNION
SELECT conrelid::regclass::text || ' (its foreign key ' || quote_ident(conname) || ')'
FROM pg_constraint WHERE confrelid = to_regclass('"Prod''s ""db"""."team`s schema"."fact''s ""x"""') AND contype = 'f' AND conrelid <> confrelid
UNION
SELECT p.polrelid::regclass::text || ' (its row security policy ' || quote_ident(p.polname) || ')'
FROM pg_depend AS d JOIN pg_policy AS p ON p.oid = d.objid
WHERE d.classid = 'pg_policy'::regclass AND d.refobjid = to_regclass('"Prod''s ""db"""."team`s schema"."fact''s ""x"""') AND p.polrelid <> d.refobjid
ORDER BY 1;
