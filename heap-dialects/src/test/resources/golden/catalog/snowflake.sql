-- "models; DROP"."STG_HEAP_SESSIONS_INC_FCT"

-- attachedSecuritySelects
SELECT LOWER(REPLACE(POLICY_KIND, '_', ' ')) || ' ' || POLICY_DB || '.' || POLICY_SCHEMA || '.' || POLICY_NAME || COALESCE(' on column ' || REF_COLUMN_NAME, '')
FROM TABLE(INFORMATION_SCHEMA.POLICY_REFERENCES(REF_ENTITY_NAME => '"models; DROP"."STG_HEAP_SESSIONS_INC_FCT"', REF_ENTITY_DOMAIN => 'table'))
WHERE TAG_NAME IS NULL;

-- "Prod's ""db"""."team`s schema"."fact's ""x"""

-- attachedSecuritySelects
SELECT LOWER(REPLACE(POLICY_KIND, '_', ' ')) || ' ' || POLICY_DB || '.' || POLICY_SCHEMA || '.' || POLICY_NAME || COALESCE(' on column ' || REF_COLUMN_NAME, '')
FROM TABLE("Prod's ""db""".INFORMATION_SCHEMA.POLICY_REFERENCES(REF_ENTITY_NAME => '"Prod''s ""db"""."team`s schema"."fact''s ""x"""', REF_ENTITY_DOMAIN => 'table'))
WHERE TAG_NAME IS NULL;
