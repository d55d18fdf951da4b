package io.heapsdk.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.warehouse.StateSql;
import io.heapsdk.warehouse.Warehouses;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A successful run forgets the runs that finished more than {@code incremental.run_history_days} before
 * it, and only those: a schema run every few minutes keeps a log of weeks, not of years. Old runs are
 * written into {@code heap__runs} here with times a fixed number of days before the test's clock.
 */
class RunHistoryTest {
  private static final HeapConfig CONFIG = HeapConfig.builder().funnelEvents(List.of("a", "b")).build();

  @Test
  void aSuccessfulRunForgetsRunsOlderThanTheHistoryItKeeps() throws Exception {
    String url = "jdbc:h2:mem:history-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    try (Connection c = DriverManager.getConnection(url)) {
      new SourceTables(Warehouses.H2, CONFIG).create(c);
      String first = run(c, CONFIG);
      StateSql sql = new StateSql(Warehouses.H2, CONFIG);
      LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
      finished(c, sql, "0000d100", "succeeded", now.minusDays(100), List.of());
      finished(c, sql, "0000d095", "failed", now.minusDays(95), List.of());
      // a failed run whose working table is still listed: the next run drops the table, then forgets the
      // run (one whose table cannot be dropped stays listed, and kept: StateStatementsTest)
      finished(c, sql, "0000d094", "failed", now.minusDays(94), List.of("left_behind__r0000d094"));
      finished(c, sql, "0000d030", "crashed", now.minusDays(30), List.of());

      String second = run(c, CONFIG);
      assertThat(ids(c)).containsExactlyInAnyOrder(first, second, "0000d030");

      // a shorter history: the 30-day-old crash goes too; the runs of today stay
      HeapConfig week = HeapConfig.builder().from(CONFIG).runHistoryDays(7).build();
      String third = run(c, week);
      assertThat(ids(c)).containsExactlyInAnyOrder(first, second, third);
    }
  }

  /** Runs, and returns the id the run recorded. */
  private static String run(Connection c, HeapConfig config) {
    new JdbcRunner(Warehouses.H2).run(HeapProject.standard(config).plan(), c);
    return new RunState(Warehouses.H2, config, c).lastSuccess().orElseThrow().runId();
  }

  private static void finished(Connection c, StateSql sql, String id, String status, LocalDateTime at, List<String> workTables)
      throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql.insertRun(id, "old-host/1/" + id, "incremental", at.minusMinutes(5), Optional.empty(), workTables));
      s.execute(sql.finishRun(id, status, at, Optional.empty(), workTables, "an old run"));
    }
  }

  private static List<String> ids(Connection c) {
    return new RunState(Warehouses.H2, CONFIG, c).runs(100).stream().map(RunState.Run::runId).collect(Collectors.toList());
  }
}
