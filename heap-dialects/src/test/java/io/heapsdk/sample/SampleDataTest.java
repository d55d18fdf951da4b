package io.heapsdk.sample;

import static io.heapsdk.source.SourceCatalog.ALL_EVENTS;
import static io.heapsdk.source.SourceCatalog.PAGEVIEWS;
import static io.heapsdk.source.SourceCatalog.SESSIONS;
import static io.heapsdk.source.SourceCatalog.USERS;
import static io.heapsdk.source.SourceCatalog.USER_MIGRATIONS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.model.ProjectPlan;
import io.heapsdk.run.JdbcRunner;
import io.heapsdk.source.SourceTable;
import io.heapsdk.warehouse.SqlRenderer;
import io.heapsdk.warehouse.Warehouses;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The sample data is deterministic, realistic enough for every model, and loads at scale. */
class SampleDataTest {
  private static final HeapConfig CONFIG = SampleData.demoConfig();
  private static Map<String, List<Object[]>> rows;

  @BeforeAll
  static void generate() {
    rows = SampleData.of(500, 7).rows(CONFIG);
  }

  @Test
  void sameSeedGivesTheSameRowsAndAnotherSeedOtherRows() {
    Map<String, List<Object[]>> again = SampleData.of(500, 7).rows(CONFIG);
    Map<String, List<Object[]>> other = SampleData.of(500, 8).rows(CONFIG);
    for (String table : CONFIG.catalog().tableNames()) {
      assertThat(text(again.get(table))).as(table).isEqualTo(text(rows.get(table)));
      assertThat(text(other.get(table))).as(table).isNotEqualTo(text(rows.get(table)));
    }
  }

  @Test
  void builtInColumnsDoNotDependOnTheConfig() {
    Map<String, List<Object[]>> plain = SampleData.of(500, 7).rows(HeapConfig.defaults());
    int builtIn = HeapConfig.defaults().catalog().table(PAGEVIEWS).columns().size();
    List<Object[]> withProperties = rows.get(PAGEVIEWS).stream().map(r -> Arrays.copyOf(r, builtIn)).toList();
    assertThat(text(plain.get(PAGEVIEWS))).isEqualTo(text(withProperties));
    assertThat(text(plain.get(SESSIONS))).isEqualTo(text(rows.get(SESSIONS)));
  }

  @Test
  void rowsFollowTheCatalogsColumnsAndFillPassThroughProperties() {
    for (SourceTable t : CONFIG.catalog().tables()) {
      assertThat(rows.get(t.name())).as(t.name()).isNotEmpty().allSatisfy(r -> assertThat(r).hasSize(t.columns().size()));
    }
    int category = CONFIG.catalog().table(PAGEVIEWS).columnNames().indexOf("page_category");
    int variant = CONFIG.catalog().table(PAGEVIEWS).columnNames().indexOf("ab_variant");
    assertThat(rows.get(PAGEVIEWS)).allSatisfy(r -> assertThat(r[category]).isInstanceOf(String.class));
    assertThat(column(PAGEVIEWS, "ab_variant").stream().collect(Collectors.toSet()))
        .containsExactlyInAnyOrder("control", "variant_a", "variant_b");
    assertThat(variant).isGreaterThan(category);
  }

  @Test
  void aboutOnePercentOfRowsAreDuplicatesSomeIdenticalSomeLater() {
    for (String table : List.of(SESSIONS, PAGEVIEWS, ALL_EVENTS)) {
      String key = table.equals(SESSIONS) ? "session_id" : "event_id";
      Map<Object, List<Object[]>> byId = groupBy(table, key);
      long duplicates = rows.get(table).size() - byId.size();
      assertThat((double) duplicates / rows.get(table).size()).as(table).isCloseTo(0.01, within(0.006));
      int time = index(table, "time");
      List<List<Object[]>> twice = byId.values().stream().filter(g -> g.size() > 1).toList();
      assertThat(twice).as(table).allSatisfy(g -> assertThat(g).hasSize(2));
      assertThat(twice).as(table + ": identical copies").anySatisfy(g -> assertThat(g.get(1)).isEqualTo(g.get(0)));
      assertThat(twice)
          .as(table + ": copies seen later")
          .anySatisfy(g -> assertThat((LocalDateTime) g.get(1)[time]).isAfter((LocalDateTime) g.get(0)[time]));
    }
  }

  @Test
  void everyPageviewIsAnEventAndFunnelStepsGetRarer() {
    Set<Object> pageviewEvents =
        rows.get(ALL_EVENTS).stream()
            .filter(r -> r[index(ALL_EVENTS, "event_table_name")].equals("pageviews"))
            .map(r -> r[0])
            .collect(Collectors.toSet());
    assertThat(pageviewEvents).isEqualTo(new HashSet<>(column(PAGEVIEWS, "event_id")));
    Map<Object, Long> names =
        column(ALL_EVENTS, "event_table_name").stream().collect(Collectors.groupingBy(n -> n, Collectors.counting()));
    List<Long> funnel = SampleData.FUNNEL_EVENTS.stream().map(e -> names.getOrDefault(e, 0L)).toList();
    assertThat(funnel).isSortedAccordingTo(Comparator.reverseOrder()).doesNotHaveDuplicates().allMatch(n -> n > 0);
    assertThat(names).containsKey("sign_up");
    assertThat(SampleData.FUNNEL_EVENTS).doesNotContain("sign_up");
  }

  @Test
  void pageviewGapsIncludeTheSessionTimeoutEdgesEqualTimesAndNullTimes() {
    Set<Duration> gaps = new HashSet<>();
    Map<Object, List<Object[]>> bySession = groupBy(PAGEVIEWS, "session_id");
    int time = index(PAGEVIEWS, "time");
    for (List<Object[]> session : bySession.values()) {
      List<LocalDateTime> times =
          session.stream().map(r -> (LocalDateTime) r[time]).filter(Objects::nonNull).sorted().distinct().toList();
      for (int i = 1; i < times.size(); i++) {
        gaps.add(Duration.between(times.get(i - 1), times.get(i)));
      }
    }
    assertThat(gaps).contains(Duration.ofMinutes(30), Duration.ofMinutes(30).plusMillis(1));
    assertThat(gaps).anyMatch(g -> g.compareTo(Duration.ofHours(1)) > 0);
    assertThat(gaps).anyMatch(g -> g.compareTo(Duration.ofMinutes(10)) < 0);
    List<Object> pageviewTimes = column(PAGEVIEWS, "time");
    assertThat(pageviewTimes).containsNull();
    assertThat(pageviewTimes.stream().filter(Objects::isNull).count()).isLessThan(pageviewTimes.size() / 100);
    assertThat(rows.get(PAGEVIEWS).stream().filter(r -> r[time] != null).collect(Collectors.groupingBy(r -> r[1] + "@" + r[time])))
        .as("two pageviews of a user at the same instant")
        .anySatisfy((k, v) -> assertThat(v.stream().map(r -> r[0]).distinct()).hasSizeGreaterThan(1));
    assertThat(column(ALL_EVENTS, "time")).doesNotContainNull();
  }

  @Test
  void identityMergesIncludeAChainAndEveryMergedUserHasARow() {
    List<Object[]> merges = rows.get(USER_MIGRATIONS);
    assertThat(merges).hasSizeBetween(3, 10);
    Set<Object> from = merges.stream().map(r -> r[0]).collect(Collectors.toSet());
    Set<Object> to = merges.stream().map(r -> r[1]).collect(Collectors.toSet());
    assertThat(to).as("b of a→b, b→c").anyMatch(from::contains);
    Map<Object, List<Object[]>> users = groupBy(USERS, "user_id");
    assertThat(users.keySet()).containsAll(from).containsAll(to);
    int identity = index(USERS, "identity");
    assertThat(from.stream().filter(f -> !to.contains(f)))
        .as("anonymous before the merge")
        .allSatisfy(f -> assertThat(users.get(f).get(0)[identity]).isNull());
    assertThat(to).allSatisfy(t -> assertThat(users.get(t).get(0)[identity]).isNotNull());
  }

  @Test
  void idsAreUniqueExceptTheDuplicatesAndKeepTheirTables() {
    assertThat(groupBy(USERS, "user_id")).hasSize(500);
    Map<Object, List<Object[]>> sessions = groupBy(SESSIONS, "session_id");
    assertThat(sessions.values()).allSatisfy(g -> assertThat(g).extracting(r -> r[1]).containsOnly(g.get(0)[1]));
    Set<Object> userIds = new HashSet<>(column(USERS, "user_id"));
    assertThat(column(SESSIONS, "user_id")).allMatch(userIds::contains);
    assertThat(column(PAGEVIEWS, "session_id")).allMatch(sessions::containsKey);
  }

  @Test
  void countsGrowWithTheNumberOfUsers() {
    Map<String, Integer> small = counts(SampleData.of(200, 3).rows(CONFIG));
    Map<String, Integer> large = counts(SampleData.of(2000, 3).rows(CONFIG));
    assertThat(small.get(USERS)).isBetween(200, 210);
    for (String table : List.of(USERS, SESSIONS, PAGEVIEWS, ALL_EVENTS)) {
      assertThat((double) large.get(table) / small.get(table)).as(table).isBetween(8.5, 11.5);
    }
    assertThat(large.get(USER_MIGRATIONS)).isEqualTo(2 + 2000 / 100);
    assertThat(counts(SampleData.of(0, 3).rows(CONFIG))).containsOnlyKeys(CONFIG.catalog().tableNames()).allSatisfy((t, n) -> assertThat(n).isZero());
  }

  /**
   * The same users over a longer history: about as many rows of every table (the walk's later draws
   * follow the first visits' times, so not exactly as many), the events spread over about the days
   * asked for.
   */
  @Test
  void moreDaysSpreadAboutAsManyRowsOverALongerHistory() {
    Map<String, List<Object[]>> longer = SampleData.of(500, 7).withDays(100).rows(CONFIG);
    Map<String, Integer> before = counts(rows);
    counts(longer).forEach((t, n) -> assertThat((double) n).as(t).isCloseTo(before.get(t), within(0.1 * before.get(t))));
    int time = index(ALL_EVENTS, "time");
    assertThat(spanDays(rows.get(ALL_EVENTS), time)).isBetween(29L, 45L);
    assertThat(spanDays(longer.get(ALL_EVENTS), time)).isBetween(99L, 115L);
    assertThat(SampleData.of(500, 7).withDays(100).days()).isEqualTo(100);
  }

  private static long spanDays(List<Object[]> table, int column) {
    List<LocalDateTime> times = table.stream().map(r -> (LocalDateTime) r[column]).filter(Objects::nonNull).sorted().toList();
    return Duration.between(times.get(0), times.get(times.size() - 1)).toDays();
  }

  @Test
  void theStandardModelsBuildOnItAndSessionsGetEveryDefaultChannel() throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")) {
      Map<String, Long> loaded = SampleData.of(300, 11).load(c, Warehouses.H2, CONFIG);
      ProjectPlan plan = HeapProject.standard(CONFIG).plan();
      new JdbcRunner(Warehouses.H2).run(plan, c);
      SqlRenderer sql = new SqlRenderer(Warehouses.H2, plan);
      assertThat(loaded.get(PAGEVIEWS)).isEqualTo(count(c, "SELECT COUNT(*) FROM " + sql.sourceName(PAGEVIEWS)));
      Set<String> channels = new HashSet<>();
      try (Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT DISTINCT " + Warehouses.H2.quote("heap_session_defined_channel_attribution")
                      + " FROM " + sql.tableName("stg_heap_sessions_inc_fct"))) {
        while (rs.next()) {
          channels.add(rs.getString(1));
        }
      }
      assertThat(channels)
          .containsExactlyInAnyOrder(
              "Facebook Paid", "Paid Bing Search", "Paid Google Search", "Direct", "Organic Search",
              SampleData.OWN_DOMAIN, "Unattributed");
      String converting =
          "SELECT COUNT(*) FROM " + sql.tableName("stg_heap_sessions_inc_fct") + " WHERE "
              + Warehouses.H2.quote("heap_session_is_conversion") + " AND "
              + Warehouses.H2.quote("heap_session_funnel_step_4_cnt") + " = 0";
      assertThat(count(c, converting)).as("sessions converting by sign_up alone").isPositive();
    }
  }

  @Test
  void loadsInBatchesAcrossTheBatchSize() throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")) {
      SampleData sample = SampleData.of(3000, 5);
      Map<String, Long> loaded = sample.load(c, Warehouses.H2, CONFIG);
      Map<String, Integer> generated = counts(sample.rows(CONFIG));
      SqlRenderer sql = new SqlRenderer(Warehouses.H2, HeapProject.empty(CONFIG).plan());
      for (String table : CONFIG.catalog().tableNames()) {
        assertThat(loaded.get(table)).as(table).isEqualTo(generated.get(table).longValue());
        assertThat(count(c, "SELECT COUNT(*) FROM " + sql.sourceName(table))).as(table).isEqualTo(loaded.get(table));
      }
      assertThat(loaded.get(ALL_EVENTS)).isGreaterThan(5_000);
      assertThat(c.getAutoCommit()).isTrue();
    }
  }

  private static long count(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static Map<String, Integer> counts(Map<String, List<Object[]>> tables) {
    Map<String, Integer> counts = new HashMap<>();
    tables.forEach((t, r) -> counts.put(t, r.size()));
    return counts;
  }

  private static int index(String table, String column) {
    return CONFIG.catalog().table(table).columnNames().indexOf(column);
  }

  private static List<Object> column(String table, String column) {
    int i = index(table, column);
    List<Object> values = new ArrayList<>();
    rows.get(table).forEach(r -> values.add(r[i]));
    return values;
  }

  private static Map<Object, List<Object[]>> groupBy(String table, String column) {
    int i = index(table, column);
    Function<Object[], Object> key = r -> r[i];
    return rows.get(table).stream().collect(Collectors.groupingBy(key));
  }

  private static List<String> text(List<Object[]> table) {
    return table.stream().map(Arrays::toString).toList();
  }
}
