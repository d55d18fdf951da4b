package io.heapsdk.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.run.HeapRunException;
import io.heapsdk.run.RunCancel;
import io.heapsdk.run.TableLookup;
import io.heapsdk.source.SourceTable;
import io.heapsdk.testing.PostgresServer;
import io.heapsdk.warehouse.Warehouse;
import io.heapsdk.warehouse.Warehouses;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A first sample load is all or nothing on every engine the CLI runs on: stopped or failing part-way it
 * leaves no source table behind (H2 commits each {@code CREATE TABLE} on its own, so there the load
 * drops what it created), and tables that were there before it are not its to drop.
 */
class AllOrNothingLoadTest {
  private static final HeapConfig CONFIG = HeapConfig.builder().build();
  // 2,000 users make tens of thousands of rows: several batches of 5,000 per table
  private static final SampleData SAMPLE = SampleData.of(2000, 7);

  @Test
  void onH2() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:h2:mem:all_or_nothing")) {
      stoppedAfterTheFirstBatchLeavesNoTable(c, Warehouses.H2);
      aTableThereBeforeIsKept(c, Warehouses.H2);
    }
  }

  @Test
  void onDuckDb() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
      stoppedAfterTheFirstBatchLeavesNoTable(c, Warehouses.DUCKDB);
      aTableThereBeforeIsKept(c, Warehouses.DUCKDB);
    }
  }

  @Test
  void onPostgres() throws Exception {
    try (Connection c = PostgresServer.get().newDatabase("heap_all_or_nothing")) {
      stoppedAfterTheFirstBatchLeavesNoTable(c, Warehouses.POSTGRES);
      aTableThereBeforeIsKept(c, Warehouses.POSTGRES);
    }
  }

  /**
   * Two first loads at once on PostgreSQL: the other one's schema and tables are still uncommitted when
   * this load looks for them, so its CREATE SCHEMA waits, and fails once the other commits. Its clean-up
   * drops none of them: only what its own CREATEs made (none here), and nothing at all where the rollback
   * undid those. It used to drop every table it had not found, the other load's committed ones, while
   * that load said it had loaded them (found by a probe running two `heap sample` at once, 4 times of 4).
   */
  @Test
  void onPostgresTheTablesOfALoadThatCommittedMeanwhileAreKept() throws Exception {
    try (Connection c = PostgresServer.get().newDatabase("heap_two_first_loads");
        Connection other = DriverManager.getConnection(c.getMetaData().getURL());
        Connection loser = DriverManager.getConnection(c.getMetaData().getURL())) {
      Warehouse w = Warehouses.POSTGRES;
      other.setAutoCommit(false);
      new io.heapsdk.run.SourceTables(w, CONFIG).create(other);
      java.util.concurrent.CompletableFuture<?> load =
          java.util.concurrent.CompletableFuture.runAsync(() -> SAMPLE.load(loser, w, CONFIG), task -> new Thread(task).start());
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
      while (!lockWaits(c) && !load.isDone() && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(load.isDone()).as("the load waits for the other one's schema").isFalse();
      other.commit();
      assertThatThrownBy(load::join).hasCauseInstanceOf(HeapRunException.class);
      assertThat(existing(c, w)).as("the other load's tables").hasSize(CONFIG.catalog().tables().size());
    }
  }

  private static boolean lockWaits(Connection c) throws Exception {
    try (Statement s = c.createStatement();
        java.sql.ResultSet rs =
            s.executeQuery("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'")) {
      rs.next();
      return rs.getLong(1) > 0;
    }
  }

  /**
   * Cancelled before its first rows go in, once it has created the tables: the check comes between two
   * batches of rows, and by then the tables exist (committed on H2, inside the transaction elsewhere).
   */
  private static void stoppedAfterTheFirstBatchLeavesNoTable(Connection c, Warehouse w) throws Exception {
    RunCancel cancel = new RunCancel();
    cancel.cancel("interrupted");
    assertThatThrownBy(() -> SAMPLE.load(c, w, CONFIG, cancel))
        .isInstanceOfSatisfying(HeapRunException.class, e -> assertThat(e.cancelled()).isTrue())
        .hasMessageContaining("while loading the sample data on " + w.name());
    assertThat(existing(c, w)).as("tables left after the stopped load").isEmpty();
    assertThat(c.getAutoCommit()).isTrue();
    // and a load after it goes through
    assertThat(SAMPLE.load(c, w, CONFIG).values().stream().mapToLong(Long::longValue).sum()).isPositive();
    for (SourceTable t : CONFIG.catalog().tables()) {
      try (Statement s = c.createStatement()) {
        s.execute(w.dropTable(w.table(CONFIG.sourceDatabase(), CONFIG.sourceSchema(), t.physicalName())));
      }
    }
  }

  /**
   * A source table that existed before the load (the last one it creates) stops it, and is still there
   * after; the ones it had created before failing on it are gone.
   */
  private static void aTableThereBeforeIsKept(Connection c, Warehouse w) throws Exception {
    List<SourceTable> catalog = CONFIG.catalog().tables();
    SourceTable events = catalog.get(catalog.size() - 1);
    try (Statement s = c.createStatement()) {
      s.execute(w.createSchema(CONFIG.sourceDatabase(), CONFIG.sourceSchema()));
      s.execute("CREATE TABLE " + w.table(CONFIG.sourceDatabase(), CONFIG.sourceSchema(), events.physicalName()).qualified() + " (x INT)");
    }
    assertThatThrownBy(() -> SAMPLE.load(c, w, CONFIG)).isInstanceOf(HeapRunException.class);
    assertThat(existing(c, w)).containsExactly(events.physicalName());
  }

  private static List<String> existing(Connection c, Warehouse w) throws Exception {
    List<String> names = new ArrayList<>();
    for (SourceTable t : CONFIG.catalog().tables()) {
      if (TableLookup.exists(w, c, w.table(CONFIG.sourceDatabase(), CONFIG.sourceSchema(), t.physicalName()))) {
        names.add(t.physicalName());
      }
    }
    return names;
  }
}
