package io.heapsdk.run;

import io.heapsdk.internal.JdbcValues;
import io.heapsdk.model.HeapProject;
import io.heapsdk.quality.ColumnCheck;
import io.heapsdk.quality.DataTest;
import io.heapsdk.quality.DataTests;
import io.heapsdk.quality.Severity;
import io.heapsdk.quality.TestTarget;
import io.heapsdk.source.Freshness;
import io.heapsdk.source.SourceTable;
import io.heapsdk.warehouse.DataTestSql;
import io.heapsdk.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Runs a project's freshness checks and data tests on a JDBC connection and reports each as pass, warn
 * or fail, with the failing row count and up to five failing keys.
 *
 * <p>Freshness compares the newest time of a table with {@code now} from the injected {@link Clock},
 * taken in UTC since Heap's times are UTC without zone: a lag over the table's warn-after warns, over
 * its error-after (or a table without rows) fails; a lag exactly at a limit is still within it. A query
 * the database refuses stops {@link #run} with a {@link HeapRunException} naming the test and the
 * statement; {@link #runEach} reports it as that check's {@code ERROR} and runs the others.
 */
public final class DataTestRunner {
  private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss", Locale.ROOT);
  private static final DateTimeFormatter OFFSET = DateTimeFormatter.ofPattern("xxx", Locale.ROOT);
  // the fraction's digits without trailing zeros: .5, .123456
  private static final DateTimeFormatter FRACTION =
      new DateTimeFormatterBuilder().appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, false).toFormatter(Locale.ROOT);

  /**
   * How far ahead of now a table's newest time may be and still count as now: clocks differ by seconds,
   * and Heap may stamp an event a little ahead of the machine that runs the test.
   */
  static final Duration FUTURE_TOLERANCE = Duration.ofMinutes(15);

  /** How many failing keys a result shows. */
  public static final int SAMPLE_SIZE = 5;

  private final Warehouse warehouse;
  private final Clock clock;

  public DataTestRunner(Warehouse warehouse, Clock clock) {
    this.warehouse = Objects.requireNonNull(warehouse, "DataTestRunner: warehouse");
    this.clock = Objects.requireNonNull(clock, "DataTestRunner: clock");
  }

  public DataTestRunner(Warehouse warehouse) {
    this(warehouse, Clock.systemUTC());
  }

  /** Freshness of every source table with a rule, then every test of {@link DataTests#of}. */
  public List<TestResult> run(HeapProject project, Connection connection) {
    return run(project, connection, name -> true);
  }

  /** As {@link #run(HeapProject, Connection)}, for the checks whose name or target {@code selected} accepts. */
  public List<TestResult> run(HeapProject project, Connection connection, Predicate<String> selected) {
    return run(project, connection, selected, false);
  }

  /**
   * As {@link #run(HeapProject, Connection, Predicate)}, but a check the database refuses (a table heap's
   * user may not read, a model's table dropped) is that check's {@link TestResult.Status#ERROR} and the
   * other checks still run: an operator sees every verdict and every refusal of one {@code heap test},
   * not only the first refusal. A refusal that leaves nothing to go on with still stops it, thrown as by
   * {@code run}: a connection lost or closed, or one not in auto-commit, where a refused statement may
   * have aborted the caller's transaction (PostgreSQL's "current transaction is aborted" for every check
   * after it). Whoever calls this must look for {@code ERROR} as well as {@code FAIL}.
   */
  public List<TestResult> runEach(HeapProject project, Connection connection, Predicate<String> selected) {
    return run(project, connection, selected, true);
  }

  private List<TestResult> run(HeapProject project, Connection connection, Predicate<String> selected, boolean each) {
    DataTestSql sql = new DataTestSql(warehouse, project);
    List<TestResult> results = new ArrayList<>();
    for (SourceTable t : project.config().catalog().tables()) {
      String name = "freshness_" + t.name();
      String target = TestTarget.source(t.name()).toString();
      if (t.freshness().isPresent() && (selected.test(name) || selected.test(target))) {
        results.add(checked(name, target, () -> freshness(sql, t, t.freshness().get(), connection), connection, each));
      }
    }
    for (DataTest test : DataTests.of(project)) {
      if (selected.test(test.name()) || selected.test(test.target().toString())) {
        results.add(checked(test.name(), test.target().toString(), () -> test(sql, test, connection), connection, each));
      }
    }
    return results;
  }

  private static TestResult checked(
      String name, String target, java.util.function.Supplier<TestResult> check, Connection connection, boolean each) {
    try {
      return check.get();
    } catch (HeapRunException refused) {
      if (!each || refused.cancelled() || !goesOn(connection)) {
        throw refused;
      }
      return TestResult.error(name, target, refused);
    }
  }

  /**
   * Whether checks after a refused one can still run on {@code connection}: open, in auto-commit, and
   * valid where the driver can tell (a driver without {@code isValid}, which some throw for, gets the
   * next check, which fails on its own if the connection is gone).
   */
  private static boolean goesOn(Connection connection) {
    try {
      if (connection.isClosed() || !connection.getAutoCommit()) {
        return false;
      }
    } catch (SQLException e) {
      return false;
    }
    try {
      return connection.isValid(10);
    } catch (SQLFeatureNotSupportedException | UnsupportedOperationException | AbstractMethodError e) {
      return true;
    } catch (SQLException e) {
      return false;
    }
  }

  /** Runs one data test. */
  public TestResult test(DataTestSql sql, DataTest test, Connection connection) {
    long failing;
    List<String> samples = new ArrayList<>();
    if (test.check().kind() == ColumnCheck.Kind.CONTAINS_VALUES) {
      // its failing rows are at most the values listed: read them all, one scan of the table, rather than
      // counting them in one and sampling them in another
      failing = sample(sql, test, connection, samples, 0);
    } else {
      failing = queryLong(test.name(), sql.failingCount(test), connection);
      if (failing > 0) {
        sample(sql, test, connection, samples, SAMPLE_SIZE);
      }
    }
    TestResult.Status status =
        failing == 0
            ? TestResult.Status.PASS
            : test.severity() == Severity.WARN ? TestResult.Status.WARN : TestResult.Status.FAIL;
    return new TestResult(test.name(), test.target().toString(), status, failing, samples, "");
  }

  /**
   * A sampled value as text; a time as {@code 2024-01-10 12:00:00}, to the second (and its fraction
   * where it has one), whatever the driver and the JVM's zone; a time with a zone with its offset after
   * it ({@code 2024-01-10 12:00:00 +00:00}).
   */
  static String text(Object value) {
    if (value instanceof LocalDateTime t) {
      return t.getNano() == 0 ? SECONDS.format(t) : SECONDS.format(t) + "." + FRACTION.format(t);
    }
    if (value instanceof OffsetDateTime t) {
      // a column retyped with a zone (H2's and DuckDB's drivers give it so): the same form, then its
      // offset, rather than Java's 2024-01-10T12:00Z
      return text(t.toLocalDateTime()) + " " + OFFSET.format(t);
    }
    return String.valueOf(value);
  }

  /**
   * Reads the failing rows, {@code limit} of them (0: all), keeping up to {@link #SAMPLE_SIZE} keys in
   * {@code samples}; returns how many it read.
   */
  private long sample(DataTestSql sql, DataTest test, Connection connection, List<String> samples, int limit) {
    String rows = sql.failingSample(test);
    long read = 0;
    try (Statement s = connection.createStatement()) {
      s.setMaxRows(limit);
      try (ResultSet rs = s.executeQuery(rows)) {
        boolean hasValue = rs.getMetaData().getColumnCount() > 1
            && rs.getMetaData().getColumnLabel(2).equalsIgnoreCase(DataTestSql.VALUE);
        ResultSetMetaData md = rs.getMetaData();
        while (rs.next()) {
          read++;
          if (samples.size() < SAMPLE_SIZE) {
            String key = text(JdbcValues.value(rs, md, 1));
            samples.add(hasValue ? key + " (" + text(JdbcValues.value(rs, md, 2)) + ")" : key);
          } else if (limit > 0) {
            break;
          }
        }
      }
    } catch (SQLException e) {
      throw HeapRunException.test(test.name(), warehouse.name(), rows, e);
    }
    return read;
  }

  /** Checks one table's freshness. */
  public TestResult freshness(DataTestSql sql, SourceTable table, Freshness rule, Connection connection) {
    String name = "freshness_" + table.name();
    String query = sql.newestTime(table, rule);
    LocalDateTime newest;
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery(query)) {
      rs.next();
      newest = timestamp(rs);
    } catch (SQLException e) {
      throw HeapRunException.test(name, warehouse.name(), query, e);
    }
    String target = TestTarget.source(table.name()).toString();
    if (newest == null) {
      return new TestResult(name, target, TestResult.Status.FAIL, 0, List.of(),
          "no rows (a table the project leaves empty by design, such as a mobile app's pageviews, goes without this check:"
              + " source.freshness.skip_tables: [" + table.name() + "])");
    }
    Duration lag = Duration.between(newest, LocalDateTime.now(clock.withZone(ZoneOffset.UTC)));
    if (lag.compareTo(FUTURE_TOLERANCE.negated()) < 0) {
      // a newest time ahead of now: no lag to judge, and a sign of times written in a zone ahead of UTC
      // (Heap's are UTC), or of a clock ahead; it passed as fresh, "lag -2d 3h 0m"
      return new TestResult(name, target, TestResult.Status.WARN, 0, List.of(),
          "newest " + newest + ", " + describe(lag.negated()) + " ahead of now (" + LocalDateTime.now(clock.withZone(ZoneOffset.UTC)).withNano(0)
              + " UTC): Heap's times are UTC, so times written in a zone ahead of UTC, or a clock ahead, would look like this");
    }
    TestResult.Status status =
        lag.compareTo(rule.errorAfter()) > 0
            ? TestResult.Status.FAIL
            : lag.compareTo(rule.warnAfter()) > 0 ? TestResult.Status.WARN : TestResult.Status.PASS;
    String detail = "newest " + newest + ", lag " + describe(lag)
        + " (warn after " + describe(rule.warnAfter()) + ", error after " + describe(rule.errorAfter()) + ")";
    return new TestResult(name, target, status, 0, List.of(), detail);
  }

  /** The newest time as stored (the run state's reading: no trip through the JVM's time zone). */
  private static LocalDateTime timestamp(ResultSet rs) throws SQLException {
    return RunState.time(rs, 1).orElse(null);
  }

  /** {@code 2d 3h 4m}: whole minutes are enough to judge a lag of hours or days. */
  static String describe(Duration d) {
    boolean negative = d.isNegative();
    Duration a = d.abs();
    String text = a.toDays() + "d " + a.toHoursPart() + "h " + a.toMinutesPart() + "m";
    // less than a minute ahead reads 0d 0h 0m, not -0d 0h 0m
    return negative && !text.equals("0d 0h 0m") ? "-" + text : text;
  }

  private long queryLong(String name, String query, Connection connection) {
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery(query)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw HeapRunException.test(name, warehouse.name(), query, e);
    }
  }
}
