package io.heapsdk.cli;

import io.heapsdk.HeapException;
import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.ProjectPlan;
import io.heapsdk.run.JdbcRunner;
import io.heapsdk.run.RunState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A {@code heap run} (and its {@code --dry-run}, and {@code heap status}) with every default (no
 * {@code --config}, or an empty one: a template that rendered nothing, a pipe that carried nothing) on
 * facts a config built: the run would rebuild them with the defaults, dropping the config's funnel and
 * conversion columns, and said so only in its INFO lines. Refused instead, naming the facts;
 * {@code --full-refresh} is how to mean it. Facts the defaults built (the last run recorded so, {@link
 * JdbcRunner#CONFIG_IS_DEFAULTS}) are rebuilt as usual when their definition changed (a heap upgrade
 * that renders a query otherwise).
 */
final class DefaultsGuard {
  private DefaultsGuard() {}

  static void check(JdbcRunner runner, ProjectPlan plan, Database db, ConfigOption given) {
    HeapConfig c = plan.config();
    if (!c.equals(HeapConfig.defaults())) {
      return;
    }
    RunState state = new RunState(db.warehouse(), c, db.connection());
    RunState.Setting recorded = state.exists() ? state.settings().get(JdbcRunner.CONFIG_IS_DEFAULTS) : null;
    if (recorded != null && recorded.value().equals("true")) {
      return;
    }
    List<String> changed =
        runner.prepare(plan, db.connection(), false).decisions().stream()
            .filter(d -> d.full() && (d.reason().startsWith("definition changed")
                // built before heap kept state, and losing columns to the defaults
                || (d.reason().startsWith("no state") && d.reason().contains("drops "))))
            .map(JdbcRunner.ModelDecision::model)
            .toList();
    if (changed.isEmpty()) {
      return;
    }
    boolean here = Files.isRegularFile(Path.of("heap.yml"));
    String why = given.file == null ? "no --config given, so every default applies" : c.origin() + " sets nothing, so every default applies";
    throw new HeapException(
        why + ", and " + String.join(", ", changed) + (changed.size() == 1 ? " was" : " were")
            + " built with another definition (a config's, it seems): this run would rebuild "
            + (changed.size() == 1 ? "it" : "them") + " with the defaults. Give the config it was built with"
            + (here ? " (there is a heap.yml here: --config heap.yml)" : " (--config heap.yml)")
            + ", or run with --full-refresh to rebuild every model with the defaults");
  }
}
