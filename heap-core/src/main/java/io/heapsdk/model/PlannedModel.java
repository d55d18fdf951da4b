package io.heapsdk.model;

import java.util.List;
import java.util.Set;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.type.RelDataType;

/**
 * A model with its query planned: the named stages (CTEs) of its query in order, the final relation,
 * its row type, and the models and source tables it reads directly.
 */
public record PlannedModel(
    Model model, List<Stage> stages, RelNode root, Set<String> refs, Set<String> sources) {
  public PlannedModel {
    stages = List.copyOf(stages);
    refs = Set.copyOf(refs);
    sources = Set.copyOf(sources);
  }

  public String name() {
    return model.name();
  }

  public RelDataType rowType() {
    return root.getRowType();
  }

  /** Output column names, in order. */
  public List<String> columnNames() {
    return rowType().getFieldNames();
  }
}
