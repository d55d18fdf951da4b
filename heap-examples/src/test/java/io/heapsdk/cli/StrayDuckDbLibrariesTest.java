package io.heapsdk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Copies of DuckDB's native library that JVMs killed outright left in the temporary directory (a probe's
 * eight {@code kill -9}s left 573 MB with {@code java -jar heap.jar}): three or more an hour old or more
 * get a warning naming them and their size; fewer, newer ones (a running JVM's) or other files do not.
 */
class StrayDuckDbLibrariesTest {
  @TempDir Path tmp;

  @Test
  void threeOldCopiesAreNamedWithTheirSize() throws Exception {
    Instant now = Instant.parse("2026-12-07T12:00:00Z");
    copy("libduckdb_java1111.so", 2_000_000, now.minus(Duration.ofHours(5)));
    copy("libduckdb_java2222.so", 2_000_000, now.minus(Duration.ofMinutes(61)));
    // a running JVM's copy, and a file of another library
    copy("libduckdb_java3333.so", 2_000_000, now.minus(Duration.ofMinutes(5)));
    copy("libother4444.so", 2_000_000, now.minus(Duration.ofDays(3)));
    assertThat(Database.strayDuckDbLibraries(tmp, now)).as("two old copies").isEmpty();

    copy("libduckdb_java5555.so", 3_000_000, now.minus(Duration.ofDays(2)));
    assertThat(Database.strayDuckDbLibraries(tmp, now))
        .contains(
            "3 copies of DuckDB's native library (7 MB) an hour old or more are in " + tmp + ", left by JVMs that were killed outright"
                + " (kill -9, the OOM killer): delete " + tmp.resolve("libduckdb_java*") + " when no JVM using DuckDB runs, or start"
                + " heap with its launcher (heap-examples/bin/heap), which clears its own");
  }

  @Test
  void aMissingDirectoryIsNoWarning() {
    assertThat(Database.strayDuckDbLibraries(tmp.resolve("gone"), Instant.now())).isEmpty();
  }

  private void copy(String name, int bytes, Instant modified) throws Exception {
    Path f = Files.write(tmp.resolve(name), new byte[bytes]);
    Files.setLastModifiedTime(f, FileTime.from(modified));
  }
}
