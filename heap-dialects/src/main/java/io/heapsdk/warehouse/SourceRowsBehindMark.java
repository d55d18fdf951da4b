package io.heapsdk.warehouse;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.source.ColumnType;
import io.heapsdk.source.SourceCatalog;
import io.heapsdk.source.SourceTable;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How many rows (distinct ids) of each source an incremental run cannot see: those with a time before
 * its mark.
 * An incremental run recomputes the users with a source row at or after the mark; a row that arrives
 * with an older time (Heap re-syncing a day of history, a backfill, a late batch beyond the lookback)
 * belongs to no recomputed user and stays out of the facts until a full refresh or a reconciling run,
 * silently. Counted at its next mark when a run records it, and again at the end of the run that starts
 * from that mark: a count that changed in between means such rows arrived (or went), and the runner
 * says so. The same four sources the active users are found in, by the same time columns.
 */
public final class SourceRowsBehindMark {
  /** The sources an incremental run finds its active users in, by their time column. */
  public static final List<String> SOURCES =
      List.of(SourceCatalog.ALL_EVENTS, SourceCatalog.PAGEVIEWS, SourceCatalog.SESSIONS, SourceCatalog.USER_MIGRATIONS);

  /** The run setting a count is recorded under: {@code rows_behind_mark.<source>}. */
  public static final String SETTING_PREFIX = "rows_behind_mark.";

  /** The run setting the mark the counts were taken at is recorded under. */
  public static final String MARK_SETTING = "rows_behind_mark";

  private final Warehouse w;
  private final HeapConfig config;

  public SourceRowsBehindMark(Warehouse warehouse, HeapConfig config) {
    this.w = warehouse;
    this.config = config;
  }

  /** Each source's id, whose distinct values are counted: a re-synced duplicate of a row adds none. */
  private static final Map<String, String> IDS =
      Map.of(
          SourceCatalog.ALL_EVENTS, "event_id",
          SourceCatalog.PAGEVIEWS, "event_id",
          SourceCatalog.SESSIONS, "session_id",
          SourceCatalog.USER_MIGRATIONS, "from_user_id");

  /**
   * A column a source's row must have to count: a merge without a target merges nothing (the identity
   * map drops it), so one arriving behind the mark is no row the facts miss.
   */
  private static final Map<String, String> ALSO_NOT_NULL = Map.of(SourceCatalog.USER_MIGRATIONS, "to_user_id");

  /**
   * One SELECT of three columns, a row per source in {@link #SOURCES} order: the source's logical name,
   * its distinct ids with a time before {@code mark} (NULL without one) and before {@code
   * nextMark}: one scan of each source for the run that ends (what it could not see) and the next one
   * (its baseline). Distinct ids, not rows: Heap re-syncs rows it sent before, and an identical
   * duplicate with its old time changes no fact (the models keep one version of each id); counting rows
   * took every re-sync for rows the facts miss (found in heap's own demo, whose later batches re-sync).
   */
  public String countSelect(Optional<LocalDateTime> mark, LocalDateTime nextMark) {
    StateSql sql = new StateSql(w, config);
    LocalDateTime later = mark.filter(m -> m.isAfter(nextMark)).orElse(nextMark);
    List<String> parts = new ArrayList<>();
    for (String name : SOURCES) {
      SourceTable t = config.catalog().table(name);
      String source = w.table(config.sourceDatabase(), config.sourceSchema(), t.physicalName()).qualified();
      String time = w.quote(t.column("time").physicalName());
      String id = w.quote(t.column(IDS.get(name)).physicalName());
      String also =
          ALSO_NOT_NULL.containsKey(name) ? " AND " + w.quote(t.column(ALSO_NOT_NULL.get(name)).physicalName()) + " IS NOT NULL" : "";
      String behindMark =
          mark.map(m -> "COUNT(DISTINCT CASE WHEN " + time + " < " + sql.time(m) + also + " THEN " + id + " END)")
              .orElse("CAST(NULL AS " + w.typeName(ColumnType.BIGINT) + ")");
      parts.add(
          "SELECT " + w.literal(name) + " AS " + w.quote("source") + ", " + behindMark + " AS " + w.quote("behind_mark")
              + ", COUNT(DISTINCT CASE WHEN " + time + " < " + sql.time(nextMark) + also + " THEN " + id + " END) AS "
              + w.quote("behind_next_mark") + " FROM " + source + " WHERE " + time + " < " + sql.time(later));
    }
    return String.join("\nUNION ALL\n", parts);
  }
}
