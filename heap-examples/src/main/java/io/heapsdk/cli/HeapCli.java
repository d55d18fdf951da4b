package io.heapsdk.cli;

import io.heapsdk.run.HeapVersion;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The {@code heap} command line: sample data, the demo, and the models' SQL compiled or run. */
@Command(
    name = "heap",
    synopsisSubcommandLabel = "COMMAND",
    versionProvider = HeapCli.Version.class,
    description =
        "Heap Connect analytics models, rendered as SQL for Snowflake, BigQuery, Redshift, H2, PostgreSQL,"
            + " DuckDB, Spark (Databricks) and Trino (Athena)."
            + " Start with `heap demo`; `heap COMMAND --help` explains each command.",
    subcommands = {
      DemoCommand.class,
      CompileCommand.class,
      SampleCommand.class,
      RunCommand.class,
      StatusCommand.class,
      FunnelCommand.class,
      AttributionCommand.class,
      RetentionCommand.class,
      PathsCommand.class,
      TestCommand.class,
      DocsCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "1:a model (or the sample data) failed on the database, or it did not answer (a scheduler may retry); heap test: a test failed",
      "2:bad usage, config, warehouse or JDBC URL",
      "3:internal error: a bug, please report it with the --verbose output",
      "130:stopped by Ctrl-C (a run rolls back and releases its lock first)",
      "143:stopped by SIGTERM (the same)"
    })
public final class HeapCli implements Callable<Integer> {
  static final int OK = 0;
  static final int MODEL_FAILED = 1;
  static final int USAGE = 2;
  static final int INTERNAL = 3;

  @Option(
      names = "--verbose",
      scope = ScopeType.INHERIT,
      description = "On errors, print the failing statement and the stack trace too.")
  boolean verbose;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      scope = ScopeType.INHERIT,
      description = "Show this help and exit.")
  boolean help;

  @Option(names = {"-V", "--version"}, versionHelp = true, description = "Print the version and exit.")
  boolean version;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "missing a command: " + commands(spec.commandLine()));
  }

  /** "demo, compile, … or docs": the registered commands, so a new one is listed without anyone remembering to. */
  static String commands(CommandLine heap) {
    List<String> commands = new ArrayList<>(heap.getSubcommands().keySet());
    String last = commands.remove(commands.size() - 1);
    return String.join(", ", commands) + " or " + last;
  }

  /** heap's version, as Maven built it into heap-dialects ({@link HeapVersion}). */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"heap " + version()};
    }

    static String version() {
      // unfiltered (run from an IDE without Maven's resource step): say so rather than print ${...}
      return HeapVersion.get().orElse("(unknown version: not built by Maven)");
    }
  }

  /**
   * Prints in UTF-8 whatever the JVM's default charset: Java 17 takes it from the locale, and under
   * {@code LANG=C} every event name, channel or domain outside ASCII would print as {@code ?}. UTF-8, not
   * the terminal's encoding, because the output is data as much as text: {@code --format csv} and
   * {@code json} are piped into files and other programs, and JSON is UTF-8 by definition (RFC 8259).
   * Log lines (stderr) too.
   */
  /** Held: java.util.logging keeps its loggers weakly, and a collected one would forget its level. */
  private static final java.util.logging.Logger POSTGRES_DRIVER_LOG = java.util.logging.Logger.getLogger("org.postgresql");

  public static void main(String... args) {
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
    System.setOut(out);
    System.setErr(err);
    // PostgreSQL's driver logs through java.util.logging, whose console handler printed two dated lines
    // ("WARNING: JDBC URL port: 99999 not valid") before heap's one-line error that says the same
    POSTGRES_DRIVER_LOG.setLevel(java.util.logging.Level.OFF);
    Interrupts.install(err);
    int code = run(out, err, args);
    // after a signal this lets the shutdown hook return, and System.exit waits for the JVM's own exit
    Interrupts.finished(code);
    Interrupts.exiting();
    System.exit(code);
  }

  /**
   * Runs the command line with these streams and returns its exit code; never calls System.exit. Text is
   * written to the streams as UTF-8.
   */
  public static int run(PrintStream out, PrintStream err, String... args) {
    PrintWriter outWriter = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
    PrintWriter errWriter = new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true);
    Failures failures = new Failures(errWriter);
    Optional<String> undecodable = undecodableArgument(args);
    if (undecodable.isEmpty() && !onlyHelp(args)) {
      undecodable = undecodableWorkingDirectory(System.getProperty("user.dir", ""));
    }
    if (undecodable.isPresent()) {
      errWriter.println("heap: " + undecodable.get());
      return USAGE;
    }
    int code;
    try {
      code =
          new CommandLine(new HeapCli())
              .setOut(outWriter)
              .setErr(errWriter)
              .registerConverter(LocalDate.class, new OptionTypes.DateConverter())
              .registerConverter(Instant.class, new OptionTypes.InstantConverter())
              .setParameterExceptionHandler(failures::usage)
              .setExecutionExceptionHandler(failures::execution)
              .execute(args);
    } catch (OutOfMemoryError e) {
      // an Error, which picocli's handler does not take: it used to end the process with Java's trace.
      // What held the memory is unreachable here, and this needs little; a load rolled back before this
      errWriter.println(
          "heap: ran out of memory (this JVM may use " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MB): ask for less"
              + " (heap sample and demo hold the sample's rows in memory: fewer --users), or give Java more (java -Xmx8g -jar heap.jar …)");
      code = MODEL_FAILED;
    }
    outWriter.flush();
    errWriter.flush();
    return code;
  }

  /**
   * Java decodes the command line with the locale's charset, so under {@code LANG=C} a step such as
   * {@code 購入} arrives as replacement characters and would silently match nothing: say so instead.
   */
  /**
   * Under a locale whose charset cannot decode the working directory's name ({@code LANG=C} in a
   * directory named in Cyrillic), Java's {@code user.dir} holds {@code ?} for those characters: a
   * directory that is not the working one, against which Java resolves every relative path. A relative
   * {@code --config} was said not to exist, and an {@code --out} or a {@code jdbc:h2:file:./db} went into
   * a new directory of question marks, exit 0. The real working directory is the one the operating system
   * resolves {@code .} against.
   */
  static Optional<String> undecodableWorkingDirectory(String dir) {
    if (dir.indexOf('?') < 0 && dir.indexOf('\uFFFD') < 0) {
      return Optional.empty();
    }
    try {
      if (Files.isSameFile(Path.of("."), Path.of(dir))) {
        // a directory really named with a question mark
        return Optional.empty();
      }
    } catch (NoSuchFileException | InvalidPathException e) {
      // no such directory: the name Java decoded is not the working directory's
    } catch (IOException e) {
      // it exists but cannot be compared (no search permission, not a directory): not for this check to say
      return Optional.empty();
    }
    return Optional.of(
        "the working directory's name holds characters the locale's charset (" + System.getProperty("sun.jnu.encoding", "?")
            + ") could not decode (Java reads it as " + dir + "), and relative paths would resolve against that;"
            + " run heap under a UTF-8 locale, e.g. LANG=C.UTF-8, or from another directory");
  }

  /** Help and the version, which read no path: they run wherever heap starts. */
  private static boolean onlyHelp(String[] args) {
    return args.length == 0
        || Arrays.stream(args).anyMatch(a -> a.equals("-h") || a.equals("--help") || a.equals("-V") || a.equals("--version"));
  }

  private static Optional<String> undecodableArgument(String[] args) {
    for (String a : args) {
      if (a.indexOf('\uFFFD') >= 0) {
        return Optional.of(
            "argument \"" + a + "\" holds characters the locale's charset (" + System.getProperty("sun.jnu.encoding", "?")
                + ") could not decode; run heap under a UTF-8 locale, e.g. LANG=C.UTF-8");
      }
    }
    return Optional.empty();
  }
}
