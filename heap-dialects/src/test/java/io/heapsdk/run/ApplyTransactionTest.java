package io.heapsdk.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.warehouse.BuildPlan;
import io.heapsdk.warehouse.Warehouses;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How the runner sends an apply transaction: on BigQuery as one multi-statement query (its only kind of
 * transaction without a session), elsewhere statement by statement inside a JDBC transaction.
 */
class ApplyTransactionTest {
  private static final List<BuildPlan.Step> APPLY =
      List.of(
          new BuildPlan.Step("fact_a", BuildPlan.Phase.APPLY, List.of("DELETE FROM a WHERE x", "MERGE INTO a USING b ON y")),
          new BuildPlan.Step("fact_b", BuildPlan.Phase.APPLY, List.of("MERGE INTO c USING d ON z")));

  @Test
  void bigQuerySendsTheApplyAsOneScriptInATransaction() {
    Recorder db = new Recorder();
    new JdbcRunner(Warehouses.BIGQUERY).inTransaction(db.connection(), APPLY, null);
    assertThat(db.executed)
        .containsExactly(
            "BEGIN TRANSACTION;\n\nDELETE FROM a WHERE x;\n\nMERGE INTO a USING b ON y;\n\nMERGE INTO c USING d ON z;\n\n"
                + "COMMIT TRANSACTION;\n\n");
    assertThat(db.jdbcCalls).doesNotContain("setAutoCommit(false)", "commit");
  }

  @Test
  void otherWarehousesRunEachStatementInAJdbcTransaction() {
    Recorder db = new Recorder();
    new JdbcRunner(Warehouses.POSTGRES).inTransaction(db.connection(), APPLY, null);
    assertThat(db.executed).containsExactly("DELETE FROM a WHERE x", "MERGE INTO a USING b ON y", "MERGE INTO c USING d ON z");
    assertThat(db.jdbcCalls).contains("setAutoCommit(false)", "commit");
  }

  /** A connection that records what it is asked to do and succeeds. */
  private static final class Recorder {
    final List<String> executed = new ArrayList<>();
    final List<String> jdbcCalls = new ArrayList<>();

    Connection connection() {
      return (Connection)
          Proxy.newProxyInstance(
              getClass().getClassLoader(),
              new Class<?>[] {Connection.class},
              (proxy, method, args) -> {
                switch (method.getName()) {
                  case "createStatement":
                    return statement();
                  case "getAutoCommit":
                    return true;
                  case "setAutoCommit":
                    jdbcCalls.add("setAutoCommit(" + args[0] + ")");
                    return null;
                  case "commit":
                  case "rollback":
                    jdbcCalls.add(method.getName());
                    return null;
                  default:
                    return null;
                }
              });
    }

    private Statement statement() {
      return (Statement)
          Proxy.newProxyInstance(
              getClass().getClassLoader(),
              new Class<?>[] {Statement.class},
              (proxy, method, args) -> {
                switch (method.getName()) {
                  case "execute":
                    executed.add((String) args[0]);
                    return false;
                  default:
                    return null;
                }
              });
    }
  }
}
