package io.heapsdk.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.config.ChannelRule;
import io.heapsdk.config.Condition;
import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.testing.LocalEngines;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A channel rule in Russian on a PostgreSQL database whose LC_CTYPE is C: its LOWER leaves Cyrillic as it
 * is, so the rule matched only sessions of the same case, and the run said nothing (found by a user
 * probe: 0 sessions in the channel instead of 42). The run now warns; on a database that lowers it, it
 * does not.
 */
class CaseFoldingTest {
  private static final HeapConfig CONFIG =
      HeapConfig.builder()
          .channelRules(List.of(new ChannelRule("Почта", Condition.equalTo("utm_medium", "ЭЛЕКТРОННАЯ_ПОЧТА")), new ChannelRule("Other", Condition.contains("utm_source", "news"))))
          .build();

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"h2", "duckdb", "postgres"})
  void aDatabaseThatLowersCyrillicGivesNoWarning(String engine) throws Exception {
    try (Connection c = LocalEngines.open(engine, "heap_case_folding")) {
      new SourceTables(LocalEngines.warehouse(engine), CONFIG).create(c);
      assertThat(new JdbcRunner(LocalEngines.warehouse(engine)).run(HeapProject.standard(CONFIG).plan(), c).warnings()).isEmpty();
    }
  }

  @Test
  void aPostgresDatabaseWithCtypeCIsWarnedOf() throws Exception {
    String name = "heap_ctype_c_" + Long.toHexString(UUID.randomUUID().getMostSignificantBits() & 0xffffffL);
    try (Connection admin = LocalEngines.open("postgres", "heap_case_folding_admin");
        Statement s = admin.createStatement()) {
      s.execute("CREATE DATABASE " + name + " TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'");
      String url = admin.getMetaData().getURL().replaceFirst("/heap_case_folding_admin_\\d+", "/" + name);
      try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
        new SourceTables(LocalEngines.warehouse("postgres"), CONFIG).create(c);
        RunResult r = new JdbcRunner(LocalEngines.warehouse("postgres")).run(HeapProject.standard(CONFIG).plan(), c);
        assertThat(r.warnings())
            .containsExactly(
                "the channel rules' value ЭЛЕКТРОННАЯ_ПОЧТА matches sessions only in the case written: LOWER on this postgres database"
                    + " leaves text beyond ASCII as it is (on PostgreSQL, a database whose LC_CTYPE is C or POSIX; create it with a"
                    + " UTF-8 one, such as C.UTF-8)");
      }
    }
  }
}
