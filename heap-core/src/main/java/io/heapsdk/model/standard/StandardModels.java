package io.heapsdk.model.standard;

import io.heapsdk.model.HeapProject;

/** Registers the standard models on a project. */
public final class StandardModels {
  public static final String IDENTITY_MAP = "src_heap_identity_map_eph";
  public static final String EVENTS_EPHEMERAL = "src_heap_events_all_eph";
  public static final String PAGEVIEWS_EPHEMERAL = "src_heap_pageviews_eph";
  public static final String SESSIONS_EPHEMERAL = "src_heap_sessions_eph";
  public static final String EVENTS_FACT = "stg_heap_events_all_inc_fct";
  public static final String PAGEVIEW_SESSIONS_FACT = "stg_heap_pageview_sessions_inc_fct";
  public static final String SESSIONS_FACT = "stg_heap_sessions_inc_fct";

  private StandardModels() {}

  /** Adds the standard models to {@code project}. */
  public static void addTo(HeapProject project) {
    IdentityModels.define(project);
    EventsModels.define(project);
    PageviewModels.define(project);
    SessionModels.define(project);
  }
}
