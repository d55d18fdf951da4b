package io.heapsdk.incremental;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.run.JdbcRunner;
import io.heapsdk.warehouse.Warehouses;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;

/**
 * A run in a JVM of its own, for the kill loop: {@code <jdbc url> full|incremental [halt-after-text]}.
 * With a third argument the JVM halts (no shutdown hooks, no database close: what kill -9 leaves) right
 * after the first statement containing that text has executed.
 */
public final class RunnerChild {
  private RunnerChild() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    boolean full = args[1].equals("full");
    String haltAfter = args.length > 2 ? args[2] : null;
    HeapConfig config = KillLoopTest.CONFIG;
    try (Connection real = DriverManager.getConnection(url)) {
      Connection c = haltAfter == null ? real : halting(real, haltAfter);
      new JdbcRunner(Warehouses.H2).staleAfter(Duration.ofSeconds(1)).waitingForLock(Duration.ofSeconds(10))
          .run(HeapProject.standard(config).plan(), c, full);
    }
    System.exit(0);
  }

  private static Connection halting(Connection real, String text) {
    return (Connection)
        Proxy.newProxyInstance(
            RunnerChild.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            (proxy, method, args) -> {
              Object result = invoke(real, method, args);
              if (method.getName().equals("createStatement")) {
                Statement statement = (Statement) result;
                return Proxy.newProxyInstance(
                    RunnerChild.class.getClassLoader(),
                    new Class<?>[] {Statement.class},
                    (p, m, a) -> {
                      Object r = invoke(statement, m, a);
                      if (m.getName().startsWith("execute") && a != null && a.length > 0 && a[0] instanceof String sql
                          && sql.contains(text)) {
                        Runtime.getRuntime().halt(137);
                      }
                      return r;
                    });
              }
              return result;
            });
  }

  private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
