/**
 * The model graph and the fluent model API: {@link io.heapsdk.model.HeapProject} holds models, each
 * with a plan function that builds a Calcite {@code RelNode} from its upstream models and Heap's source
 * tables; {@link io.heapsdk.model.HeapProject#plan()} plans them all, in dependency order, into a
 * warehouse-neutral {@link io.heapsdk.model.ProjectPlan}.
 */
@Value.Style(
    get = {"is*", "get*"},
    init = "*",
    visibility = Value.Style.ImplementationVisibility.PUBLIC,
    defaults = @Value.Immutable(copy = true))
package io.heapsdk.model;

import org.immutables.value.Value;
