CREATE SCHEMA IF NOT EXISTS `bunseki_models`;
