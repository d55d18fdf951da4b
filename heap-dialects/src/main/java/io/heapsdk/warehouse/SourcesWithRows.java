package io.heapsdk.warehouse;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.source.SourceTable;
import java.util.ArrayList;
import java.util.List;

/**
 * Which Heap tables hold any row: what a run checks before it builds, so that a table Heap Connect has
 * emptied for a re-sync (or a sync that dropped and is re-creating it) is not taken for a table whose
 * rows all went. A run built from an emptied table deletes what the facts hold of it: an incremental run
 * the active users' rows (the rest stay, a mix), a full build everything.
 *
 * <p>One SELECT, a row per table: the table's logical name and 1 or 0. Each table is read up to one row
 * ({@code LIMIT 1} on a constant): no column is read, so a warehouse scans nothing it bills by bytes
 * (BigQuery still bills its minimum per table referenced).
 */
public final class SourcesWithRows {
  /** The run setting the tables found with rows are recorded under, comma-separated logical names. */
  public static final String SETTING = "sources_with_rows";

  private final Warehouse w;
  private final HeapConfig config;

  public SourcesWithRows(Warehouse warehouse, HeapConfig config) {
    this.w = warehouse;
    this.config = config;
  }

  /** Columns {@code source} (the logical name) and {@code has_rows} (1 or 0), a row per table in {@code tables}. */
  public String select(List<SourceTable> tables) {
    List<String> parts = new ArrayList<>();
    for (SourceTable t : tables) {
      String source = w.table(config.sourceDatabase(), config.sourceSchema(), t.physicalName()).qualified();
      parts.add("SELECT " + w.literal(t.name()) + " AS " + w.quote("source") + ", COUNT(*) AS " + w.quote("has_rows") + firstRow(w, source));
    }
    return String.join("\nUNION ALL\n", parts);
  }

  /**
   * {@code " FROM (SELECT 1 AS one FROM <table> LIMIT 1) first_row"}: after {@code SELECT COUNT(*)}, 1 when
   * the table (qualified and quoted) holds a row, else 0, reading up to one row and no column.
   */
  public static String firstRow(Warehouse w, String qualifiedTable) {
    return " FROM (SELECT 1 AS " + w.quote("one") + " FROM " + qualifiedTable + " LIMIT 1) " + w.quote("first_row");
  }
}
