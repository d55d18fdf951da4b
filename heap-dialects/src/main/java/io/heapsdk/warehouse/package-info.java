/**
 * Warehouse-specific rendering. {@link io.heapsdk.warehouse.Warehouse} is what every warehouse provides
 * (a Calcite dialect, identifier and literal rules, DDL/DML statement builders); each warehouse lives in
 * its own sub-package. {@link io.heapsdk.warehouse.SqlRenderer} turns a planned model into SELECT text
 * with its ephemeral upstreams as named CTEs, and {@link io.heapsdk.warehouse.BuildPlan} lists the
 * statements that materialize every model.
 */
package io.heapsdk.warehouse;
