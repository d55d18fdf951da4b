package io.heapsdk.warehouse.golden;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.testing.GoldenConfigs;
import io.heapsdk.warehouse.TableName;
import io.heapsdk.warehouse.Warehouse;
import io.heapsdk.warehouse.Warehouses;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden SQL of the catalog questions a run asks before its first statement, for every warehouse, {@code
 * golden/catalog/<warehouse>.sql}: what would stop a swap to other columns ({@link
 * Warehouse#swapBlockersSelect}) and the row and column security a new table would lose ({@link
 * Warehouse#attachedSecuritySelects}). Asked of the hostile config's sessions fact, whose schema holds a
 * quote and a semicolon, and of a table of a database whose names hold a quote, a double quote and a
 * backtick: names go in as literals, never as SQL. A warehouse that asks nothing has a file that says so.
 */
class CatalogSqlGoldenTest {
  @TestFactory
  Stream<DynamicTest> catalogQuestionsOfEveryWarehouse() {
    List<DynamicTest> tests = new ArrayList<>();
    for (Warehouse w : Warehouses.all()) {
      String path = "catalog/" + w.name() + ".sql";
      tests.add(DynamicTest.dynamicTest(path, () -> GoldenFiles.check(path, questions(w))));
    }
    return tests.stream();
  }

  private static String questions(Warehouse w) {
    HeapConfig hostile = GoldenConfigs.forWarehouse("hostile", w);
    List<TableName> tables =
        List.of(
            w.table(hostile.targetDatabase(), hostile.targetSchema(), "stg_heap_sessions_inc_fct"),
            w.table(Optional.of("Prod's \"db\""), "team`s schema", "fact's \"x\""));
    StringBuilder b = new StringBuilder();
    boolean asks = false;
    for (TableName t : tables) {
      b.append("-- ").append(t.qualified()).append("\n\n");
      Optional<String> blockers = w.swapBlockersSelect(t);
      if (blockers.isPresent()) {
        b.append("-- swapBlockersSelect\n").append(blockers.get()).append(";\n\n");
        asks = true;
      }
      for (String s : w.attachedSecuritySelects(t)) {
        b.append("-- attachedSecuritySelects\n").append(s).append(";\n\n");
        asks = true;
      }
    }
    return asks ? b.toString().stripTrailing() + "\n" : "-- " + w.name() + " asks the catalog nothing before a run\n";
  }
}
