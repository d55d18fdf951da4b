package io.heapsdk.testing;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * What a run logs while it runs: slf4j-simple writes each line to {@code System.err} as it is at that
 * moment, so the lines are copied from it (and still printed) until {@link #close}. For tests that read
 * a run's warnings, also while it is still running ({@link #text}).
 */
public final class StandardError implements AutoCloseable {
  private final PrintStream original = System.err;
  private final ByteArrayOutputStream copy = new ByteArrayOutputStream();

  private StandardError() {
    System.setErr(new PrintStream(new OutputStream() {
      @Override
      public void write(int b) {
        original.write(b);
        synchronized (copy) {
          copy.write(b);
        }
      }
    }, true, StandardCharsets.UTF_8));
  }

  /** Starts copying standard error. */
  public static StandardError capture() {
    return new StandardError();
  }

  /** What was written since {@link #capture}. */
  public String text() {
    synchronized (copy) {
      return copy.toString(StandardCharsets.UTF_8);
    }
  }

  @Override
  public void close() {
    System.setErr(original);
  }
}
