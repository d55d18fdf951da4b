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

  /** A failure to connect as the drivers give it: their SQLSTATE, the network's exception inside. */
  private static HeapException noAnswer(String sqlState, Exception network) {
    SQLException cause = new SQLException("Connection attempt failed", sqlState, network);
    return new HeapException("cannot connect to PostgreSQL analytics on db:5432: " + cause.getMessage(), cause);
  }

  @Test
  void aLookUpTheDatabaseCancelledOrCouldNotFinishExitsOne() {
    assertThat(Failures.exitCode(lookUpFailed("57014"))).as("statement timeout").isEqualTo(HeapCli.MODEL_FAILED);
    assertThat(Failures.exitCode(lookUpFailed("57P01"))).as("server shutting down").isEqualTo(HeapCli.MODEL_FAILED);
    assertThat(Failures.exitCode(lookUpFailed("40P01"))).as("deadlock").isEqualTo(HeapCli.MODEL_FAILED);
    assertThat(Failures.exitCode(lookUpFailed("53200"))).as("out of memory").isEqualTo(HeapCli.MODEL_FAILED);
    // a server that did not answer: restarting, most often, as the scheduled run starts (the network's
    // exceptions as PostgreSQL's driver and H2 wrap them)
    assertThat(Failures.exitCode(noAnswer("08001", new java.net.ConnectException("Connection refused")))).as("refused")
        .isEqualTo(HeapCli.MODEL_FAILED);
    assertThat(Failures.exitCode(noAnswer("08001", new java.net.SocketTimeoutException("connect timed out")))).as("timed out")
        .isEqualTo(HeapCli.MODEL_FAILED);
    assertThat(Failures.exitCode(noAnswer("08006", new java.net.UnknownHostException("db.internal")))).as("no such host")
        .isEqualTo(HeapCli.MODEL_FAILED);
    assertThat(Failures.exitCode(noAnswer("90067", new java.net.ConnectException("Connection refused")))).as("H2's server")
        .isEqualTo(HeapCli.MODEL_FAILED);
    // the cause a level deeper, as a wrapped driver exception
    HeapException wrapped = new HeapException("cannot read the run state", new RuntimeException(new SQLException("canceled", "57014")));
    assertThat(Failures.exitCode(wrapped)).isEqualTo(HeapCli.MODEL_FAILED);
  }

  /**
   * A connection the server ended while the command held it (idle_session_timeout, a failover, a pooler),
   * in pgjdbc's words: a rerun opens another, so 1, not "change the options".
   */
  @Test
  void aConnectionLostWhileInUseExitsOne() {
    SQLException closed = new SQLException("This connection has been closed.", "08003");
    assertThat(Failures.exitCode(new HeapException("funnel failed on postgres: " + closed.getMessage(), closed)))
        .as("closed by the server while idle").isEqualTo(HeapCli.MODEL_FAILED);
    SQLException reset =
        new SQLException("An I/O error occurred while sending to the backend.", "08006", new java.net.SocketException("Broken pipe"));
    assertThat(Failures.exitCode(new HeapException("sample data failed on postgres: " + reset.getMessage(), reset)))
        .as("the socket reset under a statement").isEqualTo(HeapCli.MODEL_FAILED);
    SQLException eof = new SQLException("An I/O error occurred while sending to the backend.", "08006", new java.io.EOFException());
    assertThat(Failures.exitCode(new HeapException("cannot read the run state: " + eof.getMessage(), eof)))
        .as("the server gone mid-answer").isEqualTo(HeapCli.MODEL_FAILED);
  }

  @Test
  void whatTheUserMustChangeStillExitsTwo() {
    assertThat(Failures.exitCode(lookUpFailed("42501"))).as("permission denied").isEqualTo(HeapCli.USAGE);
    // the same SQLSTATEs where only the URL mends it: an invalid sslmode (no cause), a certificate not trusted
    assertThat(Failures.exitCode(lookUpFailed("08001"))).as("invalid sslmode").isEqualTo(HeapCli.USAGE);
    assertThat(Failures.exitCode(noAnswer("08006", new javax.net.ssl.SSLHandshakeException("PKIX path building failed"))))
        .as("untrusted certificate").isEqualTo(HeapCli.USAGE);
    // a server that answered and refused the login
    assertThat(Failures.exitCode(lookUpFailed("08004"))).as("connection rejected").isEqualTo(HeapCli.USAGE);
    assertThat(Failures.exitCode(lookUpFailed("28P01"))).as("wrong password").isEqualTo(HeapCli.USAGE);
    assertThat(Failures.exitCode(lookUpFailed(null))).as("no SQLSTATE").isEqualTo(HeapCli.USAGE);
    assertThat(Failures.exitCode(new HeapException("heap.yml: funnel_events: expected a list"))).isEqualTo(HeapCli.USAGE);
    assertThat(Failures.exitCode(new IllegalStateException("bug"))).isEqualTo(HeapCli.INTERNAL);
  }

  /**
   * A statement of the run refused for want of a privilege (a Heap table heap's user may not read, a
   * schema it may not write) exits 2 as the README says, not 1: no retry helps until it is granted. A probe
   * on PostgreSQL saw exit 1 for all three. A statement that failed otherwise still exits 1.
   */
  @Test
  void aRunStatementRefusedForAPrivilegeExitsTwo() {
    io.heapsdk.run.HeapRunException unreadable =
        new io.heapsdk.run.HeapRunException(
            "heap__active_users", "postgres", "CREATE TABLE …", new SQLException("ERROR: permission denied for table user_migrations", "42501"));
    assertThat(Failures.exitCode(unreadable)).isEqualTo(HeapCli.USAGE);
    io.heapsdk.run.HeapRunException h2 =
        new io.heapsdk.run.HeapRunException("m", "h2", "SELECT", new RuntimeException(new SQLException("Not enough rights", "90096")));
    assertThat(Failures.exitCode(h2)).isEqualTo(HeapCli.USAGE);
    io.heapsdk.run.HeapRunException failed =
        new io.heapsdk.run.HeapRunException("m", "postgres", "SELECT", new SQLException("ERROR: division by zero", "22012"));
    assertThat(Failures.exitCode(failed)).isEqualTo(HeapCli.MODEL_FAILED);
    assertThat(Failures.exitCode(io.heapsdk.run.HeapRunException.ofRun("the run could not go ahead"))).isEqualTo(HeapCli.MODEL_FAILED);
  }

  /**
   * Trino's and BigQuery's drivers give no SQLSTATE for a refused privilege: their refusals exit 2 by the
   * server's words. The exceptions are made as the drivers make them: Trino's {@code ResultUtils} ({@code
   * Query failed (#id): } and the server's message, error code 4, PERMISSION_DENIED), with the message
   * its {@code AccessDeniedException} writes; BigQuery's messages as its error reference and its users'
   * reports quote them, in Simba's wrapping. A table not found on either still exits 1.
   */
  @Test
  void trinoAndBigQueryRefusalsExitTwoByTheirWords() {
    java.util.function.Function<SQLException, Integer> code =
        cause -> Failures.exitCode(new io.heapsdk.run.HeapRunException("stg_heap_events_all_inc_fct", "w", "SELECT", cause));
    assertThat(code.apply(new SQLException(
            "Query failed (#20261207_101010_00042_abcde): Access Denied: Cannot select from table hive.main_production.all_events", null, 4)))
        .as("Trino, SELECT").isEqualTo(HeapCli.USAGE);
    assertThat(code.apply(new SQLException(
            "Query failed (#20261207_101010_00043_abcde): Access Denied: Cannot create table hive.heap_models.heap__runs", null, 4)))
        .as("Trino, CREATE").isEqualTo(HeapCli.USAGE);
    assertThat(code.apply(new SQLException(
            "[Simba][BigQueryJDBCDriver](100032) Error executing query job. Message: Access Denied: Table my-project:main_production.all_events:"
                + " User does not have permission to query table my-project:main_production.all_events, or perhaps it does not exist.", "HY000")))
        .as("BigQuery, query").isEqualTo(HeapCli.USAGE);
    assertThat(code.apply(new SQLException(
            "Permission bigquery.tables.create denied on dataset my-project:heap_models (or it may not exist).", (String) null)))
        .as("BigQuery, create").isEqualTo(HeapCli.USAGE);
    assertThat(code.apply(new SQLException(
            "Access Denied: Project my-project: User does not have bigquery.jobs.create permission in project my-project.", (String) null)))
        .as("BigQuery, jobs").isEqualTo(HeapCli.USAGE);
    assertThat(code.apply(new SQLException(
            "Query failed (#20261207_101010_00044_abcde): line 1:15: Table 'hive.main_production.all_events' does not exist", null, 46)))
        .as("Trino, table missing").isEqualTo(HeapCli.MODEL_FAILED);
    assertThat(code.apply(new SQLException("Not found: Table my-project:main_production.all_events was not found in location US", (String) null)))
        .as("BigQuery, table missing").isEqualTo(HeapCli.MODEL_FAILED);
    // the words in a value another refusal quotes are no privilege refused (a review's cases, H2's and
    // Snowflake's messages): the driver's own SQLSTATE says what it was, and only the first line counts
    assertThat(code.apply(new SQLException(
            "Value too long for column \"TITLE CHARACTER VARYING(10)\": \"'Access Denied: please sign in' (29)\"; SQL statement:\nINSERT …", "22001")))
        .as("H2, text too long").isEqualTo(HeapCli.MODEL_FAILED);
    assertThat(code.apply(new SQLException("String 'Access Denied: please sign in' is too long and would be truncated", "22000")))
        .as("Snowflake, text too long").isEqualTo(HeapCli.MODEL_FAILED);
    assertThat(code.apply(new SQLException(
            "Table \"MISSING_TABLE\" not found; SQL statement:\nSELECT * FROM missing_table WHERE x = 'Access Denied: '", "42S02")))
        .as("H2, table missing, the words in the statement").isEqualTo(HeapCli.MODEL_FAILED);
    assertThat(code.apply(new SQLException("Query failed (#q): line 1:8: something\nAccess Denied: in a later line", null, 1)))
        .as("the words on a later line").isEqualTo(HeapCli.MODEL_FAILED);
  }
}
