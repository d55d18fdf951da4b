package io.heapsdk.engines;

import static io.heapsdk.source.SourceCatalog.ALL_EVENTS;
import static io.heapsdk.source.SourceCatalog.PAGEVIEWS;
import static io.heapsdk.source.SourceCatalog.SESSIONS;
import static io.heapsdk.source.SourceCatalog.USERS;
import static io.heapsdk.source.SourceCatalog.USER_MIGRATIONS;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.source.SourceTable;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A second batch of Heap source rows, written by hand on top of a generated first batch, for one
 * incremental round: returning users with new sessions (one with a 40-minute gap, so two inactivity
 * sessions), new users, an event arriving late into an old session of a user with nothing else new, a
 * resynced duplicate of the newest event with a later time, an anonymous new user identifying as an
 * existing one, and the end of the first batch's merge chain merging on into a new user.
 */
final class SecondBatch {
  private final HeapConfig config;
  private final Map<String, List<Object[]>> first;
  private final Map<String, List<Object[]>> rows = new LinkedHashMap<>();
  private long nextSessionId;
  private long nextEventId;

  /** Events of the batch that are new events (not the resent duplicate): the events fact grows by this. */
  private int newEvents;

  private SecondBatch(HeapConfig config, Map<String, List<Object[]>> first) {
    this.config = config;
    this.first = first;
    for (SourceTable t : config.catalog().tables()) {
      rows.put(t.name(), new ArrayList<>());
    }
    nextSessionId = max(SESSIONS, "session_id") + 100;
    nextEventId = Math.max(max(ALL_EVENTS, "event_id"), max(PAGEVIEWS, "event_id")) + 100;
  }

  /** The batch's rows per Heap table, in catalog column order. */
  static SecondBatch after(HeapConfig config, Map<String, List<Object[]>> first) {
    SecondBatch b = new SecondBatch(config, first);
    b.build();
    return b;
  }

  Map<String, List<Object[]>> rows() {
    return rows;
  }

  int newEvents() {
    return newEvents;
  }

  /** The newest event of the first batch, whose resent copy this batch holds 30 seconds later. */
  long resentEventId() {
    return (Long) newest(ALL_EVENTS)[index(ALL_EVENTS, "event_id")];
  }

  LocalDateTime resentEventTime() {
    return ((LocalDateTime) newest(ALL_EVENTS)[index(ALL_EVENTS, "time")]).plusSeconds(30);
  }

  private void build() {
    LocalDateTime last = (LocalDateTime) newest(ALL_EVENTS)[index(ALL_EVENTS, "time")];
    List<Object[]> users = first.get(USERS);
    List<Long> existing = new ArrayList<>();
    for (Object[] u : users) {
      long id = (Long) u[index(USERS, "user_id")];
      if (!existing.contains(id)) {
        existing.add(id);
      }
      // five return or arrive late; the last two are merged into each other
      if (existing.size() == 7) {
        break;
      }
    }
    long newUserBase = max(USERS, "user_id") + 1_000;
    List<Long> fresh = List.of(newUserBase + 1, newUserBase + 2, newUserBase + 3);
    for (long id : fresh) {
      add(USERS, Map.of("user_id", id, "joindate", last.plusHours(1), "last_modified", last.plusHours(5)));
    }

    String[] referrers = {
      "https://www.google.com/", null, "https://www.bing.com/search?q=boots", "https://blog.example.com/post",
      "https://m.facebook.com/", "https://duckduckgo.com/", "https://news.example.org/"
    };
    List<Long> visitors = new ArrayList<>(existing.subList(0, 4));
    visitors.addAll(fresh);
    for (int i = 0; i < visitors.size(); i++) {
      String referrer = referrers[i];
      String source = referrer == null ? null : referrer.contains("bing") ? "bing" : referrer.contains("facebook") ? "facebook" : null;
      String medium = source == null ? null : "cpc";
      visit(visitors.get(i), last.plusHours(1).plusMinutes(7L * i).plusNanos(123_000_000L * i), referrer, source, medium,
          i == 0 ? "?gclid=abc" : null, i % 2 == 0, i == 1);
    }

    // a late event into the newest old session of a user with nothing else new, inside the lookback
    long lateUser = existing.get(4);
    Object[] oldSession =
        first.get(SESSIONS).stream()
            .filter(s -> s[index(SESSIONS, "user_id")].equals(lateUser))
            .max(Comparator.comparing(s -> (LocalDateTime) s[index(SESSIONS, "time")]))
            .orElseThrow();
    event(lateUser, (Long) oldSession[index(SESSIONS, "session_id")], last.minusHours(12), "add_to_cart");

    // Heap resyncs the newest event with a later time: deduplication keeps the later row
    Object[] resent = newest(ALL_EVENTS).clone();
    resent[index(ALL_EVENTS, "time")] = resentEventTime();
    rows.get(ALL_EVENTS).add(resent);

    // the anonymous new user identifies as a returning one; the first batch's chain goes on a step
    List<Object[]> migrations = first.get(USER_MIGRATIONS);
    add(USER_MIGRATIONS, Map.of("from_user_id", fresh.get(0), "to_user_id", existing.get(2), "time", last.plusHours(2)));
    if (migrations.size() >= 2) {
      Object chainEnd = migrations.get(1)[index(USER_MIGRATIONS, "to_user_id")];
      add(USER_MIGRATIONS, Map.of("from_user_id", chainEnd, "to_user_id", fresh.get(2), "time", last.plusHours(3)));
    }
    // cycles: the returning user merged back into the new one (its latest merge wins: both become the
    // new user), and two users merged into each other at the same time (the greater id's merge counts
    // as the later)
    add(USER_MIGRATIONS, Map.of("from_user_id", existing.get(2), "to_user_id", fresh.get(0), "time", last.plusHours(4)));
    add(USER_MIGRATIONS, Map.of("from_user_id", existing.get(5), "to_user_id", existing.get(6), "time", last.plusHours(5)));
    add(USER_MIGRATIONS, Map.of("from_user_id", existing.get(6), "to_user_id", existing.get(5), "time", last.plusHours(5)));
  }

  /**
   * A session of four pageviews (the last 40 minutes after the third: a new inactivity session), with
   * {@code view_product} and {@code add_to_cart}, and {@code purchase} or {@code sign_up} when asked.
   */
  private void visit(
      long user, LocalDateTime start, String referrer, String source, String medium, String landingQuery,
      boolean purchase, boolean signUp) {
    long session = nextSessionId++;
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("session_id", session);
    s.put("user_id", user);
    s.put("time", start);
    s.put("library", "web");
    s.put("platform", "Linux");
    s.put("device_type", "Desktop");
    s.put("country", "Ireland");
    s.put("city", "Dublin");
    s.put("referrer", referrer);
    s.put("landing_page", "www.example.com/products/boots");
    s.put("landing_page_query", landingQuery);
    s.put("browser", "Firefox");
    s.put("utm_source", source);
    s.put("utm_medium", medium);
    add(SESSIONS, s);
    long[] minutes = {0, 5, 10, 50};
    String[] paths = {"/products/boots", "/cart", "/checkout", "/products/socks"};
    for (int p = 0; p < minutes.length; p++) {
      LocalDateTime at = start.plusMinutes(minutes[p]);
      long id = nextEventId++;
      Map<String, Object> pv = new LinkedHashMap<>();
      pv.put("event_id", id);
      pv.put("user_id", user);
      pv.put("session_id", session);
      pv.put("time", at);
      pv.put("domain", "www.example.com");
      pv.put("path", paths[p]);
      pv.put("title", "It's \"batch two\" – page " + p);
      pv.put("page_category", p == 1 ? "cart" : "product");
      pv.put("ab_variant", p % 2 == 0 ? "A" : null);
      add(PAGEVIEWS, pv);
      eventRow(id, user, session, at, "pageviews");
    }
    event(user, session, start.plusMinutes(5).plusSeconds(10), "view_product");
    event(user, session, start.plusMinutes(10).plusSeconds(20), "add_to_cart");
    if (purchase) {
      event(user, session, start.plusMinutes(10).plusSeconds(40), "purchase");
    }
    if (signUp) {
      event(user, session, start.plusMinutes(11), "sign_up");
    }
  }

  private void event(long user, long session, LocalDateTime at, String name) {
    eventRow(nextEventId++, user, session, at, name);
  }

  private void eventRow(long id, long user, long session, LocalDateTime at, String name) {
    add(ALL_EVENTS, Map.of("event_id", id, "user_id", user, "session_id", session, "time", at, "event_table_name", name));
    newEvents++;
  }

  /** A row from logical column values; the table's other columns (pass-through properties too) NULL. */
  private void add(String table, Map<String, Object> values) {
    SourceTable t = config.catalog().table(table);
    Object[] row = new Object[t.columns().size()];
    values.forEach(
        (column, value) -> {
          int i = t.columnNames().indexOf(column);
          if (i >= 0) {
            row[i] = value;
          }
        });
    rows.get(table).add(row);
  }

  private int index(String table, String column) {
    int i = config.catalog().table(table).columnNames().indexOf(column);
    if (i < 0) {
      throw new IllegalStateException(table + " has no column " + column);
    }
    return i;
  }

  private long max(String table, String column) {
    int i = index(table, column);
    return first.get(table).stream().mapToLong(r -> (Long) r[i]).max().orElse(0);
  }

  /** The row with the latest time (then the highest event id), of a table with a time column. */
  private Object[] newest(String table) {
    int time = index(table, "time");
    int id = index(table, "event_id");
    return first.get(table).stream()
        .filter(r -> r[time] != null)
        .max(Comparator.comparing((Object[] r) -> (LocalDateTime) r[time]).thenComparing(r -> (Long) r[id]))
        .orElseThrow();
  }
}
