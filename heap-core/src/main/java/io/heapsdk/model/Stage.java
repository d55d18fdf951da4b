package io.heapsdk.model;

import java.util.Objects;
import org.apache.calcite.rel.RelNode;

/** A named step of a model's query; rendered as a CTE of that name. */
public record Stage(String name, RelNode rel) {
  public Stage {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(rel, "rel");
  }
}
