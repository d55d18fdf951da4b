package io.heapsdk.cli;

import static io.heapsdk.cli.DuckDbCliTest.ok;
import static io.heapsdk.cli.DuckDbCliTest.oneLine;
import static io.heapsdk.cli.HeapCliTest.heap;
import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.sample.SampleData;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI on a PostgreSQL database of a throwaway server: the same numbers as on H2 through sample, run,
 * a second batch, an incremental run and the analyses; a missing database and a server that is not
 * there as one line naming host, port and database.
 */
class PostgresCliTest {
  private static LocalPostgres server;

  @TempDir Path tmp;

  private static synchronized LocalPostgres server() throws Exception {
    if (server == null) {
      server = LocalPostgres.start();
    }
    return server;
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void sampleRunBatchRunAndTheAnalysesAgreeWithH2() throws Exception {
    Path config = tmp.resolve("heap.yml");
    SqlFiles.writeText(config, SampleData.DEMO_CONFIG_YAML);
    String url = server().newDatabase("heap_cli");
    assertThat(DuckDbCliTest.session(config, url)).isEqualTo(DuckDbCliTest.session(config, "jdbc:h2:file:" + tmp.resolve("h2")));
    HeapCliTest.Result status = ok(heap("status", "--config", config, "--jdbc", url));
    assertThat(status.out()).contains("lock: free").containsPattern("(?m)^  \\S+ +incremental +succeeded");
  }

  @Test
  void aMissingDatabaseNamesTheServerAndTheDatabase() throws Exception {
    String url = server().url("no_such_db");
    for (String command : new String[] {"run", "sample"}) {
      HeapCliTest.Result r = command.equals("run") ? heap("run", "--jdbc", url) : heap("sample", "--jdbc", url, "--users", 5);
      assertThat(r.code()).isEqualTo(2);
      assertThat(oneLine(r))
          .isEqualTo(
              "heap: no database no_such_db on 127.0.0.1:" + server().port() + " (" + url + "); check the database name, or create it"
                  + " first (createdb)");
    }
  }

  @Test
  void aServerThatIsNotThereIsOneLine() throws IOException {
    int port;
    // a port nothing listens on: just freed
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    String url = "jdbc:postgresql://127.0.0.1:" + port + "/analytics";
    HeapCliTest.Result r = heap("funnel", "--jdbc", url, "--steps", "a");
    assertThat(r.code()).isEqualTo(2);
    assertThat(oneLine(r))
        .isEqualTo(
            "heap: cannot connect to PostgreSQL analytics on 127.0.0.1:" + port + " (" + url + "): Connection to 127.0.0.1:" + port
                + " refused; is the server running there?");
  }

  @Test
  void theServerAndDatabaseOfAUrlFollowTheDriversDefaults() {
    assertThat(Database.postgresServer("jdbc:postgresql://db.example.com/analytics?user=x")).isEqualTo("analytics on db.example.com:5432");
    assertThat(Database.postgresServer("jdbc:postgresql://db:6543/a")).isEqualTo("a on db:6543");
    assertThat(Database.postgresServer("jdbc:postgresql:analytics")).isEqualTo("analytics on localhost:5432");
    assertThat(Database.postgresServer("jdbc:postgresql:///analytics")).isEqualTo("analytics on localhost:5432");
  }
}
