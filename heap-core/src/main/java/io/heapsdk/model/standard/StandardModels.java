package io.heapsdk.model.standard;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import java.util.List;

/** Registers the standard models on a project. */
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
