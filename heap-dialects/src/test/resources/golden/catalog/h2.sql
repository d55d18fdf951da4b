-- "models; DROP"."STG_HEAP_SESSIONS_INC_FCT"

-- swapBlockersSelect
SELECT "TABLE_SCHEMA" || '.' || "TABLE_NAME" || ' (a view)' FROM "INFORMATION_SCHEMA"."VIEWS" WHERE POSITION('"models; DROP"."STG_HEAP_SESSIONS_INC_FCT"' IN "VIEW_DEFINITION") > 0;

-- "Prod's ""db"""."team`s schema"."fact's ""x"""

-- swapBlockersSelect
SELECT "TABLE_SCHEMA" || '.' || "TABLE_NAME" || ' (a view)' FROM "INFORMATION_SCHEMA"."VIEWS" WHERE POSITION('"team`s schema"."fact''s ""x"""' IN "VIEW_DEFINITION") > 0;
