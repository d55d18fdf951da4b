package io.heapsdk.validation;

import io.heapsdk.validation.RenderedStatements.Statement;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Rendered statements a validator proves invalid whose fix lies outside the warehouse dialects (in the
 * shared renderer), listed so that the suite stays green while they wait. Each entry must still be
 * rejected, with its message: when the renderer is fixed, the test fails until the entry is removed, and
 * any other rejected statement fails the test as usual.
 */
final class KnownInvalid {
  /** Statements of one step of one run that a validator rejects, with the message it must give. */
  record Entry(String validator, String warehouse, String scenario, String run, String step, Pattern message, String reason) {
    boolean matches(String validatorName, Statement st, String problem) {
      return validator.equals(validatorName)
          && warehouse.equals(st.warehouse().name())
          && scenario.equals(st.scenario())
          && run.equals(st.run())
          && st.step().equals(step)
          && message.matcher(problem).find();
    }
  }

  /** None at present: the renderer's placeholder aliases were the last (fixed: SqlRenderer.Resolver). */
  static final List<Entry> ENTRIES = List.of();

  private KnownInvalid() {}

  /** The entry that expects {@code validator} to reject {@code st} with {@code problem}, if any. */
  static Optional<Entry> find(String validator, Statement st, String problem) {
    return ENTRIES.stream().filter(e -> e.matches(validator, st, problem)).findFirst();
  }

  /** The entries of one validator and warehouse. */
  static List<Entry> of(String validator, String warehouse) {
    return ENTRIES.stream().filter(e -> e.validator().equals(validator) && e.warehouse().equals(warehouse)).toList();
  }
}
