package io.heapsdk.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.fail;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.config.HeapConfigException;
import io.heapsdk.source.ColumnType;
import io.heapsdk.source.PassThroughColumn;
import io.heapsdk.model.standard.StandardModels;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexOver;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.tools.RelBuilder;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The model graph: the standard models (SPEC §2–3) and user models defined through the same API, planned
 * in dependency order; and the errors of a model that cannot be planned.
 *
 * <p>Expected names and column lists are written out by hand from SPEC.md and the seed README.
 */
class HeapProjectTest {
  /** A model begun and never given its query was left out of the plan without a word, its tests with it. */
  @Test
  void aModelNeverGivenItsQueryIsNamedWhenPlanned() {
    HeapProject p = HeapProject.standard(CONFIG);
    p.model("forgot_plan").description("d");
    for (Throwable e : List.of(catchThrowable(p::plan), catchThrowable(p::planFull))) {
      assertThat(e)
          .isInstanceOf(HeapModelException.class)
          .hasMessage(
              "model forgot_plan: begun with HeapProject.model(\"forgot_plan\") but never given its query: finish it with .plan(ctx -> …),"
                  + " which adds it to the project");
    }
  }

  /**
   * The models' schema is the Heap tables' schema, and a Heap table is named as a model or one of its
   * working tables: planning refuses, naming the Heap table's key, since a run would replace the table
   * (the users table became the sessions fact, exit 0). In schemas of their own the same names are fine.
   */
  @Test
  void aHeapTableNamedAsATableARunWritesIsRefusedInTheModelsSchema() {
    for (String[] named : List.of(
        new String[] {"STG_HEAP_SESSIONS_INC_FCT", "the model stg_heap_sessions_inc_fct"},
        new String[] {"stg_heap_events_all_inc_fct__events_ranked", "the working tables of the model stg_heap_events_all_inc_fct"},
        new String[] {"heap__runs", "heap's own tables (heap__…)"},
        new String[] {"\"stg_heap_sessions_inc_fct\"", "the model stg_heap_sessions_inc_fct"})) {
      HeapConfig sameSchema =
          HeapConfig.builder().sourceSchema("analytics").targetSchema("Analytics").putSourceTables("users", named[0]).build();
      Throwable e = catchThrowable(() -> HeapProject.standard(sameSchema).plan());
      assertThat(e).as(named[0]).isInstanceOf(HeapConfigException.class);
      assertThat(((HeapConfigException) e).keyPath()).isEqualTo("source.tables.users");
      assertThat(((HeapConfigException) e).problem())
          .isEqualTo(
              "Heap's users table is " + named[0] + " in schema analytics, where target.schema puts the models, and a run would replace it"
                  + " with " + named[1] + ": give the models a schema of their own (target.schema), or name the Heap table as it is");
      assertThat(catchThrowable(() -> HeapProject.standard(sameSchema).planFull())).isInstanceOf(HeapConfigException.class);
      HeapConfig apart = HeapConfig.builder().sourceSchema("analytics").targetSchema("heap_models").putSourceTables("users", named[0]).build();
      assertThat(HeapProject.standard(apart).plan().models()).isNotEmpty();
    }
    // a database set for the models only may be the connection's, where the Heap tables are
    HeapConfig targetDatabase =
        HeapConfig.builder().targetDatabase("prod").sourceSchema("analytics").targetSchema("analytics").putSourceTables("users", "heap__users").build();
    assertThat(catchThrowable(() -> HeapProject.standard(targetDatabase).plan())).isInstanceOf(HeapConfigException.class);
    // one schema, names apart: planned
    HeapConfig together = HeapConfig.builder().sourceSchema("analytics").targetSchema("analytics").build();
    assertThat(HeapProject.standard(together).plan().models()).isNotEmpty();
  }


  // the model names of SPEC §2-3 / the seed project
  static final String EVENTS_EPH = "src_heap_events_all_eph";
  static final String PAGEVIEWS_EPH = "src_heap_pageviews_eph";
  static final String SESSIONS_EPH = "src_heap_sessions_eph";
  static final String EVENTS_FCT = "stg_heap_events_all_inc_fct";
  static final String PAGEVIEWS_FCT = "stg_heap_pageview_sessions_inc_fct";
  static final String SESSIONS_FCT = "stg_heap_sessions_inc_fct";

  /** A 3-step funnel, a 7-day conversion window and two pass-through pageview properties. */
  static final HeapConfig CONFIG =
      HeapConfig.builder()
          .addFunnelEvents("view_product", "add_to_cart", "purchase")
          .addConversionEvents("purchase")
          .conversionWindowDays(7)
          .addPageviewProperties(PassThroughColumn.varchar("gtm_campaign"))
          .addPageviewProperties(new PassThroughColumn("gtm_revenue", ColumnType.DOUBLE))
          .build();

  /** SPEC §3, events fact. */
  static final List<String> EVENTS_FACT_COLUMNS =
      List.of(
          "heap_event_id",
          "heap_user_id",
          "heap_session_id",
          "heap_event_name",
          "heap_event_time",
          "heap_session_event_sequence",
          "heap_event_funnel_position",
          "heap_event_is_conversion");

  /** The seed README's pageview table, in its order. */
  static final List<String> PAGEVIEW_FACT_COLUMNS =
      List.of(
          "heap_pageview_id",
          "heap_user_id",
          "heap_session_id",
          "heap_pageview_time",
          "heap_pageview_domain",
          "heap_pageview_path",
          "heap_pageview_query",
          "heap_pageview_hash",
          "heap_pageview_title",
          "heap_pageview_previous_page",
          "heap_pageview_session_id",
          "heap_pageview_session_index",
          "heap_pageview_session_sequence_number",
          "heap_pageview_session_start_time",
          "heap_pageview_session_end_time",
          "heap_pageview_session_first_pageview_id",
          "heap_pageview_session_last_pageview_id",
          "heap_pageview_session_start_epoch",
          "heap_pageview_session_end_epoch");

  /**
   * The seed README's sessions table with SPEC §3's additions (the funnel step counts and the conversion
   * count before {@code heap_session_is_conversion}), for a window of {@code days} and {@code steps} steps.
   */
  static List<String> sessionFactColumns(int days, int steps) {
    List<String> c = new ArrayList<>();
    c.add("heap_session_id");
    c.add("heap_user_id");
    c.add("heap_session_sequence_num");
    c.add("heap_session_start_time");
    c.add("heap_session_conversion_lookback_" + days + "d");
    c.add("heap_session_conversion_lookforward_" + days + "d");
    c.add("heap_session_country");
    c.add("heap_session_region");
    c.add("heap_session_city");
    c.add("heap_session_ip");
    c.add("heap_session_referrer");
    c.add("heap_session_landing_page");
    c.add("heap_session_landing_page_query");
    c.add("heap_session_landing_page_hash");
    c.add("heap_session_browser");
    c.add("heap_session_utm_source");
    c.add("heap_session_utm_campaign");
    c.add("heap_session_utm_medium");
    c.add("heap_session_utm_term");
    c.add("heap_session_utm_content");
    // beyond the seed table: Heap's device columns, kept for funnel breakdowns (README, "Choices")
    c.add("heap_session_library");
    c.add("heap_session_platform");
    c.add("heap_session_device_type");
    c.add("heap_session_device");
    c.add("heap_session_defined_channel_attribution");
    for (int i = 1; i <= steps; i++) {
      c.add("heap_session_funnel_step_" + i + "_cnt");
    }
    c.add("heap_session_conversion_cnt");
    c.add("heap_session_is_conversion");
    return c;
  }

  private static HeapModelException planError(HeapProject project) {
    try {
      ProjectPlan p = project.plan();
      throw new AssertionError("expected a HeapModelException, planned " + p.models().size() + " models");
    } catch (HeapModelException e) {
      return e;
    }
  }

  private static HeapModelException defineError(Runnable define) {
    try {
      define.run();
      throw new AssertionError("expected a HeapModelException");
    } catch (HeapModelException e) {
      return e;
    }
  }

  private static void assertDependencyOrder(ProjectPlan plan) {
    List<String> order = plan.models().stream().map(PlannedModel::name).collect(Collectors.toList());
    for (int i = 0; i < order.size(); i++) {
      PlannedModel m = plan.models().get(i);
      for (String ref : m.refs()) {
        assertThat(order.subList(0, i))
            .as("%s refs %s, which must come earlier in %s", m.name(), ref, order)
            .contains(ref);
      }
    }
  }

  private static List<String> stageNames(PlannedModel m) {
    return m.stages().stream().map(Stage::name).collect(Collectors.toList());
  }

  /** Window functions may only be the top projection of a stage or of the model's final relation. */
  private static void assertWindowsOnlyOnTop(String where, RelNode rel, boolean top) {
    if (!top && rel instanceof Project p && RexOver.containsOver(p.getProjects(), null)) {
      fail(where + ": a windowed projection below the top of its stage: " + rel.explain());
    }
    for (RelNode in : rel.getInputs()) {
      assertWindowsOnlyOnTop(where, in, false);
    }
  }

  private static Optional<Placeholder> placeholderOf(RelNode rel) {
    if (rel instanceof TableScan scan) {
      return Placeholder.decode(scan.getTable().getQualifiedName());
    }
    return Optional.empty();
  }

  // ---------------------------------------------------------------------------------------------
  // the standard models

  @Nested
  class StandardProject {
    final ProjectPlan plan = HeapProject.standard(CONFIG).plan();

    @Test
    void holdsTheStandardModels() {
      // SPEC §2-3's six, plus the identity map of SPEC §2 (used when identity.resolve_migrations is on)
      assertThat(plan.models())
          .extracting(PlannedModel::name)
          .containsExactlyInAnyOrder(
              "src_heap_identity_map_eph", EVENTS_EPH, PAGEVIEWS_EPH, SESSIONS_EPH, EVENTS_FCT, PAGEVIEWS_FCT, SESSIONS_FCT);
      assertThat(plan.materialized())
          .extracting(PlannedModel::name)
          .containsExactlyInAnyOrder(EVENTS_FCT, PAGEVIEWS_FCT, SESSIONS_FCT);
      assertThat(plan.config()).isEqualTo(CONFIG);
    }

    @Test
    void ordersModelsAfterWhatTheyRef() {
      assertDependencyOrder(plan);
      List<String> materialized = plan.materialized().stream().map(PlannedModel::name).collect(Collectors.toList());
      // the sessions fact counts funnel steps and conversions from the events fact
      assertThat(plan.model(SESSIONS_FCT).refs()).contains(SESSIONS_EPH);
      if (plan.model(SESSIONS_FCT).refs().contains(EVENTS_FCT)) {
        assertThat(materialized.indexOf(EVENTS_FCT)).isLessThan(materialized.indexOf(SESSIONS_FCT));
      }
    }

    @Test
    void ephemeralTransformsReadTheirHeapTables() {
      for (String eph : List.of(EVENTS_EPH, PAGEVIEWS_EPH, SESSIONS_EPH)) {
        assertThat(plan.model(eph).model().materialization()).as(eph).isEqualTo(Materialization.EPHEMERAL);
        assertThat(plan.model(eph).model().materialization().isMaterialized()).isFalse();
      }
      assertThat(plan.model(EVENTS_EPH).sources()).containsExactly("all_events");
      assertThat(plan.model(PAGEVIEWS_EPH).sources()).containsExactly("pageviews");
      assertThat(plan.model(SESSIONS_EPH).sources()).containsExactly("sessions");
    }

    @Test
    void factsAreIncrementalWithTheirKeysAndTimeColumns() {
      Model events = plan.model(EVENTS_FCT).model();
      assertThat(events.materialization()).isEqualTo(Materialization.INCREMENTAL);
      assertThat(events.uniqueKey()).contains("heap_event_id");
      assertThat(events.timeColumn()).contains("heap_event_time");

      Model pageviews = plan.model(PAGEVIEWS_FCT).model();
      assertThat(pageviews.materialization()).isEqualTo(Materialization.INCREMENTAL);
      assertThat(pageviews.uniqueKey()).contains("heap_pageview_id");
      assertThat(pageviews.timeColumn()).contains("heap_pageview_time");

      Model sessions = plan.model(SESSIONS_FCT).model();
      assertThat(sessions.materialization()).isEqualTo(Materialization.INCREMENTAL);
      assertThat(sessions.uniqueKey()).contains("heap_session_id");
      assertThat(sessions.timeColumn()).contains("heap_session_start_time");
    }

    @Test
    void factsReadTheirEphemeralTransforms() {
      assertThat(plan.model(EVENTS_FCT).refs()).contains(EVENTS_EPH);
      assertThat(plan.model(PAGEVIEWS_FCT).refs()).contains(PAGEVIEWS_EPH);
      assertThat(plan.model(SESSIONS_FCT).refs()).contains(SESSIONS_EPH);
      assertThat(plan.ephemeralUpstream(EVENTS_FCT)).extracting(PlannedModel::name).containsExactly(EVENTS_EPH);
      assertThat(plan.ephemeralUpstream(PAGEVIEWS_FCT)).extracting(PlannedModel::name).containsExactly(PAGEVIEWS_EPH);
      assertThat(plan.ephemeralUpstream(SESSIONS_FCT)).extracting(PlannedModel::name).contains(SESSIONS_EPH);
    }

    @Test
    void eventsFactColumns() {
      assertThat(plan.model(EVENTS_FCT).columnNames()).containsExactlyElementsOf(EVENTS_FACT_COLUMNS);
    }

    @Test
    void pageviewFactColumnsEndWithThePassThroughProperties() {
      List<String> expected = new ArrayList<>(PAGEVIEW_FACT_COLUMNS);
      expected.add("gtm_campaign");
      expected.add("gtm_revenue");
      assertThat(plan.model(PAGEVIEWS_FCT).columnNames()).containsExactlyElementsOf(expected);
      RelDataType row = plan.model(PAGEVIEWS_FCT).rowType();
      assertThat(row.getField("gtm_campaign", true, false).getType().getSqlTypeName()).isEqualTo(SqlTypeName.VARCHAR);
      assertThat(row.getField("gtm_revenue", true, false).getType().getSqlTypeName()).isEqualTo(SqlTypeName.DOUBLE);
    }

    @Test
    void sessionsFactColumnsForA3StepFunnelAndA7DayWindow() {
      assertThat(plan.model(SESSIONS_FCT).columnNames()).containsExactlyElementsOf(sessionFactColumns(7, 3));
    }

    @Test
    void sessionsFactColumnsCarryTheConfiguredWindowNotTheDefault() {
      assertThat(plan.model(SESSIONS_FCT).columnNames())
          .contains("heap_session_conversion_lookback_7d", "heap_session_conversion_lookforward_7d")
          .doesNotContain("heap_session_conversion_lookback_14d", "heap_session_conversion_lookforward_14d")
          .contains("heap_session_funnel_step_1_cnt", "heap_session_funnel_step_2_cnt", "heap_session_funnel_step_3_cnt")
          .doesNotContain("heap_session_funnel_step_0_cnt", "heap_session_funnel_step_4_cnt");
    }

    /** Issue, "Fluent model API": incremental facts carry a description per column. */
    @Test
    void everyFactColumnIsDocumented() {
      for (PlannedModel fact : plan.materialized()) {
        assertThat(fact.model().description()).as(fact.name()).isNotBlank();
        assertThat(fact.model().columnDescriptions().keySet())
            .as("documented columns of %s", fact.name())
            .containsExactlyInAnyOrderElementsOf(fact.columnNames());
        assertThat(fact.model().columnDescriptions().values()).as(fact.name()).allSatisfy(d -> assertThat(d).isNotBlank());
      }
    }

    @Test
    void keyAndTimeColumnTypes() {
      RelDataType events = plan.model(EVENTS_FCT).rowType();
      assertThat(events.getField("heap_event_time", true, false).getType().getSqlTypeName()).isEqualTo(SqlTypeName.TIMESTAMP);
      assertThat(events.getField("heap_event_is_conversion", true, false).getType().getSqlTypeName()).isEqualTo(SqlTypeName.BOOLEAN);
      RelDataType sessions = plan.model(SESSIONS_FCT).rowType();
      assertThat(sessions.getField("heap_session_start_time", true, false).getType().getSqlTypeName()).isEqualTo(SqlTypeName.TIMESTAMP);
      assertThat(sessions.getField("heap_session_conversion_lookback_7d", true, false).getType().getSqlTypeName()).isEqualTo(SqlTypeName.TIMESTAMP);
      assertThat(sessions.getField("heap_session_is_conversion", true, false).getType().getSqlTypeName()).isEqualTo(SqlTypeName.BOOLEAN);
      RelDataType pageviews = plan.model(PAGEVIEWS_FCT).rowType();
      assertThat(pageviews.getField("heap_pageview_session_start_time", true, false).getType().getSqlTypeName()).isEqualTo(SqlTypeName.TIMESTAMP);
      assertThat(pageviews.getField("heap_pageview_session_id", true, false).getType().getSqlTypeName()).isEqualTo(SqlTypeName.VARCHAR);
    }

    @Test
    void windowFunctionsAreOnlyAtTheTopOfAStage() {
      for (PlannedModel m : plan.models()) {
        for (Stage s : m.stages()) {
          assertWindowsOnlyOnTop(m.name() + " stage " + s.name(), s.rel(), true);
        }
        assertWindowsOnlyOnTop(m.name(), m.root(), true);
      }
    }

    @Test
    void stageNamesAreUniqueAcrossTheProjectAndNeverModelNames() {
      List<String> all = new ArrayList<>();
      plan.models().forEach(m -> all.addAll(stageNames(m)));
      assertThat(all).doesNotHaveDuplicates();
      assertThat(all).doesNotContainAnyElementsOf(plan.models().stream().map(PlannedModel::name).collect(Collectors.toList()));
    }
  }

  @Test
  void defaultConfigGives14DayColumnsAndNoFunnelSteps() {
    ProjectPlan plan = HeapProject.standard(HeapConfig.defaults()).plan();
    assertThat(plan.model(SESSIONS_FCT).columnNames()).containsExactlyElementsOf(sessionFactColumns(14, 0));
    assertThat(plan.model(PAGEVIEWS_FCT).columnNames()).containsExactlyElementsOf(PAGEVIEW_FACT_COLUMNS);
    assertThat(plan.model(EVENTS_FCT).columnNames()).containsExactlyElementsOf(EVENTS_FACT_COLUMNS);
  }

  @Test
  void standardModelsPlanWithRenamedTablesAndColumns() {
    HeapConfig renamed =
        HeapConfig.builder()
            .putSourceTables("pageviews", "pv")
            .putSourceColumns("pageviews.time", "event_time")
            .putSourceColumns("pageviews.previous_page", "heap_previous_page")
            .putSourceColumns("sessions.session_id", "sid")
            .putSourceColumns("all_events.event_table_name", "event_name")
            .build();
    ProjectPlan plan = HeapProject.standard(renamed).plan();
    // the renames are the physical side only: the facts keep their heap_* columns
    assertThat(plan.model(PAGEVIEWS_FCT).columnNames()).containsExactlyElementsOf(PAGEVIEW_FACT_COLUMNS);
    assertThat(plan.model(EVENTS_FCT).columnNames()).containsExactlyElementsOf(EVENTS_FACT_COLUMNS);
  }

  /**
   * A custom pageview property may have any name that is not one of the pageview table's columns, for
   * example {@code session_start_time}; it must not change what the built-in fact columns are computed
   * from (here: their types stay those of a project without the property).
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "session_start_time",
        "session_end_time",
        "session_first_pageview_id",
        "session_last_pageview_id",
        "session_sequence_number"
      })
  void passThroughPropertyDoesNotReplaceABuiltInColumn(String property) {
    HeapConfig plain = HeapConfig.defaults();
    HeapConfig withProperty = HeapConfig.builder().addPageviewProperties(PassThroughColumn.varchar(property)).build();
    RelDataType expected = HeapProject.standard(plain).plan().model(PAGEVIEWS_FCT).rowType();
    RelDataType actual = HeapProject.standard(withProperty).plan().model(PAGEVIEWS_FCT).rowType();
    assertThat(actual.getFieldNames()).containsExactlyElementsOf(
        concat(PAGEVIEW_FACT_COLUMNS, property));
    for (String column : PAGEVIEW_FACT_COLUMNS) {
      assertThat(actual.getField(column, true, false).getType().getSqlTypeName())
          .as("type of %s with a pass-through property %s", column, property)
          .isEqualTo(expected.getField(column, true, false).getType().getSqlTypeName());
    }
  }

  /**
   * A pass-through property named like an output column of the pageview fact would give the fact two
   * columns of one name: the config must reject it as a HeapConfigException at its key.
   */
  @ParameterizedTest
  @ValueSource(strings = {"heap_user_id", "heap_pageview_session_id", "heap_pageview_title"})
  void passThroughPropertyNamedLikeAFactColumnIsAConfigError(String property) {
    Throwable t =
        catchThrowable(
            () -> {
              HeapConfig c = HeapConfig.builder().addPageviewProperties(PassThroughColumn.varchar(property)).build();
              HeapProject.standard(c).plan();
            });
    assertThat(t).as("pass-through property %s", property).isInstanceOf(HeapConfigException.class);
    HeapConfigException e = (HeapConfigException) t;
    assertThat(e.keyPath()).isEqualTo("source.pageview_properties[0]");
    assertThat(e.problem()).contains(property);
  }

  private static List<String> concat(List<String> list, String... more) {
    List<String> result = new ArrayList<>(list);
    result.addAll(List.of(more));
    return result;
  }

  // ---------------------------------------------------------------------------------------------
  // user models, first-class

  @Nested
  class UserModels {
    final HeapProject project = HeapProject.standard(CONFIG);

    @Test
    void refFilterAndAggregateAStandardFact() {
      Model m =
          project
              .model("conversions_per_channel")
              .description("US sessions and conversions per channel")
              .column("sessions", "number of sessions")
              .plan(
                  ctx -> {
                    RelBuilder b = ctx.ref(SESSIONS_FCT);
                    b.filter(b.equals(b.field("heap_session_country"), b.literal("United States")));
                    return b.aggregate(
                            b.groupKey("heap_session_defined_channel_attribution"),
                            b.count().as("sessions"),
                            b.sum(b.field("heap_session_conversion_cnt")).as("conversions"))
                        .build();
                  });
      assertThat(m.materialization()).isEqualTo(Materialization.TABLE);

      ProjectPlan plan = project.plan();
      PlannedModel p = plan.model("conversions_per_channel");
      assertThat(p.refs()).containsExactly(SESSIONS_FCT);
      assertThat(p.sources()).isEmpty();
      assertThat(p.columnNames()).containsExactly("heap_session_defined_channel_attribution", "sessions", "conversions");
      assertThat(plan.materialized()).extracting(PlannedModel::name).contains("conversions_per_channel");
      assertDependencyOrder(plan);
      // the user's model reads the fact through a model placeholder, never the source tables
      RelNode scan = p.root();
      while (!scan.getInputs().isEmpty()) {
        scan = scan.getInput(0);
      }
      assertThat(placeholderOf(scan)).contains(new Placeholder(Placeholder.Kind.MODEL, SESSIONS_FCT));
    }

    @Test
    void addColumnsToAStandardFact() {
      project
          .model("pageviews_with_landing_flag")
          .plan(
              ctx -> {
                RelBuilder b = ctx.ref(PAGEVIEWS_FCT);
                List<RexNode> fields = new ArrayList<>(b.fields());
                fields.add(
                    b.alias(
                        b.equals(b.field("heap_pageview_session_sequence_number"), b.literal(1)), "is_landing"));
                fields.add(
                    b.alias(Exprs.addDays(b, b.field("heap_pageview_time"), 1), "heap_pageview_time_plus_1d"));
                return b.project(fields).build();
              });
      PlannedModel p = project.plan().model("pageviews_with_landing_flag");
      assertThat(p.columnNames())
          .containsExactlyElementsOf(
              concat(concat(PAGEVIEW_FACT_COLUMNS, "gtm_campaign", "gtm_revenue"), "is_landing", "heap_pageview_time_plus_1d"));
      assertThat(p.refs()).containsExactly(PAGEVIEWS_FCT);
    }

    @Test
    void joinTwoStandardModels() {
      project
          .model("pageviews_with_channel")
          .plan(
              ctx -> {
                RelBuilder b = ctx.ref(PAGEVIEWS_FCT);
                ctx.ref(SESSIONS_FCT);
                b.join(
                    JoinRelType.INNER,
                    b.equals(b.field(2, 0, "heap_session_id"), b.field(2, 1, "heap_session_id")));
                return b.project(
                        List.of(
                            b.field("heap_pageview_id"),
                            b.field("heap_pageview_time"),
                            b.field("heap_session_defined_channel_attribution")),
                        List.of("heap_pageview_id", "heap_pageview_time", "channel"))
                    .build();
              });
      ProjectPlan plan = project.plan();
      PlannedModel p = plan.model("pageviews_with_channel");
      assertThat(p.refs()).containsExactlyInAnyOrder(PAGEVIEWS_FCT, SESSIONS_FCT);
      assertThat(p.columnNames()).containsExactly("heap_pageview_id", "heap_pageview_time", "channel");
      assertDependencyOrder(plan);
    }

    @Test
    void incrementalUserModel() {
      project
          .model("converting_sessions")
          .incremental("heap_session_id", "heap_session_start_time")
          .description("sessions with a conversion")
          .column("heap_session_id", "the session")
          .column("heap_session_start_time", "its start")
          .plan(
              ctx -> {
                RelBuilder b = ctx.ref(SESSIONS_FCT);
                b.filter(b.field("heap_session_is_conversion"));
                return b.project(b.field("heap_session_id"), b.field("heap_user_id"), b.field("heap_session_start_time"))
                    .build();
              });
      PlannedModel p = project.plan().model("converting_sessions");
      // an incremental model recomputes whole users: heap_user_id is its user column by default
      assertThat(p.model().userColumn()).contains("heap_user_id");
      assertThat(p.model().materialization()).isEqualTo(Materialization.INCREMENTAL);
      assertThat(p.model().uniqueKey()).contains("heap_session_id");
      assertThat(p.model().timeColumn()).contains("heap_session_start_time");
      assertThat(p.model().columnDescriptions()).containsEntry("heap_session_id", "the session");
    }

    @Test
    void ephemeralUserModelIsInlinedIntoItsReaders() {
      project
          .model("us_sessions")
          .ephemeral()
          .plan(
              ctx -> {
                RelBuilder b = ctx.ref(SESSIONS_FCT);
                return b.filter(b.equals(b.field("heap_session_country"), b.literal("US"))).build();
              });
      project
          .model("us_sessions_per_day_count")
          .plan(ctx -> ctx.ref("us_sessions").aggregate(ctx.builder().groupKey(), ctx.builder().count().as("n")).build());
      ProjectPlan plan = project.plan();
      assertThat(plan.materialized()).extracting(PlannedModel::name).doesNotContain("us_sessions");
      assertThat(plan.ephemeralUpstream("us_sessions_per_day_count")).extracting(PlannedModel::name).containsExactly("us_sessions");
      assertDependencyOrder(plan);
    }

    @Test
    void modelsDefinedBeforeWhatTheyRefAreStillPlannedAfterIt() {
      HeapProject p = HeapProject.empty(CONFIG);
      p.model("top_level").plan(ctx -> ctx.ref("middle").project(ctx.builder().field("n")).build());
      p.model("middle")
          .plan(ctx -> ctx.ref(SESSIONS_FCT).aggregate(ctx.builder().groupKey(), ctx.builder().count().as("n")).build());
      StandardModels.addTo(p);
      ProjectPlan plan = p.plan();
      assertDependencyOrder(plan);
      List<String> order = plan.models().stream().map(PlannedModel::name).collect(Collectors.toList());
      assertThat(order.indexOf("middle")).isLessThan(order.indexOf("top_level"));
      assertThat(order.indexOf(SESSIONS_FCT)).isLessThan(order.indexOf("middle"));
      assertThat(order).hasSize(9).doesNotHaveDuplicates();
    }

    @Test
    void userModelReadingASourceTableRecordsIt() {
      project
          .model("raw_migrations")
          .plan(
              ctx -> {
                RelBuilder b = ctx.source("user_migrations");
                return b.project(ctx.field("user_migrations", "from_user_id"), ctx.field("user_migrations", "to_user_id"))
                    .build();
              });
      PlannedModel p = project.plan().model("raw_migrations");
      assertThat(p.sources()).containsExactly("user_migrations");
      assertThat(p.refs()).isEmpty();
      assertThat(p.columnNames()).containsExactly("from_user_id", "to_user_id");
    }

    /** ProjectPlanner isolates a windowed projection under a filter into a stage {@code <model>_windowed}. */
    @Test
    void windowedProjectionUnderAFilterGetsItsOwnStage() {
      project
          .model("first_sessions")
          .plan(
              ctx -> {
                RelBuilder b = ctx.ref(SESSIONS_FCT);
                b.project(
                    b.field("heap_user_id"),
                    b.field("heap_session_id"),
                    b.aggregateCall(SqlStdOperatorTable.ROW_NUMBER)
                        .over()
                        .partitionBy(b.field("heap_user_id"))
                        .orderBy(b.field("heap_session_start_time"), b.field("heap_session_id"))
                        .as("session_rank"));
                return b.filter(b.equals(b.field("session_rank"), b.literal(1))).build();
              });
      PlannedModel p = project.plan().model("first_sessions");

      assertThat(stageNames(p)).contains("first_sessions_windowed");
      Stage windowed = p.stages().stream().filter(s -> s.name().equals("first_sessions_windowed")).findFirst().orElseThrow();
      assertThat(windowed.rel()).isInstanceOf(Project.class);
      assertThat(RexOver.containsOver(((Project) windowed.rel()).getProjects(), null)).isTrue();
      assertThat(windowed.rel().getRowType().getFieldNames()).containsExactly("heap_user_id", "heap_session_id", "session_rank");

      // the model's query filters a scan of that stage
      assertThat(p.root()).isInstanceOf(Filter.class);
      assertThat(placeholderOf(p.root().getInput(0)))
          .contains(new Placeholder(Placeholder.Kind.STAGE, "first_sessions_windowed"));
      assertThat(p.columnNames()).containsExactly("heap_user_id", "heap_session_id", "session_rank");
      assertWindowsOnlyOnTop("first_sessions", p.root(), true);
      for (Stage s : p.stages()) {
        assertWindowsOnlyOnTop(s.name(), s.rel(), true);
      }
    }

    @Test
    void stackedWindowsAndAWindowUnderAnAggregateAreAllIsolated() {
      project
          .model("rank_counts")
          .plan(
              ctx -> {
                RelBuilder b = ctx.ref(SESSIONS_FCT);
                b.project(
                    b.field("heap_user_id"),
                    b.field("heap_session_id"),
                    b.aggregateCall(SqlStdOperatorTable.ROW_NUMBER)
                        .over()
                        .partitionBy(b.field("heap_user_id"))
                        .orderBy(b.field("heap_session_start_time"), b.field("heap_session_id"))
                        .as("session_rank"));
                b.project(
                    b.field("heap_user_id"),
                    b.field("session_rank"),
                    b.aggregateCall(SqlStdOperatorTable.MAX, b.field("session_rank"))
                        .over()
                        .partitionBy(b.field("heap_user_id"))
                        .as("user_sessions"));
                b.filter(b.greaterThan(b.field("user_sessions"), b.literal(1)));
                return b.aggregate(b.groupKey("session_rank"), b.count().as("users")).build();
              });
      PlannedModel p = project.plan().model("rank_counts");
      assertThat(stageNames(p)).isNotEmpty().allSatisfy(n -> assertThat(n).startsWith("rank_counts_windowed"));
      assertThat(stageNames(p)).doesNotHaveDuplicates();
      assertWindowsOnlyOnTop("rank_counts", p.root(), true);
      for (Stage s : p.stages()) {
        assertWindowsOnlyOnTop(s.name(), s.rel(), true);
      }
      assertThat(p.columnNames()).containsExactly("session_rank", "users");
    }

    @Test
    void windowedProjectionOnTopIsLeftInPlace() {
      project
          .model("ranked_sessions")
          .plan(
              ctx -> {
                RelBuilder b = ctx.ref(SESSIONS_FCT);
                return b.project(
                        b.field("heap_session_id"),
                        b.aggregateCall(SqlStdOperatorTable.ROW_NUMBER)
                            .over()
                            .partitionBy(b.field("heap_user_id"))
                            .orderBy(b.field("heap_session_start_time"), b.field("heap_session_id"))
                            .as("session_rank"))
                    .build();
              });
      PlannedModel p = project.plan().model("ranked_sessions");
      assertThat(stageNames(p)).isEmpty();
      assertThat(p.root()).isInstanceOf(Project.class);
    }

    @Test
    void namedStagesOfAUserModelAreKeptInOrder() {
      project
          .model("two_step")
          .plan(
              ctx -> {
                RelBuilder b = ctx.ref(SESSIONS_FCT);
                b.project(b.field("heap_session_id"), b.field("heap_session_country"));
                ctx.stage("two_step_sessions");
                b.filter(b.isNotNull(b.field("heap_session_country")));
                ctx.stage("two_step_with_country");
                return b.aggregate(b.groupKey("heap_session_country"), b.count().as("sessions")).build();
              });
      PlannedModel p = project.plan().model("two_step");
      assertThat(stageNames(p)).containsExactly("two_step_sessions", "two_step_with_country");
      assertThat(p.columnNames()).containsExactly("heap_session_country", "sessions");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // errors, each a HeapModelException naming the model

  @Nested
  class Errors {
    final HeapProject project = HeapProject.standard(CONFIG);

    @Test
    void unknownRefListsTheModels() {
      project.model("my_sessions").plan(ctx -> ctx.ref("stg_heap_session_inc_fct").build());
      HeapModelException e = planError(project);
      assertThat(e.model()).isEqualTo("my_sessions");
      assertThat(e.getMessage())
          .contains("my_sessions")
          .contains("stg_heap_session_inc_fct")
          .contains(SESSIONS_FCT, EVENTS_FCT, PAGEVIEWS_FCT);
    }

    @Test
    void cycleShowsTheCycle() {
      project.model("cycle_a").plan(ctx -> ctx.ref("cycle_b").build());
      project.model("cycle_b").plan(ctx -> ctx.ref("cycle_a").build());
      HeapModelException e = planError(project);
      assertThat(e.model()).isIn("cycle_a", "cycle_b");
      assertThat(e.getMessage()).contains("cycle").contains("cycle_a -> cycle_b -> cycle_a");
    }

    @Test
    void selfRefIsACycle() {
      project.model("narcissus").plan(ctx -> ctx.ref("narcissus").build());
      HeapModelException e = planError(project);
      assertThat(e.model()).isEqualTo("narcissus");
      assertThat(e.getMessage()).contains("narcissus -> narcissus");
    }

    @Test
    void duplicateModelName() {
      HeapModelException e =
          defineError(() -> project.model(SESSIONS_FCT).plan(ctx -> ctx.ref(EVENTS_FCT).build()));
      assertThat(e.model()).isEqualTo(SESSIONS_FCT);
      assertThat(e.getMessage()).contains("already defined");

      project.model("mine").plan(ctx -> ctx.ref(EVENTS_FCT).build());
      HeapModelException again = defineError(() -> project.model("mine").plan(ctx -> ctx.ref(EVENTS_FCT).build()));
      assertThat(again.model()).isEqualTo("mine");
    }

    @Test
    void unnamedAggregateColumnIsRejectedWithAHint() {
      project
          .model("sessions_per_country")
          .plan(
              ctx -> {
                RelBuilder b = ctx.ref(SESSIONS_FCT);
                return b.aggregate(b.groupKey("heap_session_country"), b.count()).build();
              });
      HeapModelException e = planError(project);
      assertThat(e.model()).isEqualTo("sessions_per_country");
      assertThat(e.getMessage()).contains("#2").contains(".as(");
    }

    @Test
    void unnamedProjectedExpressionIsRejected() {
      project
          .model("plus_one")
          .plan(
              ctx -> {
                RelBuilder b = ctx.ref(SESSIONS_FCT);
                return b.project(
                        b.field("heap_session_id"),
                        b.call(SqlStdOperatorTable.PLUS, b.field("heap_session_sequence_num"), b.literal(1)))
                    .build();
              });
      HeapModelException e = planError(project);
      assertThat(e.model()).isEqualTo("plus_one");
      assertThat(e.getMessage()).contains(".as(");
    }

    @Test
    void uniqueKeyNotAmongOutputColumns() {
      project
          .model("my_fact")
          .incremental("session_key", "heap_session_start_time")
          .plan(
              ctx -> {
                RelBuilder b = ctx.ref(SESSIONS_FCT);
                return b.project(b.field("heap_session_id"), b.field("heap_session_start_time")).build();
              });
      HeapModelException e = planError(project);
      assertThat(e.model()).isEqualTo("my_fact");
      assertThat(e.getMessage()).contains("unique key").contains("session_key").contains("heap_session_id");
    }

    @Test
    void timeColumnNotAmongOutputColumns() {
      project
          .model("my_fact")
          .incremental("heap_session_id", "started_at")
          .plan(
              ctx -> {
                RelBuilder b = ctx.ref(SESSIONS_FCT);
                return b.project(b.field("heap_session_id"), b.field("heap_session_start_time")).build();
              });
      HeapModelException e = planError(project);
      assertThat(e.model()).isEqualTo("my_fact");
      assertThat(e.getMessage()).contains("time column").contains("started_at");
    }

    @Test
    void timeColumnsMustHoldATimestamp() {
      project
          .model("text_time")
          .incremental("heap_session_id", "heap_session_country")
          .plan(
              ctx -> {
                RelBuilder b = ctx.ref(SESSIONS_FCT);
                return b.project(b.field("heap_session_id"), b.field("heap_session_country"), b.field("heap_user_id")).build();
              });
      HeapModelException e = planError(project);
      assertThat(e.model()).isEqualTo("text_time");
      assertThat(e.getMessage()).contains("time column [heap_session_country] is VARCHAR").endsWith("; it must be a TIMESTAMP");
      // a DATE: the mark compares the time column with a timestamp (it failed in planning, in Calcite's words)
      HeapProject dated = HeapProject.standard(CONFIG);
      dated
          .model("dated")
          .incremental("heap_session_id", "start_day")
          .plan(
              ctx -> {
                RelBuilder b = ctx.ref(SESSIONS_FCT);
                return b.project(
                        List.of(b.field("heap_session_id"), b.cast(b.field("heap_session_start_time"), SqlTypeName.DATE), b.field("heap_user_id")),
                        List.of("heap_session_id", "start_day", "heap_user_id"))
                    .build();
              });
      assertThat(planError(dated).getMessage()).contains("time column [start_day] is DATE").endsWith("; it must be a TIMESTAMP");
    }

    @Test
    void layoutTimeColumnMustBeAnOutputColumnHoldingATime() {
      HeapProject missing = HeapProject.standard(CONFIG);
      missing
          .model("laid_out")
          .incremental("heap_session_id", "heap_session_start_time")
          .layoutTimeColumn("first_seen")
          .plan(ctx -> ctx.ref(SESSIONS_FCT).build());
      assertThat(planError(missing).getMessage()).contains("layout time column [first_seen] is not an output column");
      HeapProject text = HeapProject.standard(CONFIG);
      text
          .model("laid_out")
          .incremental("heap_session_id", "heap_session_start_time")
          .layoutTimeColumn("heap_session_browser")
          .plan(ctx -> ctx.ref(SESSIONS_FCT).build());
      assertThat(planError(text).getMessage()).contains("layout time column [heap_session_browser] is VARCHAR").endsWith("it must be a DATE or a TIMESTAMP");
    }

    @Test
    void documentedColumnNotAmongOutputColumns() {
      project
          .model("documented")
          .column("not_there", "a column the query does not produce")
          .plan(ctx -> ctx.ref(SESSIONS_FCT).project(ctx.builder().field("heap_session_id")).build());
      HeapModelException e = planError(project);
      assertThat(e.model()).isEqualTo("documented");
      assertThat(e.getMessage()).contains("not_there");
    }

    @Test
    void incrementalWithoutUniqueKey() {
      HeapModelException e =
          defineError(
              () ->
                  project.add(
                      Model.builder()
                          .name("keyless_fact")
                          .materialization(Materialization.INCREMENTAL)
                          .timeColumn("heap_session_start_time")
                          .planner(ctx -> ctx.ref(SESSIONS_FCT).build())
                          .build()));
      assertThat(e.model()).isEqualTo("keyless_fact");
      assertThat(e.getMessage()).contains("unique key");
      assertThat(project.find("keyless_fact")).isEmpty();
    }

    @Test
    void incrementalWithoutTimeColumn() {
      HeapModelException e =
          defineError(
              () ->
                  Model.builder()
                      .name("timeless_fact")
                      .materialization(Materialization.INCREMENTAL)
                      .uniqueKey("heap_session_id")
                      .planner(ctx -> ctx.ref(SESSIONS_FCT).build())
                      .build());
      assertThat(e.model()).isEqualTo("timeless_fact");
      assertThat(e.getMessage()).contains("time column");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Sessions", "sessions-per-day", "1st_model", "my model", "", "sessions.daily"})
    void invalidModelName(String name) {
      HeapModelException e = defineError(() -> project.model(name).plan(ctx -> ctx.ref(SESSIONS_FCT).build()));
      assertThat(e.model()).isEqualTo(name);
      assertThat(e.getMessage()).contains("lower case");
      assertThat(project.find(name)).isEmpty();
    }

    @Test
    void stageNameUsedByTwoModels() {
      project
          .model("first_user")
          .plan(ctx -> {
            ctx.ref(SESSIONS_FCT);
            ctx.stage("shared_step");
            return ctx.builder().build();
          });
      project
          .model("second_user")
          .plan(ctx -> {
            ctx.ref(EVENTS_FCT);
            ctx.stage("shared_step");
            return ctx.builder().build();
          });
      HeapModelException e = planError(project);
      assertThat(e.model()).isEqualTo("second_user");
      assertThat(e.getMessage()).contains("shared_step").contains("first_user");
    }

    @Test
    void stageNameUsedTwiceInOneModel() {
      project
          .model("twice")
          .plan(ctx -> {
            ctx.ref(SESSIONS_FCT);
            ctx.stage("step");
            ctx.stage("step");
            return ctx.builder().build();
          });
      HeapModelException e = planError(project);
      assertThat(e.model()).isEqualTo("twice");
      assertThat(e.getMessage()).contains("step");
    }

    @Test
    void stageNameOfAStandardModelIsTaken() {
      List<String> standardStages = new ArrayList<>();
      HeapProject.standard(CONFIG).plan().models().forEach(m -> standardStages.addAll(stageNames(m)));
      assertThat(standardStages).isNotEmpty();
      String taken = standardStages.get(0);
      project
          .model("copycat")
          .plan(ctx -> {
            ctx.ref(SESSIONS_FCT);
            ctx.stage(taken);
            return ctx.builder().build();
          });
      HeapModelException e = planError(project);
      assertThat(e.model()).isEqualTo("copycat");
      assertThat(e.getMessage()).contains(taken);
    }

    @Test
    void stageNamedLikeAModel() {
      project
          .model("shadow")
          .plan(ctx -> {
            ctx.ref(SESSIONS_FCT);
            ctx.stage(EVENTS_FCT);
            return ctx.builder().build();
          });
      HeapModelException e = planError(project);
      assertThat(e.model()).isEqualTo("shadow");
      assertThat(e.getMessage()).contains(EVENTS_FCT);
    }

    @Test
    void invalidStageName() {
      project
          .model("bad_stage")
          .plan(ctx -> {
            ctx.ref(SESSIONS_FCT);
            ctx.stage("Bad Stage");
            return ctx.builder().build();
          });
      HeapModelException e = planError(project);
      assertThat(e.model()).isEqualTo("bad_stage");
      assertThat(e.getMessage()).contains("Bad Stage");
    }

    @Test
    void unknownSourceTable() {
      project.model("raw").plan(ctx -> ctx.source("pageview").build());
      HeapModelException e = planError(project);
      assertThat(e.model()).isEqualTo("raw");
      assertThat(e.getMessage()).contains("pageview").contains("pageviews");
    }

    @Test
    void unknownSourceColumn() {
      project
          .model("raw")
          .plan(ctx -> ctx.source("pageviews").project(ctx.field("pageviews", "url")).build());
      HeapModelException e = planError(project);
      assertThat(e.model()).isEqualTo("raw");
      assertThat(e.getMessage()).contains("url").contains("path");
    }

    @Test
    void unknownFieldOfARefIsReportedForTheModel() {
      project
          .model("typo")
          .plan(ctx -> {
            RelBuilder b = ctx.ref(SESSIONS_FCT);
            return b.project(b.field("heap_session_countri")).build();
          });
      HeapModelException e = planError(project);
      assertThat(e.model()).isEqualTo("typo");
      assertThat(e.getMessage()).contains("heap_session_countri");
    }

    @Test
    void planFunctionReturningNull() {
      project.model("nothing").plan(ctx -> null);
      HeapModelException e = planError(project);
      assertThat(e.model()).isEqualTo("nothing");
    }

    @Test
    void unknownModelInAPlan() {
      ProjectPlan plan = HeapProject.standard(CONFIG).plan();
      try {
        plan.model("nope");
        fail("expected a HeapModelException");
      } catch (HeapModelException e) {
        assertThat(e.model()).isEqualTo("nope");
        assertThat(e.getMessage()).contains(SESSIONS_FCT);
      }
    }
  }
}
