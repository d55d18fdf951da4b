package io.heapsdk.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A throwaway PostgreSQL server for the tests: the machine's server binaries (Debian's
 * {@code /usr/lib/postgresql/<version>/bin}) run {@code initdb} and {@code pg_ctl} once per JVM in a
 * temporary directory, listening on a free loopback port with trust authentication; a shutdown hook
 * stops the server and deletes the directory. Each test gets a database of its own. The cluster is
 * UTF-8 with ctype {@code C.UTF-8} (what the README asks of a PostgreSQL database), collation {@code C}.
 *
 * <p>When the binaries cannot be found or the server cannot start, {@link #get()} skips the calling
 * test with the reason (and prints it); under {@code CI=true} that is a failure instead, since
 * {@code .ci/run} installs the server. As root, the server runs as the {@code postgres} user, because
 * {@code initdb} refuses to run as root. Thread-safe.
 */
public final class PostgresServer {
  /** PostgreSQL 15 brought MERGE, which the incremental apply needs. */
  private static final int MIN_VERSION = 15;

  private static final Path DEBIAN_ROOT = Path.of("/usr/lib/postgresql");
  private static final long TIMEOUT_SECONDS = 60;

  private static Optional<PostgresServer> server;
  private static String unavailable;

  private final int port;
  private final Path bin;
  private final AtomicInteger databases = new AtomicInteger();

  private PostgresServer(int port, Path bin) {
    this.port = port;
    this.bin = bin;
  }

  /** The running server, started on first use; skips the test (fails it in CI) when there is none. */
  public static synchronized PostgresServer get() {
    if (server == null) {
      try {
        server = Optional.of(start());
      } catch (Unavailable e) {
        server = Optional.empty();
        unavailable = e.getMessage();
        System.err.println("PostgreSQL tests skipped: " + unavailable);
      }
    }
    if (server.isEmpty()) {
      if ("true".equals(System.getenv("CI"))) {
        throw new IllegalStateException("no PostgreSQL server in CI (.ci/run installs one): " + unavailable);
      }
      Assumptions.abort("no PostgreSQL server: " + unavailable);
    }
    return server.get();
  }

  /** A connection to a new, empty database of its own, named {@code <prefix>_<n>}. */
  public Connection newDatabase(String prefix) {
    String name = prefix + "_" + databases.incrementAndGet();
    try (Connection admin = connect("postgres");
        Statement s = admin.createStatement()) {
      s.execute("CREATE DATABASE \"" + name + "\"");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + name, e);
    }
    try {
      return connect(name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot connect to database " + name, e);
    }
  }

  /** What psql printed (standard output and error together) and its exit code. */
  public record Psql(int exitCode, String output) {}

  /**
   * Runs {@code script} with the server's own {@code psql} on {@code database}, as a user runs a
   * compiled script: {@code psql -X -v ON_ERROR_STOP=1 -f <file>}, which stops at the first error
   * (exit code 3) with any open transaction rolled back.
   */
  public Psql psql(String database, String script) {
    try {
      Path file = Files.createTempFile("heap-script-", ".sql");
      try {
        Files.writeString(file, script);
        Process p =
            new ProcessBuilder(
                    bin.resolve("psql").toString(), "-X", "-q", "-h", "127.0.0.1", "-p", String.valueOf(port), "-U", "postgres",
                    "-d", database, "-v", "ON_ERROR_STOP=1", "-f", file.toString())
                .redirectErrorStream(true)
                .start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new IllegalStateException("psql did not finish in " + TIMEOUT_SECONDS + " s");
        }
        return new Psql(p.exitValue(), out);
      } finally {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while psql ran", e);
    }
  }

  private Connection connect(String database) throws SQLException {
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=postgres");
  }

  /** The binaries, a data directory, a port: the server is running when this returns. */
  private static PostgresServer start() throws Unavailable {
    Path bin = binaries();
    boolean root = "root".equals(System.getProperty("user.name"));
    List<String> asServerUser = root ? serverUserPrefix() : List.of();
    Path dir;
    try {
      dir = Files.createTempDirectory("heap-postgres-");
      if (root) {
        run(List.of("chown", "postgres:postgres", dir.toString()), "chown");
      }
    } catch (IOException e) {
      throw new Unavailable("cannot make a data directory: " + e.getMessage());
    }
    Path data = dir.resolve("data");
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(bin, asServerUser, dir), "postgres-stop"));
    run(
        concat(
            asServerUser,
            bin.resolve("initdb").toString(), "-D", data.toString(), "-A", "trust", "-U", "postgres",
            // UTF-8 text; byte-order collation (the same order as DuckDB's, and independent of the
            // machine's locales), but a Unicode-aware ctype: with ctype C, LOWER() and UPPER() change
            // only ASCII letters, and a channel rule would not match 'ПОИСК' against 'поиск'
            "-E", "UTF8", "--locale=C", "--lc-ctype=C.UTF-8", "--no-sync"),
        "initdb");
    String lastFailure = "";
    // a free port can be taken between our probe and the server's bind: try a few
    for (int attempt = 0; attempt < 3; attempt++) {
      int port = freePort();
      try {
        run(
            concat(
                asServerUser,
                bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("server.log").toString(),
                "-w", "-t", String.valueOf(TIMEOUT_SECONDS),
                // a throwaway server: durability off, sockets in our own directory, loopback only
                "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off"
                    + " -c synchronous_commit=off -c full_page_writes=off",
                "start"),
            "pg_ctl start");
        return new PostgresServer(port, bin);
      } catch (Unavailable e) {
        lastFailure = e.getMessage() + "\n" + tail(dir.resolve("server.log"));
      }
    }
    throw new Unavailable(lastFailure);
  }

  /**
   * {@code $HEAP_PG_BIN}, else the newest {@code /usr/lib/postgresql/<version>/bin} holding
   * {@code initdb} and {@code pg_ctl}; it must be version 15 or later.
   */
  private static Path binaries() throws Unavailable {
    String explicit = System.getenv("HEAP_PG_BIN");
    if (explicit != null && !explicit.isBlank()) {
      Path bin = Path.of(explicit);
      if (!hasServer(bin)) {
        throw new Unavailable("HEAP_PG_BIN=" + explicit + " holds no initdb and pg_ctl");
      }
      return bin;
    }
    if (!Files.isDirectory(DEBIAN_ROOT)) {
      throw new Unavailable(
          "no server binaries: " + DEBIAN_ROOT + " does not exist (install postgresql-15, or set HEAP_PG_BIN)");
    }
    List<Path> versions;
    try (Stream<Path> dirs = Files.list(DEBIAN_ROOT)) {
      versions =
          dirs.filter(d -> d.getFileName().toString().matches("\\d+"))
              .filter(d -> hasServer(d.resolve("bin")))
              .sorted(Comparator.comparingInt((Path d) -> Integer.parseInt(d.getFileName().toString())).reversed())
              .toList();
    } catch (IOException e) {
      throw new Unavailable("cannot list " + DEBIAN_ROOT + ": " + e.getMessage());
    }
    if (versions.isEmpty()) {
      throw new Unavailable("no initdb and pg_ctl under " + DEBIAN_ROOT + "/<version>/bin (install postgresql-15)");
    }
    Path newest = versions.get(0);
    if (Integer.parseInt(newest.getFileName().toString()) < MIN_VERSION) {
      throw new Unavailable("PostgreSQL " + newest.getFileName() + " found; " + MIN_VERSION + " or later is needed for MERGE");
    }
    return newest.resolve("bin");
  }

  private static boolean hasServer(Path bin) {
    return Files.isExecutable(bin.resolve("initdb")) && Files.isExecutable(bin.resolve("pg_ctl"));
  }

  /** How root runs a command as {@code postgres}: {@code runuser} (util-linux), else {@code su}. */
  private static List<String> serverUserPrefix() throws Unavailable {
    try {
      run(List.of("id", "postgres"), "id postgres");
    } catch (Unavailable e) {
      throw new Unavailable("running as root and there is no postgres user to run the server as");
    }
    for (String dir : List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin")) {
      if (Files.isExecutable(Path.of(dir, "runuser"))) {
        return List.of(dir + "/runuser", "-u", "postgres", "--");
      }
    }
    throw new Unavailable("running as root and runuser is missing: cannot run the server as postgres");
  }

  private static void stop(Path bin, List<String> asServerUser, Path dir) {
    try {
      run(concat(asServerUser, bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop"), "pg_ctl stop");
    } catch (Unavailable e) {
      // never started, or already gone: nothing to stop
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      System.err.println("could not delete " + dir + ": " + e.getMessage());
    }
  }

  private static void run(List<String> command, String what) throws Unavailable {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new Unavailable(what + " did not finish in " + TIMEOUT_SECONDS + " s");
      }
      if (p.exitValue() != 0) {
        throw new Unavailable(what + " failed (exit " + p.exitValue() + "): " + new String(out, StandardCharsets.UTF_8).strip());
      }
    } catch (IOException e) {
      throw new Unavailable(what + " could not run: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Unavailable(what + " was interrupted");
    }
  }

  private static int freePort() throws Unavailable {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new Unavailable("no free loopback port: " + e.getMessage());
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
    } catch (IOException e) {
      return "(no server log)";
    }
  }

  private static List<String> concat(List<String> prefix, String... rest) {
    List<String> all = new ArrayList<>(prefix);
    all.addAll(List.of(rest));
    return all;
  }

  /** Why there is no server; becomes the skip message. */
  private static final class Unavailable extends Exception {
    private static final long serialVersionUID = 1L;

    Unavailable(String message) {
      super(message);
    }
  }
}
