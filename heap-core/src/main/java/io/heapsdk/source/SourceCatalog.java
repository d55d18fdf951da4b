package io.heapsdk.source;

import static io.heapsdk.source.ColumnTest.NOT_NULL;
import static io.heapsdk.source.ColumnTest.UNIQUE;
import static io.heapsdk.source.ColumnType.BIGINT;
import static io.heapsdk.source.ColumnType.TIMESTAMP;
import static io.heapsdk.source.ColumnType.VARCHAR;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The five Heap Connect tables the models read: columns, types, descriptions, tests and freshness.
 *
 * <p>{@link #heapConnect()} is Heap's default layout (the data of the original project's
 * {@code heap_sources.yml}); {@link #withOverrides} renames tables and columns and adds pass-through
 * properties, as a user's sync settings require. Immutable and thread-safe.
 */
public final class SourceCatalog {
  /** Logical names of the tables, in the order they are documented. */
  public static final String USERS = "users";

  public static final String SESSIONS = "sessions";
  public static final String PAGEVIEWS = "pageviews";
  public static final String ALL_EVENTS = "all_events";
  public static final String USER_MIGRATIONS = "user_migrations";

  /** Default warn-after for every table with a time column. */
  public static final Duration DEFAULT_WARN_AFTER = Duration.ofDays(1);

  /** Default error-after for every table with a time column. */
  public static final Duration DEFAULT_ERROR_AFTER = Duration.ofDays(3);

  private static final SourceCatalog HEAP_CONNECT = buildDefault();

  private final Map<String, SourceTable> tables;

  private SourceCatalog(Map<String, SourceTable> tables) {
    this.tables = Map.copyOf(tables);
    this.order = List.copyOf(tables.keySet());
  }

  private final List<String> order;

  /** Heap Connect's default tables and columns. */
  public static SourceCatalog heapConnect() {
    return HEAP_CONNECT;
  }

  /** Table names in documentation order. */
  public List<String> tableNames() {
    return order;
  }

  public List<SourceTable> tables() {
    List<SourceTable> result = new ArrayList<>();
    for (String name : order) {
      result.add(tables.get(name));
    }
    return result;
  }

  public Optional<SourceTable> findTable(String logicalName) {
    return Optional.ofNullable(tables.get(logicalName));
  }

  /** The table with this logical name; an {@link IllegalArgumentException} listing the tables otherwise. */
  public SourceTable table(String logicalName) {
    return findTable(logicalName)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "Heap table [" + logicalName + "] not found; tables are: " + order));
  }

  /**
   * This catalog with physical names and extra columns applied.
   *
   * @param tableNames logical table name to physical name
   * @param columnNames {@code table.column} (logical) to physical column name
   * @param passThrough logical table name to its pass-through property columns
   * @param freshnessErrorAfter when present, replaces every table's error-after
   */
  public SourceCatalog withOverrides(
      Map<String, String> tableNames,
      Map<String, String> columnNames,
      Map<String, List<PassThroughColumn>> passThrough,
      Optional<Duration> freshnessErrorAfter) {
    return withOverrides(tableNames, columnNames, passThrough, Optional.empty(), freshnessErrorAfter);
  }

  /**
   * As {@link #withOverrides(Map, Map, Map, Optional)}, also replacing every table's warn-after when
   * {@code freshnessWarnAfter} is present.
   */
  public SourceCatalog withOverrides(
      Map<String, String> tableNames,
      Map<String, String> columnNames,
      Map<String, List<PassThroughColumn>> passThrough,
      Optional<Duration> freshnessWarnAfter,
      Optional<Duration> freshnessErrorAfter) {
    Map<String, SourceTable> result = new LinkedHashMap<>();
    for (String name : order) {
      SourceTable t = tables.get(name);
      List<SourceColumn> cols = new ArrayList<>();
      for (SourceColumn c : t.columns()) {
        String physical = columnNames.getOrDefault(name + "." + c.name(), c.physicalName());
        cols.add(c.withPhysicalName(physical));
      }
      for (PassThroughColumn p : passThrough.getOrDefault(name, List.of())) {
        cols.add(
            new SourceColumn(p.name(), p.name(), p.type(), "custom property (pass-through)", List.of()));
      }
      Optional<Freshness> freshness =
          t.freshness()
              .map(
                  f ->
                      new Freshness(
                          f.timeColumn(),
                          freshnessWarnAfter.orElse(f.warnAfter()),
                          freshnessErrorAfter.orElse(f.errorAfter())));
      result.put(
          name,
          new SourceTable(
              name, tableNames.getOrDefault(name, t.physicalName()), t.description(), cols, freshness));
    }
    return new SourceCatalog(result);
  }

  /**
   * A copy in which {@code tables} (logical names) have no freshness check: tables a project leaves
   * empty by design (a mobile app's {@code pageviews}), which would fail it on every run for having no
   * rows.
   */
  public SourceCatalog withoutFreshness(Collection<String> tables) {
    if (tables.isEmpty()) {
      return this;
    }
    Map<String, SourceTable> result = new LinkedHashMap<>();
    for (String name : order) {
      SourceTable t = this.tables.get(name);
      result.put(
          name,
          tables.contains(name) ? new SourceTable(t.name(), t.physicalName(), t.description(), t.columns(), Optional.empty()) : t);
    }
    return new SourceCatalog(result);
  }

  private static SourceCatalog buildDefault() {
    Map<String, SourceTable> t = new LinkedHashMap<>();
    t.put(
        USERS,
        table(
            USERS,
            "One row per user Heap has seen; may hold several rows per user after resyncs.",
            "joindate",
            SourceColumn.of("user_id", BIGINT, "Heap's id for the user (a cookie id until identified)", NOT_NULL),
            SourceColumn.of("joindate", TIMESTAMP, "When Heap first saw the user"),
            SourceColumn.of("last_modified", TIMESTAMP, "When the user's properties last changed"),
            SourceColumn.of("identity", VARCHAR, "The identity passed to Heap's identify API, if any")));
    t.put(
        SESSIONS,
        table(
            SESSIONS,
            "One row per session Heap tracked client side; session_id is not guaranteed unique.",
            "time",
            SourceColumn.of("session_id", BIGINT, "Heap's id for the session", NOT_NULL),
            SourceColumn.of("user_id", BIGINT, "The user the session belongs to", NOT_NULL),
            SourceColumn.of("time", TIMESTAMP, "When the session started (UTC)", NOT_NULL),
            SourceColumn.of("library", VARCHAR, "The Heap library that captured the session"),
            SourceColumn.of("platform", VARCHAR, "Operating system"),
            SourceColumn.of("device_type", VARCHAR, "Desktop, Mobile or Tablet"),
            SourceColumn.of("device", VARCHAR, "Device model"),
            SourceColumn.of("country", VARCHAR, "Country of the IP address"),
            SourceColumn.of("region", VARCHAR, "Region of the IP address"),
            SourceColumn.of("city", VARCHAR, "City of the IP address"),
            SourceColumn.of("ip", VARCHAR, "The IP address the session came from"),
            SourceColumn.of("referrer", VARCHAR, "The URL the user came from"),
            SourceColumn.of("landing_page", VARCHAR, "The first page of the session"),
            SourceColumn.of("landing_page_query", VARCHAR, "Query string of the landing page"),
            SourceColumn.of("landing_page_hash", VARCHAR, "Hash fragment of the landing page"),
            SourceColumn.of("browser", VARCHAR, "Browser name"),
            SourceColumn.of("utm_source", VARCHAR, "utm_source of the landing page"),
            SourceColumn.of("utm_campaign", VARCHAR, "utm_campaign of the landing page"),
            SourceColumn.of("utm_medium", VARCHAR, "utm_medium of the landing page"),
            SourceColumn.of("utm_term", VARCHAR, "utm_term of the landing page"),
            SourceColumn.of("utm_content", VARCHAR, "utm_content of the landing page")));
    t.put(
        PAGEVIEWS,
        table(
            PAGEVIEWS,
            "One row per pageview; dedupe on event_id.",
            "time",
            SourceColumn.of("event_id", BIGINT, "Heap's id for the pageview event", NOT_NULL, UNIQUE),
            SourceColumn.of("user_id", BIGINT, "The user who viewed the page", NOT_NULL),
            SourceColumn.of("session_id", BIGINT, "Heap's session of the pageview", NOT_NULL),
            SourceColumn.of("time", TIMESTAMP, "When the page was viewed (UTC)"),
            SourceColumn.of("domain", VARCHAR, "Domain of the page URL"),
            SourceColumn.of("path", VARCHAR, "Path of the page URL"),
            SourceColumn.of("query", VARCHAR, "Query string of the page URL"),
            SourceColumn.of("hash", VARCHAR, "Hash fragment of the page URL"),
            SourceColumn.of("title", VARCHAR, "The page's title tag"),
            SourceColumn.of("previous_page", VARCHAR, "The URL the user was on before")));
    t.put(
        ALL_EVENTS,
        table(
            ALL_EVENTS,
            "One row per synced event, pageviews included.",
            "time",
            SourceColumn.of("event_id", BIGINT, "Heap's id for the event", NOT_NULL, UNIQUE),
            SourceColumn.of("user_id", BIGINT, "The user who did the event", NOT_NULL),
            SourceColumn.of("session_id", BIGINT, "Heap's session of the event", NOT_NULL),
            SourceColumn.of("time", TIMESTAMP, "When the event happened (UTC)", NOT_NULL),
            SourceColumn.of("event_table_name", VARCHAR, "The event's name (pageviews, or category plus name)", NOT_NULL)));
    t.put(
        USER_MIGRATIONS,
        new SourceTable(
            USER_MIGRATIONS,
            USER_MIGRATIONS,
            "One row per identity merge: the anonymous from_user_id became to_user_id.",
            List.of(
                SourceColumn.of("from_user_id", BIGINT, "The user id that was merged away", NOT_NULL),
                SourceColumn.of("to_user_id", BIGINT, "The user id it was merged into", NOT_NULL),
                SourceColumn.of("time", TIMESTAMP, "When the merge happened (UTC)")),
            // merges can be rare for days on end: no freshness rule
            Optional.empty()));
    return new SourceCatalog(t);
  }

  private static SourceTable table(String name, String description, String timeColumn, SourceColumn... columns) {
    return new SourceTable(
        name,
        name,
        description,
        List.of(columns),
        Optional.of(new Freshness(timeColumn, DEFAULT_WARN_AFTER, DEFAULT_ERROR_AFTER)));
  }
}
