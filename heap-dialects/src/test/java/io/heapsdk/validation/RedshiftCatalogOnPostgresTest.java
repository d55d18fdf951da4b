package io.heapsdk.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.testing.PostgresServer;
import io.heapsdk.warehouse.TableName;
import io.heapsdk.warehouse.Warehouse;
import io.heapsdk.warehouse.Warehouses;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Redshift's catalog questions before a run ({@code golden/catalog/redshift.sql}), run on PostgreSQL,
 * whose catalog Redshift's descends from: the views that would stop a swap's DROP come out of {@code
 * pg_class}, {@code pg_namespace} and {@code pg_depend} alike. There is no Redshift here; its own system
 * views ({@code SVV_RLS_RELATION}, {@code SVV_ATTACHED_MASKING_POLICY}) are stood in for by views with
 * the columns its documentation lists, so the questions are at least checked to parse and to read those
 * columns. Names with a quote and a semicolon go in as literals.
 */
class RedshiftCatalogOnPostgresTest {
  private static final Warehouse REDSHIFT = Warehouses.REDSHIFT;

  @Test
  void theViewsOnATableAreFoundAndNothingElse() throws SQLException {
    try (Connection c = PostgresServer.get().newDatabase("heap_redshift_catalog");
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA \"it's; models\"");
      s.execute("CREATE TABLE \"it's; models\".fact (id int, name text)");
      s.execute("CREATE TABLE \"it's; models\".other (id int)");
      s.execute("CREATE VIEW \"it's; models\".v_fact AS SELECT id FROM \"it's; models\".fact");
      s.execute("CREATE VIEW public.v_both AS SELECT f.id FROM \"it's; models\".fact f JOIN \"it's; models\".other o ON o.id = f.id");
      s.execute("CREATE VIEW public.v_other AS SELECT id FROM \"it's; models\".other");
      // a view on a view on the fact: the DROP names only the first, which is what the user drops first
      s.execute("CREATE VIEW public.v_v AS SELECT id FROM \"it's; models\".v_fact");

      assertThat(blockers(s, table("it's; models", "fact"))).containsExactlyInAnyOrder("it's; models.v_fact (a view)", "public.v_both (a view)");
      assertThat(blockers(s, table("it's; models", "other"))).containsExactlyInAnyOrder("public.v_both (a view)", "public.v_other (a view)");
      s.execute("CREATE TABLE \"it's; models\".lonely (id int)");
      assertThat(blockers(s, table("it's; models", "lonely"))).isEmpty();
    }
  }

  @Test
  void theSecurityQuestionsReadTheDocumentedColumns() throws SQLException {
    try (Connection c = PostgresServer.get().newDatabase("heap_redshift_security");
        Statement s = c.createStatement()) {
      // the columns of https://docs.aws.amazon.com/redshift/latest/dg/r_SVV_RLS_RELATION.html and
      // r_SVV_ATTACHED_MASKING_POLICY.html, with one protected table and one that is not
      s.execute(
          "CREATE VIEW svv_rls_relation AS SELECT * FROM (VALUES"
              + " (current_database()::text, 'heap_models'::text, 'stg_heap_sessions_inc_fct'::text, 'table'::text, true, false, 'and'::char(3), 'and'::char(3)),"
              + " (current_database()::text, 'heap_models'::text, 'stg_heap_events_all_inc_fct'::text, 'table'::text, false, false, 'and'::char(3), 'and'::char(3)))"
              + " AS t(datname, relschema, relname, relkind, is_rls_on, is_rls_datashare_on, rls_conjunction_type, rls_datashare_conjunction_type)");
      s.execute(
          "CREATE VIEW svv_attached_masking_policy AS SELECT * FROM (VALUES"
              + " ('mask_email'::text, 'heap_models'::text, 'stg_heap_sessions_inc_fct'::text, 'table'::text, 'admin'::text, 'analyst'::text, 'role'::text, 10))"
              + " AS t(policy_name, schema_name, table_name, table_type, grantor, grantee, grantee_type, priority)");
      assertThat(security(s, table("heap_models", "stg_heap_sessions_inc_fct"))).containsExactly("row-level security", "masking policy mask_email");
      assertThat(security(s, table("heap_models", "stg_heap_events_all_inc_fct"))).isEmpty();
    }
  }

  private static TableName table(String schema, String name) {
    return REDSHIFT.table(Optional.empty(), schema, name);
  }

  private static List<String> blockers(Statement s, TableName t) throws SQLException {
    return rows(s, REDSHIFT.swapBlockersSelect(t).orElseThrow());
  }

  private static List<String> security(Statement s, TableName t) throws SQLException {
    List<String> all = new ArrayList<>();
    for (String select : REDSHIFT.attachedSecuritySelects(t)) {
      all.addAll(rows(s, select));
    }
    return all;
  }

  private static List<String> rows(Statement s, String sql) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        rows.add(rs.getString(1));
      }
    }
    return rows;
  }
}
