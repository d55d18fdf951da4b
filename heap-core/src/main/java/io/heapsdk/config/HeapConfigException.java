package io.heapsdk.config;

import io.heapsdk.HeapException;

/**
 * A configuration value is missing, unknown, of the wrong type or out of range.
 *
 * <p>The message reads {@code <origin>: <key path>: <problem>}, for example
 * {@code heap.yml: sessionization.timeout_minutes: expected a positive whole number of minutes, got -5}.
 */
public final class HeapConfigException extends HeapException {
  private static final long serialVersionUID = 1L;

  private final String origin;
  private final String keyPath;
  private final String problem;

  public HeapConfigException(String origin, String keyPath, String problem) {
    // a key or value that looks right but holds an invisible character (a byte order mark, a zero-width
    // space) shows it: "unknown key" named the key the user meant, "got the text 3​0" read as 30
    super(origin + ": " + (keyPath == null ? null : UserText.visible(keyPath)) + ": " + (problem == null ? null : UserText.visible(problem)));
    this.origin = origin;
    this.keyPath = keyPath;
    this.problem = problem;
  }

  /** Where the config came from: a file name, or {@code HeapConfig.builder()}. */
  public String origin() {
    return origin;
  }

  /** The YAML key path of the offending value, e.g. {@code funnel_events[2]}. */
  public String keyPath() {
    return keyPath;
  }

  /** What was wrong and what was expected, without origin and key. */
  public String problem() {
    return problem;
  }

  /**
   * {@code value}, or this exception for a null: {@code <what>: <field>: expected <expected>, got null},
   * e.g. {@code ChannelRule: channel: expected a channel name, got null}.
   */
  static <T> T requireValue(String what, String field, T value, String expected) {
    if (value == null) {
      throw new HeapConfigException(what, field, "expected " + expected + ", got null");
    }
    return value;
  }

  /** The same error, attributed to another origin (the loader re-labels builder checks with the file name). */
  public HeapConfigException withOrigin(String newOrigin) {
    return new HeapConfigException(newOrigin, keyPath, problem);
  }

}
