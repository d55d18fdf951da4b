package io.heapsdk.quality;

import java.util.Objects;

/** A column check on one target table: what {@code heap test} runs and reports by {@link #name()}. */
public record DataTest(TestTarget target, ColumnCheck check) {
  public DataTest {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(check, "check");
  }

  /**
   * dbt-style name, {@code <kind>_<table>_<column>} (relationships add the parent:
   * {@code relationships_pageviews_session_id__sessions_session_id}); unique per target and check.
   */
  public String name() {
    String base = check.kindName() + "_" + target.name() + "_" + check.column();
    if (check.kind() == ColumnCheck.Kind.RELATIONSHIP) {
      return base + "__" + check.parent().orElseThrow().name() + "_" + check.parentColumn().orElseThrow();
    }
    return base;
  }

  public Severity severity() {
    return check.severity();
  }
}
