package io.heapsdk.incremental;

import static io.heapsdk.testing.Rows.event;
import static io.heapsdk.testing.Rows.session;
import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.config.HeapConfigLoader;
import io.heapsdk.model.HeapProject;
import io.heapsdk.model.standard.StandardModels;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The users fact ({@code users.enabled}), worked by hand on H2: one row per user with a session, its
 * first and last session, counts, and the initial properties of the first session (earliest start, then
 * lowest id), through a full build and an incremental run that brings a user an earlier session (a new
 * initial session) and another a converting one. The incremental table must also equal a full refresh.
 */
class UsersFactTest {
  private static final HeapConfig CONFIG =
      HeapConfig.builder().conversionEvents(List.of("buy")).ownDomain("example.com").usersEnabled(true).build();

  private static final String COLUMNS =
      "heap_user_id, heap_user_first_session_time, heap_user_last_session_time, heap_user_session_cnt, heap_user_conversion_cnt,"
          + " heap_user_is_converted, heap_user_initial_session_id, heap_user_initial_referrer, heap_user_initial_channel,"
          + " heap_user_initial_country";

  /** A session row with a referrer and UTM source and medium (landing page query none). */
  private static Object[] visit(long id, long user, String time, String referrer, String utmSource, String utmMedium) {
    return session(id, user, time, referrer, null, utmSource, utmMedium);
  }

  @Test
  void firstSessionsPropertiesAndCountsByHand() throws Exception {
    try (TwinTargets db = new TwinTargets(CONFIG)) {
      db.insert(
          "sessions",
          // user 1: a search visit, then a direct one the next day (where they buy)
          visit(11, 1, "2024-03-01T09:00:00", "https://www.google.com/", null, null),
          visit(12, 1, "2024-03-02T10:00:00", null, null, null),
          // user 2: a paid visit, and an earlier one from the own domain with the higher id: time decides
          visit(21, 2, "2024-03-01T12:00:00", "https://facebook.com/", "facebook", "cpc"),
          visit(22, 2, "2024-02-28T08:00:00", "https://example.com/blog", null, null),
          // user 3: two sessions starting together: the lower id is the first
          visit(32, 3, "2024-03-01T15:00:00", null, null, null),
          visit(31, 3, "2024-03-01T15:00:00", "https://www.bing.com/search", null, null),
          // a session without a user: nobody's
          RowsWithoutAUserTest.nobody(visit(91, 0, "2024-03-01T16:00:00", "https://www.google.com/", null, null)));
      db.insert(
          "all_events",
          event(101, 1, 11, "2024-03-01T09:01:00", "view"),
          event(102, 1, 12, "2024-03-02T10:05:00", "buy"),
          event(201, 2, 21, "2024-03-01T12:01:00", "view"),
          event(301, 3, 31, "2024-03-01T15:01:00", "view"));
      db.runIncremental();
      db.runFull();
      assertThat(users(db, "inc"))
          .containsExactly(
              "1|2024-03-01T09:00|2024-03-02T10:00|2|1|true|11|https://www.google.com/|Organic Search|United States",
              "2|2024-02-28T08:00|2024-03-01T12:00|2|0|false|22|https://example.com/blog|example.com|United States",
              "3|2024-03-01T15:00|2024-03-01T15:00|2|0|false|31|https://www.bing.com/search|Organic Search|United States");
      assertThat(db.rows("inc", StandardModels.USERS_FACT)).isEqualTo(db.rows("full", StandardModels.USERS_FACT));
      // the counts are BIGINTs as built, not the INTEGER a SUM of flags or a COUNT may be on some engine:
      // a user's conversions over years of events overflow nothing, and the column type does not change
      // between a full build and an incremental run's changes table
      for (String schema : List.of("inc", "full")) {
        String sql =
            "SELECT heap_user_session_cnt, heap_user_conversion_cnt FROM "
                + db.warehouse.qualified(Optional.empty(), schema, StandardModels.USERS_FACT);
        try (Statement s = db.connection.createStatement();
            ResultSet rs = s.executeQuery(sql)) {
          assertThat(rs.getMetaData().getColumnType(1)).as(schema).isEqualTo(java.sql.Types.BIGINT);
          assertThat(rs.getMetaData().getColumnType(2)).as(schema).isEqualTo(java.sql.Types.BIGINT);
        }
      }

      // the next day's sync: user 1's earlier session arrives late (inside the 3-day lookback), user 2
      // comes back and buys; user 3 has nothing new
      db.insert(
          "sessions",
          visit(10, 1, "2024-02-29T09:00:00", "https://news.ycombinator.com/", null, null),
          visit(23, 2, "2024-03-02T09:00:00", null, "newsletter", "email"));
      db.insert("all_events", event(103, 1, 10, "2024-02-29T09:01:00", "view"), event(202, 2, 23, "2024-03-02T09:02:00", "buy"));
      db.runIncremental();
      db.runFull();
      assertThat(users(db, "inc"))
          .containsExactly(
              "1|2024-02-29T09:00|2024-03-02T10:00|3|1|true|10|https://news.ycombinator.com/|Unattributed|United States",
              "2|2024-02-28T08:00|2024-03-02T09:00|3|1|true|22|https://example.com/blog|example.com|United States",
              "3|2024-03-01T15:00|2024-03-01T15:00|2|0|false|31|https://www.bing.com/search|Organic Search|United States");
      assertThat(db.rows("inc", StandardModels.USERS_FACT)).isEqualTo(db.rows("full", StandardModels.USERS_FACT));
    }
  }

  /**
   * Turned off for a while and on again: the runs in between leave the users fact as it was (heap drops
   * no table), and the run that builds it again recomputes every user active since the run that last
   * built it (its mark), so it catches up with a full refresh.
   */
  @Test
  void offForSomeRunsThenOnAgainCatchesUp() throws Exception {
    HeapConfig off = HeapConfig.builder().from(CONFIG).usersEnabled(false).build();
    try (TwinTargets db = new TwinTargets(CONFIG)) {
      RandomHistory history = new RandomHistory(31L, true, CONFIG.lateArrivalLookbackDays());
      history.addBatch(db, 0);
      db.runIncremental();
      List<String> before = db.rows("inc", StandardModels.USERS_FACT);
      for (int k = 1; k <= 4; k++) {
        history.addBatch(db, k);
        db.runIncremental(TwinTargets.inc(off));
      }
      assertThat(db.rows("inc", StandardModels.USERS_FACT)).as("left as it was while off").isEqualTo(before);
      db.runIncremental();
      db.runFull();
      assertThat(db.rows("inc", StandardModels.USERS_FACT)).isNotEqualTo(before).isEqualTo(db.rows("full", StandardModels.USERS_FACT));
    }
  }

  /**
   * A project named beyond Latin script: models in schema {@code 分析}, the own domain {@code пример.рф},
   * the fallback channel {@code 未分類}. The users fact's table goes there under its quoted name, and
   * each user's initial channel is the rules' text as written.
   */
  @Test
  void aSchemaAndChannelsInJapaneseAndRussian() throws Exception {
    HeapConfig config =
        HeapConfig.builder().conversionEvents(List.of("購入")).ownDomain("пример.рф").fallbackChannel("未分類").usersEnabled(true).build();
    try (TwinTargets db = new TwinTargets(config)) {
      db.insert(
          "sessions",
          visit(11, 1, "2024-03-01T09:00:00", "https://пример.рф/блог", null, null),
          visit(12, 1, "2024-03-02T09:00:00", null, null, null),
          visit(21, 2, "2024-03-01T10:00:00", "https://news.example.org/", null, null));
      db.insert("all_events", event(101, 1, 12, "2024-03-02T09:01:00", "購入"));
      HeapConfig japanese = HeapConfig.builder().from(config).targetSchema("分析").build();
      new io.heapsdk.run.JdbcRunner(db.warehouse).run(HeapProject.standard(japanese).plan(), db.connection);
      List<String> rows = new ArrayList<>();
      try (Statement s = db.connection.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT heap_user_id, heap_user_initial_channel, heap_user_conversion_cnt FROM \"分析\".\"STG_HEAP_USERS_INC_FCT\" ORDER BY 1")) {
        while (rs.next()) {
          rows.add(rs.getLong(1) + "|" + rs.getString(2) + "|" + rs.getLong(3));
        }
      }
      // by hand: user 1 came first from the own domain and bought later; user 2 from a site no rule names
      assertThat(rows).containsExactly("1|пример.рф|1", "2|未分類|0");
    }
  }

  /** Off by default, on with {@code users.enabled: true} in YAML; the standard facts stay as they are. */
  @Test
  void builtOnlyWhenTheConfigAsksForIt() throws Exception {
    assertThat(HeapProject.standard(HeapConfig.defaults()).plan().models())
        .extracting(m -> m.name())
        .doesNotContain(StandardModels.USERS_FACT);
    HeapConfig yaml = HeapConfigLoader.parse("users:\n  enabled: true\n", "heap.yml");
    assertThat(yaml.usersEnabled()).isTrue();
    assertThat(HeapProject.standard(yaml).plan().models()).extracting(m -> m.name()).contains(StandardModels.USERS_FACT);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> HeapConfigLoader.parse("users:\n  enable: true\n", "heap.yml"))
        .hasMessageContaining("users.enable: unknown key; did you mean 'enabled'?");
  }

  private static List<String> users(TwinTargets db, String schema) throws Exception {
    List<String> rows = new ArrayList<>();
    String table = db.warehouse.qualified(Optional.empty(), schema, StandardModels.USERS_FACT);
    try (Statement s = db.connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT " + COLUMNS + " FROM " + table + " ORDER BY heap_user_id")) {
      while (rs.next()) {
        List<String> row = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
          Object v = i == 2 || i == 3 ? rs.getObject(i, java.time.LocalDateTime.class) : rs.getObject(i);
          row.add(String.valueOf(v));
        }
        rows.add(String.join("|", row));
      }
    }
    return rows;
  }
}
