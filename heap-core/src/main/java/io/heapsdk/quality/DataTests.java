package io.heapsdk.quality;

import io.heapsdk.model.HeapProject;
import io.heapsdk.model.Materialization;
import io.heapsdk.model.Model;
import io.heapsdk.source.ColumnTest;
import io.heapsdk.source.SourceColumn;
import io.heapsdk.source.SourceTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects every data test of a project: the source catalog's, each stored model's unique-key tests,
 * the tests models declare and those added to the project.
 *
 * <p>Severities: a source column's {@code not_null} is an error (the models cannot repair a missing
 * id); a source {@code unique} is a warning, because the standard models dedupe exactly those keys
 * (SPEC §2), so a duplicate from a resync leaves the facts correct but is worth knowing about. A model's
 * unique key must be unique and not NULL (errors): a duplicate there is a real defect of the model.
 * Ephemeral models are never stored, so nothing can be tested on them.
 */
public final class DataTests {
  private DataTests() {}

  /** Every test of the project, in order: sources, then models (definition order), then added tests. */
  public static List<DataTest> of(HeapProject project) {
    // keyed by name: a declared test that repeats an implied one runs once
    Map<String, DataTest> result = new LinkedHashMap<>();
    for (SourceTable t : project.config().catalog().tables()) {
      for (SourceColumn c : t.columns()) {
        for (ColumnTest test : c.tests()) {
          ColumnCheck check =
              test == ColumnTest.NOT_NULL ? ColumnCheck.notNull(c.name()) : ColumnCheck.unique(c.name()).warnOnly();
          put(result, new DataTest(TestTarget.source(t.name()), check));
        }
      }
    }
    for (Model m : project.models()) {
      if (m.materialization() == Materialization.EPHEMERAL) {
        continue;
      }
      TestTarget target = TestTarget.model(m.name());
      m.uniqueKey()
          .ifPresent(
              key -> {
                put(result, new DataTest(target, ColumnCheck.notNull(key)));
                put(result, new DataTest(target, ColumnCheck.unique(key)));
              });
      for (ColumnCheck check : m.tests()) {
        put(result, new DataTest(target, check));
      }
    }
    for (DataTest t : project.declaredTests()) {
      put(result, t);
    }
    return new ArrayList<>(result.values());
  }

  private static void put(Map<String, DataTest> tests, DataTest test) {
    tests.put(test.name(), test);
  }
}
