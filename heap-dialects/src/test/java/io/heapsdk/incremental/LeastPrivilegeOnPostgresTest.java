package io.heapsdk.incremental;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.model.ProjectPlan;
import io.heapsdk.run.HeapRunException;
import io.heapsdk.run.JdbcRunner;
import io.heapsdk.sample.SampleData;
import io.heapsdk.testing.PostgresServer;
import io.heapsdk.warehouse.BuildPlan;
import io.heapsdk.warehouse.Warehouses;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * heap run as the user an administrator gives analytics on PostgreSQL: no CREATE on the database, a
 * target schema made for it with USAGE and CREATE, and SELECT on Heap's tables. PostgreSQL refuses
 * {@code CREATE SCHEMA IF NOT EXISTS} to that user even for a schema that exists ("permission denied
 * for database"), so the runner must not ask it when the schema is there.
 */
class LeastPrivilegeOnPostgresTest {
  private static final HeapConfig CONFIG = HeapConfig.builder().funnelEvents(java.util.List.of("purchase")).build();

  @Test
  void aUserWithCreateOnTheTargetSchemaOnlyRunsFullAndIncremental() throws Exception {
    try (Connection admin = PostgresServer.get().newDatabase("heap_grants")) {
      SampleData sample = SampleData.of(200, 5);
      sample.load(admin, Warehouses.POSTGRES, CONFIG);
      String role = "heap_analyst_" + admin.getCatalog().replaceAll("[^a-z0-9_]", "");
      try (Statement s = admin.createStatement()) {
        s.execute("CREATE ROLE " + role + " LOGIN");
        s.execute("CREATE SCHEMA " + Warehouses.POSTGRES.quote(CONFIG.targetSchema()));
        s.execute("GRANT USAGE, CREATE ON SCHEMA " + Warehouses.POSTGRES.quote(CONFIG.targetSchema()) + " TO " + role);
        s.execute("GRANT USAGE ON SCHEMA " + Warehouses.POSTGRES.quote(CONFIG.sourceSchema()) + " TO " + role);
        s.execute("GRANT SELECT ON ALL TABLES IN SCHEMA " + Warehouses.POSTGRES.quote(CONFIG.sourceSchema()) + " TO " + role);
      }
      assertThat(hasDatabaseCreate(admin, role)).as("the role may not create schemas").isFalse();
      String url = admin.getMetaData().getURL().replace("user=postgres", "user=" + role);
      ProjectPlan plan = HeapProject.standard(CONFIG).plan();
      try (Connection analyst = DriverManager.getConnection(url)) {
        assertThat(new JdbcRunner(Warehouses.POSTGRES).run(plan, analyst).mode()).isEqualTo(BuildPlan.Mode.FULL_REFRESH);
        sample.nextBatch().insert(admin, Warehouses.POSTGRES, CONFIG);
        assertThat(new JdbcRunner(Warehouses.POSTGRES).run(plan, analyst).mode()).isEqualTo(BuildPlan.Mode.INCREMENTAL);
        assertThat(new JdbcRunner(Warehouses.POSTGRES).run(plan, analyst, true).mode()).isEqualTo(BuildPlan.Mode.FULL_REFRESH);
      }
      // a target schema nobody made: the user may not create it, and heap says the schema is missing
      // (PostgreSQL's own words name only the database)
      ProjectPlan elsewhere = HeapProject.standard(HeapConfig.builder().from(CONFIG).targetSchema("heap_missing").build()).plan();
      try (Connection analyst = DriverManager.getConnection(url)) {
        assertThatThrownBy(() -> new JdbcRunner(Warehouses.POSTGRES).run(elsewhere, analyst))
            .isInstanceOf(HeapRunException.class)
            .hasMessageStartingWith("the target schema heap_missing does not exist, and heap's database user may not create it (")
            .hasMessageContaining("permission denied for database")
            .hasMessageEndingWith("or set target.schema to a schema that exists");
      }
      // without CREATE on the target schema: refused at once (not tried five times as a passing failure),
      // and heap says the schema is what heap's user may not use, with the grant to give
      try (Statement s = admin.createStatement()) {
        s.execute("REVOKE CREATE ON SCHEMA " + Warehouses.POSTGRES.quote(CONFIG.targetSchema()) + " FROM " + role);
      }
      try (Connection analyst = DriverManager.getConnection(url)) {
        assertThatThrownBy(() -> new JdbcRunner(Warehouses.POSTGRES).run(plan, analyst, true))
            .isInstanceOf(HeapRunException.class)
            .hasMessageStartingWith("heap's database user may not create its tables in the target schema " + CONFIG.targetSchema() + " (")
            .hasMessageContaining("permission denied for schema " + CONFIG.targetSchema())
            .hasMessageEndingWith("): grant it USAGE and CREATE on that schema, or set target.schema to one it may use")
            .satisfies(e -> assertThat(((HeapRunException) e).lacksPrivilege()).isTrue());
      }
      // a Heap table heap's user may not read: the statement's own failure, which lacks a privilege too
      try (Statement s = admin.createStatement()) {
        s.execute("GRANT CREATE ON SCHEMA " + Warehouses.POSTGRES.quote(CONFIG.targetSchema()) + " TO " + role);
        s.execute("REVOKE SELECT ON " + Warehouses.POSTGRES.quote(CONFIG.sourceSchema()) + ".user_migrations FROM " + role);
      }
      try (Connection analyst = DriverManager.getConnection(url)) {
        assertThatThrownBy(() -> new JdbcRunner(Warehouses.POSTGRES).run(plan, analyst))
            .isInstanceOf(HeapRunException.class)
            .hasMessageContaining("permission denied for table user_migrations")
            .hasMessageEndingWith("(heap's database user lacks a privilege, or, where Heap's tables are views, a view's owner lacks one on"
                + " what it reads: see \"Privileges heap needs\" in the README)")
            .satisfies(e -> assertThat(((HeapRunException) e).lacksPrivilege()).isTrue());
      }
    }
  }

  /**
   * The run state made by another role (an administrator's first run), heap's user given USAGE and CREATE
   * on the schema but nothing on those tables: refused at the lock row, and said as the run state heap's
   * user may not write, with the grants to give, not as a schema it may not create tables in (a review).
   */
  @Test
  void runStateAnotherRoleMadeIsSaidAsNotWritable() throws Exception {
    try (Connection admin = PostgresServer.get().newDatabase("heap_state_owner")) {
      SampleData.of(50, 5).load(admin, Warehouses.POSTGRES, CONFIG);
      ProjectPlan plan = HeapProject.standard(CONFIG).plan();
      new JdbcRunner(Warehouses.POSTGRES).run(plan, admin);
      String role = "heap_ci_" + admin.getCatalog().replaceAll("[^a-z0-9_]", "");
      try (Statement s = admin.createStatement()) {
        s.execute("CREATE ROLE " + role + " LOGIN");
        s.execute("GRANT USAGE, CREATE ON SCHEMA " + Warehouses.POSTGRES.quote(CONFIG.targetSchema()) + " TO " + role);
        s.execute("GRANT USAGE ON SCHEMA " + Warehouses.POSTGRES.quote(CONFIG.sourceSchema()) + " TO " + role);
        s.execute("GRANT SELECT ON ALL TABLES IN SCHEMA " + Warehouses.POSTGRES.quote(CONFIG.sourceSchema()) + " TO " + role);
      }
      String url = admin.getMetaData().getURL().replace("user=postgres", "user=" + role);
      try (Connection ci = DriverManager.getConnection(url)) {
        assertThatThrownBy(() -> new JdbcRunner(Warehouses.POSTGRES).run(plan, ci))
            .isInstanceOf(HeapRunException.class)
            .hasMessageStartingWith("heap's database user may not write heap's run state in the target schema " + CONFIG.targetSchema() + " (")
            .hasMessageContaining("permission denied for table heap__run_lock")
            .hasMessageEndingWith("grant heap's user SELECT, INSERT, UPDATE and DELETE on them, or set target.schema to a schema of its own")
            .satisfies(e -> assertThat(((HeapRunException) e).lacksPrivilege()).isTrue());
      }
    }
  }

  /**
   * Facts another role owns (made by an administrator's run, or handed over to a reporting role), heap's
   * user granted SELECT, INSERT, UPDATE and DELETE on them (all a MERGE needs) but not TRUNCATE: a full
   * build keeps the same columns, so it refills each fact in place, and deletes its rows where it may
   * not truncate them. Row security that applies to heap's user there stops the swap instead, since a
   * DELETE would leave the rows its policies hide.
   */
  @Test
  void aFullBuildOfFactsTheUserMayWriteButNotTruncateDeletesTheirRows() throws Exception {
    try (Connection admin = PostgresServer.get().newDatabase("heap_no_truncate")) {
      SampleData sample = SampleData.of(200, 5);
      sample.load(admin, Warehouses.POSTGRES, CONFIG);
      ProjectPlan plan = HeapProject.standard(CONFIG).plan();
      new JdbcRunner(Warehouses.POSTGRES).run(plan, admin);
      String role = "heap_writer_" + admin.getCatalog().replaceAll("[^a-z0-9_]", "");
      String target = Warehouses.POSTGRES.quote(CONFIG.targetSchema());
      try (Statement s = admin.createStatement()) {
        s.execute("CREATE ROLE " + role + " LOGIN");
        s.execute("GRANT USAGE, CREATE ON SCHEMA " + target + " TO " + role);
        s.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA " + target + " TO " + role);
        s.execute("GRANT USAGE ON SCHEMA " + Warehouses.POSTGRES.quote(CONFIG.sourceSchema()) + " TO " + role);
        s.execute("GRANT SELECT ON ALL TABLES IN SCHEMA " + Warehouses.POSTGRES.quote(CONFIG.sourceSchema()) + " TO " + role);
      }
      String url = admin.getMetaData().getURL().replace("user=postgres", "user=" + role);
      sample.nextBatch().insert(admin, Warehouses.POSTGRES, CONFIG);
      try (Connection writer = DriverManager.getConnection(url)) {
        assertThat(new JdbcRunner(Warehouses.POSTGRES).run(plan, writer, true).mode()).isEqualTo(BuildPlan.Mode.FULL_REFRESH);
      }
      // the same rows as the administrator's own full build of the same sources, in another schema
      HeapConfig again = HeapConfig.builder().from(CONFIG).targetSchema("heap_again").build();
      new JdbcRunner(Warehouses.POSTGRES).run(HeapProject.standard(again).plan(), admin, true);
      for (var m : plan.materialized()) {
        String fact = Warehouses.POSTGRES.quote(m.name());
        assertThat(count(admin, "SELECT * FROM " + target + "." + fact + " EXCEPT ALL SELECT * FROM heap_again." + fact)
                + count(admin, "SELECT * FROM heap_again." + fact + " EXCEPT ALL SELECT * FROM " + target + "." + fact))
            .as("%s against a full build by its owner", m.name())
            .isZero();
        assertThat(count(admin, "SELECT * FROM " + target + "." + fact)).as(m.name()).isPositive();
        assertThat(owner(admin, CONFIG.targetSchema(), m.name())).as("%s keeps its owner", m.name()).isEqualTo("postgres");
      }
      // row security over the sessions fact that applies to heap's user: a DELETE would keep the rows
      // its policy hides, so the swap stops, naming the table, and the fact keeps its rows
      String sessions = target + ".\"stg_heap_sessions_inc_fct\"";
      long before = count(admin, "SELECT * FROM " + sessions);
      try (Statement s = admin.createStatement()) {
        s.execute("ALTER TABLE " + sessions + " ENABLE ROW LEVEL SECURITY");
        s.execute("CREATE POLICY odd_users ON " + sessions + " USING (heap_user_id % 2 = 1)");
      }
      try (Connection writer = DriverManager.getConnection(url)) {
        assertThatThrownBy(() -> new JdbcRunner(Warehouses.POSTGRES).run(plan, writer, true))
            .isInstanceOf(HeapRunException.class)
            .hasMessageContaining("heap's user may not TRUNCATE it, and row security applies to that user there")
            .hasMessageContaining("stg_heap_sessions_inc_fct");
      }
      assertThat(count(admin, "SELECT * FROM " + sessions)).isEqualTo(before);

      // a team's table whose foreign key cascades from the events fact: a DELETE would empty it (the
      // owner's TRUNCATE refuses), so the run is refused before its first statement (the swap's own
      // check says so too, for the script run with psql), and both tables keep their rows
      String events = target + ".\"stg_heap_events_all_inc_fct\"";
      try (Statement s = admin.createStatement()) {
        s.execute("ALTER TABLE " + events + " ADD CONSTRAINT events_id_unique UNIQUE (heap_event_id)");
        s.execute("CREATE TABLE public.event_notes (event_id BIGINT REFERENCES " + events + " (heap_event_id) ON DELETE CASCADE, note TEXT)");
        s.execute("INSERT INTO public.event_notes SELECT heap_event_id, 'seen' FROM " + events + " ORDER BY heap_event_id LIMIT 25");
      }
      long eventsBefore = count(admin, "SELECT * FROM " + events);
      try (Connection writer = DriverManager.getConnection(url)) {
        assertThatThrownBy(() -> new JdbcRunner(Warehouses.POSTGRES).run(plan, writer, true))
            .isInstanceOf(HeapRunException.class)
            .hasMessage(
                "nothing was changed: " + events + " is emptied and filled again, which another table's foreign key forbids, and"
                    + " public.event_notes (its foreign key event_notes_event_id_fkey) references it. Drop them, run again, then create"
                    + " them again (heap never drops them)");
      }
      assertThat(count(admin, "SELECT * FROM public.event_notes")).isEqualTo(25);
      assertThat(count(admin, "SELECT * FROM " + events)).isEqualTo(eventsBefore);
    }
  }

  private static long count(Connection c, String select) throws Exception {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM (" + select + ") AS x")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static String owner(Connection c, String schema, String table) throws Exception {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT tableowner FROM pg_tables WHERE schemaname = '" + schema + "' AND tablename = '" + table + "'")) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static boolean hasDatabaseCreate(Connection admin, String role) throws Exception {
    try (Statement s = admin.createStatement();
        ResultSet rs = s.executeQuery("SELECT has_database_privilege('" + role + "', current_database(), 'CREATE')")) {
      rs.next();
      return rs.getBoolean(1);
    }
  }
}
