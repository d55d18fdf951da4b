package io.heapsdk.testing;

import java.time.LocalDateTime;

/**
 * Terse builders of Heap source rows for tests, in the catalog's column order.
 */
public final class Rows {
  private Rows() {}

  public static LocalDateTime at(String isoLocal) {
    return LocalDateTime.parse(isoLocal);
  }

  /** all_events: event_id, user_id, session_id, time, event_table_name. */
  public static Object[] event(long id, long user, long session, String time, String name) {
    return new Object[] {id, user, session, time == null ? null : at(time), name};
  }

  /** pageviews: event_id, user_id, session_id, time, domain, path, query, hash, title, previous_page. */
  public static Object[] pageview(long id, long user, long session, String time, String path) {
    return new Object[] {id, user, session, time == null ? null : at(time), "example.com", path, null, null, "Title " + path, null};
  }

  /** sessions, with referrer, landing page query and utm source / medium; other columns NULL. */
  public static Object[] session(
      long id, long user, String time, String referrer, String landingQuery, String utmSource, String utmMedium) {
    return new Object[] {
      id, user, time == null ? null : at(time), "web", "Mac OS X", "Desktop", "MacBook", "United States",
      "California", "San Francisco", "127.0.0.1", referrer, "/", landingQuery, null, "Chrome", utmSource,
      "spring", utmMedium, null, null
    };
  }
}
