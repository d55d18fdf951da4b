package io.heapsdk.model.standard;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.quality.ColumnCheck;
import io.heapsdk.quality.DataTest;
import io.heapsdk.quality.TestTarget;
import io.heapsdk.source.SourceCatalog;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Registers the standard models on a project, and the data test of the config's event names (each one
 * some {@code all_events} row has, a warning).
 */
public final class StandardModels {
  public static final String IDENTITY_MAP = "src_heap_identity_map_eph";
  public static final String EVENTS_EPHEMERAL = "src_heap_events_all_eph";
  public static final String PAGEVIEWS_EPHEMERAL = "src_heap_pageviews_eph";
  public static final String SESSIONS_EPHEMERAL = "src_heap_sessions_eph";
  public static final String EVENTS_FACT = "stg_heap_events_all_inc_fct";
  public static final String PAGEVIEW_SESSIONS_FACT = "stg_heap_pageview_sessions_inc_fct";
  public static final String SESSIONS_FACT = "stg_heap_sessions_inc_fct";
  /** The users fact, built only with {@code users.enabled} ({@link HeapConfig#usersEnabled()}). */
  public static final String USERS_FACT = "stg_heap_users_inc_fct";

  /**
   * The column of a dedup stage ({@code pageviews_ranked} and the like) that numbers each key's rows,
   * latest first; the next stage keeps number 1. A renderer may rewrite such a stage by this name.
   */
  public static final String DEDUP_RANK = "heap__dedup_rank";

  private StandardModels() {}

  /** Adds the standard models to {@code project}: SPEC §3's three facts, and the users fact where the config enables it. */
  public static void addTo(HeapProject project) {
    IdentityModels.define(project);
    EventsModels.define(project);
    PageviewModels.define(project);
    SessionModels.define(project);
    if (project.config().usersEnabled()) {
      UserModels.define(project);
    }
    // the funnel and conversion events are matched to Heap's event names exactly, case included: a
    // name no event has (add_to_kart, Sign_Up) made a funnel step count nothing and conversions vanish,
    // without a word from heap run or heap test. A warning: a step not launched yet has no events either
    Set<String> named = new LinkedHashSet<>(project.config().funnelEvents());
    named.addAll(project.config().conversionEvents());
    if (!named.isEmpty()) {
      project.test(
          new DataTest(
              TestTarget.source(SourceCatalog.ALL_EVENTS),
              ColumnCheck.containsValues("event_table_name", named.toArray()).warnOnly()));
    }
  }

  /**
   * The columns of {@value #SESSIONS_FACT} under {@code config}, in order; some depend on it (the
   * conversion window's lookback / lookforward columns, one count per funnel step).
   */
  public static List<String> sessionsFactColumns(HeapConfig config) {
    return List.copyOf(SessionModels.factColumns(config));
  }

  /**
   * Whether {@value #SESSIONS_FACT} has this column under some config: for checking a column name
   * before the config is known.
   */
  public static boolean isSessionsFactColumn(String column) {
    return SessionModels.isFactColumn(column);
  }
}
