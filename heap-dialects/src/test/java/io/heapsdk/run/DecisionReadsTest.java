package io.heapsdk.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.testing.StatementHooks;
import io.heapsdk.warehouse.Warehouses;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Deciding a run reads what the last successful run recorded once: the emptied-source check, the text
 * widths, the lookback, whether fingerprints are stored, the reconcile note and a changed definition's
 * reason each asked {@code heap__run_settings} on their own, a round trip each on a warehouse (five and
 * more per run, each with a catalog look-up before it).
 */
class DecisionReadsTest {
  @Test
  void aRunIsDecidedWithOneReadOfTheRecordedSettings() throws Exception {
    HeapConfig reconciling = HeapConfig.builder().reconcile(true).build();
    try (Connection db = DriverManager.getConnection("jdbc:h2:mem:" + UUID.randomUUID())) {
      new SourceTables(Warehouses.H2, reconciling).create(db);
      JdbcRunner runner = new JdbcRunner(Warehouses.H2);
      runner.run(HeapProject.standard(reconciling).plan(), db);
      runner.run(HeapProject.standard(reconciling).plan(), db);
      List<String> sent = new ArrayList<>();
      Connection recorded = StatementHooks.around(db, sent::add, StatementHooks.NONE);
      // a changed definition too, whose reason says what changed in the recorded config
      HeapConfig changed = HeapConfig.builder().from(reconciling).sessionTimeoutMinutes(10).build();
      JdbcRunner.RunPlan run = runner.prepare(HeapProject.standard(changed).plan(), recorded, false);
      assertThat(run.decisions()).anySatisfy(d -> assertThat(d.reason()).contains("sessionization.timeout_minutes 30 -> 10"));
      assertThat(run.decisions()).anySatisfy(d -> assertThat(d.reason()).contains("reconciling"));
      assertThat(sent.stream().filter(sql -> sql.toLowerCase(Locale.ROOT).contains("heap__run_settings"))).hasSize(1);
    }
  }
}
