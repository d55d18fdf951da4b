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

  // SqlRenderer resolves a placeholder table to its physical name but keeps Calcite's column
  // qualifier, which is the placeholder's name; Calcite printed no alias because the two were equal.
  private static final String RENAMED_SOURCE =
      "the source table pageviews is renamed (PageViews \"v2\") and scanned without an alias, yet its columns "
          + "are qualified as pageviews: a name no FROM item has";
  private static final String CHANGES_TABLE =
      "an incremental user model joining a fact reads the fact's __changes table without an alias, yet its "
          + "columns are qualified with the fact's name: a name no FROM item has (fails on H2 too)";

  static final List<Entry> ENTRIES =
      List.of(
          new Entry("zetasql", "bigquery", "hostile", "incremental", "heap__active_users WORK",
              Pattern.compile("Unrecognized name: pageviews"), RENAMED_SOURCE),
          new Entry("zetasql", "bigquery", "user-models", "incremental", "identified_user_sessions WORK",
              Pattern.compile("Unrecognized name: stg_heap_sessions_inc_fct"), CHANGES_TABLE),
          new Entry("jsqlparser", "snowflake", "hostile", "incremental", "heap__active_users WORK",
              Pattern.compile("column qualifier \"PAGEVIEWS\" names no FROM item"), RENAMED_SOURCE),
          new Entry("jsqlparser", "snowflake", "user-models", "incremental", "identified_user_sessions WORK",
              Pattern.compile("column qualifier \"STG_HEAP_SESSIONS_INC_FCT\" names no FROM item"), CHANGES_TABLE),
          new Entry("jsqlparser", "redshift", "hostile", "incremental", "heap__active_users WORK",
              Pattern.compile("column qualifier \"pageviews\" names no FROM item"), RENAMED_SOURCE),
          new Entry("jsqlparser", "redshift", "user-models", "incremental", "identified_user_sessions WORK",
              Pattern.compile("column qualifier \"stg_heap_sessions_inc_fct\" names no FROM item"), CHANGES_TABLE));

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
