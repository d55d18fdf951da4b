package io.heapsdk.report;

import java.util.ArrayList;
import java.util.List;

/**
 * One report with every chart type, on numbers written out by hand, with labels meant to break a page:
 * markup, ampersands and quotes, text that looks like an entity, CJK and emoji (a joined sequence and a
 * flag), Hebrew and Arabic, a right-to-left override. The tests compare what the page carries with these
 * inputs.
 */
public final class ChartFixtures {
  private ChartFixtures() {}

  public static final String MARKUP = "view <script>alert(1)</script>";
  public static final String QUOTES = "add & \"cart\" 'now'";
  public static final String ENTITY = "&amp; &lt;b&gt; are text";
  public static final String CJK_EMOJI = "購入🛒";
  public static final String JOINED = "👩\u200D💻 dev";
  public static final String FLAG = "🇯🇵 Japan";
  public static final String HEBREW_OVERRIDE = "שלום \u202Eevil";
  public static final String ARABIC = "العربية";

  /** Every hostile label above. */
  public static final List<String> HOSTILE = List.of(MARKUP, QUOTES, ENTITY, CJK_EMOJI, JOINED, FLAG, HEBREW_OVERRIDE, ARABIC);

  /**
   * Three panels. {@code Direct}: 100, 60 and 25 entered; {@code <b>Paid</b> & "Co"}: 40, 10, 0; and the
   * NULL value: 5, 5, 5. Conversions and drop-offs follow (60/100, 25/60, 100−60, …).
   */
  public static final List<FunnelChart.Panel> FUNNEL =
      List.of(
          new FunnelChart.Panel(
              "Direct",
              List.of(
                  new FunnelChart.Step(MARKUP, 100, 1.0, null, null, 0.0),
                  new FunnelChart.Step(QUOTES, 60, 0.6, 0.6, 40L, 120.0),
                  new FunnelChart.Step(CJK_EMOJI, 25, 0.25, 25.0 / 60, 35L, 3600.5))),
          new FunnelChart.Panel(
              "<b>Paid</b> & \"Co\"",
              List.of(
                  new FunnelChart.Step(MARKUP, 40, 1.0, null, null, 0.0),
                  new FunnelChart.Step(QUOTES, 10, 0.25, 0.25, 30L, 30.0),
                  new FunnelChart.Step(CJK_EMOJI, 0, 0.0, 0.0, 10L, null))),
          new FunnelChart.Panel(
              null,
              List.of(
                  new FunnelChart.Step(MARKUP, 5, 1.0, null, null, 0.0),
                  new FunnelChart.Step(QUOTES, 5, 1.0, 1.0, 0L, 10.0),
                  new FunnelChart.Step(CJK_EMOJI, 5, 1.0, 1.0, 0L, 20.0))));

  /** 25 conversions in all: 12.5, 7.25, 3, 1.25, 1 (NULL label) and 0. */
  public static final List<BarChart.Bar> BARS =
      List.of(
          new BarChart.Bar("Direct", 12.5, 100.0),
          new BarChart.Bar(QUOTES, 7.25, 70.5),
          new BarChart.Bar(CJK_EMOJI, 3.0, null),
          new BarChart.Bar(ARABIC, 1.25, 0.0),
          new BarChart.Bar(null, 1.0, 5.0),
          new BarChart.Bar("(none)", 0.0, null));

  /** Cohorts of 100, 80 and 50 users; later periods not over yet for the younger cohorts. */
  public static final List<HeatMap.Row> RETENTION =
      List.of(
          new HeatMap.Row("2024-01-01", 100, cells(100, 100, 40, 25, 10)),
          new HeatMap.Row("2024-01-08", 80, cells(80, 80, 30, 12)),
          new HeatMap.Row("2024-01-15", 50, cells(50, 50, 20)));

  public static final List<String> PERIODS = List.of("0", "1", "2", "3");

  public static final List<Histogram.Bin> BINS =
      List.of(
          new Histogram.Bin("0s\u20131m", 0, 60, 10),
          new Histogram.Bin("1m\u20135m", 60, 300, 25),
          new Histogram.Bin("5m\u201330m", 300, 1800, 18),
          new Histogram.Bin("30m\u20131h", 1800, 3600, 4),
          new Histogram.Bin("1h\u20131d", 3600, 86400, 7),
          new Histogram.Bin("\u2265 1d " + MARKUP, 86400, 604800, 2));

  public static final List<String> DAYS = List.of("2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05", "2024-01-06", "2024-01-07");

  /** Two series; Direct has no value on the 3rd (nobody entered), the NULL series none on the 6th and 7th. */
  public static final List<TrendChart.Line> TREND =
      List.of(
          new TrendChart.Line(
              "Direct",
              List.of(
                  new TrendChart.Point("2024-01-01", 0.5, 10L), new TrendChart.Point("2024-01-02", 0.4, 10L),
                  new TrendChart.Point("2024-01-03", null, 0L), new TrendChart.Point("2024-01-04", 0.25, 8L),
                  new TrendChart.Point("2024-01-05", 1.0 / 3, 9L), new TrendChart.Point("2024-01-06", 0.6, 5L),
                  new TrendChart.Point("2024-01-07", 0.1, 10L))),
          new TrendChart.Line(
              null,
              List.of(
                  new TrendChart.Point("2024-01-01", 0.2, 5L), new TrendChart.Point("2024-01-02", 0.0, 4L),
                  new TrendChart.Point("2024-01-03", 1.0, 1L), new TrendChart.Point("2024-01-04", 0.5, 2L),
                  new TrendChart.Point("2024-01-05", 0.75, 4L))));

  /** After {@code purchase}: 88 users on five paths; {@code view} alone is the start of two others. */
  public static final List<PathTree.Path> PATHS_AFTER =
      List.of(
          new PathTree.Path(List.of("view", "cart"), 50, 0.5),
          new PathTree.Path(List.of("view", "home"), 20, 0.2),
          new PathTree.Path(List.of("view"), 10, 0.1),
          new PathTree.Path(List.of(JOINED, HEBREW_OVERRIDE), 5, 0.05),
          new PathTree.Path(List.of(QUOTES), 3, 0.03));

  /** Before {@code purchase}, in time order (the nearest event last). */
  public static final List<PathTree.Path> PATHS_BEFORE =
      List.of(
          new PathTree.Path(List.of("home", "view"), 30, 0.3),
          new PathTree.Path(List.of("search", "view"), 12, 0.12),
          new PathTree.Path(List.of(ENTITY, "cart"), 4, null));

  /** The whole report. */
  public static Report report() {
    return Report.titled("Every chart: " + MARKUP)
        .line("Labels: " + String.join(" | ", HOSTILE))
        .add(new FunnelChart("Funnel by channel", "users", "channel", FUNNEL))
        .add(new BarChart("Attribution by channel", "channel", "conversions", "value", BARS))
        .add(new HeatMap("Retention, weekly cohorts", "country", FLAG, "cohort", "users", "retained", "week", PERIODS, RETENTION))
        .add(new Histogram("Time to convert", null, "time from step 1 to step 3", "users", BINS))
        .add(new TrendChart("Conversion per day", "conversion", true, "channel", DAYS, TREND))
        .add(new PathTree("Paths after purchase", "purchase", false, "users", PATHS_AFTER))
        .add(new PathTree("Paths before purchase", "purchase", true, "users", PATHS_BEFORE));
  }

  /** Cells of a cohort of {@code size}: rates retained / size. */
  private static List<HeatMap.Cell> cells(long size, long... retained) {
    List<HeatMap.Cell> cells = new ArrayList<>();
    for (long r : retained) {
      cells.add(new HeatMap.Cell((double) r / size, r));
    }
    return cells;
  }
}
