package io.heapsdk.sample;

import io.heapsdk.source.SourceCatalog;
import io.heapsdk.source.SourceColumn;
import io.heapsdk.source.SourceTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How the generator's values for one Heap table become a row in the catalog's column order, so the
 * generator never depends on that order; columns it does not produce (pass-through properties) are
 * filled by {@link Properties}.
 */
final class TableLayout {
  private final String table;
  private final List<SourceColumn> columns;
  private final List<String> names;
  private final int[] target;
  private final int[] others;

  /**
   * @param generated the logical columns the generator produces, in the order it passes their values
   */
  TableLayout(SourceCatalog catalog, String table, String... generated) {
    SourceTable t = catalog.table(table);
    this.table = table;
    this.columns = t.columns();
    this.target = new int[generated.length];
    this.names = t.columnNames();
    boolean[] produced = new boolean[names.size()];
    for (int i = 0; i < generated.length; i++) {
      target[i] = names.indexOf(generated[i]);
      if (target[i] < 0) {
        throw new IllegalStateException("Heap table " + table + " has no column " + generated[i] + "; it has " + names);
      }
      produced[target[i]] = true;
    }
    List<Integer> rest = new ArrayList<>();
    for (int i = 0; i < produced.length; i++) {
      if (!produced[i]) {
        rest.add(i);
      }
    }
    this.others = rest.stream().mapToInt(Integer::intValue).toArray();
  }

  String table() {
    return table;
  }

  /** The row's position of a generated column. */
  int index(String logicalColumn) {
    int i = names.indexOf(logicalColumn);
    if (Arrays.stream(target).noneMatch(t -> t == i)) {
      throw new IllegalStateException("column " + logicalColumn + " of " + table + " is not generated");
    }
    return i;
  }

  /** A row holding {@code values} (in generated order) and properties for the other columns. */
  Object[] row(Properties properties, Object... values) {
    Object[] row = new Object[columns.size()];
    for (int i = 0; i < values.length; i++) {
      row[target[i]] = values[i];
    }
    for (int i : others) {
      row[i] = properties.valueOf(columns.get(i));
    }
    return row;
  }
}
