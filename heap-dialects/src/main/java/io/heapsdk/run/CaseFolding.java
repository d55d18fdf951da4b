package io.heapsdk.run;

import io.heapsdk.config.Condition;
import io.heapsdk.config.HeapConfig;
import io.heapsdk.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Whether the database lowers the channel rules' text beyond ASCII. Such a value is lowered in SQL by
 * the same {@code LOWER} as the column it is matched against (README, "Text in any language"), so a
 * database whose {@code LOWER} leaves it as it is (PostgreSQL with {@code LC_CTYPE} C or POSIX) matches
 * the rule only against text of the same case: a rule {@code ЭЛЕКТРОННАЯ_ПОЧТА} found no session of
 * {@code электронная_почта}, and the run exited 0 with those sessions in the fallback channel. The
 * database is asked to lower the rules' own values, one {@code SELECT} without a table.
 */
final class CaseFolding {
  private CaseFolding() {}

  /** A warning when the database leaves a rule's text beyond ASCII unlowered that Java would lower; empty otherwise. */
  static Optional<String> warning(Warehouse warehouse, HeapConfig config, Connection connection) {
    Set<String> values = new LinkedHashSet<>();
    config.effectiveChannelRules().forEach(r -> collect(r.when(), values));
    List<String> lowerable =
        values.stream().filter(v -> v.chars().anyMatch(c -> c >= 0x80) && !v.toLowerCase(Locale.ROOT).equals(v)).collect(Collectors.toList());
    if (lowerable.isEmpty()) {
      return Optional.empty();
    }
    String select =
        "SELECT " + lowerable.stream().map(v -> "LOWER(" + warehouse.literal(v) + ")").collect(Collectors.joining(", "));
    List<String> unlowered = new ArrayList<>();
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery(select)) {
      if (!rs.next()) {
        return Optional.empty();
      }
      for (int i = 0; i < lowerable.size(); i++) {
        if (lowerable.get(i).equals(rs.getString(i + 1))) {
          unlowered.add(lowerable.get(i));
        }
      }
    } catch (SQLException e) {
      // only a hint: a database that cannot answer is left to the run
      return Optional.empty();
    }
    if (unlowered.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        "the channel rules' " + (unlowered.size() == 1 ? "value " : "values ") + String.join(", ", unlowered)
            + (unlowered.size() == 1 ? " matches" : " match") + " sessions only in the case written: LOWER on this " + warehouse.name() + " database leaves text beyond ASCII"
            + " as it is (on PostgreSQL, a database whose LC_CTYPE is C or POSIX; create it with a UTF-8 one, such as C.UTF-8)");
  }

  private static void collect(Condition c, Set<String> values) {
    if (c instanceof Condition.Contains x) {
      values.add(x.value());
    } else if (c instanceof Condition.EqualTo x) {
      values.add(x.value());
    } else if (c instanceof Condition.All x) {
      x.conditions().forEach(d -> collect(d, values));
    } else if (c instanceof Condition.Any x) {
      x.conditions().forEach(d -> collect(d, values));
    }
  }
}
