package io.heapsdk.run;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.PlannedModel;
import io.heapsdk.model.ProjectPlan;
import io.heapsdk.warehouse.BuildPlan;
import io.heapsdk.warehouse.TableName;
import io.heapsdk.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the materialized models of a project on a JDBC connection, in dependency order, and logs each
 * model with its rows and time through SLF4J.
 *
 * <p>The runner decides the kind of run: a full refresh when asked, when the project has no incremental
 * model, or when an incremental model's table does not exist yet; otherwise an incremental run (see
 * {@link BuildPlan}). A fact whose table's columns no longer match its model (e.g. the funnel changed)
 * stops the run before any statement, asking for a full refresh. A refused statement stops the run
 * with a {@link HeapRunException} naming the model and the statement; transactional steps are rolled
 * back.
 *
 * <p>Not thread-safe: use one runner per connection at a time.
 */
public final class JdbcRunner {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcRunner.class);

  private final Warehouse warehouse;

  public JdbcRunner(Warehouse warehouse) {
    this.warehouse = warehouse;
  }

  /** Runs on a connection from {@code dataSource}, closed afterwards. */
  public RunResult run(ProjectPlan plan, DataSource dataSource) {
    return run(plan, dataSource, false);
  }

  /** Runs on a connection from {@code dataSource}, closed afterwards. */
  public RunResult run(ProjectPlan plan, DataSource dataSource, boolean fullRefresh) {
    try (Connection c = dataSource.getConnection()) {
      return run(plan, c, fullRefresh);
    } catch (SQLException e) {
      throw new HeapRunException("(connect)", warehouse.name(), "(opening a connection)", e);
    }
  }

  /** Runs on {@code connection} (incremental where possible), which stays open. */
  public RunResult run(ProjectPlan plan, Connection connection) {
    return run(plan, connection, false);
  }

  /** Runs on {@code connection}, which stays open; {@code fullRefresh} rebuilds every model. */
  public RunResult run(ProjectPlan plan, Connection connection, boolean fullRefresh) {
    return execute(plan(plan, connection, fullRefresh), plan, connection);
  }

  /**
   * The statements a run would execute, without running them ({@code --dry-run}): decides full or
   * incremental and checks the facts' columns as {@link #run} does.
   */
  public BuildPlan plan(ProjectPlan plan, Connection connection, boolean fullRefresh) {
    return BuildPlan.of(warehouse, plan, chooseMode(plan, connection, fullRefresh));
  }

  /** Runs the statements of {@code build}, which was made for {@code plan}. */
  public RunResult execute(BuildPlan build, ProjectPlan plan, Connection connection) {
    LOG.info("{} run on {}", build.mode() == BuildPlan.Mode.INCREMENTAL ? "incremental" : "full-refresh", warehouse.name());
    Map<String, Long> nanos = new LinkedHashMap<>();
    List<BuildPlan.Step> apply = new ArrayList<>();
    for (BuildPlan.Step step : build.steps()) {
      if (step.phase() == BuildPlan.Phase.APPLY) {
        apply.add(step);
        continue;
      }
      if (!apply.isEmpty()) {
        timed(nanos, apply, () -> inTransaction(connection, apply));
        apply.clear();
      }
      List<BuildPlan.Step> one = List.of(step);
      timed(nanos, one, () -> {
        if (step.transactional()) {
          inTransaction(connection, one);
        } else {
          step.statements().forEach(s -> executeStatement(connection, step.model(), s));
        }
      });
    }
    if (!apply.isEmpty()) {
      timed(nanos, apply, () -> inTransaction(connection, apply));
    }
    List<RunResult.ModelResult> results = new ArrayList<>();
    HeapConfig c = plan.config();
    for (PlannedModel m : plan.materialized()) {
      if (!nanos.containsKey(m.name())) {
        continue;
      }
      TableName table = warehouse.table(c.targetDatabase(), c.targetSchema(), m.name());
      long rows = count(connection, m.name(), table);
      Duration elapsed = Duration.ofNanos(nanos.get(m.name()));
      LOG.info("built {} ({} rows) in {} ms", m.name(), rows, elapsed.toMillis());
      results.add(new RunResult.ModelResult(m.name(), table.qualified(), rows, elapsed));
    }
    return new RunResult(build.mode(), results);
  }

  private BuildPlan.Mode chooseMode(ProjectPlan plan, Connection connection, boolean fullRefresh) {
    if (fullRefresh || plan.incremental().isEmpty()) {
      return BuildPlan.Mode.FULL_REFRESH;
    }
    HeapConfig c = plan.config();
    BuildPlan.Mode mode = BuildPlan.Mode.INCREMENTAL;
    for (PlannedModel fact : plan.incremental().get().facts()) {
      TableName table = warehouse.table(c.targetDatabase(), c.targetSchema(), fact.name());
      Optional<List<String>> columns = columns(connection, fact.name(), table);
      if (columns.isEmpty()) {
        LOG.debug("{} does not exist yet: full build", table);
        mode = BuildPlan.Mode.FULL_REFRESH;
        continue;
      }
      List<String> expected =
          fact.columnNames().stream().map(n -> warehouse.storedName(n).toLowerCase(Locale.ROOT)).collect(Collectors.toList());
      List<String> actual = columns.get().stream().map(n -> n.toLowerCase(Locale.ROOT)).collect(Collectors.toList());
      if (!actual.equals(expected)) {
        throw new HeapRunException(
            fact.name(),
            "table " + table + " has columns " + columns.get() + " but the model now produces " + fact.columnNames()
                + "; the config or the model changed, so run a full refresh (heap run --full-refresh)");
      }
    }
    return mode;
  }

  /** The table's column names in order, or empty when it does not exist. */
  private Optional<List<String>> columns(Connection connection, String model, TableName table) {
    try {
      DatabaseMetaData md = connection.getMetaData();
      String escape = md.getSearchStringEscape();
      List<String> names = new ArrayList<>();
      try (ResultSet rs =
          md.getColumns(
              table.database().map(warehouse::storedName).orElse(null),
              pattern(warehouse.storedName(table.schema()), escape),
              pattern(warehouse.storedName(table.name()), escape),
              null)) {
        while (rs.next()) {
          names.add(rs.getString("COLUMN_NAME"));
        }
      }
      return names.isEmpty() ? Optional.empty() : Optional.of(names);
    } catch (SQLException e) {
      throw new HeapRunException(model, warehouse.name(), "(reading the columns of " + table + ")", e);
    }
  }

  /** A metadata search pattern matching exactly {@code name}: {@code _} and {@code %} are wildcards there. */
  private static String pattern(String name, String escape) {
    if (escape == null || escape.isEmpty()) {
      return name;
    }
    return name.replace(escape, escape + escape).replace("_", escape + "_").replace("%", escape + "%");
  }

  private void inTransaction(Connection c, List<BuildPlan.Step> steps) {
    if (!warehouse.hasTransactions()) {
      // each statement is atomic on its own there; the warehouse's statements are built for that
      steps.forEach(step -> step.statements().forEach(s -> executeStatement(c, step.model(), s)));
      return;
    }
    String first = steps.get(0).model();
    boolean autoCommit;
    try {
      autoCommit = c.getAutoCommit();
      c.setAutoCommit(false);
    } catch (SQLException e) {
      throw new HeapRunException(first, warehouse.name(), "(starting a transaction)", e);
    }
    try {
      for (BuildPlan.Step step : steps) {
        for (String s : step.statements()) {
          executeStatement(c, step.model(), s);
        }
      }
      c.commit();
    } catch (SQLException e) {
      HeapRunException failure = new HeapRunException(first, warehouse.name(), "COMMIT", e);
      rollback(c, failure);
      throw failure;
    } catch (RuntimeException e) {
      HeapRunException failure =
          e instanceof HeapRunException h ? h : new HeapRunException(first, warehouse.name(), "(in a transaction)", e);
      rollback(c, failure);
      throw failure;
    } finally {
      try {
        c.setAutoCommit(autoCommit);
      } catch (SQLException e) {
        LOG.warn("could not restore auto-commit: {}", e.getMessage());
      }
    }
  }

  private static void rollback(Connection c, HeapRunException cause) {
    try {
      c.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  private static void timed(Map<String, Long> nanos, List<BuildPlan.Step> steps, Runnable work) {
    long start = System.nanoTime();
    work.run();
    long each = (System.nanoTime() - start) / steps.size();
    for (BuildPlan.Step s : steps) {
      nanos.merge(s.model(), each, Long::sum);
    }
  }

  private void executeStatement(Connection c, String model, String sql) {
    LOG.debug("{}: {}", model, sql);
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new HeapRunException(model, warehouse.name(), sql, e);
    }
  }

  private long count(Connection c, String model, TableName table) {
    String sql = "SELECT COUNT(*) FROM " + table.qualified();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new HeapRunException(model, warehouse.name(), sql, e);
    }
  }
}
