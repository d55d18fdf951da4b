package io.heapsdk.sample;

import static io.heapsdk.source.SourceCatalog.ALL_EVENTS;
import static io.heapsdk.source.SourceCatalog.PAGEVIEWS;
import static io.heapsdk.source.SourceCatalog.SESSIONS;
import static io.heapsdk.source.SourceCatalog.USERS;
import static io.heapsdk.source.SourceCatalog.USER_MIGRATIONS;

import io.heapsdk.sample.Audience.Device;
import io.heapsdk.sample.Audience.Place;
import io.heapsdk.sample.Site.Page;
import io.heapsdk.sample.Traffic.Visit;
import io.heapsdk.source.SourceCatalog;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * One run of the sample-data walk: users one after another, each with their sessions, pageviews and
 * events, then the identity merges. Every decision is drawn from one {@link Random} seeded with the
 * sample's seed, in a fixed order, which is what makes the output depend on nothing else. Later batches
 * ({@link LaterBatchGenerator}) reuse its users, sessions and events with their own random stream and
 * the ids where the earlier batches stopped. Not thread-safe; one per generated batch.
 */
final class SampleGenerator {
  // Heap's ids are large numbers; separate ranges keep every table's ids apart and easy to tell
  static final long USER_ID_BASE = 1_000_000_000_000L;
  static final long SESSION_ID_BASE = 3_000_000_000_000L;
  static final long EVENT_ID_BASE = 5_000_000_000_000L;

  private static final Duration TIMEOUT = Duration.ofMinutes(30);
  private static final double DUPLICATE = 0.01;
  private static final double LOST_TIME = 0.003;
  static final double IDENTIFIED = 0.3;
  private static final double SIGN_UP = 0.06;
  private static final double DEVICE_SWITCH = 0.15;
  /** Chance that a session reaching funnel step i also reaches step i + 1 (step 0 = the session itself). */
  private static final double[] FUNNEL_CONTINUES = {0.45, 0.45, 0.6, 0.7};

  /** The ids a batch continues from: the last ones issued (the bases before the first batch). */
  record Ids(long lastUserId, long lastSessionId, long lastEventId, int sessionsSoFar) {
    static final Ids FIRST = new Ids(USER_ID_BASE, SESSION_ID_BASE, EVENT_ID_BASE, 0);
  }

  /**
   * When a new user's visits happen: the first in {@code [from, from + windowSeconds)}, the number of
   * visits drawn with {@code visitWeights} (index 0 = one visit), each later one an hour plus up to
   * {@code maxGapSeconds} after the previous one.
   */
  record Pacing(LocalDateTime from, int windowSeconds, int[] visitWeights, int maxGapSeconds) {}

  /** When a user's first visit started and their last activity happened. */
  record Seen(LocalDateTime first, LocalDateTime last) {}

  private final Random rnd;
  private final SampleData.RowSink sink;
  private final int users;
  private final LocalDateTime start;
  private final TableLayout userRows;
  private final TableLayout sessionRows;
  private final TableLayout pageviewRows;
  private final TableLayout eventRows;
  private final TableLayout migrationRows;

  private long lastUserId;
  private long lastSessionId;
  private long lastEventId;
  private int sessionsSoFar;
  /** Over how many days the first batch's users arrive. */
  private int days = SampleData.DEFAULT_DAYS;

  SampleGenerator(SourceCatalog catalog, int users, long seed, LocalDateTime start, int days, SampleData.RowSink sink) {
    this(catalog, users, new Random(seed), start, Ids.FIRST, sink);
    this.days = days;
  }

  /** A generator for a later batch: its own random stream, ids continuing from {@code ids}. */
  SampleGenerator(SourceCatalog catalog, Random rnd, Ids ids, SampleData.RowSink sink) {
    this(catalog, 0, rnd, null, ids, sink);
  }

  private SampleGenerator(
      SourceCatalog catalog, int users, Random rnd, LocalDateTime start, Ids ids, SampleData.RowSink sink) {
    this.rnd = rnd;
    this.sink = sink;
    this.users = users;
    this.start = start;
    this.lastUserId = ids.lastUserId();
    this.lastSessionId = ids.lastSessionId();
    this.lastEventId = ids.lastEventId();
    this.sessionsSoFar = ids.sessionsSoFar();
    this.userRows = new TableLayout(catalog, USERS, "user_id", "joindate", "last_modified", "identity");
    this.sessionRows =
        new TableLayout(
            catalog, SESSIONS, "session_id", "user_id", "time", "library", "platform", "device_type", "device",
            "country", "region", "city", "ip", "referrer", "landing_page", "landing_page_query",
            "landing_page_hash", "browser", "utm_source", "utm_campaign", "utm_medium", "utm_term", "utm_content");
    this.pageviewRows =
        new TableLayout(
            catalog, PAGEVIEWS, "event_id", "user_id", "session_id", "time", "domain", "path", "query", "hash",
            "title", "previous_page");
    this.eventRows = new TableLayout(catalog, ALL_EVENTS, "event_id", "user_id", "session_id", "time", "event_table_name");
    this.migrationRows = new TableLayout(catalog, USER_MIGRATIONS, "from_user_id", "to_user_id", "time");
  }

  /** The first batch: {@code users} users arriving over {@code days} days from {@code start}, then their merges. */
  void run() {
    long[] ids = new long[users];
    for (int i = 0; i < users; i++) {
      ids[i] = newUserId();
    }
    List<int[]> merges = planMerges();
    int[] mergedInto = new int[users];
    Arrays.fill(mergedInto, -1);
    boolean[] mergeTarget = new boolean[users];
    for (int[] m : merges) {
      mergedInto[m[0]] = m[1];
      mergeTarget[m[1]] = true;
    }
    LocalDateTime[] firstSeen = new LocalDateTime[users];
    LocalDateTime[] lastSeen = new LocalDateTime[users];
    Pacing pacing = new Pacing(start, days * 86_400, new int[] {40, 25, 17, 11, 7}, 3 * 86_400);
    for (int i = 0; i < users; i++) {
      String identity = identity(i, mergedInto, mergeTarget);
      Seen seen = user(ids[i], identity, pacing);
      firstSeen[i] = seen.first();
      lastSeen[i] = seen.last();
    }
    migrations(merges, ids, firstSeen, lastSeen);
  }

  /** The next user id: ids grow by 1 to 997, so ids of later batches never collide with earlier ones. */
  long newUserId() {
    return lastUserId += 1 + rnd.nextInt(997);
  }

  /**
   * Identity merges: one chain a→b, b→c, then about one merge per hundred users, each from an anonymous
   * user into an identified one, as {from index, to index} in the order they happen.
   */
  private List<int[]> planMerges() {
    List<int[]> merges = new ArrayList<>();
    if (users < 3) {
      return merges;
    }
    boolean[] taken = new boolean[users];
    int a = untaken(taken);
    int b = untaken(taken);
    int c = untaken(taken);
    merges.add(new int[] {a, b});
    merges.add(new int[] {b, c});
    int pairs = Math.min(users / 100, (users - 3) / 2);
    for (int k = 0; k < pairs; k++) {
      merges.add(new int[] {untaken(taken), untaken(taken)});
    }
    return merges;
  }

  private int untaken(boolean[] taken) {
    int i;
    do {
      i = rnd.nextInt(users);
    } while (taken[i]);
    taken[i] = true;
    return i;
  }

  /**
   * Merge sources stay anonymous; merge targets are identified, a chain's middle user with the identity
   * of the user it ends in (that shared identity is why Heap merges them).
   */
  private String identity(int index, int[] mergedInto, boolean[] mergeTarget) {
    // drawn for every user, merged or not, so that each user consumes the same draws
    boolean identified = Pick.chance(rnd, IDENTIFIED);
    if (mergeTarget[index]) {
      int owner = index;
      while (mergedInto[owner] >= 0) {
        owner = mergedInto[owner];
      }
      return Audience.email(owner);
    }
    return mergedInto[index] < 0 && identified ? Audience.email(index) : null;
  }

  /** A new user: their visits as {@code pacing} says, then their users row (sometimes twice). */
  Seen user(long userId, String identity, Pacing pacing) {
    Device device = Pick.one(rnd, Audience.DEVICES);
    Place place = Pick.one(rnd, Audience.PLACES);
    String ip = Audience.ip(rnd);
    int sessions = 1 + Pick.weighted(rnd, pacing.visitWeights());
    LocalDateTime first = pacing.from().plusSeconds(rnd.nextInt(pacing.windowSeconds())).plusNanos(millis(rnd.nextInt(1000)));
    LocalDateTime sessionStart = first;
    LocalDateTime last = first;
    for (int s = 0; s < sessions; s++) {
      if (s > 0) {
        // a later visit: an hour to (in the first batch) three days after the previous one ended
        sessionStart = last.plusSeconds(3_600 + rnd.nextInt(pacing.maxGapSeconds())).plusNanos(millis(rnd.nextInt(1000)));
      }
      last = visit(userId, sessionStart, device, place, ip, Integer.MAX_VALUE);
    }
    LocalDateTime modified = last.plusSeconds(rnd.nextInt(3 * 3_600));
    Object[] row = userRows.row(new Properties(userId, null, null, modified), userId, first, modified, identity);
    sink.accept(USERS, row);
    if (Pick.chance(rnd, DUPLICATE)) {
      // Heap resyncs leave a second row for the user, modified later
      Object[] again = row.clone();
      again[userRows.index("last_modified")] = modified.plusDays(1 + rnd.nextInt(10));
      sink.accept(USERS, again);
    }
    return new Seen(first, last);
  }

  /**
   * A user's visit from their usual place, sometimes on another device; at most {@code maxPages} pages.
   * Returns the time of its last activity.
   */
  LocalDateTime visit(long userId, LocalDateTime at, Device device, Place place, String ip, int maxPages) {
    Device d = Pick.chance(rnd, DEVICE_SWITCH) ? Pick.one(rnd, Audience.DEVICES) : device;
    return session(userId, at, d, place, ip, maxPages);
  }

  /** Emits one session with its pageviews and events; returns the time of its last activity. */
  private LocalDateTime session(long userId, LocalDateTime at, Device device, Place place, String ip, int maxPages) {
    long sessionId = lastSessionId += 1 + rnd.nextInt(97);
    // the first sessions walk through the whole traffic mix, so even a tiny sample hits every channel
    Traffic traffic =
        sessionsSoFar < Traffic.MIX.size() ? Traffic.MIX.get(sessionsSoFar) : Traffic.pick(rnd);
    sessionsSoFar++;
    Visit visit = traffic.visit(rnd);
    List<Page> pages = pages(visit);
    if (pages.size() > maxPages) {
      // cut after drawing: a short visit consumes the same draws as a full one up to here
      pages = pages.subList(0, maxPages);
    }
    Page landing = pages.get(0);
    emitWithDuplicate(
        sessionRows,
        sessionRows.row(
            new Properties(userId, landing.category(), visit, at), sessionId, userId, at, device.library(), device.platform(), device.deviceType(),
            device.device(), place.country(), place.region(), place.city(), ip, visit.referrer(),
            Site.DOMAIN + landing.path(), landing.query(), landing.hash(), device.browser(), visit.utmSource(),
            visit.utmCampaign(), visit.utmMedium(), visit.utmTerm(), visit.utmContent()));
    LocalDateTime time = at;
    LocalDateTime last = at;
    for (int p = 0; p < pages.size(); p++) {
      if (p > 0) {
        time = time.plus(pageGap());
      }
      Page page = pages.get(p);
      String previous = p == 0 ? visit.referrer() : pages.get(p - 1).url();
      long pageviewId = nextEventId();
      // a few pageviews lose their time in the sync; all_events, whose time is never NULL, keeps it
      LocalDateTime pageviewTime = Pick.chance(rnd, LOST_TIME) ? null : time;
      emitWithDuplicate(
          pageviewRows,
          pageviewRows.row(
              new Properties(userId, page.category(), visit, pageviewTime), pageviewId, userId, sessionId,
              pageviewTime, Site.DOMAIN, page.path(), page.query(), page.hash(), page.title(), previous));
      event(pageviewId, userId, sessionId, time, "pageviews");
      last = max(last, namedEvent(page, userId, sessionId, time));
    }
    return max(last, time);
  }

  /**
   * The session's pages: browsing, with the funnel steps it reaches on consecutive pages somewhere in it,
   * and a sign-up page at the end for some. The landing page carries the visit's tags.
   */
  private List<Page> pages(Visit visit) {
    int depth = 0;
    while (depth < FUNNEL_CONTINUES.length && Pick.chance(rnd, FUNNEL_CONTINUES[depth])) {
      depth++;
    }
    boolean signUp = Pick.chance(rnd, SIGN_UP);
    int browsing = 1;
    while (browsing < 12 && Pick.chance(rnd, 0.6)) {
      browsing++;
    }
    int count = Math.max(browsing, depth);
    int funnelFrom = rnd.nextInt(count - depth + 1);
    List<Page> pages = new ArrayList<>(count + 1);
    for (int p = 0; p < count; p++) {
      boolean inFunnel = p >= funnelFrom && p < funnelFrom + depth;
      pages.add(inFunnel ? Site.funnelPage(rnd, p - funnelFrom + 1) : Site.browse(rnd));
    }
    if (signUp) {
      pages.add(Site.signUp());
    }
    if (visit.landingQuery() != null) {
      pages.set(0, pages.get(0).withQuery(visit.landingQuery()));
    }
    return pages;
  }

  /**
   * The time to the next pageview: mostly a few minutes, sometimes exactly the 30-minute timeout (no
   * new session), the timeout plus a millisecond (a new session), hours, or nothing at all.
   */
  private Duration pageGap() {
    switch (Pick.weighted(rnd, 910, 20, 25, 25, 20)) {
      case 0:
        return Duration.ofSeconds(5 + rnd.nextInt(8 * 60)).plusMillis(rnd.nextInt(1000));
      case 1:
        return Duration.ZERO;
      case 2:
        return TIMEOUT;
      case 3:
        return TIMEOUT.plusMillis(1);
      default:
        return Duration.ofHours(1 + rnd.nextInt(4)).plusSeconds(rnd.nextInt(3_600));
    }
  }

  /**
   * The event a page fires, seconds after it is viewed; product pages browsed outside the funnel fire
   * {@code view_product} only half the time, as lazy tracking does. Returns the time of the event.
   */
  private LocalDateTime namedEvent(Page page, long userId, long sessionId, LocalDateTime viewed) {
    String name = page.event();
    if (name == null && page.category().equals("product") && Pick.chance(rnd, 0.5)) {
      name = SampleData.FUNNEL_EVENTS.get(0);
    } else if (name == null && page.category().equals("pricing") && Pick.chance(rnd, 0.3)) {
      name = "click_cta";
    }
    if (name == null) {
      return viewed;
    }
    LocalDateTime at = viewed.plusSeconds(1 + rnd.nextInt(60)).plusNanos(millis(rnd.nextInt(1000)));
    event(nextEventId(), userId, sessionId, at, name);
    return at;
  }

  /** Emits one event (sometimes twice, as Heap's syncs do). */
  void event(long eventId, long userId, long sessionId, LocalDateTime time, String name) {
    emitWithDuplicate(eventRows, eventRows.row(new Properties(userId, null, null, time), eventId, userId, sessionId, time, name));
  }

  private void migrations(List<int[]> merges, long[] ids, LocalDateTime[] firstSeen, LocalDateTime[] lastSeen) {
    LocalDateTime[] identifiedAt = new LocalDateTime[users];
    for (int[] m : merges) {
      int from = m[0];
      int to = m[1];
      // the anonymous user identifies after both were seen, and after any merge into them
      LocalDateTime at = max(lastSeen[from], firstSeen[to]).plusMinutes(1 + rnd.nextInt(30));
      if (identifiedAt[from] != null) {
        at = max(at, identifiedAt[from].plusMinutes(1));
      }
      identifiedAt[to] = at;
      sink.accept(USER_MIGRATIONS, migrationRows.row(Properties.NONE, ids[from], ids[to], at));
    }
  }

  /** Emits a row and, about one time in a hundred, a second row with its id: identical, or seen later. */
  private void emitWithDuplicate(TableLayout layout, Object[] row) {
    sink.accept(layout.table(), row);
    if (Pick.chance(rnd, DUPLICATE)) {
      Object[] again = row.clone();
      int time = layout.index("time");
      if (Pick.chance(rnd, 0.5) && again[time] != null) {
        again[time] = ((LocalDateTime) again[time]).plusSeconds(1 + rnd.nextInt(120));
      }
      sink.accept(layout.table(), again);
    }
  }

  /** Emits one {@code user_migrations} row. */
  void migration(long fromUserId, long toUserId, LocalDateTime at) {
    sink.accept(USER_MIGRATIONS, migrationRows.row(Properties.NONE, fromUserId, toUserId, at));
  }

  /** Emits a row as it is: a re-synced copy of an earlier row. */
  void emit(String table, Object[] row) {
    sink.accept(table, row);
  }

  long nextEventId() {
    return lastEventId += 1 + rnd.nextInt(31);
  }

  static long millis(int ms) {
    return ms * 1_000_000L;
  }

  private static LocalDateTime max(LocalDateTime a, LocalDateTime b) {
    return a.isAfter(b) ? a : b;
  }
}
