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
 * says why. A type the kinds do not cover (JSON, arrays) is not recorded; a text column's width is
 * {@link SourceWidths}'. A whole-number column's size is recorded with its kind ({@code BIGINT:32} for an
 * {@code INTEGER}), and a larger one is a change too: a fact built from an {@code INTEGER} keeps it, and a
 * merge of a value past 2^31 failed every later run ("integer out of range", DuckDB's "can't be cast …
 * INT32") until a full refresh, where the run was said to be unchanged (a probe of 60 daily runs, a
 * property widened to {@code BIGINT}). A smaller size is none (every value still fits), and neither is a
 * size against a kind recorded without one, by a version of heap before sizes were.
 *
 * <p>The sizes are recorded in a setting of their own ({@value #BITS_SETTING}), the kinds as before: a
 * heap from before sizes compares the kinds' text as it is, and read {@code BIGINT:64} as another kind
 * than its {@code BIGINT}, so every run of such a heap after one of this (two schedulers, one not yet
 * upgraded) rebuilt every fact in full, blaming a change of kind no column had (found by a probe of
 * upgrades). Kinds recorded with their sizes, as one version of heap did, are read as well.
 */
final class SourceKinds {
  /** The run setting the kinds are recorded in, without sizes. */
  static final String SETTING = "source_column_kinds";

  /** The run setting the whole-number columns' sizes are recorded in: {@code pageviews:experiment_bucket=32}. */
  static final String BITS_SETTING = "source_column_bits";

  private SourceKinds() {}

  /** Logical table name to column to kind, from the sources' catalog columns. */
  static Map<String, Map<String, String>> of(Map<String, List<TableLookup.Column>> described) {
    Map<String, Map<String, String>> kinds = new TreeMap<>();
    described.forEach((table, columns) -> {
      for (TableLookup.Column c : columns) {
        SourceColumns.kind(c).ifPresent(kind -> kinds.computeIfAbsent(table, t -> new TreeMap<>())
            .put(c.name(), kind.name() + bits(c.jdbcType()).map(b -> SIZE + b).orElse("")));
      }
    });
    return kinds;
  }

  /** Between a kind and its size in bits, where one is recorded: {@code BIGINT:32}. */
  private static final String SIZE = ":";

  /** The size in bits of an integer type; empty for every other type (a NUMERIC's precision is not compared). */
  private static Optional<Integer> bits(int jdbcType) {
    return switch (jdbcType) {
      case java.sql.Types.TINYINT -> Optional.of(8);
      case java.sql.Types.SMALLINT -> Optional.of(16);
      case java.sql.Types.INTEGER -> Optional.of(32);
      case java.sql.Types.BIGINT -> Optional.of(64);
      default -> Optional.empty();
    };
  }

  private static String kindOf(String recorded) {
    int at = recorded.indexOf(SIZE);
    return at < 0 ? recorded : recorded.substring(0, at);
  }

  private static Optional<Integer> sizeOf(String recorded) {
    int at = recorded.indexOf(SIZE);
    try {
      return at < 0 ? Optional.empty() : Optional.of(Integer.parseInt(recorded.substring(at + 1)));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** Whether {@code now} is another kind than {@code then}, or the same kind with more bits. */
  private static boolean differs(String then, String now) {
    if (!kindOf(then).equals(kindOf(now))) {
      return true;
    }
    Optional<Integer> before = sizeOf(then);
    Optional<Integer> after = sizeOf(now);
    return before.isPresent() && after.isPresent() && after.get() > before.get();
  }

  /** The kinds without their sizes, for {@link #SETTING}. */
  static String format(Map<String, Map<String, String>> kinds) {
    return SourceWidths.formatEntries(select(kinds, SourceKinds::kindOf));
  }

  /** The sizes of the whole-number columns, for {@link #BITS_SETTING}; empty text where there are none. */
  static String formatBits(Map<String, Map<String, String>> kinds) {
    return SourceWidths.formatEntries(select(kinds, recorded -> sizeOf(recorded).map(String::valueOf).orElse(null)));
  }

  /** {@code value} of each column's recorded kind, where it gives one. */
  private static Map<String, Map<String, String>> select(
      Map<String, Map<String, String>> kinds, java.util.function.Function<String, String> value) {
    Map<String, Map<String, String>> selected = new TreeMap<>();
    kinds.forEach((table, columns) -> columns.forEach((column, recorded) -> {
      String v = value.apply(recorded);
      if (v != null) {
        selected.computeIfAbsent(table, t -> new TreeMap<>()).put(column, v);
      }
    }));
    return selected;
  }

  /** The kinds of {@link #SETTING}, whose sizes may be there too (as one version recorded them). */
  static Map<String, Map<String, String>> parse(String text) {
    return SourceWidths.parseEntries(text);
  }

  /**
   * The kinds of {@link #SETTING} ({@code kinds}) with the sizes of {@link #BITS_SETTING} ({@code bits},
   * null where a run did not record them: a column is then compared by kind alone).
   */
  static Map<String, Map<String, String>> parse(String kinds, String bits) {
    Map<String, Map<String, String>> read = parse(kinds);
    if (bits != null) {
      SourceWidths.parseEntries(bits).forEach((table, columns) -> columns.forEach((column, size) -> {
        String kind = read.getOrDefault(table, Map.of()).get(column);
        if (kind != null && sizeOf(kind).isEmpty() && size.matches("[0-9]{1,3}")) {
          read.get(table).put(column, kind + SIZE + size);
        }
      }));
    }
    return read;
  }

  /** A column of another kind now than at the run that recorded {@code before}. */
  record Changed(String table, String column, String before, String now) {
    /** {@code user_id whole numbers -> text}. */
    String said() {
      // the sizes only where they are the change: experiment_bucket whole numbers (32-bit) -> whole numbers (64-bit)
      boolean sized = kindOf(before).equals(kindOf(now));
      return column + " " + words(before, sized) + " -> " + words(now, sized);
    }

    /** {@code whole numbers}, or with its size {@code whole numbers (32-bit)}. */
    private static String words(String recorded, boolean sized) {
      String size = sized ? sizeOf(recorded).map(b -> " (" + b + "-bit)").orElse("") : "";
      try {
        return SourceColumns.describe(ColumnType.valueOf(kindOf(recorded))) + size;
      } catch (IllegalArgumentException e) {
        return recorded;
      }
    }
  }

  /** The columns whose kind differs between {@code before} and {@code now}; a column new since, or gone, is none. */
  static List<Changed> changed(Map<String, Map<String, String>> before, Map<String, Map<String, String>> now) {
    List<Changed> changed = new ArrayList<>();
    now.forEach((table, columns) -> columns.forEach((column, kind) -> {
      Optional.ofNullable(before.getOrDefault(table, Map.of()).get(column))
          .filter(then -> differs(then, kind))
          .ifPresent(then -> changed.add(new Changed(table, column, then, kind)));
    }));
    return changed;
  }
}
