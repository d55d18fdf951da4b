package io.heapsdk.config;

import io.heapsdk.internal.NearestNames;
import io.heapsdk.source.PassThroughColumn;
import io.heapsdk.source.SourceCatalog;
import io.heapsdk.source.SourceColumn;
import io.heapsdk.source.SourceTable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
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
  /** A hundred years: the longest run history kept ({@code incremental.run_history_days}). */
  static final int MAX_HISTORY_DAYS = 36_500;

  /** BigQuery's location names: multi-regions ({@code US}, {@code EU}) and regions ({@code us-central1}, {@code europe-west12}). */
  /**
   * A BigQuery location: one of the two multi-regions, or a region (every region's name ends in its
   * number: {@code europe-west3}; BigQuery Omni's too: {@code aws-us-east-1}, {@code azure-eastus2}).
   * Any word was accepted, and {@code mars} reached the dataset's {@code OPTIONS(location = 'mars')}.
   */
  private static final java.util.regex.Pattern LOCATION = java.util.regex.Pattern.compile("(?i:US|EU)|[a-z]+(?:-[a-z]+)+-?[0-9]+");

  /** A config with every default: Heap's default tables in {@code main_production}, models in {@code heap_models}. */
  public static HeapConfig defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Where this config came from, as error messages name it: the file it was read from, or
   * {@value #BUILDER_ORIGIN}. Errors found later (a {@code models.<name>} entry naming no model) name
   * it too. Not part of {@link #equals}: a config read from a file equals the same one built in code.
   */
  @Value.Default
  @Value.Auxiliary
  public String origin() {
    return BUILDER_ORIGIN;
  }

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
   * {@code source.session_properties}: custom sessions columns passed through to the sessions fact; channel
   * rules may read them as they read Heap's own sessions columns.
   */
  public abstract List<PassThroughColumn> sessionProperties();

  /** The key that lists a Heap table's pass-through properties, for the tables that may have some. */
  public static final Map<String, String> PROPERTY_KEYS =
      Map.of(SourceCatalog.PAGEVIEWS, "source.pageview_properties", SourceCatalog.SESSIONS, "source.session_properties");

  /** A Heap table's pass-through properties (logical table name); none for a table without a key for them. */
  public List<PassThroughColumn> properties(String table) {
    return switch (table) {
      case SourceCatalog.PAGEVIEWS -> pageviewProperties();
      case SourceCatalog.SESSIONS -> sessionProperties();
      default -> List.of();
    };
  }

  /**
   * The config key of a table's pass-through property named {@code column} ({@code
   * source.session_properties[1]}); empty when it is none.
   */
  public Optional<String> propertyKey(String table, String column) {
    List<PassThroughColumn> properties = properties(table);
    for (int i = 0; i < properties.size(); i++) {
      if (properties.get(i).name().equals(column)) {
        return Optional.of(PROPERTY_KEYS.get(table) + "[" + i + "]");
      }
    }
    return Optional.empty();
  }

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

  /**
   * {@code source.freshness.skip_tables}: Heap tables (logical names: {@code pageviews}, {@code sessions},
   * {@code all_events}, {@code users}) without a freshness check, because the project leaves them empty by
   * design: a mobile app's {@code pageviews}, a server-side project's {@code sessions}. Their freshness
   * check would fail every {@code heap test} for having no rows.
   */
  public abstract List<String> freshnessSkipTables();

  /** {@code target.database}: the database (BigQuery: project) of the models; absent = the connection's default. */
  public abstract Optional<String> targetDatabase();

  /** {@code target.schema}: the schema (BigQuery: dataset) the models are built in. */
  @Value.Default
  public String targetSchema() {
    return "heap_models";
  }

  /**
   * {@code target.location}: BigQuery only, the location of the target dataset when the run creates it
   * ({@code US}, {@code EU}, or a region such as {@code europe-west3}); it should be the location of the
   * source dataset, since a query cannot read from one location and write to another. Absent = BigQuery's
   * default. Ignored by the other warehouses, whose schemas have no location.
   */
  public abstract Optional<String> targetLocation();

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
   * source row at or after the facts' high-water mark minus this many days, so events that arrive late
   * (up to this many days) are still picked up.
   */
  @Value.Default
  public int lateArrivalLookbackDays() {
    return 3;
  }

  /**
   * {@code incremental.run_history_days}: each successful run deletes from {@code heap__runs} the finished
   * runs that ended more than this many days before it (never the last successful run, nor a run whose
   * working tables are still listed), so a schema run every few minutes for years keeps a small log.
   */
  @Value.Default
  public int runHistoryDays() {
    return 90;
  }

  /**
   * {@code incremental.reconcile}: every incremental run also finds the users whose source rows changed
   * in ways the time mark cannot see (rows inserted or deleted with old times, re-synced or relabelled
   * rows, emptied tables) by comparing a per-user fingerprint of each source table with the one recorded
   * by the previous reconciling run, and recomputes them too. Costs one scan of every source table per
   * run; {@code heap run --reconcile} turns it on for one run. Off by default.
   */
  @Value.Default
  public boolean reconcile() {
    return false;
  }

  /**
   * {@code incremental.count_rows_behind_mark}: each run counts every source's distinct ids with a time
   * before the mark it records for the next run, and the next run counts again at that mark: rows
   * that arrived or went behind it since (a re-sync of old events, a backfill) are a warning, since an
   * incremental run does not see them. Costs a read of two columns of every source's whole history per
   * run. Off by default; a host may also turn it on with {@code JdbcRunner.countingRowsBehindMark()}.
   */
  @Value.Default
  public boolean countRowsBehindMark() {
    return false;
  }

  /**
   * {@code users.enabled}: also build {@code stg_heap_users_inc_fct}, one row per user with the first and
   * last session, session and conversion counts, and the user's initial properties (referrer, landing
   * page, UTM fields, channel, browser, place, device) from the first session, as Heap's Users page and
   * initial user properties show them. Off by default: SPEC §3's three facts are the standard set.
   */
  @Value.Default
  public boolean usersEnabled() {
    return false;
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

  /**
   * Settings this config holds that nothing reads, each as a sentence naming its key: {@code
   * channels.own_domain} beside {@code channels.rules} (the configured rules replace the defaults, the
   * only rules that read it). Not an error, so that a config that worked goes on working; the CLI prints
   * them as warnings.
   */
  @Value.Lazy
  public List<String> ignoredSettings() {
    if (ownDomain().isPresent() && !channelRules().isEmpty()) {
      String domain = ownDomain().get();
      // the advice below already followed: say what is left to do, not the same advice again
      Condition own = Condition.contains("referrer", domain);
      for (int i = 0; i < channelRules().size(); i++) {
        if (mentions(channelRules().get(i).when(), own)) {
          return List.of(
              "channels.own_domain (" + domain + ") is not used: channels.rules replaces the default rules, the only ones that"
                  + " read it, and channels.rules[" + i + "] (" + channelRules().get(i).channel() + ") already looks for it in the"
                  + " referrer; remove channels.own_domain");
        }
      }
      return List.of(
          "channels.own_domain (" + domain + ") is not used: channels.rules replaces the default rules, the only ones that"
              + " read it; to keep its channel, add a rule such as {channel: " + domain + ", when: {field: referrer, contains: "
              + domain + "}}");
    }
    return List.of();
  }

  /** Whether {@code c} is {@code condition} or holds it among its parts. */
  private static boolean mentions(Condition c, Condition condition) {
    if (c.equals(condition)) {
      return true;
    }
    if (c instanceof Condition.All all) {
      return all.conditions().stream().anyMatch(x -> mentions(x, condition));
    }
    return c instanceof Condition.Any any && any.conditions().stream().anyMatch(x -> mentions(x, condition));
  }

  /**
   * The names and values of this config with a white-space or invisible character at an end, or a
   * control character inside ({@link UserText#slip}), each as a sentence naming its key: {@code
   * funnel_events[1]: "\u00A0b" begins with a no-break space (U+00A0): …}. Such text is used as written,
   * since Heap's names may hold any character, so an event pasted with a no-break space, a {@code |} block's
   * closing newline, or a list item joined to the one above matched nothing, silently. Not an error; the
   * CLI prints them as warnings, and a host can log them.
   */
  @Value.Lazy
  public List<String> textWarnings() {
    Map<String, String> texts = new LinkedHashMap<>();
    texts.put("source.schema", sourceSchema());
    texts.put("target.schema", targetSchema());
    sourceDatabase().ifPresent(d -> texts.put("source.database", d));
    targetDatabase().ifPresent(d -> texts.put("target.database", d));
    sourceTables().forEach((table, physical) -> texts.put("source.tables." + table, physical));
    sourceColumns().forEach((key, physical) -> texts.put("source.columns." + key, physical));
    for (String table : List.of(SourceCatalog.PAGEVIEWS, SourceCatalog.SESSIONS)) {
      for (int i = 0; i < properties(table).size(); i++) {
        texts.put(PROPERTY_KEYS.get(table) + "[" + i + "]", properties(table).get(i).name());
      }
    }
    for (int i = 0; i < funnelEvents().size(); i++) {
      texts.put("funnel_events[" + i + "]", funnelEvents().get(i));
    }
    for (int i = 0; i < conversionEvents().size(); i++) {
      texts.put("conversion_events[" + i + "]", conversionEvents().get(i));
    }
    ownDomain().ifPresent(d -> texts.put("channels.own_domain", d));
    texts.put("channels.fallback", fallbackChannel());
    for (int i = 0; i < channelRules().size(); i++) {
      texts.put("channels.rules[" + i + "].channel", channelRules().get(i).channel());
      conditionTexts("channels.rules[" + i + "].when", channelRules().get(i).when(), texts);
    }
    List<String> warnings = new ArrayList<>();
    texts.forEach(
        (key, text) ->
            UserText.slip(text)
                .ifPresent(slip -> warnings.add(
                    key + ": \"" + UserText.visible(text) + "\" " + slip + "; it is used as written, so it matches, or names, only"
                        + " what has it too: remove it if it was not meant")));
    return warnings;
  }

  private static void conditionTexts(String path, Condition c, Map<String, String> texts) {
    if (c instanceof Condition.All all) {
      for (int i = 0; i < all.conditions().size(); i++) {
        conditionTexts(path + ".all[" + i + "]", all.conditions().get(i), texts);
      }
    } else if (c instanceof Condition.Any any) {
      for (int i = 0; i < any.conditions().size(); i++) {
        conditionTexts(path + ".any[" + i + "]", any.conditions().get(i), texts);
      }
    } else if (c instanceof Condition.Contains contains) {
      texts.put(path + ".contains", contains.value());
    } else if (c instanceof Condition.EqualTo equalTo) {
      texts.put(path + ".equals", equalTo.value());
    }
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
            Map.of(SourceCatalog.PAGEVIEWS, pageviewProperties(), SourceCatalog.SESSIONS, sessionProperties()),
            freshnessWarnAfterHours().map(Duration::ofHours),
            freshnessErrorAfterHours().map(Duration::ofHours))
        .withoutFreshness(freshnessSkipTables());
  }

  @Value.Check
  protected void check() {
    try {
      checkValues();
    } catch (HeapConfigException e) {
      // the checks below are static and speak for the builder; a loaded config names its file
      throw origin().equals(e.origin()) ? e : e.withOrigin(origin());
    }
  }

  private void checkValues() {
    requireText("(origin)", origin());
    requireName("source.schema", sourceSchema());
    requireName("target.schema", targetSchema());
    sourceDatabase().ifPresent(d -> requireName("source.database", d));
    targetDatabase().ifPresent(d -> requireName("target.database", d));
    targetLocation()
        .filter(l -> !LOCATION.matcher(l).matches())
        .ifPresent(
            l -> {
              throw invalid(
                  "target.location",
                  "expected a BigQuery location: a multi-region (US, EU) or a region such as europe-west3, got \"" + l + "\"");
            });
    SourceCatalog heap = SourceCatalog.heapConnect();
    sourceTables()
        .forEach(
            (table, physical) -> {
              if (heap.findTable(table).isEmpty()) {
                throw invalid(
                    "source.tables." + table,
                    "unknown Heap table" + NearestNames.didYouMean(table, heap.tableNames(), "expected one of", heap.tableNames().toString()));
              }
              requireName("source.tables." + table, physical);
            });
    // two Heap tables read from one: the first load failed on "table already exists", naming no key
    Map<String, String> byPhysical = new HashMap<>();
    for (String table : heap.tableNames()) {
      String physical = sourceTables().getOrDefault(table, table);
      String bare = physical.length() > 1 && physical.startsWith("\"") && physical.endsWith("\"") ? physical.substring(1, physical.length() - 1) : physical;
      String other = byPhysical.putIfAbsent(bare.toLowerCase(Locale.ROOT), table);
      if (other != null) {
        String renamed = sourceTables().containsKey(table) ? table : other;
        String kept = renamed.equals(table) ? other : table;
        throw invalid(
            "source.tables." + renamed,
            "names " + sourceTables().get(renamed) + ", which is also Heap's " + kept + " table ("
                + (sourceTables().containsKey(kept) ? "source.tables." + kept : "not renamed") + "): each Heap table is a table of its own"
                + " (names compared without quotes and ignoring case, as most warehouses fold unquoted names)");
      }
    }
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
                String column = key.substring(dot + 1);
                throw invalid(
                    path, "unknown column of " + table + NearestNames.didYouMean(column, t.columnNames(), "expected one of", t.columnNames().toString()));
              }
              requireName(path, physical);
            });
    for (String table : List.of(SourceCatalog.PAGEVIEWS, SourceCatalog.SESSIONS)) {
      // compared case-insensitively: Snowflake, Redshift and H2 would see Path and path as one column
      Set<String> columns = new HashSet<>();
      heap.table(table).columns().stream()
          .map(c -> c.name().toLowerCase(Locale.ROOT))
          .forEach(columns::add);
      for (int i = 0; i < properties(table).size(); i++) {
        String name = properties(table).get(i).name();
        String path = PROPERTY_KEYS.get(table) + "[" + i + "]";
        requireName(path, name);
        if (name.toLowerCase(Locale.ROOT).startsWith("heap_")) {
          throw invalid(path, "\"" + name + "\": names starting with heap_ are reserved for the models' own columns");
        }
        if (!columns.add(name.toLowerCase(Locale.ROOT))) {
          throw invalid(path, "column \"" + name + "\" is already " + (table.equals(SourceCatalog.PAGEVIEWS) ? "a pageview" : "a sessions")
              + " column or listed twice");
        }
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
    checkFreshnessSkipTables();
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
    if (runHistoryDays() < 1 || runHistoryDays() > MAX_HISTORY_DAYS) {
      throw invalid(
          "incremental.run_history_days",
          "expected a whole number of days from 1 to " + MAX_HISTORY_DAYS + ", got " + runHistoryDays());
    }
    physicalOptions()
        .forEach(
            (model, options) -> {
              for (String column : options.columns()) {
                requireName("models." + model, column);
              }
            });
    ownDomain().ifPresent(d -> requireText("channels.own_domain", d));
    // a domain has no white space: "not a domain" matched no referrer, silently
    ownDomain().filter(d -> d.strip().codePoints().anyMatch(Character::isWhitespace)).ifPresent(d -> {
      throw invalid("channels.own_domain", "expected a domain such as example.com, got \"" + UserText.visible(d) + "\" (a domain has no spaces)");
    });
    // a URL matched only referrers spelled as it is (its scheme, its trailing slash) and named the channel
    // after the whole URL; the domain is in every referrer from the site. A domain and a path without a
    // scheme (example.com/shop) is a narrower "referrer contains", and stays allowed
    ownDomain().filter(d -> d.strip().matches("(?s)[A-Za-z][A-Za-z0-9+.-]*://.*")).ifPresent(d -> {
      String domain = d.strip().replaceFirst("^[A-Za-z][A-Za-z0-9+.-]*://", "").replaceFirst("[/?#].*$", "");
      throw invalid(
          "channels.own_domain",
          "expected a domain such as example.com, got \"" + UserText.visible(d) + "\", a URL"
              + (domain.isEmpty() ? "" : ": give its domain, " + UserText.visible(domain)));
    });
    requireText("channels.fallback", fallbackChannel());
    // in the catalog's order, as messages list them
    // Heap's own, then the session properties passed through: a rule may read a custom sessions column
    Map<String, io.heapsdk.source.ColumnType> sessionColumns = new java.util.LinkedHashMap<>();
    heap.table(SourceCatalog.SESSIONS).columns().forEach(c -> sessionColumns.put(c.name(), c.type()));
    sessionProperties().forEach(p -> sessionColumns.putIfAbsent(p.name(), p.type()));
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
      requireStorable(path, e);
      Integer before = seen.putIfAbsent(e, i);
      if (before != null) {
        throw invalid(path, "\"" + e + "\" is listed twice (also at " + key + "[" + before + "])");
      }
    }
  }

  /** @param columns the sessions columns a rule may read, each with its type */
  private static void checkCondition(String path, Condition c, Map<String, io.heapsdk.source.ColumnType> columns) {
    if (c instanceof Condition.All all) {
      checkList(path + ".all", all.conditions(), columns);
    } else if (c instanceof Condition.Any any) {
      checkList(path + ".any", any.conditions(), columns);
    } else {
      String field = fieldOf(c);
      if (!columns.containsKey(field)) {
        throw invalid(
            path + ".field",
            "unknown sessions column \"" + field + "\"" + NearestNames.didYouMean(field, columns.keySet(), "expected one of", columns.keySet().toString())
                + "; a custom sessions column is read once listed under source.session_properties");
      }
      io.heapsdk.source.ColumnType type = columns.get(field);
      if ((c instanceof Condition.Contains || c instanceof Condition.EqualTo) && type != io.heapsdk.source.ColumnType.VARCHAR) {
        // contains and equals lower the column's text: LOWER of a number or a time is refused by some
        // warehouses and means something else on others
        throw invalid(
            path + ".field",
            "\"" + field + "\" holds " + type.name().toLowerCase(Locale.ROOT) + " values, and contains and equals compare text;"
                + " a rule may test it with is_null or is_not_null");
      }
      if (c instanceof Condition.Contains contains) {
        if (contains.value().isEmpty()) {
          throw invalid(path + ".contains", "expected a non-empty text");
        }
        requireStorable(path + ".contains", contains.value());
      } else if (c instanceof Condition.EqualTo equalTo) {
        requireStorable(path + ".equals", equalTo.value());
      }
    }
  }

  private static void checkList(String path, List<Condition> list, Map<String, io.heapsdk.source.ColumnType> columns) {
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
    requireStorable(path, value);
  }

  /** Text a warehouse can store: no NUL, no unpaired surrogate (see {@link UserText}). */
  private static void requireStorable(String path, String value) {
    UserText.problem(value).ifPresent(problem -> {
      throw invalid(path, problem);
    });
  }

  /** Ten years in hours, as {@link #MAX_WINDOW_DAYS}: longer is a typo. */
  private static void requirePositiveHours(String path, int hours) {
    if (hours <= 0 || hours > MAX_WINDOW_DAYS * 24) {
      throw invalid(path, "expected a positive whole number of hours, at most " + MAX_WINDOW_DAYS * 24 + ", got " + hours);
    }
  }

  /** Each a Heap table that has a freshness check, named once. */
  private void checkFreshnessSkipTables() {
    List<String> checked =
        SourceCatalog.heapConnect().tables().stream().filter(t -> t.freshness().isPresent()).map(SourceTable::name).toList();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < freshnessSkipTables().size(); i++) {
      String table = freshnessSkipTables().get(i);
      String key = "source.freshness.skip_tables[" + i + "]";
      if (!checked.contains(table)) {
        if (SourceCatalog.heapConnect().tableNames().contains(table)) {
          throw invalid(key, "\"" + table + "\" has no freshness check to skip (merges can be rare for days); the tables with one are "
              + String.join(", ", checked));
        }
        throw invalid(key, "no Heap table \"" + UserText.visible(table) + "\" has a freshness check"
            + NearestNames.didYouMean(table, checked, "the tables with one are", String.join(", ", checked) + " (logical names, as under source.tables)"));
      }
      if (!seen.add(table)) {
        throw invalid(key, "\"" + table + "\" is listed twice");
      }
    }
  }

  static HeapConfigException invalid(String path, String problem) {
    return new HeapConfigException(BUILDER_ORIGIN, path, problem);
  }

  /**
   * Builds a {@link HeapConfig}; every method is named after its YAML key (camel-cased), e.g.
   * {@code sessionTimeoutMinutes} for {@code sessionization.timeout_minutes}. A null value, list element
   * or map entry fails at once with a {@link HeapConfigException} naming the key, as does a map key given
   * twice; {@link #build()} then runs the checks the YAML loader runs. Not thread-safe.
   */
  public static final class Builder {
    private String origin;
    private Optional<String> sourceDatabase = Optional.empty();
    private String sourceSchema;
    private final Map<String, String> sourceTables = new LinkedHashMap<>();
    private final Map<String, String> sourceColumns = new LinkedHashMap<>();
    private final List<PassThroughColumn> pageviewProperties = new ArrayList<>();
    private final List<PassThroughColumn> sessionProperties = new ArrayList<>();
    private Optional<Integer> freshnessWarnAfterHours = Optional.empty();
    private Optional<Integer> freshnessErrorAfterHours = Optional.empty();
    private final List<String> freshnessSkipTables = new ArrayList<>();
    private Optional<String> targetDatabase = Optional.empty();
    private String targetSchema;
    private Optional<String> targetLocation = Optional.empty();
    private final List<String> funnelEvents = new ArrayList<>();
    private final List<String> conversionEvents = new ArrayList<>();
    private Integer sessionTimeoutMinutes;
    private Integer conversionWindowDays;
    private Integer lateArrivalLookbackDays;
    private Integer runHistoryDays;
    private Boolean reconcile;
    private Boolean countRowsBehindMark;
    private Boolean usersEnabled;
    private Boolean resolveMigrations;
    private final Map<String, PhysicalOptions> physicalOptions = new LinkedHashMap<>();
    private Optional<String> ownDomain = Optional.empty();
    private final List<ChannelRule> channelRules = new ArrayList<>();
    private String fallbackChannel;
    /**
     * The map entries {@link #from} copied, as key paths: a later put of one replaces it (a host overriding
     * one table of a loaded config), where a key given twice otherwise is refused, blaming the file.
     */
    private final java.util.Set<String> copied = new java.util.HashSet<>();

    Builder() {}

    /**
     * Copies every setting of {@code config} (its origin too); lists are appended to, maps added to. A map
     * entry copied here may be put once more, replacing it ({@code from(loaded).putSourceTables("pageviews",
     * "pv2")}); a key put twice otherwise is refused.
     */
    public Builder from(HeapConfig config) {
      notNull("(from)", config, "a config to copy");
      origin = config.origin();
      sourceDatabase = config.sourceDatabase();
      sourceSchema = config.sourceSchema();
      putAllSourceTables(config.sourceTables());
      putAllSourceColumns(config.sourceColumns());
      addAllPageviewProperties(config.pageviewProperties());
      addAllSessionProperties(config.sessionProperties());
      freshnessWarnAfterHours = config.freshnessWarnAfterHours();
      freshnessErrorAfterHours = config.freshnessErrorAfterHours();
      addAllFreshnessSkipTables(config.freshnessSkipTables());
      targetDatabase = config.targetDatabase();
      targetSchema = config.targetSchema();
      targetLocation = config.targetLocation();
      addAllFunnelEvents(config.funnelEvents());
      addAllConversionEvents(config.conversionEvents());
      sessionTimeoutMinutes = config.sessionTimeoutMinutes();
      conversionWindowDays = config.conversionWindowDays();
      lateArrivalLookbackDays = config.lateArrivalLookbackDays();
      runHistoryDays = config.runHistoryDays();
      reconcile = config.reconcile();
      countRowsBehindMark = config.countRowsBehindMark();
      usersEnabled = config.usersEnabled();
      resolveMigrations = config.resolveMigrations();
      putAllPhysicalOptions(config.physicalOptions());
      ownDomain = config.ownDomain();
      addAllChannelRules(config.channelRules());
      fallbackChannel = config.fallbackChannel();
      config.sourceTables().keySet().forEach(k -> copied.add("source.tables." + k));
      config.sourceColumns().keySet().forEach(k -> copied.add("source.columns." + k));
      config.physicalOptions().keySet().forEach(k -> copied.add("models." + k));
      return this;
    }

    /** Where the config comes from, as error messages name it (a file name); default {@value #BUILDER_ORIGIN}. */
    public Builder origin(String origin) {
      this.origin = notNull("(origin)", origin, "a file name");
      return this;
    }

    /** {@code source.database}. */
    public Builder sourceDatabase(String database) {
      this.sourceDatabase = Optional.of(notNull("source.database", database, "a database name"));
      return this;
    }

    /** {@code source.database}; empty = the connection's default. */
    public Builder sourceDatabase(Optional<String> database) {
      this.sourceDatabase = optional("source.database", database);
      return this;
    }

    /** {@code source.schema}. */
    public Builder sourceSchema(String schema) {
      this.sourceSchema = notNull("source.schema", schema, "a schema name");
      return this;
    }

    /** {@code source.tables.<table>}: the physical name of a Heap table. */
    public Builder putSourceTables(String table, String physicalName) {
      put(sourceTables, "source.tables", table, physicalName, "a table name");
      return this;
    }

    public Builder putSourceTables(Map.Entry<String, ? extends String> entry) {
      notNull("source.tables", entry, "a table and its name");
      return putSourceTables(entry.getKey(), entry.getValue());
    }

    /** Replaces every {@code source.tables} entry. */
    public Builder sourceTables(Map<String, ? extends String> tables) {
      notNull("source.tables", tables, "a map of tables");
      sourceTables.clear();
      copied.removeIf(k -> k.startsWith("source.tables."));
      return putAllSourceTables(tables);
    }

    public Builder putAllSourceTables(Map<String, ? extends String> tables) {
      notNull("source.tables", tables, "a map of tables");
      tables.forEach(this::putSourceTables);
      return this;
    }

    /** {@code source.columns.<table>.<column>}, keyed {@code table.column}: the physical name of a Heap column. */
    public Builder putSourceColumns(String tableDotColumn, String physicalName) {
      put(sourceColumns, "source.columns", tableDotColumn, physicalName, "a column name");
      return this;
    }

    public Builder putSourceColumns(Map.Entry<String, ? extends String> entry) {
      notNull("source.columns", entry, "a column and its name");
      return putSourceColumns(entry.getKey(), entry.getValue());
    }

    /** Replaces every {@code source.columns} entry. */
    public Builder sourceColumns(Map<String, ? extends String> columns) {
      notNull("source.columns", columns, "a map of columns");
      sourceColumns.clear();
      copied.removeIf(k -> k.startsWith("source.columns."));
      return putAllSourceColumns(columns);
    }

    public Builder putAllSourceColumns(Map<String, ? extends String> columns) {
      notNull("source.columns", columns, "a map of columns");
      columns.forEach(this::putSourceColumns);
      return this;
    }

    /** Adds a {@code source.pageview_properties} column. */
    public Builder addPageviewProperties(PassThroughColumn column) {
      add(pageviewProperties, "source.pageview_properties", column, "a column");
      return this;
    }

    public Builder addPageviewProperties(PassThroughColumn... columns) {
      notNull("source.pageview_properties", columns, "columns");
      return addAllPageviewProperties(Arrays.asList(columns));
    }

    /** Replaces the {@code source.pageview_properties}. */
    public Builder pageviewProperties(Iterable<? extends PassThroughColumn> columns) {
      notNull("source.pageview_properties", columns, "a list of columns");
      pageviewProperties.clear();
      return addAllPageviewProperties(columns);
    }

    public Builder addAllPageviewProperties(Iterable<? extends PassThroughColumn> columns) {
      notNull("source.pageview_properties", columns, "a list of columns");
      columns.forEach(this::addPageviewProperties);
      return this;
    }

    /** Adds a {@code source.session_properties} column. */
    public Builder addSessionProperties(PassThroughColumn column) {
      add(sessionProperties, "source.session_properties", column, "a column");
      return this;
    }

    public Builder addSessionProperties(PassThroughColumn... columns) {
      notNull("source.session_properties", columns, "columns");
      return addAllSessionProperties(Arrays.asList(columns));
    }

    /** Replaces the {@code source.session_properties}. */
    public Builder sessionProperties(Iterable<? extends PassThroughColumn> columns) {
      notNull("source.session_properties", columns, "a list of columns");
      sessionProperties.clear();
      return addAllSessionProperties(columns);
    }

    public Builder addAllSessionProperties(Iterable<? extends PassThroughColumn> columns) {
      notNull("source.session_properties", columns, "a list of columns");
      columns.forEach(this::addSessionProperties);
      return this;
    }

    /** {@code source.freshness.warn_after_hours}. */
    public Builder freshnessWarnAfterHours(int hours) {
      this.freshnessWarnAfterHours = Optional.of(hours);
      return this;
    }

    public Builder freshnessWarnAfterHours(Optional<Integer> hours) {
      this.freshnessWarnAfterHours = optional("source.freshness.warn_after_hours", hours);
      return this;
    }

    /** {@code source.freshness.error_after_hours}. */
    public Builder freshnessErrorAfterHours(int hours) {
      this.freshnessErrorAfterHours = Optional.of(hours);
      return this;
    }

    public Builder freshnessErrorAfterHours(Optional<Integer> hours) {
      this.freshnessErrorAfterHours = optional("source.freshness.error_after_hours", hours);
      return this;
    }

    /** Adds a {@code source.freshness.skip_tables} entry. */
    public Builder addFreshnessSkipTables(String table) {
      add(freshnessSkipTables, "source.freshness.skip_tables", table, "a Heap table's logical name");
      return this;
    }

    public Builder addFreshnessSkipTables(String... tables) {
      notNull("source.freshness.skip_tables", tables, "Heap tables' logical names");
      return addAllFreshnessSkipTables(Arrays.asList(tables));
    }

    /** Replaces the {@code source.freshness.skip_tables}. */
    public Builder freshnessSkipTables(Iterable<String> tables) {
      notNull("source.freshness.skip_tables", tables, "a list of Heap tables' logical names");
      freshnessSkipTables.clear();
      return addAllFreshnessSkipTables(tables);
    }

    public Builder addAllFreshnessSkipTables(Iterable<String> tables) {
      notNull("source.freshness.skip_tables", tables, "a list of Heap tables' logical names");
      tables.forEach(this::addFreshnessSkipTables);
      return this;
    }

    /** {@code target.database}. */
    public Builder targetDatabase(String database) {
      this.targetDatabase = Optional.of(notNull("target.database", database, "a database name"));
      return this;
    }

    /** {@code target.database}; empty = the connection's default. */
    public Builder targetDatabase(Optional<String> database) {
      this.targetDatabase = optional("target.database", database);
      return this;
    }

    /** {@code target.schema}. */
    public Builder targetSchema(String schema) {
      this.targetSchema = notNull("target.schema", schema, "a schema name");
      return this;
    }

    /** {@code target.location} (BigQuery): the target dataset's location, e.g. {@code EU}. */
    public Builder targetLocation(String location) {
      this.targetLocation = Optional.of(notNull("target.location", location, "a BigQuery location"));
      return this;
    }

    /** {@code target.location}; empty = BigQuery's default. */
    public Builder targetLocation(Optional<String> location) {
      this.targetLocation = optional("target.location", location);
      return this;
    }

    /** Adds a {@code funnel_events} entry: the next funnel step. */
    public Builder addFunnelEvents(String event) {
      add(funnelEvents, "funnel_events", event, "an event name");
      return this;
    }

    public Builder addFunnelEvents(String... events) {
      notNull("funnel_events", events, "event names");
      return addAllFunnelEvents(Arrays.asList(events));
    }

    /** Replaces the {@code funnel_events}. */
    public Builder funnelEvents(Iterable<String> events) {
      notNull("funnel_events", events, "a list of event names");
      funnelEvents.clear();
      return addAllFunnelEvents(events);
    }

    public Builder addAllFunnelEvents(Iterable<String> events) {
      notNull("funnel_events", events, "a list of event names");
      events.forEach(this::addFunnelEvents);
      return this;
    }

    /** Adds a {@code conversion_events} entry. */
    public Builder addConversionEvents(String event) {
      add(conversionEvents, "conversion_events", event, "an event name");
      return this;
    }

    public Builder addConversionEvents(String... events) {
      notNull("conversion_events", events, "event names");
      return addAllConversionEvents(Arrays.asList(events));
    }

    /** Replaces the {@code conversion_events}. */
    public Builder conversionEvents(Iterable<String> events) {
      notNull("conversion_events", events, "a list of event names");
      conversionEvents.clear();
      return addAllConversionEvents(events);
    }

    public Builder addAllConversionEvents(Iterable<String> events) {
      notNull("conversion_events", events, "a list of event names");
      events.forEach(this::addConversionEvents);
      return this;
    }

    /** {@code sessionization.timeout_minutes} (default 30). */
    public Builder sessionTimeoutMinutes(int minutes) {
      this.sessionTimeoutMinutes = minutes;
      return this;
    }

    /** {@code sessions.conversion_window_days} (default 14). */
    public Builder conversionWindowDays(int days) {
      this.conversionWindowDays = days;
      return this;
    }

    /** {@code incremental.late_arrival_lookback_days} (default 3). */
    public Builder lateArrivalLookbackDays(int days) {
      this.lateArrivalLookbackDays = days;
      return this;
    }

    /** {@code incremental.run_history_days} (default 90). */
    public Builder runHistoryDays(int days) {
      this.runHistoryDays = days;
      return this;
    }

    /** {@code incremental.reconcile} (default false). */
    public Builder reconcile(boolean reconcile) {
      this.reconcile = reconcile;
      return this;
    }

    /** {@code incremental.count_rows_behind_mark} (default false). */
    public Builder countRowsBehindMark(boolean count) {
      this.countRowsBehindMark = count;
      return this;
    }

    /** {@code users.enabled} (default false): also build the users fact, {@code stg_heap_users_inc_fct}. */
    public Builder usersEnabled(boolean enabled) {
      this.usersEnabled = enabled;
      return this;
    }

    /** {@code identity.resolve_migrations} (default false). */
    public Builder resolveMigrations(boolean resolve) {
      this.resolveMigrations = resolve;
      return this;
    }

    /** {@code models.<model>}: the physical options of a materialized model. */
    public Builder putPhysicalOptions(String model, PhysicalOptions options) {
      put(physicalOptions, "models", model, options, "physical options");
      return this;
    }

    public Builder putPhysicalOptions(Map.Entry<String, ? extends PhysicalOptions> entry) {
      notNull("models", entry, "a model and its options");
      return putPhysicalOptions(entry.getKey(), entry.getValue());
    }

    /** Replaces every {@code models} entry. */
    public Builder physicalOptions(Map<String, ? extends PhysicalOptions> options) {
      notNull("models", options, "a map of models");
      physicalOptions.clear();
      copied.removeIf(k -> k.startsWith("models."));
      return putAllPhysicalOptions(options);
    }

    public Builder putAllPhysicalOptions(Map<String, ? extends PhysicalOptions> options) {
      notNull("models", options, "a map of models");
      options.forEach(this::putPhysicalOptions);
      return this;
    }

    /** {@code channels.own_domain}. */
    public Builder ownDomain(String domain) {
      this.ownDomain = Optional.of(notNull("channels.own_domain", domain, "a domain"));
      return this;
    }

    /** {@code channels.own_domain}; empty = none. */
    public Builder ownDomain(Optional<String> domain) {
      this.ownDomain = optional("channels.own_domain", domain);
      return this;
    }

    /** Adds a {@code channels.rules} entry. */
    public Builder addChannelRules(ChannelRule rule) {
      add(channelRules, "channels.rules", rule, "a channel rule");
      return this;
    }

    public Builder addChannelRules(ChannelRule... rules) {
      notNull("channels.rules", rules, "channel rules");
      return addAllChannelRules(Arrays.asList(rules));
    }

    /** Replaces the {@code channels.rules}. */
    public Builder channelRules(Iterable<? extends ChannelRule> rules) {
      notNull("channels.rules", rules, "a list of channel rules");
      channelRules.clear();
      return addAllChannelRules(rules);
    }

    public Builder addAllChannelRules(Iterable<? extends ChannelRule> rules) {
      notNull("channels.rules", rules, "a list of channel rules");
      rules.forEach(this::addChannelRules);
      return this;
    }

    /** {@code channels.fallback} (default {@code Unattributed}). */
    public Builder fallbackChannel(String channel) {
      this.fallbackChannel = notNull("channels.fallback", channel, "a channel name");
      return this;
    }

    /** The config; a {@link HeapConfigException} naming the key of the first wrong setting. */
    public HeapConfig build() {
      ImmutableHeapConfig.Builder b =
          ImmutableHeapConfig.generatedBuilder()
              .sourceDatabase(sourceDatabase)
              .sourceTables(sourceTables)
              .sourceColumns(sourceColumns)
              .pageviewProperties(pageviewProperties)
              .sessionProperties(sessionProperties)
              .freshnessWarnAfterHours(freshnessWarnAfterHours)
              .freshnessErrorAfterHours(freshnessErrorAfterHours)
              .freshnessSkipTables(freshnessSkipTables)
              .targetDatabase(targetDatabase)
              .targetLocation(targetLocation)
              .funnelEvents(funnelEvents)
              .conversionEvents(conversionEvents)
              .physicalOptions(physicalOptions)
              .ownDomain(ownDomain)
              .channelRules(channelRules);
      // unset values keep their defaults
      if (origin != null) {
        b.origin(origin);
      }
      if (sourceSchema != null) {
        b.sourceSchema(sourceSchema);
      }
      if (targetSchema != null) {
        b.targetSchema(targetSchema);
      }
      if (sessionTimeoutMinutes != null) {
        b.sessionTimeoutMinutes(sessionTimeoutMinutes);
      }
      if (conversionWindowDays != null) {
        b.conversionWindowDays(conversionWindowDays);
      }
      if (lateArrivalLookbackDays != null) {
        b.lateArrivalLookbackDays(lateArrivalLookbackDays);
      }
      if (runHistoryDays != null) {
        b.runHistoryDays(runHistoryDays);
      }
      if (reconcile != null) {
        b.reconcile(reconcile);
      }
      if (countRowsBehindMark != null) {
        b.countRowsBehindMark(countRowsBehindMark);
      }
      if (resolveMigrations != null) {
        b.resolveMigrations(resolveMigrations);
      }
      if (usersEnabled != null) {
        b.usersEnabled(usersEnabled);
      }
      if (fallbackChannel != null) {
        b.fallbackChannel(fallbackChannel);
      }
      return b.build();
    }

    private String origin() {
      return origin == null ? BUILDER_ORIGIN : origin;
    }

    private <T> T notNull(String path, T value, String expected) {
      if (value == null) {
        throw new HeapConfigException(origin(), path, "expected " + expected + ", got null");
      }
      return value;
    }

    private <T> Optional<T> optional(String path, Optional<T> value) {
      if (value == null) {
        throw new HeapConfigException(origin(), path, "expected a value or Optional.empty(), got null");
      }
      return value;
    }

    private <T> void add(List<T> list, String path, T element, String expected) {
      list.add(notNull(path + "[" + list.size() + "]", element, expected));
    }

    private <T> void put(Map<String, T> map, String path, String key, T value, String expected) {
      notNull(path, key, "a key");
      String keyPath = path + "." + key;
      notNull(keyPath, value, expected);
      T before = map.putIfAbsent(key, value);
      if (before != null && copied.remove(keyPath)) {
        // copied by from(): the put is the caller's override of that one entry
        map.put(key, value);
        return;
      }
      if (before != null) {
        throw new HeapConfigException(origin(), keyPath, "set twice (" + before + ", then " + value + "); each key may appear once");
      }
    }
  }
}

