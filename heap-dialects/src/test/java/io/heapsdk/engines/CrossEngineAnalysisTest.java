package io.heapsdk.engines;

import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.analysis.Attribution;
import io.heapsdk.analysis.AttributionModel;
import io.heapsdk.analysis.BreakdownAttribution;
import io.heapsdk.analysis.Funnel;
import io.heapsdk.analysis.Paths;
import io.heapsdk.analysis.Retention;
import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.model.TimeGrain;
import io.heapsdk.run.AnalysisRunner;
import io.heapsdk.run.JdbcRunner;
import io.heapsdk.sample.SampleData;
import java.math.BigDecimal;
import java.math.MathContext;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Funnels, attributions, retentions and paths give the same answers on DuckDB and PostgreSQL as on H2
 * (whose answers the hand-computed and oracle tests pin down), from the same sample data: every
 * ordering and unit, a breakdown, exclusions and breakdown attributions, trends and times to convert,
 * every attribution model, every retention period and mode, paths both ways, per user and session, of
 * events and pages. Fractional results are compared to nine significant digits,
 * as engines may sum doubles in different orders.
 */
class CrossEngineAnalysisTest {
  static final SampleData SAMPLE = SampleData.of(300, 20240101L);
  static final HeapConfig CONFIG = SampleData.demoConfig();

  static Map<String, String> analyses(AnalysisRunner runner) {
    Map<String, String> sql = new LinkedHashMap<>();
    List<String> steps = CONFIG.funnelEvents();
    for (Funnel.Ordering ordering : Funnel.Ordering.values()) {
      for (Funnel.Unit unit : Funnel.Unit.values()) {
        Funnel.Builder f = Funnel.builder().steps(steps).ordering(ordering).unit(unit).window(Duration.ofDays(7));
        sql.put("funnel " + ordering + " " + unit, runner.sql(f.build()));
      }
    }
    sql.put("funnel by channel", runner.sql(Funnel.builder().steps(steps).breakdown("channel").build()));
    // exclusions over the whole funnel and between steps, and the breakdown's attributions
    for (Funnel.Ordering ordering : Funnel.Ordering.values()) {
      Funnel.Builder f = Funnel.builder().steps(steps).ordering(ordering).window(Duration.ofHours(3)).exclude("sign_up");
      if (ordering != Funnel.Ordering.ANY_ORDER) {
        f.exclude("search", 1, 2).exclude("pageviews", 3, 4);
      }
      sql.put("funnel excluding " + ordering, runner.sql(f.breakdown("channel").breakdownAttribution(BreakdownAttribution.last()).build()));
      sql.put("funnel excluding " + ordering + " per session", runner.sql(f.unit(Funnel.Unit.SESSION).breakdownAttribution(BreakdownAttribution.step(2)).build()));
    }
    // later steps up to the end of the range's last day (Heap's funnel chart), an exclusion too
    sql.put(
        "funnel to the range's end",
        runner.sql(
            Funnel.builder().steps(steps).from(java.time.LocalDate.of(2024, 1, 3)).to(java.time.LocalDate.of(2024, 1, 10))
                .windowToRangeEnd().exclude("sign_up").build()));
    sql.put(
        "funnel by utm_source of step 3",
        runner.sql(Funnel.builder().steps(steps).breakdown("utm_source").breakdownAttribution(BreakdownAttribution.step(3)).build()));
    // trends and times to convert
    Funnel excluding = Funnel.builder().steps(steps).window(Duration.ofDays(2)).exclude("sign_up", 2, 4).build();
    for (TimeGrain grain : List.of(TimeGrain.DAY, TimeGrain.WEEK, TimeGrain.MONTH)) {
      sql.put("trend per " + grain, runner.sql(excluding.trend(grain)));
    }
    sql.put(
        "trend per week by channel, any order",
        runner.sql(Funnel.builder().steps(steps).ordering(Funnel.Ordering.ANY_ORDER).breakdown("channel").build().trend(TimeGrain.WEEK)));
    sql.put("time to convert 1-4", runner.sql(excluding.timeToConvert(1, 4)));
    sql.put("time to convert 2-3 in 9 bins", runner.sql(excluding.timeToConvert(2, 3, 9)));
    sql.put(
        "time to convert 1-3 any order per session",
        runner.sql(Funnel.builder().steps(steps).ordering(Funnel.Ordering.ANY_ORDER).unit(Funnel.Unit.SESSION).build().timeToConvert(1, 3)));
    for (AttributionModel model : AttributionModel.values()) {
      sql.put("attribution " + model, runner.sql(Attribution.builder().model(model).lookback(Duration.ofDays(30)).build()));
    }
    sql.put("attribution first touch, every earlier session", runner.sql(Attribution.builder().model(AttributionModel.FIRST_TOUCH).lookbackUnbounded().build()));
    sql.put(
        "attribution linear collapsed by utm_source",
        runner.sql(Attribution.builder().model(AttributionModel.LINEAR).by("utm_source").collapseRepeats(true).build()));
    sql.put("retention daily, any event", runner.sql(Retention.builder().periods(10).build()));
    sql.put(
        "retention weekly view_product to purchase, on or after, by channel",
        runner.sql(
            Retention.builder()
                .startEvent("view_product")
                .returnEvent("purchase")
                .period(Retention.Period.WEEK)
                .periods(4)
                .mode(Retention.Mode.ON_OR_AFTER)
                .breakdown("channel")
                .build()));
    sql.put(
        "retention monthly to view_product, from the second week",
        runner.sql(Retention.builder().returnEvent("view_product").period(Retention.Period.MONTH).periods(2).from(java.time.LocalDate.of(2024, 1, 8)).build()));
    // days, weeks and ranges of another zone's calendar: 8 hours behind, 5.5 ahead, 14 ahead of UTC
    java.time.ZoneId losAngeles = java.time.ZoneId.of("America/Los_Angeles");
    sql.put(
        "trend per day in Los Angeles, from the 3rd to the 20th",
        runner.sql(
            Funnel.builder().steps(steps).from(java.time.LocalDate.of(2024, 1, 3)).to(java.time.LocalDate.of(2024, 1, 20)).timeZone(losAngeles)
                .build().trend(TimeGrain.DAY)));
    sql.put(
        "funnel to the range's end in Los Angeles",
        runner.sql(
            Funnel.builder().steps(steps).from(java.time.LocalDate.of(2024, 1, 3)).to(java.time.LocalDate.of(2024, 1, 10)).windowToRangeEnd()
                .timeZone(losAngeles).build()));
    sql.put(
        "retention daily in Kolkata, from the 5th",
        runner.sql(Retention.builder().periods(6).from(java.time.LocalDate.of(2024, 1, 5)).timeZone(java.time.ZoneId.of("Asia/Kolkata")).build()));
    sql.put(
        "retention weekly to view_product in Los Angeles",
        runner.sql(Retention.builder().returnEvent("view_product").period(Retention.Period.WEEK).periods(3).timeZone(losAngeles).build()));
    sql.put(
        "attribution last touch from the 10th to the 20th in Kiritimati",
        runner.sql(
            Attribution.builder().model(AttributionModel.LAST_TOUCH).from(java.time.LocalDate.of(2024, 1, 10)).to(java.time.LocalDate.of(2024, 1, 20))
                .timeZone(java.time.ZoneId.of("Pacific/Kiritimati")).build()));
    sql.put("paths after view_product", runner.sql(Paths.builder().event("view_product").steps(3).top(15).exclude("pageviews").build()));
    sql.put(
        "paths before purchase per session with repeats",
        runner.sql(
            Paths.builder().event("purchase").steps(3).top(15).direction(Paths.Direction.BEFORE).unit(Funnel.Unit.SESSION).collapseRepeats(false).build()));
    sql.put("pages after home", runner.sql(Paths.builder().event("/").steps(3).top(20).source(Paths.Source.PAGEVIEWS).build()));
    return sql;
  }

  @ParameterizedTest
  @EnumSource(value = Engine.class, names = {"DUCKDB", "POSTGRES"})
  void sameAnswersAsH2(Engine engine) throws SQLException {
    Map<String, List<String>> expected = run(Engine.H2);
    Map<String, List<String>> actual = run(engine);
    assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
    for (String analysis : expected.keySet()) {
      assertThat(expected.get(analysis)).as("%s has rows on H2", analysis).isNotEmpty();
      assertThat(actual.get(analysis)).as("%s on %s", analysis, engine).isEqualTo(expected.get(analysis));
    }
  }

  static Map<String, List<String>> run(Engine engine) throws SQLException {
    try (Connection c = engine.open()) {
      SAMPLE.load(c, engine.warehouse(), CONFIG);
      new JdbcRunner(engine.warehouse()).run(HeapProject.standard(CONFIG).plan(), c);
      Map<String, List<String>> results = new LinkedHashMap<>();
      for (Map.Entry<String, String> a : analyses(new AnalysisRunner(engine.warehouse(), CONFIG)).entrySet()) {
        results.put(a.getKey(), rows(c, a.getValue()));
      }
      return results;
    }
  }

  /** The rows as sorted text lines; doubles to nine significant digits. */
  private static List<String> rows(Connection c, String sql) throws SQLException {
    List<String> lines = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      ResultSetMetaData md = rs.getMetaData();
      List<String> labels = new ArrayList<>();
      for (int i = 1; i <= md.getColumnCount(); i++) {
        labels.add(md.getColumnLabel(i));
      }
      while (rs.next()) {
        Object[] values = new Object[labels.size()];
        for (int i = 1; i <= values.length; i++) {
          values[i - 1] =
              switch (md.getColumnType(i)) {
                case Types.TIMESTAMP -> rs.getObject(i, java.time.LocalDateTime.class);
                case Types.DATE -> rs.getObject(i, java.time.LocalDate.class);
                default -> rs.getObject(i);
              };
        }
        lines.add(line(labels, values));
      }
    }
    lines.sort(null);
    return lines;
  }

  /** One result row as a text line, timestamps given as {@link java.time.LocalDateTime}, dates as {@link java.time.LocalDate}. */
  static String line(List<String> labels, Object[] values) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < values.length; i++) {
      Object v = values[i];
      if (v instanceof Double || v instanceof Float || (v instanceof BigDecimal d && d.scale() > 0)) {
        v = new BigDecimal(v.toString()).round(new MathContext(9));
      }
      line.append(labels.get(i).toLowerCase(Locale.ROOT)).append('=').append(RowMultiset.text(v)).append(' ');
    }
    return line.toString();
  }
}
