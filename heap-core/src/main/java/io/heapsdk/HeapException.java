package io.heapsdk;

/**
 * Root of the errors this library reports to its users: bad config, a model that cannot be planned,
 * a construct a warehouse cannot express, a statement the database refused.
 *
 * <p>Every message names where the problem is (config key, model, warehouse, statement) and, where it
 * can, how to fix it. Internal bugs are {@link IllegalStateException}s instead.
 */
public class HeapException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public HeapException(String message) {
    super(message);
  }

  public HeapException(String message, Throwable cause) {
    super(message, cause);
  }
}
