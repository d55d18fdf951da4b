package io.heapsdk.testing;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.internal.JdbcValues;
import io.heapsdk.model.HeapProject;
import io.heapsdk.model.Materialization;
import io.heapsdk.model.PlannedModel;
import io.heapsdk.model.ProjectPlan;
import io.heapsdk.run.DataTestRunner;
import io.heapsdk.run.JdbcRunner;
import io.heapsdk.run.RunResult;
import io.heapsdk.run.SourceTables;
import io.heapsdk.run.TestResult;
import io.heapsdk.warehouse.Warehouse;
import io.heapsdk.warehouse.Warehouses;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * A private in-memory H2 database holding Heap Connect's tables (with the config's names), for a host
 * application's tests: insert a few {@link HeapRow}s, build the models, read a model's rows and run the
 * data tests.
 *
 * <pre>{@code
 * try (HeapTestDatabase db = HeapTestDatabase.create(config)) {
 *   db.insert(HeapRow.of("sessions").set("session_id", 100).set("user_id", 10).set("time", "2024-01-10T10:00:00"));
 *   db.build(project);
 *   List<Map<String, Object>> rows = db.rows("stg_heap_sessions_inc_fct", "heap_session_id");
 * }
 * }</pre>
 *
 * <p>{@link #close()} drops the database and everything in it, so a suite can create one per test
 * without the heap growing; with JUnit 5, {@link HeapTestDatabaseExtension} does the create and close.
 * Each instance is its own database, so tests can run in parallel; not thread-safe itself. Needs H2
 * ({@code com.h2database:h2}) on the test classpath.
 */
public final class HeapTestDatabase implements AutoCloseable {
  private static final Warehouse H2 = Warehouses.H2;

  private final HeapConfig config;
  private final String url;
  private final Connection connection;
  private final SourceTables sources;
  /** The plan of the project last built, to explain a model {@link #rows} cannot read. */
  private ProjectPlan lastBuilt;
  private boolean closed;

  private HeapTestDatabase(HeapConfig config, String url, Connection connection) {
    this.config = config;
    this.url = url;
    this.connection = connection;
    this.sources = new SourceTables(H2, config);
  }

  /**
   * A new empty database with Heap's five tables as {@code config} names them.
   *
   * @param config the config whose source tables, columns and target schema the database uses
   * @return the open database; close it when the test is done
   */
  public static HeapTestDatabase create(HeapConfig config) {
    if (config == null) {
      throw new IllegalArgumentException("HeapTestDatabase.create: config is null");
    }
    // A random name: two databases of one JVM never share tables. No DB_CLOSE_DELAY=-1: that would keep
    // the database (and every row) in memory for the life of the JVM after the last connection closes.
    // The default (close with the last connection) is enough, because this instance holds its
    // connection open until close(); connections opened on url() in between see the same data.
    String url = "jdbc:h2:mem:heap-test-" + UUID.randomUUID();
    Connection connection;
    try {
      connection = DriverManager.getConnection(url);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot open an in-memory H2 database (is com.h2database:h2 on the test classpath?): " + e.getMessage(), e);
    }
    HeapTestDatabase db = new HeapTestDatabase(config, url, connection);
    try {
      db.sources.create(connection);
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
    return db;
  }

  /**
   * The config the database was created with.
   *
   * @return the config
   */
  public HeapConfig config() {
    return config;
  }

  /**
   * The JDBC connection, for queries of your own; closed by {@link #close()}.
   *
   * @return the connection the models are built on
   */
  public Connection connection() {
    requireOpen();
    return connection;
  }

  /**
   * The JDBC URL of this database, for code under test that opens its own connections (e.g. through a
   * {@code DataSource}). Such connections see the same tables while the database is open; {@link #close()}
   * closes them too, and afterwards the URL opens a new, empty in-memory database (H2's rule for a
   * {@code mem:} name no connection holds): a pool that reconnects after the close sees no tables, not an
   * error. Close such pools with the database.
   *
   * @return an H2 in-memory URL unique to this database
   */
  public String url() {
    return url;
  }

  /**
   * Inserts rows, each into its own table. Every row is checked first (known table and columns, values of
   * the columns' types, NOT NULL columns set), so a call with a bad row inserts nothing.
   *
   * @param rows the rows to insert
   * @return this database
   * @throws IllegalArgumentException naming the table and column of the first bad row
   */
  public HeapTestDatabase insert(HeapRow... rows) {
    requireOpen();
    List<String> tables = new ArrayList<>();
    List<Object[]> values = new ArrayList<>();
    for (HeapRow row : rows) {
      if (row == null) {
        throw new IllegalArgumentException("insert: a row is null");
      }
      values.add(row.toArray(config.catalog()));
      tables.add(row.table());
    }
    // consecutive rows of one table go in one batch
    int start = 0;
    for (int i = 1; i <= tables.size(); i++) {
      if (i == tables.size() || !tables.get(i).equals(tables.get(start))) {
        sources.insert(connection, tables.get(start), values.subList(start, i));
        start = i;
      }
    }
    return this;
  }

  /**
   * Builds every materialized model of {@code project} (incrementally when they exist already).
   *
   * @param project the models to build, over this database's config
   * @return what the run did, per model
   */
  public RunResult build(HeapProject project) {
    requireOpen();
    ProjectPlan plan = project.plan();
    RunResult result = new JdbcRunner(H2).run(plan, connection);
    lastBuilt = plan;
    return result;
  }

  /**
   * Runs the project's freshness checks and data tests as of {@code clock}.
   *
   * @param project the project whose tests run; build it first for the models' tests
   * @param clock the time freshness is judged at
   * @return one result per check, freshness first
   */
  public List<TestResult> test(HeapProject project, Clock clock) {
    requireOpen();
    return new DataTestRunner(H2, clock).run(project, connection);
  }

  /**
   * Every row of a built model, ordered by {@code orderBy}; column names in lower case, timestamps as
   * {@link LocalDateTime}.
   *
   * @param model the name of a table or incremental model that {@link #build} has built
   * @param orderBy the columns to sort by, in order
   * @return the rows, each a map from column name to value
   * @throws IllegalArgumentException when the model is ephemeral, unknown, not built yet, or an
   *     {@code orderBy} column is not one of its columns
   */
  public List<Map<String, Object>> rows(String model, String... orderBy) {
    requireOpen();
    List<String> columns = storedColumns(model);
    if (columns.isEmpty()) {
      throw new IllegalArgumentException(whyNoTable(model));
    }
    StringBuilder sql =
        new StringBuilder("SELECT * FROM ").append(H2.qualified(config.targetDatabase(), config.targetSchema(), model));
    for (int i = 0; i < orderBy.length; i++) {
      String o = orderBy[i];
      // the stored spelling, so that ORDER BY "HEAP_USER_ID" finds heap_user_id as the result's keys do
      String column =
          columns.stream()
              .filter(c -> c.equalsIgnoreCase(o))
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "rows(\"" + model + "\"): cannot order by " + (o == null ? "null" : "\"" + o + "\"")
                              + ", not a column of " + model + "; its columns are " + String.join(", ", lower(columns))));
      sql.append(i == 0 ? " ORDER BY " : ", ").append(H2.quote(column));
    }
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery(sql.toString())) {
      ResultSetMetaData md = rs.getMetaData();
      List<Map<String, Object>> rows = new ArrayList<>();
      while (rs.next()) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          Object v = JdbcValues.value(rs, md, i);
          row.put(md.getColumnLabel(i).toLowerCase(Locale.ROOT), v);
        }
        rows.add(row);
      }
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read model " + model + ": " + e.getMessage(), e);
    }
  }

  /** The columns of the model's table in the target schema; empty when there is no such table. */
  private List<String> storedColumns(String model) {
    if (model == null) {
      throw new IllegalArgumentException("rows: the model name is null");
    }
    try {
      DatabaseMetaData md = connection.getMetaData();
      List<String> names = new ArrayList<>();
      // exact names, not patterns: model names hold '_', a metadata wildcard
      String escape = md.getSearchStringEscape();
      try (ResultSet rs =
          md.getColumns(
              config.targetDatabase().map(H2::storedName).orElse(null),
              exactly(H2.storedName(config.targetSchema()), escape),
              exactly(H2.storedName(model), escape),
              null)) {
        while (rs.next()) {
          names.add(rs.getString("COLUMN_NAME"));
        }
      }
      return names;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the columns of model " + model + ": " + e.getMessage(), e);
    }
  }

  private static String exactly(String name, String escape) {
    if (escape == null || escape.isEmpty()) {
      return name;
    }
    return name.replace(escape, escape + escape).replace("_", escape + "_").replace("%", escape + "%");
  }

  /**
   * Why a model has no table: it is ephemeral, unknown, or not built yet. Judged against the project
   * last built, or the standard models when nothing is built yet.
   */
  private String whyNoTable(String model) {
    String prefix = "rows(\"" + model + "\"): ";
    ProjectPlan plan = lastBuilt != null ? lastBuilt : HeapProject.standard(config).plan();
    String which = lastBuilt != null ? "the project last built" : "the standard models";
    Optional<PlannedModel> found = plan.models().stream().filter(p -> p.name().equals(model)).findFirst();
    if (found.isEmpty()) {
      String hint =
          lastBuilt != null
              ? ""
              : "; nothing is built yet: if it is a model of your own project, build the project first (db.build(project))";
      return prefix + "no model " + model + " in " + which + "; models are "
          + plan.models().stream().map(PlannedModel::name).sorted().collect(Collectors.joining(", ")) + hint;
    }
    if (found.get().model().materialization() == Materialization.EPHEMERAL) {
      List<String> readers =
          plan.materialized().stream()
              .filter(p -> plan.ephemeralUpstream(p.name()).stream().anyMatch(e -> e.name().equals(model)))
              .map(PlannedModel::name)
              .sorted()
              .collect(Collectors.toList());
      return prefix + "model " + model + " is ephemeral: it is never stored, only inlined into the models that"
          + " read it, so it has no rows to read; read it through a table model"
          + (readers.isEmpty() ? "" : " (" + String.join(", ", readers) + " read it)")
          + ", or define a table model over it and db.build(project) first";
    }
    return prefix + "model " + model + " is not built yet; build the project first (db.build(project))";
  }

  private static List<String> lower(List<String> names) {
    return names.stream().map(n -> n.toLowerCase(Locale.ROOT)).collect(Collectors.toList());
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("this HeapTestDatabase is closed");
    }
  }

  /**
   * Drops the database: every table and row is gone, connections opened on {@link #url()} are closed,
   * and the memory is free. Closing twice does nothing.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try (Statement s = connection.createStatement()) {
      // SHUTDOWN (not only closing this connection): a connection code under test opened on url() and
      // left open would otherwise keep the database, and all its rows, alive
      s.execute("SHUTDOWN");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot drop the test database " + url + ": " + e.getMessage(), e);
    } finally {
      try {
        connection.close();
      } catch (SQLException e) {
        // the database is shut down already; nothing is left to free
      }
    }
  }
}
