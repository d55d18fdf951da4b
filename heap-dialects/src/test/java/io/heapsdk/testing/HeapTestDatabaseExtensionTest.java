package io.heapsdk.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.warehouse.Warehouses;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs small test classes that use {@link HeapTestDatabaseExtension} and checks which databases their
 * tests got and that every one was closed afterwards.
 */
class HeapTestDatabaseExtensionTest {
  /** The databases the sample tests were given, in the order they saw them. */
  static final List<HeapTestDatabase> SEEN = new ArrayList<>();
  /** What the sample tests found out; checked here, since their own failures only show in the summary. */
  static final List<String> NOTES = new ArrayList<>();

  private static final HeapConfig RENAMED = HeapConfig.builder().sourceSchema("heap_raw").build();

  @Test
  void eachTestGetsAFreshDatabaseClosedAfterIt() {
    TestExecutionSummary summary = run(PerTest.class);
    // one test fails on purpose: its database is closed all the same
    assertThat(summary.getTestsSucceededCount()).isEqualTo(2);
    assertThat(summary.getTestsFailedCount()).isEqualTo(1);
    // each test: the same database in @BeforeEach, the test and @AfterEach; three tests, three databases
    assertThat(SEEN).hasSize(9);
    assertThat(SEEN.stream().distinct()).hasSize(3);
    for (int t = 0; t < 3; t++) {
      assertThat(SEEN.subList(3 * t, 3 * t + 3).stream().distinct()).hasSize(1);
    }
    // in name order (failing, first, second): every test saw only its own row, and the database was
    // still open in @AfterEach
    assertThat(NOTES).containsExactly("open in @AfterEach", "rows 1", "open in @AfterEach", "rows 1", "open in @AfterEach");
    assertThat(SEEN).allSatisfy(db -> assertThat(db.config().sourceSchema()).isEqualTo("heap_raw"));
    assertThat(SEEN).allSatisfy(HeapTestDatabaseExtensionTest::assertClosed);
  }

  @Test
  void aBeforeAllDatabaseIsTheClasssAndClosedAfterIt() {
    TestExecutionSummary summary = run(Shared.class);
    assertThat(summary.getTestsSucceededCount()).isEqualTo(2);
    // @BeforeAll and both tests: one database
    assertThat(SEEN).hasSize(3);
    assertThat(SEEN.stream().distinct()).hasSize(1);
    assertThat(NOTES).containsExactly("rows 2", "rows 2");
    assertClosed(SEEN.get(0));
  }

  @Test
  void extendWithUsesTheDefaultConfig() {
    TestExecutionSummary summary = run(DefaultConfig.class);
    assertThat(summary.getTestsSucceededCount()).isEqualTo(1);
    assertThat(SEEN).hasSize(1);
    assertThat(SEEN.get(0).config().sourceSchema()).isEqualTo(HeapConfig.builder().build().sourceSchema());
    assertClosed(SEEN.get(0));
  }

  @Test
  void aNullConfigIsRefused() {
    assertThatThrownBy(() -> HeapTestDatabaseExtension.forConfig(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("HeapTestDatabaseExtension.forConfig: config is null");
  }

  private static TestExecutionSummary run(Class<?> testClass) {
    SEEN.clear();
    NOTES.clear();
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    LauncherFactory.create()
        .execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(testClass)).build(), listener);
    return listener.getSummary();
  }

  private static void assertClosed(HeapTestDatabase db) {
    assertThatThrownBy(db::connection).hasMessage("this HeapTestDatabase is closed");
  }

  static long users(HeapTestDatabase db) throws SQLException {
    HeapConfig c = db.config();
    try (Statement s = db.connection().createStatement();
        ResultSet rs =
            s.executeQuery("SELECT COUNT(*) FROM " + Warehouses.H2.qualified(c.sourceDatabase(), c.sourceSchema(), "users"))) {
      rs.next();
      return rs.getLong(1);
    }
  }

  // The samples below are run by the tests above, not by the build on their own (nested classes are
  // not test classes there).

  @TestMethodOrder(MethodOrderer.MethodName.class)
  static class PerTest {
    @RegisterExtension static HeapTestDatabaseExtension heap = HeapTestDatabaseExtension.forConfig(RENAMED);

    @BeforeEach
    void fill(HeapTestDatabase db) {
      SEEN.add(db);
      db.insert(HeapRow.of("users").set("user_id", 10));
    }

    @Test
    void first(HeapTestDatabase db) throws SQLException {
      SEEN.add(db);
      NOTES.add("rows " + users(db));
    }

    @Test
    void second(HeapTestDatabase db) throws SQLException {
      SEEN.add(db);
      NOTES.add("rows " + users(db));
    }

    @Test
    void failing(HeapTestDatabase db) {
      SEEN.add(db);
      throw new AssertionError("a failing test");
    }

    @AfterEach
    void after(HeapTestDatabase db) {
      SEEN.add(db);
      db.connection();
      NOTES.add("open in @AfterEach");
    }
  }

  static class Shared {
    @RegisterExtension static HeapTestDatabaseExtension heap = HeapTestDatabaseExtension.forConfig(RENAMED);

    @BeforeAll
    static void load(HeapTestDatabase db) {
      SEEN.add(db);
      db.insert(HeapRow.of("users").set("user_id", 10), HeapRow.of("users").set("user_id", 11));
    }

    @Test
    void first(HeapTestDatabase db) throws SQLException {
      SEEN.add(db);
      NOTES.add("rows " + users(db));
    }

    @Test
    void second(HeapTestDatabase db) throws SQLException {
      SEEN.add(db);
      NOTES.add("rows " + users(db));
    }
  }

  @ExtendWith(HeapTestDatabaseExtension.class)
  static class DefaultConfig {
    @Test
    void test(HeapTestDatabase db) {
      SEEN.add(db);
    }
  }
}
