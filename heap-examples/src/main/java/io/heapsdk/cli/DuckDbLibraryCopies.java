package io.heapsdk.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The copies of its native library (about 70 MB) that DuckDB's JDBC driver writes into the JVM's
 * temporary directory: one per JVM that loads it, deleted by the driver only when the JVM exits normally.
 * A JVM killed outright ({@code kill -9}, the kernel's OOM killer, a scheduler's hard timeout) leaves its
 * copy behind, and a scheduled {@code heap} killed daily filled a disk with them.
 *
 * <p>So heap deletes its own copy as soon as the driver has loaded it ({@link #unlinkOwnCopy}), where
 * the system allows it (Linux: a loaded library stays mapped after its file is gone, and {@code
 * /proc/self/maps} names the file this JVM loaded, no other); and warns of the copies other JVMs left
 * ({@link #warnOfStrayCopies}), which it does not delete: another user's JVM may be loading one.
 */
final class DuckDbLibraryCopies {
  private static final Logger LOG = LoggerFactory.getLogger(DuckDbLibraryCopies.class);

  /** The names the driver gives its copies ({@code Files.createTempFile("libduckdb_java", ".so")}). */
  private static final Pattern COPY = Pattern.compile("libduckdb_java[0-9]+\\.so");

  private static final AtomicBoolean UNLINKED = new AtomicBoolean();

  private DuckDbLibraryCopies() {}

  /**
   * Deletes the copy of DuckDB's library this JVM loaded, once DuckDB's driver has loaded it (after the
   * first DuckDB connection opened): a {@code heap} killed outright then leaves nothing in the temporary
   * directory. Only on a system with {@code /proc/self/maps} (Linux); elsewhere the copy stays, as before,
   * and {@link #warnOfStrayCopies} speaks of those left. Never stops heap: a copy it cannot delete is
   * left to the driver's own deletion at exit.
   */
  static void unlinkOwnCopy() {
    if (!UNLINKED.compareAndSet(false, true)) {
      return;
    }
    try {
      Path maps = Path.of("/proc/self/maps");
      if (!Files.isReadable(maps)) {
        return;
      }
      ownCopies(Files.readAllLines(maps), Path.of(System.getProperty("java.io.tmpdir"))).forEach(copy -> {
        try {
          Files.deleteIfExists(copy);
          LOG.debug("deleted {}, DuckDB's library as this JVM loaded it: it stays mapped, and a kill -9 leaves no copy", copy);
        } catch (IOException | SecurityException e) {
          LOG.debug("could not delete {}: the driver deletes it as heap exits", copy, e);
        }
      });
    } catch (IOException | RuntimeException e) {
      LOG.debug("could not look for the copy of DuckDB's library this JVM loaded", e);
    }
  }

  /**
   * The files among the mappings {@code maps} (lines of {@code /proc/self/maps}) that are a copy of
   * DuckDB's library in {@code tmp}: each named once, a file the kernel marks deleted left out.
   */
  static List<Path> ownCopies(List<String> maps, Path tmp) throws IOException {
    Path dir = tmp.toRealPath();
    return maps.stream()
        // address, permissions, offset, device, inode, then the path, which may hold spaces
        .map(line -> line.strip().split("\\s+", 6))
        .filter(fields -> fields.length == 6 && fields[5].startsWith("/") && !fields[5].endsWith(" (deleted)"))
        .map(fields -> Path.of(fields[5]))
        .filter(p -> COPY.matcher(p.getFileName().toString()).matches() && dir.equals(p.getParent()))
        .distinct()
        .toList();
  }

  /** Logs {@link #strayCopies}' warning for the JVM's temporary directory, unless turned off. */
  static void warnOfStrayCopies() {
    if ("false".equalsIgnoreCase(System.getProperty(STRAY_LIBRARY_WARNING, "true").strip())) {
      return;
    }
    try {
      strayCopies(Path.of(System.getProperty("java.io.tmpdir")), java.time.Instant.now()).ifPresent(LOG::warn);
    } catch (RuntimeException e) {
      // a hint only: a temporary directory heap cannot read or name is no reason to stop
      LOG.debug("could not look for copies of DuckDB's native library", e);
    }
  }

  /** The system property that turns {@link #strayCopies}'s warning off ({@code false}). */
  static final String STRAY_LIBRARY_WARNING = "heap.duckdb.stray_library_warning";

  /** How many copies of DuckDB's native library, an hour old or more, make {@link #strayCopies} speak. */
  static final int STRAY_LIBRARIES = 3;

  /**
   * A warning when {@code tmp} (the JVM's temporary directory) holds {@link #STRAY_LIBRARIES} or more
   * copies of DuckDB's native library (about 70 MB each) that are an hour old or more: DuckDB's driver
   * copies it there for every JVM that loads it and deletes the copy at a normal exit only, so each JVM
   * killed outright ({@code kill -9}, the OOM killer, a CI job's timeout) leaves one. The heap launcher
   * clears its own directory; {@code java -jar heap.jar} uses the JVM's, where they pile up (a probe's
   * eight kills left 573 MB; 1,080 once filled this machine's disk). An hour, since a copy that new may
   * be a running JVM's; said only, as another user's JVM may be loading one.
   */
  static Optional<String> strayCopies(Path tmp, java.time.Instant now) {
    long count = 0;
    long bytes = 0;
    java.time.Instant hourAgo = now.minus(java.time.Duration.ofHours(1));
    try (java.nio.file.DirectoryStream<Path> copies = Files.newDirectoryStream(tmp, "libduckdb_java*")) {
      for (Path copy : copies) {
        java.nio.file.attribute.BasicFileAttributes a = Files.readAttributes(copy, java.nio.file.attribute.BasicFileAttributes.class);
        if (a.isRegularFile() && a.lastModifiedTime().toInstant().isBefore(hourAgo)) {
          count++;
          bytes += a.size();
        }
      }
    } catch (java.io.IOException | SecurityException e) {
      return Optional.empty();
    }
    if (count < STRAY_LIBRARIES) {
      return Optional.empty();
    }
    return Optional.of(
        String.format(
            Locale.ROOT,
            "%d copies of DuckDB's native library (%,d MB) an hour old or more are in %s, left by JVMs that were killed outright"
                + " (kill -9, the OOM killer): delete %s when no JVM using DuckDB runs, or start heap with its launcher (heap-examples/bin/heap),"
                + " which clears its own",
            // a glob as text: "*" is no character of a Windows path
            count, bytes / 1_000_000, tmp, tmp + java.io.File.separator + "libduckdb_java*"));
  }
}
