package io.heapsdk.incremental;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.run.JdbcRunner;
import io.heapsdk.testing.StatementHooks;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;

/**
 * A run in a JVM of its own, for the kill loop: {@code <jdbc url> full|incremental [halt-after-text]}.
 * With a third argument the JVM halts (no shutdown hooks, no database close: what kill -9 leaves) right
 * after the first statement containing that text has executed. A text after {@code exit:} exits the JVM
 * there instead, with code 130, running its shutdown hooks: what Ctrl-C leaves, H2 closing the database
 * (and so writing out every statement that committed) on its way out.
 */
public final class RunnerChild {
  /** The prefix of a statement's text to exit after, as on Ctrl-C, rather than halt. */
  static final String EXIT = "exit:";

  private RunnerChild() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    boolean full = args[1].equals("full");
    String haltAfter = args.length > 2 ? args[2] : null;
    HeapConfig config = KillLoopTest.CONFIG;
    try (Connection real = DriverManager.getConnection(url)) {
      Connection c = haltAfter == null ? real : halting(real, haltAfter);
      new JdbcRunner(KillLoopTest.Target.of(url)).staleAfter(Duration.ofSeconds(1)).waitingForLock(Duration.ofSeconds(10))
          .run(HeapProject.standard(config).plan(), c, full);
    }
    System.exit(0);
  }

  private static Connection halting(Connection real, String text) {
    return StatementHooks.around(
        real,
        StatementHooks.NONE,
        sql -> {
          if (text.startsWith(EXIT) && sql.contains(text.substring(EXIT.length()))) {
            System.exit(130);
          } else if (sql.contains(text)) {
            Runtime.getRuntime().halt(137);
          }
        });
  }
}
