package io.heapsdk.run;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;

/**
 * The run's connection, each of whose statements a {@link RunCancel} can stop while it runs: not only
 * the build's (which {@link JdbcRunner} registers itself, refusing to start one once cancelled) but the
 * reads that decide the run and the writes that record it, in {@link RunState} and elsewhere. Before,
 * a SIGTERM that came while one of those waited on a table lock (an administrator's {@code LOCK TABLE},
 * a long {@code VACUUM FULL}) cancelled nothing: the command gave up after its 30 s, the run lock
 * stayed held, and every run was refused until it went stale (found by a probe that held such locks).
 * A statement is only registered here, never refused: the clean-up of a cancelled run (recording it
 * as failed, releasing the lock) runs on this connection too, out of a cancel's reach ({@link
 * RunCancel#shielded}). Catalog reads ({@code getMetaData}) are not statements and are not watched.
 */
final class WatchedConnection {
  private WatchedConnection() {}

  static Connection of(Connection real, RunCancel cancel) {
    if (Proxy.isProxyClass(real.getClass()) && Proxy.getInvocationHandler(real) instanceof Handler h && h.cancel == cancel) {
      return real;
    }
    return (Connection) Proxy.newProxyInstance(
        WatchedConnection.class.getClassLoader(), new Class<?>[] {Connection.class}, new Handler(real, cancel));
  }

  private record Handler(Connection real, RunCancel cancel) implements java.lang.reflect.InvocationHandler {
    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      switch (method.getName()) {
        case "equals":
          return proxy == args[0];
        case "hashCode":
          return System.identityHashCode(proxy);
        case "isWrapperFor":
          return ((Class<?>) args[0]).isInstance(proxy) || real.isWrapperFor((Class<?>) args[0]);
        default:
          break;
      }
      Object result = call(real, method, args);
      Class<?> kind =
          switch (method.getName()) {
            case "createStatement" -> Statement.class;
            case "prepareStatement" -> PreparedStatement.class;
            case "prepareCall" -> CallableStatement.class;
            default -> null;
          };
      if (kind == null) {
        return result;
      }
      Statement statement = (Statement) result;
      return Proxy.newProxyInstance(
          WatchedConnection.class.getClassLoader(),
          new Class<?>[] {kind},
          (p, m, a) -> {
            if (m.getName().equals("getConnection")) {
              // the statement's connection is the one it was made on: statements made from it are watched too
              return proxy;
            }
            if (m.getName().equals("equals")) {
              return p == a[0];
            }
            if (m.getName().equals("hashCode")) {
              return System.identityHashCode(p);
            }
            if (!m.getName().startsWith("execute")) {
              return call(statement, m, a);
            }
            cancel.watching(statement);
            try {
              return call(statement, m, a);
            } finally {
              cancel.finished(statement);
            }
          });
    }
  }

  private static Object call(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
