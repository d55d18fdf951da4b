package io.heapsdk.cli;

import io.heapsdk.HeapException;
import io.heapsdk.model.Materialization;
import io.heapsdk.model.PlannedModel;
import io.heapsdk.model.ProjectPlan;
import io.heapsdk.warehouse.BuildPlan;
import io.heapsdk.warehouse.SqlRenderer;
import io.heapsdk.warehouse.Warehouse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * Writes the SQL of every model of a project for one warehouse and one kind of run, one file per model
 * at {@code <dir>/<warehouse>/<model>.sql} (a materialized model's part of the run, the SELECT of an
 * ephemeral one, which never runs on its own), and the whole run, in order, as {@code _run.sql}.
 */
final class SqlFiles {
  /** The file holding the whole run; the underscore keeps it apart from (and sorted before) the models. */
  static final String RUN_FILE = "_run.sql";

  static final String EPHEMERAL_HEADER = "-- ephemeral model: inlined as CTEs into the models that read it\n";

  static final String ACTIVE_USERS_HEADER =
      "-- working table of an incremental run: the users whose facts it recomputes; dropped when the run ends\n"
          + "-- it reads the high-water mark " + RUN_FILE + " computes before it: run " + RUN_FILE + ", the whole run in order\n";

  /**
   * What {@link #RUN_FILE}'s header says of when to run it: a script keeps no run state, so the order is
   * its user's to keep. A review found each wrong order silently mixing two definitions in the facts (an
   * incremental script compiled before a config change, or run after one without a full refresh first),
   * or failing on a bare missing table or column.
   */
  static final Map<BuildPlan.Mode, String> WHEN_TO_RUN =
      Map.of(
          BuildPlan.Mode.FULL_REFRESH,
          "-- run it first, and once after every config change, before the incremental script compiled from the same config;\n"
              + "-- it marks heap run's record of these models (heap__model_state) as written outside heap run, whose next run rebuilds them\n",
          BuildPlan.Mode.INCREMENTAL,
          "-- run it after the full-refresh script (or heap run) built the facts from the same config, one run at a time;\n"
              + "-- after a config change compile both again and run the full-refresh one first: this one would merge the new definition into some rows only;\n"
              + "-- it marks heap run's record of these models (heap__model_state) as written outside heap run, whose next run rebuilds them\n");

  private SqlFiles() {}

  /** The full-refresh SQL; see {@link #write(ProjectPlan, Warehouse, Path, BuildPlan.Mode)}. */
  static List<Path> write(ProjectPlan plan, Warehouse warehouse, Path dir) {
    return write(plan, warehouse, dir, BuildPlan.Mode.FULL_REFRESH);
  }

  /**
   * Writes the files of a {@code mode} run and returns their paths: the models in the plan's dependency
   * order, then (incremental runs) the active-users working table, then {@link #RUN_FILE}.
   */
  static List<Path> write(ProjectPlan plan, Warehouse warehouse, Path dir, BuildPlan.Mode mode) {
    return write(warehouse, dir, files(plan, warehouse, mode));
  }

  /** Writes {@code files} (from {@link #files}) into {@code dir}'s folder for {@code warehouse}. */
  static List<Path> write(Warehouse warehouse, Path dir, Map<String, String> files) {
    Path folder = dir.resolve(warehouse.name());
    List<Path> written = new ArrayList<>();
    files.forEach((name, sql) -> written.add(write(folder, name, sql)));
    return written;
  }

  /**
   * The files of a {@code mode} run, by file name, rendered and not yet written: a name the warehouse
   * refuses fails here, before any file of any warehouse is written.
   */
  static Map<String, String> files(ProjectPlan plan, Warehouse warehouse, BuildPlan.Mode mode) {
    // a full run's build and the ephemeral models' SELECTs from one renderer: the SELECTs are inlined in
    // the build already, rendered once
    SqlRenderer renderer = new SqlRenderer(warehouse, plan);
    BuildPlan build =
        mode == BuildPlan.Mode.INCREMENTAL && plan.incremental().isPresent()
            ? BuildPlan.of(warehouse, plan, mode)
            : BuildPlan.fullRefresh(renderer);
    Map<String, String> files = new LinkedHashMap<>();
    texts(plan, build, renderer).forEach((model, sql) -> files.put(model + ".sql", sql));
    if (build.mode() == BuildPlan.Mode.INCREMENTAL) {
      // the run's own model: every fact's changes are computed for the users it selects
      String active = plan.incremental().orElseThrow().activeUsers().name();
      files.put(active + ".sql", ACTIVE_USERS_HEADER + build.script(active));
    }
    String header =
        "-- the whole " + modeName(build.mode()) + " run on " + warehouse.name() + ", statements in order\n"
            + WHEN_TO_RUN.get(build.mode())
            + unqualifiedNames(plan, warehouse)
            + "\n";
    files.put(RUN_FILE, header + build.script());
    return files;
  }

  /**
   * The text of each model's file, by model in the plan's dependency order: what {@code heap compile}
   * writes and {@code heap docs} shows.
   */
  static Map<String, String> texts(ProjectPlan plan, Warehouse warehouse, BuildPlan.Mode mode) {
    return texts(plan, warehouse, BuildPlan.of(warehouse, plan, mode));
  }

  private static Map<String, String> texts(ProjectPlan plan, Warehouse warehouse, BuildPlan build) {
    return texts(plan, build, new SqlRenderer(warehouse, plan));
  }

  private static Map<String, String> texts(ProjectPlan plan, BuildPlan build, SqlRenderer renderer) {
    Map<String, String> texts = new LinkedHashMap<>();
    for (PlannedModel m : plan.models()) {
      texts.put(
          m.name(),
          m.model().materialization() == Materialization.EPHEMERAL
              ? EPHEMERAL_HEADER + renderer.select(m.name()) + "\n"
              : partHeader(m.name(), build.mode()) + build.script(m.name()));
    }
    return texts;
  }

  /**
   * The first line of a materialized model's file: its statements are a part of the run, which a user
   * running the files one by one would find failing on the target schema or the working tables the run
   * makes before them (a probe ran them with psql).
   */
  static String partHeader(String model, BuildPlan.Mode mode) {
    return "-- " + model + "'s part of the " + modeName(mode) + " run, to read: it needs the statements before it in "
        + RUN_FILE + " (the target schema"
        + (mode == BuildPlan.Mode.INCREMENTAL ? ", the high-water mark and the active users" : "")
        + ", the models it reads): run " + RUN_FILE + ", the whole run in order\n\n";
  }

  /**
   * A line for {@link #RUN_FILE}'s header where tables are named without the level above the schema
   * ({@code target.database}, {@code source.database} not set) on a warehouse whose session picks it:
   * run by hand, the script reads and writes wherever that session points.
   */
  private static String unqualifiedNames(ProjectPlan plan, Warehouse warehouse) {
    if (plan.config().targetDatabase().isPresent() && plan.config().sourceDatabase().isPresent()) {
      return "";
    }
    return warehouse.unqualifiedNamesResolveIn()
        .map(where -> "-- tables named without target.database or source.database resolve in " + where
            + ": run it there, or set both in the config\n")
        .orElse("");
  }

  /** {@code full-refresh} or {@code incremental}, as the commands print it. */
  static String modeName(BuildPlan.Mode mode) {
    return mode.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static Path write(Path folder, String name, String sql) {
    Path file = folder.resolve(name);
    writeText(file, sql);
    return file;
  }

  /**
   * Refuses an {@code --out} that names an existing file, or a folder heap may not write in (or create),
   * before any work is done: the SQL goes into folders below it.
   */
  static void requireFolder(CommandLine command, String option, Path dir) {
    // an empty --out '' is the working folder to Java: the SQL went there, exit 0
    if (dir.toString().isBlank()) {
      throw new ParameterException(command, option + ": expected a folder name, got an empty one");
    }
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new ParameterException(command, option + ": " + dir + " is a file; expected a folder (it is created when missing)");
    }
    // the folder, or the one it will be created in: heap demo found out only after its sample and builds
    Path target = dir.toAbsolutePath().normalize();
    Path existing = target;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing != null && Files.isDirectory(existing) && !Files.isWritable(existing)) {
      throw new ParameterException(
          command,
          option + ": " + (existing.equals(target) ? "" : dir + " cannot be created: ") + "no permission to write in folder " + existing);
    }
  }

  /**
   * Writes a file, creating its folder; an unwritable place is the user's to fix, hence a HeapException.
   * The text goes into a file of its own beside it first, then replaces {@code file} in one rename: a
   * write stopped part-way (Ctrl-C, a full disk) leaves the file as it was, never half of it, for the
   * deployment or the browser that reads it next.
   */
  static void writeText(Path file, String text) {
    // a signal during the write waits for it to end, its file beside the target renamed or removed
    try (Interrupts.Registration write = Interrupts.writing(file)) {
      replace(file, text);
    }
  }

  private static void replace(Path file, String text) {
    Path temp = null;
    try {
      Path target = file.toAbsolutePath();
      Path folder = target.getParent();
      Files.createDirectories(folder);
      // not Files.createTempFile: it makes the file readable by its owner only, and the SQL and reports
      // are for others too (the umask decides, as for any file the user writes)
      temp = folder.resolve("." + target.getFileName() + "." + ProcessHandle.current().pid() + "." + System.nanoTime() + ".tmp");
      if (Files.isDirectory(target)) {
        throw new FileSystemException(target.toString(), null, "is a folder, not a file");
      }
      // an encoder that reports, as Files.writeString does: a lone surrogate is an error, not a '?'
      ByteBuffer bytes = StandardCharsets.UTF_8.newEncoder().encode(CharBuffer.wrap(text));
      try (SeekableByteChannel channel = Files.newByteChannel(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        while (bytes.hasRemaining()) {
          channel.write(bytes);
        }
      }
      try {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      removeLeftovers(folder);
    } catch (IOException e) {
      throw new HeapException("cannot write " + file + ": " + reason(e), e);
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException e) {
          // the write's own outcome is what to report; a stray temporary file is harmless
        }
      }
    }
  }

  /** Folders {@link #removeLeftovers} has swept in this process: once each, not at every file. */
  private static final java.util.Set<Path> SWEPT = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** What {@link #replace} names the file it writes beside {@code <name>}: {@code .<name>.<pid>.<n>.tmp}. */
  private static final Pattern OWN_FILE = Pattern.compile("\\..+\\.(\\d+)\\.\\d+\\.tmp");

  /**
   * Removes, once per folder and process, what writes by processes that are gone left in {@code folder}
   * ({@code kill -9} mid-write, which nothing can catch): the files {@link #replace} writes beside its
   * targets, of a pid no longer running.
   */
  private static void removeLeftovers(Path folder) {
    if (!SWEPT.add(folder)) {
      return;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, f -> OWN_FILE.matcher(f.getFileName().toString()).matches())) {
      for (Path f : files) {
        Matcher m = OWN_FILE.matcher(f.getFileName().toString());
        if (m.matches() && !ProcessHandle.of(Long.parseLong(m.group(1))).map(ProcessHandle::isAlive).orElse(false)) {
          Files.deleteIfExists(f);
        }
      }
    } catch (IOException | NumberFormatException e) {
      // a leftover stays; the file itself was written
    }
  }

  /** What went wrong, in the operating system's words where it has them; never the exception's class. */
  static String reason(IOException e) {
    if (e instanceof FileSystemException fs) {
      String where = fs.getFile() == null ? "" : fs.getFile() + ": ";
      if (e instanceof AccessDeniedException) {
        return where + "permission denied";
      }
      if (e instanceof FileAlreadyExistsException) {
        return where + "is a file, not a folder";
      }
      if (e instanceof NoSuchFileException) {
        return where + "no such file or folder, and it cannot be created there";
      }
      if (fs.getReason() != null) {
        String r = fs.getReason();
        return where + r.substring(0, 1).toLowerCase(Locale.ROOT) + r.substring(1);
      }
    }
    return e.getMessage() == null ? "input/output error" : e.getMessage();
  }
}
