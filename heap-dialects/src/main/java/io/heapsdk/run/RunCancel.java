package io.heapsdk.run;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops a run from another thread: a host's "cancel" button, a request deadline, or the {@code heap}
 * command's Ctrl-C. Hand it to {@link JdbcRunner#cancelledBy} and call {@link #cancel} from anywhere.
 *
 * <p>The statement the run is executing is cancelled with JDBC's {@link Statement#cancel} (PostgreSQL
 * and Redshift send the server a cancel request, H2 and DuckDB interrupt the query), and the run starts
 * no further statement of its build. It then ends as a failed run does, on its own thread: the open
 * transaction is rolled back, its working tables are dropped, it is recorded as failed in {@code
 * heap__runs} with the reason, and the run lock is released, so the next run starts at once instead of
 * waiting for the lock to grow stale. {@code run} throws a {@link HeapRunException} whose {@link
 * HeapRunException#cancelled()} is true. An apply transaction that had committed stays applied, as it
 * would after a crash at that point: the next run's recompute makes the facts whole.
 *
 * <p>Interrupting the run's thread ({@code Future.cancel(true)}) is not a way to stop it: JDBC drivers
 * do not answer interrupts while a statement runs, and H2's file store closes its file on one.
 *
 * <p>A cancel that comes once the run's changes are applied, while it winds up (drops its working tables,
 * counts the facts' rows, records itself as succeeded with the mark of the next run), lets that finish
 * for up to {@link #RECORDING_ALLOWANCE} before it stops the statement under way and refuses the next:
 * stopped there, the run would be recorded as failed with its facts applied, and the next run would do
 * its work again (a full build again, where it was one). Those are a few short statements; only one
 * waiting on a lock (someone holding a state table) takes the allowance, and is then cancelled.
 *
 * <p>One object per run: once cancelled it stays cancelled.
 */
public final class RunCancel {
  private static final Logger LOG = LoggerFactory.getLogger(RunCancel.class);

  private final AtomicReference<String> reason = new AtomicReference<>();
  private final AtomicReference<Statement> running = new AtomicReference<>();
  /** The model whose swap is running (not cancelled half-way), if one is. */
  private final AtomicReference<String> swapping = new AtomicReference<>();
  /** The model whose swap was running when {@link #cancel} came: the cancel takes effect after it. */
  private final AtomicReference<String> cancelledDuringSwapOf = new AtomicReference<>();
  /** How many {@link #shielded} sections are running. */
  private final java.util.concurrent.atomic.AtomicInteger shielded = new java.util.concurrent.atomic.AtomicInteger();
  /** Counted down by {@link #cancel}: a run pausing between tries wakes up at once. */
  private final java.util.concurrent.CountDownLatch cancelled = new java.util.concurrent.CountDownLatch(1);
  /** Whether the run is winding up after its apply ({@link #recordingBegins}); guarded by {@code this}. */
  private boolean recording;
  /** Whether a cancel's {@link #RECORDING_ALLOWANCE} ran out while the run was winding up; guarded by {@code this}. */
  private boolean expired;
  /** Whether the statement under way is one the run may do without ({@link #startingOptional}); guarded by {@code this}. */
  private boolean optional;

  /**
   * How long a cancel lets a run's record of its success finish before stopping it: well inside the
   * {@code heap} command's 30 s grace, which must also hold the rollback and the release of the lock.
   */
  public static final java.time.Duration RECORDING_ALLOWANCE = java.time.Duration.ofSeconds(10);

  /**
   * Cancels the run for {@code why} (said in its failure, e.g. "interrupted"); returns at once, before
   * the run has rolled back. Later calls change nothing.
   */
  public void cancel(String why) {
    if (!reason.compareAndSet(null, why)) {
      return;
    }
    cancelledDuringSwapOf.set(swapping.get());
    cancelled.countDown();
    synchronized (this) {
      if (recording) {
        // what the run may do without (the count behind the mark) is stopped at once all the same
        if (optional) {
          cancelRunning();
        }
        cancelRecordingLater();
        return;
      }
      cancelRunning();
    }
  }

  /** Cancels, after {@link #RECORDING_ALLOWANCE}, the statement of a record still under way then. */
  private void cancelRecordingLater() {
    Thread later = new Thread(this::cancelRecording, "heap-run-cancel");
    later.setDaemon(true);
    later.start();
  }

  /**
   * After the allowance, cancels the statement under way, and again each second while the wind-up goes
   * on: a driver may ignore the cancel of a statement it has not sent yet (PostgreSQL's), and one
   * registered just then would otherwise wait on a lock past the CLI's grace.
   */
  private void cancelRecording() {
    try {
      Thread.sleep(RECORDING_ALLOWANCE.toMillis());
      while (true) {
        synchronized (this) {
          if (!recording) {
            return;
          }
          if (!expired) {
            LOG.debug("the run's record did not finish within {} s of the cancel: stopping it", RECORDING_ALLOWANCE.toSeconds());
          }
          expired = true;
          cancelRunning();
        }
        Thread.sleep(1000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void cancelRunning() {
    Statement s = running.get();
    if (s != null) {
      try {
        s.cancel();
      } catch (SQLException | RuntimeException e) {
        // the run stops before its next statement all the same
        LOG.debug("could not cancel the running statement: {}", e.getMessage());
      }
    }
  }

  /**
   * The run's changes are applied and it winds up (clean-up, row counts, its record): a cancel from now
   * on, or one that came before, stops its statement only after {@link #RECORDING_ALLOWANCE}, if it has
   * not finished by then ({@link #recordingEnds}). Called again, nothing changes.
   */
  void recordingBegins() {
    boolean late;
    synchronized (this) {
      if (recording) {
        return;
      }
      recording = true;
      late = isCancelled();
    }
    if (late) {
      cancelRecordingLater();
    }
  }

  /** The run has recorded itself (or failed): a cancel acts at once again. */
  synchronized void recordingEnds() {
    recording = false;
  }

  /** Whether a cancel that came is still within its allowance ({@link #recordingBegins}). */
  private synchronized boolean withinAllowance() {
    return recording && !expired;
  }

  /** Waits up to {@code pause}, less when {@link #cancel} comes meanwhile; whether it came. */
  boolean awaitCancel(java.time.Duration pause) throws InterruptedException {
    return cancelled.await(pause.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  /** Whether {@link #cancel} was called. */
  public boolean isCancelled() {
    return reason.get() != null;
  }

  /** The reason given to {@link #cancel}, if it was called. */
  public Optional<String> reason() {
    return Optional.ofNullable(reason.get());
  }

  /**
   * Registers {@code s} as the statement about to run, or throws if the run is cancelled already. The
   * reason is read after the statement is registered and {@link #cancel} reads the statement after
   * setting the reason, so one of the two always sees the other.
   */
  void starting(Statement s, String model, String warehouse) {
    running.set(s);
    if (isCancelled() && !withinAllowance()) {
      running.compareAndSet(s, null);
      String swapped = cancelledDuringSwapOf.get();
      throw swapped != null
          ? HeapRunException.cancelledAfterSwap(swapped, warehouse, reason.get())
          : HeapRunException.cancelled(model, warehouse, reason.get(), "", null);
    }
  }

  /**
   * A swap of {@code model}'s table is running, which is not cancelled half-way: a cancel meanwhile takes
   * effect at the next statement, and its failure names this swap rather than that statement's step.
   */
  void swapping(String model) {
    swapping.set(model);
  }

  /** The swap {@link #swapping} announced is over. */
  void swapped() {
    swapping.set(null);
  }

  /**
   * {@code s} is about to run, and is cancelled with the run: a statement of the run's own bookkeeping
   * ({@link WatchedConnection}). Not inside a swap that runs to its end (H2's DROP and RENAME: stopped
   * between them the fact would be gone), nor while {@link #shielded}: the clean-up of a cancelled run
   * and the release of the lock, which a cancel must not leave undone. Not refused after a cancel (the
   * clean-up, the record of a rolled-back swap are meant to run), except in a run's wind-up once the
   * cancel's {@link #RECORDING_ALLOWANCE} is over ({@link #recordingBegins}).
   */
  void watching(Statement s) throws SQLException {
    if (swapping.get() != null || shielded.get() > 0) {
      return;
    }
    synchronized (this) {
      if (recording && expired) {
        // the allowance is over: the record stops here, and the run ends as a cancelled one
        throw new SQLException(
            "cancelled (" + reason.get() + "): the run's record did not finish within " + RECORDING_ALLOWANCE.toSeconds() + " s", "57014");
      }
      // under the lock: an allowance that runs out now either sees it or refuses it above
      running.set(s);
    }
  }

  /**
   * As {@link #starting}, for a statement the run may do without (the count of the source rows behind the
   * mark): a cancel stops it at once, in the wind-up too, where the others get {@link #RECORDING_ALLOWANCE}.
   */
  void startingOptional(Statement s, String model, String warehouse) {
    synchronized (this) {
      running.set(s);
      optional = true;
    }
    if (isCancelled()) {
      finished(s);
      throw HeapRunException.cancelled(model, warehouse, reason.get(), "", null);
    }
  }

  /** Runs {@code work} with the run's own statements out of a cancel's reach ({@link #watching}). */
  void shielded(Runnable work) {
    shielded.incrementAndGet();
    try {
      work.run();
    } finally {
      shielded.decrementAndGet();
    }
  }

  /** {@code s} is done (or failed). */
  void finished(Statement s) {
    synchronized (this) {
      if (running.compareAndSet(s, null)) {
        optional = false;
      }
    }
  }

  /**
   * Throws a {@link HeapRunException} whose {@code cancelled()} is true when cancelled while {@code
   * doing} something other than a statement (waiting for the lock, between two batches of rows).
   */
  public void check(String doing, String warehouse) {
    if (isCancelled()) {
      throw HeapRunException.cancelledBefore(doing, warehouse, reason.get());
    }
  }
}
