package io.heapsdk.warehouse;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.PlanContext;
import io.heapsdk.source.ColumnType;
import io.heapsdk.source.SourceCatalog;
import io.heapsdk.source.SourceColumn;
import io.heapsdk.source.SourceTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The statements of a reconciling run ({@code incremental.reconcile}): per-user fingerprints of the
 * source tables, and the users whose fingerprint changed since the last reconciling run.
 *
 * <p>A user's fingerprint of a source table is the number of its rows and the sum of their row hashes
 * ({@link Warehouse#rowHash}, reduced modulo a prime so that the sum cannot overflow). Any insert,
 * delete or change of one of the user's rows changes it, whatever the row's time: a retroactive
 * insert, a re-sync that relabels events, a table emptied. Order does not matter, so no sort is needed,
 * only one scan and one aggregation per table. Two changes that cancel exactly (same count, same sum
 * modulo 2^31 - 1) would go unseen; with 64-bit row hashes that is about one chance in two billion per
 * changed user and table.
 *
 * <p>The fingerprints the last reconciling run saw are kept in {@value #TABLE} in the target schema. A
 * run computes the current ones into a working table before it reads anything else; the users whose
 * fingerprints differ (or exist on one side only) join the run's active users. Before its apply it
 * forgets the stored ones of its active users ({@link #forget}); after the apply and the builds, the
 * ones it took replace the stored ones in one atomic step, but for the users it rebuilt whose rows
 * differ by then ({@link #record}). A run that stops before its record leaves its active users without a
 * fingerprint, and the next run recomputes them. What the start and the record cannot tell: a change
 * undone within one run (a row that lands and goes, a table emptied and refilled with the same rows
 * while the run reads it), and a row of a user outside the active ones that an active user's build read
 * (an event naming their session) and that goes again before the next reconciling run.
 *
 * <p>Rows without a user id belong to no user and are not fingerprinted; the models drop them too.
 */
public final class SourcePrints {
  /** The fingerprints the last reconciling run saw. */
  public static final String TABLE = "heap__source_prints";

  /** The working table of the current fingerprints (the run's suffix follows). */
  public static final String CURRENT = "heap__current_prints";

  /**
   * The run setting holding {@link #definition()} of the stored fingerprints: recorded by each reconciling
   * run, kept by the plain runs between (run settings are replaced at every run).
   */
  public static final String DEFINITION_SETTING = "source_prints_definition";

  /** Keeps each row hash, and so each user's sum of a million of them, far from BIGINT's range. */
  static final long MODULUS = 2147483647L;

  static final String USER = "user_id";
  static final String SOURCE = "source";
  static final String ROWS = "row_count";
  static final String HASH_SUM = "hash_sum";

  private final Warehouse w;
  private final HeapConfig config;

  public SourcePrints(Warehouse warehouse, HeapConfig config) {
    this.w = warehouse;
    this.config = config;
  }

  /** The table of the stored fingerprints. */
  public TableName stored() {
    return w.table(config.targetDatabase(), config.targetSchema(), TABLE);
  }

  /** {@code CREATE TABLE IF NOT EXISTS} of {@link #stored()}: empty, every user then counts as changed. */
  public String createStored() {
    String clause = w.stateTableClause();
    return "CREATE TABLE IF NOT EXISTS " + stored().qualified() + " ("
        + q(USER) + " " + w.typeName(userType()) + ", "
        + q(SOURCE) + " " + w.typeName(ColumnType.VARCHAR) + ", "
        + q(ROWS) + " " + w.typeName(ColumnType.BIGINT) + ", "
        + q(HASH_SUM) + " " + w.typeName(ColumnType.BIGINT) + ")"
        + (clause.isEmpty() ? "" : " " + clause);
  }

  /**
   * What the fingerprints hash, as a short digest of {@link #currentSelect()}: the source tables and their
   * columns (a pass-through property added, a column renamed). Where it differs from the stored
   * fingerprints', every user's fingerprint differs, and a reconciling run recomputes every user.
   */
  public String definition() {
    try {
      byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(currentSelect().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(digest, 0, 6);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /**
   * The SELECT of the current fingerprints: per source table and user column (both sides of
   * {@code user_migrations}), one row per user.
   */
  public String currentSelect() {
    return currentSelect(Optional.empty());
  }

  /** {@link #currentSelect()} of the users in {@code of} only (column {@link PlanContext#ACTIVE_USER_ID}), each table read for them. */
  private String currentSelect(Optional<TableName> of) {
    List<String> parts = new ArrayList<>();
    for (String table : List.of(SourceCatalog.ALL_EVENTS, SourceCatalog.PAGEVIEWS, SourceCatalog.SESSIONS)) {
      perUser(table, "user_id", table, of).ifPresent(parts::add);
    }
    for (String side : List.of("from_user_id", "to_user_id")) {
      perUser(SourceCatalog.USER_MIGRATIONS, side, SourceCatalog.USER_MIGRATIONS + "." + side, of).ifPresent(parts::add);
    }
    return String.join("\nUNION ALL\n", parts);
  }

  private Optional<String> perUser(String logicalTable, String userColumn, String key, Optional<TableName> of) {
    Optional<SourceTable> found = config.catalog().findTable(logicalTable);
    if (found.isEmpty() || found.get().findColumn(userColumn).isEmpty()) {
      return Optional.empty();
    }
    SourceTable t = found.get();
    String user = q(t.column(userColumn).physicalName());
    List<String> columns = t.columns().stream().map(c -> q(c.physicalName())).collect(Collectors.toList());
    List<ColumnType> types = t.columns().stream().map(SourceColumn::type).collect(Collectors.toList());
    String source = w.table(config.sourceDatabase(), config.sourceSchema(), t.physicalName()).qualified();
    String bigint = w.typeName(ColumnType.BIGINT);
    return Optional.of(
        "SELECT " + user + " AS " + q(USER)
            + ", CAST(" + w.literal(key) + " AS " + w.typeName(ColumnType.VARCHAR) + ") AS " + q(SOURCE)
            + ", CAST(COUNT(*) AS " + bigint + ") AS " + q(ROWS)
            + ", CAST(SUM(MOD(" + w.rowHash(columns, types) + ", " + MODULUS + ")) AS " + bigint + ") AS " + q(HASH_SUM)
            + "\nFROM " + source
            + "\nWHERE " + user + " IS NOT NULL" + of.map(users -> " AND " + user + " IN (" + usersIn(users) + ")").orElse("")
            + "\nGROUP BY " + user);
  }

  /**
   * The SELECT of the users whose fingerprint of some table differs between {@code current} and the
   * stored ones, or exists on one side only: a row of either side without an equal row on the other.
   * Written with UNION ALL and GROUP BY rather than a FULL JOIN, which not every engine has.
   *
   * <p>And the users of the merged facts ({@code factUsers}: each fact's table and user column) who have
   * no source row at all now: deleted from every source table (a GDPR request) at a time no stored
   * fingerprint covered them, before the first reconciling run or after they first appeared since the
   * last one. The fingerprints alone missed them (neither side has them), and their rows stayed in the
   * facts for good. One scan of each fact's user column, against the current fingerprints' users.
   */
  public String changedUsersSelect(TableName current, List<FactUsers> factUsers) {
    List<String> parts = new ArrayList<>();
    parts.add(differingUsers(current.qualified(), stored().qualified()));
    for (FactUsers f : factUsers) {
      String user = q(f.userColumn());
      // NOT IN over a list without NULLs: H2 reads it into a set, where a correlated NOT EXISTS would
      // rescan the fingerprints per fact row
      parts.add("SELECT " + user + " AS " + q(PlanContext.ACTIVE_USER_ID)
          + "\nFROM " + f.table().qualified()
          + "\nWHERE " + user + " IS NOT NULL AND " + user + " NOT IN (SELECT " + q(USER) + " FROM " + current.qualified()
          + " WHERE " + q(USER) + " IS NOT NULL)");
    }
    return "SELECT DISTINCT " + q(PlanContext.ACTIVE_USER_ID)
        + "\nFROM (\n" + String.join("\nUNION ALL\n", parts) + "\n) AS " + q("reconciled");
  }

  /**
   * The users with a fingerprint row in one of two sets without an equal row in the other; each set is
   * what follows a {@code FROM} (a table, or a subquery and its alias, with a {@code WHERE} of its own).
   */
  private String differingUsers(String oneFrom, String otherFrom) {
    String cols = q(USER) + ", " + q(SOURCE) + ", " + q(ROWS) + ", " + q(HASH_SUM);
    return "SELECT " + q(USER) + " AS " + q(PlanContext.ACTIVE_USER_ID)
        + "\nFROM ("
        + "\n  SELECT " + cols + ", 1 AS " + q("side") + " FROM " + oneFrom
        + "\n  UNION ALL"
        + "\n  SELECT " + cols + ", -1 AS " + q("side") + " FROM " + otherFrom
        + "\n) AS " + q("prints")
        + "\nGROUP BY " + cols
        + "\nHAVING SUM(" + q("side") + ") <> 0";
  }

  /** A merged fact's table and user column, whose users {@link #changedUsersSelect} looks for in the sources. */
  public record FactUsers(TableName table, String userColumn) {}

  /**
   * Replaces the stored fingerprints with {@code current}, taken at the run's start, but for the users the
   * run rebuilt (those in {@code rebuilt}, column {@link PlanContext#ACTIVE_USER_ID}; every user where it is
   * empty: a fact rebuilt in full) whose source rows differ now: the run built them from the rows as they
   * were later, and a row that landed after the fingerprints were taken, built in, then deleted before
   * the next reconciling run, left the user's fingerprint equal to the stored one, and the row in the
   * facts for good (found by a probe that held a lock to widen the window). Those users keep no
   * fingerprint, so the next reconciling run recomputes them. One transaction, or one {@code CREATE OR
   * REPLACE TABLE} where the warehouse has none.
   */
  public List<String> record(TableName current, Optional<TableName> rebuilt) {
    String cols = q(USER) + ", " + q(SOURCE) + ", " + q(ROWS) + ", " + q(HASH_SUM);
    // the second read filters each source by the rebuilt users itself: no engine is left to push the
    // filter through the UNION ALL and the GROUP BY (each row of the sources is hashed otherwise)
    String ofRebuilt = rebuilt.map(t -> "\n  WHERE " + q(USER) + " IN (" + usersIn(t) + ")").orElse("");
    String changedSince = differingUsers(current.qualified() + ofRebuilt, "(\n" + currentSelect(rebuilt) + "\n  ) AS " + q("now"));
    String kept = "SELECT " + cols + " FROM " + current.qualified() + "\nWHERE " + q(USER) + " NOT IN (\n" + changedSince + "\n)";
    if (!w.hasTransactions() && w.hasCreateOrReplace()) {
      // no transaction holds a DELETE and an INSERT together here (Spark on Delta, Trino on Iceberg): a
      // run stopped between them, the second read of the sources under way, would leave no fingerprint
      // at all, and the next reconciling run would recompute every user. The table replaced in one
      // statement, atomic on both formats, keeps the stored ones until the new ones are there.
      return w.workTableStatements(stored(), kept);
    }
    return List.of(forgetAll(), "INSERT INTO " + stored().qualified() + " (" + cols + ")\n" + kept);
  }

  /**
   * Forgets the stored fingerprints of the users in {@code active} (its column {@link
   * PlanContext#ACTIVE_USER_ID}), before the apply of a run that recomputes them: without reconciling, or
   * reconciling (until its {@link #record}, which may stop short, a run killed in between). The stored ones
   * describe the sources as the facts held them at the last reconciling run; once a plain run rebuilt a
   * user from newer rows, a row that arrived and went again before the next reconciling run would leave
   * the user's fingerprint equal to the stored one, and the facts would keep the row for good. A user
   * without a stored fingerprint is recomputed by the next reconciling run.
   */
  public String forget(TableName active) {
    return w.deleteWhereIn(stored(), USER, active, PlanContext.ACTIVE_USER_ID);
  }

  /**
   * Forgets every stored fingerprint, before a run replaces facts from every source row: a run that
   * stops after a swap and before it records the current fingerprints (or one that records none, a plain
   * run rebuilding a fact in full) would leave fingerprints of an earlier time against facts built from
   * the rows of now, and a row that came and went between the two would stay in the facts for good. With
   * none stored, the next reconciling run recomputes every user.
   */
  public String forgetAll() {
    // BigQuery refuses a DELETE without WHERE
    return "DELETE FROM " + stored().qualified() + " WHERE 1 = 1";
  }

  /** The users of a table of user ids ({@link PlanContext#ACTIVE_USER_ID}), for an {@code IN}. */
  private String usersIn(TableName users) {
    return "SELECT " + q(PlanContext.ACTIVE_USER_ID) + " FROM " + users.qualified();
  }

  private ColumnType userType() {
    return config.catalog().table(SourceCatalog.ALL_EVENTS).column("user_id").type();
  }

  private String q(String identifier) {
    return w.quote(identifier);
  }
}
