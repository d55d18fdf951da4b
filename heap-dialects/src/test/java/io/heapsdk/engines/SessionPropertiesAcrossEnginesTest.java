package io.heapsdk.engines;

import static io.heapsdk.engines.UnicodeAcrossEnginesTest.byId;
import static io.heapsdk.engines.UnicodeAcrossEnginesTest.line;
import static io.heapsdk.engines.UnicodeAcrossEnginesTest.rows;
import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.analysis.Funnel;
import io.heapsdk.analysis.FunnelResult;
import io.heapsdk.config.HeapConfig;
import io.heapsdk.config.HeapConfigLoader;
import io.heapsdk.model.HeapProject;
import io.heapsdk.model.ProjectPlan;
import io.heapsdk.run.AnalysisRunner;
import io.heapsdk.run.JdbcRunner;
import io.heapsdk.run.RunResult;
import io.heapsdk.run.SourceTables;
import io.heapsdk.testing.Rows;
import io.heapsdk.warehouse.BuildPlan;
import io.heapsdk.warehouse.SqlRenderer;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Custom sessions columns ({@code source.session_properties}) on H2, DuckDB and PostgreSQL: passed
 * through to the sessions fact as loaded, and read by channel rules as Heap's own sessions columns are
 * (a team's campaign type, a member rank named in Japanese, a numeric ad group). Channel rules could read
 * only Heap's built-in sessions columns. Hand-made rows; the expected channels are worked out by hand
 * below, and each engine must give exactly those, in a full build and after an incremental run.
 */
class SessionPropertiesAcrossEnginesTest {
  /** A member rank, named in Japanese: a quoted identifier on every engine. */
  private static final String RANK = "会員ランク";

  /**
   * Three session properties; the rules, first match wins: campaign type equals "partner" → Partner, the
   * rank contains "gold" → VIP, an ad group at all → Paid; else Other.
   */
  static HeapConfig config() {
    return HeapConfigLoader.parse(
        String.join(
            "\n",
            "source:",
            "  session_properties: [campaign_type, \"" + RANK + "\", {name: ad_group_id, type: bigint}]",
            "channels:",
            "  fallback: Other",
            "  rules:",
            "    - {channel: Partner, when: {field: campaign_type, equals: partner}}",
            "    - {channel: VIP, when: {field: \"" + RANK + "\", contains: gold}}",
            "    - {channel: Paid, when: {field: ad_group_id, is_not_null: true}}"),
        "session-properties.yml");
  }

  /** Heap's sessions columns (as {@link Rows#session}), then the three properties in the config's order. */
  private static Object[] session(long id, long user, String time, String campaignType, String rank, Long adGroup) {
    Object[] heap = Rows.session(id, user, time, null, null, null, null);
    Object[] row = Arrays.copyOf(heap, heap.length + 3);
    row[heap.length] = campaignType;
    row[heap.length + 1] = rank;
    row[heap.length + 2] = adGroup;
    return row;
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void propertiesPassThroughAndChannelRulesReadThem(Engine engine) throws SQLException {
    HeapConfig config = config();
    ProjectPlan plan = HeapProject.standard(config).plan();
    try (Connection c = engine.open()) {
      SourceTables sources = new SourceTables(engine.warehouse(), config);
      sources.create(c);
      sources.insert(
          c, "sessions",
          List.of(
              // equals ignores case: Partner
              session(101, 1, "2024-03-01T10:00:00", "Partner", null, null),
              // GOLD member contains gold, ignoring case: VIP
              session(102, 2, "2024-03-01T11:00:00", null, "GOLD member", null),
              // partners is not partner, silver no gold; an ad group: Paid
              session(103, 2, "2024-03-02T11:00:00", "partners", "silver", 42L),
              // nothing set: Other
              session(104, 3, "2024-03-01T12:00:00", null, null, null),
              // every rule matches: the first wins, Partner
              session(105, 3, "2024-03-02T12:00:00", "partner", "gold", 7L)));
      sources.insert(
          c, "all_events",
          List.of(
              Rows.event(1, 1, 101, "2024-03-01T10:01:00", "view_product"),
              Rows.event(2, 2, 102, "2024-03-01T11:01:00", "view_product"),
              Rows.event(3, 2, 103, "2024-03-02T11:01:00", "purchase"),
              Rows.event(4, 3, 104, "2024-03-01T12:01:00", "view_product"),
              Rows.event(5, 3, 105, "2024-03-02T12:01:00", "view_product")));
      JdbcRunner runner = new JdbcRunner(engine.warehouse());
      runner.run(plan, c);
      Map<Object, String> expected = new TreeMap<>();
      expected.put(101L, line("Partner", "Partner", null, null));
      expected.put(102L, line("VIP", null, "GOLD member", null));
      expected.put(103L, line("Paid", "partners", "silver", 42));
      expected.put(104L, line("Other", null, null, null));
      expected.put(105L, line("Partner", "partner", "gold", 7));
      assertThat(sessions(c, engine, plan)).as("sessions fact on %s", engine).isEqualTo(expected);

      // a later session of user 1: an incremental run recomputes user 1 and gives it its channel
      sources.insert(c, "sessions", List.<Object[]>of(session(106, 1, "2024-03-03T10:00:00", "PARTNER", null, null)));
      sources.insert(c, "all_events", List.<Object[]>of(Rows.event(6, 1, 106, "2024-03-03T10:01:00", "view_product")));
      RunResult second = runner.run(plan, c);
      assertThat(second.mode()).isEqualTo(BuildPlan.Mode.INCREMENTAL);
      expected.put(106L, line("Partner", "PARTNER", null, null));
      assertThat(sessions(c, engine, plan)).as("sessions fact on %s after an incremental run", engine).isEqualTo(expected);

      // a session property is a breakdown too, by its name as listed: view_product per user, each user
      // under the campaign type of the session of their first view_product (events 1, 2, 4): user 1 in
      // 101 (Partner), user 2 in 102 (none), user 3 in 104 (none)
      FunnelResult byType =
          new AnalysisRunner(engine.warehouse(), config).run(Funnel.builder().step("view_product").breakdown("campaign_type").build(), c);
      assertThat(byType.rows().stream().map(r -> line(r.breakdownValue(), r.step(), r.entered())).toList())
          .as("funnel by campaign_type on %s", engine)
          .containsExactlyInAnyOrder(line("Partner", 1, 1), line(null, 1, 2));
    }
  }

  /** Per session: the channel, then the three properties as the fact holds them. */
  private static Map<Object, String> sessions(Connection c, Engine engine, ProjectPlan plan) throws SQLException {
    SqlRenderer sql = new SqlRenderer(engine.warehouse(), plan);
    return byId(
        rows(c, "SELECT * FROM " + sql.tableName("stg_heap_sessions_inc_fct")), "heap_session_id",
        "heap_session_defined_channel_attribution", "campaign_type", RANK, "ad_group_id");
  }
}
