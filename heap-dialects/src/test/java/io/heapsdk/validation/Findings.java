package io.heapsdk.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.validation.RenderedStatements.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What one validator found on one warehouse's statements: how many it validated, which it rejected,
 * and which of those {@link KnownInvalid} expects. {@link #assertClean} fails on any other rejection, on
 * a known entry that is no longer rejected, and on too few statements.
 */
final class Findings {
  private final String validator;
  private final String warehouse;
  private final List<String> failures = new ArrayList<>();
  private final Set<KnownInvalid.Entry> known = new LinkedHashSet<>();
  private int validated;

  Findings(String validator, String warehouse) {
    this.validator = validator;
    this.warehouse = warehouse;
  }

  /** Records a statement the validator looked at: {@code problem} is empty when it passed. */
  void record(Statement st, Optional<String> problem) {
    validated++;
    problem.ifPresent(
        p -> KnownInvalid.find(validator, st, p).ifPresentOrElse(known::add, () -> failures.add(st.where() + ": " + p)));
  }

  int validated() {
    return validated;
  }

  void assertClean(int minimumStatements) {
    System.out.printf("%s validated %d %s statements (%d known invalid)%n", validator, validated, warehouse, known.size());
    List<String> stale = new ArrayList<>();
    for (KnownInvalid.Entry e : KnownInvalid.of(validator, warehouse)) {
      if (!known.contains(e)) {
        stale.add(e.scenario() + " / " + e.run() + " / " + e.step() + ": no longer rejected with /" + e.message() + "/; remove it from KnownInvalid");
      }
    }
    assertThat(failures).as("%s statements %s rejects", warehouse, validator).isEmpty();
    assertThat(stale).as("KnownInvalid entries for %s / %s", validator, warehouse).isEmpty();
    assertThat(validated).as("statements %s validated for %s", validator, warehouse).isGreaterThanOrEqualTo(minimumStatements);
  }
}
