package io.heapsdk.cli;

import io.heapsdk.HeapException;
import io.heapsdk.run.RunCancel;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Ctrl-C (SIGINT) or a plain {@code kill} (SIGTERM) while {@code heap run} builds (or {@code heap
 * sample} loads): the JVM runs its shutdown hooks and then halts, whatever the main thread is doing.
 * Without this hook the run died with
 * its lock held, and on a shared database (PostgreSQL) every later run was refused until the heartbeat
 * was {@code --stale-after} old (10 minutes), while the server went on with the dead run's statement.
 *
 * <p>The hook cancels the run ({@link RunCancel}) and holds the JVM up to {@link #GRACE} while the main
 * thread rolls back, drops its working tables, records the run as failed, releases the lock and prints
 * why; the process then exits with the signal's status (130 for Ctrl-C), or 0 when the run had
 * succeeded all the same (the signal came as it ended). {@code kill -9} or a second
 * signal cannot be caught: then the next run takes the lock over once stale, and drops what is left.
 * A stopped {@code heap sample} rolls its rows back, and a first batch drops the tables it created (H2
 * has committed them), so no empty Heap tables are left to refuse the next first batch.
 * Installed by {@link HeapCli#main} only: tests that call {@link HeapCli#run} in-process see no hook.
 */
final class Interrupts {
  /** How long a stopping run may take to roll back and release its lock before the JVM halts anyway. */
  static final Duration GRACE = Duration.ofSeconds(30);

  private static final AtomicReference<Stoppable> ACTIVE = new AtomicReference<>();
  private static final CountDownLatch FINISHED = new CountDownLatch(1);
  private static final AtomicBoolean ENDED = new AtomicBoolean();
  private static final AtomicInteger EXIT = new AtomicInteger(HeapCli.INTERNAL);
  /** A signal came: work not yet begun must not begin (the JVM may halt at any moment after the hook). */
  private static final AtomicBoolean STOPPING = new AtomicBoolean();
  /** Files being written (into a file beside them, then renamed: {@link SqlFiles#writeText}). */
  private static final AtomicInteger WRITING = new AtomicInteger();
  /** Whether a progress line is on the terminal, so the hook's words start on a line of their own. */
  private static final AtomicBoolean LINE_OPEN = new AtomicBoolean();
  /** heap's main thread called System.exit: the hooks run for that, not for a signal. */
  private static final AtomicBoolean EXITING = new AtomicBoolean();
  /**
   * Which signal started the shutdown, in words ("terminated by SIGTERM"): a scheduler's timeout or a
   * pod's termination reads differently in the run's record than a Ctrl-C. Null while none was seen.
   */
  private static final AtomicReference<String> SIGNAL = new AtomicReference<>();

  private Interrupts() {}

  /** Adds the shutdown hook; {@code err} is where it says it is stopping the run. */
  static void install(PrintStream err) {
    watch("INT", "interrupted");
    watch("TERM", "terminated by SIGTERM");
    watch("HUP", "terminal hung up (SIGHUP)");
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(err), "heap-interrupt"));
  }

  /**
   * Notes {@code said} when signal {@code name} comes, then hands the signal to the JVM's own handler,
   * which starts the shutdown (and so the hook) as before, with the same exit status. A signal the JVM
   * does not handle (ignored, as SIGINT is for a job started in the background by a script, or left to
   * the system with {@code -Xrs}) is left as it was.
   */
  // sun.misc.Signal (module jdk.unsupported, kept for this use) is the only way to tell the signals apart
  private static void watch(String name, String said) {
    try {
      sun.misc.Signal signal = new sun.misc.Signal(name);
      AtomicReference<sun.misc.SignalHandler> jvms = new AtomicReference<>();
      sun.misc.SignalHandler previous =
          sun.misc.Signal.handle(
              signal,
              s -> {
                SIGNAL.compareAndSet(null, said);
                sun.misc.SignalHandler next = jvms.get();
                if (next != null) {
                  next.handle(s);
                } else {
                  // came before the JVM's handler was noted: what that handler does
                  Runtime.getRuntime().exit(128 + s.getNumber());
                }
              });
      if (previous == sun.misc.SignalHandler.SIG_IGN || previous == sun.misc.SignalHandler.SIG_DFL) {
        sun.misc.Signal.handle(signal, previous);
      } else {
        jvms.set(previous);
      }
    } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
      // no such signal here (Windows has no SIGHUP), or it is the JVM's: stops are then "interrupted"
    }
  }

  /** What stopped heap, in words: the signal when one was seen, else "interrupted". */
  private static String reason() {
    String signal = SIGNAL.get();
    return signal == null ? "interrupted" : signal;
  }

  /**
   * The main thread is done with exit code {@code code}: its last words are printed, the hook need not
   * wait any longer.
   */
  static void finished(int code) {
    EXIT.set(code);
    FINISHED.countDown();
  }

  /** heap's main thread is about to call System.exit with the code given to {@link #finished}. */
  static void exiting() {
    EXITING.set(true);
  }

  /** What a signal stops, what heap says as it stops it, and what it says if the work finished anyway. */
  private record Stoppable(RunCancel cancel, String stopping, String finishedAnyway) {}

  /** As {@link #during(RunCancel, String, String)}, for {@code heap run}. */
  static Registration during(RunCancel cancel) {
    return during(
        cancel,
        "stopping the run (cancelling its statement, rolling back, releasing the run lock; up to " + GRACE.toSeconds() + " s)",
        "the run had finished when the signal came: its models are built");
  }

  /**
   * Registers {@code cancel} as the work a signal stops, until the returned handle is closed (the work
   * has ended); a signal after that lets the command finish, within {@link #GRACE}. {@code stopping} is
   * said when the signal comes ("stopping the run (…)"); {@code finishedAnyway} when the command then
   * succeeds all the same.
   */
  static Registration during(RunCancel cancel, String stopping, String finishedAnyway) {
    ACTIVE.set(new Stoppable(cancel, stopping, finishedAnyway));
    // the hook sets STOPPING before it reads ACTIVE: a signal that came just before this registration
    // (the hook found nothing to stop and will not wait) cancels the work before it begins
    if (STOPPING.get()) {
      cancel.cancel(reason());
    }
    // not forgotten when the run ends: a signal after it still waits for the main thread to close the
    // database (an H2 file opened without H2's own close-on-exit is written out as it closes)
    return () -> ENDED.set(true);
  }

  /**
   * Brackets the write of one file: a signal during it waits (within {@link #GRACE}) for the write to
   * end, its file beside the target renamed or removed, and for the command to stop before its next
   * file. Throws, writing nothing, once a signal has come.
   */
  static Registration writing(Path file) {
    WRITING.incrementAndGet();
    if (STOPPING.get()) {
      WRITING.decrementAndGet();
      throw new HeapException(reason() + " before writing " + file + ": the files written before it are whole");
    }
    return WRITING::decrementAndGet;
  }

  /** A progress line is on the terminal ({@code true}) or was cleared. */
  static void lineOpen(boolean open) {
    LINE_OPEN.set(open);
  }

  /** Ends a {@link #during} registration. */
  interface Registration extends AutoCloseable {
    @Override
    void close();
  }

  private static void stop(PrintStream err) {
    STOPPING.set(true);
    if (EXITING.get()) {
      // a plain exit, not a signal: the JVM exits with heap's code, every hook running to its end
      return;
    }
    if (FINISHED.getCount() == 0) {
      if (EXIT.get() == HeapCli.OK) {
        // the command had done all it was to do: its output is whole, and the signal changes nothing
        Runtime.getRuntime().halt(HeapCli.OK);
      }
      return;
    }
    Stoppable work = ACTIVE.get();
    if (work == null) {
      if (WRITING.get() > 0) {
        // a file is being written: let it be renamed into place or removed, and the command stop before
        // its next file (SqlFiles#writeText), rather than leave a file of heap's own beside it
        await(err, null);
      }
      return;
    }
    if (!ENDED.get()) {
      if (LINE_OPEN.get()) {
        // the progress line is on this line: start a new one
        err.println();
      }
      err.println("heap: " + reason() + ": " + work.stopping());
      err.flush();
      work.cancel().cancel(reason());
    }
    await(err, work.finishedAnyway());
  }

  /**
   * Waits for the main thread's end; when it succeeded all the same (the signal came as it was ending),
   * says {@code finishedAnyway} (if any) and exits 0 rather than with the signal's status, or a scheduler
   * would log a failure for a command that did everything.
   */
  private static void await(PrintStream err, String finishedAnyway) {
    try {
      if (FINISHED.await(GRACE.toMillis(), TimeUnit.MILLISECONDS) && EXIT.get() == HeapCli.OK) {
        if (finishedAnyway != null) {
          err.println("heap: " + finishedAnyway);
          err.flush();
        }
        Runtime.getRuntime().halt(HeapCli.OK);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
