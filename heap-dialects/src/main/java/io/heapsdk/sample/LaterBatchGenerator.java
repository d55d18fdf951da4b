package io.heapsdk.sample;

import static io.heapsdk.source.SourceCatalog.ALL_EVENTS;
import static io.heapsdk.source.SourceCatalog.SESSIONS;
import static io.heapsdk.source.SourceCatalog.USERS;

import io.heapsdk.sample.Audience.Device;
import io.heapsdk.sample.Audience.Place;
import io.heapsdk.sample.LaterBatch.Merge;
import io.heapsdk.sample.SampleHistory.Kept;
import io.heapsdk.sample.SampleHistory.User;
import io.heapsdk.source.SourceCatalog;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * One run of a later batch's walk, on top of what a {@link SampleHistory} saw: new users, returning
 * users, late rows, re-synced duplicates and identity merges, in that order, every decision drawn from
 * the batch's own random stream. Not thread-safe; one per generated batch.
 */
final class LaterBatchGenerator {
  /** Late rows are at least this much older than the high-water mark… */
  static final Duration LATE_MIN = Duration.ofDays(1);

  /** …and at most this much: inside the default 3-day lookback, never older. */
  static final Duration LATE_MAX = Duration.ofDays(2);

  /** A new user mostly visits once in their first day; gaps between visits stay within hours. */
  private static final int[] NEW_USER_VISITS = {80, 15, 5};

  private static final int NEW_USER_MAX_GAP_SECONDS = 6 * 3_600;

  /** A late visit is short: a mobile app's queue of a few screens, synced a day or two late. */
  private static final int LATE_VISIT_PAGES = 3;

  /** What a late event in an existing session is: something the page fired, synced late. */
  private static final List<String> LATE_EVENT_NAMES = List.of("view_product", "add_to_cart", "click_cta");

  private final SampleHistory history;
  private final BatchShape shape;
  private final Random rnd;
  private final Counter out;
  private final SampleGenerator gen;
  private final LocalDateTime end;
  private final LocalDateTime mark;
  private final int periodSeconds;

  private LaterBatchGenerator(
      SampleHistory history, BatchShape shape, int number, long seed, LocalDateTime start, SourceCatalog catalog,
      SampleData.RowSink sink) {
    this.history = history;
    this.shape = shape;
    this.rnd = new Random(SampleData.mix(seed, number));
    this.out = new Counter(sink, history, catalog);
    this.gen = new SampleGenerator(catalog, rnd, history.ids(), out);
    this.end = history.latest() == null ? start : history.latest();
    this.mark = history.mark();
    this.periodSeconds = (int) shape.period().getSeconds();
  }

  /**
   * Streams the batch's rows to {@code sink} (the history sees them too, and the batch's merges), and
   * returns what it held; {@code number} (2, 3, …) seeds its random stream.
   */
  static LaterBatch.Summary generate(
      SampleHistory history, BatchShape shape, int number, long seed, LocalDateTime start, SourceCatalog catalog,
      SampleData.RowSink sink) {
    return new LaterBatchGenerator(history, shape, number, seed, start, catalog, sink).run(number);
  }

  private LaterBatch.Summary run(int number) {
    List<User> live = history.liveUsers();
    Map<String, Long> before = history.counts();
    long eventsBefore = before.get(ALL_EVENTS);
    // what the batch draws from is fixed before it adds rows of its own
    List<Kept> sample = history.sample();
    List<Kept> recent = new ArrayList<>();
    List<Object[]> lateSessions = new ArrayList<>();
    if (mark != null) {
      LocalDateTime from = mark.minus(LATE_MAX);
      for (String table : SampleHistory.EVENT_TABLES) {
        history.recentRows(table, from).forEach(r -> recent.add(new Kept(table, r)));
      }
      int time = history.index(SESSIONS, "time");
      int user = history.index(SESSIONS, "user_id");
      // sessions of users merged away in the first batch keep their old id there; nothing new joins them
      history.recentRows(SESSIONS, from).stream()
          .filter(r -> !((LocalDateTime) r[time]).isAfter(mark.minus(LATE_MIN)))
          .filter(r -> history.userOf((Long) r[user]).live)
          .forEach(lateSessions::add);
    }
    int users = live.size();
    int late = mark == null ? 0 : BatchShape.count(shape.lateEvents(), users);
    int returning = BatchShape.count(shape.returningUsers(), users);

    List<NewUser> newUsers = newUsers(BatchShape.count(shape.newUsers(), users), history.userCount());
    returning(pick(live, returning), late, eventsBefore, before.get(SESSIONS));
    long rowsBeforeLate = out.total();
    late(late, live, lateSessions);
    long lateRows = out.total() - rowsBeforeLate;
    int identical = resync(sample, BatchShape.count(shape.identicalResyncs(), users), false);
    int later = resync(recent, BatchShape.count(shape.laterResyncs(), users), true);
    List<Merge> merges = merges(BatchShape.count(shape.identityMerges(), users), newUsers, live);
    for (Merge m : merges) {
      history.merged(m.fromUserId(), m.toUserId());
      out.touched.add(m.fromUserId());
      out.touched.add(m.toUserId());
    }
    return new LaterBatch.Summary(
        number, out.counts, newUsers.size(), returning, lateRows, identical, later, merges, out.touched.size(),
        users, eventsBefore, end, mark, 0);
  }

  private record NewUser(long id, boolean identified, LocalDateTime last) {}

  /** New users, their first visits within the period after the loaded data's end. */
  private List<NewUser> newUsers(int count, int usersSoFar) {
    // from a second after the end: a first visit is never at the same instant as the last loaded row
    SampleGenerator.Pacing pacing =
        new SampleGenerator.Pacing(end.plusSeconds(1), periodSeconds, NEW_USER_VISITS, NEW_USER_MAX_GAP_SECONDS);
    List<NewUser> result = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      long id = gen.newUserId();
      boolean identified = Pick.chance(rnd, SampleGenerator.IDENTIFIED);
      // numbered after every user so far, so that emails stay unique across batches
      String identity = identified ? Audience.email(usersSoFar + i) : null;
      SampleGenerator.Seen seen = gen.user(id, identity, pacing);
      result.add(new NewUser(id, identified, seen.last()));
    }
    return result;
  }

  /**
   * One visit per returning user within the period. With an event target, a user gets a one-page
   * visit once a full one would leave too few events for the users and late rows still to come.
   */
  private void returning(List<User> users, int late, long eventsBefore, long sessionsBefore) {
    long target = shape.newEvents().isPresent() ? Math.round(shape.newEvents().getAsDouble() * eventsBefore) : Long.MAX_VALUE;
    long perVisit = sessionsBefore == 0 ? 1 : Math.max(1, eventsBefore / sessionsBefore);
    for (int k = 0; k < users.size(); k++) {
      // two events at most for each one-page visit or late row still to come
      long reserve = 2L * (users.size() - k - 1 + late);
      int maxPages = out.events() + perVisit + reserve <= target ? Integer.MAX_VALUE : 1;
      User u = users.get(k);
      gen.visit(u.id, within(end, periodSeconds), device(u), place(u), ip(u), maxPages);
    }
  }

  /** Late rows: alternately an event in an existing session of that time and a short late visit. */
  private void late(int count, List<User> live, List<Object[]> lateSessions) {
    if (count == 0) {
      // no mark (an empty table) or no live users: nothing to be late against
      return;
    }
    int sessionId = history.index(SESSIONS, "session_id");
    int userId = history.index(SESSIONS, "user_id");
    int time = history.index(SESSIONS, "time");
    LocalDateTime from = mark.minus(LATE_MAX);
    int window = (int) LATE_MAX.minus(LATE_MIN).getSeconds();
    for (int j = 0; j < count; j++) {
      if (j % 2 == 0 && !lateSessions.isEmpty()) {
        Object[] s = Pick.one(rnd, lateSessions);
        LocalDateTime at = ((LocalDateTime) s[time]).plusSeconds(60 + rnd.nextInt(20 * 60)).plusNanos(SampleGenerator.millis(rnd.nextInt(1000)));
        gen.event(gen.nextEventId(), (Long) s[userId], (Long) s[sessionId], at, Pick.one(rnd, LATE_EVENT_NAMES));
      } else {
        User u = Pick.one(rnd, live);
        gen.visit(u.id, within(from, window), device(u), place(u), ip(u), LATE_VISIT_PAGES);
      }
    }
  }

  /** Copies of {@code count} distinct rows of {@code rows}: identical, or 1 to 120 seconds later. */
  private int resync(List<Kept> rows, int count, boolean later) {
    List<Kept> chosen = pick(rows, count);
    for (Kept k : chosen) {
      Object[] copy = k.row().clone();
      if (later) {
        int time = history.index(k.table(), "time");
        copy[time] = ((LocalDateTime) copy[time]).plusSeconds(1 + rnd.nextInt(120)).plusNanos(SampleGenerator.millis(rnd.nextInt(1000)));
      }
      gen.emit(k.table(), copy);
    }
    return chosen.size();
  }

  /**
   * Merges of anonymous users into identified existing users (any other existing user when none is
   * identified). The anonymous side alternates, starting with an existing user (whose facts an
   * incremental run must then delete) and then one of this batch's new users. No user takes part in two
   * merges of a batch, so the order of the rewrites does not matter.
   */
  private List<Merge> merges(int count, List<NewUser> newUsers, List<User> live) {
    List<Merge> merges = new ArrayList<>();
    if (count == 0) {
      return merges;
    }
    Map<Long, LocalDateTime> fresh = new LinkedHashMap<>();
    newUsers.stream().filter(n -> !n.identified()).forEach(n -> fresh.put(n.id(), n.last()));
    List<User> shuffled = pick(live, live.size());
    Deque<Long> existing = new ArrayDeque<>();
    Deque<Long> to = new ArrayDeque<>();
    shuffled.stream().filter(u -> !u.identified).forEach(u -> existing.add(u.id));
    shuffled.stream().filter(u -> u.identified).forEach(u -> to.add(u.id));
    shuffled.stream().filter(u -> !u.identified).forEach(u -> to.add(u.id));
    Deque<Long> newcomers = new ArrayDeque<>(fresh.keySet());
    Set<Long> used = new HashSet<>();
    while (merges.size() < count) {
      boolean preferNew = merges.size() % 2 == 1;
      Long a = next(preferNew ? newcomers : existing, used);
      if (a == null) {
        a = next(preferNew ? existing : newcomers, used);
      }
      Long b = a == null ? null : next(to, used);
      if (b == null) {
        break;
      }
      // a new user identifies after their visits, an existing one some time in the period
      LocalDateTime at = fresh.containsKey(a) ? fresh.get(a).plusMinutes(1 + rnd.nextInt(30)) : within(end, periodSeconds);
      gen.migration(a, b, at);
      merges.add(new Merge(a, b, at));
    }
    return merges;
  }

  /** The first id of {@code ids} not used yet, now used; null when there is none. */
  private static Long next(Deque<Long> ids, Set<Long> used) {
    while (!ids.isEmpty()) {
      Long id = ids.poll();
      if (used.add(id)) {
        return id;
      }
    }
    return null;
  }

  /** {@code count} distinct elements in random order (a partial Fisher–Yates shuffle). */
  private <T> List<T> pick(List<T> values, int count) {
    List<T> copy = new ArrayList<>(values);
    int n = Math.min(count, copy.size());
    for (int i = 0; i < n; i++) {
      int j = i + rnd.nextInt(copy.size() - i);
      T swap = copy.get(i);
      copy.set(i, copy.get(j));
      copy.set(j, swap);
    }
    return new ArrayList<>(copy.subList(0, n));
  }

  /** A time in {@code [from + 1 s, from + seconds]}: after {@code from}, which is taken. */
  private LocalDateTime within(LocalDateTime from, int seconds) {
    return from.plusSeconds(1 + rnd.nextInt(seconds)).plusNanos(SampleGenerator.millis(rnd.nextInt(1000)));
  }

  // a user seen only through a users row has no session to copy from; give them a first device
  private Device device(User u) {
    return u.device != null ? u.device : Audience.DEVICES.get(0);
  }

  private Place place(User u) {
    return u.place != null ? u.place : Audience.PLACES.get(0);
  }

  private String ip(User u) {
    return u.ip != null ? u.ip : "10.0.0.1";
  }

  /** Passes rows on to the batch's sink and the history, counting rows, events and users touched. */
  private static final class Counter implements SampleData.RowSink {
    private final SampleData.RowSink sink;
    private final SampleHistory history;
    private final Map<String, Long> counts = new LinkedHashMap<>();
    private final Map<String, Integer> userColumn = new LinkedHashMap<>();
    private final Set<Long> touched = new HashSet<>();
    private long total;

    Counter(SampleData.RowSink sink, SampleHistory history, SourceCatalog catalog) {
      this.sink = sink;
      this.history = history;
      for (String table : catalog.tableNames()) {
        counts.put(table, 0L);
      }
      for (String table : SampleHistory.EVENT_TABLES) {
        userColumn.put(table, catalog.table(table).columnNames().indexOf("user_id"));
      }
      userColumn.put(USERS, catalog.table(USERS).columnNames().indexOf("user_id"));
    }

    @Override
    public void accept(String table, Object[] row) {
      sink.accept(table, row);
      history.accept(table, row);
      counts.merge(table, 1L, Long::sum);
      total++;
      Integer user = userColumn.get(table);
      if (user != null) {
        touched.add((Long) row[user]);
      }
    }

    long events() {
      return counts.get(ALL_EVENTS);
    }

    long total() {
      return total;
    }
  }
}
