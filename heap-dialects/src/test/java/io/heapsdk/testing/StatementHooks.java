package io.heapsdk.testing;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;

/**
 * A connection whose statements call a hook just before and just after they execute SQL: how the
 * fault tests fail, pause or kill a run at a chosen statement, and how a test records what a runner sent.
 */
public final class StatementHooks {
  /** Called with the SQL about to run, or just run; may throw (an injected failure) or block. */
  public interface Hook {
    void on(String sql) throws Exception;
  }

  public static final Hook NONE = sql -> {};

  private StatementHooks() {}

  public static Connection around(Connection real, Hook before, Hook after) {
    ClassLoader loader = StatementHooks.class.getClassLoader();
    return (Connection)
        Proxy.newProxyInstance(
            loader,
            new Class<?>[] {Connection.class},
            (proxy, method, args) -> {
              Object result = invoke(real, method, args);
              if (!method.getName().equals("createStatement")) {
                return result;
              }
              Statement statement = (Statement) result;
              return Proxy.newProxyInstance(
                  loader,
                  new Class<?>[] {Statement.class},
                  (p, m, a) -> {
                    String sql =
                        m.getName().startsWith("execute") && a != null && a.length > 0 && a[0] instanceof String s ? s : null;
                    if (sql != null) {
                      before.on(sql);
                    }
                    Object r = invoke(statement, m, a);
                    if (sql != null) {
                      after.on(sql);
                    }
                    return r;
                  });
            });
  }

  private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
