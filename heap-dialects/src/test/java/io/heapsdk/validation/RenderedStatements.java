package io.heapsdk.validation;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.Exprs;
import io.heapsdk.model.HeapProject;
import io.heapsdk.model.PlannedModel;
import io.heapsdk.model.ProjectPlan;
import io.heapsdk.quality.ColumnCheck;
import io.heapsdk.quality.DataTest;
import io.heapsdk.quality.DataTests;
import io.heapsdk.quality.TestTarget;
import io.heapsdk.run.SourceTables;
import io.heapsdk.source.SourceTable;
import io.heapsdk.warehouse.DataTestSql;
import io.heapsdk.testing.ActivityModels;
import io.heapsdk.testing.AnalysisFixtures;
import io.heapsdk.testing.GoldenConfigs;
import io.heapsdk.warehouse.BuildPlan;
import io.heapsdk.warehouse.SourceRowsBehindMark;
import io.heapsdk.warehouse.SourcesWithRows;
import io.heapsdk.warehouse.Warehouse;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.tools.RelBuilder;

/**
 * Every statement the SDK renders for a warehouse, as the validators see them: for each scenario (a
 * config and its models), the source-table DDL of {@link SourceTables}, every statement of a full
 * refresh and of an incremental {@link BuildPlan}, and the transaction statements their scripts wrap
 * around SWAP and APPLY steps.
 */
final class RenderedStatements {
  /** One statement and where it came from, for failure messages. */
  record Statement(String scenario, Warehouse warehouse, String run, String step, int index, String sql) {
    String where() {
      return scenario + " / " + warehouse.name() + " / " + run + " / " + step + " #" + index;
    }

    @Override
    public String toString() {
      return where() + ":\n" + sql;
    }
  }

  /** A named project plan the statements are rendered from. */
  record Scenario(String name, ProjectPlan plan, HeapProject project) {
    Scenario(String name, HeapProject project) {
      this(name, project.plan(), project);
    }
  }

  private static final Map<String, List<Statement>> CACHE = new ConcurrentHashMap<>();
  private static final Map<String, List<Scenario>> SCENARIOS = new ConcurrentHashMap<>();

  private RenderedStatements() {}

  /**
   * The scenarios of {@code w}: the three golden configs ({@code standard}; {@code hostile} with quotes,
   * backslashes, newlines and {@code --} in every user string and renamed tables and columns;
   * {@code unicode} with emoji, CJK, right-to-left text and combining marks in every user string and
   * name, plus its Unicode funnels and attributions), each in the warehouse's variant where it has one
   * ({@link GoldenConfigs}); the defaults with identity resolution and a two-step funnel; the standard
   * config with user models of each kind (table, incremental, ephemeral) that read sources and facts;
   * and the standard config with the funnels and attributions of {@link AnalysisFixtures} as tables.
   */
  static List<Scenario> scenarios(Warehouse w) {
    return SCENARIOS.computeIfAbsent(w.name(), n -> build(w));
  }

  private static List<Scenario> build(Warehouse w) {
    HeapConfig standard = GoldenConfigs.load("standard");
    HeapConfig resolving =
        HeapConfig.builder().resolveMigrations(true).funnelEvents(List.of("a", "b")).conversionEvents(List.of("b")).build();
    return List.of(
        new Scenario("standard", HeapProject.standard(standard)),
        new Scenario("hostile", withDeclaredTests(HeapProject.standard(GoldenConfigs.forWarehouse("hostile", w)))),
        new Scenario("unicode", withUnicodeTests(AnalysisFixtures.unicodeProject(GoldenConfigs.forWarehouse("unicode", w)))),
        new Scenario("resolving", HeapProject.standard(resolving)),
        new Scenario("user-models", userModels(standard)),
        new Scenario("activity-models", ActivityModels.project(standard)),
        new Scenario("analyses", AnalysisFixtures.project(standard)),
        // the fingerprints of a reconciling run over renamed tables and columns with hostile names
        new Scenario(
            "reconcile-hostile",
            HeapProject.standard(HeapConfig.builder().from(GoldenConfigs.forWarehouse("hostile", w)).reconcile(true).build())));
  }

  /** Every statement rendered for {@code w}, in run order within each scenario. */
  static List<Statement> of(Warehouse w) {
    return CACHE.computeIfAbsent(w.name(), n -> render(w));
  }

  private static List<Statement> render(Warehouse w) {
    List<Statement> all = new ArrayList<>();
    for (Scenario s : scenarios(w)) {
      List<String> ddl = new SourceTables(w, s.plan().config()).createStatements();
      for (int i = 0; i < ddl.size(); i++) {
        all.add(new Statement(s.name(), w, "sources", "(source tables)", i, ddl.get(i)));
      }
      add(all, s.name(), "full", BuildPlan.fullRefresh(w, s.plan()));
      add(all, s.name(), "incremental", BuildPlan.incremental(w, s.plan()));
      if (w.refillsInPlace()) {
        // a full refresh that keeps every table (the runner's choice for tables holding their definition)
        Set<String> tables = s.plan().materialized().stream().map(PlannedModel::name).collect(Collectors.toSet());
        add(all, s.name(), "refill", BuildPlan.fullRefresh(w, s.plan(), "", tables));
      }
      // the source rows behind a run's mark and the next one (counted as a run records its next mark)
      all.add(
          new Statement(
              s.name(), w, "state", "rows behind the mark", 0,
              new SourceRowsBehindMark(w, s.plan().config())
                  .countSelect(Optional.of(LocalDateTime.of(2024, 3, 7, 10, 0)), LocalDateTime.of(2024, 3, 8, 0, 0))));
      // a plain run where a reconciling one stored fingerprints: it forgets those of the users it recomputes
      if (s.name().equals("hostile")) {
        add(all, s.name(), "incremental after reconciling",
            BuildPlan.incremental(w, s.plan(), new BuildPlan.RunShape("", Set.of(), Optional.empty(), Set.of(), true)));
      }
      // which Heap tables hold a row (read before every run: an emptied one is refused)
      all.add(
          new Statement(
              s.name(), w, "state", "sources with rows", 0,
              new SourcesWithRows(w, s.plan().config()).select(s.plan().config().catalog().tables())));
      // data tests and freshness: what `heap test` runs
      DataTestSql tests = new DataTestSql(w, s.project());
      int i = 0;
      for (SourceTable t : s.plan().config().catalog().tables()) {
        if (t.freshness().isPresent()) {
          all.add(new Statement(s.name(), w, "test", "freshness " + t.name(), i++, tests.newestTime(t, t.freshness().get())));
        }
      }
      for (DataTest t : DataTests.of(s.project())) {
        all.add(new Statement(s.name(), w, "test", t.name() + " count", i++, tests.failingCount(t)));
        all.add(new Statement(s.name(), w, "test", t.name() + " sample", i++, tests.failingSample(t)));
      }
    }
    return all;
  }

  private static void add(List<Statement> all, String scenario, String run, BuildPlan plan) {
    Warehouse w = plan.warehouse();
    boolean transactions = false;
    for (BuildPlan.Step step : plan.steps()) {
      List<String> statements = step.statements();
      for (int i = 0; i < statements.size(); i++) {
        all.add(new Statement(scenario, w, run, step.model() + " " + step.phase(), i, statements.get(i)));
      }
      transactions |= step.transactional();
    }
    if (transactions) {
      // BuildPlan.script() wraps SWAP and APPLY steps in these
      all.add(new Statement(scenario, w, run, "(transaction)", 0, w.beginTransaction()));
      all.add(new Statement(scenario, w, run, "(transaction)", 1, w.commitTransaction()));
    }
  }

  /**
   * The hostile scenario's project with the user-declared test kinds: accepted values holding quotes,
   * backslashes, a newline and {@code --} (they must stay literals), and a relationship between two
   * renamed tables.
   */
  static HeapProject withDeclaredTests(HeapProject project) {
    return project
        .test(
            new DataTest(
                TestTarget.model("stg_heap_sessions_inc_fct"),
                ColumnCheck.acceptedValues("heap_session_defined_channel_attribution", "it's", "a\\b", "x\n-- y;")))
        .test(
            new DataTest(
                TestTarget.source("pageviews"),
                ColumnCheck.relationship("session_id", TestTarget.source("sessions"), "session_id")));
  }

  /**
   * The unicode scenario's project with an accepted-values test whose values are emoji, CJK, right-to-left
   * text and both spellings of "café" (they must stay literals), on the renamed Unicode sessions table.
   */
  static HeapProject withUnicodeTests(HeapProject project) {
    return project.test(
        new DataTest(
            TestTarget.source("sessions"),
            ColumnCheck.acceptedValues("utm_medium", "ПОИСК 🔍", "購入する", "\u202Eشراء", "cafe\u0301", "caf\u00e9", "𠮷")));
  }

  /**
   * The standard models plus one user model of each kind, written as a user would with the public API:
   * a table over a fact (README's example), an ephemeral helper over the {@code users} source table
   * (which no standard model reads), and an incremental fact joining both with a window and the
   * portable expressions of {@link Exprs}.
   */
  static HeapProject userModels(HeapConfig config) {
    HeapProject project = HeapProject.standard(config);
    project
        .model("converting_sessions_per_country")
        .description("Sessions with a conversion, per country")
        .plan(
            ctx -> {
              RelBuilder b = ctx.ref("stg_heap_sessions_inc_fct");
              return b.filter(b.field("heap_session_is_conversion"))
                  .aggregate(b.groupKey("heap_session_country"), b.count().as("sessions"))
                  .build();
            });
    project
        .model("identified_users")
        .ephemeral()
        .plan(
            ctx -> {
              RelBuilder b = ctx.source("users");
              b.filter(b.isNotNull(b.field("identity")));
              return b.project(
                      List.of(b.field("user_id"), b.field("identity"), b.field("joindate")),
                      List.of("heap_user_id", "user_identity", "user_joindate"))
                  .build();
            });
    project
        .model("identified_user_sessions")
        .incremental("heap_session_id", "session_start")
        .plan(
            ctx -> {
              RelBuilder b = ctx.builder();
              ctx.ref("stg_heap_sessions_inc_fct");
              ctx.ref("identified_users");
              b.join(JoinRelType.INNER, b.equals(b.field(2, 0, "heap_user_id"), b.field(2, 1, "heap_user_id")));
              RexNode user = b.field(1); // the sessions fact's heap_user_id (both inputs have one)
              RexNode start = b.field("heap_session_start_time");
              return b.project(
                      b.field("heap_session_id"),
                      b.alias(user, "heap_user_id"),
                      b.field("user_identity"),
                      b.alias(start, "session_start"),
                      b.alias(Exprs.addDays(b, start, 7), "week_after_start"),
                      b.alias(Exprs.epochSeconds(b, start), "session_start_epoch"),
                      b.alias(Exprs.containsIgnoreCase(b, b.field("heap_session_landing_page"), "pricing"), "landed_on_pricing"),
                      b.alias(Exprs.concat(b, b.field("user_identity"), b.literal("@"), Exprs.asText(b, user)), "identity_key"),
                      b.aggregateCall(SqlStdOperatorTable.ROW_NUMBER)
                          .over()
                          .partitionBy(user)
                          .orderBy(start, b.field("heap_session_id"))
                          .as("session_rank"))
                  .build();
            });
    return project;
  }
}
