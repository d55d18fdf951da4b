package io.heapsdk.cli;

import io.heapsdk.run.RunProgress;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * The progress of a run as one line rewritten in place ({@code \r}) on a terminal: the statement n of
 * m, the step, and the time since the run started, redrawn every second while a long statement runs.
 * Cleared when the run ends, so the summary that follows starts on a clean line. The run's log lines
 * (slf4j-simple, on {@code System.err}) clear it first and draw it again under them: they were written
 * over it, {@code heap run: 6.1 s, statement 4 of 4: build stg_heap_sessions_inc_fctINFO built …}.
 */
final class ProgressLine implements RunProgress, AutoCloseable {
  private static final int WIDTH = 79;

  private final PrintWriter err;
  private final PrintStream systemErr;
  private final long start = System.nanoTime();
  private final Thread ticker;
  private String step = "";
  private int shown;
  private long lastMillis;
  private boolean closed;

  ProgressLine(PrintWriter err) {
    this.err = err;
    this.systemErr = System.err;
    System.setErr(new PrintStream(new AroundTheLine(systemErr), true, StandardCharsets.UTF_8));
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
    lastMillis = millis;
    String text = String.format(Locale.ROOT, "heap run: %.1f s, %s", millis / 1000.0, step);
    if (text.length() > WIDTH) {
      text = text.substring(0, WIDTH);
    }
    err.print("\r" + text + " ".repeat(Math.max(0, shown - text.length())));
    err.flush();
    shown = text.length();
    Interrupts.lineOpen(true);
  }

  private void clear() {
    int width = shown;
    shown = 0;
    if (width > 0) {
      err.print("\r" + " ".repeat(width) + "\r");
      err.flush();
    }
  }

  @Override
  public void close() {
    ticker.interrupt();
    synchronized (this) {
      closed = true;
      clear();
      Interrupts.lineOpen(false);
      System.setErr(systemErr);
    }
  }

  /** What goes to {@code System.err} while the line is up: the line cleared before, drawn again after a whole line. */
  private final class AroundTheLine extends OutputStream {
    private final PrintStream target;

    AroundTheLine(PrintStream target) {
      this.target = target;
    }

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      synchronized (ProgressLine.this) {
        clear();
        target.write(b, off, len);
        target.flush();
        if (len > 0 && b[off + len - 1] == '\n' && !closed && !step.isEmpty()) {
          draw(lastMillis);
        }
      }
    }

    @Override
    public void flush() {
      target.flush();
    }
  }
}
