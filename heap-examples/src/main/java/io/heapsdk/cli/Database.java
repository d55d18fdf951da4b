package io.heapsdk.cli;

import io.heapsdk.HeapException;
import io.heapsdk.config.HeapConfig;
import io.heapsdk.config.UserText;
import io.heapsdk.run.HeapRunException;
import io.heapsdk.run.JdbcRunner;
import io.heapsdk.run.TableLookup;
import io.heapsdk.source.SourceCatalog;
import io.heapsdk.source.SourceTable;
import io.heapsdk.internal.NearestNames;
import io.heapsdk.warehouse.TableName;
import io.heapsdk.warehouse.Warehouse;
import io.heapsdk.warehouse.Warehouses;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.h2.api.ErrorCode;

/**
 * A database the CLI runs on, named by a JDBC URL; its warehouse is inferred from the URL. The CLI ships
 * the drivers of three engines: H2 ({@code jdbc:h2:}), DuckDB ({@code jdbc:duckdb:}) and PostgreSQL
 * ({@code jdbc:postgresql:}).
 */
final class Database implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Database.class);

  /** The URL prefixes heap runs on, as the error about any other URL lists them. */
  static final String ACCEPTED = "jdbc:h2:..., jdbc:duckdb:... (jdbc:duckdb: alone is in memory) or jdbc:postgresql://host:port/database";

  private final Warehouse warehouse;
  private final Connection connection;
  private final String url;

  private Database(Warehouse warehouse, Connection connection, String url) {
    this.warehouse = warehouse;
    this.connection = connection;
    this.url = url;
  }

  /**
   * A secret's value in a JDBC URL: PostgreSQL's {@code password=} and {@code sslpassword=}, H2's
   * {@code ;PASSWORD=}, DuckDB's {@code ;motherduck_token=} or {@code ;s3_secret_access_key=}, and the
   * like: any setting whose name says password, pwd, secret or token. The URL is where the CLI takes a
   * password from, and its messages end up in schedulers' and CI logs.
   */
  private static final Pattern SECRET_SETTING =
      Pattern.compile("(?i)([?&;]\\s*[\\w.-]*(?:password|passwd|pwd|secret|token)[\\w.-]*\\s*=)[^&;]*");

  /** A password in the URL's authority: {@code //user:password@host}. */
  private static final Pattern SECRET_AUTHORITY = Pattern.compile("(//[^/?;@:]*:)[^/?;@]*@");

  /**
   * {@code url} as every message of the CLI shows it: with the values of its secrets (see {@link
   * #SECRET_SETTING}) replaced by {@code ***}, so a wrong path or a refused login never prints the
   * password back.
   */
  static String shown(String url) {
    String masked = SECRET_SETTING.matcher(url).replaceAll("$1***");
    return SECRET_AUTHORITY.matcher(masked).replaceAll("$1***@");
  }

  /** From this length on a secret is masked wherever it appears; a shorter one only where it stands alone. */
  private static final int LONG_SECRET = 8;

  /**
   * {@code text} (a stack trace, say) with every secret of {@code url} replaced by {@code ***}: the
   * values {@link #shown} masks, as written and percent-decoded. A driver's own messages repeat parts of
   * the URL {@link #shown} never sees: PostgreSQL's read {@code //analyst:pw@host} as a host named
   * {@code analyst:pw@host}, and {@code --verbose} printed it.
   */
  static String masked(String text, String url) {
    List<String> secrets = new ArrayList<>();
    Matcher setting = SECRET_SETTING.matcher(url);
    while (setting.find()) {
      secrets.add(url.substring(setting.end(1), setting.end()));
    }
    Matcher authority = SECRET_AUTHORITY.matcher(url);
    while (authority.find()) {
      secrets.add(url.substring(authority.end(1), authority.end() - 1));
    }
    String result = text;
    for (String secret : secrets) {
      for (String form : List.of(secret, percentDecoded(secret))) {
        if (form.isBlank()) {
          continue;
        }
        // a short secret is found by chance inside the message's words (a password "a" turned every
        // "a" of a trace into "***", and the message could not be read): masked where it stands alone,
        // between characters that are not letters or digits, as a driver prints it (":a@", "=a;")
        result = form.length() >= LONG_SECRET ? result.replace(form, "***")
            : Pattern.compile("(?<![\\p{L}\\p{N}])" + Pattern.quote(form) + "(?![\\p{L}\\p{N}])").matcher(result).replaceAll("***");
      }
    }
    return result;
  }

  /** {@code %xx} sequences as the UTF-8 bytes they spell; a {@code +} stays a {@code +} (not a space). */
  static String percentDecoded(String text) {
    try {
      return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return text;
    }
  }

  /** The user and password of a URL's authority, {@code jdbc:postgresql://user:password@host/db}. */
  private static final Pattern USER_INFO = Pattern.compile("(?i)^(jdbc:postgresql://)([^/?@]*)@");

  /**
   * {@code url} without its {@code user:password@}, which go into {@code settings} (percent-decoded) as
   * libpq's URIs and every PostgreSQL client library take them. PostgreSQL's JDBC driver does not read
   * them there: it took {@code analyst:pw@127.0.0.1} for a host name, failed with "is the server
   * running there?", and its error, printed by {@code --verbose}, held the password.
   */
  static String withoutUserInfo(String url, Properties settings) {
    Matcher m = USER_INFO.matcher(url);
    if (!m.find()) {
      return url;
    }
    String info = m.group(2);
    int colon = info.indexOf(':');
    String user = colon < 0 ? info : info.substring(0, colon);
    if (!user.isEmpty()) {
      settings.setProperty("user", percentDecoded(user));
    }
    if (colon >= 0) {
      settings.setProperty("password", percentDecoded(info.substring(colon + 1)));
    }
    return m.group(1) + url.substring(m.end());
  }

  /** Opens the database, creating it when it does not exist: for {@code heap sample} and the demo. */
  static Database open(String url) {
    return open(url, false, null, "");
  }

  /**
   * Opens a database that must exist already: {@code run}, {@code funnel}, {@code attribution},
   * {@code test} and later sample batches read Heap's tables from it (run writes its models next to
   * them), so a mistyped path is an error, not a new empty database file. H2 creates a file database
   * on first connection unless told {@code IFEXISTS=TRUE}, DuckDB always does, so its file is looked for
   * first; PostgreSQL never creates one. An in-memory one is always new, and is caught by {@link
   * #requireHeapTables} instead.
   */
  static Database openExisting(String url, HeapConfig config) {
    return open(url, true, null, AnalysisOptions.configArgument(config));
  }

  /**
   * As {@link #openExisting(String)}, waiting up to {@code wait} while another process has the DuckDB
   * file open: DuckDB lets one process at a time open a file for writing, so a second {@code heap run}
   * on it waits here rather than on the run lock. {@code wait} is {@code heap run}'s {@code --wait}, 0
   * when not given; the other commands cannot wait, and their message does not suggest it.
   */
  static Database openExisting(String url, Duration wait, HeapConfig config) {
    return open(url, true, wait, AnalysisOptions.configArgument(config));
  }

  /** {@code configArgument}: the {@code --config} of the {@code heap sample} a missing database's message suggests. */
  private static Database open(String url, boolean mustExist, Duration wait, String configArgument) {
    Warehouse warehouse = warehouseOf(url);
    Properties settings = new Properties();
    String lower = url.toLowerCase(Locale.ROOT);
    if (warehouse == Warehouses.H2) {
      // a setting in the URL too would make H2 refuse the duplicate: the user's own IFEXISTS wins
      if (mustExist && !lower.startsWith("jdbc:h2:mem:") && !lower.contains(";ifexists=")) {
        settings.setProperty("IFEXISTS", "TRUE");
      }
      // H2's own shutdown hook would close an embedded database on Ctrl-C at the same moment as heap's
      // (Interrupts) asks the run to roll back and release its lock on it: heap closes it itself, after.
      // H2 refuses the setting with AUTO_SERVER=TRUE, and a server's databases are not this process's.
      String compact = lower.replace(" ", "");
      if (!compact.startsWith("jdbc:h2:tcp:")
          && !compact.startsWith("jdbc:h2:ssl:")
          && !compact.contains(";auto_server=true")
          && !compact.contains(";db_close_on_exit=")) {
        settings.setProperty("DB_CLOSE_ON_EXIT", "FALSE");
      }
    }
    if (warehouse == Warehouses.DUCKDB) {
      DuckDbLibraryCopies.warnOfStrayCopies();
    }
    if (warehouse == Warehouses.DUCKDB && !mustExist) {
      // a file name DuckDB would take as written (settings after "?") is refused before it is created
      duckDbFile(url);
    } else if (warehouse == Warehouses.DUCKDB) {
      duckDbFile(url).filter(f -> !Files.exists(f)).ifPresent(f -> {
        throw new HeapException(
            "no database at " + shown(url) + " (DuckDB file " + f + " does not exist); check the path, or create it with Heap's"
                + " tables: heap sample " + configArgument + "--jdbc " + AnalysisOptions.shellWord(shown(url)) + " --users N");
      });
    }
    if (!mustExist) {
      files(url).stream().findFirst().filter(f -> !Files.exists(f)).ifPresent(f -> requireCreatable(url, f));
    }
    String connectTo = warehouse == Warehouses.POSTGRES ? withoutUserInfo(url, settings) : url;
    long deadline = System.nanoTime() + (wait == null ? 0 : wait.toNanos());
    boolean said = false;
    while (true) {
      try {
        Connection connection = DriverManager.getConnection(connectTo, settings);
        if (warehouse == Warehouses.DUCKDB) {
          DuckDbLibraryCopies.unlinkOwnCopy();
        }
        if (warehouse == Warehouses.H2) {
          H2FileCache.size(connection, url);
        } else if (warehouse == Warehouses.POSTGRES) {
          checkClientWhileRunning(connection);
        }
        return new Database(warehouse, connection, url);
      } catch (SQLException e) {
        if (warehouse == Warehouses.DUCKDB) {
          // the driver loaded its library all the same: a heap that waits here for another's file (--wait),
          // then killed, must not leave its copy either
          DuckDbLibraryCopies.unlinkOwnCopy();
        }
        String inUse =
            warehouse == Warehouses.DUCKDB ? duckDbLockHolder(e) : warehouse == Warehouses.H2 ? h2FileHolder(e) : null;
        if (inUse != null && System.nanoTime() < deadline) {
          if (!said) {
            // the wait can be long (--wait): say what it is for, once, as the run lock's wait does
            LOG.info("{} is open in another process ({}): waiting up to {} s for it to close it", shown(url), inUse, wait.toSeconds());
            said = true;
          }
          sleep();
          continue;
        }
        throw openFailure(url, warehouse, e, inUse == null ? null : new Busy(inUse, wait), configArgument);
      }
    }
  }

  /**
   * Has PostgreSQL (14 and later) check every few seconds, while a statement runs, that heap is still
   * connected ({@code client_connection_check_interval}; 0, never, by default). A process killed outright
   * ({@code kill -9}, a lost machine) cannot cancel its statement as Ctrl-C does; without the check the
   * server runs it to its end, waiting on locks as long as they take, and commits it (a {@code CREATE TABLE
   * … AS}) after the next run has cleaned up. Left alone where the URL or the server already sets it, and
   * where the server does not know it or the platform lacks the check (the server refuses the value).
   */
  private static void checkClientWhileRunning(Connection connection) {
    try (java.sql.Statement s = connection.createStatement()) {
      String current;
      try (java.sql.ResultSet rs = s.executeQuery("SELECT current_setting('client_connection_check_interval', true)")) {
        current = rs.next() ? rs.getString(1) : null;
      }
      if ("0".equals(current)) {
        s.execute("SET client_connection_check_interval = '2s'");
      }
    } catch (SQLException e) {
      // an older server, or one that cannot check: statements then run on after a kill, as before
    }
  }

  /** Who has the file, and how long the command waited for it ({@code null}: a command that cannot wait). */
  private record Busy(String holder, Duration waited) {
    /** What to do: wait with {@code heap run --wait}, or, for the commands without it, run it again later. */
    String advice() {
      if (waited == null) {
        return "run the command again once it has finished";
      }
      if (waited.isZero()) {
        return "wait for it to finish (heap run --wait SECONDS waits)";
      }
      return "waited " + waited.toSeconds() + " s for it to finish (a longer --wait waits longer)";
    }
  }

  private static RuntimeException openFailure(String realUrl, Warehouse warehouse, SQLException e, Busy busyWith, String configArgument) {
    String url = shown(realUrl);
    if (String.valueOf(e.getMessage()).startsWith("No suitable driver")) {
      // heap.jar names the drivers in its manifest (Class-Path: lib/...): heap.jar was copied without lib/
      return new HeapException(
          "no " + (warehouse == Warehouses.DUCKDB ? "DuckDB" : warehouse == Warehouses.POSTGRES ? "PostgreSQL" : "H2")
              + " driver to open " + url + ": heap.jar loads the DuckDB and PostgreSQL drivers from the lib/ folder next to it;"
              + " keep lib/ beside heap.jar when you copy it",
          e);
    }
    if (warehouse == Warehouses.H2 && e.getErrorCode() == ErrorCode.DATABASE_NOT_FOUND_WITH_IF_EXISTS_1) {
      return new HeapException(
          "no database at " + url + " (" + missingFile(e) + "); check the path, or create it with Heap's tables: heap sample "
              + configArgument + "--jdbc " + AnalysisOptions.shellWord(url) + " --users N",
          e);
    }
    if (busyWith != null) {
      // exit 1 as for a run lock held by another run: the database is busy, the command was right
      HeapRunException busy =
          HeapRunException.ofRun(
              warehouse == Warehouses.H2
                  ? "cannot open " + url + ": another process has the H2 file " + busyWith.holder() + " open, and H2 lets one"
                      + " process at a time open a file (several, with ;AUTO_SERVER=TRUE in every URL); " + busyWith.advice()
                  : "cannot open " + url + ": another process (" + busyWith.holder() + ") has the DuckDB file "
                      + duckDbFile(realUrl).map(Path::toString).orElse("")
                      + " open, and DuckDB lets one process at a time write to a file; " + busyWith.advice());
      busy.addSuppressed(e);
      return busy;
    }
    if (warehouse == Warehouses.POSTGRES) {
      if (String.valueOf(e.getMessage()).startsWith("Unable to parse URL")) {
        // the driver's words repeated the whole URL, password and all, and said nothing of what it could not read
        return new HeapException(
            "cannot open " + url + ": the PostgreSQL driver cannot read this URL; it reads"
                + " jdbc:postgresql://host:port/database?user=NAME, the port a number from 1 to 65535",
            e);
      }
      String server = postgresServer(url);
      if ("3D000".equals(e.getSQLState())) {
        return new HeapException(
            "no database " + server + " (" + url + "); check the database name, or create it first (createdb)", e);
      }
      if (e.getSQLState() != null && e.getSQLState().startsWith("08")) {
        // 08001: no connection at all (refused, unknown host, timed out), where the server may not be
        // running; any other 08 (08004, a login the server rejected) means it answered
        boolean noAnswer = "08001".equals(e.getSQLState());
        return new HeapException(
            "cannot connect to PostgreSQL " + server + " (" + url + "): " + masked(firstLine(e.getMessage()), realUrl)
                .replaceFirst("\\.?\\s*Check that the hostname and port are correct.*$", "").replaceFirst("\\.$", "")
                + (noAnswer ? "; is the server running there?" : ""),
            e);
      }
    }
    if (warehouse == Warehouses.DUCKDB
        && String.valueOf(e.getMessage()).contains("Permission denied")
        && !realUrl.toLowerCase(Locale.ROOT).contains("access_mode")) {
      // DuckDB opens a file for writing unless told otherwise, even to read it
      return new HeapException(
          "cannot open " + url + ": " + masked(firstLine(e.getMessage()), realUrl) + "; to read a file you may not write (heap status, funnel,"
              + " attribution, retention, paths and test only read), add ;access_mode=READ_ONLY to the URL",
          e);
    }
    if (warehouse == Warehouses.H2 && e.getErrorCode() == ErrorCode.CONNECTION_BROKEN_1) {
      // H2's own words named a Java class: Connection is broken: "java.net.ConnectException: …"
      return new HeapException("cannot connect to the H2 server of " + url + ": " + h2Cause(e) + "; is the server running there?", e);
    }
    boolean h2File = warehouse == Warehouses.H2 && !realUrl.toLowerCase(Locale.ROOT).startsWith("jdbc:h2:mem:");
    if (h2File && (e.getErrorCode() == ErrorCode.FILE_CORRUPTED_1 || e.getErrorCode() == ErrorCode.IO_EXCEPTION_1)) {
      // "IO Exception: "/path/junk.mv.db"" alone did not say the file is not a database H2 can read
      return new HeapException(
          "cannot open " + url + ": H2 could not read the file as a database (not an H2 file, a damaged one, or one it may not"
              + " read; H2 error " + e.getErrorCode() + ", its details with --verbose)",
          e);
    }
    // a driver's message may repeat the URL as written, its secrets too
    return new HeapException("cannot open " + url + ": " + masked(firstLine(e.getMessage()), realUrl), e);
  }

  /** The innermost cause's message of an H2 error (a socket's "Connection refused"), or H2's own first line. */
  private static String h2Cause(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? firstLine(e.getMessage()) : firstLine(root.getMessage());
  }

  private static void sleep() {
    try {
      Thread.sleep(200);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      throw new HeapException("interrupted while waiting for the database", interrupted);
    }
  }

  /** "H2 file /abs/path.mv.db does not exist", from H2's message naming the database's path. */
  private static String missingFile(SQLException e) {
    Matcher m = Pattern.compile("Database \"([^\"]+)\" not found").matcher(String.valueOf(e.getMessage()));
    return m.find() ? "H2 file " + m.group(1) + ".mv.db does not exist" : "H2 found no database file there";
  }

  /** A {@code ?key=value} after a DuckDB URL's file name, as other drivers take settings: DuckDB's take {@code ;}. */
  private static final Pattern DUCKDB_QUERY_SETTING = Pattern.compile("\\?[A-Za-z_][A-Za-z0-9_]*=");

  /**
   * The file of a DuckDB URL, absolute, or empty for an in-memory database ({@code jdbc:duckdb:},
   * {@code jdbc:duckdb::memory:...}) and for MotherDuck's {@code md:}. DuckDB reads settings after a
   * {@code ;} in the URL, and resolves a relative path against the working directory, as this does. A
   * {@code ?key=} after the file's name is refused ({@link #DUCKDB_QUERY_SETTING}).
   */
  static Optional<Path> duckDbFile(String url) {
    String name = url.substring(DUCKDB.length());
    int settings = name.indexOf(';');
    name = (settings < 0 ? name : name.substring(0, settings)).strip();
    if (name.isEmpty() || name.startsWith(":memory:") || name.startsWith("md:") || name.startsWith("motherduck:")) {
      // MotherDuck's own form takes "?motherduck_token=" (and is no file here)
      return Optional.empty();
    }
    Matcher query = DUCKDB_QUERY_SETTING.matcher(name);
    if (query.find()) {
      // the driver takes "?" as part of the file name: heap sample created "heap.duckdb?access_mode=READ_ONLY",
      // and the other commands said that file did not exist (a probe of daily runs). Said with the URL's
      // secrets masked (an s3_secret_access_key, a token), and the settings after ";" kept in the URL to write
      String shown = shown(url).substring(DUCKDB.length());
      Matcher inShown = DUCKDB_QUERY_SETTING.matcher(shown);
      int at = inShown.find() ? inShown.start() : shown.indexOf('?');
      int rest = shown.indexOf(';', at);
      String written = shown.substring(0, at) + ";" + (rest < 0 ? shown.substring(at + 1) : shown.substring(at + 1, rest)).replace('&', ';')
          + (rest < 0 ? "" : shown.substring(rest));
      throw new HeapException(
          "no database at " + shown(url) + ": DuckDB reads settings after ';', not '?' (its driver would open a file named \""
              + (rest < 0 ? shown : shown.substring(0, rest)) + "\"); write jdbc:duckdb:" + written
              + " (a file whose name holds '?' and '=' cannot be opened through heap: rename it)");
    }
    try {
      return Optional.of(Path.of(name).toAbsolutePath().normalize());
    } catch (InvalidPathException e) {
      throw new HeapException("no database at " + shown(url) + ": \"" + name + "\" is not a file name (" + e.getReason() + ")", e);
    }
  }

  /**
   * The files a file database's URL stands for, absolute: DuckDB's file and its {@code .wal}; H2's
   * {@code .mv.db}, {@code .trace.db} and {@code .lock.db} beside the URL's path ({@code jdbc:h2:./db},
   * {@code jdbc:h2:file:~/db}). None for in-memory and server URLs, which hold no file here.
   */
  private static final Pattern H2_FILE_SYSTEM = Pattern.compile("(?i)(file|nio|nioMapped|async|retry|split(:\\d+)?):");

  static List<Path> files(String url) {
    String lower = url.toLowerCase(Locale.ROOT);
    try {
      if (lower.startsWith(DUCKDB)) {
        return duckDbFile(url).map(f -> List.of(f, Path.of(f + ".wal"))).orElse(List.of());
      }
      if (!lower.startsWith(H2)) {
        return List.of();
      }
      String name = url.substring(H2.length());
      int settings = name.indexOf(';');
      name = (settings < 0 ? name : name.substring(0, settings)).strip();
      // a server's, an in-memory or a zipped database is no file here; H2's file-system prefixes
      // (file:, nio:, nioMapped:, async:, retry:, split: with its optional size) name a local file
      if (name.isEmpty() || name.matches("(?i)^(mem|memFS|memLZF|tcp|ssl|zip):.*")) {
        return List.of();
      }
      for (Matcher prefix = H2_FILE_SYSTEM.matcher(name); prefix.lookingAt(); prefix = H2_FILE_SYSTEM.matcher(name)) {
        name = name.substring(prefix.end());
      }
      if (name.startsWith("~")) {
        name = System.getProperty("user.home") + name.substring(1);
      }
      Path base = Path.of(name).toAbsolutePath().normalize();
      return List.of(Path.of(base + ".mv.db"), Path.of(base + ".trace.db"), Path.of(base + ".lock.db"));
    } catch (InvalidPathException | HeapException e) {
      // not a file name: the connection says so
      return List.of();
    }
  }

  private static Path nearestExisting(Path p) {
    while (p != null && !Files.exists(p)) {
      p = p.getParent();
    }
    return p;
  }

  /**
   * A new database file must have a folder heap can make it in: the engines said so with a stack trace
   * (H2) or their own words, and H2 then read as "not an H2 file".
   */
  private static void requireCreatable(String url, Path file) {
    Path there = nearestExisting(file.getParent());
    if (there == null) {
      return;
    }
    if (!Files.isDirectory(there)) {
      throw new HeapException("cannot create the database " + shown(url) + ": " + there + " is a file, where its folder would be");
    }
    if (!Files.isWritable(there)) {
      throw new HeapException("cannot create the database " + shown(url) + ": this user may not write in the folder " + there);
    }
  }

  /**
   * "PID 1234" when DuckDB refused the file because another process holds its lock ("Could not set lock
   * on file ...: Conflicting lock is held in /usr/bin/java (PID 1234) by user ..."), else null.
   */
  private static String duckDbLockHolder(SQLException e) {
    String message = String.valueOf(e.getMessage());
    if (!message.contains("Could not set lock on file")) {
      return null;
    }
    Matcher pid = Pattern.compile("\\(PID (\\d+)\\)").matcher(message);
    return pid.find() ? "PID " + pid.group(1) : "its process id unknown";
  }

  /**
   * The file H2 named when another process has the database open ("Database may be already in use:
   * "/path/db.mv.db". Possible solutions: ..."), else null.
   */
  private static String h2FileHolder(SQLException e) {
    if (e.getErrorCode() != ErrorCode.DATABASE_ALREADY_OPEN_1) {
      return null;
    }
    Matcher file = Pattern.compile("in use: \"([^\"]+)\"").matcher(String.valueOf(e.getMessage()));
    return file.find() ? file.group(1) : "of this database";
  }

  /**
   * "analytics on localhost:5432" from {@code jdbc:postgresql://localhost/analytics?...}, with the
   * driver's defaults (localhost, 5432) for what the URL leaves out.
   */
  static String postgresServer(String url) {
    String rest = url.substring(POSTGRES.length());
    int query = rest.indexOf('?');
    rest = query < 0 ? rest : rest.substring(0, query);
    String hosts = "localhost:5432";
    String database = rest;
    if (rest.startsWith("//")) {
      int slash = rest.indexOf('/', 2);
      hosts = slash < 0 ? rest.substring(2) : rest.substring(2, slash);
      // a login in the URL (user:password@host) is not the host: it read "db on bob:***@localhost:5433"
      hosts = hosts.substring(hosts.lastIndexOf('@') + 1);
      database = slash < 0 ? "" : rest.substring(slash + 1);
      hosts = hosts.isEmpty() ? "localhost:5432" : hosts.contains(":") || hosts.startsWith("[") ? hosts : hosts + ":5432";
    }
    return (database.isEmpty() ? "(the user's default database)" : database) + " on " + hosts;
  }

  private static String firstLine(String text) {
    return text == null ? "no reason given" : text.lines().findFirst().orElse("").strip();
  }

  private static final String H2 = "jdbc:h2:";
  private static final String DUCKDB = "jdbc:duckdb:";
  private static final String POSTGRES = "jdbc:postgresql:";

  static Warehouse warehouseOf(String url) {
    if (url.startsWith(H2)) {
      return Warehouses.H2;
    }
    if (url.startsWith(DUCKDB)) {
      return Warehouses.DUCKDB;
    }
    if (url.startsWith(POSTGRES)) {
      return Warehouses.POSTGRES;
    }
    if (url.isBlank()) {
      // an unset shell variable (--jdbc "$URL"): "unsupported JDBC URL :" read as a typo in a URL
      throw new HeapException("--jdbc is empty: give a JDBC URL; heap runs on " + ACCEPTED);
    }
    throw new HeapException(
        "unsupported JDBC URL " + UserText.visible(shown(url)) + ": heap runs on " + ACCEPTED
            + "; for other warehouses, write the SQL with `heap compile` and run it there");
  }

  /**
   * Stops with a one-line message when none of Heap's source tables is in the config's source schema:
   * a new or wrong database, or a source.schema that names another schema. The tables are looked up as
   * the models read them, with the warehouse's own quoting, so the check works on any database.
   */
  void requireHeapTables(HeapConfig config) {
    // a source.database the server does not have: named by its key, not as Heap tables missing from a schema
    io.heapsdk.run.ConfiguredDatabases.check(warehouse, connection, config);
    for (SourceTable t : config.catalog().tables()) {
      if (exists(warehouse.table(config.sourceDatabase(), config.sourceSchema(), t.physicalName()))) {
        return;
      }
    }
    String schema = config.sourceDatabase().map(d -> d + ".").orElse("") + config.sourceSchema();
    String lower = url().toLowerCase(Locale.ROOT);
    if (lower.startsWith("jdbc:h2:mem:") || (lower.startsWith(DUCKDB) && duckDbFile(url()).isEmpty() && !lower.contains("md:"))) {
      // loading it with heap sample is no way out: each heap command gets a new, empty one
      throw new HeapException(
          "no Heap tables in schema " + schema + " of " + url() + ", an in-memory database, new and empty in each heap command:"
              + " use a file (jdbc:h2:file:./heap-db, jdbc:duckdb:./heap.duckdb), or heap demo, which loads and builds in one process");
    }
    List<String> holding = schemasHolding(config.catalog().table(SourceCatalog.ALL_EVENTS).physicalName());
    if (!holding.isEmpty()) {
      // a mistyped source.schema: where the tables are is what the user needs, not a sample to load
      throw new HeapException(
          "no Heap tables in schema " + schema + " of " + url() + "; " + config.catalog().table(SourceCatalog.ALL_EVENTS).physicalName()
              + " is in schema " + String.join(", ", holding) + NearestNames.didYouMean(config.sourceSchema(), holding)
              + " (source.schema)");
    }
    throw new HeapException(
        "no Heap tables in schema " + schema + " of " + url() + "; load them (heap sample " + AnalysisOptions.configArgument(config) + "--jdbc "
            + AnalysisOptions.shellWord(url()) + " --users N) or set source.schema");
  }

  /**
   * The schemas of this database holding a table named {@code table} (any case), at most five; none where
   * the catalog cannot say.
   */
  private List<String> schemasHolding(String table) {
    java.util.Set<String> schemas = new java.util.TreeSet<>();
    try (java.sql.ResultSet rs = connection.getMetaData().getTables(null, null, null, null)) {
      while (rs.next() && schemas.size() < 5) {
        String name = rs.getString("TABLE_NAME");
        String schema = rs.getString("TABLE_SCHEM");
        if (name != null && schema != null && name.equalsIgnoreCase(table)) {
          schemas.add(schema);
        }
      }
    } catch (SQLException e) {
      return List.of();
    }
    return List.copyOf(schemas);
  }

  /**
   * Refuses a command that writes ({@code heap run}, {@code heap sample}) on a database opened read-only
   * (DuckDB's {@code access_mode=READ_ONLY}, H2's {@code ACCESS_MODE_DATA=r} or a file H2 may only read), a
   * usage mistake (exit 2) said before the first statement: it used to be "the run state failed" with the
   * database's refusal of its first {@code CREATE}, exit 1.
   */
  void requireWritable(String command, String writes) {
    boolean readOnly;
    try {
      readOnly = connection.isReadOnly();
    } catch (SQLException e) {
      return; // the database's own refusal says it then
    }
    if (readOnly) {
      throw new HeapException(
          url() + " is open read-only (the URL asks for it, or the file may not be written): " + command + " writes " + writes
              + " there; open it for writing (heap status, funnel, attribution, retention, paths and test only read)");
    }
    JdbcRunner.readOnlySession(warehouse, connection).ifPresent(why -> {
      throw new HeapException(
          "on " + url() + " " + why + ": " + command + " writes " + writes + " there; connect as a user or to a database"
              + " that may write (heap status, funnel, attribution, retention, paths and test only read)");
    });
  }

  /**
   * Whether {@code table} is there, from the driver's catalog ({@link TableLookup}): a query on a missing
   * table would be an error in the database's log (an H2 file's {@code .trace.db}, PostgreSQL's server log).
   */
  boolean exists(TableName table) {
    try {
      return TableLookup.exists(warehouse, connection, table);
    } catch (SQLException e) {
      throw new HeapException("cannot look up table " + table + " on " + url() + ": " + firstLine(e.getMessage()), e);
    }
  }

  /** The URL as messages show it: its secrets masked ({@link #shown}). */
  String url() {
    return shown(url);
  }

  /** A second connection to the same database (the run's heartbeat); the caller closes it. */
  Connection openAnother() throws SQLException {
    return DriverManager.getConnection(url);
  }

  /**
   * Whether no other process can be using this database while this one has it open: a DuckDB database,
   * in memory or in a file DuckDB has locked for this process, or an H2 database embedded in this
   * process (in memory, or a file H2 has locked for it: not through a server, {@code tcp:} or {@code
   * ssl:}, nor a file shared by {@code AUTO_SERVER=TRUE} or opened without its lock, {@code FILE_LOCK=NO}).
   * Then a run lock found held was left by a run that died ({@code kill -9}, a crash: Ctrl-C lets the run
   * release it, see {@link Interrupts}), and no other process needs a heartbeat to tell.
   */
  boolean exclusive() {
    if (warehouse == Warehouses.DUCKDB) {
      return true;
    }
    if (warehouse != Warehouses.H2) {
      return false;
    }
    String lower = url.toLowerCase(Locale.ROOT).replace(" ", "");
    return !lower.startsWith("jdbc:h2:tcp:")
        && !lower.startsWith("jdbc:h2:ssl:")
        && !lower.contains(";auto_server=true")
        && !lower.contains(";file_lock=no");
  }

  Warehouse warehouse() {
    return warehouse;
  }

  Connection connection() {
    return connection;
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      throw new HeapException("cannot close the connection: " + firstLine(e.getMessage()), e);
    }
  }
}
