package io.heapsdk.cli;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * The page cache of an H2 file database the CLI opens. H2 2.5 keeps at most 16 MB of a file database's
 * pages in memory unless the database was given a {@code CACHE_SIZE} (its documentation says 64 MB per GB
 * of heap; its {@code FileStore} defaults to 16 MB). A build reads sources and facts many times that size
 * again and again: on a 60,000-user sample 7% of page reads hit the cache, and every miss read and decoded
 * the page from the file again. So a database without a cache size of its own gets a quarter of the
 * JVM's heap here: incremental runs a quarter to a third faster, full builds about 7% (BENCHMARKS.md,
 * "H2 file databases: the page cache").
 *
 * <p>H2 stores {@code SET CACHE_SIZE} in the database, so the size stays with the file. A size the user
 * gave (in the URL, {@code ;CACHE_SIZE=...}, or set in the database before) is left alone, as is an H2
 * server's database (its cache is the server's memory) and one the user may not change (no admin rights):
 * those run as H2 sets them. Host applications that hand the runner a connection keep theirs: only the
 * CLI does this.
 */
public final class H2FileCache {
  /** H2's own cache size for a file database, in KB: what is left when a quarter of the heap is less. */
  static final long H2_DEFAULT_KB = 16 * 1024;

  private H2FileCache() {}

  /**
   * Gives the H2 database behind {@code connection} (opened with {@code url}) a quarter of this JVM's
   * heap as its page cache when it is an embedded file database with no cache size of its own. Returns
   * the size set, in KB, or 0 when the database was left as it was.
   */
  public static long size(Connection connection, String url) {
    if (!embeddedFile(url)) {
      return 0;
    }
    long kb = Math.max(H2_DEFAULT_KB, Runtime.getRuntime().maxMemory() / 4 / 1024);
    try (Statement s = connection.createStatement()) {
      // a row here means a size was set: in the URL (H2 runs it as SET on connecting) or earlier
      try (ResultSet own =
          s.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'CACHE_SIZE'")) {
        if (own.next() && own.getLong(1) > 0) {
          return 0;
        }
      }
      s.execute("SET CACHE_SIZE " + Math.min(kb, Integer.MAX_VALUE));
      return kb;
    } catch (SQLException e) {
      // not an admin of this database, or a read-only one: it runs with H2's cache, as it would anyway
      return 0;
    }
  }

  /**
   * Whether {@code url} opens an H2 database stored in files by this process: not {@code mem:}, not a
   * server's ({@code tcp:}, {@code ssl:}), not a read-only {@code zip:} archive.
   */
  static boolean embeddedFile(String url) {
    String lower = url.toLowerCase(Locale.ROOT);
    if (!lower.startsWith("jdbc:h2:")) {
      return false;
    }
    String rest = lower.substring("jdbc:h2:".length());
    return !(rest.startsWith("mem:") || rest.startsWith("tcp:") || rest.startsWith("ssl:") || rest.startsWith("zip:"));
  }
}
