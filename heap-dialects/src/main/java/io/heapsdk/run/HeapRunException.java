package io.heapsdk.run;

import io.heapsdk.HeapException;

/** A run cannot go on: the database refused a statement, or a target table no longer fits its model. */
public final class HeapRunException extends HeapException {
  private static final long serialVersionUID = 1L;

  private final String model;
  private final String statement;

  /** The database refused {@code statement} while building {@code model}. */
  public HeapRunException(String model, String warehouse, String statement, Throwable cause) {
    super(
        "model " + model + " failed on " + warehouse + ": " + cause.getMessage() + "\nstatement:\n" + statement,
        cause);
    this.model = model;
    this.statement = statement;
  }

  /** A problem found before any statement ran (e.g. a table whose columns no longer match). */
  public HeapRunException(String model, String message) {
    super("model " + model + ": " + message);
    this.model = model;
    this.statement = "";
  }

  /** The model being built ("(setup)" for the schema creation). */
  public String model() {
    return model;
  }

  /** The statement the database refused; empty when none ran. */
  public String statement() {
    return statement;
  }
}
