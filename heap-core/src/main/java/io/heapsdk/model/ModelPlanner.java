package io.heapsdk.model;

import org.apache.calcite.rel.RelNode;

/**
 * Builds a model's query. Use {@link PlanContext#ref}, {@link PlanContext#source} and the context's
 * {@code RelBuilder}; return the finished {@code RelNode}. Every output column needs a name
 * ({@code .as(...)}); no warehouse-specific SQL here.
 */
@FunctionalInterface
public interface ModelPlanner {
  RelNode plan(PlanContext ctx);
}
