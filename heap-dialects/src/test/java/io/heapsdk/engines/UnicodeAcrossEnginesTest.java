package io.heapsdk.engines;

import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.analysis.Attribution;
import io.heapsdk.analysis.AttributionModel;
import io.heapsdk.analysis.AttributionResult;
import io.heapsdk.analysis.Funnel;
import io.heapsdk.analysis.FunnelResult;
import io.heapsdk.config.ChannelRule;
import io.heapsdk.config.HeapConfig;
import io.heapsdk.config.HeapConfigLoader;
import io.heapsdk.model.HeapProject;
import io.heapsdk.model.ProjectPlan;
import io.heapsdk.run.AnalysisRunner;
import io.heapsdk.run.JdbcRunner;
import io.heapsdk.run.SourceTables;
import io.heapsdk.warehouse.SqlRenderer;
import io.heapsdk.warehouse.Warehouse;
import java.math.BigDecimal;
import java.math.MathContext;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Unicode end to end on H2, DuckDB and PostgreSQL: schemas, tables and columns named in Japanese and
 * Russian, event names with emoji (a zero-width-joiner sequence, a flag), CJK and a character outside
 * the Basic Multilingual Plane, a right-to-left override, both spellings of "café", channel rules in
 * Cyrillic and Greek matched against upper-, lower- and title-case data, a Cyrillic own domain, and a
 * pass-through property named with an emoji. Small hand-made data; every expected number below is worked
 * out by hand in the comments, and each engine must give exactly those (so all three give the same).
 */
class UnicodeAcrossEnginesTest {
  /** e + COMBINING ACUTE ACCENT: a different string from the precomposed é, since nothing normalizes. */
  private static final String CAFE_COMBINING = "cafe\u0301";

  private static final String CAFE_PRECOMPOSED = "caf\u00e9";
  private static final String ZWJ_SIGN_UP = "👩\u200D💻 sign-up 🇯🇵";
  /** The same emoji without the joiner: two characters side by side, another event. */
  private static final String UNJOINED_SIGN_UP = "👩💻 sign-up 🇯🇵";

  private static final String RLO_EVENT = "\u202Egnp.exe";
  /** U+20BB7, outside the Basic Multilingual Plane: 4 bytes of UTF-8, a surrogate pair in Java. */
  private static final String SUPPLEMENTARY = "𠮷野家で購入";

  private static final String ADS = "Реклама 👩\u200D💻";
  private static final String GREEK = "Ελληνικά";
  private static final String STREET = "Οδός";
  private static final String OWN_DOMAIN = "пример.рф";
  private static final String FALLBACK = "Без канала 🤷";

  /**
   * Unicode names for the schemas, two tables, two columns and both pass-through properties; funnel
   * steps 閲覧 (1), 购买🛒 (2), café with a combining accent (3), café precomposed (4); four conversion
   * events; rules: medium contains ПОИСК → Реклама 👩‍💻, campaign equals ΚΑΜΠΆΝΙΑ → Ελληνικά, source
   * equals ΟΔΟΣ → Οδός, then the default rules with the own domain пример.рф (Direct when there is no
   * referrer, the domain when the referrer contains it), else Без канала 🤷.
   */
  static HeapConfig config() {
    HeapConfig rules =
        HeapConfigLoader.parse(
            String.join(
                "\n",
                "channels:",
                "  rules:",
                "    - {channel: \"" + ADS + "\", when: {field: utm_medium, contains: \"ПОИСК\"}}",
                "    - {channel: \"" + GREEK + "\", when: {field: utm_campaign, equals: \"ΚΑΜΠΆΝΙΑ\"}}",
                "    - {channel: \"" + STREET + "\", when: {field: utm_source, equals: \"ΟΔΟΣ\"}}"),
            "unicode-rules.yml");
    List<ChannelRule> all = new ArrayList<>(rules.channelRules());
    all.addAll(ChannelRule.defaults(Optional.of(OWN_DOMAIN)));
    HeapConfig names = HeapConfigLoader.parse(
            String.join(
                "\n",
                "source:",
                "  schema: \"ヒープ_本番\"",
                "  tables: {pageviews: \"ページビュー\", sessions: \"сессии\"}",
                "  columns:",
                "    all_events: {event_table_name: \"イベント名\"}",
                "    sessions: {utm_medium: \"média_utm\"}",
                "  pageview_properties: [\"キャンペーン\", {name: \"эксперимент 🧪\", type: bigint}]",
                "target: {schema: \"分析_モデル\"}",
                "funnel_events: [\"閲覧\", \"购买🛒\", \"" + CAFE_COMBINING + "\", \"" + CAFE_PRECOMPOSED + "\"]",
                "conversion_events: [\"購入する\", \"\\u202Egnp.exe\", \"" + ZWJ_SIGN_UP + "\", \"" + SUPPLEMENTARY + "\"]",
                "channels: {own_domain: \"" + OWN_DOMAIN + "\", fallback: \"" + FALLBACK + "\"}"),
            "unicode-engines.yml");
    return HeapConfig.builder().from(names).channelRules(all).build();
  }

  /** Loads the hand-made rows: four users, eight sessions, seventeen events, four pageviews. */
  static void load(Connection c, Warehouse w, HeapConfig config) {
    SourceTables sources = new SourceTables(w, config);
    sources.create(c);
    sources.insert(
        c, "sessions",
        List.of(
            // medium in mixed-case Cyrillic: contains ПОИСК → Реклама 👩‍💻
            session(101, 1, "2024-03-01T10:00:00", "https://www.google.com/", null, null, "Поиск"),
            // campaign in upper-case Greek with a tonos: equals ΚΑΜΠΆΝΙΑ → Ελληνικά
            session(102, 1, "2024-03-02T10:00:00", "https://t.co/", "twitter", "ΚΑΜΠΆΝΙΑ", "social 🐦"),
            // the own domain in upper-case Cyrillic in the referrer: no rule of ours, not Direct → пример.рф
            session(103, 2, "2024-03-01T09:00:00", "https://ПРИМЕР.РФ/блог", null, "spring", null),
            // medium ПОИСК-РЕКЛАМА contains ПОИСК; it comes before the Direct rule → Реклама 👩‍💻
            session(104, 2, "2024-03-03T09:00:00", null, null, null, "ПОИСК-РЕКЛАМА"),
            // campaign in title case: lower-cased it equals καμπάνια → Ελληνικά
            session(105, 3, "2024-03-01T12:00:00", null, null, "Καμπάνια", null),
            // ΚΑΜΠΑΝΙΑ without the tonos is another word (no accent folding), and no default rule
            // matches (a referrer, not a search engine, not the domain) → Без канала 🤷
            session(106, 3, "2024-03-04T12:00:00", "https://example.org/", null, "ΚΑΜΠΑΝΙΑ", null),
            // no referrer → Direct
            session(107, 4, "2024-03-01T08:00:00", null, null, null, null),
            // source ΟΔΟΣ: a word-final capital sigma, σ when PostgreSQL and DuckDB lower it, ς in Java;
            // both sides are lowered by the engine, so it equals the rule's ΟΔΟΣ everywhere → Οδός
            session(108, 4, "2024-03-02T08:00:00", null, "ΟΔΟΣ", null, null)));
    sources.insert(
        c, "all_events",
        List.of(
            event(1, 1, 101, "2024-03-01T10:01:00", "閲覧"),
            event(2, 1, 101, "2024-03-01T10:05:00", "购买🛒"),
            event(3, 1, 101, "2024-03-01T10:06:00", CAFE_COMBINING),
            event(4, 1, 101, "2024-03-01T10:07:00", "購入する"),
            event(5, 1, 102, "2024-03-02T10:01:00", "閲覧"),
            event(6, 1, 102, "2024-03-02T10:02:00", CAFE_PRECOMPOSED),
            event(7, 1, 102, "2024-03-02T10:03:00", RLO_EVENT),
            event(8, 2, 103, "2024-03-01T09:01:00", "閲覧"),
            event(9, 2, 103, "2024-03-01T09:02:00", SUPPLEMENTARY),
            event(10, 2, 104, "2024-03-03T09:05:00", "购买🛒"),
            event(11, 2, 104, "2024-03-03T09:06:00", ZWJ_SIGN_UP),
            event(12, 2, 104, "2024-03-03T09:07:00", UNJOINED_SIGN_UP),
            event(13, 3, 105, "2024-03-01T12:01:00", "閲覧"),
            event(14, 3, 105, "2024-03-01T12:02:00", CAFE_COMBINING),
            event(15, 3, 106, "2024-03-04T12:01:00", "购买🛒"),
            event(16, 3, 106, "2024-03-04T12:02:00", "購入する"),
            event(17, 4, 107, "2024-03-01T08:01:00", "閲覧")));
    sources.insert(
        c, "pageviews",
        List.of(
            pageview(201, 1, 101, "2024-03-01T10:00:00", "/каталог", "Каталог 🛒", "春のセール🌸", 7L),
            pageview(202, 1, 101, "2024-03-01T10:10:00", "/корзина", "Корзина", "春のセール🌸", 7L),
            pageview(203, 2, 103, "2024-03-01T09:00:00", "/مرحبا", "\u202Eexe.ynnuf", "𠮷野家", 42L),
            pageview(204, 3, 105, "2024-03-01T12:00:00", "/", "שלום", null, null)));
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void standardModelsGiveTheHandCountedRows(Engine engine) throws SQLException {
    HeapConfig config = config();
    Warehouse w = engine.warehouse();
    ProjectPlan plan = HeapProject.standard(config).plan();
    try (Connection c = engine.open()) {
      load(c, w, config);
      new JdbcRunner(w).run(plan, c);
      SqlRenderer sql = new SqlRenderer(w, plan);

      // funnel position: the 1-based index in funnel_events, exact strings (the two cafés differ, and
      // 👩💻 without the joiner is not 👩‍💻); conversion: the name is in conversion_events
      Map<Object, String> events = byId(rows(c, "SELECT * FROM " + sql.tableName("stg_heap_events_all_inc_fct")), "heap_event_id",
          "heap_event_name", "heap_event_funnel_position", "heap_event_is_conversion");
      Map<Object, String> expectedEvents = new TreeMap<>();
      expectedEvents.put(1L, line("閲覧", 1, false));
      expectedEvents.put(2L, line("购买🛒", 2, false));
      expectedEvents.put(3L, line(CAFE_COMBINING, 3, false));
      expectedEvents.put(4L, line("購入する", 0, true));
      expectedEvents.put(5L, line("閲覧", 1, false));
      expectedEvents.put(6L, line(CAFE_PRECOMPOSED, 4, false));
      expectedEvents.put(7L, line(RLO_EVENT, 0, true));
      expectedEvents.put(8L, line("閲覧", 1, false));
      expectedEvents.put(9L, line(SUPPLEMENTARY, 0, true));
      expectedEvents.put(10L, line("购买🛒", 2, false));
      expectedEvents.put(11L, line(ZWJ_SIGN_UP, 0, true));
      expectedEvents.put(12L, line(UNJOINED_SIGN_UP, 0, false));
      expectedEvents.put(13L, line("閲覧", 1, false));
      expectedEvents.put(14L, line(CAFE_COMBINING, 3, false));
      expectedEvents.put(15L, line("购买🛒", 2, false));
      expectedEvents.put(16L, line("購入する", 0, true));
      expectedEvents.put(17L, line("閲覧", 1, false));
      assertThat(events).as("events fact on %s", engine).isEqualTo(expectedEvents);

      // per session: channel (see load), step 1-4 counts, conversion count and flag, from the events above
      //   101: events 1 (step 1), 2 (step 2), 3 (step 3), 4 (conversion)
      //   102: 5 (step 1), 6 (step 4, the precomposed café), 7 (conversion)
      //   103: 8 (step 1), 9 (conversion: the supplementary-plane name)
      //   104: 10 (step 2), 11 (conversion), 12 (neither)
      //   105: 13 (step 1), 14 (step 3);  106: 15 (step 2), 16 (conversion);  107: 17 (step 1);  108: none
      Map<Object, String> sessions = byId(rows(c, "SELECT * FROM " + sql.tableName("stg_heap_sessions_inc_fct")), "heap_session_id",
          "heap_session_defined_channel_attribution", "heap_session_funnel_step_1_cnt", "heap_session_funnel_step_2_cnt",
          "heap_session_funnel_step_3_cnt", "heap_session_funnel_step_4_cnt", "heap_session_conversion_cnt",
          "heap_session_is_conversion", "heap_session_utm_medium", "heap_session_city");
      Map<Object, String> expectedSessions = new TreeMap<>();
      expectedSessions.put(101L, line(ADS, 1, 1, 1, 0, 1, true, "Поиск", "東京"));
      expectedSessions.put(102L, line(GREEK, 1, 0, 0, 1, 1, true, "social 🐦", "東京"));
      expectedSessions.put(103L, line(OWN_DOMAIN, 1, 0, 0, 0, 1, true, null, "東京"));
      expectedSessions.put(104L, line(ADS, 0, 1, 0, 0, 1, true, "ПОИСК-РЕКЛАМА", "東京"));
      expectedSessions.put(105L, line(GREEK, 1, 0, 1, 0, 0, false, null, "東京"));
      expectedSessions.put(106L, line(FALLBACK, 0, 1, 0, 0, 1, true, null, "東京"));
      expectedSessions.put(107L, line("Direct", 1, 0, 0, 0, 0, false, null, "東京"));
      expectedSessions.put(108L, line(STREET, 0, 0, 0, 0, 0, false, null, "東京"));
      assertThat(sessions).as("sessions fact on %s", engine).isEqualTo(expectedSessions);

      // pageviews: 201 and 202 are ten minutes apart, one session of user 1; pass-through values as loaded
      Map<Object, String> pageviews = byId(rows(c, "SELECT * FROM " + sql.tableName("stg_heap_pageview_sessions_inc_fct")),
          "heap_pageview_id", "heap_pageview_session_id", "heap_pageview_path", "heap_pageview_title", "キャンペーン", "эксперимент 🧪");
      Map<Object, String> expectedPageviews = new TreeMap<>();
      expectedPageviews.put(201L, line("1_1", "/каталог", "Каталог 🛒", "春のセール🌸", 7));
      expectedPageviews.put(202L, line("1_1", "/корзина", "Корзина", "春のセール🌸", 7));
      expectedPageviews.put(203L, line("2_1", "/مرحبا", "\u202Eexe.ynnuf", "𠮷野家", 42));
      expectedPageviews.put(204L, line("3_1", "/", "שלום", null, null));
      assertThat(pageviews).as("pageviews fact on %s", engine).isEqualTo(expectedPageviews);

      AnalysisRunner analyses = new AnalysisRunner(w, config);
      Funnel.Builder steps = Funnel.builder().step("閲覧").step("购买🛒").step(CAFE_COMBINING);
      // ordered, per user, 14-day window; each user's best attempt (step 2 is the first 购买🛒 after the
      // start, step 3 the first combining café after step 2):
      //   user 1: 1 (10:01) → 2 (10:05, 240 s) → 3 (10:06, 300 s): 3 steps, session 101 (Реклама, Поиск)
      //   user 2: 8 (03-01 09:01) → 10 (03-03 09:05: 2 d 4 min = 173,040 s); no café after: 2 steps,
      //           session 103 (пример.рф, medium NULL)
      //   user 3: 13 (03-01 12:01) → 15 (03-04 12:01: 3 d = 259,200 s); 14 is before 15: 2 steps,
      //           session 105 (Ελληνικά, medium NULL)
      //   user 4: 17 only: 1 step, session 107 (Direct, medium NULL)
      // columns: breakdown, step, event, entered, from first, from previous, drop-off, median s, average s
      assertThat(funnel(analyses.run(steps.breakdown("channel").build(), c)))
          .as("funnel by channel on %s", engine)
          .containsExactlyInAnyOrder(
              line("Direct", 1, "閲覧", 1, 1, null, null, 0, 0),
              line("Direct", 2, "购买🛒", 0, 0, 0, 1, null, null),
              line("Direct", 3, CAFE_COMBINING, 0, 0, null, 0, null, null),
              line(GREEK, 1, "閲覧", 1, 1, null, null, 0, 0),
              line(GREEK, 2, "购买🛒", 1, 1, 1, 0, 259200, 259200),
              line(GREEK, 3, CAFE_COMBINING, 0, 0, 0, 1, null, null),
              line(ADS, 1, "閲覧", 1, 1, null, null, 0, 0),
              line(ADS, 2, "购买🛒", 1, 1, 1, 0, 240, 240),
              line(ADS, 3, CAFE_COMBINING, 1, 1, 1, 0, 300, 300),
              line(OWN_DOMAIN, 1, "閲覧", 1, 1, null, null, 0, 0),
              line(OWN_DOMAIN, 2, "购买🛒", 1, 1, 1, 0, 173040, 173040),
              line(OWN_DOMAIN, 3, CAFE_COMBINING, 0, 0, 0, 1, null, null));
      // by the medium, a data value: Поиск (user 1), NULL (users 2, 3, 4): step 2 reached by users 2
      // and 3, 2 of 3; median and average of 173,040 and 259,200 = 216,120
      assertThat(funnel(analyses.run(steps.breakdown("utm_medium").build(), c)))
          .as("funnel by utm_medium on %s", engine)
          .containsExactlyInAnyOrder(
              line("Поиск", 1, "閲覧", 1, 1, null, null, 0, 0),
              line("Поиск", 2, "购买🛒", 1, 1, 1, 0, 240, 240),
              line("Поиск", 3, CAFE_COMBINING, 1, 1, 1, 0, 300, 300),
              line(null, 1, "閲覧", 3, 1, null, null, 0, 0),
              line(null, 2, "购买🛒", 2, 2 / 3.0, 2 / 3.0, 1, 216120, 216120),
              line(null, 3, CAFE_COMBINING, 0, 0, 0, 2, null, null));

      // conversions (events 4, 7, 9, 11, 16) and their touches, the user's sessions started at most 14
      // days before: 4 ← [101]; 7 ← [101, 102]; 9 ← [103]; 11 ← [103, 104]; 16 ← [105, 106]
      // last touch: 101 Реклама, 102 Ελληνικά, 103 пример.рф, 104 Реклама, 106 Без канала
      assertThat(attribution(analyses.run(Attribution.builder().model(AttributionModel.LAST_TOUCH).build(), c)))
          .as("last-touch attribution on %s", engine)
          .containsOnly(Map.entry(ADS, "2"), Map.entry(GREEK, "1"), Map.entry(OWN_DOMAIN, "1"), Map.entry(FALLBACK, "1"));
      // linear: Реклама 1 (4) + 0.5 (7) + 0.5 (11) = 2; Ελληνικά 0.5 (7) + 0.5 (16) = 1;
      // пример.рф 1 (9) + 0.5 (11) = 1.5; Без канала 0.5 (16)
      assertThat(attribution(analyses.run(Attribution.builder().model(AttributionModel.LINEAR).build(), c)))
          .as("linear attribution on %s", engine)
          .containsOnly(Map.entry(ADS, "2"), Map.entry(GREEK, "1"), Map.entry(OWN_DOMAIN, "1.5"), Map.entry(FALLBACK, "0.5"));
      // by the medium: Поиск 1 (4) + 0.5 (7) = 1.5; social 🐦 0.5 (7); ПОИСК-РЕКЛАМА 0.5 (11);
      // NULL 1 (9) + 0.5 (11) + 1 (16: both touches NULL) = 2.5
      assertThat(attribution(analyses.run(Attribution.builder().model(AttributionModel.LINEAR).by("utm_medium").build(), c)))
          .as("linear attribution by utm_medium on %s", engine)
          .containsOnly(
              Map.entry("Поиск", "1.5"), Map.entry("social 🐦", "0.5"), Map.entry("ПОИСК-РЕКЛАМА", "0.5"), Map.entry("NULL", "2.5"));
    }
  }

  /**
   * LOWER on non-ASCII text, the function channel rules rely on, on each engine: Cyrillic and Greek
   * (with tonos) upper and title case lower to the same text everywhere. The cases the README lists as
   * engine-dependent (word-final Σ, Turkish İ) are not asserted here.
   */
  @ParameterizedTest
  @EnumSource(Engine.class)
  void lowerCasesCyrillicAndGreekOnEveryEngine(Engine engine) throws SQLException {
    try (Connection c = engine.open();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT LOWER('ПОИСК'), LOWER('Поиск'), LOWER('ΚΑΜΠΆΝΙΑ'), LOWER('Καμπάνια'), LOWER('ПРИМЕР.РФ'),"
                    + " LOWER('ÉCOLE'), LOWER('ẞ'), UPPER('поиск')")) {
      rs.next();
      List<String> lowered = new ArrayList<>();
      for (int i = 1; i <= 8; i++) {
        lowered.add(rs.getString(i));
      }
      assertThat(lowered).as(engine.name()).containsExactly("поиск", "поиск", "καμπάνια", "καμπάνια", "пример.рф", "école", "ß", "ПОИСК");
    }
  }

  /** Besides the hand counts, every fact holds the same rows on the three engines, compared whole. */
  @Test
  void everyFactHoldsTheSameRowsOnTheThreeEngines() throws SQLException {
    Map<String, RowMultiset> h2 = facts(Engine.H2);
    for (Engine engine : List.of(Engine.DUCKDB, Engine.POSTGRES)) {
      Map<String, RowMultiset> other = facts(engine);
      for (String fact : h2.keySet()) {
        assertThat(h2.get(fact).size()).as(fact).isPositive();
        assertThat(other.get(fact).missingFrom(h2.get(fact), 5)).as("%s rows on %s not on H2", fact, engine).isEmpty();
        assertThat(h2.get(fact).missingFrom(other.get(fact), 5)).as("%s rows on H2 not on %s", fact, engine).isEmpty();
      }
    }
  }

  private static Map<String, RowMultiset> facts(Engine engine) throws SQLException {
    HeapConfig config = config();
    ProjectPlan plan = HeapProject.standard(config).plan();
    try (Connection c = engine.open()) {
      load(c, engine.warehouse(), config);
      new JdbcRunner(engine.warehouse()).run(plan, c);
      SqlRenderer sql = new SqlRenderer(engine.warehouse(), plan);
      Map<String, RowMultiset> facts = new LinkedHashMap<>();
      for (var m : plan.materialized()) {
        facts.put(m.name(), RowMultiset.of(c, engine + " " + m.name(), "SELECT * FROM " + sql.tableName(m.name())));
      }
      return facts;
    }
  }

  private static Object[] session(
      long id, long user, String time, String referrer, String utmSource, String utmCampaign, String utmMedium) {
    return new Object[] {
      id, user, LocalDateTime.parse(time), "web", "Windows", "Desktop", "PC", "日本", "東京都", "東京", "127.0.0.1", referrer,
      "/", null, null, "Chrome", utmSource, utmCampaign, utmMedium, null, null
    };
  }

  private static Object[] event(long id, long user, long session, String time, String name) {
    return new Object[] {id, user, session, LocalDateTime.parse(time), name};
  }

  private static Object[] pageview(
      long id, long user, long session, String time, String path, String title, String campaign, Long experiment) {
    return new Object[] {id, user, session, LocalDateTime.parse(time), OWN_DOMAIN, path, null, null, title, null, campaign, experiment};
  }

  private static List<String> funnel(FunnelResult result) {
    return result.rows().stream()
        .map(r -> line(r.breakdownValue(), r.step(), r.event(), r.entered(), r.conversionFromFirst(), r.conversionFromPrevious(),
            r.dropOff(), r.medianSecondsFromFirst(), r.avgSecondsFromFirst()))
        .toList();
  }

  private static Map<String, String> attribution(AttributionResult result) {
    Map<String, String> credit = new TreeMap<>();
    result.rows().forEach(r -> credit.put(r.label() == null ? "NULL" : r.label(), text(r.conversions())));
    assertThat(credit).hasSize(result.rows().size());
    return credit;
  }

  /** Rows of a query, column names in lower case. */
  static List<Map<String, Object>> rows(Connection c, String sql) throws SQLException {
    List<Map<String, Object>> rows = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      ResultSetMetaData md = rs.getMetaData();
      while (rs.next()) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          row.put(md.getColumnLabel(i).toLowerCase(Locale.ROOT), rs.getObject(i));
        }
        rows.add(row);
      }
    }
    return rows;
  }

  static Map<Object, String> byId(List<Map<String, Object>> rows, String id, String... columns) {
    Map<Object, String> result = new TreeMap<>();
    for (Map<String, Object> row : rows) {
      assertThat(row).containsKeys(columns);
      Object[] values = new Object[columns.length];
      for (int i = 0; i < columns.length; i++) {
        values[i] = row.get(columns[i]);
      }
      result.put(((Number) row.get(id)).longValue(), line(values));
    }
    return result;
  }

  /** Values as one engine-neutral line: numbers to nine significant digits, text as is, NULL. */
  static String line(Object... values) {
    StringBuilder b = new StringBuilder();
    for (Object v : values) {
      b.append(b.length() == 0 ? "" : " | ").append(text(v));
    }
    return b.toString();
  }

  private static String text(Object v) {
    if (v == null) {
      return "NULL";
    } else if (v instanceof Number n) {
      return new BigDecimal(n.toString()).round(new MathContext(9)).stripTrailingZeros().toPlainString();
    }
    return v.toString();
  }
}
