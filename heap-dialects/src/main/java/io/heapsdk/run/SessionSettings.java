package io.heapsdk.run;

import io.heapsdk.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Session settings heap sets on a host's connection for its own statements and puts back after them: a
 * run's ({@link Warehouse#runSessionSettings}) and an analysis's ({@link Warehouse#analysisSessionSettings}).
 */
final class SessionSettings {
  private static final Logger LOG = LoggerFactory.getLogger(SessionSettings.class);

  private SessionSettings() {}

  /**
   * Sets each of {@code wanted} that the session has at another value; returns the values they had, to
   * put back. A setting the server does not have, or refuses, is left as it is: a hint, never a reason
   * for a run or an analysis to fail.
   */
  static Map<String, String> set(Warehouse warehouse, Connection connection, Map<String, String> wanted) {
    Map<String, String> before = new LinkedHashMap<>();
    wanted.forEach((name, value) -> {
      Optional<String> select = warehouse.sessionSettingSelect(name);
      Optional<String> set = warehouse.sessionSettingStatement(name, value);
      if (select.isEmpty() || set.isEmpty()) {
        return;
      }
      try (Statement s = connection.createStatement()) {
        String was;
        try (ResultSet rs = s.executeQuery(select.get())) {
          was = rs.next() ? rs.getString(1) : null;
        }
        if (was == null || was.equals(value)) {
          return;
        }
        s.execute(set.get());
        before.put(name, was);
      } catch (SQLException e) {
        LOG.debug("session setting {} left as it is: {}", name, e.getMessage());
      }
    });
    return before;
  }

  /** Puts back what {@link #set} changed; {@code after} says after what ("the run"). */
  static void restore(Warehouse warehouse, Connection connection, Map<String, String> before, String after) {
    before.forEach((name, was) -> {
      try {
        if (connection.isClosed()) {
          // the session the setting was made in ended with the connection (a pool closed it, the server
          // terminated it): nothing is left to put back, and a warning said it "could not"
          LOG.debug("session setting {} not put back: the connection is closed", name);
          return;
        }
        try (Statement s = connection.createStatement()) {
          s.execute(warehouse.sessionSettingStatement(name, was).orElseThrow());
        }
      } catch (SQLException e) {
        LOG.warn("could not put session setting {} back to {} after {}: {}", name, was, after, e.getMessage());
      }
    });
  }
}
