package io.heapsdk.analysis;

import static io.heapsdk.testing.Rows.event;
import static io.heapsdk.testing.Rows.pageview;
import static io.heapsdk.testing.Rows.session;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.run.AnalysisRunner;
import io.heapsdk.source.ColumnType;
import io.heapsdk.source.PassThroughColumn;
import io.heapsdk.testing.H2Db;
import io.heapsdk.warehouse.Warehouses;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.tools.RelBuilder;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

/**
 * Attribution run on H2 over hand-made sessions and conversions; every expected credit is worked out by
 * hand next to the data. Six conversions: each model's credits must add up to 6.
 */
class AttributionTest {
  private static final HeapConfig CONFIG =
      HeapConfig.builder()
          .conversionEvents(List.of("purchase"))
          .ownDomain("example.com")
          .pageviewProperties(List.of(new PassThroughColumn("revenue", ColumnType.DOUBLE)))
          .build();

  private static final String ORGANIC = "https://duckduckgo.com/";
  private static final String GOOGLE = "https://www.google.com/";
  private static final String TWITTER = "https://twitter.com/";

  // session(id, user, start, referrer, landing query, utm_source, utm_medium); channels by the default rules
  private static final Object[][] SESSIONS = {
    // user 1: Organic Search, Paid Google Search, Direct, Direct; conversion c1 at 2024-01-10 10:00
    // (ages 9, 5, 2 and 1 days)
    session(11, 1, "2024-01-01T10:00:00", ORGANIC, null, null, null),
    session(12, 1, "2024-01-05T10:00:00", GOOGLE, null, "google", "cpc"),
    session(13, 1, "2024-01-08T10:00:00", null, null, null, null),
    session(14, 1, "2024-01-09T10:00:00", null, null, null, null),
    // user 2: s21 (Organic Search) is 40 days before c2, too old for any conversion; s22 Unattributed
    // (utm_source twitter), s23 Direct. c2 at 01-10 09:30 has s22; c3 at 01-20 10:00 has s22
    // (10 days 1 hour) and s23 (1 day)
    session(21, 2, "2023-12-01T10:00:00", ORGANIC, null, null, null),
    session(22, 2, "2024-01-10T09:00:00", TWITTER, null, "twitter", null),
    session(23, 2, "2024-01-19T10:00:00", null, null, null, null),
    // user 3: one Direct session 21 days before c4: no touch in 14 days, (none)
    session(31, 3, "2023-12-20T10:00:00", null, null, null, null),
    // user 4, c5 at 2024-01-10 10:00:00: s41 exactly 14 days before (Paid Google Search, a touch), s42 a
    // second earlier (Organic, not), s43 a second after the conversion (Organic, not), s44 at the
    // conversion's very time (Direct, a touch)
    session(41, 4, "2023-12-27T10:00:00", GOOGLE, null, "google", "cpc"),
    session(42, 4, "2023-12-27T09:59:59", ORGANIC, null, null, null),
    session(43, 4, "2024-01-10T10:00:01", ORGANIC, null, null, null),
    session(44, 4, "2024-01-10T10:00:00", null, null, null, null),
    // user 5: two Direct sessions, 1.5 and 0.5 hours before c6 at 01-10 09:30
    session(51, 5, "2024-01-10T08:00:00", null, null, null, null),
    session(52, 5, "2024-01-10T09:00:00", null, null, null, null),
  };

  private static final Object[][] EVENTS = {
    event(1, 1, 14, "2024-01-10T10:00:00", "purchase"),
    event(2, 2, 22, "2024-01-10T09:30:00", "purchase"),
    event(3, 2, 23, "2024-01-20T10:00:00", "purchase"),
    event(4, 3, 31, "2024-01-10T10:00:00", "purchase"),
    event(5, 4, 44, "2024-01-10T10:00:00", "purchase"),
    event(6, 5, 52, "2024-01-10T09:30:00", "purchase"),
    // not conversions
    event(7, 1, 14, "2024-01-10T09:00:00", "view_product"),
    event(8, 2, 22, "2024-01-10T09:10:00", "sign_up"),
  };

  /** Each conversion's revenue, on a pageview with the conversion's event id (pass-through property). */
  private static final Object[][] PAGEVIEWS = {
    revenue(1, 1, 14, "2024-01-10T10:00:00", 100.0),
    revenue(2, 2, 22, "2024-01-10T09:30:00", 10.0),
    revenue(3, 2, 23, "2024-01-20T10:00:00", 20.0),
    revenue(4, 3, 31, "2024-01-10T10:00:00", 40.0),
    revenue(5, 4, 44, "2024-01-10T10:00:00", 50.0),
    // c6 has no revenue: its credit carries no value
  };

  private static Object[] revenue(long id, long user, long session, String time, double value) {
    Object[] row = pageview(id, user, session, time, "/thank-you");
    Object[] withRevenue = java.util.Arrays.copyOf(row, row.length + 1);
    withRevenue[row.length] = value;
    return withRevenue;
  }

  private static final String DIRECT = "Direct";
  private static final String ORGANIC_SEARCH = "Organic Search";
  private static final String PAID_GOOGLE = "Paid Google Search";
  private static final String UNATTRIBUTED = "Unattributed";
  private static final String NONE = Attribution.NO_TOUCH;

  private static Attribution.Builder model(AttributionModel m) {
    return Attribution.builder().model(m);
  }

  @Test
  void firstTouch() {
    // c1 Organic, c2 and c3 Unattributed (s22 first), c4 none, c5 Paid Google, c6 Direct; most
    // conversions first, then by name
    assertThat(run(model(AttributionModel.FIRST_TOUCH).build()))
        .containsExactly(
            tuple(UNATTRIBUTED, 2.0), tuple(NONE, 1.0), tuple(DIRECT, 1.0), tuple(ORGANIC_SEARCH, 1.0), tuple(PAID_GOOGLE, 1.0));
  }

  @Test
  void lastTouchIsTheDefault() {
    // c1 s14, c3 s23, c5 s44 (at the conversion's time), c6 s52: Direct; c2 Unattributed; c4 none
    // Organic Search and Paid Google Search touched conversions but get no credit: rows with 0
    List<Tuple> expected =
        List.of(tuple(DIRECT, 4.0), tuple(NONE, 1.0), tuple(UNATTRIBUTED, 1.0), tuple(ORGANIC_SEARCH, 0.0), tuple(PAID_GOOGLE, 0.0));
    assertThat(run(model(AttributionModel.LAST_TOUCH).build())).containsExactlyElementsOf(expected);
    assertThat(run(Attribution.builder().build())).containsExactlyElementsOf(expected);
  }

  @Test
  void lastNonDirectFallsBackToTheLastTouchWhenAllAreDirect() {
    // c1 s12 and c5 s41: Paid Google; c2, c3 s22: Unattributed; c6 only Direct: s52; c4 none
    assertThat(run(model(AttributionModel.LAST_NON_DIRECT).build()))
        .containsExactly(
            tuple(PAID_GOOGLE, 2.0), tuple(UNATTRIBUTED, 2.0), tuple(NONE, 1.0), tuple(DIRECT, 1.0), tuple(ORGANIC_SEARCH, 0.0));
  }

  @Test
  void linear() {
    // c1: 1/4 each → Organic .25, Paid .25, Direct .5; c2: Unattributed 1; c3: Unattributed .5, Direct .5;
    // c4: none 1; c5: Paid .5, Direct .5; c6: Direct 1
    assertThat(run(model(AttributionModel.LINEAR).build()))
        .containsExactly(
            tuple(DIRECT, 2.5), tuple(UNATTRIBUTED, 1.5), tuple(NONE, 1.0), tuple(PAID_GOOGLE, 0.75), tuple(ORGANIC_SEARCH, 0.25));
  }

  @Test
  void positionBasedWithOneTwoAndFourTouches() {
    // 40/20/40. c1 (4 touches): Organic .4, Paid .1, Direct .1 + .4; c2 (1): Unattributed 1;
    // c3 (2: the middle share split equally): Unattributed .5, Direct .5; c5 (2): Paid .5, Direct .5;
    // c6 (2): Direct 1; c4: none 1
    assertThat(run(model(AttributionModel.POSITION_BASED).build()))
        .containsExactly(
            tuple(DIRECT, 2.5), tuple(UNATTRIBUTED, 1.5), tuple(NONE, 1.0), tuple(PAID_GOOGLE, 0.6), tuple(ORGANIC_SEARCH, 0.4));
    // 30/30/40. c1: Organic .3, Paid .15, Direct .15 + .4; two touches: first .3 + .15, last .4 + .15
    // → c3 Unattributed .45, Direct .55; c5 Paid .45, Direct .55; c6 Direct 1
    assertThat(run(model(AttributionModel.POSITION_BASED).positionWeights(0.3, 0.3, 0.4).build()))
        .containsExactly(
            tuple(DIRECT, 2.65), tuple(UNATTRIBUTED, 1.45), tuple(NONE, 1.0), tuple(PAID_GOOGLE, 0.6), tuple(ORGANIC_SEARCH, 0.3));
  }

  @Test
  void timeDecayHalvesATouchsWeightEveryHalfLife() {
    // weights 2^(-age / 7 days), normalized per conversion
    double[] c1 = shares(w(9), w(5), w(2), w(1)); // Organic, Paid, Direct, Direct
    double[] c3 = shares(w(10 + 1.0 / 24), w(1)); // Unattributed, Direct
    double[] c5 = shares(w(14), w(0)); // Paid (weight 1/4), Direct (1): .2 and .8
    assertThat(c5[0]).isEqualTo(0.2);
    double direct = c1[2] + c1[3] + c3[1] + c5[1] + 1; // c6: both touches Direct
    double unattributed = 1 + c3[0];
    assertThat(run(model(AttributionModel.TIME_DECAY).build()))
        .containsExactly(
            tuple(DIRECT, round(direct)), tuple(UNATTRIBUTED, round(unattributed)), tuple(NONE, 1.0),
            tuple(PAID_GOOGLE, round(c1[1] + c5[0])), tuple(ORGANIC_SEARCH, round(c1[0])));
    // a half-life of one day: c1's weights 2^-9, 2^-5, 2^-2, 2^-1
    double[] c1Day = shares(Math.pow(2, -9), Math.pow(2, -5), Math.pow(2, -2), Math.pow(2, -1));
    List<Tuple> oneDay = run(model(AttributionModel.TIME_DECAY).halfLife(Duration.ofDays(1)).build());
    assertThat(oneDay).contains(tuple(ORGANIC_SEARCH, round(c1Day[0])));
  }

  @Test
  void collapsingRepeatsKeepsTheFirstTouchOfEachRun() {
    // c1: Organic, Paid, Direct (s13; s14 merged into it); c6: Direct (s51); the others have no repeats
    // linear: c1 1/3 each; c3 Unattributed .5, Direct .5; c5 Paid .5, Direct .5; c6 Direct 1
    assertThat(run(model(AttributionModel.LINEAR).collapseRepeats(true).build()))
        .containsExactly(
            tuple(DIRECT, round(1.0 / 3 + 2)), tuple(UNATTRIBUTED, 1.5), tuple(NONE, 1.0),
            tuple(PAID_GOOGLE, round(1.0 / 3 + 0.5)), tuple(ORGANIC_SEARCH, round(1.0 / 3)));
    // time decay: the run's first session gives the age: c1 Direct is 2 days old, not 1
    double[] c1 = shares(w(9), w(5), w(2));
    assertThat(run(model(AttributionModel.TIME_DECAY).collapseRepeats(true).build()))
        .contains(tuple(ORGANIC_SEARCH, round(c1[0])));
    // first and last touch are the same with or without collapsing
    assertThat(run(model(AttributionModel.LAST_TOUCH).collapseRepeats(true).build()))
        .containsExactly(tuple(DIRECT, 4.0), tuple(NONE, 1.0), tuple(UNATTRIBUTED, 1.0), tuple(ORGANIC_SEARCH, 0.0), tuple(PAID_GOOGLE, 0.0));
  }

  @Test
  void creditGoesToAnySessionColumn() {
    // first touch by utm_source: c1 s11 NULL, c2 and c3 twitter, c4 none, c5 google, c6 NULL
    assertThat(run(model(AttributionModel.FIRST_TOUCH).by("utm_source").build()))
        .containsExactly(tuple("twitter", 2.0), tuple(null, 2.0), tuple(NONE, 1.0), tuple("google", 1.0));
  }

  @Test
  void aLongerLookbackReachesOlderSessions() {
    // 30 days: c4 gets s31 (21 days, Direct); c5 gets s42 too, but its last touch is still s44
    assertThat(run(model(AttributionModel.LAST_TOUCH).lookback(Duration.ofDays(30)).build()))
        .containsExactly(tuple(DIRECT, 5.0), tuple(UNATTRIBUTED, 1.0), tuple(ORGANIC_SEARCH, 0.0), tuple(PAID_GOOGLE, 0.0));
    // first touch, 30 days: c5's first touch is now s42 (Organic, 14 days and a second)
    assertThat(run(model(AttributionModel.FIRST_TOUCH).lookback(Duration.ofDays(30)).build()))
        .containsExactly(tuple(DIRECT, 2.0), tuple(ORGANIC_SEARCH, 2.0), tuple(UNATTRIBUTED, 2.0), tuple(PAID_GOOGLE, 0.0));
  }

  /**
   * An unbounded lookback: every earlier session of the user is a touch, so first touch is the user's
   * first session ever, Heap's "initial" session. By hand: c1 s11, c2 and c3 s21 (40 days before c2),
   * c5 s42: Organic Search; c4 s31 (21 days), c6 s51: Direct. Last touch then differs from 30 days only
   * where no session was in the window (none here: c4's s31 is in 30 days too).
   */
  @Test
  void anUnboundedLookbackMakesFirstTouchTheFirstSessionEver() {
    Attribution initial = model(AttributionModel.FIRST_TOUCH).lookbackUnbounded().build();
    assertThat(initial.lookbackUnbounded()).isTrue();
    assertThat(initial.toString()).contains("lookback=all");
    assertThat(run(initial))
        .containsExactly(tuple(ORGANIC_SEARCH, 4.0), tuple(DIRECT, 2.0), tuple(PAID_GOOGLE, 0.0), tuple(UNATTRIBUTED, 0.0));
    assertThat(run(model(AttributionModel.LAST_TOUCH).lookbackUnbounded().build()))
        .containsExactly(tuple(DIRECT, 5.0), tuple(UNATTRIBUTED, 1.0), tuple(ORGANIC_SEARCH, 0.0), tuple(PAID_GOOGLE, 0.0));
    // a lookback given after it sets a bound again
    assertThat(model(AttributionModel.FIRST_TOUCH).lookbackUnbounded().lookback(Duration.ofDays(14)).build())
        .isEqualTo(model(AttributionModel.FIRST_TOUCH).build());
  }

  @Test
  void equalStartTimesAreOrderedBySessionId() {
    Object[][] sessions = {
      session(62, 6, "2024-01-10T08:00:00", null, null, null, null), // Direct
      session(61, 6, "2024-01-10T08:00:00", ORGANIC, null, null, null), // Organic Search
    };
    Object[][] events = {event(60, 6, 61, "2024-01-10T09:00:00", "purchase")};
    assertThat(run(sessions, events, model(AttributionModel.FIRST_TOUCH).build()))
        .containsExactly(tuple(ORGANIC_SEARCH, 1.0), tuple(DIRECT, 0.0));
    assertThat(run(sessions, events, model(AttributionModel.LAST_TOUCH).build()))
        .containsExactly(tuple(DIRECT, 1.0), tuple(ORGANIC_SEARCH, 0.0));
  }

  @Test
  void valueIsCreditedInProportionFromAModelThatCarriesIt() {
    // linear, with revenue: c1 100 → Organic 25, Paid 25, Direct 50; c2 10 → Unattributed 10;
    // c3 20 → Unattributed 10, Direct 10; c4 40 → none 40; c5 50 → Paid 25, Direct 25; c6 no revenue
    Attribution linear = model(AttributionModel.LINEAR).conversionsFrom("orders").value("revenue").build();
    try (H2Db db = load(SESSIONS, EVENTS)) {
      db.insert("pageviews", PAGEVIEWS);
      db.buildStandard();
      HeapProject project = HeapProject.standard(CONFIG);
      addOrders(project);
      AttributionResult result = new AnalysisRunner(Warehouses.H2, project).run(linear, db.connection());
      assertThat(result.rows())
          .extracting(r -> tuple(r.label(), round(r.conversions()), r.value()))
          .containsExactly(
              tuple(DIRECT, 2.5, 85.0), tuple(UNATTRIBUTED, 1.5, 20.0), tuple(NONE, 1.0, 40.0), tuple(PAID_GOOGLE, 0.75, 50.0),
              tuple(ORGANIC_SEARCH, 0.25, 25.0));
      // without a value column the value is NULL
      assertThat(new AnalysisRunner(Warehouses.H2, CONFIG).run(model(AttributionModel.LINEAR).build(), db.connection()).rows())
          .allSatisfy(r -> assertThat(r.value()).isNull());
    }
  }

  @Test
  void conversionEventsAndPredicatesReplaceTheConfigsList() {
    // sign_up (event 8, user 2 at 09:10) has one touch, s22: Unattributed
    assertThat(run(model(AttributionModel.LAST_TOUCH).conversionEvents("sign_up").build())).containsExactly(tuple(UNATTRIBUTED, 1.0));
    EventPredicate viewOrSignUp =
        b -> b.or(b.equals(b.field("heap_event_name"), b.literal("view_product")), b.equals(b.field("heap_event_name"), b.literal("sign_up")));
    // view_product (event 7, user 1 at 09:00 on 01-10): last touch s14, Direct
    assertThat(run(model(AttributionModel.LAST_TOUCH).conversions(viewOrSignUp).build()))
        .containsExactly(tuple(DIRECT, 1.0), tuple(UNATTRIBUTED, 1.0), tuple(ORGANIC_SEARCH, 0.0), tuple(PAID_GOOGLE, 0.0));
  }

  @Test
  void everyModelsCreditsAddUpToTheConversions() {
    for (AttributionModel m : AttributionModel.values()) {
      for (boolean collapse : new boolean[] {false, true}) {
        double total = run(model(m).collapseRepeats(collapse).build()).stream().mapToDouble(t -> (Double) t.toList().get(1)).sum();
        assertThat(total).as("%s, collapse %s", m, collapse).isCloseTo(6.0, org.assertj.core.api.Assertions.within(1e-9));
      }
    }
  }

  @Test
  void badSettingsAreNamed() {
    AnalysisRunner runner = new AnalysisRunner(Warehouses.H2, CONFIG);
    assertThatThrownBy(() -> runner.sql(Attribution.builder().by("campaign").build()))
        .isInstanceOf(HeapAnalysisException.class)
        .hasMessageStartingWith("attribution: by: \"campaign\" is not a column of stg_heap_sessions_inc_fct");
    assertThatThrownBy(() -> runner.sql(Attribution.builder().conversionsFrom("orders").build()))
        .hasMessageContaining("refs unknown model [orders]");
    HeapProject project = HeapProject.standard(CONFIG);
    addOrders(project);
    assertThatThrownBy(() -> new AnalysisRunner(Warehouses.H2, project).sql(Attribution.builder().conversionsFrom("orders").value("amount").build()))
        .isInstanceOf(HeapAnalysisException.class)
        .hasMessage("attribution: value: model orders has no column \"amount\"; its columns are [heap_event_id, heap_user_id, heap_event_time, revenue]");
    assertThatThrownBy(() -> new AnalysisRunner(Warehouses.H2, HeapConfig.defaults()).sql(Attribution.builder().build()))
        .isInstanceOf(HeapAnalysisException.class)
        .hasMessageStartingWith("attribution: conversions: the config has no conversion_events");
  }

  /**
   * A user model of the conversions with their revenue: the events fact's conversions joined to the
   * pageview carrying the same event id and a {@code revenue} property.
   */
  static void addOrders(HeapProject project) {
    project
        .model("orders")
        .ephemeral()
        .plan(
            ctx -> {
              RelBuilder b = ctx.builder();
              ctx.ref("stg_heap_events_all_inc_fct");
              b.filter(b.field("heap_event_is_conversion"));
              ctx.ref("stg_heap_pageview_sessions_inc_fct");
              b.join(JoinRelType.LEFT, b.equals(b.field(2, 0, "heap_event_id"), b.field(2, 1, "heap_pageview_id")));
              return b.project(b.field("heap_event_id"), b.field("heap_user_id"), b.field("heap_event_time"), b.field("revenue")).build();
            });
  }

  private static double w(double days) {
    return Math.pow(2, -days / 7);
  }

  private static double[] shares(double... weights) {
    double total = 0;
    for (double x : weights) {
      total += x;
    }
    double[] s = new double[weights.length];
    for (int i = 0; i < weights.length; i++) {
      s[i] = weights[i] / total;
    }
    return s;
  }

  private static List<Tuple> run(Attribution attribution) {
    return run(SESSIONS, EVENTS, attribution);
  }

  private static List<Tuple> run(Object[][] sessions, Object[][] events, Attribution attribution) {
    try (H2Db db = load(sessions, events)) {
      db.buildStandard();
      List<Tuple> rows = new ArrayList<>();
      for (AttributionResult.Row r : new AnalysisRunner(Warehouses.H2, CONFIG).run(attribution, db.connection()).rows()) {
        rows.add(tuple(r.label(), round(r.conversions())));
      }
      return rows;
    }
  }

  private static H2Db load(Object[][] sessions, Object[][] events) {
    H2Db db = H2Db.create(CONFIG);
    db.insert("sessions", sessions);
    db.insert("all_events", events);
    return db;
  }

  /** Credits are compared to 12 decimals: sums of fractions differ in the last bits between SQL and Java. */
  private static double round(double v) {
    return Math.round(v * 1e12) / 1e12;
  }
}
