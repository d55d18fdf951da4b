package io.heapsdk.incremental;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heapsdk.config.ChannelRule;
import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.model.ProjectPlan;
import io.heapsdk.run.JdbcRunner;
import io.heapsdk.warehouse.BuildPlan;
import io.heapsdk.warehouse.TableName;
import io.heapsdk.warehouse.Warehouse;
import io.heapsdk.warehouse.Warehouses;
import io.heapsdk.warehouse.h2.H2Warehouse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A full build of a table that holds its model's definition keeps the table where the warehouse can
 * refill it ({@link Warehouse#refillsInPlace}: Snowflake's {@code INSERT OVERWRITE}, BigQuery's TRUNCATE
 * and INSERT): what a team attached to it stays. Found reading the vendors' documentation: a full
 * refresh on Snowflake and BigQuery gave the fact a new table that kept its grants (Snowflake's COPY
 * GRANTS) but not the row access and masking policies attached to the old one, so its readers saw what
 * those hid. Neither warehouse runs here: the runner's side runs on H2 through a warehouse that refills
 * the table (DELETE, INSERT; Snowflake's INSERT OVERWRITE and BigQuery's MERGE … ON FALSE do it in one
 * statement), and what a team attaches is H2's own grant to a reader, which a swapped-in table does not
 * have (the control case shows it). Their statements are golden files ({@code
 * golden/hostile/<warehouse>/<model>.refill.sql}); every config's are parsed by JSqlParser and resolved by ZetaSQL.
 */
class FullRefreshKeepsTableTest {
  private static final String EVENTS = "stg_heap_events_all_inc_fct";
  private static final String PAGEVIEWS = "stg_heap_pageview_sessions_inc_fct";
  private static final String SESSIONS = "stg_heap_sessions_inc_fct";
  private static final HeapConfig BASE =
      HeapConfig.builder().funnelEvents(List.of("a", "b", "c")).conversionEvents(List.of("b")).ownDomain("example.com").build();

  /**
   * H2, refilling a table as Snowflake and BigQuery do (unless told not to), saying what its new tables
   * lose, and reading the security attached to a table from a table of the test's ({@code
   * HEAP_TEST_POLICIES}, as Snowflake's POLICY_REFERENCES), then from a catalog view heap's user may not
   * read (a SELECT that fails, as BigQuery's ROW_ACCESS_POLICIES for a Data Editor).
   */
  static final class RefillingH2 extends H2Warehouse {
    private final boolean refills;

    RefillingH2() {
      this(true);
    }

    RefillingH2(boolean refills) {
      this.refills = refills;
    }

    @Override
    public boolean refillsInPlace() {
      return refills;
    }

    @Override
    public List<String> attachedSecuritySelects(TableName table) {
      return List.of(
          "SELECT \"WHAT\" FROM \"PUBLIC\".\"HEAP_TEST_POLICIES\" WHERE \"TBL\" = " + literal(storedName(table.name())),
          "SELECT \"POLICY\" FROM \"PUBLIC\".\"NOT_YOURS_TO_READ\"");
    }

    @Override
    public List<String> refillStatements(TableName table, List<String> columns, String select) {
      return List.of("DELETE FROM " + table.qualified(), "INSERT INTO " + table.qualified() + " (" + columnList(columns, "") + ")\n" + select);
    }

    @Override
    public Optional<String> newTableLoses() {
      return Optional.of("the grants on it");
    }
  }

  @Test
  void aForcedFullRefreshKeepsTheTablesAndWhatATeamGrantedOnThem() throws Exception {
    Warehouse w = new RefillingH2();
    try (TwinTargets db = new TwinTargets(BASE, w, newDatabase())) {
      RandomHistory history = new RandomHistory(7L, false, BASE.lateArrivalLookbackDays());
      history.addBatch(db, 0);
      JdbcRunner.RunPlan first = new JdbcRunner(w).prepare(plan(BASE), db.connection, false);
      assertThat(first.build().refilledInPlace()).as("no table yet: new ones").isEmpty();
      db.runIncremental();
      grantReader(db);

      history.addBatch(db, 1);
      JdbcRunner.RunPlan forced = new JdbcRunner(w).prepare(plan(BASE), db.connection, true);
      assertThat(forced.build().refilledInPlace()).containsExactlyInAnyOrder(EVENTS, PAGEVIEWS, SESSIONS);
      assertThat(forced.decisions())
          .allSatisfy(d -> assertThat(d.reason()).isEqualTo("full refresh asked for; its rows are replaced in place: the table keeps its grants, policies and tags"));
      // no swap: each fact's one build step is the refill
      assertThat(forced.build().steps()).noneMatch(s -> s.phase() == BuildPlan.Phase.SWAP);
      assertThat(forced.build().steps().stream().filter(s -> s.model().equals(SESSIONS) && s.phase() == BuildPlan.Phase.BUILD).findFirst().orElseThrow().statements())
          .anySatisfy(s -> assertThat(s).startsWith("DELETE FROM \"INC\".\"STG_HEAP_SESSIONS_INC_FCT\""));

      assertThat(new JdbcRunner(w).run(plan(BASE), db.connection, true).mode()).isEqualTo(BuildPlan.Mode.FULL_REFRESH);
      assertReaderCanRead(db);
      db.runFull();
      assertSameFacts(db, "after the forced full refresh");

      // asked for new tables (a source column's type changed, say): swapped in, and the decision says what goes
      JdbcRunner.RunPlan fresh = new JdbcRunner(w).newTables().prepare(plan(BASE), db.connection, true);
      assertThat(fresh.build().refilledInPlace()).isEmpty();
      assertThat(fresh.decisions())
          .allSatisfy(d -> assertThat(d.reason()).isEqualTo("full refresh asked for; a new table replaces it, without the grants on it"));

      // the state says the tables hold their definition: the next run merges every fact
      history.addBatch(db, 2);
      assertThat(new JdbcRunner(w).prepare(plan(BASE), db.connection, false).decisions()).allMatch(d -> !d.full());
      db.runIncremental();
      db.runFull();
      assertSameFacts(db, "one batch later");
      assertReaderCanRead(db);
    }
  }

  @Test
  void aTableWhoseDefinitionChangedGetsANewTableAndTheDecisionSaysWhatItLoses() throws Exception {
    Warehouse w = new RefillingH2();
    try (TwinTargets db = new TwinTargets(BASE, w, newDatabase())) {
      RandomHistory history = new RandomHistory(8L, false, BASE.lateArrivalLookbackDays());
      history.addBatch(db, 0);
      db.runIncremental();
      history.addBatch(db, 1);
      HeapConfig changed = HeapConfig.builder().from(BASE).channelRules(ChannelRule.defaults(Optional.empty()).subList(0, 3)).build();
      JdbcRunner.RunPlan run = new JdbcRunner(w).prepare(plan(changed), db.connection, false);
      assertThat(run.build().refilledInPlace()).isEmpty();
      JdbcRunner.ModelDecision sessions = run.decisions().stream().filter(d -> d.model().equals(SESSIONS)).findFirst().orElseThrow();
      assertThat(sessions.full()).isTrue();
      // what a new table loses, and that heap's user could not look (neither catalog table is there)
      assertThat(sessions.reason())
          .startsWith("definition changed: ")
          .contains("; a new table replaces it, without the grants on it; its row and column security could not be checked (Table \"")
          .contains("\"NOT_YOURS_TO_READ\" not found");
      assertThat(run.decisions()).filteredOn(d -> !d.model().equals(SESSIONS)).allMatch(d -> !d.full());
      db.runIncremental(changed);
      db.runFull(changed);
      assertSameFacts(db, "after the change");
    }
  }

  @Test
  void aRunGivingATableWithSecurityANewTableIsRefusedUnlessAskedFor() throws Exception {
    Warehouse w = new RefillingH2();
    try (TwinTargets db = new TwinTargets(BASE, w, newDatabase())) {
      RandomHistory history = new RandomHistory(9L, false, BASE.lateArrivalLookbackDays());
      history.addBatch(db, 0);
      db.runIncremental();
      db.execute("CREATE TABLE \"PUBLIC\".\"HEAP_TEST_POLICIES\" (\"TBL\" VARCHAR, \"WHAT\" VARCHAR)");
      db.execute("INSERT INTO \"PUBLIC\".\"HEAP_TEST_POLICIES\" VALUES ('STG_HEAP_SESSIONS_INC_FCT', 'row access policy GOV.P.ONLY_EU')");
      history.addBatch(db, 1);

      // a forced full refresh keeps every table: nothing to refuse
      assertThat(new JdbcRunner(w).prepare(plan(BASE), db.connection, true).build().refilledInPlace()).hasSize(3);

      // a changed definition gives the sessions fact a new table, which would not have the policy
      HeapConfig changed = HeapConfig.builder().from(BASE).channelRules(ChannelRule.defaults(Optional.empty()).subList(0, 3)).build();
      List<String> before = db.rows("inc", SESSIONS);
      String refusal =
          "nothing was changed: this run gives a table with row or column security a new table on h2, which keeps the grants and"
              + " not the security: \"INC\".\"STG_HEAP_SESSIONS_INC_FCT\" (row access policy GOV.P.ONLY_EU). Readers would see"
              + " what it hides. To go ahead, run with JdbcRunner.newTables(), then have the policies attached to the new table"
              + " again";
      assertThatThrownBy(() -> new JdbcRunner(w).prepare(plan(changed), db.connection, false)).hasMessage(refusal);
      assertThatThrownBy(() -> db.runIncremental(changed)).hasMessage(refusal);
      assertThat(db.rows("inc", SESSIONS)).isEqualTo(before);

      // asked for: the run goes ahead, and equals a full build of the new definition
      new JdbcRunner(w).newTables().run(plan(changed), db.connection);
      db.runFull(changed);
      assertSameFacts(db, "after the change");
    }
  }

  @Test
  void withoutARefillTheSwappedInTablesLoseTheGrant() throws Exception {
    // the control: plain H2 swaps in a new table, which the reader was never granted
    try (TwinTargets db = new TwinTargets(BASE, Warehouses.H2, newDatabase())) {
      RandomHistory history = new RandomHistory(7L, false, BASE.lateArrivalLookbackDays());
      history.addBatch(db, 0);
      db.runIncremental();
      grantReader(db);
      history.addBatch(db, 1);
      new JdbcRunner(Warehouses.H2).run(plan(BASE), db.connection, true);
      try (Connection reader = DriverManager.getConnection(url(db), "READER", "pw");
          Statement s = reader.createStatement()) {
        assertThatThrownBy(() -> s.executeQuery("SELECT COUNT(*) FROM \"INC\".\"" + SESSIONS.toUpperCase() + "\""))
            .isInstanceOf(SQLException.class);
      }
    }
  }

  private static ProjectPlan plan(HeapConfig config) {
    return HeapProject.standard(TwinTargets.inc(config)).plan();
  }

  private static Connection newDatabase() throws SQLException {
    return DriverManager.getConnection("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
  }

  private static String url(TwinTargets db) throws SQLException {
    return db.connection.getMetaData().getURL();
  }

  private static void grantReader(TwinTargets db) {
    db.execute("CREATE USER READER PASSWORD 'pw'");
    for (String fact : TwinTargets.FACTS) {
      db.execute("GRANT SELECT ON \"INC\".\"" + fact.toUpperCase() + "\" TO READER");
    }
  }

  private static void assertReaderCanRead(TwinTargets db) throws SQLException {
    try (Connection reader = DriverManager.getConnection(url(db), "READER", "pw");
        Statement s = reader.createStatement()) {
      for (String fact : TwinTargets.FACTS) {
        try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM \"INC\".\"" + fact.toUpperCase() + "\"")) {
          rs.next();
          assertThat(rs.getLong(1)).as(fact).isEqualTo(db.rows("inc", fact).size()).isPositive();
        }
      }
    }
  }

  private static void assertSameFacts(TwinTargets db, String when) {
    for (String fact : TwinTargets.FACTS) {
      assertThat(db.rows("inc", fact)).as("%s, %s", when, fact).isEqualTo(db.rows("full", fact)).isNotEmpty();
    }
  }
}
