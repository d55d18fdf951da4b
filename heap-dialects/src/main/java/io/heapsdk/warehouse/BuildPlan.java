package io.heapsdk.warehouse;

import io.heapsdk.model.PlannedModel;
import io.heapsdk.model.ProjectPlan;
import java.util.ArrayList;
import java.util.List;

/**
 * The statements that build every materialized model of a project on one warehouse, in dependency
 * order, plus the statement that creates the target schema. Text only: write it to files or hand it to
 * a {@link io.heapsdk.run.JdbcRunner}. Immutable.
 */
public final class BuildPlan {
  /** The statements of one model. {@code transactional}: run them in one transaction. */
  public record Step(String model, String table, List<String> statements, boolean transactional) {
    public Step {
      statements = List.copyOf(statements);
    }
  }

  private final Warehouse warehouse;
  private final String createSchema;
  private final List<Step> steps;

  private BuildPlan(Warehouse warehouse, String createSchema, List<Step> steps) {
    this.warehouse = warehouse;
    this.createSchema = createSchema;
    this.steps = List.copyOf(steps);
  }

  /** Every materialized model rebuilt from its full query. */
  public static BuildPlan fullRefresh(Warehouse warehouse, ProjectPlan plan) {
    SqlRenderer renderer = new SqlRenderer(warehouse, plan);
    List<Step> steps = new ArrayList<>();
    for (PlannedModel m : plan.materialized()) {
      String table = renderer.tableName(m.name());
      steps.add(
          new Step(
              m.name(),
              table,
              warehouse.replaceTable(table, renderer.select(m.name())),
              warehouse.replaceNeedsTransaction()));
    }
    String schema = warehouse.createSchema(plan.config().targetDatabase(), plan.config().targetSchema());
    return new BuildPlan(warehouse, schema, steps);
  }

  public Warehouse warehouse() {
    return warehouse;
  }

  /** {@code CREATE SCHEMA IF NOT EXISTS} for the target schema. */
  public String createSchema() {
    return createSchema;
  }

  public List<Step> steps() {
    return steps;
  }

  /** One step as a script: statements ended by {@code ;}, wrapped in BEGIN/COMMIT when transactional. */
  public static String script(Step step) {
    StringBuilder b = new StringBuilder();
    if (step.transactional()) {
      b.append("BEGIN;\n\n");
    }
    for (String s : step.statements()) {
      b.append(s).append(";\n\n");
    }
    if (step.transactional()) {
      b.append("COMMIT;\n");
    }
    return b.toString().stripTrailing() + "\n";
  }

}
