-- "models; DROP"."stg_heap_sessions_inc_fct"

-- swapBlockersSelect
SELECT DISTINCT quote_ident(n.nspname) || '.' || quote_ident(v.relname) || ' (a view)'
FROM pg_depend AS d JOIN pg_rewrite AS r ON r.oid = d.objid JOIN pg_class AS v ON v.oid = r.ev_class JOIN pg_namespace AS n ON n.oid = v.relnamespace
WHERE d.classid = 'pg_rewrite'::regclass AND d.refobjid = to_regclass('"models; DROP"."stg_heap_sessions_inc_fct"') AND v.oid <> d.refobjid
UNION
SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) || ' (its foreign key ' || quote_ident(k.conname) || ')'
FROM pg_constraint AS k JOIN pg_class AS c ON c.oid = k.conrelid JOIN pg_namespace AS n ON n.oid = c.relnamespace
WHERE k.confrelid = to_regclass('"models; DROP"."stg_heap_sessions_inc_fct"') AND k.contype = 'f' AND k.conrelid <> k.confrelid
UNION
SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) || ' (its row security policy ' || quote_ident(p.polname) || ')'
FROM pg_depend AS d JOIN pg_policy AS p ON p.oid = d.objid JOIN pg_class AS c ON c.oid = p.polrelid JOIN pg_namespace AS n ON n.oid = c.relnamespace
WHERE d.classid = 'pg_policy'::regclass AND d.refobjid = to_regclass('"models; DROP"."stg_heap_sessions_inc_fct"') AND p.polrelid <> d.refobjid
ORDER BY 1;

-- "Prod's ""db"""."team`s schema"."fact's ""x"""

-- swapBlockersSelect
SELECT DISTINCT quote_ident(n.nspname) || '.' || quote_ident(v.relname) || ' (a view)'
FROM pg_depend AS d JOIN pg_rewrite AS r ON r.oid = d.objid JOIN pg_class AS v ON v.oid = r.ev_class JOIN pg_namespace AS n ON n.oid = v.relnamespace
WHERE d.classid = 'pg_rewrite'::regclass AND d.refobjid = to_regclass('"Prod''s ""db"""."team`s schema"."fact''s ""x"""') AND v.oid <> d.refobjid
UNION
SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) || ' (its foreign key ' || quote_ident(k.conname) || ')'
FROM pg_constraint AS k JOIN pg_class AS c ON c.oid = k.conrelid JOIN pg_namespace AS n ON n.oid = c.relnamespace
WHERE k.confrelid = to_regclass('"Prod''s ""db"""."team`s schema"."fact''s ""x"""') AND k.contype = 'f' AND k.conrelid <> k.confrelid
UNION
SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) || ' (its row security policy ' || quote_ident(p.polname) || ')'
FROM pg_depend AS d JOIN pg_policy AS p ON p.oid = d.objid JOIN pg_class AS c ON c.oid = p.polrelid JOIN pg_namespace AS n ON n.oid = c.relnamespace
WHERE d.classid = 'pg_policy'::regclass AND d.refobjid = to_regclass('"Prod''s ""db"""."team`s schema"."fact''s ""x"""') AND p.polrelid <> d.refobjid
ORDER BY 1;
