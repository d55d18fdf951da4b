package io.heapsdk.model;

import io.heapsdk.quality.ColumnCheck;

/**
 * Fluent definition of one model, started by {@link HeapProject#model(String)} and finished by
 * {@link #plan(ModelPlanner)}, which adds the model to the project. Tables by default.
 */
public final class ModelBuilder {
  private final HeapProject project;
  private static final String DEFAULT_USER_COLUMN = "heap_user_id";

  private final Model.Builder model;
  private boolean userColumnSet;

  ModelBuilder(HeapProject project, String name) {
    this.project = project;
    this.model = Model.builder().name(name).materialization(Materialization.TABLE);
  }

  /** Inline it into the models that ref it, never store it. */
  public ModelBuilder ephemeral() {
    model.materialization(Materialization.EPHEMERAL);
    return this;
  }

  /** Rebuild it as a table from its full query on every run (the default). */
  public ModelBuilder table() {
    model.materialization(Materialization.TABLE);
    return this;
  }

  /**
   * A fact table identified by {@code uniqueKey}, with {@code timeColumn} as its high-water mark and
   * Heap's user id in {@code heap_user_id} (change it with {@link #userColumn}).
   */
  public ModelBuilder incremental(String uniqueKey, String timeColumn) {
    model.materialization(Materialization.INCREMENTAL).uniqueKey(uniqueKey).timeColumn(timeColumn);
    if (!userColumnSet) {
      model.userColumn(DEFAULT_USER_COLUMN);
    }
    return this;
  }

  /** The time column of the table's default layout, where it is not the time column ({@link Model#layoutTimeColumn}). */
  public ModelBuilder layoutTimeColumn(String column) {
    model.layoutTimeColumn(column);
    return this;
  }

  /** The column holding Heap's user id, by which an incremental build recomputes rows. */
  public ModelBuilder userColumn(String column) {
    model.userColumn(column);
    userColumnSet = true;
    return this;
  }

  /**
   * Declares that each row of this model comes from a row of the Heap table {@code table} (logical name:
   * {@code all_events}, {@code pageviews}, {@code sessions}, {@code users}, {@code user_migrations}), so
   * that the model is empty when that table is. An incremental run then takes its high-water mark from
   * the other facts while both are empty, instead of recomputing every user (see {@link Model#rowSource}).
   * Leave it out when the model can be empty while the table has rows (a filter on event names).
   */
  public ModelBuilder rowSource(String table) {
    model.rowSource(table);
    return this;
  }

  /** Columns other models join on; indexed where the warehouse has indexes (see {@link Model#lookupColumns}). */
  public ModelBuilder lookupColumns(String... columns) {
    model.addLookupColumns(columns);
    return this;
  }

  public ModelBuilder description(String description) {
    model.description(description);
    return this;
  }

  /** Documents an output column. */
  public ModelBuilder column(String name, String description) {
    model.putColumnDescriptions(name, description);
    return this;
  }

  /**
   * Declares a data test on one of the model's columns, e.g.
   * {@code .test(ColumnCheck.acceptedValues("channel", "Direct", "Email"))}; {@code heap test} runs it.
   */
  public ModelBuilder test(ColumnCheck check) {
    model.addTests(check);
    return this;
  }

  /** Sets the plan function, adds the model to the project and returns it. */
  public Model plan(ModelPlanner planner) {
    Model m = model.planner(planner).build();
    project.add(m);
    return m;
  }
}
