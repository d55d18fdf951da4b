package io.heapsdk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.HeapException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/**
 * The exit code of a failure heap reports as a {@link HeapException}: 2 (change the options, config or
 * URL) unless the database failed at run time under it. A probe of daily runs on PostgreSQL found {@code
 * heap status} exiting 2 for a statement timeout in its catalog look-up, where {@code heap run} exits 1
 * for the same timeout; a scheduler reading 2 as "the config is broken" paged a person for a retry.
 */
class FailureExitCodeTest {
  private static HeapException lookUpFailed(String sqlState) {
    SQLException cause = new SQLException("ERROR: canceling statement due to statement timeout", sqlState);
    return new HeapException("cannot look up table \"main_production\".\"users\" on jdbc:postgresql://db/heap: " + cause.getMessage(), cause);
  }

  @Test
  void aLookUpTheDatabaseCancelledOrCouldNotFinishExitsOne() {
    assertThat(Failures.exitCode(lookUpFailed("57014"))).as("statement timeout").isEqualTo(HeapCli.MODEL_FAILED);
    assertThat(Failures.exitCode(lookUpFailed("57P01"))).as("server shutting down").isEqualTo(HeapCli.MODEL_FAILED);
    assertThat(Failures.exitCode(lookUpFailed("40P01"))).as("deadlock").isEqualTo(HeapCli.MODEL_FAILED);
    assertThat(Failures.exitCode(lookUpFailed("53200"))).as("out of memory").isEqualTo(HeapCli.MODEL_FAILED);
    // the cause a level deeper, as a wrapped driver exception
    HeapException wrapped = new HeapException("cannot read the run state", new RuntimeException(new SQLException("canceled", "57014")));
    assertThat(Failures.exitCode(wrapped)).isEqualTo(HeapCli.MODEL_FAILED);
  }

  @Test
  void whatTheUserMustChangeStillExitsTwo() {
    assertThat(Failures.exitCode(lookUpFailed("42501"))).as("permission denied").isEqualTo(HeapCli.USAGE);
    assertThat(Failures.exitCode(lookUpFailed("08001"))).as("cannot connect").isEqualTo(HeapCli.USAGE);
    assertThat(Failures.exitCode(lookUpFailed(null))).as("no SQLSTATE").isEqualTo(HeapCli.USAGE);
    assertThat(Failures.exitCode(new HeapException("heap.yml: funnel_events: expected a list"))).isEqualTo(HeapCli.USAGE);
    assertThat(Failures.exitCode(new IllegalStateException("bug"))).isEqualTo(HeapCli.INTERNAL);
  }
}
