package io.heapsdk.cli;

import io.heapsdk.run.RunCancel;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Ctrl-C (SIGINT) or a plain {@code kill} (SIGTERM) while {@code heap run} builds: the JVM runs its
 * shutdown hooks and then halts, whatever the main thread is doing. Without this hook the run died with
 * its lock held, and on a shared database (PostgreSQL) every later run was refused until the heartbeat
 * was {@code --stale-after} old (10 minutes), while the server went on with the dead run's statement.
 *
 * <p>The hook cancels the run ({@link RunCancel}) and holds the JVM up to {@link #GRACE} while the main
 * thread rolls back, drops its working tables, records the run as failed, releases the lock and prints
 * why; the process then exits with the signal's status (130 for Ctrl-C), or 0 when the run had
 * succeeded all the same (the signal came as it ended). {@code kill -9} or a second
 * signal cannot be caught: then the next run takes the lock over once stale, and drops what is left.
 * Installed by {@link HeapCli#main} only: tests that call {@link HeapCli#run} in-process see no hook.
 */
final class Interrupts {
  /** How long a stopping run may take to roll back and release its lock before the JVM halts anyway. */
  static final Duration GRACE = Duration.ofSeconds(30);

  private static final AtomicReference<RunCancel> ACTIVE = new AtomicReference<>();
  private static final CountDownLatch FINISHED = new CountDownLatch(1);
  private static final AtomicBoolean ENDED = new AtomicBoolean();
  private static final AtomicInteger EXIT = new AtomicInteger(HeapCli.INTERNAL);

  private Interrupts() {}

  /** Adds the shutdown hook; {@code err} is where it says it is stopping the run. */
  static void install(PrintStream err) {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(err), "heap-interrupt"));
  }

  /**
   * The main thread is done with exit code {@code code}: its last words are printed, the hook need not
   * wait any longer.
   */
  static void finished(int code) {
    EXIT.set(code);
    FINISHED.countDown();
  }

  /**
   * Registers {@code cancel} as the run a signal stops, until the returned handle is closed (the run
   * has ended); a signal after that lets the command finish, within {@link #GRACE}.
   */
  static Registration during(RunCancel cancel) {
    ACTIVE.set(cancel);
    // not forgotten when the run ends: a signal after it still waits for the main thread to close the
    // database (an H2 file opened without H2's own close-on-exit is written out as it closes)
    return () -> ENDED.set(true);
  }

  /** Ends a {@link #during} registration. */
  interface Registration extends AutoCloseable {
    @Override
    void close();
  }

  private static void stop(PrintStream err) {
    RunCancel run = ACTIVE.get();
    if (run == null || FINISHED.getCount() == 0) {
      return;
    }
    if (!ENDED.get()) {
      // the progress line, if any, is on this line: start a new one
      err.println();
      err.println(
          "heap: interrupted: stopping the run (cancelling its statement, rolling back, releasing the run lock; up to "
              + GRACE.toSeconds() + " s)");
      err.flush();
      run.cancel("interrupted");
    }
    try {
      if (FINISHED.await(GRACE.toMillis(), TimeUnit.MILLISECONDS) && EXIT.get() == HeapCli.OK) {
        // the signal came as the run was ending and it succeeded: say so and exit 0 rather than the
        // signal's status, or a scheduler would log a failure for a run that built everything
        err.println("heap: the run had finished when the signal came: its models are built");
        err.flush();
        Runtime.getRuntime().halt(HeapCli.OK);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
