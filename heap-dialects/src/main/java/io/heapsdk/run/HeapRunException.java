package io.heapsdk.run;

import io.heapsdk.HeapException;

/** The database refused a statement while building a model. */
public final class HeapRunException extends HeapException {
  private static final long serialVersionUID = 1L;

  private final String model;
  private final String statement;

  public HeapRunException(String model, String warehouse, String statement, Throwable cause) {
    super(
        "model " + model + " failed on " + warehouse + ": " + cause.getMessage() + "\nstatement:\n" + statement,
        cause);
    this.model = model;
    this.statement = statement;
  }

  /** The model being built ("(setup)" for the schema creation). */
  public String model() {
    return model;
  }

  /** The statement the database refused. */
  public String statement() {
    return statement;
  }
}
