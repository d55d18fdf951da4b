package io.heapsdk.run;

import io.heapsdk.model.ProjectPlan;
import io.heapsdk.warehouse.BuildPlan;
import io.heapsdk.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds every materialized model of a project on a JDBC connection, in dependency order: creates the
 * target schema, runs each model's statements (in one transaction where the warehouse needs it), counts
 * its rows and logs model, rows and time through SLF4J. Stops at the first refused statement with a
 * {@link HeapRunException} naming the model and the statement.
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
    try (Connection c = dataSource.getConnection()) {
      return run(plan, c);
    } catch (SQLException e) {
      throw new HeapRunException("(connect)", warehouse.name(), "(opening a connection)", e);
    }
  }

  /** Runs on {@code connection}, which stays open; its auto-commit mode is restored. */
  public RunResult run(ProjectPlan plan, Connection connection) {
    BuildPlan build = BuildPlan.fullRefresh(warehouse, plan);
    execute(connection, "(setup)", build.createSchema());
    List<RunResult.ModelResult> results = new ArrayList<>();
    for (BuildPlan.Step step : build.steps()) {
      long start = System.nanoTime();
      runStep(connection, step);
      long rows = count(connection, step);
      Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
      LOG.info("built {} ({} rows) in {} ms", step.model(), rows, elapsed.toMillis());
      results.add(new RunResult.ModelResult(step.model(), step.table(), rows, elapsed));
    }
    return new RunResult(results);
  }

  private void runStep(Connection c, BuildPlan.Step step) {
    if (!step.transactional()) {
      step.statements().forEach(s -> execute(c, step.model(), s));
      return;
    }
    boolean autoCommit = autoCommit(c, step.model());
    try {
      c.setAutoCommit(false);
      for (String s : step.statements()) {
        execute(c, step.model(), s);
      }
      c.commit();
    } catch (SQLException e) {
      throw new HeapRunException(step.model(), warehouse.name(), "COMMIT", e);
    } catch (HeapRunException e) {
      rollback(c, e);
      throw e;
    } finally {
      try {
        c.setAutoCommit(autoCommit);
      } catch (SQLException e) {
        LOG.warn("could not restore auto-commit after {}: {}", step.model(), e.getMessage());
      }
    }
  }

  private boolean autoCommit(Connection c, String model) {
    try {
      return c.getAutoCommit();
    } catch (SQLException e) {
      throw new HeapRunException(model, warehouse.name(), "(reading auto-commit)", e);
    }
  }

  private static void rollback(Connection c, HeapRunException cause) {
    try {
      c.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  private void execute(Connection c, String model, String sql) {
    LOG.debug("{}: {}", model, sql);
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new HeapRunException(model, warehouse.name(), sql, e);
    }
  }

  private long count(Connection c, BuildPlan.Step step) {
    String sql = "SELECT COUNT(*) FROM " + step.table();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new HeapRunException(step.model(), warehouse.name(), sql, e);
    }
  }
}
