package io.heapsdk.warehouse.redshift;

import io.heapsdk.source.ColumnType;
import io.heapsdk.config.PhysicalOptions;
import io.heapsdk.warehouse.Identifiers;
import io.heapsdk.warehouse.IncrementalTarget;
import io.heapsdk.warehouse.StringLiterals;
import io.heapsdk.warehouse.TableName;
import io.heapsdk.warehouse.Warehouse;
import java.util.List;
import java.util.Optional;
import org.apache.calcite.sql.SqlDialect;

/**
 * Redshift: no {@code CREATE OR REPLACE TABLE} (build-then-swap instead); the apply deletes and inserts
 * the rows that differ (see {@link #applyStatements}).
 *
 * <p>A full refresh swaps by drop and rename in one transaction, so the table loses its grants and a
 * plain view on it makes the DROP fail; README "Each warehouse" says why it is not replaced in place
 * as on PostgreSQL: TRUNCATE commits the transaction it runs in
 * (https://docs.aws.amazon.com/redshift/latest/dg/r_TRUNCATE.html), ALTER TABLE APPEND cannot run in
 * one, and deleting every row before an INSERT leaves the old rows as deleted blocks and the new ones
 * unsorted until a VACUUM (https://docs.aws.amazon.com/redshift/latest/dg/r_DELETE.html), while a table
 * built by CREATE TABLE AS is compact and sorted. Grants belong on the schema (scoped permissions, or
 * default privileges), views on heap's tables are late-binding ({@code WITH NO SCHEMA BINDING}).
 */
public final class RedshiftWarehouse extends Warehouse {
  @Override
  public String name() {
    return "redshift";
  }

  @Override
  protected SqlDialect dialect() {
    return RedshiftDialect.INSTANCE;
  }

  /** Yes: Heap Connect syncs into it, and its schema is Heap's. */
  @Override
  protected boolean heapSyncsInto() {
    return true;
  }

  /**
   * Ignoring case: Redshift folds quoted names to lower case too, unless a session turns {@code
   * enable_case_sensitive_identifier} on (https://docs.aws.amazon.com/redshift/latest/dg/r_enable_case_sensitive_identifier.html).
   */
  @Override
  protected boolean sameStoredName(String a, String b) {
    return Identifiers.bare(a).equalsIgnoreCase(Identifiers.bare(b));
  }

  @Override
  public Identifiers identifiers() {
    return RedshiftDialect.IDENTIFIERS;
  }

  @Override
  public StringLiterals literals() {
    return RedshiftDialect.LITERALS;
  }

  /**
   * Yes: the swap's DROP and RENAME run in one transaction, and Redshift's DDL is transactional
   * (https://docs.aws.amazon.com/redshift/latest/dg/r_BEGIN.html), so a cancelled swap leaves the table.
   */
  @Override
  public boolean rollsBackSwap() {
    return true;
  }

  @Override
  protected boolean hasCreateOrReplace() {
    return false;
  }

  /**
   * The plain (schema-bound) views on the table, which make the swap's DROP fail ("cannot drop table …
   * because other objects depend on it"): a view's rewrite rule depends internally on the view and
   * normally on the tables it reads, in {@code pg_depend}. The form of the view dependency query of
   * Amazon's own Redshift admin views (amazon-redshift-utils, {@code v_view_dependency}), for one table;
   * late-binding views have no such dependency and never stop a swap. The same catalog answers on
   * PostgreSQL, where {@code RedshiftCatalogOnPostgresTest} runs it.
   */
  @Override
  public Optional<String> swapBlockersSelect(TableName table) {
    return Optional.of(
        "SELECT DISTINCT tgtnsp.nspname || '.' || tgtobj.relname || ' (a view)'"
            + "\nFROM pg_class srcobj"
            + "\nJOIN pg_namespace srcnsp ON srcobj.relnamespace = srcnsp.oid"
            + "\nJOIN pg_depend srcdep ON srcobj.oid = srcdep.refobjid"
            + "\nJOIN pg_depend tgtdep ON srcdep.objid = tgtdep.objid"
            + "\nJOIN pg_class tgtobj ON tgtdep.refobjid = tgtobj.oid AND srcobj.oid <> tgtobj.oid"
            + "\nJOIN pg_namespace tgtnsp ON tgtobj.relnamespace = tgtnsp.oid"
            + "\nWHERE tgtdep.deptype = 'i'::\"char\" AND tgtobj.relkind = 'v'::\"char\""
            + " AND srcnsp.nspname = " + literal(storedName(table.schema())) + " AND srcobj.relname = " + literal(storedName(table.name())));
  }

  @Override
  public String swapBlockersAdvice() {
    return "; a late-binding view (CREATE VIEW … WITH NO SCHEMA BINDING) does not stop a full build";
  }

  /**
   * Whether row-level security is on for the table ({@code SVV_RLS_RELATION}, "visible to all users"; a
   * regular user sees "only their own data", which for heap's user is taken to include the tables it
   * owns: not run here, and not documented). Which RLS policies are attached only a security
   * administrator may see ({@code SVV_RLS_ATTACHED_POLICY}), so the check names RLS, not the policies
   * (https://docs.aws.amazon.com/redshift/latest/dg/r_SVV_RLS_RELATION.html). The masking policies
   * attached ({@code SVV_ATTACHED_MASKING_POLICY}) show to superusers and {@code sys:secadmin} only:
   * regular users get no rows, not an error, so for them that question says nothing either way.
   */
  @Override
  public List<String> attachedSecuritySelects(TableName table) {
    String database = table.database().map(d -> literal(storedName(d))).orElse("current_database()");
    String schema = literal(storedName(table.schema()));
    String name = literal(storedName(table.name()));
    return List.of(
        "SELECT 'row-level security' FROM svv_rls_relation WHERE datname = " + database + " AND relschema = " + schema
            + " AND relname = " + name + " AND (is_rls_on OR is_rls_datashare_on)",
        // regular users see no rows here (superusers and sys:secadmin do): asked for them
        "SELECT 'masking policy ' || policy_name FROM svv_attached_masking_policy WHERE schema_name = " + schema
            + " AND table_name = " + name);
  }

  /**
   * The swap drops the old table: Redshift detaches its row-level security policies without an error
   * (https://docs.aws.amazon.com/redshift/latest/dg/t_rls_object_dependency.html), and the new table has
   * the grants default privileges give it, no more. Only a security administrator can see or attach
   * policies, so heap cannot carry them over (nor keep the table: see the class comment).
   */
  @Override
  public Optional<String> newTableLoses() {
    return Optional.of("its row-level security and masking policies, and the grants on it that default privileges do not give");
  }

  /**
   * The session's {@code timezone} (UTC unless set by {@code SET}, a user's {@code ALTER USER … SET
   * timezone}, or a JDBC driver that sends the JVM's zone when it connects, as PostgreSQL's does), in
   * which Redshift, as PostgreSQL, compares a {@code TIMESTAMPTZ} column with a zoneless literal (https://docs.aws.amazon.com/redshift/latest/dg/r_CURRENT_SETTING.html,
   * https://docs.aws.amazon.com/redshift/latest/dg/r_timezone_config.html).
   */
  @Override
  public Optional<SessionTimeZone> sessionTimeZone() {
    return Optional.of(
        new SessionTimeZone(
            "SELECT current_setting('timezone')", 1,
            SessionTimeZone.atTimeZoneUtcOr(
                "run heap in UTC (the JDBC drivers, PostgreSQL's and Redshift's, may give the session the JVM's zone:"
                    + " java -Duser.timezone=UTC; where they do not, ALTER USER … SET timezone TO 'UTC')")));
  }

  /** Redshift's names are 1 to 127 bytes (UTF-8). */
  private static final int MAX_NAME_BYTES = 127;

  /**
   * Redshift's documented rules: a name is at most 127 bytes of UTF-8 and holds only printable characters
   * (a quoted one any but none of the control characters); multibyte characters are allowed.
   */
  @Override
  protected Optional<String> nameProblem(NameKind kind, String name) {
    int control = firstRefused(name, cp -> Character.getType(cp) != Character.CONTROL);
    if (control >= 0) {
      return Optional.of("Redshift names hold only printable characters, not " + describe(control));
    }
    int bytes = utf8Bytes(name);
    return bytes > MAX_NAME_BYTES
        ? Optional.of("Redshift names are at most " + MAX_NAME_BYTES + " bytes of UTF-8; this one is " + bytes)
        : Optional.empty();
  }

  /**
   * Redshift's CREATE SCHEMA defines a schema of the current database and takes a one-part name, so a
   * configured database is left out: the connection must be to that database (tables, which Redshift
   * lets name their database, still do).
   */
  @Override
  public String createSchema(Optional<String> database, String schema) {
    return super.createSchema(Optional.empty(), schema);
  }

  @Override
  public java.util.Set<String> layoutKeys() {
    return java.util.Set.of("dist_key", "sort_key");
  }

  @Override
  public String tableOptions(PhysicalOptions options) {
    StringBuilder b = new StringBuilder();
    options.distKey().ifPresent(d -> b.append("DISTKEY(").append(quote(d)).append(")"));
    if (!options.sortKey().isEmpty()) {
      b.append(b.length() == 0 ? "" : "\n").append("SORTKEY(").append(columnList(options.sortKey(), "")).append(")");
    }
    return b.toString();
  }

  /**
   * {@code ANALYZE} after an incremental apply, once the apply transaction committed: the DELETE and
   * INSERT change the active users' rows, and automatic analyze runs only when the workload is light
   * (https://docs.aws.amazon.com/redshift/latest/dg/t_Analyzing_tables.html). Redshift skips it when too
   * few rows changed (analyze_threshold_percent), so it is cheap on a small batch. No VACUUM: it cannot
   * run inside a transaction block, takes long on a large fact, and Redshift's automatic vacuum delete
   * reclaims the deleted rows in the background (https://docs.aws.amazon.com/redshift/latest/dg/r_VACUUM_command.html).
   */
  @Override
  public List<String> afterApplyStatements(TableName table) {
    return List.of("ANALYZE " + table.qualified());
  }

  /**
   * Redshift has had MERGE since 2023 (https://docs.aws.amazon.com/redshift/latest/dg/r_MERGE.html), and
   * it is not used: a MERGE cannot remove the active users' rows that are no longer produced (there is no
   * WHEN NOT MATCHED BY SOURCE), so a DELETE would still be needed, and on Redshift's column store an
   * updated row is a deleted row plus an inserted one anyway. So the apply deletes and inserts only the
   * rows that differ ({@link #applyDifferingRows}), in the runner's one transaction. Deleting and
   * inserting every row of the active users instead, as this did before, rewrote rows that came out as
   * they were (most of them): each one left a deleted row for VACUUM to reclaim and an unsorted row at
   * the end of the table, which Redshift scans past the sort key until it is re-sorted. The temporary
   * table needs the {@code TEMP} privilege on the database, which every user has through {@code PUBLIC}
   * unless an administrator revoked it.
   */
  @Override
  public List<String> applyStatements(IncrementalTarget t) {
    return applyDifferingRows(t, "CREATE TEMPORARY TABLE");
  }

  /** Redshift's CONCAT takes two arguments only. */
  @Override
  protected String concat(List<String> texts) {
    return String.join(" || ',' || ", texts);
  }

  @Override
  protected String textHash(String text) {
    // 64-bit FNV-1a, BIGINT (https://docs.aws.amazon.com/redshift/latest/dg/r_FNV_HASH.html)
    return "FNV_HASH(" + text + ")";
  }

  @Override
  protected String hashText(String column, ColumnType type) {
    return type == ColumnType.TIMESTAMP ? "TO_CHAR(" + column + ", 'YYYY-MM-DD HH24:MI:SS.US')" : super.hashText(column, type);
  }
}
