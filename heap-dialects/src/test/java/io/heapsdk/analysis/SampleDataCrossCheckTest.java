package io.heapsdk.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.run.AnalysisRunner;
import io.heapsdk.sample.SampleData;
import io.heapsdk.testing.H2Db;
import io.heapsdk.warehouse.Warehouses;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Funnels and attributions on the sample data (400 users, every ordering, unit and model), checked
 * against a plain Java evaluation of the documented rules: each unit's events walked attempt by attempt,
 * each conversion's touches listed and weighted. The Java side shares nothing with the SQL plans (no
 * windows, no chains), so a flaw in the window-function formulation shows up as a difference.
 */
class SampleDataCrossCheckTest {
  private static final HeapConfig CONFIG = SampleData.demoConfig();
  private static final List<String> STEPS = List.of("view_product", "add_to_cart", "begin_checkout", "purchase");

  private static H2Db db;
  private static List<Event> events;
  private static Map<Long, Session> sessions;

  record Event(long id, long user, Long session, LocalDateTime time, String name, boolean conversion) {}

  record Session(long id, long user, LocalDateTime start, String channel, String utmSource) {}

  @BeforeAll
  static void buildTheSample() {
    db = H2Db.create(CONFIG);
    SampleData.of(400, 11).insert(db.connection(), Warehouses.H2, CONFIG);
    db.buildStandard();
    events = new ArrayList<>();
    for (Map<String, Object> r : db.table("stg_heap_events_all_inc_fct")) {
      events.add(
          new Event(
              (Long) r.get("heap_event_id"), (Long) r.get("heap_user_id"), (Long) r.get("heap_session_id"),
              (LocalDateTime) r.get("heap_event_time"), (String) r.get("heap_event_name"), (Boolean) r.get("heap_event_is_conversion")));
    }
    sessions = new HashMap<>();
    for (Map<String, Object> r : db.table("stg_heap_sessions_inc_fct")) {
      Session s =
          new Session(
              (Long) r.get("heap_session_id"), (Long) r.get("heap_user_id"), (LocalDateTime) r.get("heap_session_start_time"),
              (String) r.get("heap_session_defined_channel_attribution"), (String) r.get("heap_session_utm_source"));
      sessions.put(s.id(), s);
    }
    assertThat(events).hasSizeGreaterThan(2000);
  }

  @AfterAll
  static void close() {
    db.close();
  }

  @Test
  void funnelsAgreeWithAPlainEvaluation() {
    List<Funnel> funnels = new ArrayList<>();
    for (Funnel.Ordering o : Funnel.Ordering.values()) {
      for (Funnel.Unit u : Funnel.Unit.values()) {
        Funnel.Builder f = Funnel.builder().steps(STEPS).ordering(o).unit(u);
        funnels.add(f.build());
        funnels.add(f.window(Duration.ofMinutes(20)).exclude("sign_up").breakdown("channel").build());
        funnels.add(
            Funnel.builder().steps(STEPS).ordering(o).unit(u).window(Duration.ofDays(2)).breakdown("utm_source")
                .from(LocalDate.of(2024, 1, 5)).to(LocalDate.of(2024, 1, 20)).build());
      }
    }
    AnalysisRunner runner = new AnalysisRunner(Warehouses.H2, CONFIG);
    int nonTrivial = 0;
    for (Funnel f : funnels) {
      List<FunnelResult.Row> sql = runner.run(f, db.connection()).rows();
      Map<String, FunnelResult.Row> expected = evaluate(f);
      assertThat(sql).as(f.toString()).hasSize(expected.size());
      for (FunnelResult.Row r : sql) {
        FunnelResult.Row e = expected.get(r.breakdownValue() + "|" + r.step());
        String label = f + " " + r.breakdownValue() + " step " + r.step();
        assertThat(e).as(label).isNotNull();
        assertThat(r.event()).as(label).isEqualTo(e.event());
        assertThat(r.entered()).as(label).isEqualTo(e.entered());
        assertClose(r.conversionFromFirst(), e.conversionFromFirst(), label + " conversion from first");
        assertClose(r.conversionFromPrevious(), e.conversionFromPrevious(), label + " conversion from previous");
        assertThat(r.dropOff()).as(label).isEqualTo(e.dropOff());
        assertClose(r.medianSecondsFromFirst(), e.medianSecondsFromFirst(), label + " median");
        assertClose(r.avgSecondsFromFirst(), e.avgSecondsFromFirst(), label + " avg");
        if (r.step() > 1 && r.entered() > 0) {
          nonTrivial++;
        }
      }
    }
    assertThat(nonTrivial).as("rows past step 1 that someone reached").isGreaterThan(50);
  }

  @Test
  void attributionsAgreeWithAPlainEvaluation() {
    AnalysisRunner runner = new AnalysisRunner(Warehouses.H2, CONFIG);
    for (AttributionModel m : AttributionModel.values()) {
      for (boolean collapse : new boolean[] {false, true}) {
        for (String by : List.of("channel", "utm_source")) {
          Attribution a = Attribution.builder().model(m).collapseRepeats(collapse).by(by).lookback(Duration.ofDays(3)).build();
          Map<String, Double> expected = attribute(a);
          Map<String, Double> sql = new LinkedHashMap<>();
          for (AttributionResult.Row r : runner.run(a, db.connection()).rows()) {
            sql.put(r.label(), r.conversions());
          }
          assertThat(sql.keySet()).as(a.toString()).containsExactlyInAnyOrderElementsOf(expected.keySet());
          expected.forEach((label, credit) -> assertThat(sql.get(label)).as(a + " " + label).isCloseTo(credit, within(1e-9)));
        }
      }
    }
  }

  // ------------------------------------------------------------------ the funnel, walked in Java

  record Entry(String breakdown, int reached, long[] seconds) {}

  private static Map<String, FunnelResult.Row> evaluate(Funnel f) {
    int k = f.steps().size();
    List<String> exclusions = f.exclusions().stream().map(s -> s.eventName().orElseThrow()).toList();
    Map<String, List<Event>> units = new LinkedHashMap<>();
    for (Event e : events) {
      boolean relevant = STEPS.contains(e.name()) || exclusions.contains(e.name());
      if (!relevant || e.time() == null || (f.unit() == Funnel.Unit.SESSION && e.session() == null)) {
        continue;
      }
      String key = f.unit() == Funnel.Unit.SESSION ? e.user() + "/" + e.session() : String.valueOf(e.user());
      units.computeIfAbsent(key, x -> new ArrayList<>()).add(e);
    }
    List<Entry> entries = new ArrayList<>();
    for (List<Event> unit : units.values()) {
      unit.sort(Comparator.comparing(Event::time).thenComparing(Event::id));
      Entry best = null;
      for (int s = 0; s < unit.size(); s++) {
        Event start = unit.get(s);
        boolean canStart = f.ordering() == Funnel.Ordering.ANY_ORDER ? STEPS.contains(start.name()) : start.name().equals(STEPS.get(0));
        LocalDateTime t = start.time();
        if (!canStart
            || f.from().map(d -> t.isBefore(d.atStartOfDay())).orElse(false)
            || f.to().map(d -> !t.isBefore(d.plusDays(1).atStartOfDay())).orElse(false)) {
          continue;
        }
        Entry attempt = attempt(f, unit, s, exclusions);
        if (attempt.reached() >= 1 && (best == null || attempt.reached() > best.reached())) {
          best = attempt;
        }
      }
      if (best != null) {
        entries.add(best);
      }
    }
    Map<String, FunnelResult.Row> rows = new HashMap<>();
    Map<String, List<Entry>> byValue = new HashMap<>();
    for (Entry e : entries) {
      byValue.computeIfAbsent(e.breakdown() == null ? "\u0000null" : e.breakdown(), x -> new ArrayList<>()).add(e);
    }
    for (List<Entry> group : byValue.values()) {
      String value = group.get(0).breakdown();
      long first = group.size();
      Long previous = null;
      for (int j = 1; j <= k; j++) {
        List<Long> secs = new ArrayList<>();
        for (Entry e : group) {
          if (e.reached() >= j) {
            secs.add(e.seconds()[j - 1]);
          }
        }
        secs.sort(null);
        long entered = secs.size();
        Double median = null;
        Double avg = null;
        if (!secs.isEmpty()) {
          int n = secs.size();
          median = n % 2 == 1 ? secs.get(n / 2) : (secs.get(n / 2 - 1) + secs.get(n / 2)) / 2.0;
          avg = secs.stream().mapToLong(Long::longValue).average().orElseThrow();
        }
        rows.put(
            value + "|" + j,
            new FunnelResult.Row(
                value, j, STEPS.get(j - 1), entered, (double) entered / first,
                previous == null || previous == 0 ? null : (double) entered / previous,
                previous == null ? null : previous - entered, median, avg));
        previous = entered;
      }
    }
    return rows;
  }

  /** One attempt from {@code unit.get(s)}: steps reached and whole seconds from its start to each. */
  private static Entry attempt(Funnel f, List<Event> unit, int s, List<String> exclusions) {
    int k = f.steps().size();
    Event start = unit.get(s);
    LocalDateTime end = start.time().plus(f.window());
    int stop = unit.size();
    for (int i = s + 1; i < unit.size(); i++) {
      if (exclusions.contains(unit.get(i).name())) {
        stop = i;
        break;
      }
    }
    long[] seconds = new long[k];
    int reached;
    if (f.ordering() == Funnel.Ordering.ANY_ORDER) {
      long latest = Long.MIN_VALUE;
      reached = k;
      for (int j = 0; j < k; j++) {
        int found = -1;
        for (int i = s; i < stop && found < 0; i++) {
          if (unit.get(i).name().equals(STEPS.get(j)) && !unit.get(i).time().isAfter(end)) {
            found = i;
          }
        }
        if (found < 0) {
          reached = j;
          break;
        }
        latest = Math.max(latest, secondsBetween(start, unit.get(found)));
        seconds[j] = latest;
      }
      return new Entry(breakdown(f, start), reached, seconds);
    }
    reached = 1;
    int previous = s;
    for (int j = 1; j < k; j++) {
      int found = -1;
      for (int i = previous + 1; i < unit.size(); i++) {
        Event e = unit.get(i);
        if (f.ordering() == Funnel.Ordering.STRICT && STEPS.contains(e.name())) {
          // the next funnel event must be the step
          found = e.name().equals(STEPS.get(j)) ? i : -1;
          break;
        }
        if (f.ordering() == Funnel.Ordering.ORDERED && e.name().equals(STEPS.get(j))) {
          found = i;
          break;
        }
      }
      if (found < 0 || found >= stop || unit.get(found).time().isAfter(end)) {
        break;
      }
      reached = j + 1;
      seconds[j] = secondsBetween(start, unit.get(found));
      previous = found;
    }
    return new Entry(breakdown(f, start), reached, seconds);
  }

  private static String breakdown(Funnel f, Event start) {
    if (f.breakdown().isEmpty()) {
      return null;
    }
    Session s = start.session() == null ? null : sessions.get(start.session());
    if (s == null) {
      return null;
    }
    return f.breakdown().get().equals("channel") ? s.channel() : s.utmSource();
  }

  private static long secondsBetween(Event from, Event to) {
    return to.time().toEpochSecond(ZoneOffset.UTC) - from.time().toEpochSecond(ZoneOffset.UTC);
  }

  // ------------------------------------------------------------------ attribution, in Java

  private static Map<String, Double> attribute(Attribution a) {
    Map<String, Double> credit = new HashMap<>();
    for (Event c : events) {
      if (!c.conversion() || c.time() == null) {
        continue;
      }
      List<Session> touches = new ArrayList<>();
      for (Session s : sessions.values()) {
        if (s.user() == c.user() && s.start() != null && !s.start().isAfter(c.time()) && !s.start().isBefore(c.time().minus(a.lookback()))) {
          touches.add(s);
        }
      }
      touches.sort(Comparator.comparing(Session::start).thenComparing(Session::id));
      if (touches.isEmpty()) {
        credit.merge(Attribution.NO_TOUCH, 1.0, Double::sum);
        continue;
      }
      List<Session> kept = new ArrayList<>();
      for (Session s : touches) {
        if (!a.collapseRepeats() || kept.isEmpty() || !Objects.equals(label(a, kept.get(kept.size() - 1)), label(a, s))) {
          kept.add(s);
        }
      }
      double[] w = weights(a, c, kept);
      for (int i = 0; i < kept.size(); i++) {
        credit.merge(String.valueOf(label(a, kept.get(i))), w[i], Double::sum);
      }
    }
    // String.valueOf(null) keys the NULL label as "null"; the SQL side gives null
    Map<String, Double> result = new HashMap<>();
    credit.forEach((k, v) -> result.put(k.equals("null") ? null : k, v));
    return result;
  }

  private static String label(Attribution a, Session s) {
    return a.by().equals("channel") ? s.channel() : s.utmSource();
  }

  private static double[] weights(Attribution a, Event c, List<Session> t) {
    int n = t.size();
    double[] w = new double[n];
    switch (a.model()) {
      case FIRST_TOUCH -> w[0] = 1;
      case LAST_TOUCH -> w[n - 1] = 1;
      case LAST_NON_DIRECT -> {
        int last = n - 1;
        for (int i = n - 1; i >= 0; i--) {
          if (!"Direct".equals(t.get(i).channel())) {
            last = i;
            break;
          }
        }
        w[last] = 1;
      }
      case LINEAR -> java.util.Arrays.fill(w, 1.0 / n);
      case POSITION_BASED -> {
        if (n == 1) {
          w[0] = 1;
        } else if (n == 2) {
          w[0] = 0.5;
          w[1] = 0.5;
        } else {
          java.util.Arrays.fill(w, 0.2 / (n - 2));
          w[0] = 0.4;
          w[n - 1] = 0.4;
        }
      }
      case TIME_DECAY -> {
        double total = 0;
        for (int i = 0; i < n; i++) {
          long age = c.time().toEpochSecond(ZoneOffset.UTC) - t.get(i).start().toEpochSecond(ZoneOffset.UTC);
          w[i] = Math.pow(2, -(double) age / a.halfLife().getSeconds());
          total += w[i];
        }
        for (int i = 0; i < n; i++) {
          w[i] /= total;
        }
      }
      default -> throw new IllegalStateException();
    }
    return w;
  }

  private static void assertClose(Double actual, Double expected, String label) {
    if (expected == null) {
      assertThat(actual).as(label).isNull();
    } else {
      assertThat(actual).as(label).isNotNull().isCloseTo(expected, within(1e-9));
    }
  }
}
