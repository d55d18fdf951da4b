package io.heapsdk.cli;

import io.heapsdk.HeapException;
import io.heapsdk.config.HeapConfig;
import io.heapsdk.run.HeapRunException;
import io.heapsdk.run.RunCancel;
import io.heapsdk.sample.LaterBatch;
import io.heapsdk.sample.SampleData;
import io.heapsdk.source.SourceTable;
import io.heapsdk.warehouse.TableName;
import java.io.PrintWriter;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code heap sample}: Heap's source tables, created and filled with sample data, or a later batch added. */
@Command(
    name = "sample",
    header = "Create Heap's source tables in a database and fill them with sample data.",
    description = {
      "Creates Heap Connect's five source tables in source.schema of a database and fills them with"
          + " deterministic sample data: the same users and seed always give the same rows. The tables"
          + " must not exist yet. The data is made for the config `heap demo` writes to heap.yml: pass"
          + " that file as --config here and to `heap run` to see funnels and conversions.",
      "",
      "--batch 2, 3, ... adds a later batch to those tables instead, as the next day's Heap sync would:"
          + " new users, returning users, late rows, duplicates and an identity merge (a user_migrations"
          + " row, and user_id rewritten in sessions, pageviews and all_events). Give the --users and"
          + " --seed of the first batch, and load the batches in order, each once. To watch an"
          + " incremental build: sample, run, sample --batch 2, run."
    })
final class SampleCommand implements Callable<Integer> {
  @Mixin ConfigOption config;

  @Option(names = "--jdbc", required = true, paramLabel = "URL", description = "The database, e.g. jdbc:h2:file:./heap-db, jdbc:duckdb:heap.duckdb or jdbc:postgresql://host/db.")
  String url;

  @Option(names = "--users", required = true, paramLabel = "N", description = "Sample users of the first batch; 0 creates empty tables.")
  // a long, so that a number past int is said out of range, not "not a whole number"
  long users;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "42", description = "Seed of the sample data (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--days",
      paramLabel = "D",
      defaultValue = "30",
      description = "Days the first batch's users arrive over (default: ${DEFAULT-VALUE}): a longer history of about as many rows.")
  int days;

  @Option(
      names = "--batch",
      paramLabel = "N",
      defaultValue = "1",
      description = "1 (default): create the tables with the first batch; 2, 3, ...: add that later batch to them.")
  int batch;

  @Spec CommandSpec spec;

  /** Ten million users, about 92 million events: the sample is generated in memory. */
  static final int MAX_USERS = 10_000_000;

  @Override
  public Integer call() {
    if (users < 0 || users > SampleCommand.MAX_USERS) {
      // the sample's rows are made in memory before they load: more ran out of it, with Java's trace
      throw new ParameterException(
          spec.commandLine(), String.format(Locale.ROOT, "--users must be 0 to %,d, got %,d", SampleCommand.MAX_USERS, users));
    }
    if (batch < 1) {
      throw new ParameterException(spec.commandLine(), "--batch must be 1 or more, got " + batch);
    }
    if (days < 1 || days > 3_650) {
      throw new ParameterException(spec.commandLine(), "--days must be 1 to 3650, got " + days);
    }
    HeapConfig c = config.load();
    PrintWriter out = spec.commandLine().getOut();
    SampleData sample = SampleData.of((int) users, seed).withDays(days);
    // the first batch creates the database; a later one adds to an existing one. A signal is heap's to
    // handle from before the database is opened: one that came between creating the file and the load
    // used to end the process silently (exit 143, nothing said)
    long start = System.nanoTime();
    RunCancel cancel = new RunCancel();
    if (batch == 1) {
      Map<String, Long> counts =
          stoppable(
              cancel, "rolling back, dropping the tables it created", "the sample data had loaded when the signal came",
              "nothing was loaded, and no Heap table is left in schema " + c.sourceSchema(),
              () -> {
                try (Database db = Database.open(url)) {
                  db.requireWritable("heap sample", "Heap's tables");
                  // a source.database the server does not have: named by its key, not by the engine's words
                  io.heapsdk.run.ConfiguredDatabases.checkSource(db.warehouse(), db.connection(), c);
                  refuseExistingTables(db, c);
                  try {
                    return sample.load(db.connection(), db.warehouse(), c, cancel);
                  } catch (HeapRunException e) {
                    // another heap sample created the tables while this one did (its CREATE waited for
                    // the other's, then failed): said so, not with the catalog's unique-key error
                    if (!e.cancelled() && e.statement().startsWith("CREATE ") && heapTables(db, c) > 0) {
                      throw new HeapException(
                          "another load created Heap's tables in schema " + c.sourceSchema() + " of " + db.url()
                              + " while this one was creating them; this one loaded nothing and left that load's tables as they are",
                          e);
                    }
                    throw e;
                  }
                }
              });
      out.printf(
          Locale.ROOT,
          "created Heap's tables in schema %s and loaded %,d sample users in %,d ms%n",
          c.sourceSchema(), users, (System.nanoTime() - start) / 1_000_000);
      Reports.loaded(out, counts);
    } else {
      LaterBatch later = sample.batch(batch);
      LaterBatch.Summary s =
          stoppable(
              cancel, "rolling back", "the batch had loaded when the signal came",
              "batch " + batch + " was rolled back: the tables hold what they held before",
              () -> {
                try (Database db = Database.openExisting(url, c)) {
                  db.requireWritable("heap sample", "the batch's rows");
                  boolean locked = lockForBatch(db, c);
                  try {
                    requireEarlierBatches(db, c, later);
                    // the batch writes every column the config names (a pass-through property Heap does not
                    // sync yet): a missing one is named by its key, as `heap run` names it, not by the engine
                    io.heapsdk.run.SourceColumns.check(db.warehouse(), db.connection(), io.heapsdk.model.HeapProject.standard(c).plan());
                    // in the transaction the lock began, where there is one: committed at the batch's end
                    return later.insert(db.connection(), db.warehouse(), c, cancel);
                  } finally {
                    if (locked) {
                      unlock(db);
                    }
                  }
                }
              });
      out.printf(
          Locale.ROOT, "added batch %d to Heap's tables in schema %s in %,d ms%n",
          batch, c.sourceSchema(), (System.nanoTime() - start) / 1_000_000);
      Reports.batch(out, s);
      Reports.loaded(out, s.rows());
    }
    return HeapCli.OK;
  }

  /**
   * Runs {@code load}, which a signal stops through {@code cancel}: heap says it is {@code undoing}
   * (rolling back, …), and a load stopped that way fails saying what it {@code left}; any other failure
   * goes on as it was, and a signal after the load finished lets the command end with {@code loaded}.
   */
  private static <T> T stoppable(RunCancel cancel, String undoing, String loaded, String left, Supplier<T> load) {
    try (Interrupts.Registration registration =
        Interrupts.during(cancel, "stopping the load (" + undoing + "; up to " + Interrupts.GRACE.toSeconds() + " s)", loaded)) {
      return load.get();
    } catch (HeapRunException e) {
      throw e.cancelled() ? HeapRunException.ofRun("sample cancelled (" + cancel.reason().orElse("cancelled") + "): " + left) : e;
    }
  }

  /**
   * On PostgreSQL, begins the batch's transaction with a lock on {@code all_events} that a second batch
   * waits for ({@code SHARE ROW EXCLUSIVE}: readers, a run's included, go on), so that the check of the
   * batches before runs after the other batch committed, and refuses this one: two {@code --batch 3} at
   * once both passed the check and both loaded (found by a probe). False where there is no such lock
   * (H2, whose file one process holds at a time, and DuckDB, whose file one writer holds).
   */
  private static boolean lockForBatch(Database db, HeapConfig c) {
    if (db.warehouse() != io.heapsdk.warehouse.Warehouses.POSTGRES) {
      return false;
    }
    TableName events = db.warehouse().table(c.sourceDatabase(), c.sourceSchema(), c.catalog().table("all_events").physicalName());
    try {
      db.connection().setAutoCommit(false);
      try (Statement s = db.connection().createStatement()) {
        s.execute("LOCK TABLE " + events.qualified() + " IN SHARE ROW EXCLUSIVE MODE");
      }
      return true;
    } catch (SQLException e) {
      unlock(db);
      throw new HeapException("could not lock " + events.qualified() + " for the batch: " + e.getMessage());
    }
  }

  /** Ends the lock's transaction: rolled back where the batch did not commit it, auto-commit on again. */
  private static void unlock(Database db) {
    try {
      db.connection().rollback();
      db.connection().setAutoCommit(true);
    } catch (SQLException e) {
      // the connection closes with the command
    }
  }

  /** How many of Heap's tables the source schema holds. */
  private static int heapTables(Database db, HeapConfig c) {
    int n = 0;
    for (SourceTable t : c.catalog().tables()) {
      if (db.exists(db.warehouse().table(c.sourceDatabase(), c.sourceSchema(), t.physicalName()))) {
        n++;
      }
    }
    return n;
  }

  /** Says which tables are in the way, rather than the database's error about the first one. */
  private static void refuseExistingTables(Database db, HeapConfig c) {
    List<String> existing = new ArrayList<>();
    long rows = 0;
    for (SourceTable t : c.catalog().tables()) {
      TableName table = db.warehouse().table(c.sourceDatabase(), c.sourceSchema(), t.physicalName());
      if (db.exists(table)) {
        existing.add(t.physicalName());
        rows += count(db, table.qualified());
      }
    }
    if (!existing.isEmpty() && rows == 0) {
      // what a first batch stopped before its rows went in leaves (or --users 0): a later batch cannot
      // follow on it, so do not suggest one
      throw new HeapException(
          "schema " + c.sourceSchema() + " of " + db.url() + " already has Heap tables " + existing
              + ", all empty (heap sample --users 0, or a first heap sample killed outright on an H2 file); drop them, or use another"
              + " database or schema (source.schema)");
    }
    if (!existing.isEmpty()) {
      throw new HeapException(
          "schema " + c.sourceSchema() + " of " + db.url() + " already has Heap tables " + existing
              + "; heap sample creates them: use another database or schema (source.schema), or drop them;"
              + " to add a later batch to them, use --batch 2, 3, ...");
    }
  }

  /** "users 504, sessions 1,130, …": rows per table as a person reads them. */
  private static String rows(Map<String, Long> counts) {
    List<String> parts = new ArrayList<>();
    counts.forEach((table, n) -> parts.add(String.format(Locale.ROOT, "%s %,d", table, n)));
    return String.join(", ", parts);
  }

  /**
   * A later batch follows on exactly the rows of the batches before it: the tables must hold as many
   * rows as those batches left (a skipped, repeated or differently seeded batch would not).
   */
  private void requireEarlierBatches(Database db, HeapConfig c, LaterBatch later) {
    Map<String, Long> expected = later.rowsBefore(c);
    Map<String, Long> actual = new LinkedHashMap<>();
    for (SourceTable t : c.catalog().tables()) {
      TableName table = db.warehouse().table(c.sourceDatabase(), c.sourceSchema(), t.physicalName());
      if (!db.exists(table)) {
        throw new HeapException(
            "schema " + c.sourceSchema() + " of " + db.url() + " has no Heap table " + t.physicalName()
                + "; load the first batch first: heap sample --users " + users + " --seed " + seed + " --days " + days);
      }
      actual.put(t.name(), count(db, table.qualified()));
    }
    if (!actual.equals(expected)) {
      throw new HeapException(
          "schema " + c.sourceSchema() + " of " + db.url() + " holds " + rows(actual) + " rows, but "
              + (batch == 2 ? "batch 1" : "batches 1 to " + (batch - 1)) + " of --users " + users + " --seed " + seed + " --days "
              + days + " leave " + rows(expected) + "; load the batches in order, each once, with the first batch's --users, --seed"
              + " and --days");
    }
  }

  private static long count(Database db, String table) {
    try (Statement s = db.connection().createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new HeapException("cannot count the rows of " + table + ": " + e.getMessage(), e);
    }
  }
}
