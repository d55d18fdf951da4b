package io.heapsdk.incremental;

import io.heapsdk.testing.Rows;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random Heap Connect histories for the incremental property: batches of new and returning users,
 * sessions straddling batch boundaries, pageview gaps around the 30-minute timeout, late events inside
 * the lookback, duplicate rows, and identity merges (Heap rewriting user ids, chains included). Fully
 * determined by its seed.
 */
final class RandomHistory {
  /** Where a batch's rows go. */
  interface Sink {
    void insert(String table, List<Object[]> rows);

    /** An H2 statement (rewriting user ids), only with {@code rewriteIds}. */
    void execute(String sql);
  }

  private static final LocalDateTime START = LocalDateTime.of(2024, 3, 1, 0, 0);
  private static final Duration[] GAPS = {
    Duration.ofSeconds(5), Duration.ofMinutes(3), Duration.ofMinutes(29).plusSeconds(59).plusMillis(999),
    Duration.ofMinutes(30), Duration.ofMinutes(30).plusMillis(1), Duration.ofHours(2), Duration.ZERO
  };
  private static final String[] EVENTS = {"a", "b", "c", "z", "other"};

  private final Random random;
  private final List<Long> users = new ArrayList<>();
  private final Map<Long, Long> lastSession = new HashMap<>();
  private final Map<Long, LocalDateTime> lastTime = new HashMap<>();
  private final List<Object[]> pageviewsSoFar = new ArrayList<>();
  private long nextUser = 1;
  private long nextSession = 1000;
  private long nextEvent = 1;

  private final boolean rewriteIds;
  /** Ids merged so far, for {@link #withReMerges}. */
  private final List<Long> merged = new ArrayList<>();
  /** The latest merge of each id, for {@link #withCycles}. */
  private final Map<Long, Long> mergedInto = new HashMap<>();
  private boolean reMerges;
  private boolean cycles;

  /**
   * @param lookbackDays the late-arrival lookback: late rows stay inside it, as SPEC §3's invariant
   *     requires
   * @param rewriteIds whether a merge rewrites user ids in the source tables (Heap in Snowflake, BigQuery,
   *     Redshift) or only records the merge (S3 exports, read with identity.resolve_migrations)
   */
  RandomHistory(long seed, boolean rewriteIds, int lookbackDays) {
    this.random = new Random(seed);
    this.rewriteIds = rewriteIds;
    // a batch's rows end at most ~18 hours after its base time, so the facts' high-water mark is at
    // least 6 hours before the next base: rows later than base - (lookback - 12 hours) are inside it
    this.lateHours = lookbackDays * 24 - 12;
  }

  private final int lateHours;

  /**
   * The same, and now and then an id merged before is merged again, into another user (S3 exports only:
   * the identity map follows the latest row). Off by default, so that the histories of a given seed stay
   * as they were for the tests that name one.
   */
  RandomHistory withReMerges() {
    if (rewriteIds) {
      throw new IllegalStateException("an id Heap rewrote is gone from the sources: only recorded merges are merged again");
    }
    reMerges = true;
    return this;
  }

  /**
   * The same, and now and then the user an id's merges lead to is merged back into that id, closing a
   * cycle; the id is a user again (the cycle's latest merge wins). S3 exports only, as re-merges.
   */
  RandomHistory withCycles() {
    if (rewriteIds) {
      throw new IllegalStateException("an id Heap rewrote is gone from the sources: only recorded merges make cycles");
    }
    cycles = true;
    return this;
  }

  /** Adds one batch of source rows (and maybe an identity merge) for batch number {@code k}. */
  void addBatch(Sink db, int k) {
    LocalDateTime base = START.plusDays(k);
    List<Object[]> sessions = new ArrayList<>();
    List<Object[]> pageviews = new ArrayList<>();
    List<Object[]> events = new ArrayList<>();
    int active = 1 + random.nextInt(4);
    for (int i = 0; i < active; i++) {
      long user = users.isEmpty() || random.nextInt(3) == 0 ? newUser() : users.get(random.nextInt(users.size()));
      // a session straddles the batch boundary only if it is recent: rows older than the lookback are
      // outside the incremental contract (SPEC §3)
      boolean continueSession =
          lastSession.containsKey(user) && lastTime.get(user).isAfter(base.minusHours(lateHours)) && random.nextBoolean();
      long session = continueSession ? lastSession.get(user) : nextSession++;
      LocalDateTime t =
          continueSession ? lastTime.get(user).plus(GAPS[random.nextInt(GAPS.length)]) : base.plusMinutes(random.nextInt(600));
      if (random.nextInt(5) == 0) {
        // a late event, inside the lookback
        t = base.minusHours(random.nextInt(lateHours));
      }
      if (!continueSession) {
        sessions.add(Rows.session(session, user, iso(t), referrer(), null, source(), medium()));
      }
      int views = 1 + random.nextInt(4);
      for (int v = 0; v < views; v++) {
        long id = nextEvent++;
        Object[] pv = Rows.pageview(id, user, session, iso(t), "/p" + random.nextInt(5));
        pageviews.add(pv);
        pageviewsSoFar.add(pv);
        events.add(Rows.event(id, user, session, iso(t), "pageviews"));
        if (random.nextBoolean()) {
          events.add(Rows.event(nextEvent++, user, session, iso(t.plusSeconds(1)), EVENTS[random.nextInt(EVENTS.length)]));
        }
        t = t.plus(GAPS[random.nextInt(GAPS.length)]);
      }
      lastSession.put(user, session);
      lastTime.put(user, t);
    }
    if (!pageviewsSoFar.isEmpty() && random.nextInt(3) == 0) {
      // a duplicate of an earlier pageview, resynced as it was or with a later time
      Object[] dup = pageviewsSoFar.get(random.nextInt(pageviewsSoFar.size())).clone();
      LocalDateTime time = (LocalDateTime) dup[3];
      // a changed copy counts as a late row: it must be inside the lookback too
      if (random.nextBoolean() && time.isAfter(base.minusHours(lateHours))) {
        dup[3] = ((LocalDateTime) dup[3]).plusSeconds(1 + random.nextInt(100));
        dup[5] = "/resynced";
      }
      pageviews.add(dup);
    }
    db.insert("sessions", sessions);
    db.insert("pageviews", pageviews);
    db.insert("all_events", events);
    if (users.size() >= 2 && random.nextInt(3) == 0) {
      merge(db, base.plusHours(23));
    }
    if (reMerges && !merged.isEmpty() && !users.isEmpty() && random.nextInt(3) == 0) {
      // a later row from an id merged before: its rows leave the user it became then
      long from = merged.get(random.nextInt(merged.size()));
      long to = users.get(random.nextInt(users.size()));
      mergedInto.put(from, to);
      db.insert("user_migrations", List.<Object[]>of(new Object[] {from, to, base.plusHours(23).plusMinutes(30)}));
    }
    if (cycles && !merged.isEmpty() && random.nextInt(3) == 0) {
      closeCycle(db, merged.get(random.nextInt(merged.size())), base.plusHours(23).plusMinutes(45));
    }
  }

  private void closeCycle(Sink db, long id, LocalDateTime when) {
    Long end = id;
    List<Long> seen = new ArrayList<>();
    while (mergedInto.containsKey(end) && !seen.contains(end)) {
      seen.add(end);
      end = mergedInto.get(end);
    }
    if (end == id || !users.contains(end)) {
      return;
    }
    users.remove(end);
    users.add(id);
    merged.remove(Long.valueOf(id));
    merged.add(end);
    lastSession.remove(end);
    lastTime.remove(end);
    mergedInto.put(end, id);
    db.insert("user_migrations", List.<Object[]>of(new Object[] {end, id, when}));
  }

  /** Heap identifies one user as another: user_id is rewritten everywhere and the merge recorded. */
  private void merge(Sink db, LocalDateTime when) {
    long from = users.remove(random.nextInt(users.size()));
    long to = users.get(random.nextInt(users.size()));
    if (rewriteIds) {
      for (String t : List.of("SESSIONS", "PAGEVIEWS", "ALL_EVENTS")) {
        db.execute("UPDATE \"MAIN_PRODUCTION\".\"" + t + "\" SET \"USER_ID\" = " + to + " WHERE \"USER_ID\" = " + from);
      }
      for (Object[] pv : pageviewsSoFar) {
        if (pv[1].equals(from)) {
          pv[1] = to;
        }
      }
    }
    lastSession.remove(from);
    lastTime.remove(from);
    merged.add(from);
    mergedInto.put(from, to);
    db.insert("user_migrations", List.<Object[]>of(new Object[] {from, to, when}));
  }

  private long newUser() {
    long u = nextUser++;
    users.add(u);
    return u;
  }

  private String referrer() {
    String[] r = {null, "https://www.google.com/", "https://bing.com/", "https://example.com/x", "https://t.co/"};
    return r[random.nextInt(r.length)];
  }

  private String source() {
    String[] s = {null, "google", "facebook", "Bing"};
    return s[random.nextInt(s.length)];
  }

  private String medium() {
    String[] m = {null, "cpc", "email"};
    return m[random.nextInt(m.length)];
  }

  private static String iso(LocalDateTime t) {
    return t.toString();
  }
}
