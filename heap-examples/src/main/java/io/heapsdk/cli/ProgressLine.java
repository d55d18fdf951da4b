package io.heapsdk.cli;

import io.heapsdk.run.RunProgress;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

/**
 * The progress of a run as one line rewritten in place ({@code \r}) on a terminal: the statement n of
 * m, the step, and the time since the run started, redrawn every second while a long statement runs.
 * Cleared when the run ends, so the summary that follows starts on a clean line.
 */
final class ProgressLine implements RunProgress, AutoCloseable {
  private static final int WIDTH = 79;

  private final PrintWriter err;
  private final long start = System.nanoTime();
  private final Thread ticker;
  private String step = "";
  private int shown;
  private boolean closed;

  ProgressLine(PrintWriter err) {
    this.err = err;
    ticker =
        new Thread(
            () -> {
              try {
                while (true) {
                  Thread.sleep(1000);
                  redraw();
                }
              } catch (InterruptedException e) {
                // closed
              }
            },
            "heap-progress");
    ticker.setDaemon(true);
    ticker.start();
  }

  @Override
  public synchronized void statement(int n, int of, String phase, String model, Duration elapsed) {
    step = String.format(Locale.ROOT, "statement %d of %d: %s %s", n, of, phase, model);
    draw(elapsed.toMillis());
  }

  private synchronized void redraw() {
    if (!closed && !step.isEmpty()) {
      draw((System.nanoTime() - start) / 1_000_000);
    }
  }

  private void draw(long millis) {
    String text = String.format(Locale.ROOT, "heap run: %.1f s, %s", millis / 1000.0, step);
    if (text.length() > WIDTH) {
      text = text.substring(0, WIDTH);
    }
    err.print("\r" + text + " ".repeat(Math.max(0, shown - text.length())));
    err.flush();
    shown = text.length();
    Interrupts.lineOpen(true);
  }

  @Override
  public void close() {
    ticker.interrupt();
    synchronized (this) {
      closed = true;
      if (shown > 0) {
        err.print("\r" + " ".repeat(shown) + "\r");
        err.flush();
      }
      Interrupts.lineOpen(false);
    }
  }
}
