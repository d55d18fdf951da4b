package io.heapsdk.config;

import io.heapsdk.source.PassThroughColumn;
import io.heapsdk.source.SourceCatalog;
import io.heapsdk.source.SourceColumn;
import io.heapsdk.source.SourceTable;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.immutables.value.Value;

/**
 * Everything a Heap project is configured with: where Heap Connect's tables are and what they are
 * called, where the models go, the funnel and conversion events, sessionization and channel rules.
 *
 * <p>Build one with {@link #builder()} or read one from YAML with {@link HeapConfigLoader}; both are
 * validated the same way and fail with a {@link HeapConfigException} naming the YAML key. Immutable and
 * thread-safe; {@code HeapConfig.builder().from(config)} starts a modified copy.
 */
@Value.Immutable
public abstract class HeapConfig {
  /** Where builder-made configs are said to come from in error messages. */
  public static final String BUILDER_ORIGIN = "HeapConfig.builder()";

  /** Ten years: a longer conversion window is a typo, and date arithmetic overflows far beyond it. */
  static final int MAX_WINDOW_DAYS = 3650;

  /** A config with every default: Heap's default tables in {@code main_production}, models in {@code heap_models}. */
  public static HeapConfig defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builder; every method is named after its YAML key (camel-cased), e.g. {@code sessionTimeoutMinutes}. */
  public static class Builder extends ImmutableHeapConfig.Builder {}

  /** {@code source.database}: the database (BigQuery: project) holding Heap's schema; absent = the connection's default. */
  public abstract Optional<String> sourceDatabase();

  /** {@code source.schema}: the schema (BigQuery: dataset) Heap Connect syncs into. */
  @Value.Default
  public String sourceSchema() {
    return "main_production";
  }

  /** {@code source.tables}: logical table name (e.g. {@code pageviews}) to the physical name in the warehouse. */
  public abstract Map<String, String> sourceTables();

  /** {@code source.columns}: {@code table.column} (logical) to the physical column name. */
  public abstract Map<String, String> sourceColumns();

  /** {@code source.pageview_properties}: custom pageview columns passed through to the pageview fact. */
  public abstract List<PassThroughColumn> pageviewProperties();

  /**
   * {@code source.freshness.warn_after_hours}: a source table whose newest time is older than this warns
   * (default {@link SourceCatalog#DEFAULT_WARN_AFTER}, one day).
   */
  public abstract Optional<Integer> freshnessWarnAfterHours();

  /**
   * {@code source.freshness.error_after_hours}: a source table whose newest time is older than this, or
   * that has no rows, fails (default {@link SourceCatalog#DEFAULT_ERROR_AFTER}, three days).
   */
  public abstract Optional<Integer> freshnessErrorAfterHours();

  /** {@code target.database}: the database (BigQuery: project) of the models; absent = the connection's default. */
  public abstract Optional<String> targetDatabase();

  /** {@code target.schema}: the schema (BigQuery: dataset) the models are built in. */
  @Value.Default
  public String targetSchema() {
    return "heap_models";
  }

  /** {@code funnel_events}: event names in funnel order; an event's funnel position is its 1-based index here. */
  public abstract List<String> funnelEvents();

  /** {@code conversion_events}: event names that count as conversions (they need not be funnel steps). */
  public abstract List<String> conversionEvents();

  /** {@code sessionization.timeout_minutes}: inactivity that starts a new pageview session (strictly greater gaps split). */
  @Value.Default
  public int sessionTimeoutMinutes() {
    return 30;
  }

  /** {@code sessions.conversion_window_days}: N of the sessions fact's lookback / lookforward columns. */
  @Value.Default
  public int conversionWindowDays() {
    return 14;
  }

  /**
   * {@code incremental.late_arrival_lookback_days}: an incremental build recomputes every user with a
   * source row newer than the facts' high-water mark minus this many days, so events that arrive late
   * (up to this many days) are still picked up.
   */
  @Value.Default
  public int lateArrivalLookbackDays() {
    return 3;
  }

  /**
   * {@code identity.resolve_migrations}: map every user id through {@code user_migrations}, following
   * chains (a→b, b→c gives a→c). Off by default: Heap rewrites user ids itself in Snowflake, BigQuery
   * and Redshift; turn it on for sources that keep the anonymous ids (S3 exports).
   */
  @Value.Default
  public boolean resolveMigrations() {
    return false;
  }

  /** {@code models.<model>}: physical table options per materialized model; unset values take defaults. */
  public abstract Map<String, PhysicalOptions> physicalOptions();

  /** The physical options configured for a model (possibly all unset). */
  public PhysicalOptions physicalOptions(String model) {
    return physicalOptions().getOrDefault(model, PhysicalOptions.DEFAULTS);
  }

  /** {@code channels.own_domain}: the site's own domain; referrals from it are labelled with it. */
  public abstract Optional<String> ownDomain();

  /** {@code channels.rules}: replaces the default channel rules when not empty. */
  public abstract List<ChannelRule> channelRules();

  /** {@code channels.fallback}: the channel of a session no rule matches. */
  @Value.Default
  public String fallbackChannel() {
    return "Unattributed";
  }

  /** The rules in force: the configured ones, or the defaults of SPEC §3 for {@link #ownDomain()}. */
  @Value.Lazy
  public List<ChannelRule> effectiveChannelRules() {
    return channelRules().isEmpty() ? ChannelRule.defaults(ownDomain()) : channelRules();
  }

  /** Heap Connect's tables with this config's names and pass-through columns applied. */
  @Value.Lazy
  public SourceCatalog catalog() {
    return SourceCatalog.heapConnect()
        .withOverrides(
            sourceTables(),
            sourceColumns(),
            Map.of(SourceCatalog.PAGEVIEWS, pageviewProperties()),
            freshnessWarnAfterHours().map(Duration::ofHours),
            freshnessErrorAfterHours().map(Duration::ofHours));
  }

  @Value.Check
  protected void check() {
    requireName("source.schema", sourceSchema());
    requireName("target.schema", targetSchema());
    sourceDatabase().ifPresent(d -> requireName("source.database", d));
    targetDatabase().ifPresent(d -> requireName("target.database", d));
    SourceCatalog heap = SourceCatalog.heapConnect();
    sourceTables()
        .forEach(
            (table, physical) -> {
              if (heap.findTable(table).isEmpty()) {
                throw invalid("source.tables." + table, "unknown Heap table; expected one of " + heap.tableNames());
              }
              requireName("source.tables." + table, physical);
            });
    sourceColumns()
        .forEach(
            (key, physical) -> {
              int dot = key.indexOf('.');
              String table = dot < 0 ? key : key.substring(0, dot);
              String path = "source.columns." + key;
              if (dot < 0 || heap.findTable(table).isEmpty()) {
                throw invalid(path, "expected <table>.<column> with a Heap table, one of " + heap.tableNames());
              }
              SourceTable t = heap.table(table);
              if (t.findColumn(key.substring(dot + 1)).isEmpty()) {
                throw invalid(path, "unknown column of " + table + "; expected one of " + t.columnNames());
              }
              requireName(path, physical);
            });
    // compared case-insensitively: Snowflake, Redshift and H2 would see Path and path as one column
    Set<String> pageviewColumns = new HashSet<>();
    heap.table(SourceCatalog.PAGEVIEWS).columns().stream()
        .map(c -> c.name().toLowerCase(Locale.ROOT))
        .forEach(pageviewColumns::add);
    for (int i = 0; i < pageviewProperties().size(); i++) {
      String name = pageviewProperties().get(i).name();
      String path = "source.pageview_properties[" + i + "]";
      requireName(path, name);
      if (name.toLowerCase(Locale.ROOT).startsWith("heap_")) {
        throw invalid(path, "\"" + name + "\": names starting with heap_ are reserved for the models' own columns");
      }
      if (!pageviewColumns.add(name.toLowerCase(Locale.ROOT))) {
        throw invalid(path, "column \"" + name + "\" is already a pageview column or listed twice");
      }
    }
    checkEventList("funnel_events", funnelEvents());
    checkEventList("conversion_events", conversionEvents());
    if (sessionTimeoutMinutes() <= 0) {
      throw invalid(
          "sessionization.timeout_minutes",
          "expected a positive whole number of minutes, got " + sessionTimeoutMinutes());
    }
    if (conversionWindowDays() <= 0 || conversionWindowDays() > MAX_WINDOW_DAYS) {
      throw invalid(
          "sessions.conversion_window_days",
          "expected a positive whole number of days, at most " + MAX_WINDOW_DAYS + ", got " + conversionWindowDays());
    }
    freshnessWarnAfterHours().ifPresent(h -> requirePositiveHours("source.freshness.warn_after_hours", h));
    freshnessErrorAfterHours().ifPresent(h -> requirePositiveHours("source.freshness.error_after_hours", h));
    // compared with the defaults filled in: warn_after_hours: 96 alone is above the default error-after
    Duration warn = freshnessWarnAfterHours().map(Duration::ofHours).orElse(SourceCatalog.DEFAULT_WARN_AFTER);
    Duration error = freshnessErrorAfterHours().map(Duration::ofHours).orElse(SourceCatalog.DEFAULT_ERROR_AFTER);
    if (warn.compareTo(error) > 0) {
      throw invalid(
          freshnessErrorAfterHours().isPresent() ? "source.freshness.error_after_hours" : "source.freshness.warn_after_hours",
          "warn_after_hours (" + warn.toHours() + ") must not exceed error_after_hours (" + error.toHours() + ")");
    }
    if (lateArrivalLookbackDays() < 0 || lateArrivalLookbackDays() > MAX_WINDOW_DAYS) {
      throw invalid(
          "incremental.late_arrival_lookback_days",
          "expected a whole number of days from 0 to " + MAX_WINDOW_DAYS + ", got " + lateArrivalLookbackDays());
    }
    physicalOptions()
        .forEach(
            (model, options) -> {
              for (String column : options.columns()) {
                requireName("models." + model, column);
              }
            });
    ownDomain().ifPresent(d -> requireText("channels.own_domain", d));
    requireText("channels.fallback", fallbackChannel());
    Set<String> sessionColumns = new HashSet<>(heap.table(SourceCatalog.SESSIONS).columnNames());
    for (int i = 0; i < channelRules().size(); i++) {
      ChannelRule rule = channelRules().get(i);
      requireText("channels.rules[" + i + "].channel", rule.channel());
      checkCondition("channels.rules[" + i + "].when", rule.when(), sessionColumns);
    }
  }

  private static void checkEventList(String key, List<String> events) {
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < events.size(); i++) {
      String e = events.get(i);
      String path = key + "[" + i + "]";
      if (e == null || e.isBlank()) {
        throw invalid(path, "expected an event name, got an empty value");
      }
      Integer before = seen.putIfAbsent(e, i);
      if (before != null) {
        throw invalid(path, "\"" + e + "\" is listed twice (also at " + key + "[" + before + "])");
      }
    }
  }

  private static void checkCondition(String path, Condition c, Set<String> columns) {
    if (c instanceof Condition.All all) {
      checkList(path + ".all", all.conditions(), columns);
    } else if (c instanceof Condition.Any any) {
      checkList(path + ".any", any.conditions(), columns);
    } else {
      String field = fieldOf(c);
      if (!columns.contains(field)) {
        throw invalid(path + ".field", "unknown sessions column \"" + field + "\"; expected one of " + columns);
      }
      if (c instanceof Condition.Contains contains && contains.value().isEmpty()) {
        throw invalid(path + ".contains", "expected a non-empty text");
      }
    }
  }

  private static void checkList(String path, List<Condition> list, Set<String> columns) {
    if (list.isEmpty()) {
      throw invalid(path, "expected at least one condition");
    }
    for (int i = 0; i < list.size(); i++) {
      checkCondition(path + "[" + i + "]", list.get(i), columns);
    }
  }

  private static String fieldOf(Condition c) {
    if (c instanceof Condition.Contains x) {
      return x.field();
    } else if (c instanceof Condition.EqualTo x) {
      return x.field();
    } else if (c instanceof Condition.IsNull x) {
      return x.field();
    } else if (c instanceof Condition.IsNotNull x) {
      return x.field();
    }
    throw new IllegalStateException("not a leaf condition: " + c);
  }

  private static void requireName(String path, String value) {
    requireText(path, value);
  }

  private static void requireText(String path, String value) {
    if (value == null || value.isBlank()) {
      throw invalid(path, "expected a non-empty name");
    }
  }

  /** Ten years in hours, as {@link #MAX_WINDOW_DAYS}: longer is a typo. */
  private static void requirePositiveHours(String path, int hours) {
    if (hours <= 0 || hours > MAX_WINDOW_DAYS * 24) {
      throw invalid(path, "expected a positive whole number of hours, at most " + MAX_WINDOW_DAYS * 24 + ", got " + hours);
    }
  }

  static HeapConfigException invalid(String path, String problem) {
    return new HeapConfigException(BUILDER_ORIGIN, path, problem);
  }
}
