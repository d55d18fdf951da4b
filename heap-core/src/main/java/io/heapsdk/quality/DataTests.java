package io.heapsdk.quality;

import io.heapsdk.HeapException;
import io.heapsdk.internal.NearestNames;
import io.heapsdk.model.HeapModelException;
import io.heapsdk.model.HeapProject;
import io.heapsdk.model.Materialization;
import io.heapsdk.model.Model;
import io.heapsdk.source.ColumnTest;
import io.heapsdk.source.SourceCatalog;
import io.heapsdk.source.SourceColumn;
import io.heapsdk.source.SourceTable;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Collects every data test of a project: the source catalog's, the config's event names (each some
 * {@code all_events} row's, a warning), each stored model's unique-key tests, the tests models declare
 * and those added to the project.
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
    // the config's funnel and conversion events are matched to Heap's event names exactly, case included:
    // a name no event has (add_to_kart, Sign_Up) made a funnel step count nothing and conversions vanish,
    // without a word from heap run or heap test (a probe on hand-made Heap data). A warning: a step not
    // launched yet has no events either
    Set<String> named = new LinkedHashSet<>(project.config().funnelEvents());
    named.addAll(project.config().conversionEvents());
    if (!named.isEmpty() && project.config().catalog().findTable(SourceCatalog.ALL_EVENTS).isPresent()) {
      put(
          result,
          new DataTest(TestTarget.source(SourceCatalog.ALL_EVENTS), ColumnCheck.containsValues("event_table_name", named.toArray()).warnOnly()),
          "the config's funnel_events and conversion_events");
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
    List<DataTest> tests = result.values().stream().map(Declared::test).collect(Collectors.toList());
    tests.forEach(t -> requireTarget(project, t));
    return tests;
  }

  /**
   * Refuses a test whose model or Heap table is none of the project's, or an ephemeral model (never
   * stored), or that names a column the Heap table lacks. Before, such a test was taken when declared
   * and failed when run: with the database's "table not found", or a bare IllegalArgumentException that
   * stopped every other test of the run. A model's columns are known only once it is planned: a test of
   * a column a model lacks fails when it runs, with the database's "column not found".
   */
  private static void requireTarget(HeapProject project, DataTest test) {
    requireTarget(project, test, test.target(), test.check().column());
    if (test.check().parent().isPresent()) {
      requireTarget(project, test, test.check().parent().get(), test.check().parentColumn().orElseThrow());
    }
  }

  private static void requireTarget(HeapProject project, DataTest test, TestTarget target, String column) {
    String problem = "data test " + test.name() + ": ";
    if (target.kind() == TestTarget.Kind.SOURCE) {
      Optional<SourceTable> table = project.config().catalog().findTable(target.name());
      if (table.isEmpty()) {
        List<String> names = project.config().catalog().tableNames();
        throw new HeapException(
            problem + "no Heap table " + target.name() + NearestNames.didYouMean(target.name(), names, "Heap's tables are", String.join(", ", names)));
      }
      if (table.get().findColumn(column).isEmpty()) {
        List<String> columns = table.get().columnNames();
        throw new HeapException(
            problem + "Heap table " + target.name() + " has no column " + column
                + NearestNames.didYouMean(column, columns, "its columns are", String.join(", ", columns)));
      }
      return;
    }
    Optional<Model> model = project.find(target.name());
    if (model.isEmpty()) {
      List<String> names = project.models().stream().map(Model::name).toList();
      throw new HeapModelException(
          target.name(), problem + "no such model" + NearestNames.didYouMean(target.name(), names, "models are", String.join(", ", names)));
    }
    if (model.get().materialization() == Materialization.EPHEMERAL) {
      throw new HeapModelException(
          target.name(), problem + "the model is ephemeral, inlined where it is read and never stored, so no test can read it; test a model that"
              + " reads it");
    }
  }

  /** A test and where it was declared, for the refusal of a contradicting one. */
  private record Declared(DataTest test, String where) {}

  private static void put(Map<String, Declared> tests, DataTest test, String where) {
    Declared before = tests.get(test.name());
    if (before != null && test.check().kind() == ColumnCheck.Kind.CONTAINS_VALUES) {
      // values some row must have, declared twice (the config's event names, and a project's own): both
      // lists, with the later declaration's severity
      Set<Object> both = new LinkedHashSet<>(before.test().check().acceptedValues());
      both.addAll(test.check().acceptedValues());
      ColumnCheck merged = ColumnCheck.containsValues(test.check().column(), both.toArray());
      test = new DataTest(test.target(), test.severity() == Severity.WARN ? merged.warnOnly() : merged);
      tests.put(test.name(), new Declared(test, before.where() + " and " + where));
      return;
    }
    if (before != null
        && !Set.copyOf(before.test().check().acceptedValues()).equals(Set.copyOf(test.check().acceptedValues()))) {
      String problem =
          "data test " + test.name() + " is declared twice with other values: by " + before.where() + " "
              + before.test().check().acceptedValues() + " and by " + where + " " + test.check().acceptedValues()
              + "; a column has one " + test.check().kindName() + " test: give it one list";
      throw test.target().kind() == TestTarget.Kind.MODEL
          ? new HeapModelException(test.target().name(), problem)
          : new HeapException("source " + test.target().name() + ": " + problem);
    }
    tests.put(test.name(), new Declared(test, where));
  }
}
