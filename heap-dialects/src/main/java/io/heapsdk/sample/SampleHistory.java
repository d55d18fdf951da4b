package io.heapsdk.sample;

import static io.heapsdk.source.SourceCatalog.ALL_EVENTS;
import static io.heapsdk.source.SourceCatalog.PAGEVIEWS;
import static io.heapsdk.source.SourceCatalog.SESSIONS;
import static io.heapsdk.source.SourceCatalog.USERS;
import static io.heapsdk.source.SourceCatalog.USER_MIGRATIONS;

import io.heapsdk.sample.Audience.Device;
import io.heapsdk.sample.Audience.Place;
import io.heapsdk.source.SourceCatalog;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * What the source tables hold after the batches loaded so far, learnt by watching their rows stream
 * past: the last ids issued, every user and whether a merge took them away, the newest time per table,
 * recent rows and a uniform sample of all rows. A later batch is generated from it, so that it never
 * reuses an id, brings back users who exist, and dates its late rows against the facts' high-water
 * mark. Not thread-safe; one per generated batch.
 */
final class SampleHistory implements SampleData.RowSink {
  /** How far back from the newest time recent rows are kept: more than the late rows ever reach. */
  private static final long KEEP_SECONDS = 4 * 86_400L;

  /** Rows in the uniform sample that identical re-syncs are drawn from. */
  private static final int RESERVOIR = 1_024;

  /** The event tables: the ones with a session, a user and a time per row. */
  static final List<String> EVENT_TABLES = List.of(SESSIONS, PAGEVIEWS, ALL_EVENTS);

  /** One user as the rows show them: usual device, place and IP (of their first session), identity. */
  static final class User {
    final long id;
    Device device;
    Place place;
    String ip;
    boolean identified;
    boolean live = true;

    User(long id) {
      this.id = id;
    }
  }

  /** One row of a Heap table, kept for re-syncs. */
  record Kept(String table, Object[] row) {}

  private final Map<String, TableLayout> layouts = new HashMap<>();
  private final Map<Long, User> users = new LinkedHashMap<>();
  private final Map<String, Long> counts = new LinkedHashMap<>();
  private final Map<String, LocalDateTime> newest = new HashMap<>();
  private final Map<String, List<Object[]>> recent = new HashMap<>();
  private final Map<String, Integer> pruneAt = new HashMap<>();
  private final List<Kept> reservoir = new ArrayList<>();
  private final Random reservoirDraws;
  private long seenForReservoir;
  private LocalDateTime latest;
  private long lastUserId = SampleGenerator.USER_ID_BASE;
  private long lastSessionId = SampleGenerator.SESSION_ID_BASE;
  private long lastEventId = SampleGenerator.EVENT_ID_BASE;
  private int sessions;

  SampleHistory(SourceCatalog catalog, long seed) {
    // a stream of its own: watching rows must not change what any batch draws
    this.reservoirDraws = new Random(SampleData.mix(seed, -1));
    layouts.put(USERS, new TableLayout(catalog, USERS, "user_id", "identity"));
    layouts.put(
        SESSIONS,
        new TableLayout(
            catalog, SESSIONS, "session_id", "user_id", "time", "library", "platform", "device_type", "device",
            "browser", "country", "region", "city", "ip"));
    layouts.put(PAGEVIEWS, new TableLayout(catalog, PAGEVIEWS, "event_id", "user_id", "session_id", "time"));
    layouts.put(ALL_EVENTS, new TableLayout(catalog, ALL_EVENTS, "event_id", "user_id", "session_id", "time"));
    layouts.put(USER_MIGRATIONS, new TableLayout(catalog, USER_MIGRATIONS, "from_user_id", "to_user_id", "time"));
    for (String table : catalog.tableNames()) {
      counts.put(table, 0L);
    }
    for (String table : EVENT_TABLES) {
      recent.put(table, new ArrayList<>());
      pruneAt.put(table, 10_000);
    }
  }

  @Override
  public void accept(String table, Object[] row) {
    counts.merge(table, 1L, Long::sum);
    TableLayout l = layouts.get(table);
    switch (table) {
      case USERS -> {
        long id = (Long) row[l.index("user_id")];
        lastUserId = Math.max(lastUserId, id);
        user(id).identified |= row[l.index("identity")] != null;
      }
      case USER_MIGRATIONS -> {
        // the anonymous id is gone: nothing new happens under it any more
        user((Long) row[l.index("from_user_id")]).live = false;
        newer(table, (LocalDateTime) row[l.index("time")]);
      }
      default -> event(table, l, row);
    }
  }

  private void event(String table, TableLayout l, Object[] row) {
    LocalDateTime time = (LocalDateTime) row[l.index("time")];
    if (table.equals(SESSIONS)) {
      long id = (Long) row[l.index("session_id")];
      if (id > lastSessionId) {
        lastSessionId = id;
        sessions++;
      }
      User u = user((Long) row[l.index("user_id")]);
      if (u.device == null) {
        u.device =
            new Device(
                (String) row[l.index("library")], (String) row[l.index("platform")], (String) row[l.index("device_type")],
                (String) row[l.index("device")], (String) row[l.index("browser")]);
        u.place = new Place((String) row[l.index("country")], (String) row[l.index("region")], (String) row[l.index("city")]);
        u.ip = (String) row[l.index("ip")];
      }
    } else {
      lastEventId = Math.max(lastEventId, (Long) row[l.index("event_id")]);
    }
    sample(table, row);
    if (time == null) {
      return;
    }
    newer(table, time);
    List<Object[]> kept = recent.get(table);
    if (!time.isBefore(latest.minusSeconds(KEEP_SECONDS))) {
      kept.add(row.clone());
    }
    if (kept.size() >= pruneAt.get(table)) {
      // the newest time only grows, so rows too old now are too old for good
      LocalDateTime cut = latest.minusSeconds(KEEP_SECONDS);
      kept.removeIf(r -> ((LocalDateTime) r[l.index("time")]).isBefore(cut));
      pruneAt.put(table, Math.max(10_000, 2 * kept.size()));
    }
  }

  /** Algorithm R: after n rows, each of them is in the sample with the same chance. */
  private void sample(String table, Object[] row) {
    seenForReservoir++;
    if (reservoir.size() < RESERVOIR) {
      reservoir.add(new Kept(table, row.clone()));
    } else {
      long j = (long) (reservoirDraws.nextDouble() * seenForReservoir);
      if (j < RESERVOIR) {
        reservoir.set((int) j, new Kept(table, row.clone()));
      }
    }
  }

  private void newer(String table, LocalDateTime time) {
    newest.merge(table, time, (a, b) -> a.isAfter(b) ? a : b);
    if (latest == null || time.isAfter(latest)) {
      latest = time;
    }
  }

  private User user(long id) {
    return users.computeIfAbsent(id, User::new);
  }

  /**
   * A merge done the Heap way: every row of {@code from} now belongs to {@code to}, and {@code from}
   * is gone. Kept rows are rewritten too, so a re-sync copies what the table holds.
   */
  void merged(long from, long to) {
    user(from).live = false;
    for (String table : EVENT_TABLES) {
      int i = layouts.get(table).index("user_id");
      for (Object[] r : recent.get(table)) {
        if (r[i].equals(from)) {
          r[i] = to;
        }
      }
    }
    for (Kept k : reservoir) {
      if (EVENT_TABLES.contains(k.table())) {
        int i = layouts.get(k.table()).index("user_id");
        if (k.row()[i].equals(from)) {
          k.row()[i] = to;
        }
      }
    }
  }

  /** Users no merge took away, in the order they first appeared. */
  List<User> liveUsers() {
    return users.values().stream().filter(u -> u.live).toList();
  }

  User userOf(long id) {
    return users.get(id);
  }

  /** Every user seen so far, merged away or not. */
  int userCount() {
    return users.size();
  }

  /** Rows per table so far, in catalog order. */
  Map<String, Long> counts() {
    return new LinkedHashMap<>(counts);
  }

  /** The newest time of any event table or merge: later activity starts after it (null: no rows). */
  LocalDateTime latest() {
    return latest;
  }

  /**
   * The high-water mark an incremental run would compute from facts built on these rows: the oldest of
   * the newest times of all_events, pageviews and sessions (deduplication keeps the latest time of a
   * key, so a table's newest time is its fact's); null when one of them has no timed row.
   */
  LocalDateTime mark() {
    LocalDateTime mark = null;
    for (String table : EVENT_TABLES) {
      LocalDateTime t = newest.get(table);
      if (t == null) {
        return null;
      }
      mark = mark == null || t.isBefore(mark) ? t : mark;
    }
    return mark;
  }

  /** Kept rows of an event table with a time at or after {@code since}, in the order they came. */
  List<Object[]> recentRows(String table, LocalDateTime since) {
    int t = layouts.get(table).index("time");
    return recent.get(table).stream().filter(r -> !((LocalDateTime) r[t]).isBefore(since)).toList();
  }

  /** The uniform sample of event-table rows (copies; rewritten by later merges). */
  List<Kept> sample() {
    return List.copyOf(reservoir);
  }

  int index(String table, String column) {
    return layouts.get(table).index(column);
  }

  SampleGenerator.Ids ids() {
    return new SampleGenerator.Ids(lastUserId, lastSessionId, lastEventId, sessions);
  }
}
