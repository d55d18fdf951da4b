package io.heapsdk.warehouse.golden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Compares rendered SQL with the files under {@code src/test/resources/golden}. Run the tests with
 * {@code -Dheap.golden.update=true} to rewrite the files from the renderer, then review the diff of every
 * warehouse like code. Files are never edited by hand.
 */
final class GoldenFiles {
  private static final boolean UPDATE = Boolean.getBoolean("heap.golden.update");
  private static final Path DIR =
      Path.of(System.getProperty("heap.golden.dir", "src/test/resources/golden"));

  private GoldenFiles() {}

  static void check(String relativePath, String actual) {
    Path file = DIR.resolve(relativePath);
    try {
      if (UPDATE) {
        Files.createDirectories(file.getParent());
        Files.writeString(file, actual);
        return;
      }
      if (!Files.exists(file)) {
        fail("golden file %s is missing; run the tests with -Dheap.golden.update=true and review it", file);
      }
      assertThat(actual)
          .as("SQL differs from %s; if the change is intended, rerun with -Dheap.golden.update=true and review the diff", file)
          .isEqualTo(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
