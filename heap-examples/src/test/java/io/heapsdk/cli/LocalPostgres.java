package io.heapsdk.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A throwaway PostgreSQL server for the CLI's tests, started from the machine's server binaries
 * ({@code $HEAP_PG_BIN}, else {@code /usr/lib/postgresql/15/bin}) in a temporary directory, on a free
 * loopback port with trust authentication, as the {@code postgres} user when the tests run as root. A
 * smaller sibling of heap-dialects' test server, which that module does not export. Without the binaries
 * the calling test is skipped, saying why; under {@code CI=true} it fails instead.
 */
final class LocalPostgres implements AutoCloseable {
  private static final long TIMEOUT_SECONDS = 60;

  private final Path dir;
  private final Path bin;
  private final List<String> asServerUser;
  private final int port;

  private LocalPostgres(Path dir, Path bin, List<String> asServerUser, int port) {
    this.dir = dir;
    this.bin = bin;
    this.asServerUser = asServerUser;
    this.port = port;
  }

  static LocalPostgres start() throws IOException, InterruptedException {
    String explicit = System.getenv("HEAP_PG_BIN");
    Path bin = Path.of(explicit != null && !explicit.isBlank() ? explicit : "/usr/lib/postgresql/15/bin");
    if (!Files.isExecutable(bin.resolve("initdb")) || !Files.isExecutable(bin.resolve("pg_ctl"))) {
      String why = "no PostgreSQL server binaries in " + bin + " (install postgresql-15, or set HEAP_PG_BIN)";
      if ("true".equals(System.getenv("CI"))) {
        throw new IllegalStateException(why);
      }
      Assumptions.abort(why);
    }
    boolean root = "root".equals(System.getProperty("user.name"));
    List<String> prefix = root ? List.of("runuser", "-u", "postgres", "--") : List.of();
    Path dir = Files.createTempDirectory("heap-cli-postgres-");
    if (root) {
      run(List.of("chown", "postgres:postgres", dir.toString()));
    }
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    LocalPostgres server = new LocalPostgres(dir, bin, prefix, port);
    server.ctl(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-A", "trust", "-U", "postgres", "-E", "UTF8",
        "--locale=C", "--no-sync");
    server.ctl(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l", dir.resolve("server.log").toString(), "-w",
        "-t", String.valueOf(TIMEOUT_SECONDS),
        "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off", "start");
    return server;
  }

  int port() {
    return port;
  }

  /** The JDBC URL of {@code database} on this server. */
  String url(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=postgres";
  }

  /** Creates an empty database and returns its URL. */
  String newDatabase(String name) throws SQLException {
    try (Connection c = DriverManager.getConnection(url("postgres"));
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    return url(name);
  }

  /**
   * Creates a login role that must give its password over TCP (SCRAM, as managed PostgreSQL services
   * ask), owning a new database {@code database}; every other role still logs in without one. Returns
   * that database's URL without the password.
   */
  String passwordUser(String role, String password, String database) throws Exception {
    try (Connection c = DriverManager.getConnection(url("postgres"));
        Statement s = c.createStatement()) {
      s.execute("SET password_encryption = 'scram-sha-256'");
      s.execute("CREATE ROLE " + role + " LOGIN PASSWORD '" + password + "'");
      s.execute("CREATE DATABASE " + database + " OWNER " + role);
    }
    Path hba = dir.resolve("data").resolve("pg_hba.conf");
    // the first matching line wins: this role's, before initdb's trust for everyone
    Files.writeString(hba, "host all " + role + " 127.0.0.1/32 scram-sha-256\n" + Files.readString(hba));
    ctl(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "reload");
    String url = "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=" + role;
    // the server reads the file again when it gets the signal, a moment after pg_ctl returns
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
    while (true) {
      try (Connection c = DriverManager.getConnection(url)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the server still lets " + role + " in without a password");
        }
        Thread.sleep(100);
      } catch (SQLException refused) {
        return url;
      }
    }
  }

  @Override
  public void close() throws IOException, InterruptedException {
    try {
      ctl(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop");
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private void ctl(String... command) throws IOException, InterruptedException {
    List<String> all = new ArrayList<>(asServerUser);
    all.addAll(List.of(command));
    run(all);
  }

  private static void run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException(String.join(" ", command) + " failed: " + out.strip());
    }
  }
}
