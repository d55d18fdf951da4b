package io.heapsdk.model;

import java.util.Objects;
import org.apache.calcite.rel.RelNode;

/** A named step of a model's query; rendered as a CTE of that name. Made only by the planner. */
public final class Stage {
  private final String name;
  private final RelNode rel;

  Stage(String name, RelNode rel) {
    this.name = Objects.requireNonNull(name, "name");
    this.rel = Objects.requireNonNull(rel, "rel");
  }

  /** The CTE's name. */
  public String name() {
    return name;
  }

  /** The step's relation (Calcite's plan, for the renderers). */
  public RelNode rel() {
    return rel;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Stage s && name.equals(s.name) && rel.equals(s.rel);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, rel);
  }

  @Override
  public String toString() {
    return "Stage[" + name + "]";
  }
}
