package io.heapsdk.model;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.type.RelDataType;

/**
 * A model with its query planned: the named stages (CTEs) of its query in order, the final relation,
 * its row type, and the models and source tables it reads directly. Made only by {@link HeapProject}'s
 * planning; the renderers of each warehouse read it.
 */
public final class PlannedModel {
  private final Model model;
  private final List<Stage> stages;
  private final RelNode root;
  private final Set<String> refs;
  private final Set<String> sources;

  PlannedModel(Model model, List<Stage> stages, RelNode root, Set<String> refs, Set<String> sources) {
    this.model = Objects.requireNonNull(model, "model");
    this.stages = List.copyOf(stages);
    this.root = Objects.requireNonNull(root, "root");
    this.refs = Set.copyOf(refs);
    this.sources = Set.copyOf(sources);
  }

  /** The model's definition. */
  public Model model() {
    return model;
  }

  /** The named steps of its query, in order; each becomes a CTE. */
  public List<Stage> stages() {
    return stages;
  }

  /** The final relation of its query (Calcite's plan, for the renderers). */
  public RelNode root() {
    return root;
  }

  /** The models it reads directly. */
  public Set<String> refs() {
    return refs;
  }

  /** The Heap source tables it reads directly. */
  public Set<String> sources() {
    return sources;
  }

  public String name() {
    return model.name();
  }

  /** The type of its rows (Calcite's, for the renderers). */
  public RelDataType rowType() {
    return root.getRowType();
  }

  /** Output column names, in order. */
  public List<String> columnNames() {
    return rowType().getFieldNames();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PlannedModel p
        && model.equals(p.model)
        && stages.equals(p.stages)
        && root.equals(p.root)
        && refs.equals(p.refs)
        && sources.equals(p.sources);
  }

  @Override
  public int hashCode() {
    return Objects.hash(model, stages, root, refs, sources);
  }

  @Override
  public String toString() {
    return "PlannedModel[" + name() + ", stages " + stages.size() + ", refs " + refs + ", sources " + sources + "]";
  }
}
