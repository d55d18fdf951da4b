package io.heapsdk.model;

import io.heapsdk.HeapException;

/** A model cannot be defined or planned: a missing ref, a cycle, an unknown column, a missing key. */
public final class HeapModelException extends HeapException {
  private static final long serialVersionUID = 1L;

  private final String model;

  public HeapModelException(String model, String problem) {
    super("model " + model + ": " + problem);
    this.model = model;
  }

  public HeapModelException(String model, String problem, Throwable cause) {
    super("model " + model + ": " + problem, cause);
    this.model = model;
  }

  /** The model the problem is in. */
  public String model() {
    return model;
  }
}
