package io.heapsdk.incremental;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.model.PlannedModel;
import io.heapsdk.model.ProjectPlan;
import io.heapsdk.run.HeapRunException;
import io.heapsdk.run.JdbcRunner;
import io.heapsdk.testing.PostgresServer;
import io.heapsdk.warehouse.BuildPlan;
import io.heapsdk.warehouse.Warehouse;
import io.heapsdk.warehouse.Warehouses;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * A full refresh of an existing table on PostgreSQL keeps what others attached to it: a BI role's
 * grant, the owner, comments, the indexes and a plain view reading it. On the real server: a role
 * granted SELECT on the sessions fact and on a view over it, refreshes through {@link JdbcRunner} and
 * through the compiled script run by psql; the role still reads both, and they hold the rows of a
 * fact built from scratch in a second schema. When a definition change changes the columns, the view
 * stops the refresh with an error naming it (nothing dropped, the old table untouched); without a view
 * the new table takes the old one's place with its grants, owner and comments. Redshift keeps drop and
 * rename; its statements are checked for their shape (no Redshift here).
 */
class FullRefreshInPlaceTest {
  private static final String SESSIONS = "stg_heap_sessions_inc_fct";
  private static final String VIEW = "session_users";
  /** The sessions fact's indexed columns: unique key, user, time (written from the model by hand). */
  private static final int SESSION_INDEXES = 3;

  private static final HeapConfig CONFIG =
      HeapConfig.builder().funnelEvents(List.of("a", "b", "c")).conversionEvents(List.of("b")).ownDomain("example.com").build();
  /** A fourth funnel step: the sessions fact gets a column heap_session_funnel_step_4_cnt. */
  private static final HeapConfig MORE_STEPS = HeapConfig.builder().from(CONFIG).funnelEvents(List.of("a", "b", "c", "d")).build();

  @Test
  void grantsOwnerCommentsIndexesAndAViewSurviveRefreshesByTheRunnerAndByTheScript() throws Exception {
    PostgresServer server = PostgresServer.get();
    Connection c = server.newDatabase("heap_in_place");
    String reader = role("reader");
    String owner = role("owner");
    try (TwinTargets db = new TwinTargets(CONFIG, Warehouses.POSTGRES, c)) {
      RandomHistory history = new RandomHistory(17L, false, CONFIG.lateArrivalLookbackDays());
      history.addBatch(db, 0);
      history.addBatch(db, 1);
      fullRefresh(c, CONFIG);
      attach(db, reader, owner);
      long oid = oid(c);
      List<String> before = db.rows("inc", SESSIONS);

      // 1. through the runner
      history.addBatch(db, 2);
      fullRefresh(c, CONFIG);
      assertThat(oid(c)).as("the same table, its rows replaced").isEqualTo(oid);
      assertThat(db.rows("inc", SESSIONS)).as("the new batch is in").isNotEqualTo(before);
      assertAttached(db, reader, owner, CONFIG, "after the runner's full refresh");

      // 2. through the compiled script, as psql runs it
      history.addBatch(db, 3);
      before = db.rows("inc", SESSIONS);
      PostgresServer.Psql psql = server.psql(c.getCatalog(), script(CONFIG));
      assertThat(psql.exitCode()).as(psql.output()).isZero();
      assertThat(oid(c)).as("the same table, its rows replaced").isEqualTo(oid);
      assertThat(db.rows("inc", SESSIONS)).as("the new batch is in").isNotEqualTo(before);
      assertAttached(db, reader, owner, CONFIG, "after the script's full refresh");
    }
  }

  @Test
  void changedColumnsStopAtAViewAndOtherwiseReplaceTheTableWithItsGrantsOwnerAndComments() throws Exception {
    PostgresServer server = PostgresServer.get();
    Connection c = server.newDatabase("heap_in_place_columns");
    String reader = role("reader");
    String owner = role("owner");
    try (TwinTargets db = new TwinTargets(CONFIG, Warehouses.POSTGRES, c)) {
      RandomHistory history = new RandomHistory(23L, false, CONFIG.lateArrivalLookbackDays());
      history.addBatch(db, 0);
      history.addBatch(db, 1);
      fullRefresh(c, CONFIG);
      attach(db, reader, owner);
      long oid = oid(c);
      List<String> before = db.rows("inc", SESSIONS);
      Map<String, List<String>> factsBefore = new HashMap<>();
      for (String fact : TwinTargets.FACTS) {
        factsBefore.put(fact, db.rows("inc", fact));
      }
      history.addBatch(db, 2);
      // another table's foreign key to the fact stops a swap too; that table in public, on the search path,
      // is still named with its schema
      db.execute("ALTER TABLE \"inc\".\"" + SESSIONS + "\" ADD CONSTRAINT sessions_key UNIQUE (heap_session_id)");
      db.execute("CREATE TABLE public.session_notes AS SELECT heap_session_id FROM \"inc\".\"" + SESSIONS + "\" LIMIT 0");
      db.execute("ALTER TABLE public.session_notes ADD FOREIGN KEY (heap_session_id) REFERENCES \"inc\".\"" + SESSIONS + "\" (heap_session_id)");

      // the view and the foreign key stop the runner before its first statement, named together; no
      // table is changed (before, the facts swapped in ahead of the sessions fact took the new batch)
      assertThatThrownBy(() -> fullRefresh(c, MORE_STEPS))
          .isInstanceOf(HeapRunException.class)
          .hasMessage(
              "nothing was changed: \"inc\".\"" + SESSIONS + "\" gets other columns (adds heap_session_funnel_step_4_cnt), and"
                  + " inc." + VIEW + " (a view), public.session_notes (its foreign key session_notes_heap_session_id_fkey) depend on it. Drop them, run"
                  + " again, then create them again for the new columns (heap never drops them)");
      assertThat(oid(c)).isEqualTo(oid);
      for (String fact : TwinTargets.FACTS) {
        assertThat(db.rows("inc", fact)).as(fact).isEqualTo(factsBefore.get(fact));
      }
      db.execute("DROP TABLE public.session_notes");
      db.execute("ALTER TABLE \"inc\".\"" + SESSIONS + "\" DROP CONSTRAINT sessions_key");
      assertAttachedTo(db, reader, owner, "after the refused refresh by the runner");

      // and the script, run by psql
      PostgresServer.Psql refused = server.psql(c.getCatalog(), script(MORE_STEPS));
      assertThat(refused.exitCode()).as(refused.output()).isEqualTo(3);
      assertThat(refused.output()).contains("inc." + VIEW).contains("drop them, run again");
      assertThat(oid(c)).isEqualTo(oid);
      assertThat(db.rows("inc", SESSIONS)).isEqualTo(before);
      assertAttachedTo(db, reader, owner, "after the refused script");

      // without the view, the runner replaces the table; what was attached to it moves over
      db.execute("DROP VIEW \"inc\".\"" + VIEW + "\"");
      fullRefresh(c, MORE_STEPS);
      long replaced = oid(c);
      assertThat(replaced).as("a new table").isNotEqualTo(oid);
      assertThat(columns(c)).contains("heap_session_funnel_step_4_cnt");
      assertReplaced(db, reader, owner, MORE_STEPS, "after the runner replaced the table");

      // and back to three steps, by the script: replaced again
      history.addBatch(db, 3);
      PostgresServer.Psql psql = server.psql(c.getCatalog(), script(CONFIG));
      assertThat(psql.exitCode()).as(psql.output()).isZero();
      assertThat(oid(c)).as("a new table").isNotIn(oid, replaced);
      assertThat(columns(c)).doesNotContain("heap_session_funnel_step_4_cnt");
      assertReplaced(db, reader, owner, CONFIG, "after the script replaced the table");
    }
  }

  /**
   * A column whose type alone changes (a heap that renders it otherwise after an upgrade, a source column
   * widened), under a view: the names stay, so the runner's check before the run lets it through, and the
   * swap, the only step that knows the new types, stops with the table as it was. The decision says
   * beforehand what depends on the table (heap status, --dry-run), and the swap names the retyped column.
   * Before, neither said anything but "gets other columns", and every later run stopped the same way
   * (found by a probe of upgrades). Here the column is retyped by hand, as an older heap had built it.
   */
  @Test
  void aColumnWhoseTypeAloneChangesIsNamedWithTheViewThatStopsTheSwap() throws Exception {
    Connection c = PostgresServer.get().newDatabase("heap_in_place_retyped");
    try (TwinTargets db = new TwinTargets(CONFIG, Warehouses.POSTGRES, c)) {
      RandomHistory history = new RandomHistory(29L, false, CONFIG.lateArrivalLookbackDays());
      history.addBatch(db, 0);
      fullRefresh(c, CONFIG);
      String fact = "\"inc\".\"" + SESSIONS + "\"";
      db.execute("ALTER TABLE " + fact + " ALTER COLUMN \"heap_session_conversion_cnt\" TYPE numeric");
      db.execute("CREATE VIEW \"inc\".\"" + VIEW + "\" AS SELECT \"heap_session_id\", \"heap_user_id\" FROM " + fact);
      long oid = oid(c);
      List<String> before = db.rows("inc", SESSIONS);

      JdbcRunner runner = new JdbcRunner(Warehouses.POSTGRES);
      ProjectPlan plan = HeapProject.standard(TwinTargets.inc(CONFIG)).plan();
      assertThat(runner.prepare(plan, c, true).decisions())
          .filteredOn(d -> d.model().equals(SESSIONS))
          .singleElement()
          .satisfies(d -> assertThat(d.reason())
              .endsWith("; inc." + VIEW + " (a view) depends on it: kept if its columns keep their types, else the run stops at its swap,"
                  + " the table as it was"));
      // a fact no view reads is said as before
      assertThat(runner.prepare(plan, c, true).decisions())
          .filteredOn(d -> !d.model().equals(SESSIONS))
          .allSatisfy(d -> assertThat(d.reason()).doesNotContain("depends on it"));

      history.addBatch(db, 1);
      assertThatThrownBy(() -> fullRefresh(c, CONFIG))
          .isInstanceOf(HeapRunException.class)
          .hasMessageContaining(
              "table \"inc\".\"" + SESSIONS + "\" gets other columns (of another type: heap_session_conversion_cnt numeric -> bigint), and views"
                  + " depend on it: drop them, run again, then create them again (heap never drops a view): inc." + VIEW);
      assertThat(oid(c)).isEqualTo(oid);
      assertThat(db.rows("inc", SESSIONS)).isEqualTo(before);

      // without the view, the table is replaced and takes the new type
      db.execute("DROP VIEW \"inc\".\"" + VIEW + "\"");
      fullRefresh(c, CONFIG);
      long replaced = oid(c);
      assertThat(replaced).isNotEqualTo(oid);

      // another table's foreign key: PostgreSQL will not TRUNCATE the table to refill it, whatever the
      // types, so the run is refused before its first statement; it stopped at the sessions fact's swap,
      // after the facts before it had been replaced
      db.execute("ALTER TABLE " + fact + " ADD CONSTRAINT sessions_key UNIQUE (heap_session_id)");
      db.execute("CREATE TABLE public.session_notes AS SELECT heap_session_id FROM " + fact + " LIMIT 0");
      db.execute("ALTER TABLE public.session_notes ADD FOREIGN KEY (heap_session_id) REFERENCES " + fact + " (heap_session_id)");
      history.addBatch(db, 2);
      Map<String, List<String>> factsBefore = new HashMap<>();
      for (String f : TwinTargets.FACTS) {
        factsBefore.put(f, db.rows("inc", f));
      }
      assertThatThrownBy(() -> fullRefresh(c, CONFIG))
          .isInstanceOf(HeapRunException.class)
          .hasMessageStartingWith(
              "nothing was changed: " + fact + " is emptied and filled again, which another table's foreign key forbids, and"
                  + " public.session_notes (its foreign key session_notes_heap_session_id_fkey) references it. Drop them, run again");
      assertThat(oid(c)).isEqualTo(replaced);
      for (String f : TwinTargets.FACTS) {
        assertThat(db.rows("inc", f)).as(f).isEqualTo(factsBefore.get(f));
      }
    }
  }

  /**
   * What a warehouse team attaches to a fact besides grants, owner and comments, found on a database
   * moved over from the old dbt project: its own indexes, a primary key and a CHECK, storage parameters,
   * extended statistics, column grants, row security with a policy, a publication and a trigger. When a
   * changed definition replaces the table, each comes over to the new one, but those on a column no
   * longer built, which are warnings naming them (as are the dropped column and its values). Before,
   * all of them were dropped without a word, and the readers' grant came over without the policy that
   * limited their rows. A policy that cannot follow stops the swap instead: the table stays as it was.
   * Once by the script (psql prints the warnings), once back by the runner.
   */
  @Test
  void whatATeamAttachedFollowsTheTableToNewColumnsOrIsNamed() throws Exception {
    PostgresServer server = PostgresServer.get();
    Connection c = server.newDatabase("heap_attached");
    String reader = role("reader");
    String owner = role("owner");
    String columnReader = role("column_reader");
    String fact = "\"inc\".\"" + SESSIONS + "\"";
    try (TwinTargets db = new TwinTargets(CONFIG, Warehouses.POSTGRES, c)) {
      RandomHistory history = new RandomHistory(29L, false, CONFIG.lateArrivalLookbackDays());
      history.addBatch(db, 0);
      history.addBatch(db, 1);
      fullRefresh(c, MORE_STEPS);
      attach(db, reader, owner);
      db.execute("DROP VIEW \"inc\".\"" + VIEW + "\"");
      db.execute("CREATE ROLE \"" + columnReader + "\"");
      db.execute("GRANT USAGE ON SCHEMA \"inc\" TO \"" + columnReader + "\"");
      db.execute("CREATE INDEX team_channel_idx ON " + fact + " (heap_session_defined_channel_attribution, heap_session_start_time)");
      db.execute("CREATE INDEX team_step_4_idx ON " + fact + " (heap_session_funnel_step_4_cnt)");
      db.execute("ALTER TABLE " + fact + " ADD CONSTRAINT team_pk PRIMARY KEY (heap_session_id)");
      db.execute("ALTER TABLE " + fact + " ADD CONSTRAINT team_check CHECK (heap_session_sequence_num > 0)");
      db.execute("ALTER TABLE " + fact + " SET (fillfactor = 70, autovacuum_vacuum_scale_factor = 0.01)");
      db.execute("CREATE STATISTICS \"inc\".team_stats ON heap_user_id, heap_session_country FROM " + fact);
      db.execute("GRANT SELECT (heap_session_id, heap_session_country) ON " + fact + " TO \"" + columnReader + "\"");
      db.execute("GRANT SELECT (heap_session_funnel_step_4_cnt) ON " + fact + " TO \"" + columnReader + "\"");
      db.execute("ALTER TABLE " + fact + " ENABLE ROW LEVEL SECURITY");
      db.execute("CREATE POLICY team_even_users ON " + fact + " FOR SELECT TO \"" + reader + "\" USING (heap_user_id % 2 = 0)");
      db.execute("CREATE PUBLICATION team_pub_" + reader + " FOR TABLE " + fact);
      db.execute("CREATE FUNCTION \"inc\".team_touch() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END'");
      db.execute("CREATE TRIGGER team_trigger BEFORE UPDATE ON " + fact + " FOR EACH ROW EXECUTE FUNCTION \"inc\".team_touch()");
      // what a logical replica needs of a table without a key, and a few settings more (a review's list)
      db.execute("ALTER TABLE " + fact + " REPLICA IDENTITY FULL");
      db.execute("ALTER TABLE " + fact + " SET (toast.autovacuum_enabled = false)");
      db.execute("ALTER TABLE " + fact + " ALTER COLUMN heap_session_country SET DEFAULT 'unknown'");
      db.execute("ALTER TABLE " + fact + " ALTER COLUMN heap_user_id SET STATISTICS 500");
      db.execute("ALTER TABLE " + fact + " CLUSTER ON team_channel_idx");
      assertTeamsAttachments(c, fact, reader, columnReader, true, "as the team left it");
      long oid = oid(c);

      // three steps again, by the script: heap_session_funnel_step_4_cnt goes, and what was on it
      history.addBatch(db, 2);
      PostgresServer.Psql psql = server.psql(c.getCatalog(), script(CONFIG));
      assertThat(psql.exitCode()).as(psql.output()).isZero();
      assertThat(oid(c)).as("a new table").isNotEqualTo(oid);
      assertThat(psql.output())
          .contains("WARNING:  table \"inc\".\"" + SESSIONS + "\": columns no longer built, dropped with their values: heap_session_funnel_step_4_cnt")
          .contains("the grant of SELECT on column heap_session_funnel_step_4_cnt to " + columnReader + " is not carried over")
          .contains("CREATE INDEX team_step_4_idx")
          .doesNotContain("team_channel_idx");
      assertTeamsAttachments(c, fact, reader, columnReader, false, "after the script replaced the table");
      assertThat(db.rows("inc", SESSIONS)).isEqualTo(fresh(db, CONFIG));

      // a policy on a column the next definition drops stops the swap: the table stays as it was
      fullRefresh(c, MORE_STEPS);
      db.execute("CREATE POLICY team_step_4 ON " + fact + " FOR SELECT TO \"" + reader + "\" USING (heap_session_funnel_step_4_cnt >= 0)");
      long withPolicy = oid(c);
      assertThatThrownBy(() -> fullRefresh(c, CONFIG))
          .isInstanceOf(HeapRunException.class)
          .hasMessageContaining("its row security policy team_step_4 cannot follow them")
          .hasMessageContaining("change or drop the policy, run again");
      assertThat(oid(c)).isEqualTo(withPolicy);
      db.execute("DROP POLICY team_step_4 ON " + fact);
      // nor one that reads the table itself (its copy would read the old table, which then cannot go)
      db.execute("CREATE POLICY team_self ON " + fact + " FOR SELECT TO \"" + reader + "\" USING (heap_user_id IN (SELECT heap_user_id FROM " + fact + "))");
      assertThatThrownBy(() -> fullRefresh(c, CONFIG))
          .isInstanceOf(HeapRunException.class)
          .hasMessageContaining("its row security policies team_self read the table itself: drop them, run again");
      assertThat(oid(c)).isEqualTo(withPolicy);
      db.execute("DROP POLICY team_self ON " + fact);

      // and by the runner, back to three steps
      fullRefresh(c, CONFIG);
      assertThat(oid(c)).as("a new table").isNotEqualTo(withPolicy);
      assertTeamsAttachments(c, fact, reader, columnReader, false, "after the runner replaced the table");
      assertThat(db.rows("inc", SESSIONS)).isEqualTo(fresh(db, CONFIG));
    }
  }

  private static List<String> fresh(TwinTargets db, HeapConfig config) {
    db.execute("DROP SCHEMA IF EXISTS \"full\" CASCADE");
    db.runFull(config);
    return db.rows("full", SESSIONS);
  }

  /** The team's attachments of the test above, with or without those on the fourth step's column. */
  private static void assertTeamsAttachments(
      Connection c, String fact, String reader, String columnReader, boolean withStep4, String when) throws SQLException {
    String table = "to_regclass('" + fact + "')";
    List<String> indexes = strings(c, "SELECT relname::text FROM pg_index JOIN pg_class ON oid = indexrelid WHERE indrelid = " + table, null);
    assertThat(indexes).as("%s: indexes", when).contains("team_channel_idx", "team_pk");
    assertThat(indexes.contains("team_step_4_idx")).as("%s: the index on the fourth step", when).isEqualTo(withStep4);
    assertThat(strings(c, "SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = " + table, null))
        .as("%s: constraints", when)
        .containsExactly("team_check CHECK ((heap_session_sequence_num > 0))", "team_pk PRIMARY KEY (heap_session_id)");
    assertThat(strings(c, "SELECT array_to_string(reloptions, ',') FROM pg_class WHERE oid = " + table, null))
        .as("%s: storage parameters", when)
        .containsExactly("fillfactor=70,autovacuum_vacuum_scale_factor=0.01");
    assertThat(strings(c, "SELECT stxname::text FROM pg_statistic_ext WHERE stxrelid = " + table, null))
        .as("%s: statistics", when)
        .containsExactly("team_stats");
    assertThat(strings(c, "SELECT tgname::text FROM pg_trigger WHERE NOT tgisinternal AND tgrelid = " + table, null))
        .as("%s: triggers", when)
        .containsExactly("team_trigger");
    assertThat(strings(c, "SELECT pubname::text FROM pg_publication_tables WHERE schemaname = 'inc' AND tablename = '" + SESSIONS + "'", null))
        .as("%s: publications", when)
        .containsExactly("team_pub_" + reader);
    assertThat(strings(c, "SELECT column_name::text FROM information_schema.column_privileges WHERE table_schema = 'inc' AND table_name = '"
            + SESSIONS + "' AND grantee = '" + columnReader + "'", null))
        .as("%s: column grants", when)
        .containsExactlyInAnyOrderElementsOf(
            withStep4 ? List.of("heap_session_country", "heap_session_funnel_step_4_cnt", "heap_session_id") : List.of("heap_session_country", "heap_session_id"));
    assertThat(strings(c, "SELECT relrowsecurity::text FROM pg_class WHERE oid = " + table, null)).as("%s: row security", when).containsExactly("true");
    assertThat(strings(c, "SELECT relreplident::text FROM pg_class WHERE oid = " + table, null)).as("%s: replica identity", when).containsExactly("f");
    assertThat(strings(c, "SELECT array_to_string(t.reloptions, ',') FROM pg_class c JOIN pg_class t ON t.oid = c.reltoastrelid WHERE c.oid = " + table, null))
        .as("%s: the TOAST table's storage parameters", when)
        .containsExactly("autovacuum_enabled=false");
    assertThat(strings(c, "SELECT pg_get_expr(adbin, adrelid) FROM pg_attrdef WHERE adrelid = " + table, null))
        .as("%s: column default", when)
        .containsExactly("'unknown'::character varying");
    assertThat(strings(c, "SELECT attstattarget::text FROM pg_attribute WHERE attname = 'heap_user_id' AND attrelid = " + table, null))
        .as("%s: statistics target", when)
        .containsExactly("500");
    assertThat(strings(c, "SELECT relname::text FROM pg_index JOIN pg_class ON oid = indexrelid WHERE indisclustered AND indrelid = " + table, null))
        .as("%s: the CLUSTER index", when)
        .containsExactly("team_channel_idx");
    // the policy limits the reader to the even users, though its table grant came over
    assertThat(strings(c, "SELECT count(*)::text FROM " + fact, reader))
        .as("%s: the rows the reader sees", when)
        .containsExactly(strings(c, "SELECT count(*)::text FROM " + fact + " WHERE heap_user_id % 2 = 0", null).get(0))
        .isNotEqualTo(strings(c, "SELECT count(*)::text FROM " + fact, null));
  }

  /** Quotes, a dollar-quote tag and a space in the target schema's name: the swap block still parses and runs. */
  @Test
  void aSchemaNameHoldingTheDollarTagAndQuotesIsRefreshedInPlace() throws Exception {
    String schema = "we$heap$ird 'q\" s";
    HeapConfig weird = HeapConfig.builder().from(CONFIG).targetSchema(schema).build();
    List<String> swap =
        BuildPlan.fullRefresh(Warehouses.POSTGRES, HeapProject.standard(weird).plan()).steps().stream()
            .filter(s -> s.phase() == BuildPlan.Phase.SWAP && s.model().equals(SESSIONS))
            .findFirst()
            .orElseThrow()
            .statements();
    assertThat(swap.get(0)).startsWith("DO $heap1$\n").endsWith("\n$heap1$");

    Connection c = PostgresServer.get().newDatabase("heap_in_place_names");
    try (TwinTargets db = new TwinTargets(CONFIG, Warehouses.POSTGRES, c)) {
      RandomHistory history = new RandomHistory(29L, false, CONFIG.lateArrivalLookbackDays());
      history.addBatch(db, 0);
      ProjectPlan plan = HeapProject.standard(weird).plan();
      new JdbcRunner(Warehouses.POSTGRES).run(plan, c, true);
      long oid = oid(c, schema);
      history.addBatch(db, 1);
      new JdbcRunner(Warehouses.POSTGRES).run(plan, c, true);
      assertThat(oid(c, schema)).isEqualTo(oid);
      db.runFull();
      assertThat(db.rows(schema, SESSIONS)).isEqualTo(db.rows("full", SESSIONS)).isNotEmpty();
    }
  }

  /**
   * psql without {@code ON_ERROR_STOP} goes on after a failed statement: when the new table's
   * {@code CREATE TABLE … AS} failed (a source column renamed away, say), the swap says that the new table
   * was not built and leaves the fact as it was. Before, it warned that every column of the fact was
   * "no longer built, dropped with their values", and then failed on the rename (found running the
   * compiled script with psql's defaults).
   */
  @Test
  void aSwapWhoseNewTableWasNotBuiltSaysSoAndLeavesTheFact() throws Exception {
    Connection c = PostgresServer.get().newDatabase("heap_in_place_not_built");
    try (TwinTargets db = new TwinTargets(CONFIG, Warehouses.POSTGRES, c)) {
      new RandomHistory(31L, false, CONFIG.lateArrivalLookbackDays()).addBatch(db, 0);
      fullRefresh(c, CONFIG);
      long oid = oid(c);
      List<String> before = db.rows("inc", SESSIONS);
      List<String> swap =
          BuildPlan.fullRefresh(Warehouses.POSTGRES, HeapProject.standard(TwinTargets.inc(CONFIG)).plan()).steps().stream()
              .filter(s -> s.phase() == BuildPlan.Phase.SWAP && s.model().equals(SESSIONS))
              .findFirst()
              .orElseThrow()
              .statements();
      try (Statement s = c.createStatement()) {
        assertThatThrownBy(() -> s.execute(swap.get(0)))
            .isInstanceOf(SQLException.class)
            .hasMessageContaining("table \"inc\".\"" + SESSIONS + "__new\" was not built (its statement failed before this one): \"inc\".\""
                + SESSIONS + "\" is left as it was")
            .extracting(e -> ((SQLException) e).getSQLState())
            .isEqualTo("42P01");
        assertThat((Object) s.getWarnings()).as("no column is said to be dropped").isNull();
      }
      assertThat(oid(c)).isEqualTo(oid);
      assertThat(db.rows("inc", SESSIONS)).isEqualTo(before).isNotEmpty();
    }
  }

  /**
   * Redshift keeps drop and rename (see README, "Each warehouse"): each table's swap is exactly the
   * DROP (never CASCADE) and the RENAME, in one transaction of the script; PostgreSQL's is its block
   * and ANALYZE. No statement of either drops anything with CASCADE.
   */
  @Test
  void redshiftSwapsByDropAndRenameInATransactionAndNothingCascades() {
    for (HeapConfig config : List.of(CONFIG, MORE_STEPS)) {
      ProjectPlan plan = HeapProject.standard(config).plan();
      BuildPlan redshift = BuildPlan.fullRefresh(Warehouses.REDSHIFT, plan);
      for (PlannedModel m : plan.materialized()) {
        String table = "\"heap_models\".\"" + m.name() + "\"";
        List<BuildPlan.Step> swaps =
            redshift.steps().stream().filter(s -> s.model().equals(m.name()) && s.phase() == BuildPlan.Phase.SWAP).toList();
        assertThat(swaps).singleElement().extracting(BuildPlan.Step::statements).isEqualTo(
            List.of(
                "DROP TABLE IF EXISTS " + table,
                "ALTER TABLE \"heap_models\".\"" + m.name() + "__new\" RENAME TO \"" + m.name() + "\""));
        assertThat(redshift.script(m.name()))
            .contains("BEGIN;\n\nDROP TABLE IF EXISTS " + table + ";\n\nALTER TABLE \"heap_models\".\"" + m.name()
                + "__new\" RENAME TO \"" + m.name() + "\";\n\nCOMMIT;\n");
      }
      for (Warehouse w : List.of(Warehouses.REDSHIFT, Warehouses.POSTGRES)) {
        for (BuildPlan run : List.of(BuildPlan.fullRefresh(w, plan), BuildPlan.incremental(w, plan))) {
          assertThat(run.steps()).flatExtracting(BuildPlan.Step::statements).noneMatch(s -> s.toUpperCase(Locale.ROOT).contains("CASCADE"));
        }
      }
      BuildPlan postgres = BuildPlan.fullRefresh(Warehouses.POSTGRES, plan);
      for (PlannedModel m : plan.materialized()) {
        List<String> swap =
            postgres.steps().stream()
                .filter(s -> s.model().equals(m.name()) && s.phase() == BuildPlan.Phase.SWAP)
                .findFirst()
                .orElseThrow()
                .statements();
        assertThat(swap).hasSize(2);
        assertThat(swap.get(0)).startsWith("DO $heap$\n").endsWith("\n$heap$").contains("TRUNCATE \"heap_models\".\"" + m.name() + "\";");
        assertThat(swap.get(1)).isEqualTo("ANALYZE \"heap_models\".\"" + m.name() + "\"");
      }
    }
  }

  /** A full refresh of {@code config} by the runner, on schema inc. */
  private static void fullRefresh(Connection c, HeapConfig config) {
    new JdbcRunner(Warehouses.POSTGRES).run(HeapProject.standard(TwinTargets.inc(config)).plan(), c, true);
  }

  /** The script `heap compile` writes for a full refresh of {@code config} on schema inc. */
  private static String script(HeapConfig config) {
    return BuildPlan.fullRefresh(Warehouses.POSTGRES, HeapProject.standard(TwinTargets.inc(config)).plan()).script();
  }

  /** A role of its own per test: roles are shared by every database of the server. */
  private static String role(String what) {
    return "heap_" + what + "_" + Integer.toHexString(ThreadLocalRandom.current().nextInt());
  }

  /** What a warehouse team adds to a fact: an owner, a BI role's grants, comments and a view. */
  private static void attach(TwinTargets db, String reader, String owner) {
    String fact = "\"inc\".\"" + SESSIONS + "\"";
    db.execute("CREATE ROLE \"" + reader + "\"");
    db.execute("CREATE ROLE \"" + owner + "\"");
    db.execute("GRANT USAGE ON SCHEMA \"inc\" TO \"" + reader + "\"");
    // a table's owner needs CREATE on its schema (ALTER TABLE … OWNER TO)
    db.execute("GRANT USAGE, CREATE ON SCHEMA \"inc\" TO \"" + owner + "\"");
    db.execute("ALTER TABLE " + fact + " OWNER TO \"" + owner + "\"");
    db.execute("GRANT SELECT ON " + fact + " TO \"" + reader + "\"");
    db.execute("COMMENT ON TABLE " + fact + " IS 'Sessions, for BI'");
    db.execute("COMMENT ON COLUMN " + fact + ".\"heap_user_id\" IS 'who'");
    db.execute("CREATE VIEW \"inc\".\"" + VIEW + "\" AS SELECT \"heap_session_id\", \"heap_user_id\" FROM " + fact);
    db.execute("GRANT SELECT ON \"inc\".\"" + VIEW + "\" TO \"" + reader + "\"");
  }

  /**
   * Everything {@link #attach} added is still there, the reader reads the fact and the view, and both
   * hold the rows of the same fact built from scratch (by {@code config}) in schema full.
   */
  private static void assertAttached(TwinTargets db, String reader, String owner, HeapConfig config, String when) throws SQLException {
    assertAttachedTo(db, reader, owner, when);
    db.execute("DROP SCHEMA IF EXISTS \"full\" CASCADE");
    db.runFull(config);
    List<String> expected = db.rows("full", SESSIONS);
    assertThat(db.rows("inc", SESSIONS)).as(when).isEqualTo(expected).isNotEmpty();
    List<String> expectedView = strings(db.connection, "SELECT \"heap_session_id\" || ' ' || \"heap_user_id\" FROM \"full\".\"" + SESSIONS + "\"", null);
    assertThat(strings(db.connection, "SELECT \"heap_session_id\" || ' ' || \"heap_user_id\" FROM \"inc\".\"" + VIEW + "\"", reader))
        .as("%s: the view, read by the reader", when)
        .isEqualTo(expectedView);
    assertThat(strings(db.connection, "SELECT \"heap_session_id\" || ' ' || \"heap_user_id\" FROM \"inc\".\"" + SESSIONS + "\"", reader))
        .as("%s: the fact, read by the reader", when)
        .isEqualTo(expectedView);
  }

  /** The grant, owner, comments and indexes {@link #attach} added or heap built, and the view. */
  private static void assertAttachedTo(TwinTargets db, String reader, String owner, String when) throws SQLException {
    assertGrantOwnerComments(db, reader, owner, when);
    assertThat(strings(db.connection, "SELECT relname::text FROM pg_class WHERE oid = to_regclass('\"inc\".\"" + VIEW + "\"')", null))
        .as("%s: the view", when)
        .containsExactly(VIEW);
  }

  /** After a replacement: grant, owner, comments moved over, the rows are the fresh build's. */
  private static void assertReplaced(TwinTargets db, String reader, String owner, HeapConfig config, String when) throws SQLException {
    assertGrantOwnerComments(db, reader, owner, when);
    db.execute("DROP SCHEMA IF EXISTS \"full\" CASCADE");
    db.runFull(config);
    assertThat(db.rows("inc", SESSIONS)).as(when).isEqualTo(db.rows("full", SESSIONS)).isNotEmpty();
    assertThat(strings(db.connection, "SELECT \"heap_session_id\" || ' ' || \"heap_user_id\" FROM \"inc\".\"" + SESSIONS + "\"", reader))
        .as("%s: the fact, read by the reader", when)
        .isEqualTo(strings(db.connection, "SELECT \"heap_session_id\" || ' ' || \"heap_user_id\" FROM \"full\".\"" + SESSIONS + "\"", null));
  }

  private static void assertGrantOwnerComments(TwinTargets db, String reader, String owner, String when) throws SQLException {
    Connection c = db.connection;
    String fact = "\"inc\".\"" + SESSIONS + "\"";
    assertThat(strings(c, "SELECT has_table_privilege('" + reader + "', '" + fact + "', 'SELECT')::text", null))
        .as("%s: has_table_privilege", when)
        .containsExactly("true");
    // role_table_grants lists the grants of the enabled roles: read it as the reader
    assertThat(
            strings(
                c,
                "SELECT privilege_type::text FROM information_schema.role_table_grants WHERE table_schema = 'inc'"
                    + " AND table_name = '" + SESSIONS + "' AND grantee = '" + reader + "'",
                reader))
        .as("%s: role_table_grants", when)
        .containsExactly("SELECT");
    assertThat(strings(c, "SELECT pg_get_userbyid(relowner)::text FROM pg_class WHERE oid = to_regclass('" + fact + "')", null))
        .as("%s: owner", when)
        .containsExactly(owner);
    assertThat(strings(c, "SELECT obj_description(to_regclass('" + fact + "'), 'pg_class')", null))
        .as("%s: table comment", when)
        .containsExactly("Sessions, for BI");
    assertThat(
            strings(
                c,
                "SELECT col_description(a.attrelid, a.attnum) FROM pg_attribute a WHERE a.attrelid = to_regclass('" + fact
                    + "') AND a.attname = 'heap_user_id'",
                null))
        .as("%s: column comment", when)
        .containsExactly("who");
    assertThat(strings(c, "SELECT count(*)::text FROM pg_index WHERE indrelid = to_regclass('" + fact + "')", null))
        .as("%s: one index per indexed column, none twice", when)
        .containsExactly(String.valueOf(SESSION_INDEXES));
  }

  private static long oid(Connection c) throws SQLException {
    return oid(c, "inc");
  }

  private static long oid(Connection c, String schema) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relname = ?")) {
      s.setString(1, schema);
      s.setString(2, SESSIONS);
      try (ResultSet rs = s.executeQuery()) {
        assertThat(rs.next()).as("table %s.%s exists", schema, SESSIONS).isTrue();
        return rs.getLong(1);
      }
    }
  }

  private static List<String> columns(Connection c) throws SQLException {
    return strings(
        c,
        "SELECT attname::text FROM pg_attribute WHERE attrelid = to_regclass('\"inc\".\"" + SESSIONS
            + "\"') AND attnum > 0 AND NOT attisdropped",
        null);
  }

  /** The first column of every row of {@code sql}, sorted; run as {@code role} when given. */
  private static List<String> strings(Connection c, String sql, String role) throws SQLException {
    List<String> values = new ArrayList<>();
    try (Statement s = c.createStatement()) {
      if (role != null) {
        s.execute("SET ROLE \"" + role + "\"");
      }
      try (ResultSet rs = s.executeQuery(sql)) {
        while (rs.next()) {
          values.add(rs.getString(1));
        }
      } finally {
        if (role != null) {
          s.execute("RESET ROLE");
        }
      }
    }
    values.sort(null);
    return values;
  }
}
