package io.heapsdk.incremental;

import static io.heapsdk.testing.Rows.event;
import static io.heapsdk.testing.Rows.pageview;
import static io.heapsdk.testing.Rows.session;
import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.run.JdbcRunner;
import io.heapsdk.source.SourceCatalog;
import io.heapsdk.testing.PostgresServer;
import io.heapsdk.warehouse.BuildPlan;
import io.heapsdk.warehouse.Warehouse;
import io.heapsdk.warehouse.Warehouses;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.tools.RelBuilder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Source rows whose id is NULL, for a user who is active in every batch. MERGE never matches a NULL
 * key, so before incremental models dropped such rows every incremental run inserted them again. Now
 * both modes drop them: the standard facts at the source dedup (the row shapes no sequence number or
 * session), a user's incremental model at its output (its own windows still see the row).
 */
class NullUniqueKeyTest {
  private static final HeapConfig CONFIG =
      HeapConfig.builder().funnelEvents(List.of("a", "b")).conversionEvents(List.of("b")).build();
  private static final String USER_MODEL = "numbered_events";

  /** A user's incremental model keyed on the raw event id, numbering each user's events by time. */
  static HeapProject project(HeapConfig config) {
    HeapProject p = HeapProject.standard(config);
    p.model(USER_MODEL)
        .incremental("heap_event_id", "heap_event_time")
        .description("Every synced event with its number among the user's events")
        .plan(
            ctx -> {
              String t = SourceCatalog.ALL_EVENTS;
              RelBuilder b = ctx.source(t);
              RexNode number =
                  b.aggregateCall(SqlStdOperatorTable.ROW_NUMBER)
                      .over()
                      .partitionBy(ctx.field(t, "user_id"))
                      .orderBy(b.nullsLast(ctx.field(t, "time")), b.nullsLast(ctx.field(t, "event_id")))
                      .toRex();
              return b.project(
                      List.of(ctx.field(t, "event_id"), ctx.field(t, "user_id"), ctx.field(t, "time"), number),
                      List.of("heap_event_id", "heap_user_id", "heap_event_time", "event_number"),
                      true)
                  .build();
            });
    return p;
  }

  private static Object[] withoutId(Object[] row) {
    row[0] = null;
    return row;
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"h2", "duckdb", "postgres"})
  void rowsWithoutIdAreDroppedInBothModes(String engine) throws Exception {
    Warehouse w;
    Connection c;
    switch (engine) {
      case "h2" -> {
        w = Warehouses.H2;
        c = DriverManager.getConnection("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
      }
      case "duckdb" -> {
        w = Warehouses.DUCKDB;
        c = DriverManager.getConnection("jdbc:duckdb:");
      }
      default -> {
        w = Warehouses.POSTGRES;
        c = PostgresServer.get().newDatabase("heap_null_keys");
      }
    }
    try (TwinTargets db = new TwinTargets(CONFIG, w, c)) {
      JdbcRunner runner = new JdbcRunner(w);
      // batch 0: an id-less session before session 100 (it would be the user's first), an id-less
      // pageview between pageviews 1 and 2 (it would bridge their 50-minute gap into one session) and an
      // id-less conversion event in session 100
      db.insert("sessions", withoutId(session(0, 1, "2024-01-10T09:00:00", null, null, null, null)));
      db.insert("sessions", session(100, 1, "2024-01-10T10:00:00", null, null, null, null));
      db.insert(
          "pageviews",
          List.of(
              pageview(1, 1, 100, "2024-01-10T10:00:00", "/"),
              withoutId(pageview(0, 1, 100, "2024-01-10T10:25:00", "/gap")),
              pageview(2, 1, 100, "2024-01-10T10:50:00", "/x")));
      db.insert(
          "all_events",
          List.of(
              event(1, 1, 100, "2024-01-10T10:00:00", "pageviews"),
              withoutId(event(0, 1, 100, "2024-01-10T10:05:00", "b")),
              event(2, 1, 100, "2024-01-10T10:50:00", "a")));
      assertThat(runner.run(project(db.incremental).plan(), c).mode()).isEqualTo(BuildPlan.Mode.FULL_REFRESH);

      // batch 1: the same user again, with more id-less rows
      db.insert("sessions", withoutId(session(0, 1, "2024-01-11T08:00:00", null, null, null, null)));
      db.insert("sessions", session(101, 1, "2024-01-11T09:00:00", null, null, null, null));
      db.insert(
          "pageviews",
          List.of(pageview(3, 1, 101, "2024-01-11T09:00:00", "/y"), withoutId(pageview(0, 1, 101, "2024-01-11T09:02:00", "/z"))));
      db.insert(
          "all_events",
          List.of(event(3, 1, 101, "2024-01-11T09:00:00", "b"), withoutId(event(0, 1, 101, "2024-01-11T09:01:00", "b"))));
      assertThat(runner.run(project(db.incremental).plan(), c).mode()).isEqualTo(BuildPlan.Mode.INCREMENTAL);

      // batch 2: the user is active once more; no new id-less rows
      db.insert("pageviews", pageview(4, 1, 101, "2024-01-11T09:05:00", "/w"));
      db.insert("all_events", event(4, 1, 101, "2024-01-11T09:05:00", "a"));
      assertThat(runner.run(project(db.incremental).plan(), c).mode()).isEqualTo(BuildPlan.Mode.INCREMENTAL);

      runner.run(project(db.full).plan(), c, true);
      for (String model : List.of(
          "stg_heap_events_all_inc_fct", "stg_heap_pageview_sessions_inc_fct", "stg_heap_sessions_inc_fct", USER_MODEL)) {
        assertThat(db.rows("inc", model)).as(model).isEqualTo(db.rows("full", model));
      }

      // by hand: the id-less rows are in no fact and count in no sequence, session or total
      assertThat(select(db, "inc", "stg_heap_events_all_inc_fct",
              "heap_event_id", "heap_session_id", "heap_session_event_sequence", "heap_event_funnel_position", "heap_event_is_conversion"))
          .containsExactly("1 100 1 0 false", "2 100 2 1 false", "3 101 1 2 true", "4 101 2 1 false");
      assertThat(select(db, "inc", "stg_heap_pageview_sessions_inc_fct",
              "heap_pageview_id", "heap_pageview_session_id", "heap_pageview_session_sequence_number",
              "heap_pageview_session_first_pageview_id", "heap_pageview_session_last_pageview_id"))
          .containsExactly("1 1_1 1 1 1", "2 1_2 1 2 2", "3 1_3 1 3 4", "4 1_3 2 3 4");
      assertThat(select(db, "inc", "stg_heap_sessions_inc_fct",
              "heap_session_id", "heap_session_sequence_num", "heap_session_funnel_step_1_cnt",
              "heap_session_funnel_step_2_cnt", "heap_session_conversion_cnt", "heap_session_is_conversion"))
          .containsExactly("100 1 1 0 0 false", "101 2 1 1 1 true");
      // the user's model filters at its output: its window numbered the id-less events (2 and 5)
      assertThat(select(db, "inc", USER_MODEL, "heap_event_id", "event_number"))
          .containsExactly("1 1", "2 3", "3 4", "4 6");
    }
  }

  /** The named columns of every row of a model, space-separated, in order of the first column. */
  private static List<String> select(TwinTargets db, String schema, String model, String... columns) throws SQLException {
    List<String[]> rows = new ArrayList<>();
    String sql = "SELECT * FROM " + db.warehouse.qualified(Optional.empty(), schema, model);
    try (Statement s = db.connection.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      ResultSetMetaData md = rs.getMetaData();
      while (rs.next()) {
        String[] values = new String[columns.length];
        for (int i = 1; i <= md.getColumnCount(); i++) {
          String label = md.getColumnLabel(i).toLowerCase(Locale.ROOT);
          for (int k = 0; k < columns.length; k++) {
            if (columns[k].equals(label)) {
              values[k] = String.valueOf(rs.getObject(i));
            }
          }
        }
        rows.add(values);
      }
    }
    rows.sort((a, b) -> Long.compare(Long.parseLong(a[0]), Long.parseLong(b[0])));
    List<String> out = new ArrayList<>();
    rows.forEach(r -> out.add(String.join(" ", r)));
    return out;
  }
}
