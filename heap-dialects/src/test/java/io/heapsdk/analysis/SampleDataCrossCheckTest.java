package io.heapsdk.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.TimeGrain;
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
 * Funnels (their steps, trends and times to convert, with exclusions and breakdown attributions) and
 * attributions on the sample data (400 users, every ordering, unit and model), checked against a plain
 * Java evaluation of the documented rules: each unit's events walked attempt by attempt, exclusions
 * checked against their definition, each conversion's touches listed and weighted. The Java side shares nothing with the SQL plans (no
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

  /** Funnels over every ordering and unit, with and without exclusions (whole funnel and between steps), breakdowns and their attributions. */
  private static List<Funnel> funnels() {
    List<Funnel> funnels = new ArrayList<>();
    for (Funnel.Ordering o : Funnel.Ordering.values()) {
      for (Funnel.Unit u : Funnel.Unit.values()) {
        Funnel.Builder f = Funnel.builder().steps(STEPS).ordering(o).unit(u);
        funnels.add(f.build());
        funnels.add(f.window(Duration.ofMinutes(20)).exclude("sign_up").breakdown("channel").build());
        funnels.add(
            Funnel.builder().steps(STEPS).ordering(o).unit(u).window(Duration.ofDays(2)).breakdown("utm_source")
                .breakdownAttribution(BreakdownAttribution.last()).from(LocalDate.of(2024, 1, 5)).to(LocalDate.of(2024, 1, 20)).build());
        Funnel.Builder excluding = Funnel.builder().steps(STEPS).ordering(o).unit(u).window(Duration.ofHours(3));
        if (o == Funnel.Ordering.ANY_ORDER) {
          // any order excludes over the whole funnel only; pageviews are everywhere, so most attempts are excluded
          excluding.exclude("search").exclude("pageviews");
        } else {
          excluding.exclude("search", 1, 2).exclude("pageviews", 3, 4).exclude("sign_up", 2, 4);
        }
        funnels.add(excluding.breakdown("channel").breakdownAttribution(BreakdownAttribution.step(2)).build());
      }
    }
    return funnels;
  }

  @Test
  void funnelsAgreeWithAPlainEvaluation() {
    AnalysisRunner runner = new AnalysisRunner(Warehouses.H2, CONFIG);
    int nonTrivial = 0;
    int removed = 0;
    for (Funnel f : funnels()) {
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
      if (!f.exclusions().isEmpty()) {
        Funnel.Builder without = Funnel.builder().steps(STEPS).ordering(f.ordering()).unit(f.unit()).window(f.window());
        f.from().ifPresent(without::from);
        f.to().ifPresent(without::to);
        removed += entries(without.build(), null).size() - entries(f, null).size();
      }
    }
    assertThat(nonTrivial).as("rows past step 1 that someone reached").isGreaterThan(50);
    // the exclusions must bite: units left out of the funnel because their counting attempt was excluded
    assertThat(removed).as("units removed by exclusions").isGreaterThan(50);
  }

  @Test
  void trendsAgreeWithAPlainEvaluation() {
    AnalysisRunner runner = new AnalysisRunner(Warehouses.H2, CONFIG);
    int periods = 0;
    for (Funnel f : funnels()) {
      for (TimeGrain grain : List.of(TimeGrain.DAY, TimeGrain.WEEK, TimeGrain.MONTH)) {
        FunnelTrend trend = f.trend(grain);
        List<FunnelTrendResult.Row> sql = runner.run(trend, db.connection()).rows();
        Map<String, long[]> expected = new HashMap<>();
        for (Entry e : entries(f, grain)) {
          long[] counts = expected.computeIfAbsent(e.breakdown() + "|" + e.period(), x -> new long[2]);
          counts[0]++;
          counts[1] += e.reached() == f.steps().size() ? 1 : 0;
        }
        assertThat(sql).as(trend.toString()).hasSize(expected.size());
        for (FunnelTrendResult.Row r : sql) {
          long[] e = expected.get(r.breakdownValue() + "|" + r.period());
          String label = trend + " " + r.breakdownValue() + " " + r.period();
          assertThat(e).as(label).isNotNull();
          assertThat(r.entered()).as(label).isEqualTo(e[0]);
          assertThat(r.converted()).as(label).isEqualTo(e[1]);
          assertThat(r.conversion()).as(label).isCloseTo((double) e[1] / e[0], within(1e-12));
        }
        periods += sql.size();
      }
    }
    assertThat(periods).isGreaterThan(200);
  }

  @Test
  void timesToConvertAgreeWithAPlainEvaluation() {
    AnalysisRunner runner = new AnalysisRunner(Warehouses.H2, CONFIG);
    int units = 0;
    for (Funnel f : funnels()) {
      // the same funnel without the breakdown a histogram cannot have
      Funnel.Builder b = Funnel.builder().steps(STEPS).ordering(f.ordering()).unit(f.unit()).window(f.window());
      f.from().ifPresent(b::from);
      f.to().ifPresent(b::to);
      for (Funnel.Exclusion x : f.exclusions()) {
        b.exclude(x.step().label(), x.fromStep(), x.toStep());
      }
      Funnel funnel = b.build();
      for (TimeToConvert t : List.of(funnel.timeToConvert(1, 4), funnel.timeToConvert(2, 3, 7), funnel.timeToConvert(1, 2, 1))) {
        List<TimeToConvertResult.Row> sql = runner.run(t, db.connection()).rows();
        List<Long> seconds = new ArrayList<>();
        for (Entry e : entries(t.funnel(), null)) {
          if (e.reached() >= t.toStep()) {
            seconds.add(e.seconds()[t.toStep() - 1] - e.seconds()[t.fromStep() - 1]);
          }
        }
        assertThat(sql).as(t.toString()).containsExactlyElementsOf(histogram(seconds, t.bins()));
        units += seconds.size();
      }
    }
    assertThat(units).isGreaterThan(500);
  }

  /** The documented binning rule, in Java: ⌈∛n⌉ bins (1 to 60) unless given, width ⌈(max − min) / bins⌉ at least 1. */
  private static List<TimeToConvertResult.Row> histogram(List<Long> seconds, java.util.OptionalInt requested) {
    if (seconds.isEmpty()) {
      return List.of();
    }
    long min = seconds.stream().mapToLong(Long::longValue).min().orElseThrow();
    long max = seconds.stream().mapToLong(Long::longValue).max().orElseThrow();
    int n = seconds.size();
    int bins = requested.orElseGet(() -> {
      int c = 1;
      while ((long) c * c * c < n && c < 60) {
        c++;
      }
      return c;
    });
    long width = Math.max(1, (max - min + bins - 1) / bins);
    long[] counts = new long[bins];
    for (long s : seconds) {
      counts[(int) Math.min(bins - 1, (s - min) / width)]++;
    }
    List<TimeToConvertResult.Row> rows = new ArrayList<>();
    for (int i = 0; i < bins; i++) {
      rows.add(new TimeToConvertResult.Row(i + 1, min + i * width, min + (i + 1) * width, counts[i], (double) counts[i] / n));
    }
    return rows;
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

  /**
   * A unit's counting attempt: its breakdown value, the period it started in (for trends), the steps
   * it reached and whole seconds from its start to the time each was done.
   */
  record Entry(String breakdown, LocalDate period, int reached, long[] seconds) {}

  /** One attempt: the steps it reached, when each was done, its events, and whether (and how far) it counts. */
  record Attempt(Event start, int reached, long[] seconds, Event[] stepEvents, boolean excluded, int reach) {}

  /** Each unit's relevant events (steps and exclusions), in order. */
  private static Map<String, List<Event>> units(Funnel f) {
    List<String> exclusions = f.exclusions().stream().map(x -> x.step().label()).toList();
    Map<String, List<Event>> units = new LinkedHashMap<>();
    for (Event e : events) {
      boolean relevant = STEPS.contains(e.name()) || exclusions.contains(e.name());
      if (!relevant || e.time() == null || (f.unit() == Funnel.Unit.SESSION && e.session() == null)) {
        continue;
      }
      String key = f.unit() == Funnel.Unit.SESSION ? e.user() + "/" + e.session() : String.valueOf(e.user());
      units.computeIfAbsent(key, x -> new ArrayList<>()).add(e);
    }
    for (List<Event> unit : units.values()) {
      unit.sort(Comparator.comparing(Event::time).thenComparing(Event::id));
    }
    return units;
  }

  /**
   * The counting attempt of every unit (per unit and period when {@code grain} is given): the one
   * reaching furthest, a clean one before an excluded one, then the earliest; none when it is excluded.
   */
  private static List<Entry> entries(Funnel f, TimeGrain grain) {
    List<Entry> entries = new ArrayList<>();
    for (List<Event> unit : units(f).values()) {
      Map<LocalDate, Attempt> best = new LinkedHashMap<>();
      for (int s = 0; s < unit.size(); s++) {
        Event start = unit.get(s);
        boolean canStart = f.ordering() == Funnel.Ordering.ANY_ORDER ? STEPS.contains(start.name()) : start.name().equals(STEPS.get(0));
        LocalDateTime t = start.time();
        if (!canStart
            || f.from().map(d -> t.isBefore(d.atStartOfDay())).orElse(false)
            || f.to().map(d -> !t.isBefore(d.plusDays(1).atStartOfDay())).orElse(false)) {
          continue;
        }
        Attempt a = attempt(f, unit, s);
        LocalDate period = grain == null ? null : period(t, grain);
        Attempt current = best.get(period);
        if (current == null
            || a.reach() > current.reach()
            || (a.reach() == current.reach() && current.excluded() && !a.excluded())) {
          best.put(period, a);
        }
      }
      best.forEach((period, a) -> {
        if (a.reach() >= 1 && !a.excluded()) {
          entries.add(new Entry(breakdown(f, a), period, a.reached(), a.seconds()));
        }
      });
    }
    return entries;
  }

  private static LocalDate period(LocalDateTime t, TimeGrain grain) {
    LocalDate d = t.toLocalDate();
    return switch (grain) {
      case DAY -> d;
      case WEEK -> d.with(java.time.temporal.TemporalAdjusters.previousOrSame(java.time.DayOfWeek.MONDAY));
      case MONTH -> d.withDayOfMonth(1);
      default -> throw new IllegalArgumentException(grain.name());
    };
  }

  private static Map<String, FunnelResult.Row> evaluate(Funnel f) {
    int k = f.steps().size();
    List<Entry> entries = entries(f, null);
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

  /**
   * One attempt from {@code unit.get(s)}: the steps reached within the window, the time each was done
   * (any order: when it and every earlier step were), and the exclusions, straight from their
   * definition: an exclusion event strictly after the time the exclusion's first step was done (any
   * order: the start), at most the window after the start, and strictly before its last step was done
   * (or at any time, when that step was not reached).
   */
  private static Attempt attempt(Funnel f, List<Event> unit, int s) {
    int k = f.steps().size();
    Event start = unit.get(s);
    LocalDateTime end = start.time().plus(f.window());
    Event[] stepEvents = new Event[k];
    int reached;
    if (f.ordering() == Funnel.Ordering.ANY_ORDER) {
      reached = k;
      for (int j = 0; j < k; j++) {
        for (int i = s; i < unit.size() && stepEvents[j] == null; i++) {
          if (unit.get(i).name().equals(STEPS.get(j)) && !unit.get(i).time().isAfter(end)) {
            stepEvents[j] = unit.get(i);
          }
        }
        if (stepEvents[j] == null) {
          reached = j;
          break;
        }
      }
    } else {
      stepEvents[0] = start;
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
        if (found < 0 || unit.get(found).time().isAfter(end)) {
          break;
        }
        stepEvents[j] = unit.get(found);
        reached = j + 1;
        previous = found;
      }
    }
    // when each reached step was done
    LocalDateTime[] done = new LocalDateTime[k];
    long[] seconds = new long[k];
    for (int j = 0; j < reached; j++) {
      done[j] = j > 0 && done[j - 1].isAfter(stepEvents[j].time()) ? done[j - 1] : stepEvents[j].time();
      seconds[j] = j > 0 ? Math.max(seconds[j - 1], secondsBetween(start, stepEvents[j])) : secondsBetween(start, stepEvents[j]);
    }
    int reach = reached;
    boolean excluded = false;
    for (Funnel.Exclusion x : f.exclusions()) {
      int from = x.fromStep();
      int to = x.toStep();
      if (from > reached) {
        continue;
      }
      LocalDateTime after = f.ordering() == Funnel.Ordering.ANY_ORDER ? start.time() : done[from - 1];
      for (Event e : unit) {
        boolean hit =
            e.name().equals(x.step().label())
                && e.time().isAfter(after)
                && !e.time().isAfter(end)
                && (to > reached || e.time().isBefore(done[to - 1]));
        if (hit) {
          excluded = true;
          // steps done by the time of the exclusion event; the attempt counts one step further at most
          int doneBy = 0;
          while (doneBy < reached && !done[doneBy].isAfter(e.time())) {
            doneBy++;
          }
          reach = Math.min(reach, doneBy + 1);
          break;
        }
      }
    }
    return new Attempt(start, reached, seconds, stepEvents, excluded, reach);
  }

  private static String breakdown(Funnel f, Attempt a) {
    if (f.breakdown().isEmpty()) {
      return null;
    }
    BreakdownAttribution attribution = f.breakdownAttribution();
    Event event =
        switch (attribution.kind()) {
          case FIRST -> a.start();
          case LAST -> a.stepEvents()[a.reached() - 1];
          case STEP -> a.reached() >= attribution.stepNumber().getAsInt() ? a.stepEvents()[attribution.stepNumber().getAsInt() - 1] : null;
        };
    Session s = event == null || event.session() == null ? null : sessions.get(event.session());
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
