package io.heapsdk.model;

import io.heapsdk.quality.ColumnCheck;
import io.heapsdk.source.SourceCatalog;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * One model: its name, how it is materialized, its documentation, its keys and the function that plans
 * its query. Standard and user models are the same kind of object. Immutable.
 */
@Value.Immutable
public abstract class Model {
  public static Builder builder() {
    return new Builder();
  }

  /** Builder of a model; {@link HeapProject#model(String)} is the fluent way to define one. */
  public static class Builder extends ImmutableModel.Builder {}

  /** The model's name, also its table or CTE name: lower case letters, digits and underscores. */
  public abstract String name();

  public abstract Materialization materialization();

  @Value.Default
  public String description() {
    return "";
  }

  /** Column name to description, in the documented order. */
  public abstract Map<String, String> columnDescriptions();

  /** The column that identifies a row; required for incremental models. */
  public abstract Optional<String> uniqueKey();

  /** The column whose maximum is the model's high-water mark; required for incremental models. */
  public abstract Optional<String> timeColumn();

  /**
   * The time column the table's default layout uses (BigQuery's partitions, Snowflake's clustering date,
   * Redshift's sort key) where it is not {@link #timeColumn}: a column whose value a row keeps from run to
   * run. The users fact's mark is its last session, which moves to today for every active user on every
   * run, so partitioning by it would move their rows between partitions each time; it lays its table out
   * by the first session instead. Empty: the time column. {@code models.<name>} options override both.
   */
  public abstract Optional<String> layoutTimeColumn();

  /** {@link #layoutTimeColumn}, or the time column where it is not set: what the default layout uses. */
  public Optional<String> tableTimeColumn() {
    return layoutTimeColumn().or(this::timeColumn);
  }

  /**
   * The column holding Heap's user id; an incremental build recomputes whole users, so an incremental
   * model needs one (the standard facts use {@code heap_user_id}).
   */
  public abstract Optional<String> userColumn();

  /**
   * The Heap table (logical name: {@code pageviews}) without whose rows this model has none: each of its
   * rows comes from a row of that table, as each row of the pageview sessions fact comes from a
   * pageview. An incremental model that is empty while that table is empty too leaves the run's
   * high-water mark to the other facts; without it, an empty fact has no mark and every run recomputes
   * every user (a mobile-only project's pageview sessions fact did, on every run).
   */
  public abstract Optional<String> rowSource();

  /**
   * Columns downstream models look rows up by (joins). Warehouses with indexes (H2) index them, with the
   * unique key and the user column; the others ignore them.
   */
  public abstract List<String> lookupColumns();

  /**
   * Data checks the model's author declares on its columns ({@link ModelBuilder#test}); the unique key's
   * {@code not_null} and {@code unique} tests are implied and need not be listed (see
   * {@link io.heapsdk.quality.DataTests}).
   */
  public abstract List<ColumnCheck> tests();

  @Value.Auxiliary
  public abstract ModelPlanner planner();

  @Value.Check
  protected void check() {
    if (!name().matches("[a-z_][a-z0-9_]*")) {
      throw new HeapModelException(
          name(), "a model name is lower case letters, digits and underscores, starting with a letter or _");
    }
    if (materialization() == Materialization.INCREMENTAL
        && (uniqueKey().isEmpty() || timeColumn().isEmpty() || userColumn().isEmpty())) {
      throw new HeapModelException(name(), "an incremental model needs a unique key, a time column and a user column");
    }
    if (rowSource().isPresent() && !SourceCatalog.heapConnect().tableNames().contains(rowSource().get())) {
      throw new HeapModelException(
          name(), "rowSource names a Heap table by its logical name, one of " + SourceCatalog.heapConnect().tableNames() + "; got \"" + rowSource().get() + "\"");
    }
  }
}
