package io.heapsdk.cli;

import io.heapsdk.HeapException;
import io.heapsdk.config.HeapConfig;
import io.heapsdk.config.HeapConfigException;
import io.heapsdk.config.UserText;
import io.heapsdk.model.HeapProject;
import io.heapsdk.model.PlannedModel;
import io.heapsdk.model.ProjectPlan;
import io.heapsdk.run.Fingerprints;
import io.heapsdk.run.JdbcRunner;
import io.heapsdk.run.RunState;
import io.heapsdk.run.TableLookup;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code heap status}: the target schema's last runs, its run lock and the definition changes pending. */
@Command(
    name = "status",
    header = "Show the last runs and the definition changes the next run applies.",
    description =
        "Reads the run state heap keeps in target.schema (heap__runs, heap__model_state, heap__run_lock, heap__run_settings)"
            + " and prints the last runs, the run holding the lock if any, and for each model whether the"
            + " config now defines it differently from the table's (the next `heap run` rebuilds those in"
            + " full, with everything downstream of them). Changes nothing.")
final class StatusCommand implements Callable<Integer> {
  @Mixin ConfigOption config;

  @Option(names = "--jdbc", required = true, paramLabel = "URL", description = "The database, e.g. jdbc:h2:file:./heap-db, jdbc:duckdb:heap.duckdb or jdbc:postgresql://host/db.")
  String url;

  @Option(names = "--last", paramLabel = "N", description = "How many runs to list (default 10).")
  int last = 10;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    if (last < 1) {
      throw new ParameterException(spec.commandLine(), "--last must be 1 or more runs, got " + last);
    }
    ProjectPlan plan = HeapProject.standard(config.load()).plan();
    PrintWriter out = spec.commandLine().getOut();
    try (Database db = Database.openExisting(url, plan.config())) {
      // what `heap run` refuses before its first statement, status refuses too, with run's message and exit
      // code (it used to list a config run rejects as "unchanged", exit 0): a config mistake at once, since
      // nothing below means anything for that config; anything else (a view a pending rebuild would drop)
      // after the report, which says what the run would have done
      // a database without Heap's tables: nothing below means anything there either
      db.requireHeapTables(plan.config());
      // the defaults on facts a config built: what the run refuses, before the report (as a config mistake)
      DefaultsGuard.check(new JdbcRunner(db.warehouse()), plan, db, config);
      Optional<JdbcRunner.RunPlan> next = Optional.empty();
      Optional<HeapException> refused = Optional.empty();
      try {
        JdbcRunner runner = new JdbcRunner(db.warehouse());
        // as `heap run` sees a lock held in a database this process has to itself: left by a dead run, so
        // that a run recorded as running crashed (on H2 the next run then rebuilds in full)
        next = Optional.of((db.exclusive() ? runner.staleAfter(Duration.ZERO) : runner).prepare(plan, db.connection(), false));
      } catch (HeapException e) {
        refused = Optional.of(e);
      }
      if (refused.isPresent() && refused.get() instanceof HeapConfigException) {
        throw refused.get();
      }
      boolean mayNot = report(db, plan, next, out);
      if (refused.isPresent()) {
        throw refused.get();
      }
      if (mayNot) {
        // the run would be refused for want of a grant (exit 2, as it exits): a pre-flight check that
        // exited 0 here let a scheduler go on to the run that failed
        return HeapCli.USAGE;
      }
    }
    return HeapCli.OK;
  }

  /** Prints the report; returns whether it said heap's user may not create where the models go. */
  private boolean report(Database db, ProjectPlan plan, Optional<JdbcRunner.RunPlan> next, PrintWriter out) {
    RunState state = new RunState(db.warehouse(), plan.config(), db.connection());
    // shown escaped: a name's newline or bidirectional override would break or reverse the line
    String schema = UserText.visible(plan.config().targetSchema());
    HeapConfig c = plan.config();
    if (!state.exists()) {
      Optional<Boolean> may;
      if (!TableLookup.schemaExists(db.warehouse(), db.connection(), c.targetDatabase(), c.targetSchema())) {
        may = mayCreate(db, c.targetSchema(), false);
        out.println("schema " + schema + " does not exist in " + db.url() + (may.orElse(true)
            ? ": the next run creates it" + (may.isPresent() ? "" : " (if heap's database user may create schemas)") + " and builds every model in full"
            : ", and heap's database user may not create it (no CREATE on the database): have it created, with USAGE and CREATE on it"
                + " granted to that user, or set target.schema to a schema that exists; the next run then builds every model in full"));
      } else {
        may = mayCreate(db, c.targetSchema(), true);
        out.println("no run state in schema " + schema + " of " + db.url()
            + ": no `heap run` has run there yet (or only one from before heap kept state); " + (may.orElse(true)
                ? "the next run builds every model in full" + (may.isPresent() ? "" : " (if heap's database user may create tables in it)")
                : "heap's database user may not create tables in it (it lacks USAGE or CREATE on the schema), which a run needs: grant it"
                    + " USAGE, CREATE ON SCHEMA " + db.warehouse().quote(c.targetSchema()) + "; the next run then builds every model in full"));
      }
      out.flush();
      return !may.orElse(true);
    }
    boolean mayNot = !mayCreate(db, c.targetSchema(), true).orElse(true);
    if (mayNot) {
      // every run writes working tables there, an incremental one too
      out.println("heap's database user may not create tables in schema " + schema + " (it lacks USAGE or CREATE on it), which every run"
          + " needs for its working tables: grant it USAGE, CREATE ON SCHEMA " + db.warehouse().quote(c.targetSchema()) + " before the next run");
    }
    out.println("runs in " + schema + " (newest first):");
    TextTable runs = new TextTable("run", "mode", "status", "started (UTC)", "finished (UTC)", "from mark", "owner", "detail").indent("  ");
    // this process has the database to itself: a run recorded as running, or holding the lock, died
    boolean dead = db.exclusive();
    for (RunState.Run r : state.runs(last)) {
      boolean running = "running".equals(r.status());
      // a run on a server whose database session has ended (PostgreSQL): killed, or the server restarted;
      // and silent since (a live run behind a connection pooler goes on beating)
      LocalDateTime missedBeats = LocalDateTime.now(ZoneOffset.UTC).minus(JdbcRunner.endedSessionGrace(JdbcRunner.DEFAULT_STALE_AFTER));
      boolean sessionEnded =
          running && !dead && r.heartbeatAt().filter(t -> t.isBefore(missedBeats)).isPresent() && state.sessionEnded(r.owner());
      boolean died = running && dead || sessionEnded;
      runs.row(
          r.runId(), r.mode(), died ? "unfinished" : r.status(), time(r.startedAt()), time(r.finishedAt()), time(r.mark()), r.owner(),
          died
              ? (sessionEnded ? "its database session ended before the run did (killed, or the server restarted)" : "its process ended before the run did (killed or crashed)")
                  + "; the next run records it as crashed"
              : r.detail());
    }
    runs.print(out);
    out.println(lockLine(state, dead, LocalDateTime.now(ZoneOffset.UTC)));
    out.println();
    out.println("models (definition now vs. the table's):");
    Map<String, RunState.ModelState> recorded = state.models();
    Fingerprints prints = Fingerprints.of(db.warehouse(), plan);
    TextTable models = new TextTable("model", "rows", "last built by", "next run").indent("  ");
    for (PlannedModel m : plan.materialized()) {
      RunState.ModelState s = recorded.get(m.name());
      String pending;
      Optional<JdbcRunner.ModelDecision> decided =
          next.flatMap(r -> r.decisions().stream().filter(d -> d.model().equals(m.name())).findFirst());
      if (decided.isPresent()) {
        // the run's own decision, a fact downstream of a changed one included (it said "unchanged")
        pending = (decided.get().full() ? "full build: " : "incremental: ") + decided.get().reason();
      } else if (s == null) {
        pending = "full build: no state";
      } else if (s.beingReplaced()) {
        pending = "full build: run " + s.runId() + " stopped at replacing the table";
      } else if (s.writtenOutsideRuns()) {
        pending = "full build: written outside heap run since run " + s.runId();
      } else if (!s.fingerprint().equals(prints.of(m.name()))) {
        pending = "full build: definition changed";
      } else if (next.isEmpty()) {
        // the run is refused before any model (an emptied Heap table): "unchanged" beside that refusal, said
        // after this report, read as if the next run would go ahead (a probe)
        pending = "none: the run is refused (see below)";
      } else {
        pending = "unchanged";
      }
      models.row(
          m.name(), s == null || s.beingReplaced() || s.writtenOutsideRuns() ? "" : s.rows(), s == null ? "" : s.runId() + " (" + s.status() + ")", pending);
    }
    models.print(out);
    // a model some run built that these models do not define: a host application's own, or one removed
    // (its table stays, and goes stale without a word otherwise)
    Set<String> defined = plan.materialized().stream().map(PlannedModel::name).collect(Collectors.toSet());
    recorded.values().stream()
        .filter(s -> !defined.contains(s.model()))
        .forEach(s -> out.println(
            "  " + s.model() + ": built by run " + s.runId() + (s.builtAt().map(t -> " at " + time(Optional.of(t))).orElse(""))
                + (s.writtenOutsideRuns() ? " (written outside heap run since)" : "")
                + ", and not a model here (an application's own, or one removed): heap leaves its table as it is, no longer"
                + " updated by these models' runs; drop it if no one builds it"));
    // a changed lookback moves the next run's mark, which no model's line shows
    int lookback = plan.config().lateArrivalLookbackDays();
    state.lastSuccess().ifPresent(run -> state.lookbackRecordedBy(run).filter(then -> then != lookback).ifPresent(then ->
        out.println("incremental.late_arrival_lookback_days: " + then + " when run " + run.runId() + " recorded its mark, "
            + lookback + " now: the next run's mark moves " + Math.abs(lookback - then) + (Math.abs(lookback - then) == 1 ? " day " : " days ")
            + (lookback > then ? "earlier" : "later") + " (heap run --dry-run shows it)")));
    out.flush();
    return mayNot;
  }

  /**
   * The run lock, and what the next {@code heap run} does about it: a lock left by a run that died is
   * taken over, at once where no other process can be running (an embedded database this process holds)
   * or where the server says the holder's session has ended (PostgreSQL), elsewhere once its heartbeat is
   * older than {@code --stale-after}.
   */
  static String lockLine(RunState state, boolean exclusive, LocalDateTime now) {
    RunState.Lock lock = state.lock();
    if (!exclusive && lock.runId().isPresent() && lock.heartbeatAt().isPresent() && state.sessionEnded(lock.owner())) {
      long grace = JdbcRunner.endedSessionGrace(JdbcRunner.DEFAULT_STALE_AFTER).toSeconds();
      long age = Duration.between(lock.heartbeatAt().get(), now).toSeconds();
      if (age > grace) {
        return "lock: left by " + held(lock) + ", which is no longer running (its database session ended before the run did: killed,"
            + " or the server restarted, and it has missed two heartbeats); the next `heap run` takes the lock over";
      }
      // behind a connection pooler the recorded backend may end under a live run, which goes on beating
      return "lock: held by " + held(lock) + "; the database session it recorded has ended (killed, the server restarted, or a"
          + " connection pooler's backend): if no heartbeat comes, the next `heap run` takes the lock over once the heartbeat is older"
          + " than " + grace + " s (in " + (grace + 1 - age) + " s)";
    }
    return lockLine(lock, exclusive, now);
  }

  private static String held(RunState.Lock lock) {
    return "run " + lock.runId().orElse("?") + " (" + lock.owner() + "), started " + time(lock.startedAt()) + ", last heartbeat "
        + time(lock.heartbeatAt());
  }

  /** {@link #lockLine(RunState, boolean, LocalDateTime)} as a lock read says it, {@code holderDead} where no other process can run. */
  static String lockLine(RunState.Lock lock, boolean holderDead, LocalDateTime now) {
    if (lock.runId().isEmpty()) {
      return "lock: free";
    }
    String held = held(lock);
    if (holderDead) {
      return "lock: left by " + held + ", which is no longer running (its process ended before the run did: killed or crashed);"
          + " the next `heap run` takes the lock over";
    }
    long staleSeconds = JdbcRunner.DEFAULT_STALE_AFTER.toSeconds();
    if (lock.heartbeatAt().isEmpty()) {
      return "lock: held by " + held;
    }
    long age = Duration.between(lock.heartbeatAt().get(), now).toSeconds();
    if (age > staleSeconds) {
      return "lock: held by " + held + "; its heartbeat is " + age + " s old, so that run looks dead: the next `heap run`"
          + " takes the lock over (a heartbeat older than --stale-after, default " + staleSeconds + " s)";
    }
    // a live run renews its heartbeat every fifth of the stale time; a dead one is taken over once stale
    return "lock: held by " + held + "; its heartbeat is " + age + " s old: a `heap run` now fails, or waits for it with --wait SECONDS;"
        + " if that run is dead (killed, its machine lost), the next `heap run` takes the lock over once the heartbeat is older than"
        + " --stale-after (default " + staleSeconds + " s: in " + (staleSeconds + 1 - age) + " s)";
  }

  /**
   * Whether heap's database user may create tables in {@code schema} ({@code exists}) or create it, as the
   * database says ({@link io.heapsdk.warehouse.Warehouse#mayCreateSelect}); empty where it cannot be
   * asked, or the question fails.
   */
  private static Optional<Boolean> mayCreate(Database db, String schema, boolean exists) {
    return db.warehouse().mayCreateSelect(schema, exists).flatMap(sql -> {
      try (java.sql.Statement s = db.connection().createStatement();
          java.sql.ResultSet rs = s.executeQuery(sql)) {
        return rs.next() ? Optional.of(rs.getBoolean(1)) : Optional.<Boolean>empty();
      } catch (java.sql.SQLException e) {
        return Optional.<Boolean>empty();
      }
    });
  }

  private static String time(Optional<LocalDateTime> t) {
    return t.map(v -> v.toString().replace('T', ' ')).orElse("");
  }
}
