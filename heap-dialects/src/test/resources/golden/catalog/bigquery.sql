-- `models_DROP`.`stg_heap_sessions_inc_fct`

-- attachedSecuritySelects
SELECT CONCAT('row access policy ', row_access_policy_name) FROM `models_DROP`.INFORMATION_SCHEMA.ROW_ACCESS_POLICIES WHERE table_name = 'stg_heap_sessions_inc_fct';

-- attachedSecuritySelects
SELECT CONCAT('policy tags on column ', field_path) FROM `models_DROP`.INFORMATION_SCHEMA.COLUMN_FIELD_PATHS WHERE table_name = 'stg_heap_sessions_inc_fct' AND ARRAY_LENGTH(policy_tags) > 0;

-- `Prod's "db"`.`team\`s schema`.`fact's "x"`

-- attachedSecuritySelects
SELECT CONCAT('row access policy ', row_access_policy_name) FROM `Prod's "db"`.`team\`s schema`.INFORMATION_SCHEMA.ROW_ACCESS_POLICIES WHERE table_name = 'fact\'s "x"';

-- attachedSecuritySelects
SELECT CONCAT('policy tags on column ', field_path) FROM `Prod's "db"`.`team\`s schema`.INFORMATION_SCHEMA.COLUMN_FIELD_PATHS WHERE table_name = 'fact\'s "x"' AND ARRAY_LENGTH(policy_tags) > 0;
