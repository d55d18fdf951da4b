package io.heapsdk.quality;

import io.heapsdk.HeapException;
import io.heapsdk.model.HeapModelException;
import io.heapsdk.model.HeapProject;
import io.heapsdk.model.Materialization;
import io.heapsdk.model.Model;
import io.heapsdk.source.ColumnTest;
import io.heapsdk.source.SourceColumn;
import io.heapsdk.source.SourceTable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

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

  /**
   * Every test of the project, in order: sources, then models (definition order), then added tests. A
   * test declared again under the same name runs once, with the severity of the later declaration (so
   * {@code HeapProject.test} can make a source's implied {@code unique} warning an error); two
   * {@code accepted_values} tests of one column with other values are refused ({@link HeapModelException}):
   * before, the later silently replaced the earlier, and a column that broke the model's own list passed.
   */
  public static List<DataTest> of(HeapProject project) {
    Map<String, Declared> result = new LinkedHashMap<>();
    for (SourceTable t : project.config().catalog().tables()) {
      for (SourceColumn c : t.columns()) {
        for (ColumnTest test : c.tests()) {
          ColumnCheck check =
              test == ColumnTest.NOT_NULL ? ColumnCheck.notNull(c.name()) : ColumnCheck.unique(c.name()).warnOnly();
          put(result, new DataTest(TestTarget.source(t.name()), check), "the source catalog");
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
                put(result, new DataTest(target, ColumnCheck.notNull(key)), "its unique key");
                put(result, new DataTest(target, ColumnCheck.unique(key)), "its unique key");
              });
      for (ColumnCheck check : m.tests()) {
        put(result, new DataTest(target, check), "ModelBuilder.test");
      }
    }
    for (DataTest t : project.declaredTests()) {
      put(result, t, "HeapProject.test");
    }
    return result.values().stream().map(Declared::test).collect(Collectors.toList());
  }

  /** A test and where it was declared, for the refusal of a contradicting one. */
  private record Declared(DataTest test, String where) {}

  private static void put(Map<String, Declared> tests, DataTest test, String where) {
    Declared before = tests.get(test.name());
    if (before != null
        && !Set.copyOf(before.test().check().acceptedValues()).equals(Set.copyOf(test.check().acceptedValues()))) {
      String problem =
          "data test " + test.name() + " is declared twice with other values: by " + before.where() + " "
              + before.test().check().acceptedValues() + " and by " + where + " " + test.check().acceptedValues()
              + "; a column has one accepted_values test: give it one list";
      throw test.target().kind() == TestTarget.Kind.MODEL
          ? new HeapModelException(test.target().name(), problem)
          : new HeapException("source " + test.target().name() + ": " + problem);
    }
    tests.put(test.name(), new Declared(test, where));
  }
}
