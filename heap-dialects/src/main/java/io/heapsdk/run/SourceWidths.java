package io.heapsdk.run;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The widths of the Heap tables' text columns as a run found them ({@code VARCHAR(12)}: 12), recorded by
 * each successful run ({@value #SETTING}) so that the next one sees a column Heap Connect has widened
 * since. A fact keeps the column types of the sources it was built from ({@code CREATE TABLE … AS}), so
 * the longer values of a widened column cannot be merged into it: the run failed on the database's
 * "value too long for type character varying(12)" (SQLSTATE 22001) until someone ran a full refresh.
 * Now the facts built from that table are rebuilt in full, and the run says why.
 *
 * <p>A width is the driver catalog's {@code COLUMN_SIZE}; a text type without a length has one too (H2's
 * 1,000,000,000, PostgreSQL's 2,147,483,647, Snowflake's 16,777,216), the same from run to run. A warehouse
 * whose text has no length (BigQuery's {@code STRING}, DuckDB's {@code VARCHAR}) never widens.
 */
final class SourceWidths {
  /** The run setting the widths are recorded in. */
  static final String SETTING = "source_text_widths";

  private SourceWidths() {}

  /** Logical table name to text column to width, from the sources' catalog columns. */
  static Map<String, Map<String, Integer>> of(Map<String, List<TableLookup.Column>> described) {
    Map<String, Map<String, Integer>> widths = new TreeMap<>();
    described.forEach((table, columns) -> {
      Map<String, Integer> text = new TreeMap<>();
      for (TableLookup.Column c : columns) {
        if (isText(c.jdbcType()) && c.size() > 0) {
          text.put(c.name(), c.size());
        }
      }
      if (!text.isEmpty()) {
        widths.put(table, text);
      }
    });
    return widths;
  }

  private static boolean isText(int jdbcType) {
    return Set.of(Types.CHAR, Types.VARCHAR, Types.LONGVARCHAR, Types.NCHAR, Types.NVARCHAR, Types.LONGNVARCHAR).contains(jdbcType);
  }

  /**
   * The setting's text: {@code table:column=width}, comma-separated, the column name URL-encoded (a
   * pass-through property may be named anything, commas and equals signs too).
   */
  static String format(Map<String, Map<String, Integer>> widths) {
    Map<String, Map<String, String>> entries = new TreeMap<>();
    widths.forEach((table, columns) -> columns.forEach((column, width) ->
        entries.computeIfAbsent(table, t -> new TreeMap<>()).put(column, String.valueOf(width))));
    return formatEntries(entries);
  }

  /** {@link #format}'s text read back; an entry it cannot read is left out (nothing compared for it). */
  static Map<String, Map<String, Integer>> parse(String text) {
    Map<String, Map<String, Integer>> widths = new TreeMap<>();
    parseEntries(text).forEach((table, columns) -> columns.forEach((column, width) -> {
      try {
        widths.computeIfAbsent(table, t -> new TreeMap<>()).put(column, Integer.parseInt(width));
      } catch (NumberFormatException e) {
        // a damaged entry: that column is not compared
      }
    }));
    return widths;
  }

  /**
   * A per-column setting's text ({@code table:column=value}, comma-separated, the column URL-encoded; the
   * values are plain words or numbers), shared with {@link SourceKinds}.
   */
  static String formatEntries(Map<String, Map<String, String>> entries) {
    List<String> text = new ArrayList<>();
    entries.forEach((table, columns) -> columns.forEach((column, value) ->
        text.add(table + ":" + URLEncoder.encode(column, StandardCharsets.UTF_8) + "=" + value)));
    return String.join(",", text);
  }

  /** {@link #formatEntries}'s text read back; an entry it cannot read is left out. */
  static Map<String, Map<String, String>> parseEntries(String text) {
    Map<String, Map<String, String>> entries = new TreeMap<>();
    for (String entry : text.split(",")) {
      int colon = entry.indexOf(':');
      int equals = entry.lastIndexOf('=');
      if (colon <= 0 || equals < colon) {
        continue;
      }
      try {
        String column = URLDecoder.decode(entry.substring(colon + 1, equals), StandardCharsets.UTF_8);
        entries.computeIfAbsent(entry.substring(0, colon), t -> new TreeMap<>()).put(column, entry.substring(equals + 1));
      } catch (IllegalArgumentException e) {
        // a damaged entry: that column is not compared
      }
    }
    return entries;
  }

  /** A text column wider now than at the run that recorded {@code before}. */
  record Widened(String table, String column, int before, int now) {}

  /** The columns wider in {@code now} than in {@code before}; a column new since, or gone, is not one. */
  static List<Widened> widened(Map<String, Map<String, Integer>> before, Map<String, Map<String, Integer>> now) {
    List<Widened> widened = new ArrayList<>();
    now.forEach((table, columns) -> columns.forEach((column, width) -> {
      Integer then = before.getOrDefault(table, Map.of()).get(column);
      if (then != null && width > then) {
        widened.add(new Widened(table, column, then, width));
      }
    }));
    return widened;
  }
}
