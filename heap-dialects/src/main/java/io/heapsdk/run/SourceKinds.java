package io.heapsdk.run;

import io.heapsdk.source.ColumnType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The kinds of the Heap tables' columns as a run found them (text, whole numbers, numbers with a
 * fraction, true/false, timestamps: {@link SourceColumns#kind}), recorded by each successful run ({@value
 * #SETTING}) so that the next one sees a column whose kind changed since: a view that now casts {@code
 * user_id} to text, or a pass-through property given as a number. A fact keeps the column types of the
 * sources it was built from, so a merge of the new rows either failed with the engine's words (DuckDB's
 * "Cannot compare values of type BIGINT and VARCHAR", PostgreSQL's "operator does not exist: bigint =
 * character varying") or, where the engine casts on assignment, went through and left a fact whose type
 * a full refresh would not give. Now the facts built from that table are rebuilt in full, and the run
 * says why. A type the kinds do not cover (JSON, arrays) is not recorded; a change of size within a kind
 * ({@code INTEGER} to {@code BIGINT}) is none; a text column's width is {@link SourceWidths}'.
 */
final class SourceKinds {
  /** The run setting the kinds are recorded in. */
  static final String SETTING = "source_column_kinds";

  private SourceKinds() {}

  /** Logical table name to column to kind, from the sources' catalog columns. */
  static Map<String, Map<String, String>> of(Map<String, List<TableLookup.Column>> described) {
    Map<String, Map<String, String>> kinds = new TreeMap<>();
    described.forEach((table, columns) -> {
      for (TableLookup.Column c : columns) {
        SourceColumns.kind(c).ifPresent(kind -> kinds.computeIfAbsent(table, t -> new TreeMap<>()).put(c.name(), kind.name()));
      }
    });
    return kinds;
  }

  static String format(Map<String, Map<String, String>> kinds) {
    return SourceWidths.formatEntries(kinds);
  }

  static Map<String, Map<String, String>> parse(String text) {
    return SourceWidths.parseEntries(text);
  }

  /** A column of another kind now than at the run that recorded {@code before}. */
  record Changed(String table, String column, String before, String now) {
    /** {@code user_id whole numbers -> text}. */
    String said() {
      return column + " " + words(before) + " -> " + words(now);
    }

    private static String words(String kind) {
      try {
        return SourceColumns.describe(ColumnType.valueOf(kind));
      } catch (IllegalArgumentException e) {
        return kind;
      }
    }
  }

  /** The columns whose kind differs between {@code before} and {@code now}; a column new since, or gone, is none. */
  static List<Changed> changed(Map<String, Map<String, String>> before, Map<String, Map<String, String>> now) {
    List<Changed> changed = new ArrayList<>();
    now.forEach((table, columns) -> columns.forEach((column, kind) -> {
      Optional.ofNullable(before.getOrDefault(table, Map.of()).get(column))
          .filter(then -> !then.equals(kind))
          .ifPresent(then -> changed.add(new Changed(table, column, then, kind)));
    }));
    return changed;
  }
}
