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
 * {@code --full-refresh} is how to mean it. Facts the defaults built (the last successful run recorded
 * so, {@link JdbcRunner#CONFIG_IS_DEFAULTS}) are rebuilt as usual when their definition changed (a heap
 * upgrade that renders a query otherwise); where no run recorded either (a heap from before the setting),
 * only a rebuild that drops columns is refused.
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
    // only the last successful run's word counts: a run of a heap from before the setting (a downgrade, a
    // teammate's older heap) leaves the one of the run before it, which a config's run may have followed
    // (a stale "true" let a run without its config drop the config's columns, exit 0)
    boolean current = recorded != null && state.lastSuccess().map(r -> r.runId().equals(recorded.runId())).orElse(false);
    if (current && recorded.value().equals("true")) {
      return;
    }
    List<String> changed =
        runner.prepare(plan, db.connection(), false).decisions().stream()
            .filter(d -> d.full() && ((current && d.reason().startsWith("definition changed"))
                // not known who built them (before heap kept state, or recorded this): the defaults losing
                // the config's columns tell; a definition changed alone may be a heap upgrade's rendering
                // (runs from a version before the setting were refused after the upgrade)
                || ((d.reason().startsWith("no state") || d.reason().startsWith("definition changed")
                        || d.reason().startsWith("statements run outside heap run")) && losesColumns(d))))
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
            + (here ? " (there is a heap.yml here: --config heap.yml)" : " (--config FILE)")
            + ", or run with --full-refresh to rebuild every model with the defaults");
  }

  /** Whether the decision says the rebuild drops some of the table's columns ("…; drops a, b"). */
  private static boolean losesColumns(JdbcRunner.ModelDecision d) {
    int change = d.reason().indexOf("the table's columns change: ");
    return change >= 0 && d.reason().indexOf("drops ", change) >= 0;
  }
}
