package io.heapsdk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@code heap} command as a user gets it, after {@code package}: {@code target/heap.jar} with the
 * drivers in {@code lib/} beside it, started with {@code java -jar} and through the launcher
 * ({@code bin/heap}, which makes and then maps a class-data-sharing archive), on the JDK of this build and
 * on every other JDK of 17 or later installed under {@code /usr/lib/jvm} (or named in
 * {@code -Dheap.test.java.homes=HOME,HOME}). The other tests start {@link HeapCli} from the test class
 * path; only here does the jar's manifest count: its Class-Path that finds the DuckDB and PostgreSQL
 * drivers, and its Enable-Native-Access without which Java 24 and later print four WARNING lines before
 * every DuckDB command. Run by the {@code packaged-cli} execution of heap-examples' pom, in the
 * integration-test phase.
 */
class PackagedCliIT {
  private static final Path MODULE = Path.of("").toAbsolutePath();
  private static final Path JAR = MODULE.resolve("target/heap.jar");
  private static final Path LAUNCHER = MODULE.resolve("bin/heap");

  @TempDir Path tmp;

  @BeforeAll
  static void afterPackage() {
    assertThat(JAR).as("heap.jar, which the package phase makes: PackagedCliIT runs after it (mvn verify)").isRegularFile();
  }

  /**
   * The JDKs to start heap with: this build's first, then each one named in {@code heap.test.java.homes}
   * (which must be a JDK of 17 or later), then those under {@code /usr/lib/jvm} that are JDKs of 17 or
   * later for this machine's architecture (the others are not what a user here would run heap with), each
   * once.
   */
  static Stream<Jdk> jdks() {
    Map<Path, Jdk> found = new LinkedHashMap<>();
    Jdk own = Jdk.at(Path.of(System.getProperty("java.home"))).orElseThrow();
    found.put(own.realHome(), own);
    for (String h : System.getProperty("heap.test.java.homes", "").split(",")) {
      if (!h.isBlank()) {
        Path home = Path.of(h.strip());
        Jdk jdk = Jdk.at(home).filter(j -> j.feature() >= 17).orElseThrow(
            () -> new AssertionError("heap.test.java.homes names " + home + ", which is not a JDK of 17 or later"));
        found.putIfAbsent(jdk.realHome(), jdk);
      }
    }
    Path jvms = Path.of("/usr/lib/jvm");
    if (Files.isDirectory(jvms)) {
      try (Stream<Path> s = Files.list(jvms)) {
        s.sorted()
            .map(Jdk::at)
            .flatMap(Optional::stream)
            .filter(j -> j.feature() >= 17 && j.arch().equals(own.arch()))
            .forEach(j -> found.putIfAbsent(j.realHome(), j));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return found.values().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void javaDashJarRunsTheDemoOnDuckDbAndSaysNothingButItsLog(Jdk jdk) throws IOException {
    Path out = tmp.resolve("demo");
    // a temporary directory of its own: copies of DuckDB's library that JVMs killed on this machine left in
    // /tmp add heap's warning about them (DuckDbLibraryCopies), rightly, and failed this test in CI
    Path jvmTmp = Files.createDirectories(tmp.resolve("jvm-tmp-" + jdk.feature()));
    Result r = run(jdk, List.of(), jdk.java().toString(), "-Djava.io.tmpdir=" + jvmTmp, "-jar", JAR.toString(), "demo", "--engine", "duckdb",
        "--users", "200", "--out", out.toString());
    assertThat(r.rc()).as(r.toString()).isZero();
    assertThat(r.out()).contains("in an in-memory DuckDB database", "(incremental run)", "Data tests and freshness");
    // the runner's log lines and nothing else: no JVM warning (native access, Unsafe, CDS), no stack trace
    assertThat(r.errLines()).as(r.toString()).isNotEmpty().allMatch(l -> l.startsWith("INFO "));
    assertThat(out.resolve("funnel.html")).isNotEmptyFile();
  }

  /**
   * A sample too large for the JVM's memory (here a 64 MB heap): one line saying so and what to do,
   * exit 1, not Java's OutOfMemoryError trace (an Error, which the command line's handler did not take).
   */
  @org.junit.jupiter.api.Test
  void runningOutOfMemoryIsSaidInALine() {
    Jdk jdk = Jdk.at(Path.of(System.getProperty("java.home"))).orElseThrow();
    Result r = run(jdk, List.of(), jdk.java().toString(), "-Xmx64m", "-jar", JAR.toString(), "demo", "--users", "2000000",
        "--out", tmp.resolve("demo").toString());
    assertThat(r.rc()).as(r.toString()).isEqualTo(1);
    assertThat(r.err()).as(r.toString()).contains("heap: ran out of memory (this JVM may use ").doesNotContain("OutOfMemoryError", "\tat ");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void theJarFindsThePostgresDriverInLibBesideIt(Jdk jdk) {
    // a port nothing listens on: the driver loads (from lib/) and the connection is refused
    Result r = run(jdk, List.of(), jdk.java().toString(), "-jar", JAR.toString(), "status", "--jdbc",
        "jdbc:postgresql://127.0.0.1:1/heap");
    // 1, a server that does not answer (a retry may find it back up)
    assertThat(r.rc()).as(r.toString()).isEqualTo(1);
    assertThat(r.err()).startsWith("heap: cannot connect to PostgreSQL heap on 127.0.0.1:1").doesNotContain("no PostgreSQL driver");
  }

  /**
   * The launcher installed as a user would (heap, heap.jar and lib/ in one folder): the first command
   * makes heap.jsa for this JDK, the second maps it. {@code -Xshare:on} makes the JVM stop rather than run
   * without an archive it cannot map, and the class-loading log shows classes taken from the archive's
   * top (dynamic) layer, which is the launcher's.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void theLauncherMakesItsArchiveForThisJdkAndThenUsesIt(Jdk jdk) throws IOException {
    // the launcher's archive is a layer on top of the JDK's own; a JDK built without one runs heap
    // without an archive, as the launcher promises, and there is nothing to check here
    Assumptions.assumeTrue(Files.isRegularFile(jdk.home().resolve("lib/server/classes.jsa")),
        jdk + " has no default CDS archive (lib/server/classes.jsa) to build the launcher's on");
    Path install = tmp.resolve("install");
    Files.createDirectories(install);
    Files.copy(LAUNCHER, install.resolve("heap"));
    Files.copy(JAR, install.resolve("heap.jar"));
    Files.createSymbolicLink(install.resolve("lib"), JAR.resolveSibling("lib"));
    String heap = install.resolve("heap").toString();
    List<String> env = List.of("JAVA_HOME=" + jdk.home());

    Result first = run(jdk, env, heap, "compile", "--warehouse", "all", "--out", tmp.resolve("first").toString());
    assertThat(first.rc()).as(first.toString()).isZero();
    assertThat(first.err()).as(first.toString()).isEmpty();
    assertThat(install.resolve("heap.jsa")).isNotEmptyFile();
    assertThat(Files.readAllLines(install.resolve("heap.jsa.stamp")).get(0)).isEqualTo(jdk.java().toRealPath().toString());

    Path classLog = tmp.resolve("classes.log");
    List<String> strict = List.of("JAVA_HOME=" + jdk.home(), "HEAP_JAVA_OPTS=-Xshare:on -Xlog:class+load=info:file=" + classLog);
    Result second = run(jdk, strict, heap, "compile", "--warehouse", "all", "--out", tmp.resolve("second").toString());
    assertThat(second.rc()).as(second.toString()).isZero();
    assertThat(second.err()).as(second.toString()).isEmpty();
    long fromArchive = Files.readAllLines(classLog).stream().filter(l -> l.contains("shared objects file (top)")).count();
    assertThat(fromArchive).as("classes mapped from the launcher's archive").isGreaterThan(1_000);
    // the same SQL either way
    assertThat(files(tmp.resolve("second"))).isEqualTo(files(tmp.resolve("first"))).hasSizeGreaterThan(50);

    // the jar put in place again with an older time (cp -p, rsync -a, an unpacked release): the JVM
    // refuses the archive made with the other one, so the launcher makes a new one. It used to go by
    // "newer than the archive" and keep the old one, which the JVM then ignored on every start
    // (-Xshare:on makes that an error here)
    Files.setLastModifiedTime(install.resolve("heap.jar"), java.nio.file.attribute.FileTime.from(java.time.Instant.parse("2020-01-01T00:00:00Z")));
    Result third = run(jdk, strict, heap, "compile", "--warehouse", "all", "--out", tmp.resolve("third").toString());
    assertThat(third.rc()).as(third.toString()).isZero();
    assertThat(third.err()).as(third.toString()).isEmpty();
    assertThat(Files.readAllLines(install.resolve("heap.jsa.stamp"))).anySatisfy(l -> assertThat(l).contains(" 2020 ").endsWith("/heap.jar"));
  }

  /**
   * The launcher gives the commands that open a database a temporary directory in the user's cache, where
   * DuckDB's driver copies its native library, and deletes the copies a killed heap left there an hour or
   * more ago; a recent one (another heap may be starting with it) stays, and a normal exit leaves none.
   */
  @Test
  void theLauncherClearsOldCopiesOfDuckDbsLibrary() throws IOException {
    Path install = tmp.resolve("install-tmp");
    Files.createDirectories(install);
    Files.copy(LAUNCHER, install.resolve("heap"));
    Files.copy(JAR, install.resolve("heap.jar"));
    Files.createSymbolicLink(install.resolve("lib"), JAR.resolveSibling("lib"));
    Path home = tmp.resolve("home");
    Path heapTmp = home.resolve(".cache/heap/tmp");
    Files.createDirectories(heapTmp);
    Path old = Files.writeString(heapTmp.resolve("libduckdb_java111.so"), "left by a heap killed yesterday");
    Files.setLastModifiedTime(old, java.nio.file.attribute.FileTime.from(java.time.Instant.now().minus(java.time.Duration.ofHours(2))));
    Path recent = Files.writeString(heapTmp.resolve("libduckdb_java222.so"), "a heap starting now");
    Jdk jdk = jdks().findFirst().orElseThrow();
    Result r =
        run(
            jdk, List.of("JAVA_HOME=" + jdk.home(), "HOME=" + home, "HEAP_CDS=off", "HEAP_JAVA_OPTS=-XshowSettings:properties"),
            install.resolve("heap").toString(), "sample", "--jdbc", "jdbc:duckdb:" + tmp.resolve("launcher.duckdb"), "--users", "10");
    assertThat(r.rc()).as(r.toString()).isZero();
    // the JVM's temporary directory is heap's own (the JVM lists its properties first)
    assertThat(r.err()).as(r.toString()).contains("java.io.tmpdir = " + heapTmp);
    try (Stream<Path> left = Files.list(heapTmp)) {
      assertThat(left.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly("libduckdb_java222.so");
    }
    assertThat(recent).exists();
  }

  /**
   * Whether a JDK of 24 or later took part: those print the native-access warnings this class guards
   * against. Where none is installed the test is skipped, saying so, unless the environment variable
   * {@code HEAP_TEST_REQUIRE_JDK24} is {@code true}: {@code .ci/run} sets it, so CI fails rather than
   * leave the check untried.
   */
  @Test
  void aJdkThatWarnsAboutNativeAccessIsAmongThem() {
    boolean found = jdks().anyMatch(j -> j.feature() >= 24);
    String why = "no JDK 24 or later under /usr/lib/jvm or in -Dheap.test.java.homes: heap.jar's Enable-Native-Access is untried";
    if ("true".equals(System.getenv("HEAP_TEST_REQUIRE_JDK24"))) {
      assertThat(found).as(why + " (HEAP_TEST_REQUIRE_JDK24=true)").isTrue();
    }
    Assumptions.assumeTrue(found, why);
  }

  private static List<String> files(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).map(p -> dir.relativize(p) + " " + size(p)).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Result run(Jdk jdk, List<String> env, String... command) {
    try {
      ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile());
      // a developer's own JVM options would add lines (and flags) of their own
      pb.environment().remove("JAVA_TOOL_OPTIONS");
      pb.environment().remove("JDK_JAVA_OPTIONS");
      pb.environment().remove("_JAVA_OPTIONS");
      pb.environment().remove("HEAP_JAVA_OPTS");
      pb.environment().remove("HEAP_CDS");
      pb.environment().remove("HEAP_JAR");
      for (String e : env) {
        int eq = e.indexOf('=');
        pb.environment().put(e.substring(0, eq), e.substring(eq + 1));
      }
      Path out = Files.createTempFile(tmp, "out", ".txt");
      Path err = Files.createTempFile(tmp, "err", ".txt");
      pb.redirectOutput(out.toFile()).redirectError(err.toFile());
      Process p = pb.start();
      if (!p.waitFor(180, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(jdk + ": " + String.join(" ", command) + " did not end in 180 s");
      }
      return new Result(String.join(" ", command), p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  record Result(String command, int rc, String out, String err) {
    List<String> errLines() {
      return err.lines().toList();
    }

    @Override
    public String toString() {
      return command + " -> exit " + rc + "\nstdout:\n" + out + "\nstderr:\n" + err;
    }
  }

  /** A JDK home, its feature version and architecture, read from its {@code release} file. */
  record Jdk(Path home, int feature, String arch) {
    /** The JDK at {@code home}, or none when it is not one (no bin/java, no readable release file). */
    static Optional<Jdk> at(Path home) {
      if (!Files.isExecutable(home.resolve("bin").resolve("java")) || !Files.isRegularFile(home.resolve("release"))) {
        return Optional.empty();
      }
      Properties release = new Properties();
      try (var in = Files.newBufferedReader(home.resolve("release"), StandardCharsets.UTF_8)) {
        release.load(in);
        String v = release.getProperty("JAVA_VERSION", "").replace("\"", "");
        String major = v.startsWith("1.") ? v.substring(2) : v;
        return Optional.of(
            new Jdk(home, Integer.parseInt(major.split("[._+-]")[0]), release.getProperty("OS_ARCH", "").replace("\"", "")));
      } catch (IOException | RuntimeException e) {
        // a JAVA_VERSION of another form: not a JDK this test knows how to use
        return Optional.empty();
      }
    }

    Path java() {
      return home.resolve("bin").resolve("java");
    }

    Path realHome() {
      try {
        return home.toRealPath();
      } catch (IOException e) {
        return home.toAbsolutePath().normalize();
      }
    }

    @Override
    public String toString() {
      return "Java " + feature + " (" + home + ")";
    }
  }
}
