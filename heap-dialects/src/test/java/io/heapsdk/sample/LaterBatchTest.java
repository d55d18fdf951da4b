package io.heapsdk.sample;

import static io.heapsdk.source.SourceCatalog.ALL_EVENTS;
import static io.heapsdk.source.SourceCatalog.PAGEVIEWS;
import static io.heapsdk.source.SourceCatalog.SESSIONS;
import static io.heapsdk.source.SourceCatalog.USERS;
import static io.heapsdk.source.SourceCatalog.USER_MIGRATIONS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.config.HeapConfigLoader;
import io.heapsdk.model.HeapProject;
import io.heapsdk.run.RunResult;
import io.heapsdk.warehouse.BuildPlan;
import io.heapsdk.warehouse.SqlRenderer;
import io.heapsdk.warehouse.Warehouse;
import io.heapsdk.warehouse.Warehouses;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Later batches of sample data: deterministic, with new ids only, late rows inside the lookback, merges
 * rewritten as Heap does, and, above all, incremental runs over them equal to full refreshes.
 */
class LaterBatchTest {
  private static final HeapConfig CONFIG = SampleData.demoConfig();
  private static final SampleData FIRST = SampleData.of(400, 9);
  private static final List<String> EVENT_TABLES = List.of(SESSIONS, PAGEVIEWS, ALL_EVENTS);

  private static Map<String, List<Object[]>> first;
  private static Map<String, List<Object[]>> second;
  private static Map<String, List<Object[]>> third;
  private static LaterBatch.Summary secondSummary;
  private static LaterBatch.Summary thirdSummary;

  @BeforeAll
  static void generate() {
    first = FIRST.rows(CONFIG);
    second = FIRST.nextBatch().rows(CONFIG);
    third = FIRST.batch(3).rows(CONFIG);
    secondSummary = FIRST.nextBatch().summary(CONFIG);
    thirdSummary = FIRST.batch(3).summary(CONFIG);
  }

  @Test
  void theSameParametersGiveTheSameRowsAndOtherParametersOtherRows() {
    assertSameRows(FIRST.batch(2).rows(CONFIG), second);
    assertSameRows(SampleData.of(400, 9).nextBatch().next().rows(CONFIG), third);
    assertThat(text(SampleData.of(400, 10).nextBatch().rows(CONFIG).get(ALL_EVENTS))).isNotEqualTo(text(second.get(ALL_EVENTS)));
    assertThat(text(FIRST.nextBatch(BatchShape.touching(0.2)).rows(CONFIG).get(ALL_EVENTS))).isNotEqualTo(text(second.get(ALL_EVENTS)));
    // batch 3 depends on batch 2's shape: it follows on what batch 2 left
    assertThat(text(FIRST.nextBatch(BatchShape.touching(0.2)).next().rows(CONFIG).get(ALL_EVENTS)))
        .isNotEqualTo(text(third.get(ALL_EVENTS)));
    assertThat(text(third.get(ALL_EVENTS))).isNotEqualTo(text(second.get(ALL_EVENTS)));
  }

  @Test
  void aBatchHoldsEveryKindOfChangeAndItsSummaryCountsItsRows() {
    for (LaterBatch.Summary s : List.of(secondSummary, thirdSummary)) {
      assertThat(s.newUsers()).as("new users").isPositive();
      assertThat(s.returningUsers()).as("returning users").isPositive();
      assertThat(s.lateRows()).as("late rows").isPositive();
      assertThat(s.identicalResyncs()).as("identical re-syncs").isPositive();
      assertThat(s.laterResyncs()).as("later re-syncs").isPositive();
      assertThat(s.merges()).as("merges").isNotEmpty();
    }
    for (String table : CONFIG.catalog().tableNames()) {
      assertThat(secondSummary.rows().get(table)).as(table).isEqualTo((long) second.get(table).size());
    }
    assertThat(second.get(USER_MIGRATIONS).stream().map(r -> List.of(r[0], r[1], r[2])).toList())
        .isEqualTo(secondSummary.merges().stream().map(m -> List.<Object>of(m.fromUserId(), m.toUserId(), m.time())).toList());
    Map<String, Long> afterFirst = new HashMap<>();
    first.forEach((t, rows) -> afterFirst.put(t, (long) rows.size()));
    assertThat(FIRST.nextBatch().rowsBefore(CONFIG)).isEqualTo(afterFirst);
    Map<String, Long> afterSecond = new HashMap<>();
    second.forEach((t, rows) -> afterSecond.put(t, afterFirst.get(t) + rows.size()));
    assertThat(FIRST.batch(3).rowsBefore(CONFIG)).isEqualTo(afterSecond);
  }

  @Test
  void newIdsNeverCollideWithEarlierBatchesAndReusedIdsAreReSyncedCopies() {
    checkIds(List.of(first), second, secondSummary, List.of());
    // batch 2's merges rewrote user ids in the tables, so batch 3 re-syncs rows as rewritten
    checkIds(List.of(first, second), third, thirdSummary, secondSummary.merges());
  }

  private static void checkIds(
      List<Map<String, List<Object[]>>> earlier, Map<String, List<Object[]>> later, LaterBatch.Summary summary,
      List<LaterBatch.Merge> rewritten) {
    Set<Object> earlierUsers = new HashSet<>();
    earlier.forEach(b -> earlierUsers.addAll(column(b, USERS, "user_id")));
    long maxUser = earlierUsers.stream().mapToLong(u -> (Long) u).max().orElseThrow();
    assertThat(column(later, USERS, "user_id")).isNotEmpty().allMatch(u -> (Long) u > maxUser);
    Map<Long, Long> rewrite = new HashMap<>();
    rewritten.forEach(m -> rewrite.put(m.fromUserId(), m.toUserId()));
    long maxEvent = 0;
    for (Map<String, List<Object[]>> b : earlier) {
      for (String t : List.of(PAGEVIEWS, ALL_EVENTS)) {
        maxEvent = Math.max(maxEvent, column(b, t, "event_id").stream().mapToLong(id -> (Long) id).max().orElse(0));
      }
    }
    long copies = 0;
    for (String table : EVENT_TABLES) {
      String key = table.equals(SESSIONS) ? "session_id" : "event_id";
      int k = index(table, key);
      int user = index(table, "user_id");
      Map<Object, List<Object[]>> before = new HashMap<>();
      for (Map<String, List<Object[]>> b : earlier) {
        for (Object[] r : b.get(table)) {
          Object[] stored = r.clone();
          stored[user] = rewrite.getOrDefault((Long) r[user], (Long) r[user]);
          before.computeIfAbsent(r[k], x -> new ArrayList<>()).add(stored);
        }
      }
      long maxKey = table.equals(SESSIONS) ? before.keySet().stream().mapToLong(id -> (Long) id).max().orElseThrow() : maxEvent;
      for (Object[] r : later.get(table)) {
        if (before.containsKey(r[k])) {
          copies++;
          assertThat(before.get(r[k])).as(table + " " + Arrays.toString(r)).anyMatch(e -> isCopy(table, e, r));
        } else {
          assertThat((Long) r[k]).as(table + " new id").isGreaterThan(maxKey);
        }
      }
    }
    assertThat(copies).isEqualTo(summary.identicalResyncs() + summary.laterResyncs());
  }

  /** Equal but for the time, which is the same or 1 to 121 seconds later. */
  private static boolean isCopy(String table, Object[] earlier, Object[] copy) {
    int time = index(table, "time");
    for (int i = 0; i < copy.length; i++) {
      if (i != time && !Objects.equals(earlier[i], copy[i])) {
        return false;
      }
    }
    if (earlier[time] == null || copy[time] == null) {
      return earlier[time] == copy[time];
    }
    Duration later = Duration.between((LocalDateTime) earlier[time], (LocalDateTime) copy[time]);
    return later.isZero() || (!later.isNegative() && later.compareTo(Duration.ofSeconds(121)) <= 0);
  }

  @Test
  void rowsDatedBeforeTheFirstBatchsEndAreInsideTheLookbackAndNewVisitsComeAfterIt() {
    // the facts' high-water mark after the first batch, worked out from its rows
    LocalDateTime mark = null;
    LocalDateTime end = null;
    for (String table : EVENT_TABLES) {
      LocalDateTime newest = newest(first.get(table), index(table, "time"));
      mark = mark == null || newest.isBefore(mark) ? newest : mark;
      end = end == null || newest.isAfter(end) ? newest : end;
    }
    end = max(end, newest(first.get(USER_MIGRATIONS), index(USER_MIGRATIONS, "time")));
    assertThat(secondSummary.mark()).isEqualTo(mark);
    assertThat(secondSummary.dataEnd()).isEqualTo(end);

    LocalDateTime oldestAllowed = mark.minusDays(CONFIG.lateArrivalLookbackDays());
    List<LocalDateTime> dated = new ArrayList<>();
    for (String table : EVENT_TABLES) {
      int time = index(table, "time");
      for (Object[] r : second.get(table)) {
        boolean identicalCopy = first.get(table).stream().anyMatch(e -> Arrays.equals(e, r));
        if (r[time] != null && !identicalCopy) {
          dated.add((LocalDateTime) r[time]);
        }
      }
    }
    LocalDateTime lateStart = mark.minusDays(2);
    assertThat(dated).allSatisfy(t -> assertThat(t).isAfter(oldestAllowed).isAfterOrEqualTo(lateStart));
    LocalDateTime firstEnd = end;
    LocalDateTime lateEnd = mark.minusDays(1);
    assertThat(dated).as("late rows, a day or two before the mark").anyMatch(t -> !t.isAfter(lateEnd));
    assertThat(dated).as("new visits").anyMatch(t -> t.isAfter(firstEnd));
    assertThat(column(second, USERS, "joindate")).allMatch(t -> ((LocalDateTime) t).isAfter(firstEnd));
    assertThat(column(second, USER_MIGRATIONS, "time")).allMatch(t -> ((LocalDateTime) t).isAfter(firstEnd));
    // nothing new for a user the first batch merged away: Heap would record it under the new id
    Set<Object> gone = new HashSet<>(column(first, USER_MIGRATIONS, "from_user_id"));
    for (String table : EVENT_TABLES) {
      int user = index(table, "user_id");
      assertThat(second.get(table).stream().filter(r -> first.get(table).stream().noneMatch(e -> isCopy(table, e, r))))
          .as(table)
          .noneMatch(r -> gone.contains(r[user]));
    }
  }

  @Test
  void mergesInsertAMigrationAndRewriteUserIdsInTheEventTables() throws SQLException {
    try (Connection c = h2()) {
      FIRST.load(c, Warehouses.H2, CONFIG);
      LaterBatch.Summary loaded = FIRST.nextBatch().insert(c, Warehouses.H2, CONFIG);

      assertThat(loaded.merges()).isEqualTo(secondSummary.merges());
      SqlRenderer sql = new SqlRenderer(Warehouses.H2, HeapProject.empty(CONFIG).plan());
      long rewritten = 0;
      boolean anExistingUserMerged = false;
      for (LaterBatch.Merge m : loaded.merges()) {
        for (String table : EVENT_TABLES) {
          long from = rowsOf(table, m.fromUserId());
          long to = rowsOf(table, m.toUserId());
          String where = " WHERE " + Warehouses.H2.quote("user_id") + " = ";
          assertThat(count(c, "SELECT COUNT(*) FROM " + sql.sourceName(table) + where + m.fromUserId())).as(table).isZero();
          assertThat(count(c, "SELECT COUNT(*) FROM " + sql.sourceName(table) + where + m.toUserId())).as(table).isEqualTo(from + to);
          rewritten += from;
          anExistingUserMerged |= table.equals(SESSIONS) && first.get(table).stream().anyMatch(r -> r[index(SESSIONS, "user_id")].equals(m.fromUserId()));
        }
        assertThat(
                count(c, "SELECT COUNT(*) FROM " + sql.sourceName(USER_MIGRATIONS) + " WHERE " + Warehouses.H2.quote("from_user_id")
                    + " = " + m.fromUserId() + " AND " + Warehouses.H2.quote("to_user_id") + " = " + m.toUserId()))
            .isEqualTo(1);
      }
      assertThat(loaded.rewrittenRows()).isEqualTo(rewritten).isPositive();
      assertThat(anExistingUserMerged).as("a merge of a user with first-batch rows, whose facts must go").isTrue();
      assertThat(c.getAutoCommit()).isTrue();
    }
  }

  /** Rows of {@code user} in the first two batches, as generated (before any rewrite). */
  private static long rowsOf(String table, long user) {
    int u = index(table, "user_id");
    return Stream.concat(first.get(table).stream(), second.get(table).stream()).filter(r -> r[u].equals(user)).count();
  }

  @Test
  void mergeStatementsUseTheConfigsNamesQuotedForEachWarehouse() throws SQLException {
    HeapConfig renamed =
        HeapConfigLoader.parse(
            """
            source:
              schema: "heap-prod"
              tables:
                sessions: "Sessions \\"v2\\""
              columns:
                all_events:
                  user_id: "user id"
            """,
            "renamed.yml");
    LaterBatch batch = SampleData.of(60, 4).nextBatch();
    List<LaterBatch.Merge> merges = batch.summary(renamed).merges();
    assertThat(merges).isNotEmpty();
    for (Warehouse w : Warehouses.all()) {
      List<String> statements = batch.mergeStatements(w, renamed);
      assertThat(statements).hasSize(3);
      assertThat(statements.get(0)).startsWith("UPDATE " + w.qualified(Optional.empty(), "heap-prod", "Sessions \"v2\"") + "\nSET " + w.quote("user_id") + " = CASE");
      assertThat(statements.get(2))
          .startsWith("UPDATE " + w.qualified(Optional.empty(), "heap-prod", "all_events") + "\nSET " + w.quote("user id"))
          .contains(" WHEN " + merges.get(0).fromUserId() + " THEN " + merges.get(0).toUserId())
          .endsWith(" IN (" + merges.stream().map(m -> String.valueOf(m.fromUserId())).reduce((a, b) -> a + ", " + b).orElseThrow() + ")");
    }
    // and they run: the odd names reach H2 intact
    try (Connection c = h2()) {
      SampleData.of(60, 4).load(c, Warehouses.H2, renamed);
      assertThat(batch.insert(c, Warehouses.H2, renamed).rewrittenRows()).isPositive();
      SqlRenderer sql = new SqlRenderer(Warehouses.H2, HeapProject.empty(renamed).plan());
      assertThat(count(c, "SELECT COUNT(*) FROM " + sql.sourceName(ALL_EVENTS) + " WHERE " + Warehouses.H2.quote("user id") + " = " + merges.get(0).fromUserId()))
          .isZero();
    }
  }

  @Test
  void incrementalRunsAfterEachLaterBatchEqualAFullRefresh() throws SQLException {
    try (TwinSchemas db = new TwinSchemas(CONFIG)) {
      FIRST.load(db.connection, Warehouses.H2, CONFIG);
      assertThat(db.runKept().mode()).isEqualTo(BuildPlan.Mode.FULL_REFRESH);
      LaterBatch batch = FIRST.nextBatch();
      for (int n = 2; n <= 3; n++, batch = batch.next()) {
        Map<String, List<String>> before = new HashMap<>();
        TwinSchemas.FACTS.forEach(f -> before.put(f, db.kept(f)));
        LaterBatch.Summary loaded = batch.insert(db.connection, Warehouses.H2, CONFIG);

        RunResult run = db.runKept();
        db.rebuild();

        assertThat(run.mode()).as("batch %d", n).isEqualTo(BuildPlan.Mode.INCREMENTAL);
        for (String fact : TwinSchemas.FACTS) {
          List<String> kept = db.kept(fact);
          assertThat(kept).as("batch %d, %s", n, fact).isEqualTo(db.rebuilt(fact));
          assertThat(kept).as("batch %d changed %s", n, fact).isNotEqualTo(before.get(fact));
        }
        for (LaterBatch.Merge m : loaded.merges()) {
          assertThat(db.kept("stg_heap_events_all_inc_fct")).noneMatch(r -> r.contains("HEAP_USER_ID=" + m.fromUserId() + " "));
        }
      }
    }
  }

  @Test
  void aSizedBatchIsClosetoItsShareOfEventsAndUsers() {
    SampleData sample = SampleData.of(3000, 5);
    Map<String, List<Object[]>> rows = sample.nextBatch(BatchShape.sized(0.01, 0.05)).rows(CONFIG);
    long eventsBefore = sample.rows(CONFIG).get(ALL_EVENTS).size();
    double eventShare = (double) rows.get(ALL_EVENTS).size() / eventsBefore;
    assertThat(eventShare).isBetween(0.008, 0.012);
    Set<Object> touched = new HashSet<>();
    for (String table : EVENT_TABLES) {
      touched.addAll(column(rows, table, "user_id"));
    }
    rows.get(USER_MIGRATIONS).forEach(r -> touched.addAll(List.of(r[0], r[1])));
    assertThat((double) touched.size() / 3000).isBetween(0.04, 0.06);
    LaterBatch.Summary summary = sample.nextBatch(BatchShape.sized(0.01, 0.05)).summary(CONFIG);
    assertThat(summary.newEventShare()).isEqualTo(eventShare);
    assertThat(summary.touchedUsers()).isEqualTo(touched.size());
    // without the event target the same users bring in about twice the events
    assertThat(sample.nextBatch(BatchShape.touching(0.05)).summary(CONFIG).newEventShare()).isGreaterThan(1.5 * eventShare);
  }

  @Test
  void badShapesAndBatchNumbersAreRefused() {
    assertThatThrownBy(() -> FIRST.batch(1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batch 1");
    assertThatThrownBy(() -> BatchShape.sized(1.5, 0.05)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("newEvents");
    assertThatThrownBy(() -> BatchShape.touching(-0.1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("userShare");
    assertThatThrownBy(() -> BatchShape.defaults().withPeriod(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anEmptyFirstBatchGivesEmptyLaterBatches() {
    LaterBatch.Summary s = SampleData.of(0, 1).nextBatch().summary(CONFIG);
    assertThat(s.rows().values()).containsOnly(0L);
    assertThat(s.mark()).isNull();
  }

  private static Connection h2() throws SQLException {
    return DriverManager.getConnection("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
  }

  private static long count(Connection c, String sql) throws SQLException {
    try (var s = c.createStatement();
        var rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static LocalDateTime newest(List<Object[]> rows, int time) {
    return rows.stream().map(r -> (LocalDateTime) r[time]).filter(Objects::nonNull).max(LocalDateTime::compareTo).orElseThrow();
  }

  private static LocalDateTime max(LocalDateTime a, LocalDateTime b) {
    return a.isAfter(b) ? a : b;
  }

  private static int index(String table, String column) {
    return CONFIG.catalog().table(table).columnNames().indexOf(column);
  }

  private static List<Object> column(Map<String, List<Object[]>> rows, String table, String column) {
    int i = index(table, column);
    return rows.get(table).stream().map(r -> r[i]).toList();
  }

  private static void assertSameRows(Map<String, List<Object[]>> actual, Map<String, List<Object[]>> expected) {
    for (String table : CONFIG.catalog().tableNames()) {
      assertThat(text(actual.get(table))).as(table).isEqualTo(text(expected.get(table)));
    }
  }

  private static List<String> text(List<Object[]> rows) {
    return rows.stream().map(Arrays::toString).toList();
  }
}
