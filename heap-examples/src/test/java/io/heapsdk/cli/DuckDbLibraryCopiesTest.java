package io.heapsdk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Copies of DuckDB's native library in the temporary directory, which JVMs killed outright left there (a
 * probe's eight {@code kill -9}s left 573 MB with {@code java -jar heap.jar}). heap deletes its own copy
 * once loaded, so a heap killed outright leaves none (Linux); and of the copies other JVMs left, three or
 * more an hour old or more get a warning naming them and their size; fewer, newer ones (a running JVM's)
 * or other files do not.
 */
class DuckDbLibraryCopiesTest {
  @TempDir Path tmp;

  @Test
  void threeOldCopiesAreNamedWithTheirSize() throws Exception {
    Instant now = Instant.parse("2026-12-07T12:00:00Z");
    copy("libduckdb_java1111.so", 2_000_000, now.minus(Duration.ofHours(5)));
    copy("libduckdb_java2222.so", 2_000_000, now.minus(Duration.ofMinutes(61)));
    // a running JVM's copy, and a file of another library
    copy("libduckdb_java3333.so", 2_000_000, now.minus(Duration.ofMinutes(5)));
    copy("libother4444.so", 2_000_000, now.minus(Duration.ofDays(3)));
    assertThat(DuckDbLibraryCopies.strayCopies(tmp, now)).as("two old copies").isEmpty();

    copy("libduckdb_java5555.so", 3_000_000, now.minus(Duration.ofDays(2)));
    assertThat(DuckDbLibraryCopies.strayCopies(tmp, now))
        .contains(
            "3 copies of DuckDB's native library (7 MB) an hour old or more are in " + tmp + ", left by JVMs that were killed outright"
                + " (kill -9, the OOM killer): delete " + tmp.resolve("libduckdb_java*") + " when no JVM using DuckDB runs, or start"
                + " heap with its launcher (heap-examples/bin/heap), which clears its own");
  }

  /**
   * {@code heap sample} into a DuckDB file, in a JVM of its own with a temporary directory of its own,
   * killed outright once it has loaded DuckDB's library: its copy was gone while it ran, and nothing is
   * left. Before, the copy stayed: 68 MB per kill.
   */
  @Test
  @EnabledOnOs(OS.LINUX)
  void aHeapKilledOutrightLeavesNoCopy() throws Exception {
    Path own = Files.createDirectory(tmp.resolve("child-tmp"));
    Process heap = child(own, tmp.resolve("out.txt"), "sample", "--jdbc", "jdbc:duckdb:" + tmp.resolve("heap.duckdb"), "--users", "100000");
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      boolean loaded = false;
      boolean goneWhileRunning = false;
      while (System.nanoTime() < deadline && heap.isAlive()) {
        boolean there = !copies(own).isEmpty();
        loaded |= there;
        if (loaded && !there) {
          // not the driver's own deletion as the JVM exits: heap still runs half a second later
          Thread.sleep(500);
          goneWhileRunning = heap.isAlive();
          break;
        }
        Thread.sleep(20);
      }
      assertThat(loaded).as("heap loaded DuckDB's library from its temporary directory: " + Files.readString(tmp.resolve("out.txt"))).isTrue();
      assertThat(goneWhileRunning).as("its copy deleted while heap ran").isTrue();
    } finally {
      heap.destroyForcibly();
      heap.waitFor(30, TimeUnit.SECONDS);
    }
    assertThat(copies(own)).as("left by a heap killed outright").isEmpty();
  }

  /**
   * A {@code heap run --wait} waiting for the DuckDB file another process holds (a load), then killed
   * outright: the driver loaded its library as it tried the file, and the copy is gone while heap waits.
   * Before, heap deleted it only once a connection opened (found by a review).
   */
  @Test
  @EnabledOnOs(OS.LINUX)
  void aHeapKilledWhileWaitingForAnotherProcesssFileLeavesNoCopy() throws Exception {
    Path holderTmp = Files.createDirectory(tmp.resolve("holder-tmp"));
    Path waiterTmp = Files.createDirectory(tmp.resolve("waiter-tmp"));
    Path file = tmp.resolve("held.duckdb");
    Path said = tmp.resolve("waiter.txt");
    Process holder = child(holderTmp, tmp.resolve("holder.txt"), "sample", "--jdbc", "jdbc:duckdb:" + file, "--users", "300000");
    Process waiter = null;
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!Files.exists(file) && holder.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      waiter = child(waiterTmp, said, "run", "--jdbc", "jdbc:duckdb:" + file, "--wait", "120");
      while (!Files.readString(said).contains("is open in another process") && waiter.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(Files.readString(said)).as("the second heap waits for the first's file").contains("is open in another process");
      assertThat(copies(waiterTmp)).as("the waiting heap's copy").isEmpty();
      waiter.destroyForcibly();
      waiter.waitFor(30, TimeUnit.SECONDS);
      assertThat(copies(waiterTmp)).as("left by a waiting heap killed outright").isEmpty();
    } finally {
      if (waiter != null) {
        waiter.destroyForcibly();
      }
      holder.destroyForcibly();
      holder.waitFor(30, TimeUnit.SECONDS);
    }
  }

  /** {@code heap args} in a JVM of its own whose temporary directory is {@code tmpDir}, its output to {@code out}. */
  private static Process child(Path tmpDir, Path out, String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(HeapProcess.java());
    // the last -Djava.io.tmpdir wins: this child's own, to see its copy alone
    command.add(command.indexOf("-cp"), "-Djava.io.tmpdir=" + tmpDir);
    command.add(HeapCli.class.getName());
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
  }

  @Test
  void theCopyThisJvmLoadedIsFoundInItsMappings() throws Exception {
    // the kernel names files by their real paths (macOS's temporary folders are under a link)
    Path real = tmp.toRealPath();
    Path copy = Files.createFile(real.resolve("libduckdb_java8093405761.so"));
    Path other = Files.createDirectory(real.resolve("other"));
    String at = "7f1c2a000000-7f1c2b000000 r-xp 00000000 08:01 1234567                    ";
    List<String> maps =
        List.of(
            "55d0c0a00000-55d0c0a01000 r--p 00000000 08:01 42 /usr/lib/jvm/bin/java",
            at + copy,
            at.replace("r-xp", "r--p") + copy,
            // another JVM's copy elsewhere, one the kernel says was deleted, another library, no file
            at + other.resolve("libduckdb_java1.so"),
            at + real.resolve("libduckdb_java2.so") + " (deleted)",
            at + real.resolve("libzip.so"),
            "7ffd4b1e2000-7ffd4b203000 rw-p 00000000 00:00 0                          [stack]");
    assertThat(DuckDbLibraryCopies.ownCopies(maps, tmp)).containsExactly(copy);
  }

  private static List<Path> copies(Path dir) throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().startsWith("libduckdb_java")).toList();
    }
  }

  @Test
  void aMissingDirectoryIsNoWarning() {
    assertThat(DuckDbLibraryCopies.strayCopies(tmp.resolve("gone"), Instant.now())).isEmpty();
  }

  private void copy(String name, int bytes, Instant modified) throws Exception {
    Path f = Files.write(tmp.resolve(name), new byte[bytes]);
    Files.setLastModifiedTime(f, FileTime.from(modified));
  }
}
