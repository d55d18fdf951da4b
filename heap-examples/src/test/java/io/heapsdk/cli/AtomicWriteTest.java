package io.heapsdk.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heapsdk.HeapException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQL, configs and reports heap writes replace the file they name in one step: a write that fails
 * part-way leaves the file as it was, and no temporary file beside it.
 */
class AtomicWriteTest {
  @TempDir Path tmp;

  @Test
  void aWriteReplacesTheFileWhole() throws Exception {
    Path file = tmp.resolve("sql").resolve("funnel.sql");
    SqlFiles.writeText(file, "SELECT 1");
    SqlFiles.writeText(file, "SELECT '購入'");
    assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo("SELECT '購入'");
    assertThat(listing(file.getParent())).containsExactly("funnel.sql");
  }

  @Test
  void aTextThatCannotBeWrittenLeavesTheOldFile() throws Exception {
    Path file = tmp.resolve("report.html");
    SqlFiles.writeText(file, "<p>old</p>");
    // a lone surrogate cannot be written as UTF-8: an error, not a "?" in the SQL
    assertThatThrownBy(() -> SqlFiles.writeText(file, "<p>new \uD800</p>"))
        .isInstanceOf(HeapException.class)
        .hasMessageStartingWith("cannot write " + file);
    assertThat(Files.readString(file)).isEqualTo("<p>old</p>");
    assertThat(listing(tmp)).containsExactly("report.html");
  }

  /**
   * A reader of the file (a browser reloading a report, a deployment picking up the SQL) while heap
   * rewrites it sees the old text or the new one, whole: never an empty or half-written file.
   */
  @Test
  void aReaderNeverSeesHalfAFile() throws Exception {
    Path file = tmp.resolve("big.sql");
    int size = 4 << 20;
    String a = "a".repeat(size);
    String b = "b".repeat(size);
    SqlFiles.writeText(file, a);
    java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean(true);
    java.util.List<String> seen = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    Thread reader =
        new Thread(
            () -> {
              while (writing.get()) {
                try {
                  byte[] bytes = Files.readAllBytes(file);
                  if (bytes.length != size || bytes[0] != bytes[bytes.length - 1]) {
                    seen.add(bytes.length + " bytes");
                  }
                } catch (java.io.IOException e) {
                  seen.add(e.toString());
                }
              }
            });
    reader.start();
    for (int i = 0; i < 40; i++) {
      SqlFiles.writeText(file, i % 2 == 0 ? b : a);
    }
    writing.set(false);
    reader.join();
    assertThat(seen).as("reads of a partly written file").isEmpty();
  }

  /**
   * What a write killed outright ({@code kill -9}, which nothing can catch) leaves beside a file is
   * removed by the next write into that folder; a live process's write in progress is left alone.
   */
  @Test
  void aKilledWritesLeftoverGoesWithTheNextWrite() throws Exception {
    Path file = tmp.resolve("run.sql");
    long dead = deadPid();
    Path left = Files.writeString(tmp.resolve(".run.sql." + dead + ".123.tmp"), "half");
    Path live = Files.writeString(tmp.resolve(".run.sql." + ProcessHandle.current().pid() + ".456.tmp"), "going on");
    Path other = Files.writeString(tmp.resolve(".other.sql." + dead + ".789.tmp"), "another file's");
    SqlFiles.writeText(file, "SELECT 1");
    assertThat(Files.exists(left)).isFalse();
    assertThat(Files.exists(live)).isTrue();
    assertThat(Files.exists(other)).as("another file's leftover in that folder").isFalse();
    assertThat(Files.readString(file)).isEqualTo("SELECT 1");
  }

  /** The pid of a process that has ended. */
  private static long deadPid() throws Exception {
    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    return p.pid();
  }

  /** Readable by others as any file the user makes (the umask decides), not owner-only as a temporary file. */
  @Test
  void theFileHasTheUsualPermissions() throws Exception {
    Path plain = Files.writeString(tmp.resolve("plain.sql"), "x");
    Path written = tmp.resolve("written.sql");
    SqlFiles.writeText(written, "x");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(written)))
        .isEqualTo(PosixFilePermissions.toString(Files.getPosixFilePermissions(plain)));
  }

  @Test
  void aFolderInTheWayIsNamed() throws Exception {
    Path folder = Files.createDirectories(tmp.resolve("out.csv"));
    assertThatThrownBy(() -> SqlFiles.writeText(folder, "a,b")).hasMessage("cannot write " + folder + ": " + folder + ": is a folder, not a file");
    assertThat(Files.isDirectory(folder)).isTrue();
  }

  private static Stream<String> listing(Path dir) throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList().stream();
    }
  }
}
