CREATE SCHEMA IF NOT EXISTS `heap_models`
OPTIONS(location = 'EU');
