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

  private HeapRunException(String message, Throwable cause, String model, String statement) {
    super(message, cause);
    this.model = model;
    this.statement = statement;
  }

  /**
   * The database refused a data test's or freshness check's {@code statement} (e.g. the model's table
   * was never built); {@link #model()} is then the test's name.
   */
  public static HeapRunException test(String test, String warehouse, String statement, Throwable cause) {
    return new HeapRunException(
        "test " + test + " failed on " + warehouse + ": " + cause.getMessage() + "\nstatement:\n" + statement,
        cause,
        test,
        statement);
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
